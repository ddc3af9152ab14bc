"""Helpers for driving the app in tests."""

from __future__ import annotations

from collections.abc import Callable

from twintui.tui.app import TwintuiApp


async def settle(app: TwintuiApp, pilot: object) -> None:
    """Wait until the workers have finished and their messages were handled."""
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


def plain(static: object, width: int = 78) -> str:
    """What a Static shows, as plain text at ``width`` (its content may be any Rich renderable)."""
    import io

    from rich.console import Console

    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    console.print(static.content)  # type: ignore[attr-defined]
    return console.file.getvalue()  # type: ignore[attr-defined]


async def wait_for(pilot: object, condition: Callable[[], object], what: str = "condition") -> None:
    """Let the app run until ``condition`` holds (bounded: 400 turns of the event loop; no sleeps)."""
    for _ in range(400):
        if condition():
            return
        await pilot.pause()  # type: ignore[attr-defined]
    raise AssertionError(f"timed out waiting for {what}")
