"""Compare partners in a real terminal: from the list to a saved matrix, every form typed into.

What is typed is on screen while its field has the focus, a value in error stays readable and its
message goes once it is valid, a burst of 40 backspaces and a retype saves exactly the retyped text
(read back with the command line), and no step leaves old text painted beside the grid: each screen
is compared with a fresh launch that shows the same state.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

from twintui.core.compare.demo import DEMO_NAME

from .conftest import audit
from .terminal import BSPACE, CTRL_S, DOWN, END, ENTER, ESCAPE, LEFT, RIGHT, Terminal, run_cli, without_toasts

NAME = "Alpha partner for 2027"  # sorts before the demo's comparison: the first row of the list
GEOPOLITICAL = "Geopolitical and socioeconomic considerations"
WIPE = (END, *[BSPACE] * 60)  # as a user clears a field over SSH: in the same burst as the retype


def assert_same(screen: str, reference: str) -> None:
    """Two screens draw the same (toasts aside); a difference is shown line by line."""
    mine, theirs = without_toasts(screen, reference)
    assert mine == theirs, "\n".join(difflib.unified_diff(theirs.split("\n"), mine.split("\n"), "reference",
                                                         "this terminal", lineterm=""))


def settled(term: Terminal) -> str:
    """The screen once drawn whole (the footer comes last) and still."""
    term.wait_for("^p palette")
    return term.wait_stable()


def open_compare(term: Terminal, comparisons: int = 1) -> Terminal:
    term.wait_for("6 of 6 arrangements")
    term.send("2")
    term.wait_for(f"{comparisons} of {comparisons} comparison")
    return term


def open_first(term: Terminal, comparisons: int = 1) -> Terminal:
    open_compare(term, comparisons).send(ENTER)
    term.wait_for("saved · revision")
    term.wait_for("0-5 Score")  # the grid's footer: it has the focus, keys go to it
    return term


def fresh(terminal, db: Path, *keys: str, comparisons: int = 2, size: tuple[int, int] = (80, 24)) -> str:  # noqa: ANN001
    """A new launch taken straight to the first comparison of the list, then ``keys``: the reference screen."""
    term = open_first(terminal(*size).twintui(db=db), comparisons)
    if keys:
        term.send(*keys)
    return settled(term)


def test_a_new_comparison_typed_scored_and_saved(terminal, demo_db: Path) -> None:  # noqa: ANN001
    term = open_compare(terminal().twintui(db=demo_db))
    # The list at 80x24: who is first, how firm that is (as the README says) and the whole date.
    assert re.search(r"First +How firm +Updated$", term.screen(), re.M)
    assert re.search(r" Netherlands +fragile +\d{4}-\d\d-\d\d$", term.screen(), re.M), term.screen()

    # New comparison: a taken name stays readable beside its error, which goes once the name is free.
    term.send("n")
    term.wait_for("New comparison")
    term.send(DEMO_NAME)
    term.wait_for(DEMO_NAME)  # on screen while focused
    term.send(CTRL_S)
    screen = term.wait_for("already called")
    assert re.search(rf"│ {re.escape(DEMO_NAME)} +│", screen), screen
    term.retype(DEMO_NAME, NAME)
    term.wait_gone("already called")
    for label, text in (("Organisation", "Ministry of Health"), ("Learning", "selection missions within 18 months"),
                        ("End goal", "a first group by 2028")):
        term.move_focus(label=label)
        term.send(text)
        term.wait_for(text)
    term.send(CTRL_S)
    term.wait_for(re.compile(rf"{NAME} · Ministry of Health +saved · revision 1"))
    assert_same(settled(term), fresh(terminal, demo_db))

    # The grid's forms: weight (an error keeps the value), must-have, candidate search, note, factors.
    term.send("w")
    term.wait_for("Weight of Geopolitical")
    term.send("9", ENTER)  # the 3 is selected: typing replaces it
    screen = term.wait_for("out of range")
    assert re.search(r"│ 9 +│", screen), screen
    term.retype("9", "2,5")
    term.wait_gone("out of range")
    term.send(ENTER)
    term.wait_for(re.compile(r"^Geopolitical.* 2\.5\b", re.M))
    term.send("m")
    term.wait_for("Must-have minimum of")
    term.send("2", ENTER)
    term.wait_for("≥2")
    term.send("c")
    term.wait_for("Add a candidate")
    term.send("Finnish")
    term.wait_for("Finland — Finnish Ministry of the Interior")  # the search follows the typing
    term.retype("Finnish", "Finland")
    term.send(ENTER)
    term.wait_for(re.compile(r"^Factor .*Finland", re.M))
    term.send("3", "e")
    term.wait_for("Note: Finland on")
    term.send("from the 2024 visit", ENTER)
    term.wait_for("— from the 2024 visit")
    term.send("a")
    term.wait_for("Add a factor")
    term.send("Language")
    term.wait_for(re.compile(r"│ Language +│"))
    term.move_focus(label="Weight")
    term.send("4", ENTER)
    term.wait_for(re.compile(r"^Language +4 ", re.M))
    for key, title, text in (("r", "Rename the factor Language", "Language skills"),
                             ("R", "Rename the candidate Finland", "Finland (Migri)")):
        term.send(key)
        term.wait_for(title)
        term.send(text)  # the name is selected: typing replaces it
        term.wait_for(re.compile(rf"│ {re.escape(text)} +│"))
        term.send(ENTER)
        term.wait_gone(title)
    term.send(CTRL_S)
    term.wait_for("saved · revision 2")
    # The cursor is on the new factor: the reference goes there too.
    assert_same(settled(term), fresh(terminal, demo_db, DOWN))

    shown = json.loads(run_cli(demo_db, "compare", "show", NAME, "--json").stdout)
    assert shown["factors"][:2] == [{"name": GEOPOLITICAL, "weight": 2.5, "must_have_min": 2},
                                    {"name": "Language skills", "weight": 4, "must_have_min": None}]
    [candidate] = shown["candidates"]
    assert candidate["name"] == "Finland (Migri)" and candidate["scores"][GEOPOLITICAL] == 3
    [listed] = [c for c in json.loads(run_cli(demo_db, "compare", "list", "--json").stdout) if c["name"] == NAME]
    assert listed["organisation"] == "Ministry of Health"
    assert "from the 2024 visit" in json.dumps(audit(demo_db, "--record", listed["id"])[-1]["changes"])


def test_a_burst_of_backspaces_and_a_retype_in_every_form(terminal, demo_db: Path) -> None:  # noqa: ANN001
    """Over SSH the keys of a quick edit arrive together: none may be lost or reordered in any form."""
    term = open_first(terminal().twintui(db=demo_db))
    steps = [  # (key, what the form says, the retyped text, what shows it was kept)
        ("w", "Weight of Geopolitical", "2.5", re.compile(r"^Geopolitical.* 2\.5\b", re.M)),
        ("m", "Must-have minimum of", "2", "≥2"),
        ("e", "Note: Norway on", "from the 2024 visit", "— from the 2024 visit"),
        ("r", "Rename the factor", "Geopolitics", re.compile(r"^Geopolitics ", re.M)),
        ("R", "Rename the candidate", "Norway (UDI)", "Norway (UDI)"),
    ]
    for key, title, text, kept in steps:
        term.send(key)
        term.wait_for(title)
        term.send(*WIPE, text)
        term.wait_for(re.compile(rf"│ {re.escape(text)} +│"))
        term.send(ENTER)
        term.wait_for(kept)
    term.send("c")
    term.wait_for("Add a candidate")
    term.send("Finnish")
    term.wait_for("Finland — Finnish Ministry of the Interior")
    term.send(*WIPE, "Finland")
    term.wait_for(re.compile(r"│ Finland +│"))
    term.send(ENTER)
    term.send("d")
    term.wait_for("Details of the comparison")
    term.send(*WIPE, *WIPE, "Romania's partner")
    term.wait_for("Romania's partner")
    term.send(CTRL_S)
    term.wait_gone("Details of the comparison")
    term.send(CTRL_S)
    term.wait_for("saved · revision 2")

    shown = json.loads(run_cli(demo_db, "compare", "show", "Romania's partner", "--json").stdout)
    assert shown["factors"][0] == {"name": "Geopolitics", "weight": 2.5, "must_have_min": 2}
    assert [c["name"] for c in shown["candidates"]] == ["Norway (UDI)", "Canada", "Netherlands", "Sweden",
                                                        "Finland"]
    assert "from the 2024 visit" in json.dumps(audit(demo_db, "--record", "COM-0001")[-1]["changes"])


def test_the_demo_comparison_at_120x40_and_first_place_at_80(terminal, demo_db: Path) -> None:  # noqa: ANN001
    wide = fresh(terminal, demo_db, comparisons=1, size=(120, 40))
    # The same comparison opened at 80x24 and then widened: the app draws every cell anew.
    term = open_first(terminal().twintui(db=demo_db))
    term.resize(120, 40)
    term.wait_for("─" * 120)
    term.wait_for(re.compile(r"Sensitivity +g Grid"))  # the footer at its new width
    assert_same(wide, settled(term))

    # ★ marks first place in the leader's own column, also when its left neighbour's name fills its column;
    # and the title counts the changes made (three), not the items that differ.
    term.resize(80, 24)
    term.wait_for(re.compile(r"^Factor {20}Weight ", re.M))  # laid out at 80 columns again
    term.send("1", RIGHT, "1", RIGHT, "1", LEFT, "2", LEFT, "2")
    # (The keys are handled one at a time: the screen is read once all five are in.)
    screen = term.wait(lambda s: "unsaved (5 changes)" in s and "Sweden is first" in s, "the five changes")
    header = next((line for line in screen.splitlines() if line.startswith("Factor")), screen)
    assert re.search(r"Netherlands +★ ?Sweden", header), header
    term.send(ESCAPE, ESCAPE)
    term.wait_for("unsaved changes. Save them before closing?")


def candidates(db: Path) -> list[dict]:
    return json.loads(run_cli(db, "compare", "show", DEMO_NAME, "--json").stdout)["candidates"]


def test_keys_typed_with_i_pick_from_the_suggestions_score_and_save(terminal, demo_db: Path) -> None:  # noqa: ANN001
    term = open_first(terminal().twintui(db=demo_db))
    before = candidates(demo_db)
    # One burst: the suggestions are read off the UI thread; down and enter wait for their list (in the
    # grid, down would move to the next factor), then 5 scores the new column's cell and ctrl+s saves.
    term.send("i", DOWN, ENTER, "5", CTRL_S)
    term.wait_for("saved · revision 2")
    after = candidates(demo_db)
    assert [c["name"] for c in after[:-1]] == [c["name"] for c in before]
    assert [c["scores"] for c in after[:-1]] == [c["scores"] for c in before]
    scores = after[-1]["scores"]
    assert scores[GEOPOLITICAL] == 5 and [score for score in scores.values() if score is not None] == [5], scores
