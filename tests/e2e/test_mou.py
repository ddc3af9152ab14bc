"""The MoU editor in a real terminal: the demo's draft edited, agreed, signed, rendered, at 80x24 and 60x20.

Each form is typed into (what is typed is on screen; a date in error stays readable and its message
goes once it is valid), what was saved is read back with the command line, the keyboard stays alive
through every status change, and the layout is made for 80 columns first.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .terminal import (
    BSPACE,
    BTAB,
    CTRL_S,
    DOWN,
    END,
    ENTER,
    ESCAPE,
    TAB,
    UP,
    Terminal,
    run_cli,
    without_toasts,
)

TITLE = ("General agreement for cooperation and exchange on the selection and integration of quota refugees "
         "between Norway, Argentina, Brazil, Chile, Paraguay and Uruguay")
WIPE = (END, *[BSPACE] * 40)


def open_editor(term: Terminal) -> Terminal:
    """The demo's draft MoU (TW-NOR-0001, the second row of the list), on its section list."""
    term.wait_for("6 of 6 arrangements")
    term.send("3")
    # Those with an MoU come first, by id: Canada's agreed one, then Norway's draft.
    term.wait_for(re.compile(r"with an MoU · enter opens\n.*\nTW-CAN-0001 .* v1 agreed\nTW-NOR-0001 .* v1 draft"))
    term.send(DOWN, ENTER)
    term.wait_for("TW-NOR-0001 · MoU version 1")
    term.wait_for(re.compile(r"\^s Save +r Render"))  # the editor's footer: drawn last
    term.wait_stable()
    return term


def section(term: Terminal, number: int, title: str) -> None:
    """From the section list: show section ``number`` (nav is on section 1) and go into it."""
    term.send(*[DOWN] * (number - 1))
    term.wait_for(title)
    term.send_and_redraw(TAB)


def fields(term: Terminal, *pairs: tuple[str, str]) -> None:
    """Type each text into its field, by label (tab between them, once the focus is there)."""
    for n, (label, text) in enumerate(pairs):
        if n:
            term.move_focus(label=label)
        term.send(text)
        last = text.split()[-1]  # a text area wraps, a long input scrolls: its last word shows
        term.wait(lambda screen, last=last: last in screen, f"{last!r} typed")


