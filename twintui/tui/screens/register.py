"""Screen 1: the Twinning Register."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from ...core.model import Arrangement
from .base import MainScreen


class RegisterScreen(MainScreen):
    TITLE = "Register"
    HELP = "Browse, filter and edit arrangements, partners, best practices, lessons learned and contacts."

    def body(self) -> ComposeResult:
        yield Static("Loading the register…", id="register-summary", classes="placeholder")

    def on_mount(self) -> None:
        super().on_mount()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, name="load-register")
    def load(self) -> int:
        return self.store.count(Arrangement)

    @on(Worker.StateChanged)
    def loaded(self, event: Worker.StateChanged) -> None:
        if event.worker.name == "load-register" and event.state == WorkerState.SUCCESS:
            self.query_one("#register-summary", Static).update(
                f"[b]Register[/b]\n\n{event.worker.result} arrangements in {self.store.path}\n\n"
                "[dim]Browsing, filtering and editing arrive with issue 3.[/dim]"
            )
