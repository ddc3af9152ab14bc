"""Screen 3: the arrangements, with the state of each one's MoU; enter opens one in the editor
(or starts its first draft), '/' filters the list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from ...core.mou import calls as funding_calls
from ...core.mou import versions
from ...core.mou.versions import ArrangementRow, filter_rows, overview
from ...core.store.policy import change_refusal
from ...core.text import clip
from ..common.base import MainScreen, WhenActive
from ..common.confirm import ConfirmScreen
from ..store_watch import StoreChanged
from ..common.row_table import Column, RowTable
from ..common.tasks import task
from .editor import BACK_TOOLTIP, HELP, MouEditor
from .opened import Opened, open_with_refusal, read

PICKER_COLUMNS = [
    Column("id", "ID", 11),
    Column("state", "State", 5),
    Column("title", "Title", 0),
    Column("mou", "MoU", 12),
]


class MouScreen(WhenActive, MainScreen):
    @dataclass
    class OverviewRead(Message):
        """The arrangements with their MoU's state, the funding calls and the user's access, at ``txn``."""

        rows: list[ArrangementRow]
        txn: int
        calls: list[funding_calls.Call]
        access: Any

    @dataclass
    class ReadToEdit(Message):
        """An MoU version opened (or a first draft started) for the editor."""

        opened: Opened

    MODE = "mou"
    TITLE = "MoU"
    CSS_PATH = "mou.tcss"
    HELP = HELP

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter", id="mou.filter", tooltip="Filter the arrangements as you type"),
        Binding("n", "new_mou", "New MoU", id="mou.new",
                tooltip="Start a draft MoU for the arrangement under the cursor"),
        Binding("escape", "back", "Back", id="mou.back", tooltip=BACK_TOOLTIP),
    ]
    AUTO_FOCUS = "#mou-list"

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ArrangementRow] = []
        self.seen_txn = -1
        self.calls: list[funding_calls.Call] = []
        self.access: Any = None  # the user's access, read with the list

    def body(self) -> ComposeResult:
        with Vertical(id="mou-picker"):
            with Horizontal(id="mou-filter-bar"):
                yield Static("/", id="mou-filter-prompt")
                yield Input(placeholder="filter: id, state, title, MoU status…", id="mou-filter")
            yield Static("Loading the arrangements…", id="mou-picker-status")
            yield RowTable(PICKER_COLUMNS, id="mou-list")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#mou-list", RowTable).focus()
        self.load_overview()

    # -- tasks --------------------------------------------------------------------
    @task("reading the arrangements", group="mou-overview")
    def load_overview(self) -> OverviewRead:
        txn = self.store.txn
        calls = self.calls or funding_calls.available_calls()
        return self.OverviewRead(overview(self.store), txn, calls, self.store.access())

    @on(OverviewRead)
    def overview_read(self, event: OverviewRead) -> None:
        self.rows, self.seen_txn, self.calls, self.access = event.rows, event.txn, event.calls, event.access
        self._show_rows()

    @on(StoreChanged)
    def follow_store(self, event: StoreChanged) -> None:
        """Another official's change (the app's store watcher): read the list again."""
        if event.txn != self.seen_txn and self.seen_txn >= 0:
            self.seen_txn = event.txn
            self.load_overview()

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
        self.query_one("#mou-list", RowTable).focus()
        self.load_overview()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Back from a dialog or the editor: never on a hidden widget or nothing (no key would answer).
        self.call_after_refresh(self._keep_focus)

    def _keep_focus(self) -> None:
        if self.focused is None or not self.focused.focusable:
            self.query_one("#mou-list", RowTable).focus()

    # -- the list -----------------------------------------------------------------------
    def _show_rows(self) -> None:
        table = self.query_one("#mou-list", RowTable)
        current = table.current.id if table.current else None
        shown = filter_rows(self.rows, self.query_one("#mou-filter", Input).value)
        table.set_rows(shown, keep=(lambda row: row.id == current) if current else None)
        with_mou = sum(1 for row in self.rows if row.version)
        status = f"{len(shown):,} of {len(self.rows):,} arrangements · {with_mou:,} with an MoU · enter opens"
        self.query_one("#mou-picker-status", Static).update(status)

    @on(Input.Changed, "#mou-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show_rows()

    @on(Input.Submitted, "#mou-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#mou-list", RowTable).focus()

    @on(RowTable.Selected, "#mou-list")
    def _row_selected(self, event: RowTable.Selected) -> None:
        self._open_row(event.row)

    def _open_row(self, row: ArrangementRow) -> None:
        if row.version:
            self.twintui.hold_keys(self.open_document(row.id))  # the keys typed after enter: the editor's
            return
        refusal = self._start_refusal(row)
        if refusal:
            self.notify(refusal, title="Not allowed", severity="warning", timeout=8, markup=False)
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

    def action_focus_filter(self) -> None:
        self.query_one("#mou-filter", Input).focus()

    def action_back(self) -> None:
        if self.focused is self.query_one("#mou-filter", Input):
            self.query_one("#mou-list", RowTable).focus()

    def action_new_mou(self) -> None:
        row = self.query_one("#mou-list", RowTable).current
        if row is None:
            return
        if row.version:
            self.notify(f"{row.id} already has an MoU ({row.mou}): enter opens it", markup=False)
            return
        self._open_row(row)


__all__ = ["PICKER_COLUMNS", "MouScreen"]
