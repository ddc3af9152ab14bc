"""Keys handled one at a time, in the order they were typed, however fast they arrive.

Over SSH keys arrive in bursts. Textual hands every key of a burst on at once: each
goes to the widget focused *when it arrives*, and a key bound to an action (backspace,
tab, ``/``, ``n``) runs only after it has bubbled up to the app, while a printable key is
typed at once by the widget. So ``End``, 40 × backspace, ``Norway-1`` typed ``Norway-1``
first and deleted it afterwards, and a title typed after a tab landed in the field before.

Here the app keeps a queue. A key is handed on only when the one before has gone all the
way (through the focused widget and its ancestors to the app's bindings, with whatever
they queued), a screen it opened has started and taken its focus, and work it started
that ends in a form (``hold_keys``) is done. A user typing ahead of the screen gets
exactly what was typed, where it was meant to go.

Held work that asks its questions itself (a ``@work`` coroutine awaiting
``push_screen_wait``: a form, then "are you sure?") lets the keys go to each screen it
opens, and holds them again while it runs between two of them, on the screen where it began.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections import deque
from typing import Any

from textual import events
from textual.message_pump import MessagePump
from textual.widgets import Input, TextArea
from textual.worker import Worker

# The longest wait for one key to be handled, for a new screen to start, for held work:
# past it the next key goes anyway, so a stuck handler slows typing but never kills the keyboard.
# Long enough for a loaded server (a key going on early may land on the wrong screen); it is reached
# now and then when a key opens a screen (the one left behind may not run its queue at once).
KEY_TIMEOUT = 2.0
SCREEN_TIMEOUT = 2.0
HOLD_TIMEOUT = 5.0
POLL = 0.005
# Passes along a key's chain beyond the second, while what it set off is still queued on the way up.
EXTRA_ROUNDS = 3


class KeysInOrder:
    """A mixin for the App (listed before ``App``): keys and pastes handled one at a time, in order."""

    def _keys_init(self) -> None:
        self._key_queue: deque[events.Event] = deque()
        self._key_busy = False  # a key is on its way, or the queue waits for the screen
        self._key_token = 0  # tells the current key's "done" from a late one
        self._key_screen: Any = None  # the screen the last key went to
        # Weakly: a finished worker keeps its result (a whole register), and no key may come for hours.
        # Each with the screen it was started on: while it runs there, the keys wait.
        self._key_holds: list[tuple[weakref.ref[Worker[Any]], weakref.ref[Any]]] = []
        self._key_since = 0.0  # when the current wait began
        self._hold_since = 0.0
        self._screens_without_focus: weakref.WeakSet[Any] = weakref.WeakSet()
        self._layout_since = 0.0  # when fields were shown that have no place yet (``hold_for_layout``)

    def hold_keys(self, worker: Worker[Any]) -> None:
        """Keep typed keys waiting until ``worker`` has finished and its result was handled.

        For a key whose action reads the store first and then opens a form (``e`` on the
        register): the keys typed after it belong in the form, not in the list. A worker that
        opens screens itself hands the keys to each of them while it waits for its answer.
        """
        app: Any = self
        self._key_holds.append((weakref.ref(worker), weakref.ref(app.screen)))
        self._hold_since = time.monotonic()

    def hold_for_layout(self) -> None:
        """Keep the next key waiting until the screen has been laid out again.

        For fields shown just now (a form that changes with a choice): tab goes to the next field by
        its place on the screen, and a field that was hidden has no place until the next layout, so a
        tab typed in the same burst would skip it."""
        app: Any = self
        self._layout_since = time.monotonic()
        app.call_after_refresh(self._laid_out)

    def _laid_out(self) -> None:
        self._layout_since = 0.0

    async def keys_handled(self, timeout: float = 30.0) -> None:
        """Wait until every key received so far has been handled (for Pilot, see ``_press_keys``)."""
        app: Any = self
        deadline = time.monotonic() + timeout
        # (Not once the app is closing: q quits, and the keys behind it are never handled.)
        while (self._key_busy or self._key_queue) and not app._exit and time.monotonic() < deadline:
            await asyncio.sleep(POLL)

    async def _press_keys(self, keys: Any) -> None:
        # Pilot's press returns once Textual looks idle, which a key still waiting in this queue
        # (for a screen to start, for a worker) is not: wait for the queue too, as press promises.
        await super()._press_keys(keys)  # type: ignore[misc]
        await self.keys_handled()

    # -- the queue ---------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self._key_queue.append(event)
            if not self._key_busy:
                self._key_busy = True
                self._key_since = time.monotonic()
                await self._next_key()
            return
        await super().on_event(event)  # type: ignore[misc]

    async def _next_key(self) -> None:
        """Hand on the next key once the app is ready for it (runs in the app's task)."""
        app: Any = self
        if not self._key_queue:
            self._key_busy = False
            return
        now = time.monotonic()
        if self._layout_since and now - self._layout_since < KEY_TIMEOUT:
            app.set_timer(POLL, self._next_key)
            return
        if self._key_holds:
            # A worker gone is done: Textual lets go of it once it has finished and said so.
            held = [(worker, ref()) for worker_ref, ref in self._key_holds if (worker := worker_ref()) is not None]
            running = [worker for worker, _ in held if not worker.is_finished]
            here = [worker for worker, started_on in held if not worker.is_finished and started_on is app.screen]
            if here and now - self._hold_since < HOLD_TIMEOUT:
                app.set_timer(POLL, self._next_key)
                return
            if running and not here:
                # It waits for an answer on a screen it opened: the keys go there (once it has started),
                # and wait again, from now, if it goes on where it began.
                self._hold_since = now
            else:
                # The work is done: its result is handled on the screen that started it, then in the app.
                nodes = [worker.node for worker, _ in held if isinstance(worker.node, MessagePump)]
                self._key_holds = []
                self._watch([*nodes, app])
                return
        screen = app.screen
        if screen is not self._key_screen:
            if not screen.is_mounted and now - self._key_since < SCREEN_TIMEOUT:
                app.set_timer(POLL, self._next_key)
                return
            # A new screen (or one shown again): let it finish starting, and the focus it asked for land.
            self._key_screen = screen
            self._watch([screen, app])
            return
        if screen.focused is None and screen not in self._screens_without_focus and screen.focus_chain:
            if now - self._key_since < SCREEN_TIMEOUT:
                app.set_timer(POLL, self._next_key)
                return
            self._screens_without_focus.add(screen)
        target = app.focused or screen
        batch = [self._key_queue.popleft()]
        # A run of typed letters (or of one editing key) into a text field goes in one go: the field
        # handles them in order, none moves the focus, and the screen is drawn once for the run.
        kind = _typing(batch[0], target)
        while kind and self._key_queue and _typing(self._key_queue[0], target) == kind:
            batch.append(self._key_queue.popleft())
        for event in batch:
            # Textual's own handling: priority bindings, else the key goes to the focused widget.
            await super().on_event(event)  # type: ignore[misc]
        last = batch[-1]
        self._watch(list(target.ancestors_with_self) if last.is_forwarded else [app], last)

    def _watch(self, chain: list[MessagePump], key: events.Event | None = None) -> None:
        """Go on once every node of ``chain`` has handled what is queued on it now (or after KEY_TIMEOUT).

        A key that went up to the app's bindings gets a second pass: what its action posted on the
        way (enter's Submitted, whose handler moves the focus to the list) is handled before the next key.
        """
        app: Any = self
        self._key_token += 1
        token = self._key_token
        app.set_timer(KEY_TIMEOUT, lambda: self._done(token))
        self._pass_along(chain, token, key, None, list(chain) if key is not None else [])

    def _pass_along(self, chain: list[MessagePump], token: int, key: events.Event | None,
                    handled_by: MessagePump | None, again: list[MessagePump], rounds: int = 0) -> None:
        if key is not None and handled_by is not None and _stopped_at(key, handled_by):
            # The widget kept the key (a typed letter): only the app is left to wait for.
            chain, again = chain[-1:], []
        while chain:
            node, chain = chain[0], chain[1:]
            # A callback queued behind the key runs once the node has handled it: then the next node,
            # where the key (or what it posted) has arrived by then.
            if node.is_running and node.call_later(self._pass_along, chain, token, key, node, again, rounds):
                return
        if again:
            # Go round again while what the key set off is still on its way up: a message posted from a
            # handler lands behind this pass (a drop-down's choice: the list's OptionSelected, then the
            # Select's UpdateSelection, whose handler shows the fields the next tab must find).
            # A few rounds at most: a node that always has something queued (a timer) must not slow typing.
            busy = rounds < EXTRA_ROUNDS and any(node.is_running and node.message_queue_size for node in again)
            self._pass_along(again, token, None, None, again if busy else [], rounds + 1)
            return
        self._done(token)

    def _done(self, token: int) -> None:
        if token != self._key_token:
            return  # a late watchdog, or a chain that finished after its watchdog
        self._key_token += 1
        self._key_since = time.monotonic()
        app: Any = self
        app.call_later(self._next_key)


# Keys that edit inside a text field without leaving it (bound to the field's actions, so they go up to
# the app and back, unlike a typed letter: never mix the two in one run).
EDITING_KEYS = frozenset({"backspace", "delete", "left", "right", "home", "end", "ctrl+left", "ctrl+right",
                          "shift+left", "shift+right", "shift+home", "shift+end"})


def _typing(event: events.Event, target: object) -> str:
    """'text' for a typed character, the key's name for an editing key, into a text field; else ''."""
    if not isinstance(target, (Input, TextArea)) or not isinstance(event, events.Key):
        return ""
    if event.is_printable:
        return "text"
    return event.key if event.key in EDITING_KEYS else ""


def _stopped_at(key: events.Event, node: MessagePump) -> bool:
    """Whether ``node`` stopped ``key`` instead of passing it up (Textual stops it at the parent of its sender)."""
    parent = node._parent
    return key._stop_propagation and parent is not None and key._sender is not parent
