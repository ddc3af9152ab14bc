"""The footer of every screen: the keys that fit, each whole, never one cut mid-word.

Textual's footer runs its keys off the right edge, under the command-palette key, so
at 80 columns the last one reads ``q Qu▏``. Here a key that does not fit whole is left
out, with every key after it (they come in the order of importance: the focused
widget's and the screen's keys first, help and quit last); all of them stay in the
help (f1) and the command palette (ctrl+p).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.screen import Screen

# A key's cells in Textual's (non-compact) footer: " key " and "description ".
KEY_PADDING, DESCRIPTION_PADDING = 2, 1
# The palette key, docked right, adds its right padding and the bar on its left.
PALETTE_EXTRA = 2


def key_width(key: FooterKey) -> int:
    width = cell_len(key.key_display) + KEY_PADDING
    if key.description:
        width += cell_len(key.description) + DESCRIPTION_PADDING
    return width


class Footer(TextualFooter):
    _pending = False  # a rebuild is asked for
    _building = False  # a rebuild is under way

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        self._fit(widgets, self.size.width or self.app.size.width)
        yield from widgets

    def _fit(self, widgets: list[Widget], width: int) -> None:
        """Show the keys that fit whole at ``width``; the others are hidden, not removed."""
        palette = [w for w in widgets if isinstance(w, FooterKey) and w.has_class("-command-palette")]
        room = width - sum(key_width(p) + PALETTE_EXTRA for p in palette)
        for widget in widgets:
            if widget in palette:
                continue
            if isinstance(widget, FooterKey):
                room -= key_width(widget)
            # A key that would be cut is left out, and the ones after it.
            widget.display = room >= 0

    def on_resize(self, event: events.Resize) -> None:
        # Another width: the same keys, shown or hidden again. (Nothing is mounted or removed here:
        # a rebuild at each resize raced with the one of a focus change as a form opened, and left
        # keys that were never laid out, an empty footer.)
        self._fit(list(self.children), event.size.width)

    def bindings_changed(self, screen: Screen) -> None:
        # One focus change announces new bindings several times: the keys are built once for all of
        # them (the first rebuild to run takes them all; the others find nothing pending). Each one
        # is asked for, though: Textual runs an after-refresh callback on the screen on top when it
        # is queued, so one queued as a dialog opened is dropped with the dialog.
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        if self._building:
            return  # the one under way sees _pending and builds again
        self._building = True
        try:
            while self._pending:
                self._pending = False
                await self.recompose()
        finally:
            self._building = False
