"""Screen 2: Compare partners — the comparisons, and one comparison's matrix, side by side and sensitivity.

``CompareScreen`` lists the named comparisons (``n`` new, ``enter`` open, ``e``
details, ``delete``). ``ComparisonScreen`` is one comparison opened: the grid
(factors down, candidates across, totals, coverage and rank below, updated on
every key), two candidates side by side (``s``) and the sensitivity panel
(``t``). Edits change a working copy; ``ctrl+s`` saves it in a worker, and the
title line says "● unsaved" until then (like every form of twintui, and each
save is one revision in the audit log, not one per keystroke). A save that
meets someone else's newer revision shows both versions item by item
(``ComparisonConflictScreen``) and never overwrites silently.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, ContentSwitcher, DataTable, Input, Static
from textual.worker import Worker, WorkerState

from ...core import experts
from ...core.store.policy import Access
from ...core.compare import Comparison, Ranking, Sensitivity, evaluate, merge, records, sensitivity, wording
from ...core.compare.candidates import PartnerChoice, partner_choices
from ...core.compare.checks import comparison_name_problem, name_problem, parse_minimum, parse_weight
from ...core.compare.merge import ItemKey
from ...core.compare.records import ComparisonRecord
from ...core.compare.wording import format_weight, verdict
from ...core.errors import ConflictError, TwintuiError, ValidationError
from ...core.text import plural
from ..widgets.footer import Footer
from ..widgets.matrix_forms import Ask, AskScreen, CandidateScreen, ChoiceScreen
from ..widgets.matrix_grid import MatrixGrid
from ..widgets.matrix_suggest import SuggestScreen
from ..widgets.matrix_views import CandidatePicker, sensitivity_panel, side_by_side
from ..widgets.row_table import Column, RowTable
from .base import MainScreen, WhenActive
from .confirm import ConfirmScreen
from .conflict import clip, when

SOURCE = records.SOURCE_SCREEN
POLL_SECONDS = 3.0


def _problem(parse: Callable[[str], Any], key: str) -> Callable[[dict[str, str]], str | None]:
    def check(values: dict[str, str]) -> str | None:
        try:
            parse(values[key])
        except ValueError as error:
            return str(error)
        return None

    return check


def _details_check(taken: set[str]) -> Callable[[dict[str, str]], str | None]:
    return lambda values: comparison_name_problem(values["name"], taken)


def details_asks(c: Comparison | None = None) -> list[Ask]:
    return [
        Ask("name", "Name *", c.name if c else "", "e.g. Partner for the 2027 resettlement programme"),
        Ask("organisation", "Organisation that is choosing", c.organisation if c else "",
            "e.g. Ministry of the Interior"),
        Ask("learning_gap", "Learning / skills gap", c.learning_gap if c else "",
            "area (advocacy, integration support, technical expertise) and timeframe"),
        Ask("end_goal", "End goal", c.end_goal if c else "",
            "e.g. set up a resettlement programme within 18 months"),
    ]


# ---------------------------------------------------------------------------
# The list of comparisons
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One comparison in the list, with what the preview shows (computed off the UI thread)."""

    comparison: Comparison
    leaders: str
    firm: str  # robust, fragile, tied or —
    leader_line: str
    verdict: str

    @property
    def id(self) -> str:
        return self.comparison.id

    def cell(self, key: str) -> str:
        c = self.comparison
        if key == "name":
            return c.name
        if key == "organisation":
            return c.organisation
        if key == "candidates":
            return str(len(c.candidates))
        if key == "leader":
            return self.leaders
        if key == "firm":
            return self.firm
        return c.updated_at[:10]  # who changed it is in the preview

    def matches(self, text: str) -> bool:
        c = self.comparison
        haystack = " ".join([c.name, c.organisation, c.learning_gap, c.end_goal,
                             *(x.name for x in c.candidates)]).casefold()
        return all(word in haystack for word in text.casefold().split())

    @classmethod
    def of(cls, comparison: Comparison) -> Entry:
        ev = evaluate(comparison)
        sens = sensitivity(comparison)
        return cls(comparison, " and ".join(ev.leaders) or "—", wording.firmness(comparison, ev, sens),
                   wording.leader_line(comparison, ev), verdict(comparison, ev, sens))


# At 80 columns the name keeps the most room; who is first and how firm that is (the README's promise)
# and the date of the last change are read whole; the organisation and the rest are in the preview.
LIST_COLUMNS = [
    Column("name", "Comparison", 0, share=3),
    Column("organisation", "Organisation", 0, share=2),
    Column("candidates", "Cand.", 5),
    Column("leader", "First", 12),
    Column("firm", "How firm", 8),
    Column("updated", "Updated", 10),
]


