"""Screen 1: the Twinning Register — browse, filter, facet, sort, open, new, edit, delete."""

from __future__ import annotations

import gc
from dataclasses import dataclass, replace
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message

from ...core.model import Arrangement, Partner, vocab
from ...core.progress import VERDICTS
from ...core.progress.standing import NO_OBJECTIVES, Standing
from ...core.register import COLUMNS, FACETS, Filter, RegisterList, Row
from ...core.reports.summary import summary_counts
from ..common.row_table import Column, RowTable
from .summary import SummaryPanel
from ..common.listing import ListScreen, list_bindings
from ..common.tasks import task


def _years(dates: str) -> str:
    """2025-01-01–2027-12-31 as 2025–2027 for narrow terminals."""
    if not dates:
        return ""
    start, _, end = dates.partition("–")
    return f"{start[:4]}–{end[:4]}"


# Register columns: fixed widths where the content has a known width. At 80 columns the title
# matters most: the partners (shown in full when a record is opened) are left out below 100
# columns and the dates shrink to years, so the title gets about 30 characters; wider, the
# partners come back and the dates are shown in full. (28 beside the flag column of "!" and "✗".)
TABLE_COLUMNS = [
    Column("id", "ID", 11),
    Column("state", "State", 5),
    Column("title", "Title", 0, share=3),
    Column("status", "Status", 9),
    Column("dates", "Start–end", 21, narrow=_years, narrow_width=9),
    Column("partners", "Partners", 0, share=2, hide_below=100),
    Column("quarter", "Reported", 8),
]
assert [c.key for c in TABLE_COLUMNS] == [key for key, _ in COLUMNS]


# Facets listed in the guidelines' order; the others by how many records they hold.
FACET_ORDER = {"statuses": vocab.STATUSES, "activity_types": vocab.ACTIVITY_TYPES, "areas": vocab.AREAS,
               "progress": (*VERDICTS, NO_OBJECTIVES)}
STALE, BEHIND = "!", "✗"  # the row's flags: owes the last quarter past due; an objective off track or late


