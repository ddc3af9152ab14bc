"""The Compare screen's other two views: two candidates side by side, and the sensitivity panel.

Both are text built from the core's numbers (``evaluate``, ``sensitivity``),
wrapped to the width they get and scrolled by their container, so long notes
and many factors are read whole, not cut. ``CandidatePicker`` chooses which
two candidates stand side by side.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ...core.compare import Cell, Comparison, Ranking, Sensitivity, Standing
from ...core.compare.wording import fmt_coverage, fmt_total, format_weight, leader_line, text_bar, verdict
from .cells import EXCLUDED, LEADER, UNKNOWN, fit

MINUS = "−"
VALUE = 13  # a candidate's column in the side-by-side view, with its leading space
DIFF = 8


def _signed(value: float, digits: int = 0) -> str:
    text = f"{abs(value):.{digits}f}"
    if round(value, digits) == 0:
        return "0" if digits == 0 else f"{0:.{digits}f}"
    return ("+" if value > 0 else MINUS) + text


def _wrap(text: str, width: int, indent: str) -> list[str]:
    return textwrap.wrap(text, max(width - len(indent), 10), initial_indent=indent, subsequent_indent=indent) \
        or [indent]


def side_by_side(comparison: Comparison, evaluation: Ranking, a: str, b: str, width: int) -> Text:
    """Factor by factor: the two scores, their difference (a − b) and both notes; then the totals."""
    out = Text(no_wrap=True, overflow="ellipsis")
    if a == b:
        out.append("Choose two different candidates (tab to the pickers above, left/right to change).")
        return out
    ra, rb = evaluation.result(a), evaluation.result(b)
    label = max(16, width - 4 - 2 * VALUE - DIFF)

    def values(*cells: str) -> str:
        return "".join(" " + fit(v, VALUE - 1, "right") for v in cells)

    out.append(fit("Factor", label) + fit("w", 4, "right") + values(a, b) + " " + fit("a − b", DIFF - 1, "right")
               + "\n", style="bold")
    contributions: list[tuple[float, str, int]] = []
    for f in comparison.factors:
        ca = comparison.cells.get((f.name, a), Cell())
        cb = comparison.cells.get((f.name, b), Cell())
        sa = UNKNOWN if ca.score is None else str(ca.score)
        sb = UNKNOWN if cb.score is None else str(cb.score)
        diff = ""
        style = ""
        if ca.score is not None and cb.score is not None:
            delta = ca.score - cb.score
            diff = _signed(delta)
            style = "bold" if delta else ""
            if delta and f.weight > 0:
                contributions.append((f.weight * delta, f.name, delta))
        elif ca.score is not None or cb.score is not None:
            diff = "?"
        minimum = f" ≥{f.must_have_min}" if f.must_have_min is not None else ""
        out.append(fit(f.name + minimum, label) + fit(format_weight(f.weight), 4, "right") + values(sa, sb))
        out.append(" " + fit(diff, DIFF - 1, "right") + "\n", style=style)
        for who, cell in ((a, ca), (b, cb)):
            if cell.note:
                for line in _wrap(f"{who}: {cell.note}", width, "    "):
                    out.append(line + "\n", style="dim")
    out.append("─" * width + "\n", style="dim")
    total_diff = ""
    if ra.total is not None and rb.total is not None:
        total_diff = _signed(ra.total - rb.total, 1)
    rows = (
        ("Total (0–100)", fmt_total(ra.total), fmt_total(rb.total), total_diff),
        ("Coverage", fmt_coverage(ra.coverage), fmt_coverage(rb.coverage), ""),
        ("Rank", _rank(ra), _rank(rb), ""),
    )
    for title, va, vb, d in rows:
        out.append(fit(title, label + 4) + values(va, vb) + " " + fit(d, DIFF - 1, "right") + "\n", style="bold")
    out.append("\n")
    for who, r in ((a, ra), (b, rb)):
        if r.excluded:
            for line in _wrap(f"{EXCLUDED} {who} is excluded: {r.excluded}", width, ""):
                out.append(line + "\n", style="bold")
        for warning in r.warnings:
            for line in _wrap(f"! {who}: {warning}", width, ""):
                out.append(line + "\n")
    if contributions:
        contributions.sort(key=lambda c: -abs(c[0]))
        parts = [f"{name} ({_signed(delta)} at weight {format_weight(w / delta)})"
                 for w, name, delta in contributions[:3]]
        for line in _wrap("Largest weighted differences: " + "; ".join(parts) + ".", width, ""):
            out.append(line + "\n")
    return out


def _rank(result: Standing) -> str:
    if result.excluded:
        return f"{EXCLUDED} excl"
    if result.rank is None:
        return "—"
    return f"{LEADER} 1" if result.rank == 1 else str(result.rank)


def sensitivity_panel(comparison: Comparison, evaluation: Ranking, sensitivities: list[Sensitivity],
                      width: int) -> Text:
    """The verdict, every factor's tipping weight, and text bars of the totals."""
    out = Text(no_wrap=True, overflow="ellipsis")
    for line in _wrap(verdict(comparison, evaluation, sensitivities), width, ""):
        out.append(line + "\n", style="bold")
    for line in _wrap(leader_line(comparison, evaluation), width, ""):
        out.append(line + "\n")
    out.append("\n")
    who_width = 18
    label = max(16, width - 6 - 9 - 8 - 2 - who_width)
    out.append(fit("Factor", label) + fit("weight", 6, "right") + fit("tips at", 9, "right")
               + fit("change", 8, "right") + "  " + fit("new leader", who_width) + "\n", style="bold")
    tipping = [s for s in sensitivities if s.tipping_weight is not None]
    nearest = min(tipping, key=lambda s: abs(s.tipping_weight - s.current_weight),  # type: ignore[operator]
                  default=None)
    for s in sensitivities:
        if s.tipping_weight is None:
            tip, change, who = "—", "", "never in 0–5"
        else:
            tip = format_weight(s.tipping_weight, s.current_weight)
            change = _signed(s.tipping_weight - s.current_weight, 2)
            who = (s.new_leader or "") + (" ◀ nearest" if s is nearest else "")
        style = "bold" if s is nearest else "dim" if s.tipping_weight is None else ""
        out.append(fit(s.factor, label) + fit(format_weight(s.current_weight), 6, "right") + fit(tip, 9, "right")
                   + fit(change, 8, "right") + "  " + fit(who, who_width) + "\n", style=style)
    out.append("\n")
    out.append("Totals (0–100)\n", style="bold")
    name_width = min(16, max((len(r.name) for r in evaluation.results), default=4) + 2)
    bar_width = max(10, min(30, width - name_width - 6 - 24))
    for r in evaluation.ranked():
        mark = LEADER if r.name in evaluation.leaders else EXCLUDED if r.excluded else " "
        bar = text_bar(r.total, bar_width)
        status = ("excluded" if r.excluded else "not ranked" if r.rank is None else f"rank {r.rank}") + \
            f", coverage {fmt_coverage(r.coverage)}"
        out.append(f"{mark} " + fit(r.name, name_width) + fit(fmt_total(r.total), 6, "right") + " ")
        out.append(bar, style="dim" if r.excluded else "bold" if mark == LEADER else "")
        out.append(" " + status + "\n")
        if r.excluded:
            for line in _wrap(r.excluded, width, "    "):
                out.append(line + "\n", style="dim")
        for warning in r.warnings:
            for line in _wrap("! " + warning, width, "    "):
                out.append(line + "\n")
    return out


