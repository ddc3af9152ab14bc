"""Helpers for driving the app in tests."""

from __future__ import annotations

from twintui.tui.app import TwintuiApp


async def settle(app: TwintuiApp, pilot: object) -> None:
    """Wait until the workers have finished and their messages were handled."""
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
