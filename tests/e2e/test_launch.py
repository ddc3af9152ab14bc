"""The installed app starts in a real terminal, shows the register and quits on ``q``."""

from __future__ import annotations

from pathlib import Path

import pytest

from .terminal import TERMINALS


@pytest.mark.parametrize("kind", sorted(TERMINALS))
def test_opens_on_the_register_and_quits(terminal, demo_db: Path, kind: str) -> None:
    term = terminal(80, 24, kind).twintui(db=demo_db)
    screen = term.wait_for("6 of 6 arrangements")
    assert "TW-NOR-0001" in screen
    assert screen.splitlines()[0].lstrip().startswith("twintui")
    term.send("q")
    assert term.wait_exit() == 0
