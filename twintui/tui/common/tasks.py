"""Work off the UI thread, and the one way back from it.

Store, workbook and rendering work runs in a thread worker started by a ``@task``
method. The method returns its outcome as a typed Message (a nested dataclass of the
screen, as Textual's own widgets declare theirs: ``ListScreen.Loaded``) and the worker
posts it to the screen, unless the worker was cancelled meanwhile: an exclusive task
superseded by a newer one (the list read again while the last read ran) must not deliver
a stale result (the check of Textual's examples/dictionary.py). Only the screen's ``@on``
handlers of those messages change widgets; a task with nothing to say returns None.

A refusal the screen expects and handles (a ``ConflictError`` on save: the merge screen;
a ``ValidationError``: the problems under their fields) is an outcome too: the task
catches it and returns a message of its own. Anything else a task raises is reported in
one place, ``Tasks``: a ``TwintuiError`` as its message, anything else as "<what> failed:
<error>", in one notification; but a read made again whenever the store moves
(``follows_store``) leaves a store service that has gone to the store watcher, which says
it once. A screen that must also undo what starting the task set
up (a "saving…" state) names a ``reset`` step: it runs when the task ends without an
outcome, with the failure as the notification says it (None when it was cancelled).

A chain of questions (a form, then "are you sure?", then a write) is a ``@work``
coroutine that awaits each answer with ``push_screen_wait``; the key that starts it
holds the keys typed after it (``hold_keys``) while the chain runs between its screens.
Its failure is reported here too (``exit_on_error=False``).
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import Callable
from functools import partial, wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker

from ...core.errors import TwintuiError

P = ParamSpec("P")
S = TypeVar("S", bound=DOMNode)
# A screen's step when its task ends without an outcome: (screen, the failure as said, or None if cancelled).
Reset = Callable[[Any, "str | None"], None]

# What a task ends in when it gives no outcome: the worker's final states other than success.
UNFINISHED = (WorkerState.ERROR, WorkerState.CANCELLED)
# The reset steps of the tasks under way (weakly: a worker Textual has let go of is done).
RESETS: weakref.WeakKeyDictionary[Worker[Any], Reset] = weakref.WeakKeyDictionary()
# The tasks under way that read what the screen shows again each time the store moves (``follows_store``).
FOLLOWING: weakref.WeakSet[Worker[Any]] = weakref.WeakSet()


def task(what: str, *, group: str = "", reset: Reset | None = None, follows_store: bool = False
         ) -> Callable[[Callable[Concatenate[S, P], Message | None]], Callable[Concatenate[S, P], Worker[None]]]:
    """Run the method in a thread worker, exclusive in ``group`` (by default its own), and post the
    Message it returns to the screen. ``what`` names the work where it fails ("saving the risk");
    ``reset(screen, failure)`` runs when it ends without an outcome (``failure``: None if cancelled).
    ``follows_store``: a read the screen makes again whenever the store moves, not a user's action; when
    it fails because the store service is gone it says nothing of its own: the store watcher says so
    once (``store_watch``), the screen keeps what it showed and reads again when the store next moves."""

    def decorate(method: Callable[Concatenate[S, P], Message | None]) -> Callable[Concatenate[S, P], Worker[None]]:
        def in_thread(screen: S, *args: P.args, **kwargs: P.kwargs) -> None:
            outcome = method(screen, *args, **kwargs)
            # A task superseded meanwhile (or whose screen was closed) says nothing.
            if outcome is not None and not get_current_worker().is_cancelled:
                screen.post_message(outcome)

        @wraps(method)
        def start(screen: S, *args: P.args, **kwargs: P.kwargs) -> Worker[None]:
            worker: Worker[None] = screen.run_worker(
                partial(in_thread, screen, *args, **kwargs), name=what, group=group or what, exclusive=True,
                exit_on_error=False, thread=True)
            if reset is not None:
                RESETS[worker] = reset
            if follows_store:
                FOLLOWING.add(worker)
            return worker

        return start

    return decorate


def failure_text(what: str, error: BaseException | None) -> str:
    """A failure as the user reads it: a TwintuiError says it itself; anything else with what failed."""
    if isinstance(error, TwintuiError):
        return error.message
    return f"{what[:1].upper()}{what[1:]} failed: {error}"


def _service_gone(error: BaseException | None) -> bool:
    # Only a store of the service's raises it, and its client is loaded then: a failure on a store file
    # does not load it (httpx and all) on the UI thread to find out.
    client = sys.modules.get("twintui.service.client")
    return client is not None and isinstance(error, client.ServiceUnavailable)


class Tasks:
    """A mixin for a screen that runs tasks: where their failures are reported, once."""

    # (A named handler: Textual sees no @on handler in a plain mixin.)
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state not in (WorkerState.SUCCESS, *UNFINISHED):
            return
        reset = RESETS.pop(worker, None)
        if event.state not in UNFINISHED:
            return
        failure = failure_text(worker.name, worker.error) if event.state == WorkerState.ERROR else None
        if reset is not None:
            reset(self, failure)
        if failure is not None and not (worker in FOLLOWING and _service_gone(worker.error)):
            if not isinstance(worker.error, TwintuiError):
                self.log.error(f"{worker.name} failed", worker.error)  # type: ignore[attr-defined]
            self.notify(failure, severity="error", timeout=10, markup=False)  # type: ignore[attr-defined]
