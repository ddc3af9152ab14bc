"""One watcher of the store for the whole app: other officials write to the same register.

Every few seconds a thread worker reads the store's last transaction number (off the UI thread:
it reads the file's header); when it has moved, every screen of every mode gets a
``StoreChanged`` and reloads what it shows, or keeps the user's unsaved work and says so. The
store service will push the same message instead of being asked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message
from textual.screen import Screen

from .common.tasks import failure_text

if TYPE_CHECKING:
    from ..core.store import Store

WATCH_SECONDS = 3.0


@dataclass
class StoreChanged(Message, bubble=False):  # each screen gets its own: none goes on to the app
    """The store has a transaction the screens have not seen: ``txn``, the newest."""

    txn: int


class StoreWatch:
    """A mixin for the App (listed before ``App``): the one store watcher."""

    store: Store
    _screen_stacks: dict[str, list[Screen[Any]]]  # Textual's own: each mode's stack

    def _watch_init(self) -> None:
        self.store_txn = -1  # the newest transaction the screens were told of; -1 before the first look
        self._watch_failure = ""  # the last failure said, so one that lasts is said once

    def watch_store(self) -> None:
        """Start looking (from the app's on_mount)."""
        self.set_interval(WATCH_SECONDS, self.look_at_store)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, exit_on_error=False, group="store-watch", name="store-watch")
    def look_at_store(self) -> None:
        """What the timer does: read the newest transaction, tell the screens when it moved."""
        try:
            txn = self.store.txn
        except Exception as error:  # noqa: BLE001 - said on the screen; the next look tries again
            said = failure_text("reading the store", error)
            self.call_from_thread(self._watch_failed, said)  # type: ignore[attr-defined]
            return
        self.call_from_thread(self._store_moved, txn)  # type: ignore[attr-defined]

    def _watch_failed(self, said: str) -> None:
        # Not Tasks' report: a failure that lasts (a store unreachable for minutes) is said once, not every
        # three seconds. (And a plain mixin's @on handlers are not seen by Textual: the worker reports here.)
        if said != self._watch_failure:
            self._watch_failure = said
            self.notify(said, severity="error", timeout=10, markup=False)  # type: ignore[attr-defined]

    def _store_moved(self, txn: int) -> None:
        self._watch_failure = ""
        if txn == self.store_txn:
            return
        self.store_txn = txn
        for screen in self.every_screen():
            screen.post_message(StoreChanged(txn))

    def every_screen(self) -> Iterator[Screen[Any]]:
        """Every screen of every mode's stack (``screen_stack`` is only the current mode's)."""
        for stack in self._screen_stacks.values():
            yield from stack
