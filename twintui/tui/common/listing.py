"""What the list screens share (Register, Compare partners, the MoU picker, Risks): a list of records
filtered as you type, sorted by any column, kept up to date with other users' writes, loaded off the
UI thread.

A subclass says what its rows are (``read`` runs in a task and returns the list's source, ``loaded``
keeps it, ``refresh_rows`` filters and sorts it into the table); its own tasks' outcomes come back as
its own messages.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from ...core.store.policy import Access
from ..store_watch import StoreChanged
from .row_table import Column, RowTable
from .base import MainScreen
from .confirm import ConfirmScreen
from .tasks import task


def list_bindings(prefix: str, noun: str,
                  footer: tuple[str, ...] = ("focus_filter", "sort", "new", "edit", "delete"), *,
                  leave_out: Collection[str] = (), tooltips: Mapping[str, str] | None = None) -> list[Binding]:
    """The keys every list screen has, with ids under ``prefix``; ``footer`` names the actions shown there.

    A list without some of them (the MoU picker adds, edits and deletes no arrangement) names those actions
    in ``leave_out``; ``tooltips`` gives an action the screen's own words (a list without facets clears
    only its filter).
    """
    keys = [
        ("slash", "focus_filter", "Filter", "filter", "Filter the list as you type"),
        ("s", "sort", "Sort", "sort", "Sort by the next column"),
        ("r", "reverse", "Reverse", "reverse", "Reverse the sort order"),
        ("x", "clear_filter", "Clear", "clear", "Clear the filter and the facets"),
        ("n", "new", "New", "new", f"A new {noun}"),
        ("e", "edit", "Edit", "edit", f"Edit the {noun} under the cursor"),
        ("delete", "delete", "Delete", "delete", f"Delete the {noun} (asks first)"),
    ]
    keys = [(key, action, label, name, (tooltips or {}).get(action, tooltip))
            for key, action, label, name, tooltip in keys if action not in leave_out]
    bindings = [Binding(key, action, label, show=action in footer, id=f"{prefix}.{name}", tooltip=tooltip)
                for key, action, label, name, tooltip in keys]
    # When the user may not change anything, check_action hides new/edit/delete (footer, palette) and these
    # take the same keys, to say why instead of doing nothing.
    bindings += [Binding(key, f"refused('{action}')", "", show=False, id=f"{prefix}.refused.{name}",
                         tooltip=f"Says why you may not {name} here")
                 for key, action, _, name, _ in keys if action in EDIT_ACTIONS]
    return bindings


# The actions that change the store, refused up front for a user who may change nothing.
EDIT_ACTIONS = frozenset({"new", "edit", "delete"})


class ListScreen(MainScreen):
    """A screen around one RowTable with a filter line above it and a status line."""

    @dataclass
    class Loaded(Message):
        """What ``read`` returned, as the store was at transaction ``txn``."""

        source: Any
        txn: int

    @dataclass
    class AccessRead(Message):
        """What the user may change (the access file)."""

        access: Access

    DEFAULT_CSS = """
    ListScreen .filter-bar { height: 1; }
    ListScreen .filter-prompt { width: 2; color: $accent; text-style: bold; }
    ListScreen .list-filter { padding: 0; width: 1fr; }
    ListScreen .list-status { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }  /* a long one wraps */
    """

    # (key, header) of the sortable columns, the columns drawn, and the filter's hint.
    SORT_COLUMNS: ClassVar[tuple[tuple[str, str], ...]] = ()
    TABLE_COLUMNS: ClassVar[list[Column]] = []
    FILTER_HINT: ClassVar[str] = "filter…"
    # Columns whose natural order is largest first (a risk's score: the worst on top).
    DESCENDING_FIRST: ClassVar[frozenset[str]] = frozenset()
    # The column sorted by when the screen opens (default: the first).
    DEFAULT_SORT: ClassVar[str] = ""
    # Prefix of the widgets' ids ("register", "risks").
    NAME: ClassVar[str] = "list"
    # The list's widget: a RowTable, or a subclass whose enter says what it does here.
    TABLE: ClassVar[type[RowTable]] = RowTable

    def __init__(self) -> None:
        super().__init__()
        self.filter: Any = None  # a frozen dataclass with a ``text`` field; set by the subclass
        self.sort_key = self.DEFAULT_SORT or (self.SORT_COLUMNS[0][0] if self.SORT_COLUMNS else "")
        self.descending = self.sort_key in self.DESCENDING_FIRST
        self.seen_txn = -1  # the store transaction the list shows; -1 until the first load
        self.access: Access | None = None  # what the user may change; read in a task on mount

    # -- what subclasses provide --------------------------------------------
    def read(self) -> Any:
        """The list's source, read from the store (runs in a task's thread)."""
        raise NotImplementedError

    def loaded(self, source: Any, first: bool) -> None:
        """Keep what ``read`` returned; ``first`` on the screen's first load."""
        raise NotImplementedError

    def refresh_rows(self) -> None:
        """Filter and sort the source into the table, and update the status line."""
        raise NotImplementedError

    # A row's flags ("!" a stale record; MARKER_WIDTH characters), as a method; None where nothing is ever flagged
    # (the comparisons, the MoU picker): the table then gives the flag's two cells to the text.
    marker: Callable[[Any], str] | None = None
    MARKER_WIDTH: ClassVar[int] = 1  # the flags a row can show at once

    # -- the widgets ---------------------------------------------------------
    def list_widgets(self) -> ComposeResult:
        with Horizontal(classes="filter-bar"):
            yield Static("/", classes="filter-prompt")
            # Compact: one line and no border in any state (a tall border on one line hides the text).
            yield Input(placeholder=self.FILTER_HINT, id=f"{self.NAME}-filter", classes="list-filter", compact=True)
        yield Static("Loading…", id=f"{self.NAME}-status", classes="list-status")
        yield self.TABLE(self.TABLE_COLUMNS, marker=self.marker, marker_width=self.MARKER_WIDTH,
                         id=f"{self.NAME}-table")

    @property
    def table(self) -> RowTable:
        return self.query_one(RowTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one(f"#{self.NAME}-filter", Input)

    def set_status(self, status: Text) -> None:
        self.query_one(f"#{self.NAME}-status", Static).update(status)

    def sort_label(self) -> str:
        return dict(self.SORT_COLUMNS)[self.sort_key] + (" ▼" if self.descending else " ▲")

    def on_mount(self) -> None:
        super().on_mount()
        self.table.set_sort(self.sort_key, self.descending)
        self.table.focus()
        # Keys typed before the list is read (enter, e) wait for its rows.
        self.twintui.hold_keys(self.load())
        self.read_access()

    # -- loading --------------------------------------------------------------
    @task("reading the list", group="list-load", follows_store=True)
    def load(self) -> Loaded:
        txn = self.store.txn
        return self.Loaded(self.read(), txn)

    @on(Loaded)
    def list_loaded(self, event: Loaded) -> None:
        first = self.seen_txn < 0
        self.seen_txn = event.txn
        self.loaded(event.source, first)
        self.refresh_rows()

    @task("reading your access", group="list-access", follows_store=True)
    def read_access(self) -> AccessRead:
        return self.AccessRead(self.store.access())

    @on(AccessRead)
    def access_known(self, event: AccessRead) -> None:
        self.access = event.access
        self.refresh_bindings()
        self.access_read()

    def on_screen_resume(self) -> None:
        # A maintainer may have changed the access file meanwhile.
        if self.access is not None:
            self.read_access()

    def access_read(self) -> None:
        """The user's access is known (again); a subclass may show it."""

    @property
    def read_only(self) -> bool:
        return self.access is not None and self.access.read_only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in EDIT_ACTIONS:
            return not self.read_only
        if action == "refused":
            return self.read_only
        return True

    def action_refused(self, action: str) -> None:
        verb = {"new": "add records", "edit": "edit records", "delete": "delete records"}.get(action, action)
        who = self.access.describe() if self.access else ""
        self.notify(f"You may not {verb} here ({who}): you can browse and export. A maintainer can change "
                    "your access with twintui access grant.", title="Read-only", severity="warning",
                    timeout=8, markup=False)

    def confirm_delete(self, question: str, delete: Callable[[], object]) -> None:
        """Ask before a deletion (Delete / Keep); ``delete`` runs only on yes."""

        def answered(yes: bool | None) -> None:
            if yes:
                delete()

        self.app.push_screen(ConfirmScreen(question, yes="Delete", no="Keep"), answered)

    def refuse(self, refusal: str | None) -> bool:
        """Show why a change is refused, before any form opens; True when it was."""
        if refusal:
            self.notify(refusal, title="Not allowed", severity="warning", timeout=8, markup=False)
        return bool(refusal)

    @on(StoreChanged)
    def follow_store(self, event: StoreChanged) -> None:
        """Another official's change (the app's store watcher): read the list again."""
        if event.txn != self.seen_txn and self.seen_txn >= 0:
            self.load()

    # -- filter and sort ------------------------------------------------------
    @on(Input.Changed, ".list-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter = replace(self.filter, text=event.value)
        self.refresh_rows()

    @on(Input.Submitted, ".list-filter")
    def filter_submitted(self) -> None:
        self.table.focus()

    def key_escape(self) -> None:
        if self.focused is self.filter_input:
            self.table.focus()

    def action_focus_filter(self) -> None:
        self.filter_input.focus()

    @on(RowTable.HeaderClicked)
    def header_clicked(self, event: RowTable.HeaderClicked) -> None:
        if event.key == self.sort_key:
            self.descending = not self.descending
        else:
            self.sort_key, self.descending = event.key, event.key in self.DESCENDING_FIRST
        self.apply_sort()

    def action_clear_filter(self) -> None:
        """The filter as the screen opened with: no typed words, no facet chosen."""
        self.filter = type(self.filter)()
        self.filter_input.value = ""
        self.refresh_rows()

    def action_sort(self) -> None:
        keys = [key for key, _ in self.SORT_COLUMNS]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.descending = self.sort_key in self.DESCENDING_FIRST
        self.apply_sort()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self.apply_sort()

    def apply_sort(self) -> None:
        self.table.set_sort(self.sort_key, self.descending)
        self.refresh_rows()
