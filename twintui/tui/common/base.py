"""What every main screen shares: the header, the footer, access to the store, and its tasks
(``tasks.py``: work off the UI thread whose outcomes come back as messages, failures said once)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen

from ..typed_app import OfTwintui
from .footer import Footer
from .screen_bar import ScreenBar
from .tasks import Tasks

if TYPE_CHECKING:
    from ...core.store import Store


class MainScreen(Tasks, OfTwintui, Screen[None]):
    """A screen reached by a digit key; subclasses compose ``body``."""

    # Shown in the command palette and the help screen.
    TITLE: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    MODE: ClassVar[str] = ""  # the app mode (register, compare, ...) this screen is

    @property
    def store(self) -> Store:
        return self.twintui.store

    def compose(self) -> ComposeResult:
        yield ScreenBar(self.MODE, self.store.path.name)
        yield from self.body()
        yield Footer()

    def body(self) -> ComposeResult:
        """The screen's own widgets, between the screen bar and the footer."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self.sub_title = str(self.store.path)


class WhenActive:
    """Run a worker's outcome when this screen is on top, else when the user comes back to it.

    A save can finish while the user looks at another screen (digits switch screens, F1 shows
    help); dismissing or pushing a modal then would act on the wrong screen.
    """

    def _when_active(self, step: Callable[[], None]) -> None:
        if self.is_active:  # type: ignore[attr-defined]
            step()
        else:
            self.__dict__.setdefault("_deferred_steps", []).append(step)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        steps, self.__dict__["_deferred_steps"] = self.__dict__.get("_deferred_steps", []), []
        for step in steps:
            step()