class RegisterScreen(ListScreen):
    @dataclass
    class ReadForEdit(Message):
        """The arrangement with its partners, for the form; ``refusal``: why the user may not change it."""

        arrangement: Arrangement
        partners: list[Partner]
        refusal: str | None

    @dataclass
    class Deleted(Message):
        arrangement_id: str

    @dataclass
    class StandingsRead(Message):
        """Every arrangement's objectives' verdicts, for the register ``source`` (read after its rows) as of the
        store's transaction ``txn``."""

        source: RegisterList
        standings: dict[str, Standing]
        txn: int

    MODE = "register"
    TITLE = "Register"
    NAME = "register"
    HELP = ("The Twinning Register: every arrangement, one row each. '/' filters as you type (title, partners, "
            "best practices, lessons learned, contacts, the states by code or name); 'f' narrows by state, "
            "status, activity type, area or quarter. '!' marks records still under way that have not reported "
            "the last quarter past its due date (30 days after it ended) and whose state's return for it has "
            "not come back; '✗' those with an objective of their MoU off track or a milestone late (the verdicts "
            "twintui progress prints; the Progress facet narrows by verdict). enter opens a record, 'n' starts a new one, 'e' edits the one under the cursor. "
            "'i' shows or hides the summary: the listed arrangements counted by status and by resettlement "
            "area, following the filter.")
    SORT_COLUMNS = COLUMNS
    TABLE_COLUMNS = TABLE_COLUMNS
    FILTER_HINT = "filter: title, partner, practice, lesson, contact…"

    BINDINGS: ClassVar[list[BindingType]] = [
        *list_bindings("register", "arrangement", footer=("focus_filter", "new", "edit")),
        Binding("f", "facets", "Facets", id="register.facets",
                tooltip="Narrow by state, status, activity type, area, quarter, progress"),
        Binding("i", "summary", "Summary", id="register.summary",
                tooltip="Show or hide the counts by status and area of the arrangements listed"),
        Binding("c", "copy_id", "Copy ID", show=False, id="register.copy",
                tooltip="Copy the record ID to the clipboard (works over SSH)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.register = RegisterList()
        self.filter = Filter()
        self.keep_id: str | None = None  # the row to put the cursor on after the next load
        self.rows: list[Row] = []  # what the list shows, for the summary panel
        self.summary_pending = False
        self.history_read = False  # the audit log read in the background, once
        self.marks_txn = -1  # the store transaction the progress marks were last asked for

    def body(self) -> ComposeResult:
        yield from self.list_widgets()
        yield SummaryPanel(id="register-summary")

    @property
    def summary(self) -> SummaryPanel:
        return self.query_one(SummaryPanel)

    MARKER_WIDTH = 2  # "!" and "✗" side by side

    def marker(self, row: Row) -> str:
        behind = self.register.behind(row)
        if not (row.stale or behind):
            return ""
        return (STALE if row.stale else " ") + (BEHIND if behind else " ")

    # -- loading ------------------------------------------------------------
    def read(self) -> RegisterList:
        return RegisterList.from_store(self.store, self.twintui.today)

    def loaded(self, source: RegisterList, first: bool) -> None:
        # The marks of the last read stand until this one's are read (a change moves few of them).
        source.standings = self.register.standings
        self.register = source
        # Asked again only when the store has changed (not when a record is closed): on a large register they
        # are worked out in a process of their own (``service.apart``). At once, not after the first paint: so
        # the worker is there from the start for whoever waits for the screen's work (tests, screenshots).
        if self.marks_txn != self.seen_txn:
            self.marks_txn = self.seen_txn
            self.read_standings(source, self.seen_txn)
        if first:
            # The audit log is read once the verdicts are (read_standings): both want the interpreter, and
            # the marks on the list matter before the history of a record not opened yet.
            # The register and the store's documents live as long as the app: move them out of
            # the garbage collector's sight, or every full collection walks them (100+ ms at 10k).
            gc.freeze()
        else:
            # The previous load is garbage now, but frozen objects are never collected: thaw, and
            # collect and freeze again once this handler is done. On the UI thread, between messages,
            # nothing else holds the old register (a collection holds the GIL anyway, so a thread
            # would not spare the UI; it could only freeze a register some frame still held).
            gc.unfreeze()
            self.call_later(self.refreeze)

    def refreeze(self) -> None:
        gc.collect()
        gc.freeze()

    def marks_failed(self, failure: str | None) -> None:
        if failure is not None:
            self.marks_txn = -1  # asked again at the next read of the list (a record closed, a change)

    @task("reading the progress", group="register-progress", follows_store=True, reset=marks_failed)
    def read_standings(self, source: RegisterList, txn: int) -> StandingsRead:
        """The verdicts after the rows: on a large register they take longer than the list (bench/README.md).
        The desk's: through the store service, the service's (it judges again only what a change touched)."""
        return self.StandingsRead(source, self.twintui.desk.standings(self.twintui.today), txn)

    @on(StandingsRead)
    def standings_read(self, event: StandingsRead) -> None:
        event.source.standings = event.standings
        if not self.history_read:
            self.history_read = True
            self.read_history()
        if event.source is self.register or event.txn == self.marks_txn:  # (the list read again meanwhile)
            self.register.standings = event.standings
            self.refresh_rows()

    @task("reading the history", group="register-history", follows_store=True)
    def read_history(self) -> None:
        """Read the audit log once in the background, so opening a record shows its history at once."""
        self.store.history("")

    # -- the list -----------------------------------------------------------
    def refresh_rows(self) -> None:
        table = self.table
        current = self.keep_id or (table.current.id if table.current else None)
        self.keep_id = None
        rows = self.register.query(self.filter, self.sort_key, self.descending)
        table.set_rows(rows, keep=(lambda row: row.id == current) if current else None)
        self.rows = rows
        self.schedule_summary()
        stale = sum(1 for row in rows if row.stale)
        status = Text.assemble((f"{len(rows):,}", "bold"),
                               f" of {len(self.register):,} arrangements · sorted by {self.sort_label()}")
        if stale:
            status.append(f" · {stale:,} stale (!)")
        if self.register.standings is None:
            status.append(" · progress: reading…")
        elif behind := sum(1 for row in rows if self.register.behind(row)):
            status.append(f" · {behind:,} behind (✗)")
        if facets := self.filter.describe():
            status.append(f" · {facets}")
        self.set_status(status)

    def schedule_summary(self) -> None:
        """Count after the list is drawn, once per refresh however many keys came in: typing stays quick."""
        if self.summary.display and not self.summary_pending:
            self.summary_pending = True
            self.call_after_refresh(self.update_summary)

    def update_summary(self) -> None:
        self.summary_pending = False
        if self.summary.display:
            self.summary.show_counts(summary_counts(self.rows), self.filter.describe())

    def action_summary(self) -> None:
        self.summary.display = not self.summary.display
        self.schedule_summary()

    @on(RowTable.Selected)
    def row_selected(self, event: RowTable.Selected) -> None:
        self.open_record(event.row.id)

    # -- actions ------------------------------------------------------------
    def action_facets(self) -> None:
        from ..common.facets import Facet, FacetChoice, FacetScreen, Toggle

        counts = self.register.facet_counts(self.filter)
        # Vocabularies in the guidelines' order, quarters newest first, the rest by count.
        order = {**FACET_ORDER, "quarters": sorted(counts["quarters"], reverse=True)}
        facets = [Facet(name, label, counts[name], getattr(self.filter, name), order.get(name))
                  for name, label in FACETS]
        stale = Toggle("stale_only", "Only records that owe the last quarter past due (!)",
                       self.filter.stale_only)
        behind = Toggle("behind_only", "Only those with an objective off track or a milestone late (✗)",
                        self.filter.behind_only)

        def chosen(result: FacetChoice | None) -> None:
            if result is not None:
                self.filter = replace(self.filter, **result.facets, **result.toggles)
                self.refresh_rows()

        self.app.push_screen(FacetScreen(facets, [stale, behind]), chosen)

    def current_id(self) -> str | None:
        row = self.table.current
        return row.id if row else None

    def open_record(self, arrangement_id: str) -> None:
        from .record import ArrangementScreen

        self.app.push_screen(ArrangementScreen(arrangement_id), lambda _: self.reload_keeping(arrangement_id))

    def action_new(self) -> None:
        from .form import ArrangementEditor

        start = None
        if self.access is not None and self.access.role == "focal point" and self.access.states:
            # A focal point's new arrangement is of their (first) state.
            start = Arrangement(reporting_state=self.access.states[0])
        self.app.push_screen(ArrangementEditor(self.store, None, [], start=start), self.after_edit)

    def action_edit(self) -> None:
        arrangement_id = self.current_id()
        if arrangement_id:
            # Keys typed after e belong in the form that opens once the record is read.
            self.twintui.hold_keys(self.edit(arrangement_id))

    @task("opening the arrangement", group="register-open")
    def edit(self, arrangement_id: str) -> ReadForEdit:
        arrangement = self.store.require(Arrangement, arrangement_id)
        # Asked here, before the form opens: a focal point learns at once that the record is not theirs.
        refusal = self.access.refusal(arrangement) if self.access is not None else None
        return self.ReadForEdit(arrangement, self.store.children(Partner, arrangement_id), refusal)

    @on(ReadForEdit)
    def open_editor(self, event: ReadForEdit) -> None:
        from .form import ArrangementEditor

        if not self.refuse(event.refusal):
            self.app.push_screen(ArrangementEditor(self.store, event.arrangement, event.partners), self.after_edit)

    def after_edit(self, saved: Arrangement | None) -> None:
        if saved is not None:  # the form has said so already: one message per save
            self.reload_keeping(saved.id)

    def reload_keeping(self, arrangement_id: str) -> None:
        self.keep_id = arrangement_id
        self.load()

    def action_delete(self) -> None:
        row = self.table.current
        if row is None:
            return
        self.confirm_delete(f"Delete {row.id} “{row.title}” with its partners and risks?\n"
                            "The deletion is recorded in the audit log.", lambda: self.delete(row.id))

    @task("deleting the arrangement", group="register-write")
    def delete(self, arrangement_id: str) -> Deleted:
        self.store.delete(self.store.require(Arrangement, arrangement_id), "screen:register")
        return self.Deleted(arrangement_id)

    @on(Deleted)
    def deleted(self, event: Deleted) -> None:
        self.notify(f"{event.arrangement_id} deleted", markup=False)
        self.register.remove(event.arrangement_id)
        self.refresh_rows()

    def action_copy_id(self) -> None:
        arrangement_id = self.current_id()
        if arrangement_id:
            self.app.copy_to_clipboard(arrangement_id)
            self.notify(f"copied {arrangement_id}")