class CompareScreen(MainScreen):
    MODE = "compare"
    TITLE = "Compare partners"
    HELP = ("Compare candidate partners on the guidelines' ten factors: weights, scores, ranking, and how robust "
            "the ranking is. The list holds the named comparisons: enter opens one, n starts a new one (name, "
            "organisation, learning gap, end goal), e edits those details, delete removes it (asks first), "
            "/ filters the list.")
    CSS_PATH = "compare.tcss"
    # The list from the first key on: keys typed with the 2 that opened the screen go to it, not the filter.
    AUTO_FOCUS = "#compare-table"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="compare.new", tooltip="Start a new comparison"),
        Binding("e", "details", "Details", id="compare.details",
                tooltip="Edit the name, organisation, learning gap and end goal of the comparison"),
        Binding("delete", "delete", "Delete", id="compare.delete", tooltip="Delete the comparison (asks first)"),
        Binding("slash", "focus_filter", "Filter", id="compare.filter", tooltip="Filter the list as you type"),
        Binding("x", "clear_filter", "Clear", show=False, id="compare.clear", tooltip="Clear the filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.unreadable: list[str] = []
        self.seen_txn = -1
        self.keep_id: str | None = None
        self.access: Access | None = None  # read with the list: what this user may change

    def body(self) -> ComposeResult:
        with Horizontal(id="compare-filter-bar"):
            yield Static("/", id="compare-filter-prompt")
            yield Input(placeholder="filter: name, organisation, candidate…", id="compare-filter")
        yield Static("Loading the comparisons…", id="compare-status")
        yield RowTable(LIST_COLUMNS, id="compare-table")
        with VerticalScroll(id="compare-preview-scroll", can_focus=False):
            yield Static("", id="compare-preview", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(RowTable).focus()
        self.load()
        self.set_interval(POLL_SECONDS, self.poll_store)

    # -- workers --------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="compare-load", name="load-comparisons")
    def load(self) -> tuple[list[Entry], list[str], int, Access]:
        txn = self.store.txn
        unreadable: list[str] = []
        found = records.load_all(self.store, unreadable)
        return [Entry.of(c) for c in found], unreadable, txn, self.store.access()

    @work(thread=True, exclusive=True, exit_on_error=False, group="compare-poll", name="poll-comparisons")
    def poll_store(self) -> int:
        return self.store.txn

    @work(thread=True, exclusive=True, exit_on_error=False, group="compare-open", name="open-comparison")
    def open_comparison(self, comparison_id: str, then: str = "") -> tuple[Comparison, str]:
        return records.load(self.store, comparison_id), then

    @work(thread=True, exclusive=True, exit_on_error=False, group="compare-write", name="create-comparison")
    def create(self, values: dict[str, str]) -> Comparison:
        new = Comparison.new(" ".join(values["name"].split()), organisation=values["organisation"].strip(),
                             learning_gap=values["learning_gap"].strip(), end_goal=values["end_goal"].strip())
        return records.save(self.store, new, SOURCE)

    @work(thread=True, exclusive=True, exit_on_error=False, group="compare-write", name="delete-comparison")
    def delete(self, comparison: Comparison) -> Comparison:
        records.delete(self.store, comparison, SOURCE)
        return comparison

    @on(Worker.StateChanged)
    def worker_done(self, event: Worker.StateChanged) -> None:
        """Results of this screen's workers arrive here, on the UI thread."""
        worker = event.worker
        if event.state == WorkerState.ERROR:
            error = worker.error
            if isinstance(error, ConflictError) and worker.name == "delete-comparison":
                self.notify(f"Not deleted: {error}. The list is reloaded; look again before deleting.",
                            severity="error", timeout=10, markup=False)
                self.load()
                return
            message = str(error) if isinstance(error, TwintuiError) else f"{worker.name} failed: {error}"
            self.notify(message, severity="error", timeout=10, markup=False)
            if worker.name == "open-comparison":
                self.load()
            return
        if event.state != WorkerState.SUCCESS:
            return
        if worker.name == "load-comparisons":
            self.entries, self.unreadable, self.seen_txn, self.access = worker.result
            self.refresh_rows(self.keep_id)
            self.keep_id = None
        elif worker.name == "poll-comparisons" and worker.result != self.seen_txn and self.seen_txn >= 0:
            self.load()
        elif worker.name == "open-comparison":
            comparison, then = worker.result
            self.show_comparison(comparison, then)
        elif worker.name == "create-comparison":
            comparison = worker.result
            self.notify(f"{comparison.name} created ({comparison.id}); add candidates with c", markup=False)
            self.keep_id = comparison.id
            self.load()
            self.show_comparison(comparison)
        elif worker.name == "delete-comparison":
            self.notify(f"{worker.result.name} deleted", markup=False)
            self.load()

    # -- the list -------------------------------------------------------------
    @property
    def table(self) -> RowTable:
        return self.query_one("#compare-table", RowTable)

    def refresh_rows(self, keep_id: str | None = None) -> None:
        table = self.table
        current = keep_id or (table.current.id if table.current else None)
        text = self.query_one("#compare-filter", Input).value
        rows = [e for e in self.entries if e.matches(text)] if text.strip() else list(self.entries)
        table.set_rows(rows, keep=(lambda row: row.id == current) if current else None)
        total = len(self.entries)
        status = f"[b]{len(rows)}[/b] of {total} comparison{'s' if total != 1 else ''}"
        if not total:
            status = "No comparisons yet: press [b]n[/b] to start one."
        if self.unreadable:
            status += f" · {len(self.unreadable)} cannot be read (twintui check)"
        self.query_one("#compare-status", Static).update(status)
        self.show_preview(table.current)

    def show_preview(self, entry: Entry | None) -> None:
        preview = self.query_one("#compare-preview", Static)
        if entry is None:
            preview.update("")
            return
        c = entry.comparison
        lines = [c.name]
        for label, value in (("Organisation", c.organisation), ("Learning gap", c.learning_gap),
                             ("End goal", c.end_goal)):
            if value:
                lines.append(f"{label}: {value}")
        names = ", ".join(x.name for x in c.candidates) or "none yet"
        lines.append(f"{len(c.factors)} factors · candidates: {names}")
        lines += [entry.leader_line, entry.verdict,
                  f"{c.id} · revision {c.rev} · last changed {when(c.updated_at)} by {c.updated_by}"]
        preview.update("\n".join(lines))

    @on(RowTable.Highlighted, "#compare-table")
    def highlighted(self, event: RowTable.Highlighted) -> None:
        self.show_preview(event.row)

    @on(RowTable.Selected, "#compare-table")
    def selected(self, event: RowTable.Selected) -> None:
        self.open_comparison(event.row.id)

    @on(Input.Changed, "#compare-filter")
    def filter_changed(self) -> None:
        self.refresh_rows()

    @on(Input.Submitted, "#compare-filter")
    def filter_submitted(self) -> None:
        self.table.focus()

    def key_escape(self) -> None:
        if self.focused is self.query_one("#compare-filter", Input):
            self.table.focus()

    # -- actions --------------------------------------------------------------
    def action_focus_filter(self) -> None:
        self.query_one("#compare-filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#compare-filter", Input).value = ""
        self.refresh_rows()

    def refusal(self, comparison: Comparison | None = None) -> str | None:
        """Why this user may not change ``comparison`` (or make a new one); None when they may."""
        if self.access is None:
            return None
        return self.access.refusal(ComparisonRecord.of(comparison or Comparison.new("new")))

    def refused(self, comparison: Comparison | None = None) -> bool:
        """Say why, before any form opens; True when refused."""
        refusal = self.refusal(comparison)
        if refusal:
            self.notify(refusal, title="Not allowed", severity="warning", timeout=8, markup=False)
        return bool(refusal)

    def action_new(self) -> None:
        if self.refused():
            return
        taken = {e.comparison.name for e in self.entries}

        def answered(values: dict[str, str] | None) -> None:
            if values is not None:
                self.create(values)

        self.app.push_screen(AskScreen(
            "New comparison", details_asks(),
            help="Who is choosing a partner, and for what. The ten factors of the guidelines come ready, "
                 "at weight 3; you add the candidates next.",
            check=_details_check(taken)), answered)

    def action_details(self) -> None:
        row = self.table.current
        if row is not None:
            self.open_comparison(row.id, "details")

    def show_comparison(self, comparison: Comparison, then: str = "") -> None:
        others = {e.comparison.name for e in self.entries if e.id != comparison.id}
        refusal = self.refusal(comparison)
        if refusal and then == "details":
            self.refused(comparison)
            return
        self.app.push_screen(ComparisonScreen(comparison, others, then=then, refusal=refusal), self.after_close)

    def after_close(self, comparison_id: str | None) -> None:
        self.keep_id = comparison_id
        self.load()

    def action_delete(self) -> None:
        row = self.table.current
        if row is None or self.refused(row.comparison):
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.delete(row.comparison)

        self.app.push_screen(ConfirmScreen(
            f"Delete the comparison “{row.comparison.name}” ({len(row.comparison.candidates)} candidates)?\n"
            "The deletion is recorded in the audit log.", yes="Delete", no="Keep"), confirmed)


# ---------------------------------------------------------------------------
# One comparison
# ---------------------------------------------------------------------------

VIEWS = (("matrix", "Matrix", "g"), ("side", "Side by side", "s"), ("sens", "Sensitivity", "t"))


def changes(action: Callable[..., None]) -> Callable[..., None]:
    """An action that changes the comparison: refused with the reason (the access file's), before any form."""

    @functools.wraps(action)
    def guarded(self: ComparisonScreen, *args: Any) -> None:
        if self.refusal:
            self.notify(self.refusal, title="Not allowed", severity="warning", timeout=8, markup=False)
            return
        action(self, *args)

    return guarded


class ComparisonScreen(WhenActive, MainScreen):
    """One comparison: the grid, two candidates side by side, the sensitivity panel."""

    MODE = "compare"
    TITLE = "Compare partners"
    HELP = ("One comparison. The grid: arrows move, digits 0–5 score the cell while the grid has the focus, "
            "backspace makes it unknown, w weight, m must-have minimum, e note; a/r/x and shift+up/down for "
            "factors, c/R/X and shift+left/right for candidates. escape leaves the grid (the digits switch "
            "screens again) and enter comes back. s shows two candidates side by side, t the sensitivity panel "
            "(the weight at which first place changes hands), g the grid again, d the details. i suggests "
            "candidates from the register for the learning gap (who has experience of it, with the evidence); "
            "enter adds the highlighted one as a new column. Changes are kept "
            "here until ctrl+s saves them (● unsaved in the title line); escape outside the grid closes the "
            "comparison and asks first when something is unsaved.")
    CSS_PATH = "compare.tcss"
    # Not None (that falls back to the app's "*"): after a modal, a user who had left the grid
    # must not find the digits captured by it again.
    AUTO_FOCUS = ""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="comparison.save", tooltip="Save the comparison (one revision)"),
        Binding("s", "view('side')", "Side by side", id="comparison.side",
                tooltip="Two candidates side by side, factor by factor, with notes and the difference"),
        Binding("t", "view('sens')", "Sensitivity", id="comparison.sensitivity",
                tooltip="The tipping weight of every factor, the robustness verdict and bars of the totals"),
        Binding("g", "view('matrix')", "Grid", id="comparison.grid", tooltip="The grid, with the focus in it"),
        Binding("enter", "focus_grid", "Edit grid", show=False, id="comparison.focus_grid",
                tooltip="Back into the grid (the digits score again)"),
        Binding("d", "details", "Details", id="comparison.details",
                tooltip="Name, organisation, learning gap and end goal of the comparison"),
        Binding("i", "suggest", "Suggest", id="comparison.suggest",
                tooltip="Suggest candidates with experience of the learning gap, from the register"),
        Binding("escape", "back", "Back", id="comparison.back",
                tooltip="From a view: back to the grid; from the grid's surroundings: close (asks if unsaved)"),
    ]

    def __init__(self, comparison: Comparison, others: set[str] | None = None, *, then: str = "",
                 refusal: str | None = None) -> None:
        super().__init__()
        self.comparison = comparison
        self.refusal = refusal  # why this user may not change it (read-only, another's comparison), or None
        # The version last read from or written to the store: what "unsaved" and a merge compare with.
        self.known = records.copy(comparison)
        self.others = others or set()  # other comparisons' names: a name must be free
        self.then = then
        self.view = "matrix"
        self.evaluation: Ranking = evaluate(comparison)
        self._sensitivity: list[Sensitivity] | None = None
        self.partner_choices: list[PartnerChoice] = []
        self.saving = False
        self.save_again = False
        self.close_after_save = False
        # Changes made since the last save, as the title line counts them: each one the user made (three
        # scores of one cell are three), not the items that differ.
        self.edits = 0
        self.edits_saving = 0
        self.newer: ComparisonRecord | None = None  # someone's revision seen in the store meanwhile
        self.gone = False  # deleted in the store by someone
        self.seen_txn = -1

    # -- layout ---------------------------------------------------------------
    def body(self) -> ComposeResult:
        yield Static("", id="cmp-title")
        yield Static("", id="cmp-views")
        with ContentSwitcher(initial="view-matrix", id="cmp-switcher"):
            with Vertical(id="view-matrix"):
                yield MatrixGrid(id="grid")
                yield Static("", id="cell-detail", markup=False)
                yield Static("", id="cmp-verdict", markup=False)
            with Vertical(id="view-side"):
                with Horizontal(id="side-pickers"):
                    yield Static("A ", classes="side-label")
                    yield CandidatePicker(id="pick-a")
                    yield Static("  against  B ", classes="side-label")
                    yield CandidatePicker(id="pick-b")
                with VerticalScroll(id="side-scroll"):
                    yield Static("", id="side-text")
            with VerticalScroll(id="view-sens"):
                yield Static("", id="sens-text")

    def on_mount(self) -> None:
        super().on_mount()
        self.grid.focus()
        self.refresh_all()
        self.load_context()
        self.set_interval(POLL_SECONDS, self.poll_store)
        if self.then == "details":
            self.call_after_refresh(self.action_details)

    @property
    def grid(self) -> MatrixGrid:
        return self.query_one(MatrixGrid)

    @property
    def in_grid(self) -> bool:
        """Whether the keys go to the grid (digits score): the screen's focus, whatever the terminal's."""
        return self.focused is self.grid

    # -- state ----------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return records.content(self.comparison) != records.content(self.known)

    @property
    def has_unsaved_changes(self) -> bool:
        """The app asks before quitting while this is true."""
        return self.is_mounted and self.dirty

    @property
    def sensitivities(self) -> list[Sensitivity]:
        if self._sensitivity is None:
            self._sensitivity = sensitivity(self.comparison)
        return self._sensitivity

    def changed(self) -> None:
        """After every edit: recompute and redraw everything that depends on the matrix."""
        self.evaluation = evaluate(self.comparison)
        self._sensitivity = None
        self.refresh_all()

    def refresh_all(self) -> None:
        self.grid.show(self.comparison, self.evaluation)
        self.show_title()
        self.show_views_bar()
        self.show_verdict()
        if self.view == "side":
            self.show_side()
        elif self.view == "sens":
            self.show_sensitivity()

    def show_title(self) -> None:
        c = self.comparison
        text = Text(no_wrap=True, overflow="ellipsis")
        state = Text()
        if self.saving:
            state.append(" saving… ", style="bold")
        elif self.dirty:
            count = self.edits or len(merge.differences(self.comparison, self.known))
            state.append(f" ● unsaved ({plural(count, 'change')}) · ctrl+s saves ", style="bold reverse")
        elif self.refusal:
            state.append(f" read-only · revision {c.rev} ", style="bold")
        else:
            state.append(f" saved · revision {c.rev} ", style="dim")
        if self.gone:
            state.append(" ⚠ deleted in the store by someone: ctrl+s saves it again ", style="bold")
        elif self.newer is not None:
            state.append(f" ⚠ {self.newer.updated_by} saved revision {self.newer.rev}: ctrl+s shows both ",
                         style="bold")
        width = max(10, self.size.width - state.cell_len - 1)
        name = c.name + (f" · {c.organisation}" if c.organisation else "")
        text.append(clip(name, width), style="bold")
        text.append(" " * max(1, self.size.width - min(len(name), width) - state.cell_len))
        text.append_text(state)
        self.query_one("#cmp-title", Static).update(text)

    def show_views_bar(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        for view, label, key in VIEWS:
            text.append(f" {label} ({key}) ", style="bold reverse" if view == self.view else "")
        if self.view == "matrix":
            where = ("  grid: 0-5 score · esc leaves" if self.in_grid
                     else "  digits: screens · enter: grid")
            text.append(where, style="dim")
        self.query_one("#cmp-views", Static).update(text)

    def show_detail(self) -> None:
        grid, c = self.grid, self.comparison
        detail = self.query_one("#cell-detail", Static)
        factor, candidate = grid.factor, grid.candidate
        if factor is None:
            detail.update("Press a to add a factor.")
            return
        f = c.factor(factor)
        about = f"{f.name} (weight {format_weight(f.weight)}"
        about += f", must-have ≥{f.must_have_min})" if f.must_have_min is not None else ")"
        if candidate is None:
            detail.update(about + " · no candidates yet: press c to add one")
            return
        cell = c.cell(factor, candidate)
        ref = c.candidate(candidate).partner_ref
        who = candidate + (f" ({ref})" if ref else "")
        score = "unknown" if cell.score is None else str(cell.score)
        text = f"{who} on {about}: {score}"
        excluded = self.evaluation.result(candidate).excluded
        if excluded:
            text += f" · ✗ excluded: {excluded}"
        text += f" — {cell.note}" if cell.note else " · e adds a note"
        detail.update(text)

    def show_verdict(self) -> None:
        self.query_one("#cmp-verdict", Static).update(
            wording.short_verdict(self.comparison, self.evaluation, self.sensitivities))

    def show_side(self) -> None:
        a, b = self.query_one("#pick-a", CandidatePicker), self.query_one("#pick-b", CandidatePicker)
        target = self.query_one("#side-text", Static)
        if len(self.comparison.candidates) < 2:
            target.update("Side by side needs two candidates: press g, then c to add candidates.")
            return
        target.update(side_by_side(self.comparison, self.evaluation, a.value or "", b.value or "",
                                   self.text_width()))

    def show_sensitivity(self) -> None:
        self.query_one("#sens-text", Static).update(
            sensitivity_panel(self.comparison, self.evaluation, self.sensitivities, self.text_width()))

    def text_width(self) -> int:
        """The width the side-by-side and sensitivity texts get: the screen's, less padding and scrollbar."""
        return max(40, (self.size.width or self.app.size.width) - 4)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.refresh_all)

    @on(MatrixGrid.CursorMoved)
    def cursor_moved(self) -> None:
        self.show_detail()

    def watch_focused(self) -> None:
        # Where the keys go (the grid: digits score) is said in the views bar and the grid's cursor style.
        if self.is_mounted:
            self.show_views_bar()
            self.grid.refresh()

    # -- views ----------------------------------------------------------------
    def action_view(self, view: str) -> None:
        self.view = view
        self.query_one(ContentSwitcher).current = f"view-{view}"
        if view == "matrix":
            self.grid.focus()
        elif view == "side":
            self.choose_pair()
            self.show_side()
            self.query_one("#pick-a", CandidatePicker).focus()
        else:
            self.show_sensitivity()
            self.query_one("#view-sens").focus()
        self.show_views_bar()

    def choose_pair(self, a: str | None = None, b: str | None = None) -> None:
        """Side by side: the cursor's candidate against the best-ranked other one, unless chosen."""
        names = [c.name for c in self.comparison.candidates]
        a = a or self.grid.candidate or (names[0] if names else None)
        if b is None or b == a:
            ranked = [r.name for r in self.evaluation.ranked() if r.name != a]
            b = ranked[0] if ranked else None
        self.query_one("#pick-a", CandidatePicker).set_names(names, a)
        self.query_one("#pick-b", CandidatePicker).set_names(names, b)

    @on(CandidatePicker.Changed)
    def picker_changed(self) -> None:
        self.show_side()

    def action_focus_grid(self) -> None:
        self.action_view("matrix")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_grid":
            return self.view == "matrix" and not self.in_grid
        return True

    def action_leave_grid(self) -> None:
        # The views bar now says "digits: screens · enter: grid": no toast needed.
        self.set_focus(None)
        self.show_views_bar()
        self.grid.refresh()

    def action_back(self) -> None:
        if self.view != "matrix":
            self.action_view("matrix")
        elif self.in_grid:
            self.action_leave_grid()
        else:
            self.close()

    def close(self) -> None:
        if not self.dirty:
            self.dismiss(self.comparison.id or None)
            return

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.close_after_save = True
                self.action_save()
            elif choice == "discard":
                self.dismiss(self.known.id or None)

        self.app.push_screen(ChoiceScreen(
            f"“{self.comparison.name}” has unsaved changes. Save them before closing?",
            [("s", "Save", "save"), ("d", "Discard", "discard"), ("k", "Keep editing", "keep")]), answered)

    # -- editing --------------------------------------------------------------
    def edit(self, change: Callable[[], None], *, factor: str | None = None,
             candidate: str | None = None) -> bool:
        """Apply one change to the working copy; a refused change says why and changes nothing."""
        try:
            change()
        except ValueError as error:
            self.notify(str(error), severity="error", markup=False)
            return False
        self.edits += 1
        self.changed()
        if factor is not None or candidate is not None:
            self.grid.move_to(factor, candidate)
        return True

    def _cell(self) -> tuple[str, str] | None:
        factor, candidate = self.grid.factor, self.grid.candidate
        if factor is None:
            self.notify("There are no factors: press a to add one.", severity="warning")
            return None
        if candidate is None:
            self.notify("There are no candidates: press c to add one.", severity="warning")
            return None
        return factor, candidate

    @changes
    def action_score(self, score: int | None) -> None:
        cell = self._cell()
        if cell is not None:
            self.edit(lambda: self.comparison.set_score(*cell, score))

    def action_score_out_of_range(self) -> None:
        self.notify("Scores go from 0 to 5 (backspace: unknown). escape leaves the grid if you meant to "
                    "switch screens.", severity="warning")

    def _factor(self) -> str | None:
        factor = self.grid.factor
        if factor is None:
            self.notify("There are no factors: press a to add one.", severity="warning")
        return factor

    @changes
    def action_weight(self) -> None:
        factor = self._factor()
        if factor is None:
            return

        def answered(values: dict[str, str] | None) -> None:
            if values is not None:
                self.edit(lambda: self.comparison.set_weight(factor, parse_weight(values["weight"])))

        self.app.push_screen(AskScreen(
            f"Weight of {factor}", [Ask("weight", "Weight (0 to 5; 0: not counted)",
                                        format_weight(self.comparison.factor(factor).weight))],
            help="How much this factor counts in the total, from 0 (not at all) to 5.",
            check=_problem(parse_weight, "weight")), answered)

    @changes
    def action_must_have(self) -> None:
        factor = self._factor()
        if factor is None:
            return
        current = self.comparison.factor(factor).must_have_min

        def answered(values: dict[str, str] | None) -> None:
            if values is not None:
                self.edit(lambda: self.comparison.set_must_have(factor, parse_minimum(values["minimum"])))

        self.app.push_screen(AskScreen(
            f"Must-have minimum of {factor}",
            [Ask("minimum", "Minimum score (0 to 5; empty: not a must-have)", "" if current is None else str(current))],
            help="A candidate scored below this minimum is excluded from the ranking, with the reason. "
                 "An unknown score does not exclude but is flagged.",
            check=_problem(parse_minimum, "minimum")), answered)

    @changes
    def action_note(self) -> None:
        cell = self._cell()
        if cell is None:
            return
        factor, candidate = cell

        def answered(values: dict[str, str] | None) -> None:
            if values is not None:
                self.edit(lambda: self.comparison.set_note(factor, candidate, values["note"].strip()))

        self.app.push_screen(AskScreen(
            f"Note: {candidate} on {factor}",
            [Ask("note", "Note (empty removes it)", self.comparison.cell(factor, candidate).note,
                 "where the score comes from, what to check")]), answered)

    def _name_check(self, taken: list[str], what: str) -> Callable[[dict[str, str]], str | None]:
        def check(values: dict[str, str]) -> str | None:
            problem = name_problem(values["name"], taken, what)
            if problem:
                return problem
            if "weight" in values:
                try:
                    parse_weight(values["weight"])
                except ValueError as error:
                    return str(error)
            return None

        return check

    @changes
    def action_add_factor(self) -> None:
        c = self.comparison
        index = self.grid.row + 1 if c.factors else 0

        def answered(values: dict[str, str] | None) -> None:
            if values is not None:
                name = " ".join(values["name"].split())
                self.edit(lambda: c.add_factor(name, parse_weight(values["weight"]), index=index), factor=name)

        self.app.push_screen(AskScreen(
            "Add a factor", [Ask("name", "Factor", "", "e.g. Costs and timeframe"),
                             Ask("weight", "Weight (0 to 5)", "3")],
            help="It is added below the current factor; every candidate starts unknown on it.",
            check=self._name_check([f.name for f in c.factors], "factor")), answered)

    @changes
    def action_rename_factor(self) -> None:
        factor = self._factor()
        if factor is None:
            return

        def answered(values: dict[str, str] | None) -> None:
            if values is not None:
                name = " ".join(values["name"].split())
                self.edit(lambda: self.comparison.rename_factor(factor, name), factor=name)

        others = [f.name for f in self.comparison.factors if f.name != factor]
        self.app.push_screen(AskScreen(f"Rename the factor {factor}", [Ask("name", "Factor", factor)],
                                       check=self._name_check(others, "factor")), answered)

    @changes
    def action_remove_factor(self) -> None:
        factor = self._factor()
        if factor is None:
            return
        scored = sum(1 for (f, _), cell in self.comparison.cells.items() if f == factor and cell.score is not None)

        def answered(yes: bool | None) -> None:
            if yes:
                self.edit(lambda: self.comparison.remove_factor(factor))

        self.app.push_screen(ConfirmScreen(
            f"Remove the factor “{factor}” with its {plural(scored, 'score')} and notes? (Nothing is saved before "
            "ctrl+s.)",
            yes="Remove", no="Keep"), answered)

    @changes
    def action_move_factor(self, step: int) -> None:
        factor = self._factor()
        if factor is None:
            return
        index = self.comparison.factor_index(factor) + step
        if 0 <= index < len(self.comparison.factors):
            self.edit(lambda: self.comparison.move_factor(factor, index), factor=factor)

    @changes
    def action_add_candidate(self) -> None:
        c = self.comparison

        def answered(result: tuple[str, str | None] | None) -> None:
            if result is not None:
                name, ref = result
                self.edit(lambda: c.add_candidate(name, ref), candidate=name)

        self.app.push_screen(CandidateScreen(self.partner_choices, [x.name for x in c.candidates]), answered)

    def _candidate(self) -> str | None:
        candidate = self.grid.candidate
        if candidate is None:
            self.notify("There are no candidates: press c to add one.", severity="warning")
        return candidate

    @changes
    def action_rename_candidate(self) -> None:
        candidate = self._candidate()
        if candidate is None:
            return

        def answered(values: dict[str, str] | None) -> None:
            if values is not None:
                name = " ".join(values["name"].split())
                self.edit(lambda: self.comparison.rename_candidate(candidate, name), candidate=name)

        others = [x.name for x in self.comparison.candidates if x.name != candidate]
        self.app.push_screen(AskScreen(f"Rename the candidate {candidate}", [Ask("name", "Candidate", candidate)],
                                       check=self._name_check(others, "candidate")), answered)

    @changes
    def action_remove_candidate(self) -> None:
        candidate = self._candidate()
        if candidate is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.edit(lambda: self.comparison.remove_candidate(candidate))

        self.app.push_screen(ConfirmScreen(
            f"Remove the candidate “{candidate}” with its scores and notes? (Nothing is saved before ctrl+s.)",
            yes="Remove", no="Keep"), answered)

    @changes
    def action_move_candidate(self, step: int) -> None:
        candidate = self._candidate()
        if candidate is None:
            return
        names = [x.name for x in self.comparison.candidates]
        index = names.index(candidate) + step
        if 0 <= index < len(names):
            self.edit(lambda: self.comparison.move_candidate(candidate, index), candidate=candidate)

    @changes
    def action_details(self) -> None:
        c = self.comparison

        def answered(values: dict[str, str] | None) -> None:
            if values is None:
                return

            def change() -> None:
                c.name = " ".join(values["name"].split())
                c.organisation = values["organisation"].strip()
                c.learning_gap = values["learning_gap"].strip()
                c.end_goal = values["end_goal"].strip()

            self.edit(change)

        self.app.push_screen(AskScreen("Details of the comparison", details_asks(c),
                                       help="Kept with your other changes until ctrl+s saves the comparison.",
                                       check=_details_check(self.others)), answered)

    @changes
    def action_suggest(self) -> None:
        c = self.comparison
        if not c.learning_gap.strip():
            self.notify("The comparison has no learning gap yet: press d and say which area or activity it is "
                        "about (e.g. selection missions).", severity="warning", markup=False)
            return
        exclude = [c.organisation, *(x.name for x in c.candidates),
                   *(x.partner_ref for x in c.candidates if x.partner_ref)]
        self.suggest_worker(c.learning_gap, exclude)

    @work(thread=True, exclusive=True, exit_on_error=False, group="comparison-suggest", name="suggest-candidates")
    def suggest_worker(self, gap: str, exclude: list[str]) -> tuple[list[experts.Topic], list[experts.Suggestion]]:
        """The inventory's candidates for the gap, and the topics the gap names (for the heading)."""
        found = experts.suggest_candidates(self.store, gap, exclude=exclude,
                                           today=self.app.today)  # type: ignore[attr-defined]
        return experts.topics_named(gap), found

    def suggested(self, named: list[experts.Topic], found: list[experts.Suggestion]) -> None:
        topics = "; ".join(t.name for t in named)
        if not topics:
            self.notify("The learning gap names no resettlement area or activity type of the register (e.g. "
                        "selection missions, dossier processing): press d to say which.", severity="warning",
                        timeout=8, markup=False)
            return
        if not found:
            self.notify(f"No one else in the register has experience of {topics} yet.", markup=False)
            return

        def chosen(suggestion: experts.Suggestion | None) -> None:
            if suggestion is None:
                return
            name = suggestion.name
            taken = name_problem(name, [x.name for x in self.comparison.candidates], "candidate")
            if taken:
                self.notify(taken, severity="warning", markup=False)
                return
            if self.edit(lambda: self.comparison.add_candidate(name, suggestion.partner_ref), candidate=name):
                self.notify(f"{name} added (evidence: {', '.join(suggestion.evidence)}); score it in the grid.",
                            markup=False)

        self.app.push_screen(SuggestScreen(found, named), chosen)

    # -- store: workers -------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="comparison-context", name="load-context")
    def load_context(self) -> tuple[list[PartnerChoice], set[str], int]:
        """The register's partners (for the candidate picker) and the other comparisons' names."""
        names = {c.name for c in records.load_all(self.store) if c.id != self.comparison.id}
        return partner_choices(self.store), names, self.store.txn

    @work(thread=True, exclusive=True, exit_on_error=False, group="comparison-poll", name="poll-comparison")
    def poll_store(self) -> tuple[int, ComparisonRecord | None] | None:
        txn = self.store.txn
        if txn == self.seen_txn or not self.known.id:
            return None
        return txn, self.store.get(ComparisonRecord, self.known.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="comparison-save", name="save-comparison")
    def save_worker(self, snapshot: Comparison) -> Comparison:
        return records.save(self.store, snapshot, SOURCE)

    @changes
    def action_save(self) -> None:
        if self.saving:
            self.save_again = True
            return
        if not self.dirty and self.comparison.id and not self.gone:
            self.notify("Nothing to save: the store has this version.", timeout=3)
            if self.close_after_save:
                self.close_after_save = False
                self.dismiss(self.comparison.id)
            return
        self.saving = True
        self.edits_saving = self.edits
        self.show_title()
        self.save_worker(records.copy(self.comparison))

    @on(Worker.StateChanged)
    def worker_done(self, event: Worker.StateChanged) -> None:
        """Results of this screen's workers arrive here, on the UI thread."""
        worker = event.worker
        event.stop()
        if worker.name == "save-comparison" and event.state in (WorkerState.ERROR, WorkerState.SUCCESS,
                                                                 WorkerState.CANCELLED):
            self.saving = False
        if event.state == WorkerState.ERROR:
            error = worker.error
            if worker.name == "save-comparison":
                self._when_active(lambda: self.save_failed(error))
            elif worker.name != "poll-comparison":
                message = str(error) if isinstance(error, TwintuiError) else f"{worker.name} failed: {error}"
                self.notify(message, severity="error", timeout=10, markup=False)
            return
        if event.state != WorkerState.SUCCESS:
            if event.state == WorkerState.CANCELLED:
                self.show_title()
            return
        if worker.name == "load-context":
            self.partner_choices, names, self.seen_txn = worker.result
            self.others |= names
        elif worker.name == "save-comparison":
            self.saved(worker.result)
        elif worker.name == "suggest-candidates":
            topics, found = worker.result
            self._when_active(lambda: self.suggested(topics, found))
        elif worker.name == "poll-comparison" and worker.result is not None:
            txn, record = worker.result
            self.seen_txn = txn
            self.store_changed(record)


    def on_screen_resume(self, event: events.ScreenResume) -> None:
        self.show_views_bar()  # (WhenActive's handler runs the waiting steps)

    def saved(self, stored: Comparison) -> None:
        c = self.comparison
        # Edits made while the save ran stay in the working copy, still unsaved.
        c.id, c.rev = stored.id, stored.rev
        c.created_at, c.created_by, c.updated_at, c.updated_by = (stored.created_at, stored.created_by,
                                                                  stored.updated_at, stored.updated_by)
        self.known = stored
        self.edits = max(0, self.edits - self.edits_saving)
        self.newer = None
        self.gone = False
        self.notify(f"Saved {stored.name} (revision {stored.rev})", markup=False, timeout=3)
        self.refresh_all()
        if self.save_again and self.dirty:
            self.save_again = False
            self.action_save()
            return
        self.save_again = False
        if self.close_after_save:
            self.close_after_save = False
            self._when_active(lambda: self.dismiss(stored.id))

    def save_failed(self, error: BaseException | None) -> None:
        self.close_after_save = False
        self.save_again = False
        self.show_title()
        if isinstance(error, ConflictError):
            self.resolve(error)
        elif isinstance(error, TwintuiError):
            hint = " Press d to change the name." if isinstance(error, ValidationError) and any(
                p.field == "name" for p in error.problems) else ""
            self.notify(error.message + hint, severity="error", title="Not saved", timeout=12, markup=False)
        else:
            self.log.error(f"save failed: {error!r}")
            self.notify(f"Could not save: {error}. Your changes are still here; ctrl+s tries again.",
                        severity="error", title="Not saved", timeout=15, markup=False)

    def resolve(self, error: ConflictError) -> None:
        theirs = records.of_conflict(error.theirs)
        if theirs is None:
            def answered(as_new: bool | None) -> None:
                if as_new:
                    self.comparison.id, self.comparison.rev = "", 0
                    self.known = Comparison(self.comparison.name)
                    self.gone = False
                    self.action_save()
                else:
                    self.gone = True
                    self.show_title()
                    self.notify("Not saved: your version is still here.", markup=False)

            self.app.push_screen(ConfirmScreen(
                f"Someone deleted “{self.comparison.name}” after you opened it. Save your version as a new "
                "comparison? (No keeps it here, unsaved.)", yes="Save as new", no="Cancel"), answered)
            return

        def merged_chosen(merged: Comparison | None) -> None:
            if merged is None:
                self.newer = ComparisonRecord.of(theirs)
                self.show_title()
                self.notify("Not saved: your version is still here; ctrl+s shows both versions again.",
                            markup=False)
                return
            # Their revision is what the store holds now: the merge is a change on top of it.
            self.known = theirs
            self.comparison = merged
            self.newer = None
            self.changed()
            self.action_save()

        self.app.push_screen(ComparisonConflictScreen(self.known, self.comparison, theirs), merged_chosen)

    def store_changed(self, record: ComparisonRecord | None) -> None:
        """Someone else wrote to the store: take their version if nothing here is unsaved, else say so."""
        if self.saving:
            return
        if record is None:
            if self.known.id and not self.gone:
                self.gone = True
                self.show_title()
            return
        if record.rev <= self.known.rev:
            return
        theirs = record.comparison()
        if self.dirty:
            self.newer = record
            self.show_title()
            return
        factor, candidate = self.grid.factor, self.grid.candidate
        self.comparison = theirs
        self.known = records.copy(theirs)
        self.edits = 0
        self.changed()
        self.grid.move_to(factor, candidate)
        self.notify(f"{record.updated_by} saved revision {record.rev}: it is shown now.", markup=False)


