"""How the comparison's cells read: the symbols that say what a colour says (so NO_COLOR loses
nothing), the column widths, and text fitted to a cell."""

from __future__ import annotations

from rich.text import Text

from ...core.compare.checks import MAX_SCORE, MIN_SCORE

LEADER = "★"
EXCLUDED = "✗"
UNKNOWN = "?"
NOTE = "*"
BELOW = "!"
# Coverage below this share of the weight is marked: the total rests on too little.
LOW_COVERAGE = 0.75

CELL_WIDTH = 8  # at least: a space (★ for the leader) and 7 characters per candidate
MAX_CELL_WIDTH = 16  # at most, when names are long and there is room
WEIGHT_WIDTH = 8  # weight (4), must-have (3) and a space
MIN_LABEL = 14  # below this the candidates scroll sideways
GOOD_LABEL = 24  # wider candidate columns only while the factor names keep this much
MAX_LABEL = 40
FOOTER_LINES = 4  # a separator, total, coverage, rank
SCORE_KEYS = f"{MIN_SCORE}-{MAX_SCORE}"  # the digits that score, as the footer shows them


def fit(text: str, width: int, align: str = "left") -> str:
    """``text`` on one line in exactly ``width`` cells, cut with an ellipsis when too long."""
    if width <= 0:
        return ""
    line = " ".join(text.split())
    t = Text(line, no_wrap=True, overflow="ellipsis")
    if t.cell_len > width:
        t.truncate(width, overflow="ellipsis")
        return t.plain.ljust(width)
    pad = width - t.cell_len
    if align == "right":
        return " " * pad + t.plain
    if align == "center":
        return " " * (pad // 2) + t.plain + " " * (pad - pad // 2)
    return t.plain + " " * pad


def header_cell(name: str, width: int, leader: bool) -> str:
    """A candidate's column heading: the name centred after the column's leading space; the leader's
    star sits right before its name (in that space when the name fills the column), never nearer
    the neighbour's name than its own."""
    shown = fit(name, width - 1).rstrip()
    if leader:
        return fit(LEADER + shown, width, "center")
    return " " + fit(shown, width - 1, "center")
