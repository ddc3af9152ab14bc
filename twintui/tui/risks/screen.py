"""Screen 4: the risk register across arrangements — heat map, list, filters, edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from ...core.errors import ConflictError
from ...core.model import Problem, Risk, vocab
from ...core.model.merge import of_records
from ...core.risks import (
    BAND_LETTERS,
    COLUMNS,
    FACETS,
    RiskFilter,
    RiskRegister,
    RiskRow,
)
from ...core.text import clip, plural
from .heat_map import HeatMap
from ..common.row_table import Column, RowTable
from ..common.conflict import ConflictScreen
from ..common.listing import ListScreen, list_bindings
from ..common.record_form import RecordForm
from ..common.tasks import task

SOURCE = "screen:risks"

TABLE_COLUMNS = [
    Column("arrangement", "Arrangement", 11),
    Column("id", "Risk", 4),
    Column("rating", "Score", 10),
    Column("description", "Description", 0, share=3),
    Column("owner", "Owner", 0, share=1),
    Column("next_review", "Review", 10),
]
assert [c.key for c in TABLE_COLUMNS] == [key for key, _ in COLUMNS]

FACET_ORDER = {"categories": vocab.RISK_CATEGORIES, "bands": ("critical", "high", "medium", "low", "not assessed")}


class RiskForm(RecordForm[Risk]):
    """Add or edit one risk; likelihood and impact 1-5, the residual pair after mitigation."""

    HELP_TITLE = "Risk form"
    HELP: ClassVar[str] = ("One risk of an arrangement: likelihood and impact from 1 to 5 (score = likelihood x "
                           "impact), the residual likelihood and impact once the mitigation works, who owns it and "
                           "when it is next reviewed. ctrl+s saves, escape cancels.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "done", "Save risk", id="risk.done", tooltip="Check the risk and save it"),
        Binding("escape", "cancel", "Cancel", id="risk.cancel",
                tooltip="Close without saving; asks first when something changed"),
    ]
    NOUN = "risk"
    DONE_LABEL = "Save risk"

    def __init__(self, base: Risk, titles: Mapping[str, str],
                 extra_check: Callable[[Risk], list[Problem]] | None = None) -> None:
        self.titles = titles  # arrangement id -> title, for the heading
        self.risk = base
        # It opens on its first field, the Record ID: where the risk belongs comes first.
        super().__init__(Risk, base, heading=self.heading_for(base.arrangement), id_prefix="risk",
                         first_field="arrangement", extra_check=extra_check)

    def heading_for(self, arrangement: str) -> str:
        """What the form is about, following the Record ID as it is typed."""
        key = arrangement.strip().upper()
        title = self.titles.get(key, "")
        what = f"{self.risk.id} of {key}" if self.risk.id else f"New risk of {key}" if key else "New risk"
        return clip(f"{what}: {title}" if title else what, 60) + " · * required"

    @on(Input.Changed, "#field-arrangement")
    def _arrangement_typed(self, event: Input.Changed) -> None:
        self.query_one("#risk-heading", Static).update(Text(self.heading_for(event.value)))


class RisksScreen(ListScreen):
    @dataclass
    class Saved(Message):
        risk: Risk

    @dataclass
    class Conflict(Message):
        """Someone else saved the risk meanwhile (or deleted it): nothing was saved."""

        conflict: ConflictError

    @dataclass
    class Deleted(Message):
        key: str

    @dataclass
    class EditChecked(Message):
        """Whether the user may change the risk of ``row``: ``refusal`` says why not."""

        row: RiskRow
        refusal: str | None

    MODE = "risks"
    TITLE = "Risks"
    NAME = "risks"
    HELP = ("The risk register of every arrangement. The heat map counts open risks per likelihood x impact "
            "cell (band letters L M H C); moving onto a cell lists its risks. '!' marks an overdue review, '↑' a "
            "residual score above the inherent one. t switches inherent/residual, f filters by arrangement, "
            "state, category, owner or band, o shows overdue reviews only.")
    CSS_PATH = "risks.tcss"
    SORT_COLUMNS = COLUMNS
    TABLE_COLUMNS = TABLE_COLUMNS
    FILTER_HINT = "filter: description, mitigation, owner, arrangement…"
    DEFAULT_SORT = "rating"
    DESCENDING_FIRST = frozenset({"rating"})  # the worst risks first

    BINDINGS: ClassVar[list[BindingType]] = [
        *list_bindings("risks", "risk", footer=("focus_filter", "new", "edit")),
        Binding("f", "facets", "Facets", id="risks.facets",
                tooltip="Narrow by arrangement, state, category, owner, band; closed risks"),
        Binding("o", "overdue", "Overdue", id="risks.overdue", tooltip="Show only risks whose review is overdue"),
        Binding("t", "residual", "Residual", id="risks.residual",
                tooltip="Switch the heat map and bands between inherent and residual scores"),
        Binding("h", "focus_heat_map", "Heat map", show=False, id="risks.heat", tooltip="Move onto the heat map"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.register = RiskRegister()
        self.arrangement_titles: dict[str, str] = {}  # id -> title: the form's check and heading
        self.filter = RiskFilter()
        self.keep_key: str | None = None

    def body(self) -> ComposeResult:
        with Horizontal(id="risk-top"):
            yield HeatMap(id="heat-map")
            yield Static("", id="risk-summary")
        yield from self.list_widgets()

    def marker(self, row: RiskRow) -> str:
        return "!" if row.overdue else ""

    @property
    def today(self) -> dt.date:
        return self.twintui.today

    # -- loading and saving ---------------------------------------------------
    def read(self) -> tuple[RiskRegister, dict[str, str]]:
        from ...core.model import Arrangement

        titles = {doc["id"]: doc.get("title") or "" for doc in self.store.docs(Arrangement)}
        return RiskRegister.from_store(self.store, self.today), titles

    def loaded(self, source: tuple[RiskRegister, dict[str, str]], first: bool) -> None:
        self.register, self.arrangement_titles = source

    @task("saving the risk", group="risks-write")
    def save(self, risk: Risk, base: Risk | None) -> Saved | Conflict:
        try:
            return self.Saved(self.store.save(risk, SOURCE))
        except ConflictError as conflict:
            conflict.base = base  # what the form started from: the merge's defaults
            return self.Conflict(conflict)

    @on(Saved)
    def saved(self, event: Saved) -> None:
        self.notify(f"{event.risk.key} saved (revision {event.risk.rev})", markup=False)
        self.keep_key = event.risk.key
        self.load()

    @on(Conflict)
    def save_conflicted(self, event: Conflict) -> None:
        self.resolve(event.conflict)

    @task("deleting the risk", group="risks-write")
    def delete(self, risk: Risk) -> Deleted:
        self.store.delete(risk, SOURCE)
        return self.Deleted(risk.key)

    @on(Deleted)
    def deleted(self, event: Deleted) -> None:
        self.notify(f"{event.key} deleted", markup=False)
        self.load()

    # -- the list -----------------------------------------------------------
    def sort_label(self) -> str:
        label = super().sort_label()
        if self.sort_key == "rating" and self.filter.residual:
            return label.replace("Score", "Residual")
        return label

    def refresh_rows(self) -> None:
        table = self.table
        current = self.keep_key or (table.current.key if table.current else None)
        self.keep_key = None
        rows = self.register.query(self.filter, self.sort_key, self.descending)
        table.set_rows(rows, keep=(lambda row: row.key == current) if current else None)
        # The score column says which score it shows: the inherent one, or the residual one after mitigation.
        table.set_columns([replace(c, header="Residual" if self.filter.residual else "Score")
                           if c.key == "rating" else c for c in table.columns])
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
            lines.append(Text.assemble((f"! {plural(summary.overdue, 'overdue review')}", "bold"), f": {owners}"))
        else:
            lines.append(Text("no overdue reviews"))
        if summary.worse_after_mitigation:
            lines.append(Text(f"↑ {summary.worse_after_mitigation} worse after mitigation"))
        lines.append(Text(f"{'residual' if self.filter.residual else 'inherent'} scores · t switches", style="dim"))
        self.query_one("#risk-summary", Static).update(Text("\n").join(lines))
        status = Text.assemble((f"{len(rows):,}", "bold"),
                               f" of {len(self.register):,} risks · sorted by {self.sort_label()}")
        if described := self.filter.describe():
            status.append(f" · {described}")
        self.set_status(status)

    @on(HeatMap.CellChanged)
    def cell_changed(self, event: HeatMap.CellChanged) -> None:
        if event.cell != self.filter.cell:
            self.filter = replace(self.filter, cell=event.cell)
            self.refresh_rows()

    @on(RowTable.Selected)
    def row_selected(self, event: RowTable.Selected) -> None:
        self.edit(event.row)

    # -- actions ------------------------------------------------------------
    def action_focus_heat_map(self) -> None:
        heat = self.query_one(HeatMap)
        heat.focus()
        heat.mark()

    def key_escape(self) -> None:
        heat = self.query_one(HeatMap)
        if self.focused is heat and heat.cursor is None:
            self.table.focus()  # every cell shown already: escape goes back to the list
            return
        super().key_escape()

    def action_overdue(self) -> None:
        self.filter = replace(self.filter, overdue_only=not self.filter.overdue_only)
        self.refresh_rows()

    def action_residual(self) -> None:
        self.filter = replace(self.filter, residual=not self.filter.residual, cell=None)
        self.query_one(HeatMap).cursor = None
        self.refresh_rows()

    def action_clear_filter(self) -> None:
        self.filter = RiskFilter(residual=self.filter.residual)
        self.filter_input.value = ""
        self.query_one(HeatMap).cursor = None
        self.refresh_rows()

    def action_facets(self) -> None:
        from ..common.facets import Facet, FacetChoice, FacetScreen, Toggle

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
        if risk.arrangement and risk.arrangement not in self.arrangement_titles:
            return [Problem("arrangement", risk.arrangement,
                            f"there is no arrangement {risk.arrangement} in the register")]
        return []

    def open_form(self, base: Risk) -> None:
        original = base if base.id else None

        def done(result: Risk | None) -> None:
            if result is not None:
                self.save(result, original)

        self.app.push_screen(RiskForm(base, self.arrangement_titles, extra_check=self.check_arrangement), done)

    def action_new(self) -> None:
        row = self.table.current
        arrangement = row.risk.arrangement if row else ""
        if len(self.filter.arrangements) == 1:
            arrangement = next(iter(self.filter.arrangements))
        base = Risk(arrangement=arrangement, description="", category="other", likelihood=3, impact=3,
                    next_review=self.today + dt.timedelta(days=90))
        self.open_form(base)

    def action_edit(self) -> None:
        row = self.table.current
        if row is not None:
            self.edit(row)

    def edit(self, row: RiskRow) -> None:
        if self.access is None or self.access.single_user or self.access.role == "maintainer":
            self.open_form(row.risk)
        else:
            self.twintui.hold_keys(self.check_edit(row))

    @task("checking your access", group="risks-open")
    def check_edit(self, row: RiskRow) -> EditChecked:
        """Whether the user may change the risk (its arrangement's state), asked before the form opens."""
        assert self.access is not None
        return self.EditChecked(row, self.access.refusal(row.risk))

    @on(EditChecked)
    def edit_checked(self, event: EditChecked) -> None:
        if not self.refuse(event.refusal):
            self.open_form(event.row.risk)

    def resolve(self, conflict: ConflictError) -> None:
        """Someone else saved the risk meanwhile: show both versions, save the merge the user picks."""
        if conflict.theirs is None:
            self.notify(f"{conflict.mine.key} was deleted by someone else meanwhile; nothing was saved",
                        severity="error", timeout=10, markup=False)
            self.load()
            return

        def merged(result: Risk | None) -> None:
            if result is not None:
                self.save(result, conflict.theirs)

        self.app.push_screen(ConflictScreen(of_records(conflict.mine, conflict.theirs, conflict.base)), merged)

    def action_delete(self) -> None:
        row = self.table.current
        if row is None:
            return
        self.confirm_delete(f"Delete risk {row.key} “{row.risk.description}”?\n"
                            "Closing it (status closed) keeps it on record; a deletion is only kept in the "
                            "audit log.", lambda: self.delete(row.risk))
