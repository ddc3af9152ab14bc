"""Progress on screen in a real terminal at 80x24 (TERM=xterm, and NO_COLOR): the Register's mark and facet,
an arrangement's Progress panel and the Returns screen's states without progress, on the demo data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .terminal import CTRL_S, ENTER, ESCAPE, SPACE, Key

DOWN, LEFT = Key("Down"), Key("Left")


@pytest.mark.parametrize("kind", ["xterm", "no-color"])
def test_the_mark_the_facet_the_panel_and_the_returns(terminal, demo_db: Path, kind: str) -> None:
    term = terminal(80, 24, kind).twintui(db=demo_db)
    # The verdicts are read after the list: the status line counts them once they are in.
    screen = term.wait_for("1 behind (✗)")
    rows = {m[2]: m[1] for m in re.finditer(r"^(.{2}) (TW-[A-Z]{3}-\d{4})", screen, re.M)}
    assert rows["TW-CAN-0001"] == " ✗" and rows["TW-NOR-0001"] == "! ", rows  # not a colour: a mark
    # The Progress facet (left from the first facet wraps to the last), its fourth value "off track".
    term.send("f", LEFT, DOWN, DOWN, DOWN, SPACE, CTRL_S)
    screen = term.wait_for("1 of 6 arrangements")
    assert "Progress: off track" in screen and re.search(r"^ ✗ TW-CAN-0001", screen, re.M)
    # The record's panel, the keys as one burst: clear, filter, open, jump to the progress.
    term.send("x", "/", "Mexico Plan", ENTER, ENTER, "o")
    screen = term.wait_for("Progress (4 objectives, 1 off track, 1 late)")
    assert re.search(r"^\s+1 !off track\s+states with a focal point", screen, re.M)
    assert "████······  40%  5 of 8 states (from 3)" in screen
    assert "▂▂▄▄ 2025-Q4 4 · 2026-Q1 4 · 2026-Q2 5 · 2026-Q3 5" in screen
    assert re.search(r"^\s+2  achieved", screen, re.M) and re.search(r"^\s+3  on track", screen, re.M)
    assert re.search(r"^\s+4 !late\s+practice notes", screen, re.M)
    # Returns: Norway's arrangement with an MoU has not reported progress for the last quarter.
    term.send(ESCAPE)
    term.wait_gone("Progress (4 objectives")  # (escape and a key right behind it read as alt+key)
    term.send("5")
    screen = term.wait_for("1 without progress (p)")
    assert re.search(r"^! NOR\s+2026-Q3 .*missing\s+OVERDUE", screen, re.M)
    assert re.search(r"^  CAN\s+2026-Q3 .*reported\s+reported", screen, re.M)
    term.send("p", "down")
    screen = term.wait_for("1 of 2 returns")
    assert "Progress missing: TW-NOR-0001 has not reported 2026-Q3" in screen
