"""Helpers for driving the app in tests."""

from __future__ import annotations

from collections.abc import Callable

from twintui.tui.app import TwintuiApp


async def settle(app: TwintuiApp, pilot: object) -> None:
    """Wait until the workers have finished and their messages were handled.

    A chain of questions (a coroutine worker awaiting ``push_screen_wait``) that waits for the answer on
    the screen on top is done for now: the test answers it.
    """
    for _ in range(400):
        threads = [worker for worker in app.workers if worker._thread_worker and not worker.is_finished]
        if threads:
            await app.workers.wait_for_complete(threads)
        elif not any(not worker.is_finished for worker in app.workers) or awaits_an_answer(app):
            break
        await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


def awaits_an_answer(app: TwintuiApp) -> bool:
    """Whether a worker waits for the screen on top to be answered (it was pushed with push_screen_wait)."""
    return any(callback.future is not None and not callback.future.done()
               for callback in app.screen._result_callbacks)


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
