"""Fixtures for tests in a real terminal: a demo store made by the installed command, and tmux panes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .terminal import TERMINALS, TWINTUI, Terminal, run_cli

# No skip when tmux or the installed command is missing: CI installs both (.ci/run), and a
# silent skip would hide that the app was never tried in a terminal.
assert shutil.which("tmux"), "tests/e2e needs tmux (apt-get install tmux; .ci/run installs it)"
assert Path(TWINTUI).exists(), f"tests/e2e needs the installed command {TWINTUI} (pip install -e .)"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo store per test session, copied for each test (``twintui demo`` takes a second)."""
    db = tmp_path_factory.mktemp("e2e-demo") / "twintui.json"
    done = run_cli(db, "demo")
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    db = tmp_path / "twintui.json"
    for source in demo_template.parent.iterdir():
        if source.is_file():
            shutil.copy2(source, tmp_path / source.name.replace(demo_template.stem, db.stem, 1))
    return db


@pytest.fixture
def terminal() -> Iterator[Callable[..., Terminal]]:
    """``terminal(width, height, kind)`` opens a tmux pane; every pane is closed after the test."""
    opened: list[Terminal] = []

    def make(width: int = 80, height: int = 24, kind: str = "xterm-256color") -> Terminal:
        term = Terminal(width, height, TERMINALS[kind])
        opened.append(term)
        return term

    yield make
    for term in opened:
        term.close()


def audit(db: Path, *args: str) -> list[dict]:
    """The audit log as the command line prints it (``twintui log --json``)."""
    done = run_cli(db, "log", "--json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def show(db: Path, arrangement_id: str) -> dict:
    """An arrangement as stored, with its partners and risks (``twintui show ID --json``)."""
    done = run_cli(db, "show", arrangement_id, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def same_screen(mine: str, fresh: str) -> None:
    """Two captures of the same state agree line by line (the message says where they differ)."""
    differ = [f"{n:2}: {a!r}\n    {b!r}" for n, (a, b) in enumerate(zip(mine.splitlines(), fresh.splitlines()))
              if a != b]
    assert not differ, "the screen differs from a fresh one (line: this screen / fresh):\n" + "\n".join(differ)
