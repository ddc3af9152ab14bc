"""Tick lists and boxes that read without colour.

Textual draws every toggle as "X" and tells ticked from unticked by colour
alone; in a 16-colour terminal or with NO_COLOR that is unreadable. These
show "X" only when ticked.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist


class TickList(SelectionList[str]):
    HELP_NAME = "tick list"
    HELP = ("A tick list: up and down move, space ticks or unticks the highlighted entry (X marks a ticked one), "
            "tab moves on.")

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            option = self.get_option_at_index(int(self.scroll_offset.y) + y)
        except OptionDoesNotExist:
            return strip
        segments = list(strip)
        if option.value not in self._selected:
            for index, segment in enumerate(segments[:3]):
                if segment.text == ToggleButton.BUTTON_INNER:
                    segments[index] = Segment(" ", segment.style, segment.control)
                    break
        return Strip(segments, strip.cell_length)


class TickBox(Checkbox):
    def on_mount(self) -> None:
        self.watch_value()

    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        self.refresh()
