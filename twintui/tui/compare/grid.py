"""The partner-factor grid: factors down, candidates across, scores in the cells, totals below.

Drawn line by line (Textual's line API) with its own scrolling, so the factor
column and the weights stay put while the candidates scroll sideways, and the
header and the total, coverage and rank rows stay put while the factors scroll.
At 80×24 ten factors and six candidates fit; more scroll, nothing is cut.

Everything a colour says is also said by a symbol, so the grid reads in 16
colours and with NO_COLOR: ``?`` not known yet, ``*`` has a note, ``!`` below
the factor's must-have minimum, ``★`` first place, ``✗`` excluded, ``≥n`` a
must-have minimum.

The grid only shows and moves; its editing keys call the screen's actions
(``screen.score(3)``, ``screen.weight``...), which change the comparison and
hand it back with ``show``. While it has the focus the digits are scores, not
screen switches; ``escape`` gives them back.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from ...core.compare import Cell, Comparison, Ranking
from ...core.compare.checks import MAX_SCORE, MIN_SCORE, SCORE_RANGE
from ...core.compare.wording import format_weight
from .cells import (
    BELOW, CELL_WIDTH, EXCLUDED, FOOTER_LINES, GOOD_LABEL, LEADER, LOW_COVERAGE, MAX_CELL_WIDTH, MAX_LABEL, MIN_LABEL,
    NOTE, SCORE_KEYS, UNKNOWN, WEIGHT_WIDTH, fit, header_cell,
)

def _line(segments: list[Segment], width: int, style: Style) -> Strip:
    """A line of exactly ``width`` cells: every cell is drawn, none keeps what an earlier screen left there."""
    return Strip(segments).crop_extend(0, width, style)


class MatrixGrid(Widget, can_focus=True):
    """Scores of every candidate on every factor. Arrows move; 0–5 score; backspace: unknown."""

    HELP: ClassVar[str] = (
        "The comparison grid: factors down (with their weight, and ≥n for a must-have minimum), candidates "
        "across, scores 0–5 in the cells. Arrows move. While the grid has the focus the digits 0–5 set the "
        "score of the cell (they do not switch screens); backspace makes it unknown again (unknown is left "
        "out of the total, not counted as zero). w weight, m must-have minimum, e note of the cell. "
        "a/r/x add, rename, remove a factor; shift+up/down (or K/J) move it. c/R/X add, rename, remove a "
        "candidate; shift+left/right (or H/L) move it. Below the factors: the weighted total (0–100), the "
        "coverage (share of the weight that is scored) and the rank; ★ marks first place, ✗ an excluded "
        "candidate, ? an unknown score, * a note, ! a score below the must-have minimum. escape leaves the "
        "grid so that the digits switch screens again; ctrl+s saves."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1, 0)", "Up", show=False, id="grid.up", tooltip="Previous factor"),
        Binding("down", "move(1, 0)", "Down", show=False, id="grid.down", tooltip="Next factor"),
        Binding("left", "move(0, -1)", "Left", show=False, id="grid.left", tooltip="Previous candidate"),
        Binding("right", "move(0, 1)", "Right", show=False, id="grid.right", tooltip="Next candidate"),
        Binding("home", "jump('first')", "First", show=False, id="grid.first", tooltip="First factor"),
        Binding("end", "jump('last')", "Last", show=False, id="grid.last", tooltip="Last factor"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="grid.pageup", tooltip="One screen of factors up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="grid.pagedown",
                tooltip="One screen of factors down"),
        # The digits of the core's score range score; the digits above it say what the range is.
        Binding(str(MIN_SCORE), f"screen.score({MIN_SCORE})", "Score", key_display=SCORE_KEYS,
                id=f"grid.score.{MIN_SCORE}",
                tooltip=f"Digits {SCORE_KEYS} set the score of the cell (while the grid has the focus)"),
        *(Binding(str(n), f"screen.score({n})", f"Score {n}", show=False, id=f"grid.score.{n}",
                  tooltip=f"Score the cell {n}") for n in range(MIN_SCORE + 1, MAX_SCORE + 1)),
        Binding(",".join(str(n) for n in range(MAX_SCORE + 1, 10)), "screen.score_out_of_range",
                f"Scores are {SCORE_KEYS}", show=False, id="grid.score.bad", tooltip=f"Scores go from {SCORE_RANGE}"),
        Binding("backspace", "screen.score(None)", "Unknown", key_display="⌫", id="grid.unknown",
                tooltip="Make the score unknown again (left out of the total, not zero)"),
        Binding("w", "screen.weight", "Weight", id="grid.weight", tooltip="Set the weight (0-5) of the factor"),
        Binding("m", "screen.must_have", "Must-have", id="grid.must_have",
                tooltip="Set or clear the factor's must-have minimum score"),
        Binding("e", "screen.note", "Note", id="grid.note", tooltip="Write the note of the cell"),
        Binding("a", "screen.add_factor", "Add factor", show=False, id="grid.factor.add",
                tooltip="Add a factor below the current one"),
        Binding("r", "screen.rename_factor", "Rename factor", show=False, id="grid.factor.rename",
                tooltip="Rename the current factor"),
        Binding("x", "screen.remove_factor", "Remove factor", show=False, id="grid.factor.remove",
                tooltip="Remove the current factor and its scores (asks first)"),
        Binding("shift+up,K", "screen.move_factor(-1)", "Factor up", show=False, id="grid.factor.up",
                tooltip="Move the current factor one row up"),
        Binding("shift+down,J", "screen.move_factor(1)", "Factor down", show=False, id="grid.factor.down",
                tooltip="Move the current factor one row down"),
        Binding("c", "screen.add_candidate", "Add candidate", show=False, id="grid.candidate.add",
                tooltip="Add a candidate: a partner from the register or a new name"),
        Binding("R", "screen.rename_candidate", "Rename candidate", show=False, id="grid.candidate.rename",
                tooltip="Rename the current candidate"),
        Binding("X", "screen.remove_candidate", "Remove candidate", show=False, id="grid.candidate.remove",
                tooltip="Remove the current candidate and its scores (asks first)"),
        Binding("shift+left,H", "screen.move_candidate(-1)", "Candidate left", show=False,
                id="grid.candidate.left", tooltip="Move the current candidate one column left"),
        Binding("shift+right,L", "screen.move_candidate(1)", "Candidate right", show=False,
                id="grid.candidate.right", tooltip="Move the current candidate one column right"),
        Binding("escape", "screen.leave_grid", "Leave grid", show=False, id="grid.leave",
                tooltip="Leave the grid: the digits switch screens again (enter comes back)"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "matrix-grid--header", "matrix-grid--cursor", "matrix-grid--line",
        "matrix-grid--unknown", "matrix-grid--low", "matrix-grid--mid", "matrix-grid--high", "matrix-grid--below",
        "matrix-grid--leader", "matrix-grid--excluded", "matrix-grid--footer", "matrix-grid--muted",
        "matrix-grid--warn", "matrix-grid--hint",
    }

    DEFAULT_CSS = """
    MatrixGrid { height: 1fr; }
    MatrixGrid > .matrix-grid--header { text-style: bold; background: $panel; }
    MatrixGrid > .matrix-grid--cursor { background: $secondary 40%; text-style: underline; }
    MatrixGrid:focus > .matrix-grid--cursor { background: $accent; color: $text; text-style: bold underline; }
    MatrixGrid > .matrix-grid--line { background: $boost; }
    MatrixGrid > .matrix-grid--unknown { color: $text-muted; }
    MatrixGrid > .matrix-grid--low { color: $error; }
    MatrixGrid > .matrix-grid--mid { color: $warning; }
    MatrixGrid > .matrix-grid--high { color: $success; }
    MatrixGrid > .matrix-grid--below { color: $error; text-style: bold reverse; }
    MatrixGrid > .matrix-grid--leader { text-style: bold; color: $success; }
    MatrixGrid > .matrix-grid--excluded { color: $text-muted; text-style: strike; }
    MatrixGrid > .matrix-grid--footer { text-style: bold; }
    MatrixGrid > .matrix-grid--muted { color: $text-muted; }
    MatrixGrid > .matrix-grid--warn { color: $warning; text-style: bold; }
    MatrixGrid > .matrix-grid--hint { color: $text-muted; text-style: italic; }
    """

    class CursorMoved(Message):
        """The cursor is on another cell (or the comparison under it changed)."""

        def __init__(self, grid: MatrixGrid) -> None:
            super().__init__()
            self.grid = grid

        @property
        def control(self) -> MatrixGrid:
            return self.grid

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.comparison = Comparison("")
        self.evaluation: Ranking | None = None
        self.row = 0  # factor index
        self.col = 0  # candidate index
        self.top = 0  # first factor shown
        self.left = 0  # first candidate shown

    # -- data ---------------------------------------------------------------
    def show(self, comparison: Comparison, evaluation: Ranking) -> None:
        """Show ``comparison`` (the cursor stays in range) and tell the screen where the cursor is."""
        self.comparison = comparison
        self.evaluation = evaluation
        self._clamp()
        self.refresh()
        self.post_message(self.CursorMoved(self))

    @property
    def factor(self) -> str | None:
        factors = self.comparison.factors
        return factors[self.row].name if 0 <= self.row < len(factors) else None

    @property
    def candidate(self) -> str | None:
        candidates = self.comparison.candidates
        return candidates[self.col].name if 0 <= self.col < len(candidates) else None

    def move_to(self, factor: str | None = None, candidate: str | None = None) -> None:
        if factor is not None:
            names = [f.name for f in self.comparison.factors]
            if factor in names:
                self.row = names.index(factor)
        if candidate is not None:
            names = [c.name for c in self.comparison.candidates]
            if candidate in names:
                self.col = names.index(candidate)
        self._moved()

    # -- geometry -------------------------------------------------------------
    def _columns(self) -> tuple[int, int, int]:
        """(label width, number of candidates shown, width of a candidate's column) for the current width."""
        room = self.size.width - WEIGHT_WIDTH
        candidates = self.comparison.candidates
        n = max(1, len(candidates))
        longest = max((len(c.name) for c in candidates), default=0) + 2  # the leading space (or ★) and a pad
        cell = max(CELL_WIDTH, min(MAX_CELL_WIDTH, longest, (room - GOOD_LABEL) // n))
        label = max(MIN_LABEL, min(MAX_LABEL, room - n * cell))
        return label, max(1, (room - label) // cell), cell

    def _rows_shown(self) -> int:
        return max(1, self.size.height - 1 - FOOTER_LINES)

    def _clamp(self) -> None:
        self.row = max(0, min(self.row, len(self.comparison.factors) - 1))
        self.col = max(0, min(self.col, len(self.comparison.candidates) - 1))
        rows, (_, cols, _) = self._rows_shown(), self._columns()
        if self.row < self.top:
            self.top = self.row
        elif self.row >= self.top + rows:
            self.top = self.row - rows + 1
        self.top = max(0, min(self.top, max(0, len(self.comparison.factors) - rows)))
        if self.col < self.left:
            self.left = self.col
        elif self.col >= self.left + cols:
            self.left = self.col - cols + 1
        self.left = max(0, min(self.left, max(0, len(self.comparison.candidates) - cols)))

    def _moved(self) -> None:
        self._clamp()
        self.refresh()
        self.post_message(self.CursorMoved(self))

    def on_resize(self, event: events.Resize) -> None:
        self._clamp()
        self.refresh()

    # -- moving ---------------------------------------------------------------
    def action_move(self, rows: int, cols: int) -> None:
        self.row += rows
        self.col += cols
        self._moved()

    def action_jump(self, where: str) -> None:
        self.row = 0 if where == "first" else len(self.comparison.factors) - 1
        self._moved()

    def action_page(self, direction: int) -> None:
        self.row += direction * max(1, self._rows_shown() - 1)
        self._moved()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.top = min(self.top + 1, max(0, len(self.comparison.factors) - self._rows_shown()))
        self.refresh()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.top = max(0, self.top - 1)
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        label, _, cell = self._columns()
        x, y = event.x - label - WEIGHT_WIDTH, event.y
        if x >= 0:
            self.col = min(self.left + x // cell, len(self.comparison.candidates) - 1)
        if 1 <= y <= self._rows_shown():
            self.row = min(self.top + y - 1, len(self.comparison.factors) - 1)
        self._moved()

    # -- drawing --------------------------------------------------------------
    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"matrix-grid--{name}")

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        c = self.comparison
        rows = self._rows_shown()
        if y == 0:
            return self._header(width, base)
        if not c.factors and y == 1:
            return self._hint("No factors: press a to add one.", width, base)
        shown = min(rows, len(c.factors) - self.top)
        if 1 <= y <= shown:
            return self._factor_line(self.top + y - 1, width, base)
        footer = y - 1 - shown
        if footer == 0:
            return self._separator(width, base)
        if 1 <= footer <= 3:
            return self._footer_line(footer, width, base)
        return Strip.blank(width, base)

    def _hint(self, text: str, width: int, base: Style) -> Strip:
        return Strip([Segment(fit(" " + text, width), base + self._style("hint"))], width)

    def _visible_candidates(self) -> range:
        _, cols, _ = self._columns()
        return range(self.left, min(len(self.comparison.candidates), self.left + cols))

    def _header(self, width: int, base: Style) -> Strip:
        label, _, cell_width = self._columns()
        style = base + self._style("header")
        leaders = set(self.evaluation.leaders) if self.evaluation else set()
        segments = [Segment(fit(" Factor", label) + fit("Weight", WEIGHT_WIDTH, "right"), style)]
        if not self.comparison.candidates:
            segments.append(Segment("  no candidates yet: press c", base + self._style("hint")))
        for j in self._visible_candidates():
            name = self.comparison.candidates[j].name
            cell_style = style + self._style("leader") if name in leaders else style
            if j == self.col:
                cell_style += self._style("cursor")
            segments.append(Segment(header_cell(name, cell_width, name in leaders), cell_style))
        return _line(segments, width, style)

    def _factor_line(self, i: int, width: int, base: Style) -> Strip:
        c = self.comparison
        factor = c.factors[i]
        label, _, cell_width = self._columns()
        current_row = i == self.row
        row_style = base + self._style("line") if current_row else base
        muted = factor.weight == 0
        name_style = row_style + self._style("muted") if muted else row_style
        weight = format_weight(factor.weight)
        minimum = f"≥{factor.must_have_min}" if factor.must_have_min is not None else ""
        segments = [
            Segment(fit(" " + factor.name, label), name_style + (Style(bold=True) if current_row else Style())),
            Segment(fit(weight, 4, "right") + " " + fit(minimum, 2) + " ", name_style),
        ]
        for j in self._visible_candidates():
            candidate = c.candidates[j].name
            cell = c.cells.get((factor.name, candidate), Cell())
            text, style = self._cell(cell, factor.must_have_min, row_style)
            if current_row and j == self.col:
                style = base + self._style("cursor")
                if cell.score is not None and factor.must_have_min is not None and cell.score < factor.must_have_min:
                    style += Style(bold=True)
            segments.append(Segment(" " + fit(text, cell_width - 1, "center"), style))
        return _line(segments, width, row_style)

    def _cell(self, cell: Cell, minimum: int | None, base: Style) -> tuple[str, Style]:
        note = NOTE if cell.note else ""
        if cell.score is None:
            return UNKNOWN + note, base + self._style("unknown")
        if minimum is not None and cell.score < minimum:
            return f"{cell.score}{BELOW}{note}", base + self._style("below")
        band = "low" if cell.score <= 1 else "mid" if cell.score <= 3 else "high"
        return f"{cell.score}{note}", base + self._style(band)

    def _separator(self, width: int, base: Style) -> Strip:
        c = self.comparison
        _, cols, _ = self._columns()
        rows = self._rows_shown()
        marks = []
        if self.top:
            marks.append(f"▲ {self.top} above")
        below = len(c.factors) - self.top - rows
        if below > 0:
            marks.append(f"▼ {below} below")
        if self.left:
            marks.append(f"◀ {self.left} left")
        right = len(c.candidates) - self.left - cols
        if right > 0:
            marks.append(f"▶ {right} right")
        text = ("─ " + " · ".join(marks) + " ") if marks else ""
        style = base + self._style("muted")
        return _line([Segment(text + "─" * max(0, width - len(text)), style)], width, style)

    def _footer_line(self, which: int, width: int, base: Style) -> Strip:
        label, _, cell_width = self._columns()
        style = base + self._style("footer")
        title = {1: " Total (0–100)", 2: " Coverage", 3: " Rank"}[which]
        segments = [Segment(fit(title, label + WEIGHT_WIDTH), style)]
        ev = self.evaluation
        for j in self._visible_candidates():
            if ev is None:
                break
            r = ev.results[j]
            cell_style = style
            if which == 1:
                text = "—" if r.total is None else f"{r.total:.1f}"
                if r.excluded:
                    text, cell_style = EXCLUDED + text, style + self._style("excluded")
            elif which == 2:
                text = f"{r.coverage:.0%}"
                if r.coverage < LOW_COVERAGE:
                    text, cell_style = text + BELOW, style + self._style("warn")
            else:
                if r.excluded:
                    text, cell_style = EXCLUDED + " excl", style + self._style("excluded")
                elif r.rank is None:
                    text = "—"
                elif r.rank == 1:
                    text, cell_style = f"{LEADER} 1", style + self._style("leader")
                else:
                    text = str(r.rank)
            if r.name in ev.leaders and which == 1:
                cell_style += self._style("leader")
            segments.append(Segment(" " + fit(text, cell_width - 1, "center"), cell_style))
        return _line(segments, width, style)
