"""The Returns screen in a real terminal: export a return, import it back, then the same copy again."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import same_screen
from .terminal import BTAB, CTRL_S, ESCAPE, TAB, rubout


def test_export_then_import_a_return_and_the_same_copy_again(terminal, demo_db: Path, tmp_path: Path) -> None:
    # Started in a folder of its own: relative paths (and the default "Save in") start there.
    term = terminal().twintui(db=demo_db, cwd=tmp_path)
    term.wait_for("6 of 6 arrangements")
    # The export form, typed over as a burst: the state by name, a quarter rubbed out and retyped.
    term.send("5")
    # enter says what it does here: it exports the row's return (there is nothing else to open).
    footer = term.wait(lambda s: "x Export" in s.splitlines()[-1], "the Returns footer").splitlines()[-1]
    assert "⏎ Export row" in footer and "Open" not in footer, footer
    term.send("x")
    term.wait_for("Export a state's quarterly return")
    term.send(*rubout(), "Norway", TAB, *rubout(8), "2026-Q5", TAB)
    screen = term.wait_for("error: ")
    assert term.field("State", screen) == "Norway" and term.field("Quarter", screen) == "2026-Q5"
    # Back into the quarter and fixed: the error goes as soon as the value is valid.
    term.send(BTAB, *rubout(8), "2026-Q4")
    term.wait_field("Quarter", "2026-Q4")
    term.wait_gone("error: ")
    target = tmp_path / "twintui-return-NOR-2026-Q4.xlsx"
    term.wait_for("NOR's return for 2026-Q4, due back by 2027-01-30")
    term.send(CTRL_S)
    term.wait_for("Exported NOR 2026-Q4 (1 arrangement, 6 partners, 3 risks)")
    assert target.exists()
    term.wait_for(re.compile(r"NOR\s+2026-Q4 .* sent$", re.M))  # the tracker: sent, waiting for the state

    # Import it back: the path typed in the import form, previewed, applied.
    term.send("i")
    term.wait_for("Import returned workbooks")
    term.send(*rubout(200), target.name)
    term.wait_for(target.name)
    term.send(CTRL_S)
    term.wait_for("Preview of 1 file")
    term.send("a")
    term.wait_for("Marks received: NOR 2026-Q4")
    term.send("y")
    term.wait(lambda s: "no backup was taken; marked received: NOR-2026-Q4" in " ".join(s.split()),
              "the import's outcome")  # (wrapped at 80 columns)
    term.wait_for(re.compile(r"NOR\s+2026-Q4 .* received$", re.M))

    # The same file again: a second copy that changes nothing. Said in those words, and Apply is not offered.
    term.send("i")
    term.wait_for("Import returned workbooks")
    term.send(target.name, CTRL_S)
    screen = term.wait_for("Nothing to apply:")
    flat = " ".join(screen.split())
    assert "this copy was received before, and every row is as the register has it" in flat
    assert "Fix the cells" not in flat and "Ready to apply" not in flat
    footer = term.wait(lambda s: "esc Cancel" in s.splitlines()[-1], "the preview's footer").splitlines()[-1]
    assert "Apply" not in footer, footer
    term.send(ESCAPE)
    term.wait_for("Import cancelled")
    term.send("j")  # onto Canada's row: the path of this session's export is only in this session
    term.wait_for("CAN Canada · 2026-Q3")
    term.wait_gone("marked received")  # the toasts time out
    term.wait_gone("Exported NOR")
    mine = term.wait_stable()
    # A fresh launch in the same state shows the same screen, but for the line of the last message.
    fresh = terminal().twintui(db=demo_db, cwd=tmp_path)
    fresh.wait_for("6 of 6 arrangements")
    fresh.send("5", "j")
    fresh.wait_for("CAN Canada · 2026-Q3")
    theirs = fresh.wait_stable()
    message = [n for n, line in enumerate(mine.splitlines()) if "Import cancelled" in line]
    assert message
    same_screen("\n".join(line for n, line in enumerate(mine.splitlines()) if n not in message),
                "\n".join(line for n, line in enumerate(theirs.splitlines()) if n not in message))
