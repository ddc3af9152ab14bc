"""The Risks screen in a real terminal: the risk form typed as a burst, the residual view, the heat map."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import same_screen, show
from .terminal import BTAB, CTRL_S, DOWN, ENTER, ESCAPE, HOME, TAB, rubout


def test_risk_form_then_residual_scores_and_a_heat_map_cell(terminal, demo_db: Path) -> None:
    term = terminal().twintui(db=demo_db)
    term.wait_for("6 of 6 arrangements")
    # The form opens on its Record ID: typed over at once, and the heading follows what is typed.
    term.send("4", "n", *rubout(), "TW-NOR-0001")
    term.wait_field("Record ID", "TW-NOR-0001")
    term.wait_for("New risk of TW-NOR-0001: Competence building")
    term.send(TAB, "Late interpreters", TAB)
    screen = term.wait_field("Risk", "Late interpreters")
    assert term.field("Category", screen) == "other"  # a focused drop-down shows its value
    term.send(TAB, *rubout(), "7", TAB)
    screen = term.wait_for("error: 7 is above the maximum 5")
    assert term.field("Likelihood", screen) == "7"  # the value in error stays readable
    # Fixed while still in the field: the message goes at once.
    term.send(BTAB, *rubout(), "4")
    term.wait_field("Likelihood", "4")
    term.wait_gone("error: 7 is above")
    term.send(TAB, TAB, TAB, TAB, ENTER, DOWN, ENTER)  # Treatment: the first choice after "(not given)"
    term.wait_field("Treatment", "treat")
    # Back to the risk's text, rubbed out and typed again, and saved: one burst.
    term.send(*[BTAB] * 6, *rubout(), "Interpreters booked late", CTRL_S)
    term.wait_for(re.compile(r"TW-NOR-0001/R-\d+ saved"))
    risks = show(demo_db, "TW-NOR-0001")["risks"]
    [new] = [r for r in risks if r["description"] == "Interpreters booked late"]
    assert (new["likelihood"], new["impact"], new["category"], new["treatment"]) == (4, 3, "other", "treat")

    # Residual view: the score column shows the residual score, and says so.
    term.send("t")
    screen = term.wait_for("sorted by Residual ▼")
    assert re.search(r"Arrangement\s+Risk\s+Residual ▼", screen)
    stored = {f"{a} {r['id']}": r for a in ("TW-NOR-0001", "TW-CAN-0001") for r in show(demo_db, a)["risks"]}
    for line in screen.splitlines():
        row = re.match(r"\W*(TW-[A-Z]{3}-\d{4} R-\d+)\s+([LMHC])\s+(\d+)", line)
        if row and row[1] in stored and stored[row[1]]["residual_likelihood"]:
            risk = stored[row[1]]
            assert int(row[3]) == risk["residual_likelihood"] * risk["residual_impact"], line
    # h marks a cell at once and lists its risks; escape shows all cells again, and drops the key.
    term.send("h")
    screen = term.wait_for("esc All cells")
    assert "[" in "".join(screen.splitlines()[1:7]) and "cell L" in screen
    term.send(ESCAPE)
    screen = term.wait_gone("All cells")
    assert "cell L" not in screen
    term.send(ESCAPE)  # once more: back to the list, and to its first row
    term.wait_for("⏎ Open")
    # Separately: escape and a key right behind it read as alt+key in every terminal.
    term.send(HOME)
    term.wait_gone("saved")  # the save's message times out
    mine = term.wait_stable()
    # What a fresh launch shows in the same state: nothing left over from the steps above.
    fresh = terminal().twintui(db=demo_db)
    fresh.wait_for("6 of 6 arrangements")
    fresh.send("4", "t", HOME)
    fresh.wait_for("sorted by Residual ▼")
    same_screen(mine, fresh.wait_stable())
    same_screen(term.redrawn(), mine)
