"""``self.twintui``: the app, typed as the twintui app, for the screens and widgets that ask it for
the store, today's date or the key queue (Textual types ``self.app`` as any ``App``, and its type
parameter keeps a typed override of ``app`` from checking)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from .app import TwintuiApp


class OfTwintui:
    """A mixin for a screen or widget of the twintui app."""

    @property
    def twintui(self) -> TwintuiApp:
        return cast("TwintuiApp", self.app)  # type: ignore[attr-defined]  # (Textual's node gives app)
