"""Screen 4: the risk register across arrangements — heat map, list, filters, edit."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from ...core.errors import ConflictError, TwintuiError
from ...core.model import Problem, Risk, vocab
from ...core.risks import BAND_LETTERS, COLUMNS, FACETS, RiskFilter, RiskRegister, RiskRow
from ..widgets.heat_map import HeatMap
from ..widgets.row_table import Column, RowTable
from .base import MainScreen
from .record_form import RecordForm

SOURCE = "screen:risks"

TABLE_COLUMNS = [
    Column("arrangement", "Arrangement", 11),
    Column("id", "Risk", 4),
    Column("rating", "Score", 7),
    Column("description", "Description", 0, share=3),
    Column("owner", "Owner", 0, share=1),
    Column("next_review", "Review", 10),
]
assert [c.key for c in TABLE_COLUMNS] == [key for key, _ in COLUMNS]

FACET_ORDER = {"categories": vocab.RISK_CATEGORIES, "bands": ("critical", "high", "medium", "low", "not assessed")}


def overdue_marker(row: RiskRow) -> str:
    return "!" if row.overdue else ""


class RiskForm(RecordForm[Risk]):
    """Add or edit one risk; likelihood and impact 1-5, the residual pair after mitigation."""

    HELP: ClassVar[str] = ("One risk of an arrangement: likelihood and impact from 1 to 5 (score = likelihood x "
                           "impact), the residual likelihood and impact once the mitigation works, who owns it and "
                           "when it is next reviewed. ctrl+s saves, escape cancels.")
    NOUN = "risk"
    DONE_LABEL = "Save risk"


class RisksScreen(MainScreen):
    MODE = "risks"
    TITLE = "Risks"
    HELP = ("The risk register of every arrangement. The heat map counts open risks per likelihood x impact "
            "cell (band letters L M H C); moving onto a cell lists its risks. '!' marks an overdue review, '↑' a "
            "residual score above the inherent one. t switches inherent/residual, f filters by arrangement, "
            "state, category, owner or band, o shows overdue reviews only.")
    CSS_PATH = "risks.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter", id="risks.filter", tooltip="Filter the list as you type"),
        Binding("f", "facets", "Facets", id="risks.facets",
                tooltip="Narrow by arrangement, state, category, owner, band; closed risks"),
        Binding("o", "overdue", "Overdue", id="risks.overdue", tooltip="Show only risks whose review is overdue"),
        Binding("t", "residual", "Residual", id="risks.residual",
                tooltip="Switch the heat map and bands between inherent and residual scores"),
        Binding("h", "focus_heat_map", "Heat map", show=False, id="risks.heat", tooltip="Move onto the heat map"),
        Binding("s", "sort", "Sort", show=False, id="risks.sort", tooltip="Sort by the next column"),
        Binding("r", "reverse", "Reverse", show=False, id="risks.reverse", tooltip="Reverse the sort order"),
        Binding("n", "new", "New", id="risks.new", tooltip="A new risk (for the arrangement under the cursor)"),
        Binding("e", "edit", "Edit", id="risks.edit", tooltip="Edit the risk under the cursor"),
        Binding("delete", "delete", "Delete", show=False, id="risks.delete", tooltip="Delete the risk (asks first)"),
        Binding("x", "clear_filter", "Clear", show=False, id="risks.clear", tooltip="Clear filters and cell"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.register = RiskRegister()
        self.arrangement_ids: set[str] = set()
        self.filter = RiskFilter()
        self.sort_key = "rating"
        self.descending = True
        self.seen_txn = -1
        self.keep_key: str | None = None

    def body(self) -> ComposeResult:
        with Horizontal(id="risk-top"):
            yield HeatMap(id="heat-map")
            yield Static("", id="risk-summary")
        with Horizontal(id="risk-filter-bar"):
            yield Static("/", id="risk-filter-prompt")
            yield Input(placeholder="filter: description, mitigation, owner, arrangement…", id="risk-filter")
        yield Static("Loading the risk register…", id="risk-status")
        yield RowTable(TABLE_COLUMNS, marker=overdue_marker, id="risk-table")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(RowTable).set_sort(self.sort_key, self.descending)
        self.query_one(RowTable).focus()
        self.load()
        self.set_interval(3.0, self.poll_store)

    @property
    def today(self) -> dt.date:
        return self.app.today  # type: ignore[attr-defined]

    # -- loading ------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="risks-load", name="load-risks")
    def load(self) -> tuple[RiskRegister, set[str], int]:
        from ...core.model import Arrangement

        txn = self.store.txn
        ids = {doc["id"] for doc in self.store.docs(Arrangement)}
        return RiskRegister.from_store(self.store, self.today), ids, txn

    @work(thread=True, exclusive=True, exit_on_error=False, group="risks-poll", name="poll-risks")
    def poll_store(self) -> int:
        return self.store.txn

    @work(thread=True, exclusive=True, exit_on_error=False, group="risks-write", name="save-risk")
    def save(self, risk: Risk, base: Risk | None) -> Risk:
        try:
            return self.store.save(risk, SOURCE)
        except ConflictError as conflict:
            conflict.base = base  # type: ignore[attr-defined]
            raise

    @work(thread=True, exclusive=True, exit_on_error=False, group="risks-write", name="delete-risk")
    def delete(self, risk: Risk) -> str:
        self.store.delete(risk, SOURCE)
        return risk.key

    @on(Worker.StateChanged)
    def worker_done(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state == WorkerState.ERROR:
            error = worker.error
            if isinstance(error, ConflictError):
                self.resolve(error)
                return
            message = str(error) if isinstance(error, TwintuiError) else f"{worker.name} failed: {error}"
            self.notify(message, severity="error", timeout=10, markup=False)
            return
        if event.state != WorkerState.SUCCESS:
            return
        if worker.name == "load-risks":
            self.register, self.arrangement_ids, self.seen_txn = worker.result
            self.refresh_rows()
        elif worker.name == "poll-risks" and worker.result != self.seen_txn and self.seen_txn >= 0:
            self.load()
        elif worker.name == "save-risk":
            saved: Risk = worker.result
            self.notify(f"{saved.key} saved (revision {saved.rev})", markup=False)
            self.keep_key = saved.key
            self.load()
        elif worker.name == "delete-risk":
            self.notify(f"{worker.result} deleted", markup=False)
            self.load()

    # -- the list -----------------------------------------------------------
    def refresh_rows(self) -> None:
        table = self.query_one(RowTable)
        current = self.keep_key or (table.current.key if table.current else None)
        self.keep_key = None
        rows = self.register.query(self.filter, self.sort_key, self.descending)
        table.set_rows(rows, keep=(lambda row: row.key == current) if current else None)
        heat = self.query_one(HeatMap)
        heat.residual = self.filter.residual
        heat.counts = self.register.heat(self.filter)
        self.update_summary(rows)

    def update_summary(self, rows: list[RiskRow]) -> None:
        # Text, not markup: owners' names are the users' own words.
        whole = self.register.query(replace(self.filter, cell=None))
        summary = self.register.summary(whole, self.filter.residual)
        bands = " · ".join(f"{BAND_LETTERS[b]} {b} {summary.by_band[b]}" for b in ("critical", "high", "medium",
                                                                                     "low"))
        lines = [Text(f"{summary.total} {'risks' if self.filter.include_closed else 'open risks'}", style="bold"),
                 Text(bands)]
        if summary.overdue:
            owners = ", ".join(f"{owner} {n}" for owner, n in summary.overdue_owners.most_common(3))
            plural = "s" if summary.overdue > 1 else ""
            lines.append(Text.assemble((f"! {summary.overdue} overdue review{plural}", "bold"), f": {owners}"))
        else:
            lines.append(Text("no overdue reviews"))
        if summary.worse_after_mitigation:
            lines.append(Text(f"↑ {summary.worse_after_mitigation} worse after mitigation"))
        lines.append(Text(f"{'residual' if self.filter.residual else 'inherent'} scores · t switches", style="dim"))
        self.query_one("#risk-summary", Static).update(Text("\n").join(lines))
        order = dict(COLUMNS)[self.sort_key] + (" ▼" if self.descending else " ▲")
        status = Text.assemble((f"{len(rows):,}", "bold"), f" of {len(self.register):,} risks · sorted by {order}")
        if described := self.filter.describe():
            status.append(f" · {described}")
        self.query_one("#risk-status", Static).update(status)

    @on(HeatMap.CellChanged)
    def cell_changed(self, event: HeatMap.CellChanged) -> None:
        if event.cell != self.filter.cell:
            self.filter = replace(self.filter, cell=event.cell)
            self.refresh_rows()

    @on(Input.Changed, "#risk-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter = replace(self.filter, text=event.value)
        self.refresh_rows()

    @on(Input.Submitted, "#risk-filter")
    def filter_submitted(self) -> None:
        self.query_one(RowTable).focus()

    def key_escape(self) -> None:
        if self.focused is self.query_one("#risk-filter", Input):
            self.query_one(RowTable).focus()

    @on(RowTable.Selected)
    def row_selected(self, event: RowTable.Selected) -> None:
        self.edit(event.row)

    @on(RowTable.HeaderClicked)
    def header_clicked(self, event: RowTable.HeaderClicked) -> None:
        if event.key == self.sort_key:
            self.descending = not self.descending
        else:
            self.sort_key, self.descending = event.key, event.key == "rating"
        self.apply_sort()

    # -- actions ------------------------------------------------------------
    def action_focus_filter(self) -> None:
        self.query_one("#risk-filter", Input).focus()

    def action_focus_heat_map(self) -> None:
        self.query_one(HeatMap).focus()

    def action_overdue(self) -> None:
        self.filter = replace(self.filter, overdue_only=not self.filter.overdue_only)
        self.refresh_rows()

    def action_residual(self) -> None:
        self.filter = replace(self.filter, residual=not self.filter.residual, cell=None)
        self.query_one(HeatMap).cursor = None
        self.refresh_rows()

    def action_clear_filter(self) -> None:
        self.filter = RiskFilter(residual=self.filter.residual)
        self.query_one("#risk-filter", Input).value = ""
        self.query_one(HeatMap).cursor = None
        self.refresh_rows()

    def action_sort(self) -> None:
        keys = [key for key, _ in COLUMNS]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.descending = self.sort_key == "rating"  # the worst first; the rest A to Z
        self.apply_sort()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self.apply_sort()

    def apply_sort(self) -> None:
        self.query_one(RowTable).set_sort(self.sort_key, self.descending)
        self.refresh_rows()

    def action_facets(self) -> None:
        from .facets import Facet, FacetChoice, FacetScreen, Toggle

        counts = self.register.facet_values(self.filter)
        facets = [Facet(name, label, counts[name], getattr(self.filter, name), FACET_ORDER.get(name))
                  for name, label in FACETS]
        toggles = [Toggle("overdue_only", "Only risks whose review is overdue (!)", self.filter.overdue_only),
                   Toggle("include_closed", "Include closed risks", self.filter.include_closed)]

        def chosen(result: FacetChoice | None) -> None:
            if result is not None:
                self.filter = replace(self.filter, **result.facets, **result.toggles)
                self.refresh_rows()

        self.app.push_screen(FacetScreen(facets, toggles), chosen)

    def check_arrangement(self, risk: Risk) -> list[Problem]:
        if risk.arrangement and risk.arrangement not in self.arrangement_ids:
            return [Problem("arrangement", risk.arrangement,
                            f"there is no arrangement {risk.arrangement} in the register")]
        return []

    def open_form(self, base: Risk, heading: str) -> None:
        original = base if base.id else None

        def done(result: Risk | None) -> None:
            if result is not None:
                self.save(result, original)

        self.app.push_screen(RiskForm(Risk, base, heading=heading, id_prefix="risk",
                                      first_field="description" if base.arrangement else "arrangement",
                                      extra_check=self.check_arrangement), done)

    def action_new(self) -> None:
        row = self.query_one(RowTable).current
        arrangement = row.risk.arrangement if row else ""
        if len(self.filter.arrangements) == 1:
            arrangement = next(iter(self.filter.arrangements))
        base = Risk(arrangement=arrangement, description="", category="other", likelihood=3, impact=3,
                    next_review=self.today + dt.timedelta(days=90))
        self.open_form(base, f"New risk{' of ' + arrangement if arrangement else ''}: * required")

    def action_edit(self) -> None:
        row = self.query_one(RowTable).current
        if row is not None:
            self.edit(row)

    def edit(self, row: RiskRow) -> None:
        self.open_form(row.risk, f"{row.key}: {row.arrangement_title}")

    def resolve(self, conflict: ConflictError) -> None:
        """Someone else saved the risk meanwhile: show both versions, save the merge the user picks."""
        from .conflict import ConflictScreen

        if conflict.theirs is None:
            self.notify(f"{conflict.mine.key} was deleted by someone else meanwhile; nothing was saved",
                        severity="error", timeout=10, markup=False)
            self.load()
            return

        def merged(result: Risk | None) -> None:
            if result is not None:
                self.save(result, conflict.theirs)

        base = getattr(conflict, "base", None)
        self.app.push_screen(ConflictScreen(conflict.mine, conflict.theirs, base), merged)

    def action_delete(self) -> None:
        row = self.query_one(RowTable).current
        if row is None:
            return
        from .confirm import ConfirmScreen

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.delete(row.risk)

        self.app.push_screen(ConfirmScreen(f"Delete risk {row.key} “{row.risk.description}”?\n"
                                           "Closing it (status closed) keeps it on record; a deletion is only "
                                           "kept in the audit log.", yes="Delete", no="Keep"), confirmed)