class CandidatePicker(Widget, can_focus=True):
    """One of the two candidates of the side-by-side view: left/right choose another."""

    HELP: ClassVar[str] = ("Which candidate stands on this side. left/right (or space) choose the previous or next "
                           "candidate; tab goes to the other picker and the comparison below.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Previous", id="picker.previous", tooltip="The previous candidate"),
        Binding("right,space", "step(1)", "Next", id="picker.next", tooltip="The next candidate"),
    ]
    DEFAULT_CSS = """
    CandidatePicker { width: auto; min-width: 16; height: 1; padding: 0 1; }
    CandidatePicker:focus { background: $accent; color: $text; text-style: bold; }
    """

    index: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, picker: CandidatePicker) -> None:
            super().__init__()
            self.picker = picker

        @property
        def control(self) -> CandidatePicker:
            return self.picker

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.names: list[str] = []

    @property
    def value(self) -> str | None:
        return self.names[self.index] if 0 <= self.index < len(self.names) else None

    def set_names(self, names: Sequence[str], value: str | None) -> None:
        self.names = list(names)
        self.set_reactive(CandidatePicker.index, self.names.index(value) if value in self.names else 0)
        self.refresh(layout=True)

    def render(self) -> Text:
        return Text(f"◀ {self.value or '(no candidates)'} ▶")

    def action_step(self, step: int) -> None:
        if self.names:
            self.index = (self.index + step) % len(self.names)
            self.refresh(layout=True)
            self.post_message(self.Changed(self))
