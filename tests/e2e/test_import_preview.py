"""Text that attacks the reviewer's terminal, in an import preview in a real terminal (tmux).

A contact phone of ``ESC[2K ESC[1A ESC[2K`` printed as it is erases the line above it: the
maintainer would see "1 changed" but not the funding amount the same row changes. A return
that brings such text is refused with the cell; and every value, the register's too (it may
hold such text from before), reaches the terminal with its control characters shown as
escapes, in the command line's preview and in the Returns screen's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from twintui.core.model import Arrangement
from twintui.core.store import Store
from twintui.core.workbook.layout import LAYOUTS

from ..core.workbook.helpers import plant
from .terminal import CTRL_S, run_cli

ATTACK = "\x1b[2K\x1b[1A\x1b[2K"
SHOWN = "\\x1b[2K\\x1b[1A\\x1b[2K"


def returned(db: Path, folder: Path, phone: str, name: str | None = None) -> Path:
    """NOR's return with TW-NOR-0001's funding amount raised, its contact phone (and name) set."""
    path = folder / "hostile.xlsx"
    done = run_cli(db, "export", "--state", "NOR", "--quarter", "2026-Q3", "-o", str(path))
    assert done.returncode == 0, done.stderr
    keys = [c.key for c in LAYOUTS["Register"].columns]
    workbook = load_workbook(path)
    row = next(r for r in workbook["Register"].iter_rows(min_row=3) if r[0].value == "TW-NOR-0001")
    row[keys.index("funding_amount")].value = 9999999
    row[keys.index("contact_phone")].value = phone
    if name is not None:
        row[keys.index("contact_name")].value = "PLANTED"
    workbook.save(path)
    return path if name is None else plant(path, "PLANTED", name)


@pytest.fixture
def seeded(demo_db: Path) -> Path:
    """The register already holds the hostile phone (saved before twintui refused such text); the return
    changes it, so the preview prints the register's value as the old side of the change."""
    store = Store.open(demo_db)
    store.save(store.require(Arrangement, "TW-NOR-0001").replace(contact_phone=ATTACK + "+47 22 00 00 00"), "tui")
    return demo_db


def test_the_command_line_preview_shows_every_value_escaped(terminal, seeded: Path, tmp_path: Path) -> None:
    """The register's old phone and the file's contact name both erase lines if printed as they are."""
    path = returned(seeded, tmp_path, "+47 23 45 67 89", ATTACK + "Kari Nordmann")
    term = terminal(100, 50).twintui("import", str(path), "--dry-run", db=seeded)
    assert term.wait_exit() == 1  # the file's contact name is refused: nothing can be applied
    screen = term.screen()
    assert "Funding amount:" in screen and "→ 9,999,999" in screen, screen
    assert f"{SHOWN}+47 22 00 00 00 → +47 23 45 67 89" in screen, screen
    assert f"{SHOWN}Kari Nordmann" in screen and "control characters" in screen, screen


def test_the_returns_screen_shows_the_registers_value_escaped(terminal, seeded: Path, tmp_path: Path) -> None:
    path = returned(seeded, tmp_path, "+47 23 45 67 89")
    term = terminal(100, 40).twintui(db=seeded)
    term.wait_for("arrangements")
    term.send("5")
    term.wait_for(" returns · ")
    term.send("i")
    term.wait_for("Import returned workbooks")
    term.send(str(path), CTRL_S)
    term.wait_for("Preview of 1 file")
    screen = term.wait_stable()
    assert "Funding amount:" in screen and "→ 9,999,999" in screen, screen
    assert f"{SHOWN}+47 22 00 00 00 → +47 23 45 67 89" in screen, screen
