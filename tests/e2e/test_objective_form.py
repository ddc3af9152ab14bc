"""The objective form's counted indicator in a real terminal at 80x24: the kind chosen from its list, the unit,
baseline, target value and target date typed as one burst, bad values marked under their fields, a blank
target date taking the due date; what was saved read back with `twintui progress --json`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .terminal import BTAB, CTRL_S, DOWN, ENTER, TAB, run_cli, rubout
from .test_mou import open_editor, section


def fields_column(screen: str) -> list[str]:
    """The form's left column, line by line (the SMART review beside it left out)."""
    return [row.split("│")[1] for row in screen.split("\n") if row.count("│") >= 3]


@pytest.mark.parametrize("kind", ["xterm-256color", "xterm"])
def test_a_number_indicator_typed_checked_and_saved(terminal, demo_db: Path, kind: str) -> None:  # noqa: ANN001
    term = open_editor(terminal(kind=kind).twintui(db=demo_db))
    section(term, 3, "3 Aims and objectives")
    term.send("a")
    term.wait_for("New objective 4")
    # One burst: the objective, its indicator, the kind (enter opens the list, down to "number", enter takes
    # it), then the number's fields, a baseline that is not a number and a date that does not exist.
    term.send("Train 50 officers in refugee interviewing", TAB, "officers trained", TAB, ENTER, DOWN, ENTER,
              TAB, "officers", TAB, "a few", TAB, "50", TAB, "2027-02-30", TAB)
    screen = term.wait_for(re.compile(r"error: .*2027-02-30"))
    rows = screen.split("\n")
    # The kind shows its choice; the number's fields sit two by two, each value under its label.
    assert re.search(r"Indicator +Kind", screen) and re.search(r"officers trained +number", screen), screen
    at = next(n for n, row in enumerate(rows) if re.search(r"Unit +Baseline", row))
    assert re.search(r"officers +a few", rows[at + 1]), screen
    assert re.search(r"Target value +Target date", screen) and re.search(r" 50 +2027-02-30", screen), screen
    # Each message under its own field, once it was left; the value in error stays readable above it.
    flat = " ".join(" ".join(fields_column(screen)).split())
    assert "error: 'a few' is not a number" in flat and "error: '2027-02-30' is not a date" in flat, screen

    # Fixed in one burst: the date rubbed out (blank: the due date), the baseline 0, then the due quarter
    # and the owner; the messages go as the values become valid.
    term.send(BTAB, *rubout(12), BTAB, BTAB, *rubout(8), "0", TAB, TAB, TAB, "2027-Q4", TAB, "UDI")
    term.wait_for("UDI")
    term.wait_gone("error:")
    # Every field of the number and the rest of the objective on one screen at 80x24, nothing scrolled away
    # once the messages have gone (the form scrolls back to its top in the frame after it shrinks), and the
    # blank target date says its day.
    labels = ("Objective *", "Indicator", "Kind", "Unit", "Baseline", "Target value", "Target date",
              "Due (date or quarter)", "Owner", "Resources", "Keep", "(due 2027-12-31)")
    screen = term.wait(lambda s: all(label in s for label in labels), f"all of {labels}")
    assert "Target\n" not in screen.replace("│", "\n")  # no target in words for a number
    assert re.search(r"officers +0 ", screen) and re.search(r" 50 +\(due 2027-12-31\)", screen), screen
    assert "2027-Q4" in screen and "UDI" in screen
    rows = screen.split("\n")
    assert len(rows) <= 24 and all(len(row) <= 80 for row in rows)
    term.send(CTRL_S)
    term.wait_for(re.compile(r"4 +S M A R T +Train 50 officers"))
    term.send(CTRL_S)
    term.wait_for("Saved TW-NOR-0001 MoU version 1")

    done = run_cli(demo_db, "progress", "--state", "NOR", "--json")
    assert done.returncode == 0, done.stderr
    saved = next(o for o in json.loads(done.stdout) if o["objective"] == 4)
    assert (saved["text"], saved["kind"], saved["indicator"], saved["unit"], saved["baseline"], saved["target"],
            saved["target_date"]) == ("Train 50 officers in refugee interviewing", "number", "officers trained",
                                      "officers", 0, 50, "2027-12-31")
    assert saved["target_text"] == "50 officers (baseline 0)"
    assert saved["verdict"] == "not enough data"  # no return has reported on it yet


def test_a_milestone_without_a_date_is_refused_in_the_terminal(terminal, demo_db: Path) -> None:  # noqa: ANN001
    term = open_editor(terminal(kind="no-color").twintui(db=demo_db))
    section(term, 3, "3 Aims and objectives")
    term.send("a")
    term.wait_for("New objective 4")
    term.send("Publish the regional handbook", TAB, "handbook published", TAB, ENTER, DOWN, DOWN, ENTER, CTRL_S)
    screen = term.wait_for("error: a milestone needs a date")
    assert re.search(r"handbook published +milestone", screen) and "(no due date yet)" in screen, screen
    assert "Unit" not in screen and "Target value" not in screen  # a milestone has a date, no numbers
    term.send("2027-03-31", CTRL_S)  # the refused keep put the focus on the field to fix
    term.wait_for(re.compile(r"4 +S M - R T +Publish the regional"))  # measurable and time-bound now
    term.send(CTRL_S)
    term.wait_for("Saved TW-NOR-0001 MoU version 1")
    saved = next(o for o in json.loads(run_cli(demo_db, "progress", "--json").stdout)
                 if o["arrangement"] == "TW-NOR-0001" and o["objective"] == 4)
    assert (saved["kind"], saved["target_date"], saved["verdict"]) == ("milestone", "2027-03-31", "due")