def test_the_demo_mou_at_80x24_edited_agreed_signed_and_rendered(terminal, demo_db: Path, tmp_path: Path) -> None:  # noqa: ANN001
    term = open_editor(terminal().twintui(db=demo_db))
    screen = term.screen()
    # 80 columns first: the sections get the room, the whole title wraps, the review is one line that
    # says how to see it.
    rows = screen.split("\n")
    at = next(n for n, row in enumerate(rows) if row[14:].strip() == "Title")
    assert " ".join(row[14:].strip() for row in rows[at + 1:at + 4]) == TITLE, screen
    assert re.search(r"Review hidden, p shows it: SMART 2 of 3 · Annex A 10 of 12", screen), screen
    assert "│ SMART" not in screen

    # The plan: its table shows what, start and end; a new activity with a date in error.
    section(term, 5, "5 Implementation plan")
    screen = term.wait_for(re.compile(r"! +# +Activity +Start +End"))
    term.send("a")
    term.wait_for("New activity 9")
    fields(term, ("Activity", "Follow-up visit to Asuncion"), ("Who", "UDI"), ("Start", "2027-02-30"))
    term.move_focus(label="End")  # leaving the field shows its message, and the value stays readable
    screen = term.wait_for("error:")
    assert re.search(r"Start.*\n.* 2027-02-30 .*\n.*error: ", screen), screen
    term.move_focus(BTAB, label="Start")
    term.retype("2027-02-30", "2027-03-01")
    term.wait_gone("error:")  # valid again: the message goes at once
    term.move_focus(label="End")
    fields(term, ("End", "2027-03-05"), ("Milestone", "Report to the network"))
    term.send(CTRL_S)
    term.wait_for(re.compile(r"9 +Follow-up visit to A"))

    # An objective and a role, typed into their forms.
    term.send_and_redraw(ESCAPE)
    term.send(UP, UP)
    term.wait_for("3 Aims and objectives")
    term.send_and_redraw(TAB)
    term.send("a")
    term.wait_for("New objective 4")
    fields(term, ("Objective", "Train 10 officers of each state in interviewing"), ("Indicator", "officers trained"))
    term.send(TAB)  # past the indicator's kind (in words: a target in words follows)
    term.move_focus(label="Target")
    fields(term, ("Target", "50"), ("Due", "2027-06-30"), ("Owner", "Norwegian Directorate of Immigration (UDI)"),
           ("Resources", "national budget"))
    term.send(CTRL_S)
    term.wait_for(re.compile(r"4 +S M A R T +Train 10 officers"))
    term.send_and_redraw(ESCAPE)
    term.send(DOWN)
    term.wait_for("4 Roles and responsibilities")
    term.send_and_redraw(TAB)
    term.send("a")
    term.wait_for("New role 8")
    fields(term, ("Partner", "IOM"), ("Person", "Maria Lopez"),
           ("Responsibility", "Travel and interpretation for the missions"))
    term.send(CTRL_S)
    term.wait_for("Maria Lopez")
    term.send(CTRL_S)
    term.wait_for("Saved TW-NOR-0001 MoU version 1")
    # Nothing of the forms is left painted: the same section as a fresh launch shows it.
    term.send_and_redraw(ESCAPE)
    reference = open_editor(terminal().twintui(db=demo_db))
    reference.send(DOWN, DOWN, DOWN)
    reference.wait_for("4 Roles and responsibilities")
    assert screens_match(settled(term), settled(reference))
    term.send_and_redraw(TAB)

    # Read back: exactly what was typed.
    doc = run_cli(demo_db, "mou", "render", "TW-NOR-0001", "--format", "md", "-o", "-").stdout
    assert "| 9 | Follow-up visit to Asuncion | UDI | 2027-03-01 | 2027-03-05 | Report to the network |" in doc
    assert "Train 10 officers of each state in interviewing" in doc and "Maria Lopez" in doc
    checked = json.loads(run_cli(demo_db, "mou", "check", "TW-NOR-0001", "--json").stdout)
    assert checked["smart"][3]["objective"] == "Train 10 officers of each state in interviewing"

    # Agreeing says what is still open, and asks; from inside a section the keyboard stays alive, also
    # when the section was entered in the same burst as the move to it.
    term.send_and_redraw(ESCAPE)
    term.send(UP, TAB)
    term.wait_for("3 Aims and objectives")
    term.send("s")
    term.wait_for("change the status to")
    term.send(ENTER)
    screen = term.wait_for("Still open")
    assert re.search(r"SMART: 3 of 4 objectives", screen) and re.search(r"Annex A: 10 of 12 answered", screen)
    term.send("y")
    term.wait_for("agreed 20")
    term.send("s")
    term.wait_for("change the status to")
    term.send(ENTER)
    term.wait_for("Still open")
    term.send("y")
    screen = term.wait_for(re.compile(r"signed 20\d\d-\d\d-\d\d"))
    term.wait_gone("^s Save")  # nothing to save on a frozen version: not offered
    # "press e to start version 2" works where it is said: here, inside the section.
    term.send("e")
    term.wait_for("Start version 2 as a draft")
    term.send("y")
    term.wait_for("MoU version 2 (draft)")

    # Render: the file is the first focus; an existing file is not overwritten without asking.
    target = tmp_path / "TW-NOR-0001-MoU-v2-draft.docx"  # the name it suggests: next time, the same file
    term.send("r")
    assert "Word (DOCX)" in term.wait_for("TW-NOR-0001-MoU-v2-draft.docx")  # the format drop-down's choice
    term.send(str(target))  # the file's name is selected: typing replaces it
    screen = term.wait_for(re.compile(rf"{tmp_path.name}/TW-NOR-0001-MoU-v2-draft\.docx +│"))  # (its end shows)
    assert re.search(r"│ File .*\n.*/TW-NOR-0001-MoU-v2-draft\.docx", screen), screen
    term.send(ENTER)
    term.wait_for("Document written")
    first = target.stat().st_mtime_ns
    term.send("r")
    term.wait_for("Render the saved version")
    term.send(ENTER)
    # The question wraps where the path's length puts it: wait for its buttons, read the words joined.
    screen = term.wait_for("Keep it (n)")
    assert re.search(r"already\b.{0,30}\bexists\b.{0,30}\(written\b", " ".join(screen.split())), screen
    term.send("n")
    term.wait_gone("Keep it (n)")
    assert target.stat().st_mtime_ns == first
    term.send(ENTER)
    term.wait_for("Keep it (n)")
    term.send("y")
    term.wait(lambda _: target.stat().st_mtime_ns != first, "the document to be written again")