# ---------------------------------------------------------------------------
# A conflicting save: both versions, item by item
# ---------------------------------------------------------------------------


class ConflictItems(DataTable[Text]):
    """One row per item that differs; left/right (or m/t) choose which version to keep."""

    HELP: ClassVar[str] = ("One row per item that differs: a score, a note, a weight, a must-have minimum, the "
                           "list of factors or candidates, the details. m or left keeps yours, t or right takes "
                           "theirs, space switches. The full values of the row are shown below.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m,left", "screen.choose('mine')", "Mine", id="cmp-conflict.mine", tooltip="Keep your value"),
        Binding("t,right", "screen.choose('theirs')", "Theirs", id="cmp-conflict.theirs",
                tooltip="Take their value"),
        Binding("space", "screen.switch", "Switch", show=False, id="cmp-conflict.switch",
                tooltip="Switch this item between yours and theirs"),
    ]


class ComparisonConflictScreen(ModalScreen[Comparison | None]):
    """Your version and theirs side by side; choose per item, then save the merge (their revision)."""

    CSS_PATH = "compare.tcss"
    HELP: ClassVar[str] = ("Someone else saved this comparison after you opened it. Only the items that differ "
                           "are listed, with both values. Choose per item, then ctrl+s saves the merge; escape "
                           "goes back to your version, unsaved.")
    AUTO_FOCUS = "ConflictItems"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "all('mine')", "Keep all mine", id="cmp-conflict.all_mine", tooltip="Your value everywhere"),
        Binding("a", "all('theirs')", "Take all theirs", id="cmp-conflict.all_theirs",
                tooltip="Their value everywhere"),
        Binding("ctrl+s", "save_merged", "Save merged", id="cmp-conflict.save",
                tooltip="Save their revision with the items you chose from yours"),
        Binding("escape", "cancel", "Cancel", id="cmp-conflict.cancel", tooltip="Back to your version, unsaved"),
    ]

    def __init__(self, base: Comparison | None, mine: Comparison, theirs: Comparison) -> None:
        super().__init__()
        self.base, self.mine, self.theirs = base, mine, theirs
        self.keys: list[ItemKey] = merge.differences(mine, theirs)
        self.choices, self.both = merge.default_choices(base, mine, theirs, self.keys)
        self._mine_items = merge.items(mine)
        self._their_items = merge.items(theirs)

    def compose(self) -> ComposeResult:
        with Vertical(id="cmp-conflict-body"):
            yield Static(self.intro(), id="cmp-conflict-intro", markup=False)
            yield ConflictItems(id="cmp-conflict-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="cmp-conflict-detail", markup=False)
            with Horizontal(id="cmp-conflict-buttons"):
                yield Button("Save merged", id="cmp-conflict-save", variant="primary")
                yield Button("Cancel", id="cmp-conflict-cancel")
        yield Footer()

    def intro(self) -> str:
        who = self.theirs.updated_by or "someone"
        at = when(self.theirs.updated_at) if self.theirs.updated_at else "an unknown time"
        text = (f"{who} saved “{clip(self.theirs.name, 40)}” at {at} (revision {self.theirs.rev}) after you opened "
                "it. ")
        if not self.keys:
            return text + "Their version is the same as yours: saving keeps it."
        n = len(self.keys)
        text += f"{n} item{'s differ' if n != 1 else ' differs'}; choose which value to keep (● kept)."
        if self.both:
            text += " ! = changed by both of you."
        return text

    def on_mount(self) -> None:
        self.fill()

    def on_resize(self, event: events.Resize) -> None:
        self.fill()

    @property
    def table(self) -> ConflictItems:
        return self.query_one(ConflictItems)

    def _width(self) -> int:
        return max(8, (min(self.app.size.width, 120) - 8 - 4 - 2 - 24 - 7) // 2)

    def _value(self, items: dict[ItemKey, Any], key: ItemKey) -> str:
        return merge.item_text(key, items.get(key), key in items)

    def fill(self) -> None:
        table = self.table
        row = table.cursor_row
        width = self._width()
        table.clear(columns=True)
        table.add_column("Item", width=24, key="item")
        table.add_column("Yours", width=width, key="mine")
        table.add_column(f"Theirs ({clip(self.theirs.updated_by, width - 9)})", width=width, key="theirs")
        table.add_column("Keep", width=7, key="keep")
        for key in self.keys:
            table.add_row(*self.cells(key, width), key="|".join(key))
        if self.keys:
            table.move_cursor(row=min(row, len(self.keys) - 1))
        self.show_detail()

    def cells(self, key: ItemKey, width: int) -> tuple[Text, Text, Text, Text]:
        chosen = self.choices[key]
        mine_mark, their_mark = ("● ", "○ ") if chosen == "mine" else ("○ ", "● ")
        label = ("! " if key in self.both else "") + merge.item_label(key)
        return (Text(clip(label, 24)),
                Text(clip(mine_mark + self._value(self._mine_items, key), width),
                     style="bold" if chosen == "mine" else "dim"),
                Text(clip(their_mark + self._value(self._their_items, key), width),
                     style="bold" if chosen == "theirs" else "dim"),
                Text("yours" if chosen == "mine" else "theirs", style="bold"))

    def current(self) -> ItemKey | None:
        if not self.keys:
            return None
        return self.keys[min(self.table.cursor_row, len(self.keys) - 1)]

    def show_detail(self) -> None:
        key = self.current()
        detail = self.query_one("#cmp-conflict-detail", Static)
        if key is None:
            detail.update("")
            return
        keep = "yours" if self.choices[key] == "mine" else "theirs"
        detail.update("\n".join([
            f"{merge.item_label(key)}: keeping {keep}" + (" (changed by both)" if key in self.both else ""),
            f"Yours: {self._value(self._mine_items, key)}",
            f"Theirs: {self._value(self._their_items, key)}",
        ]))

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.show_detail()

    def _refresh_row(self, key: ItemKey) -> None:
        width = self._width()
        for column, cell in zip(("item", "mine", "theirs", "keep"), self.cells(key, width), strict=True):
            self.table.update_cell("|".join(key), column, cell)
        self.show_detail()

    def action_choose(self, which: str) -> None:
        key = self.current()
        if key is not None:
            self.choices[key] = which
            self._refresh_row(key)

    def action_switch(self) -> None:
        key = self.current()
        if key is not None:
            self.action_choose("theirs" if self.choices[key] == "mine" else "mine")

    def action_all(self, which: str) -> None:
        for key in self.keys:
            self.choices[key] = which
            self._refresh_row(key)

    def merged(self) -> Comparison:
        return merge.merge(self.mine, self.theirs, [k for k, v in self.choices.items() if v == "mine"])

    def action_save_merged(self) -> None:
        self.dismiss(self.merged())

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cmp-conflict-save":
            self.action_save_merged()
        else:
            self.action_cancel()


__all__ = ["CompareScreen", "ComparisonConflictScreen", "ComparisonScreen", "parse_minimum", "parse_weight"]
