"""The one way back from work off the UI thread (tui/common/tasks.py), and keys typed ahead of a chain of
questions that a worker asks (tui/keys_in_order.py)."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass

import pytest

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import WorkerState

from twintui.core.errors import TwintuiError
from twintui.service.client import ServiceUnavailable
from twintui.tui.common.confirm import ConfirmScreen
from twintui.tui.common.tasks import RESETS, Tasks, failure_text, task
from twintui.tui.keys_in_order import KeysInOrder

from ..driving import wait_for


class Lookup(Tasks, Screen[None]):
    """A screen with one task: look a word up (in a thread), say what was found."""

    BINDINGS = [Binding("a", "ask", "Ask")]

    @dataclass
    class Found(Message):
        word: str

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.resets: list[str | None] = []  # the failures the reset step was told of
        self.started: set[str] = set()
        self.returning: set[str] = set()  # the words whose task is about to return its outcome
        self.answers: list[bool | None] = []

    def compose(self) -> ComposeResult:
        yield Static("words")

    def stop_waiting(self, failure: str | None) -> None:
        self.resets.append(failure)

    @task("looking up the word", reset=stop_waiting)
    def look_up(self, word: str, gate: threading.Event | None = None) -> Found:
        self.started.add(word)
        if gate is not None:
            gate.wait(10)
        if word == "boom":
            raise RuntimeError("the dictionary is gone")
        if word == "unknown":
            raise TwintuiError("no such word in the register")
        self.returning.add(word)
        return self.Found(word)

    @task("looking up the word")
    def look_up_failing(self, error: Exception) -> None:
        raise error

    @on(Found)
    def show_found(self, event: Found) -> None:
        self.found.append(event.word)

    def action_ask(self) -> None:
        self.app.hold_keys(self.ask_twice())  # type: ignore[attr-defined]

    @work(exit_on_error=False, name="asking twice")
    async def ask_twice(self) -> None:
        self.answers.append(await self.app.push_screen_wait(ConfirmScreen("First?")))
        # Work between the questions (a read of the store): the keys typed meanwhile wait for the next one.
        await asyncio.to_thread(time.sleep, 0.1)
        self.answers.append(await self.app.push_screen_wait(ConfirmScreen("Second?")))


class LookupApp(KeysInOrder, App[None]):
    def __init__(self) -> None:
        super().__init__()
        self._keys_init()
        self.lookup = Lookup()

    def on_mount(self) -> None:
        self.push_screen(self.lookup)


def messages(app: App) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_task_superseded_meanwhile_does_not_deliver_its_result() -> None:
    app = LookupApp()
    async with app.run_test() as pilot:
        screen = app.lookup
        gate = threading.Event()
        screen.look_up("old", gate)
        await wait_for(pilot, lambda: "old" in screen.started, "the first thread to start")
        screen.look_up("new")  # exclusive: the first is cancelled, its thread runs on
        await wait_for(pilot, lambda: screen.found == ["new"], "the newer word")
        gate.set()
        await wait_for(pilot, lambda: "old" in screen.returning, "the older thread to return")
        for _ in range(50):  # what it would post arrives within a turn or two of the loop
            await pilot.pause()
        assert screen.found == ["new"]
        assert screen.resets == [None]  # the cancelled one ended without an outcome
        assert messages(app) == []


@pytest.mark.parametrize(("word", "said"), [
    ("boom", "Looking up the word failed: the dictionary is gone"),  # unexpected: what failed, and why
    ("unknown", "no such word in the register"),  # a TwintuiError: its own message
])
async def test_a_failure_is_one_notification_and_the_screen_resets(word: str, said: str) -> None:
    app = LookupApp()
    async with app.run_test() as pilot:
        screen = app.lookup
        screen.look_up(word)
        await wait_for(pilot, lambda: messages(app), "the failure")
        await app.workers.wait_for_complete()
        for _ in range(5):
            await pilot.pause()
        assert messages(app) == [said]
        assert [n.severity for n in app._notifications] == ["error"]
        assert screen.resets == [said] and screen.found == []


class Rereads(Lookup):
    """A screen that reads again each time the store moves (``follows_store``), and looks words up as asked."""

    @task("reading the words again", follows_store=True)
    def read_again(self, error: Exception) -> None:
        raise error


@pytest.mark.parametrize(("error", "said"), [
    (ServiceUnavailable("the store service at /s.sock is not running (there is no such socket)"), []),
    (TwintuiError("the register is damaged"), ["the register is damaged"]),
])
async def test_a_read_that_follows_the_store_leaves_a_service_gone_to_the_watcher(error: Exception,
                                                                                   said: list[str]) -> None:
    app = LookupApp()
    app.lookup = Rereads()
    async with app.run_test() as pilot:
        screen = app.lookup
        worker = screen.read_again(error)
        await wait_for(pilot, lambda: worker.state == WorkerState.ERROR, "the reread to fail")
        for _ in range(5):
            await pilot.pause()
        # The store watcher says once that the service went away and the screens read again when it is back: a
        # screen's reread says nothing more. Any other failure is said; a user's own action always says why.
        assert messages(app) == said
        screen.look_up_failing(error)
        await wait_for(pilot, lambda: len(messages(app)) > len(said), "the action's failure")
        assert messages(app)[-1] == str(error)


async def test_an_outcome_does_not_reset() -> None:
    app = LookupApp()
    async with app.run_test() as pilot:
        screen = app.lookup
        worker = screen.look_up("word")
        assert worker in RESETS
        await wait_for(pilot, lambda: screen.found == ["word"], "the word")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.resets == [] and worker not in RESETS


def test_failure_text() -> None:
    assert failure_text("saving the risk", OSError("disk full")) == "Saving the risk failed: disk full"
    assert failure_text("saving the risk", TwintuiError("RSK-1 was deleted")) == "RSK-1 was deleted"


async def test_keys_typed_after_the_key_that_starts_a_chain_of_questions_answer_each_question() -> None:
    app = LookupApp()
    async with app.run_test() as pilot:
        screen = app.lookup
        await pilot.press("a", "y", "n")  # one burst: y answers the first question, n the second
        await wait_for(pilot, lambda: len(screen.answers) == 2, "both answers")
        assert screen.answers == [True, False]
        assert app.screen is screen
