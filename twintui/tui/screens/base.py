"""What every main screen shares: the header, the footer and access to the store."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from ..widgets.screen_bar import ScreenBar

if TYPE_CHECKING:
    from ...core.store import Store


class MainScreen(Screen[None]):
    """A screen reached by a digit key; subclasses compose ``body``."""

    # Shown in the command palette and the help screen.
    TITLE: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    MODE: ClassVar[str] = ""  # the app mode (register, compare, ...) this screen is

    @property
    def store(self) -> Store:
        return self.app.store  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield ScreenBar(self.MODE, self.store.path.name)
        yield from self.body()
        yield Footer()

    def body(self) -> ComposeResult:
        """The screen's own widgets, between the screen bar and the footer."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self.sub_title = str(self.store.path)
