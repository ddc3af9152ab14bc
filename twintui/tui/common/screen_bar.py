"""The top line of every main screen: the five screens with their keys, and the store in use."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widget import Widget

# (mode, digit, label) in the order of SPEC §5.
SCREENS: tuple[tuple[str, str, str], ...] = (
    ("register", "1", "Register"),
    ("compare", "2", "Compare"),
    ("mou", "3", "MoU"),
    ("risks", "4", "Risks"),
    ("returns", "5", "Returns"),
)


class ScreenBar(Widget):
    """Shows where the user is and which digit leads where; a click switches screens too."""

    DEFAULT_CSS = """
    ScreenBar { height: 1; background: $panel; color: $text; }
    """

    def __init__(self, current: str, store_name: str = ""):
        super().__init__()
        self.current = current
        self.store_name = store_name
        self._spans: list[tuple[int, int, str]] = []

    def render(self) -> Text:
        text = Text(" twintui ", style="bold")
        self._spans = []
        for mode, digit, label in SCREENS:
            start = len(text)
            chunk = f" {digit} {label} "
            # Reverse video marks the current screen in any palette, NO_COLOR included.
            text.append(chunk, style="bold reverse" if mode == self.current else "")
            self._spans.append((start, len(text), mode))
        room = self.size.width - len(text) - 1
        if self.store_name and room > 4:
            name = self.store_name if len(self.store_name) <= room else "…" + self.store_name[-(room - 1):]
            text.append(" " * (room - len(name)) + name, style="dim")
        return text

    def on_click(self, event: events.Click) -> None:
        for start, end, mode in self._spans:
            if start <= event.x < end:
                self.app.switch_mode(mode)
