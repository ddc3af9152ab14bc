"""The installed app starts in a real terminal, shows the register and quits on ``q``."""

from __future__ import annotations

from pathlib import Path

import pytest

from .terminal import TERMINALS


@pytest.mark.parametrize("kind", sorted(TERMINALS))
def test_opens_on_the_register_and_quits(terminal, demo_db: Path, kind: str) -> None:
    term = terminal(80, 24, kind).twintui(db=demo_db)
    # Both: a capture can fall between two writes of one frame on a loaded machine (the status line
    # painted, the rows not yet).
    screen = term.wait(lambda s: "6 of 6 arrangements" in s and "TW-NOR-0001" in s, "the register's rows")
    assert screen.splitlines()[0].lstrip().startswith("twintui")
    term.send("q")
    assert term.wait_exit() == 0
