"""Screen 5: the quarterly returns — who was sent what, what came back, what is overdue; export and import.

One row per state and quarter (the core's ``returns_status``): due date,
exported when and by whom, received when and by whom, the file and what it
applied, and the status, with '!' and OVERDUE for a return past its due date,
readable without colour. ``x`` exports a state's return; ``i`` imports returned
workbooks: they are read and compared in a task with a progress bar, then a
preview screen shows every change and problem before anything is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import ProgressBar, Static
from textual.worker import get_current_worker

from ...core.progress.standing import PROGRESS_STATUSES, Reporting, progress_reported
from ...core.text import plural
from ...core.workbook import (
    ApplyResult,
    ExportResult,
    Preview,
    ReturnStatus,
    due_date,
    returns_status,
)
from ...core.workbook.returns import previous_quarter
from ...core.workbook.tracker import COLUMNS, FACETS, STATUSES, ReturnRow, Tracker, TrackerFilter, facet_counts, query
from .forms import (
    ExportForm,
    ExportRequest,
    ImportForm,
    country_names,
    parse_paths,
)
from .files import read_returned
from .preview import ImportPreviewScreen
from .tracker import TABLE_COLUMNS, ReturnsTable, detail, overdue_marker
from ..common.base import WhenActive
from ..common.row_table import RowTable
from ..common.listing import ListScreen, list_bindings
from ..common.tasks import task


HINT = "x exports a state's return · i imports returned workbooks · f1 help"
BUSY = ("returns-export", "returns-import")
OWING = frozenset({"missing", "partly"})  # progress not (all) reported: what p shows  # the tasks (by group) the progress line stands for


class ImportCancelled(Exception):
    """The user pressed escape while a return was being written, or files read and compared.

    Raised in the thread once its worker is cancelled: the worker has ended (cancelled) by then, and
    nothing reports it as a failure."""


class ReturnsScreen(WhenActive, ListScreen):
    @dataclass
    class Exported(Message):
        result: ExportResult

    @dataclass
    class Compared(Message):
        """The returned files read and compared with the register: what importing them would change."""

        preview: Preview

    MODE = "returns"
    TITLE = "Returns"
    NAME = "returns"
    HELP = ("Quarterly returns, one row per state and quarter: when the return went out (exported, by whom), when "
            "it came back (imported, by whom, which file, records applied: +new ~changed) and its status: due "
            "(not exported yet), sent (waiting for the state), received, or OVERDUE, marked '!' (30 days after "
            "the quarter ended and not back). Progress says whether the arrangements with an MoU in force that "
            "ran in the quarter reported progress for it (values, activities, spending: the return's Progress "
            "sheet): reported, '1 of 2', or missing. x exports a state's return (enter: the one under the "
            "cursor); i imports returned workbooks: a preview shows every change and every cell to fix before "
            "anything is written. / filters, f narrows by state, status, quarter or progress, o shows overdue "
            "returns only, p the states whose progress is missing, s sorts, c clears the filters.")
    CSS_PATH = "returns.tcss"
    SORT_COLUMNS = tuple(COLUMNS)
    TABLE_COLUMNS = TABLE_COLUMNS
    FILTER_HINT = "filter: state, quarter, status, who, file…"
    DEFAULT_SORT = "quarter"
    DESCENDING_FIRST = frozenset({"quarter"})  # the newest quarter first
    TABLE = ReturnsTable

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "export", "Export", id="returns.export",
                tooltip="Write a state's quarterly return (.xlsx) for its focal point to fill in"),
        Binding("i", "import_files", "Import", id="returns.import",
                tooltip="Read returned workbooks, preview what they change, then apply or cancel"),
        # The shared list keys, but x exports here, so c clears; a return is not created, edited or deleted.
        *(binding for binding in list_bindings("returns", "return", footer=("focus_filter",))
          if binding.action in ("focus_filter", "sort", "reverse")),
        Binding("c", "clear_filter", "Clear", show=False, id="returns.clear", tooltip="Clear the filter and facets"),
        Binding("f", "facets", "Facets", id="returns.facets", tooltip="Narrow by state, status, quarter or progress"),
        Binding("o", "overdue", "Overdue", id="returns.overdue", tooltip="Show only overdue returns (!), or all"),
        Binding("p", "progress_missing", "No progress", show=False, id="returns.progress",
                tooltip="Show only the states whose arrangements have not (all) reported progress, or all"),
        # For a user who may change nothing, "i" says why instead of importing (see ListScreen.check_action).
        Binding("i", "refused('import_files')", "", show=False, id="returns.refused.import",
                tooltip="Says why you may not import here"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.tracker = Tracker()
        self.filter = TrackerFilter()
        self.keep: tuple[str, str] | None = None  # the row to put the cursor on after the next load
        self.import_text = ""  # what the import form held last time, offered again
        self.under_way: set[str] = set()  # "export", "import": what the progress line stands for

    def body(self) -> ComposeResult:
        yield from self.list_widgets()
        yield Static("", id="returns-detail")
        with Horizontal(id="returns-progress"):
            yield Static("", id="returns-progress-label")
            yield ProgressBar(total=None, show_eta=False, id="returns-progress-bar")
        yield Static(Text(HINT), id="returns-message")
        yield Static("", id="returns-access")

    def marker(self, row: ReturnRow) -> str:
        return overdue_marker(row)

    # -- who may do what ------------------------------------------------------
    def access_read(self) -> None:
        """The access line: single-user mode, or who the user is and what they answer for."""
        assert self.access is not None
        self.query_one("#returns-access", Static).update(
            Text(self.access.describe(), no_wrap=True, overflow="ellipsis"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "import_files":
            return not self.read_only
        return super().check_action(action, parameters)

    def action_refused(self, action: str) -> None:
        if action == "import_files":
            assert self.access is not None
            self.notify(f"You may not import returns ({self.access.describe()}): you can browse and export.",
                        title="Read-only", severity="warning", timeout=8, markup=False)
            return
        super().action_refused(action)

    @property
    def folder(self) -> Path:
        """Where relative paths start: the folder twintui was started in."""
        return Path(os.getcwd())

    # -- tasks --------------------------------------------------------------
    def read(self) -> tuple[list[ReturnStatus], dict[str, str], dict[tuple[str, str], Reporting]]:
        statuses = returns_status(self.store, self.twintui.today)
        progress = progress_reported(self.store, [(s.state, s.quarter) for s in statuses])
        # Country names also load pycountry here, off the UI thread, before the export form checks a state.
        return statuses, country_names({s.state for s in statuses}), progress

    def loaded(self, source: tuple[list[ReturnStatus], dict[str, str], dict[tuple[str, str], Reporting]],
               first: bool) -> None:
        self.tracker.load(*source)

    def finished(self, work: str, failure: str | None = None) -> None:
        """``work`` ("export", "import") is over: the progress line goes with the last; a failure is said."""
        self.under_way.discard(work)
        if not self.under_way:
            self.show_busy(False)
        if failure:
            self.say(Text.assemble(("✗ ", "bold"), failure), error=True)

    def export_stopped(self, failure: str | None) -> None:
        self.finished("export", failure)

    def import_stopped(self, failure: str | None) -> None:
        self.finished("import", failure)

    @task("exporting the return", group="returns-export", reset=export_stopped)
    def export(self, request: ExportRequest) -> Exported:
        return self.Exported(self.twintui.desk.export_return(request.state, request.quarter, request.path,
                                                             progress=self._reporter()))

    @task("reading the returned files", group="returns-import", reset=import_stopped)
    def read_and_compare(self, text: str) -> Compared:
        report = self._reporter()
        desk = self.twintui.desk  # through the store service, the files' bytes are checked and compared there
        files = read_returned(parse_paths(text, self.folder), report, desk.read_return)
        return self.Compared(desk.preview(files, progress=report))

    def _reporter(self) -> Callable[[str, int, int], None]:
        """A progress callback for the core, called in the worker's thread; escape stops the work."""
        worker = get_current_worker()

        def report(stage: str, done: int, total: int) -> None:
            if worker.is_cancelled:
                raise ImportCancelled
            self.app.call_from_thread(self.show_progress, stage, done, total)

        return report

    # -- progress and messages ----------------------------------------------
    def show_busy(self, busy: bool, label: str = "", work: str = "") -> None:
        """The progress line, for ``work`` under way (or gone: nothing is)."""
        if work:
            self.under_way.add(work)
        self.set_class(busy, "-busy")
        if busy:
            self.query_one("#returns-progress-label", Static).update(Text(label))
            self.query_one("#returns-progress-bar", ProgressBar).update(total=None, progress=0)

    def show_progress(self, stage: str, done: int, total: int) -> None:
        unit = {"reading": "files", "comparing": "rows", "writing": "rows"}.get(stage, "steps")
        self.query_one("#returns-progress-label", Static).update(
            Text(f"{stage} {done:,} of {total:,} {unit} · escape stops"))
        self.query_one("#returns-progress-bar", ProgressBar).update(total=max(total, 1), progress=done)

    def say(self, text: Text, error: bool = False) -> None:
        """The line above the footer: the last export, import or refusal."""
        line = self.query_one("#returns-message", Static)
        line.update(text)
        line.set_class(error, "-error")

    # -- the list -----------------------------------------------------------
    def refresh_rows(self) -> None:
        table = self.table
        current = self.keep or (table.current.key if table.current else None)
        self.keep = None
        rows = query(self.tracker.rows, self.filter, self.sort_key, self.descending)
        table.set_rows(rows, keep=(lambda row: row.key == current) if current else None)
        self.show_detail()
        self.update_status(rows)

    def update_status(self, rows: list[ReturnRow]) -> None:
        overdue = sum(1 for row in rows if row.overdue)
        status = Text.assemble((f"{len(rows):,}", "bold"), f" of {len(self.tracker):,} returns")
        if overdue:
            status.append(f" · {overdue:,} overdue (!)", style="bold")
        owing = sum(1 for row in rows if row.progress_status in OWING)
        if owing:
            status.append(f" · {owing:,} without progress (p)", style="bold")
        status.append(f" · sorted by {self.sort_label()}")
        if described := self.filter.describe():
            status.append(f" · {described}")
        last = previous_quarter(self.twintui.today)
        status.append(f" · {last} due {due_date(last).isoformat()}")
        self.set_status(status)

    def show_detail(self) -> None:
        self.query_one("#returns-detail", Static).update(
            detail(self.table.current, self.twintui.today))

    @on(RowTable.Highlighted)
    def row_highlighted(self) -> None:
        self.show_detail()

    @on(RowTable.Selected)
    def row_selected(self, event: RowTable.Selected) -> None:
        self.open_export(event.row.state, event.row.quarter)

    def key_escape(self) -> None:
        if self.focused is self.filter_input:
            super().key_escape()
            return
        busy = [worker for worker in self.workers if worker.group in BUSY and not worker.is_finished]
        for worker in busy:
            # The thread stops at its next progress report (the core reports before it writes anything).
            worker.cancel()
        if busy:
            self.under_way.clear()
            self.show_busy(False)
            self.say(Text("Stopped: nothing was written."))

    # -- filter actions -------------------------------------------------------
    def action_clear_filter(self) -> None:
        self.filter = TrackerFilter()
        self.filter_input.value = ""
        self.refresh_rows()

    def action_overdue(self) -> None:
        only = frozenset() if self.filter.statuses == {"overdue"} else frozenset({"overdue"})
        self.filter = replace(self.filter, statuses=only)
        self.refresh_rows()

    def action_progress_missing(self) -> None:
        only = frozenset() if self.filter.progress == OWING else OWING
        self.filter = replace(self.filter, progress=only)
        self.refresh_rows()

    def action_facets(self) -> None:
        from ..common.facets import Facet, FacetChoice, FacetScreen

        counts = facet_counts(self.tracker.rows, self.filter)
        order = {"statuses": STATUSES, "quarters": sorted(counts["quarters"], reverse=True),
                 "progress": PROGRESS_STATUSES}
        facets = [Facet(name, label, counts[name], getattr(self.filter, name), order.get(name))
                  for name, label in FACETS]

        def chosen(result: FacetChoice | None) -> None:
            if result is not None:
                self.filter = replace(self.filter, **result.facets)
                self.refresh_rows()

        self.app.push_screen(FacetScreen(facets), chosen)

    # -- export -------------------------------------------------------------
    def action_export(self) -> None:
        row = self.table.current
        self.open_export(row.state if row else "", previous_quarter(self.twintui.today))

    def open_export(self, state: str, quarter: str) -> None:
        states = sorted({(row.state, row.state_name) for row in self.tracker.rows})

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self.show_busy(True, f"exporting {request.state} {request.quarter}…", work="export")
                self.export(request)

        self.app.push_screen(ExportForm(state, quarter, self.folder, states), chosen)

    @on(Exported)
    def exported(self, event: Exported) -> None:
        self.finished("export")
        result = event.result
        state, quarter = result.state or "", result.quarter or ""
        self.tracker.exported(state, quarter, result.path)
        counts = (f"{plural(result.arrangements, 'arrangement')}, {plural(result.partners, 'partner')}, "
                  f"{plural(result.risks, 'risk')}")
        self.say(Text.assemble(("✓ ", "bold"), f"Exported {state} {quarter} ({counts}) → ",
                               (str(result.path), "bold")))
        self.notify(f"{state}'s return for {quarter} ({counts}) written to {result.path}", title="Exported",
                    timeout=10, markup=False)
        self.keep = (state, quarter)
        self.load()

    # -- import -------------------------------------------------------------
    def action_import_files(self) -> None:
        def chosen(text: str | None) -> None:
            if text is not None:
                self.import_text = text
                self.show_busy(True, "reading…", work="import")
                self.read_and_compare(text)

        self.app.push_screen(ImportForm(self.folder, self.import_text), chosen)

    @on(Compared)
    def compared(self, event: Compared) -> None:
        self.finished("import")
        # Over this screen, not over the one the user went to meanwhile: it waits here until they are back.
        if not self.is_active:
            self.notify("The preview of the returned files is ready on Returns (5).", title="Import",
                        timeout=10, markup=False)
        self._when_active(lambda: self.app.push_screen(ImportPreviewScreen(event.preview), self.after_preview))

    def after_preview(self, result: ApplyResult | None) -> None:
        if result is None:
            self.say(Text("Import cancelled: nothing was written."))
            return
        self.import_text = ""
        received = [tuple(key.split("-", 1)) for key in result.received]  # NOR-2026-Q3 → (NOR, 2026-Q3)
        message = f"Applied: {result.described()}"
        self.say(Text.assemble(("✓ ", "bold"), message))
        self.notify(message, title="Imported", timeout=10, markup=False)
        if received:
            self.keep = received[0]  # type: ignore[assignment]
        self.load()
