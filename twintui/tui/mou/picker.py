"""Screen 3: the arrangements, with the state of each one's MoU; enter opens one in the editor
(or starts its first draft), '/' filters the list, s and r sort it.

A ``ListScreen`` (``common/listing.py``): the filter and status lines, the sort keys, loading and
store-change reloads are there. No arrangement is added, edited or deleted here, so the list screen's
new/edit/delete keys are left out; n starts an MoU, and the core says who may.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message

from ...core import listing
from ...core.mou import calls as funding_calls
from ...core.mou import versions
from ...core.mou.versions import PICKER_COLUMNS, ArrangementRow, filter_rows, overview
from ...core.store.policy import change_refusal
from ...core.text import clip
from ..common.base import WhenActive
from ..common.confirm import ConfirmScreen
from ..common.listing import ListScreen, list_bindings
from ..common.row_table import Column, RowTable
from ..common.tasks import task
from .editor import BACK_TOOLTIP, HELP, MouEditor
from .opened import Opened, open_with_refusal, read

TABLE_COLUMNS = [
    Column("id", "ID", 11),
    Column("state", "State", 5),
    Column("title", "Title", 0),
    Column("mou", "MoU", 12),
]
assert [c.key for c in TABLE_COLUMNS] == [key for key, _ in PICKER_COLUMNS]


class MouScreen(WhenActive, ListScreen):
    @dataclass
    class ReadToEdit(Message):
        """An MoU version opened (or a first draft started) for the editor."""

        opened: Opened

    MODE = "mou"
    TITLE = "MoU"
    NAME = "mou"
    CSS_PATH = "mou.tcss"
    HELP = HELP
    SORT_COLUMNS = PICKER_COLUMNS
    TABLE_COLUMNS = TABLE_COLUMNS
    FILTER_HINT = "filter: id, state, title, MoU status…"
    DEFAULT_SORT = "mou"  # those with an MoU first

    BINDINGS: ClassVar[list[BindingType]] = [
        *list_bindings("mou", "arrangement", footer=("focus_filter",), leave_out=("new", "edit", "delete"),
                       tooltips={"focus_filter": "Filter the arrangements as you type",
                                 "clear_filter": "Clear the filter"}),
        Binding("n", "new_mou", "New MoU", id="mou.new",
                tooltip="Start a draft MoU for the arrangement under the cursor"),
        Binding("escape", "back", "Back", id="mou.back", tooltip=BACK_TOOLTIP),
    ]
    AUTO_FOCUS = "#mou-table"

    def __init__(self) -> None:
        super().__init__()
        self.filter = listing.TextFilter()
        self.rows: list[ArrangementRow] = []
        self.calls: list[funding_calls.Call] = []

    def body(self) -> ComposeResult:
        yield from self.list_widgets()

    # -- tasks --------------------------------------------------------------------
    def read(self) -> tuple[list[ArrangementRow], list[funding_calls.Call]]:
        return overview(self.store), self.calls or funding_calls.available_calls()

    def loaded(self, source: tuple[list[ArrangementRow], list[funding_calls.Call]], first: bool) -> None:
        self.rows, self.calls = source

    @task("opening the MoU", group="mou-open")
    def open_document(self, arrangement_id: str) -> ReadToEdit:
        return self.ReadToEdit(open_with_refusal(self.store, arrangement_id))

    @task("starting the MoU", group="mou-write")
    def start_mou(self, arrangement_id: str) -> ReadToEdit:
        memo = versions.start(self.store, arrangement_id, versions.SOURCE_SCREEN)
        return self.ReadToEdit(read(self.store, arrangement_id, memo.version,
                                    note=f"Started a draft MoU for {arrangement_id} from the arrangement's details"))

    @on(ReadToEdit)
    def edit(self, event: ReadToEdit) -> None:
        self._when_active(lambda: self.app.push_screen(MouEditor(event.opened, self.calls), self._editor_closed))

    def _editor_closed(self, _: object = None) -> None:
        self.table.focus()
        self.load()

    @on(events.ScreenResume)
    def _resumed(self) -> None:
        # Back from a dialog or the editor: never on a hidden widget or nothing (no key would answer).
        # (A handler of its own: WhenActive and ListScreen each have an on_screen_resume, and all run.)
        self.call_after_refresh(self._keep_focus)

    def _keep_focus(self) -> None:
        if self.focused is None or not self.focused.focusable:
            self.table.focus()

    # -- the list -----------------------------------------------------------------------
    def refresh_rows(self) -> None:
        table = self.table
        current = table.current.id if table.current else None
        shown = filter_rows(self.rows, self.filter.text, self.sort_key, self.descending)
        table.set_rows(shown, keep=(lambda row: row.id == current) if current else None)
        with_mou = sum(1 for row in self.rows if row.version)
        # The sorted column is marked in the header (▲ ▼), not here: at 60 columns this line still ends
        # with what enter does.
        self.set_status(Text.assemble((f"{len(shown):,}", "bold"),
                                      f" of {len(self.rows):,} arrangements · {with_mou:,} with an MoU · enter opens"))

    @on(RowTable.Selected, "#mou-table")
    def _row_selected(self, event: RowTable.Selected) -> None:
        self._open_row(event.row)

    def _open_row(self, row: ArrangementRow) -> None:
        if row.version:
            self.twintui.hold_keys(self.open_document(row.id))  # the keys typed after enter: the editor's
            return
        if self.refuse(self._start_refusal(row)):
            return
        self.app.push_screen(ConfirmScreen(
            f"{row.id} “{clip(row.title, 60)}” has no MoU yet. Start a draft? Its title, objectives, outcomes, "
            "partners, dates and funding fill the first sections.", yes="Start a draft", no="Cancel"),
            lambda yes: self.twintui.hold_keys(self.start_mou(row.id)) if yes else None)

    def _start_refusal(self, row: ArrangementRow) -> str | None:
        """Why this user may not start an MoU for ``row`` (its state is in the row: no store read here)."""
        if self.access is None:
            return None
        return change_refusal(self.access, "memoranda", None, {"arrangement": row.id},
                              lambda _: {"reporting_state": row.state})

    def action_back(self) -> None:
        self.key_escape()  # from the filter back to the list

    def action_new_mou(self) -> None:
        row = self.table.current
        if row is None:
            return
        if row.version:
            self.notify(f"{row.id} already has an MoU ({row.mou}): enter opens it", markup=False)
            return
        self._open_row(row)


__all__ = ["TABLE_COLUMNS", "MouScreen"]
