"""One watcher of the store for the whole app: other officials write to the same register.

A store file is looked at every few seconds: a thread worker reads its last transaction number
(off the UI thread: it reads the file's header). A store of the store service (``RemoteStore``)
is followed on the service's change feed instead: a thread of its own reads the feed, which names
each transaction as the service commits it. Either way, when the number has moved, every screen
of every mode gets a ``StoreChanged`` and reloads what it shows, or keeps the user's unsaved work
and says so.

When the service goes away the screens say so once, in one line that names its socket, and the
thread connects again every ``RETRY_SECONDS`` until the service is back; the feed's first line
is then the store as it is, so a change made meanwhile reaches the screens without a key press.
(While the feed is down, reads ask the service before each read, as without a feed.) The app
closing closes the feed, which wakes the thread that waits on it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message
from textual.screen import Screen

from .common.tasks import failure_text

if TYPE_CHECKING:
    from ..core.store import Store
    from ..service.follow import Feed

WATCH_SECONDS = 3.0
RETRY_SECONDS = 2.0


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
        self._feed_lost = False  # the change feed is down (said once), until it is back
        self._feed: Feed | None = None
        self._stop_following = threading.Event()

    def watch_store(self) -> None:
        """Start watching (from the app's on_mount): the service's change feed, or a look at the file."""
        if hasattr(self.store, "changes"):  # a RemoteStore
            # A thread of its own, not a worker: it never completes, and the app's workers are waited for.
            threading.Thread(target=self._follow, name="store-feed", daemon=True).start()
        else:
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

    def _follow(self) -> None:
        """(Its own thread, for as long as the app runs.) Read the change feed; connect again when it drops."""
        stop = self._stop_following
        while not stop.is_set():
            self._feed = feed = self.store.changes()  # type: ignore[attr-defined]
            if stop.is_set():  # the app closed meanwhile, perhaps before it could close this feed
                break
            try:
                for txn in feed:
                    if stop.is_set() or not self._tell(self._followed, txn):
                        return
            except Exception as error:  # noqa: BLE001 - said on the screen once; the loop connects again
                said = failure_text("following the store", error)
                if stop.is_set() or not self._tell(self._feed_down, said):
                    return
            stop.wait(RETRY_SECONDS)

    def _tell(self, callback: Callable[..., None], *args: Any) -> bool:
        """Run ``callback`` on the UI thread; False once the app has closed."""
        try:
            self.call_from_thread(callback, *args)  # type: ignore[attr-defined]
        except RuntimeError:  # the app's loop is gone
            self._stop_following.set()
            return False
        return True

    def on_unmount(self) -> None:
        """The app closes: stop following (closing the feed wakes the thread that waits on it)."""
        self._stop_following.set()
        if self._feed is not None:
            self._feed.close()

    def _feed_down(self, said: str) -> None:
        if not self._feed_lost:
            self._feed_lost = True
            self.notify(f"{said}; the screens follow the store again when it is back",  # type: ignore[attr-defined]
                        severity="error", timeout=10, markup=False)

    def _followed(self, txn: int) -> None:
        if self._feed_lost:
            self._feed_lost = False
            self.notify(f"the store service at {self.store.client.socket} is back",  # type: ignore[attr-defined]
                        timeout=5, markup=False)
        self._store_moved(txn)

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
