"""One comparison opened: the grid, two candidates side by side, the sensitivity panel.

``ComparisonScreen`` shows the grid (factors down, candidates across, totals,
coverage and rank below, updated on every key), two candidates side by side
(``s``) and the sensitivity panel (``t``). Edits change a working copy
(``edits.py``); ``ctrl+s`` saves it in a task (``saving.py``), and the title
line says "● unsaved" until then (like every form of twintui, and each save is
one revision in the audit log, not one per keystroke). A save that meets
someone else's newer revision shows both versions item by item (``merge.py``)
and never overwrites silently.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, Static

from ...core.compare import Comparison, Ranking, Sensitivity, evaluate, merge, records, sensitivity, wording
from ...core.compare.candidates import PartnerChoice
from ...core.compare.records import ComparisonRecord
from ...core.compare.wording import format_weight
from ...core.text import clip, plural
from ..common.base import MainScreen, WhenActive
from ..store_watch import StoreChanged
from .edits import ComparisonEdits
from .forms import ChoiceScreen
from .cells import SCORE_KEYS
from .grid import MatrixGrid
from .saving import ComparisonSaving
from .suggest import CandidateSuggestions
from .views import CandidatePicker, sensitivity_panel, side_by_side

VIEWS = (("matrix", "Matrix", "g"), ("side", "Side by side", "s"), ("sens", "Sensitivity", "t"))


class ComparisonScreen(WhenActive, ComparisonEdits, CandidateSuggestions, ComparisonSaving, MainScreen):
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
            where = (f"  grid: {SCORE_KEYS} score · esc leaves" if self.in_grid
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

    @on(StoreChanged)
    def follow_store(self, event: StoreChanged) -> None:
        """Another official's change (the app's store watcher): read this comparison again."""
        if event.txn != self.seen_txn and self.known.id:
            self.reread(event.txn)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        self.show_views_bar()  # (WhenActive's handler runs the waiting steps)
