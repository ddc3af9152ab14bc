"""A 5×5 risk heat map: likelihood up, impact across, the number of risks in each cell.

Each cell shows its band's letter (L, M, H, C) beside the count, so the map
reads in a 16-colour terminal and with NO_COLOR as well as in colour; the
cursor cell is bracketed, not only highlighted.
"""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ...core.model import vocab
from ...core.risks import BAND_LETTERS, LEVELS

CELL = 6  # characters per cell


class HeatMap(Widget, can_focus=True):
    """Risks per likelihood × impact cell. Moving onto a cell selects it; escape selects none."""

    HELP_NAME = "heat map"  # what the help title calls it
    HELP = ("The heat map: how many risks sit at each likelihood (rows, 5 at the top) and impact (columns). "
            "Letters give the band: L low (1-3), M medium (4-6), H high (8-12), C critical (15-25). Coming onto "
            "the map marks the busiest cell and the list shows only its risks; arrows move to another cell; escape "
            "or a shows every cell again, and escape once more goes back to the list; t switches between the "
            "inherent score and the residual one (after mitigation).")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(1, 0)", "Likelier", show=False, id="heat.up", tooltip="One likelihood up"),
        Binding("down", "move(-1, 0)", "Less likely", show=False, id="heat.down", tooltip="One likelihood down"),
        Binding("right", "move(0, 1)", "More impact", show=False, id="heat.right", tooltip="One impact up"),
        Binding("left", "move(0, -1)", "Less impact", show=False, id="heat.left", tooltip="One impact down"),
        Binding("escape,a", "clear", "All cells", id="heat.all", tooltip="Show the risks of every cell"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "heat-map--low", "heat-map--medium", "heat-map--high", "heat-map--critical", "heat-map--axis",
        "heat-map--cursor",
    }

    DEFAULT_CSS = """
    HeatMap { width: 38; height: 8; }
    /* Four colours that stay four in a 16-colour terminal (green, yellow, red, bright red), not one grey. */
    HeatMap > .heat-map--low { background: $success-darken-2; color: $text; }
    HeatMap > .heat-map--medium { background: $warning-darken-2; color: $text; }
    HeatMap > .heat-map--high { background: $error-darken-2; color: $text; }
    HeatMap > .heat-map--critical { background: $error; color: $text; text-style: bold; }
    HeatMap > .heat-map--axis { color: $text-muted; }
    HeatMap > .heat-map--cursor { text-style: bold reverse; }
    """

    counts: reactive[Counter[tuple[int, int]]] = reactive(Counter, always_update=True)
    cursor: reactive[tuple[int, int] | None] = reactive(None)
    residual: reactive[bool] = reactive(False)

    class CellChanged(Message):
        """The selected cell changed (None: every cell)."""

        def __init__(self, heat_map: HeatMap, cell: tuple[int, int] | None):
            super().__init__()
            self.heat_map = heat_map
            self.cell = cell

        @property
        def control(self) -> HeatMap:
            return self.heat_map

    def watch_cursor(self, cursor: tuple[int, int] | None) -> None:
        self.post_message(self.CellChanged(self, cursor))
        self.refresh_bindings()  # "All cells" is offered only while a cell is chosen

    def mark(self) -> None:
        """Mark a cell, the busiest, when none is: coming onto the map (h) shows a cell's risks at once."""
        if self.cursor is None:
            self.cursor = self._busiest()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear":
            return self.cursor is not None
        return True

    def action_move(self, likelihood: int, impact: int) -> None:
        if self.cursor is None:  # after "All cells": the first arrow lands on the busiest cell again
            self.cursor = self._busiest()
            return
        current = self.cursor
        self.cursor = (min(5, max(1, current[0] + likelihood)), min(5, max(1, current[1] + impact)))

    def action_clear(self) -> None:
        self.cursor = None

    def _busiest(self) -> tuple[int, int]:
        """The cell with most risks, the most severe first: where the eye should go."""
        if not self.counts:
            return (5, 5)
        return max(self.counts, key=lambda cell: (self.counts[cell], cell[0] * cell[1]))

    def render(self) -> Text:
        axis = self.get_component_rich_style("heat-map--axis")
        text = Text()
        kind = "residual" if self.residual else "inherent"
        text.append(f"Likelihood ↑  Impact →  ({kind})\n", style=axis)
        for likelihood in reversed(LEVELS):
            text.append(f" {likelihood} ", style=axis)
            for impact in LEVELS:
                text.append_text(self._cell(likelihood, impact))
            text.append("\n")
        text.append("   " + "".join(f"{impact:^{CELL}}" for impact in LEVELS), style=axis)
        return text

    def _cell(self, likelihood: int, impact: int) -> Text:
        band = vocab.band_for(likelihood * impact)
        style: Style = self.get_component_rich_style(f"heat-map--{band}")
        count = self.counts.get((likelihood, impact), 0)
        body = f"{BAND_LETTERS[band]}{count:>2}" if count else f"{BAND_LETTERS[band]} ·"
        if self.cursor == (likelihood, impact):
            style += self.get_component_rich_style("heat-map--cursor")
            return Text(f"[{body}] ", style=style)
        return Text(f" {body}  ", style=style)