def test_the_review_at_60x20_says_it_is_hidden(terminal, demo_db: Path) -> None:  # noqa: ANN001
    term = open_editor(terminal(60, 20).twintui(db=demo_db))
    screen = term.wait_for("Review hidden, p shows it")
    assert "│ SMART" not in screen
    term.send("p")
    term.wait_for("│ SMART 2 of 3")
    term.send("p")
    term.wait_for("Review hidden, p shows it")

    # A section's own field: a date in error shows its message once left, with the value readable.
    section(term, 2, "2 Introduction")
    term.retype("2025-01-01", "2025-13-01")
    term.move_focus(label="MoU ends")
    screen = term.wait_for("error:")
    assert re.search(r"MoU starts.*\n.* 2025-13-01\b.*\n.*error: ", screen), screen
    term.move_focus(BTAB, label="MoU starts")
    term.retype("2025-13-01", "2025-01-01")
    term.wait_gone("error:")  # valid again: the message goes at once
    term.send_and_redraw(ESCAPE)
    term.send(UP)
    term.wait_for("1 Title and partners")

    # A drop-down shows its choice while it has the focus, and shows the focus (section 7, own resources).
    term.send(*[DOWN] * 6)
    term.wait_for("7 Funding arrangements")
    term.send_and_redraw(TAB)
    term.send(*[TAB] * 6)  # all to the first field, each moving the focus on: none is lost

    def select_row() -> tuple[str, str]:
        text, styled = term.screen().split("\n"), term.styled().split("\n")
        at = next(n for n, line in enumerate(text) if "Own resources committed" in line) + 1
        return text[at], styled[at]

    term.wait_for("Own resources committed")
    term.wait_stable()
    focused, focused_style = select_row()
    assert re.search(r" yes +▼", focused), term.screen()
    term.send_and_redraw(TAB)
    left, left_style = select_row()
    assert re.search(r" yes +▼", left) and left_style != focused_style


def test_a_burst_of_backspaces_and_a_retype_in_every_mou_form(terminal, demo_db: Path) -> None:  # noqa: ANN001
    term = open_editor(terminal().twintui(db=demo_db))
    section(term, 3, "3 Aims and objectives")
    term.send(ENTER)  # edit objective 1
    term.wait_for("Edit objective 1")
    term.move_focus(label="Indicator")
    term.send(*WIPE, "missions shadowed")
    term.wait_for(re.compile(r"│ +missions shadowed +number +▼"))  # beside it, the indicator's kind
    term.send(CTRL_S)
    term.send_and_redraw(ESCAPE)
    term.send(DOWN, DOWN)
    term.wait_for("5 Implementation plan")
    term.send_and_redraw(TAB)
    term.send(ENTER)
    term.wait_for("Edit activity 1")
    term.send(*WIPE, "Kick-off in Oslo")
    term.move_focus(label="Who")
    term.move_focus(label="Start")
    term.send(*WIPE, "2025-03-04")
    term.wait_for("2025-03-04")
    term.send(CTRL_S)
    term.wait_for(re.compile(r"1 +Kick-off in Oslo"))
    term.send(CTRL_S)
    term.wait_for("Saved TW-NOR-0001 MoU version 1")
    doc = run_cli(demo_db, "mou", "render", "TW-NOR-0001", "--format", "md", "-o", "-").stdout
    assert "| 1 | Kick-off in Oslo | Norwegian Directorate of Immigration (UDI) | 2025-03-04 |" in doc
    checked = json.loads(run_cli(demo_db, "mou", "check", "TW-NOR-0001", "--json").stdout)
    assert checked["smart"][0]["measurable"]["ok"]
    assert "missions shadowed" in doc


def test_the_status_chosen_and_confirmed_in_one_burst(terminal, demo_db: Path) -> None:  # noqa: ANN001
    term = open_editor(terminal().twintui(db=demo_db))
    # s asks for the status, then "are you sure?": each question gets the key typed for it.
    term.send("s", ENTER, "y")
    term.wait_for("agreed 20")
    listed = json.loads(run_cli(demo_db, "mou", "list", "--json").stdout)
    assert [(m["arrangement"], m["version"], m["status"]) for m in listed if m["arrangement"] == "TW-NOR-0001"] == [
        ("TW-NOR-0001", 1, "agreed")]
    # And the next status, signed, the same way: the keyboard is the editor's again afterwards.
    term.send("s", ENTER, "y")
    term.wait_for(re.compile(r"signed 20\d\d-\d\d-\d\d"))
    term.send("e", "y")
    term.wait_for("MoU version 2 (draft)")


def settled(term: Terminal) -> str:
    term.wait_for("^p palette")
    return term.wait_stable()


def screens_match(screen: str, reference: str) -> bool:
    mine, theirs = without_toasts(screen, reference)
    assert mine == theirs, f"{mine}\n--- the reference:\n{theirs}"
    return True
