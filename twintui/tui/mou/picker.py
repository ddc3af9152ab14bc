"""Screen 3: the arrangements, with the state of each one's MoU; enter opens one in the editor
(or starts its first draft), '/' filters the list, s and r sort it.

A ``ListScreen`` (``common/listing.py``): the filter and status lines, the sort keys, loading and
store-change reloads are there. No arrangement is added, edited or deleted here, so the list screen's
new/edit/delete keys are left out; n starts an MoU, and the core says who may.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.worker import Worker

from ...core import listing
from ...core.errors import TwintuiError
from ...core.mou import calls as funding_calls
from ...core.mou import versions
from ...core.mou.versions import PICKER_COLUMNS, ArrangementRow, filter_rows, overview
from ...core.store.policy import change_refusal
from ...core.text import clip
from ..common.base import WhenActive
from ..common.confirm import ConfirmScreen
from ..common.listing import ListScreen, list_bindings
from ..common.row_table import Column, RowTable
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

    # -- workers ------------------------------------------------------------------
    def read(self) -> tuple[list[ArrangementRow], list[funding_calls.Call]]:
        return overview(self.store), self.calls or funding_calls.available_calls()

    def loaded(self, source: tuple[list[ArrangementRow], list[funding_calls.Call]], first: bool) -> None:
        self.rows, self.calls = source

    @work(thread=True, exclusive=True, exit_on_error=False, group="mou-open", name="mou-open")
    def open_document(self, arrangement_id: str) -> Opened:
        return open_with_refusal(self.store, arrangement_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="mou-write", name="mou-start")
    def start_mou(self, arrangement_id: str) -> Opened:
        memo = versions.start(self.store, arrangement_id, versions.SOURCE_SCREEN)
        return read(self.store, arrangement_id, memo.version,
                    note=f"Started a draft MoU for {arrangement_id} from the arrangement's details")

    def on_result(self, worker: Worker) -> None:
        if worker.name in ("mou-open", "mou-start"):
            result = worker.result
            self._when_active(lambda: self.app.push_screen(MouEditor(result, self.calls), self._editor_closed))

    def on_failure(self, worker: Worker, error: BaseException) -> bool:
        if worker.name not in ("mou-open", "mou-start"):
            return False
        self._when_active(lambda: self._failed(worker.name, error))
        return True

    def _failed(self, name: str, error: BaseException | None) -> None:
        if isinstance(error, TwintuiError):
            self.notify(error.message, severity="error", timeout=15, markup=False)
        else:
            self.log.error(f"{name} failed", error)
            self.notify(f"{name.removeprefix('mou-')} failed: {error}", severity="error", timeout=15, markup=False)

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
            self.open_document(row.id)
            return
        if self.refuse(self._start_refusal(row)):
            return
        self.app.push_screen(ConfirmScreen(
            f"{row.id} “{clip(row.title, 60)}” has no MoU yet. Start a draft? Its title, objectives, outcomes, "
            "partners, dates and funding fill the first sections.", yes="Start a draft", no="Cancel"),
            lambda yes: self.start_mou(row.id) if yes else None)

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
