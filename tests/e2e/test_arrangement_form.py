"""The arrangement form and its partner form in a real terminal: every kind of field, typed as a burst.

Each test types the way keys arrive over SSH (one burst), reads the pane as the user sees
it, and reads back what was saved with ``twintui show --json``.
"""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import show
from .terminal import BTAB, CTRL_S, DOWN, ENTER, F2, PAGEDOWN, SPACE, TAB, rubout

SAVED = re.compile(r"(TW-[A-Z]{3}-\d{4}) saved \(revision \d+\)")


def test_every_kind_of_field_shows_what_is_typed_and_saves_it(terminal, demo_db: Path) -> None:
    term = terminal().twintui(db=demo_db)
    term.wait_for("6 of 6 arrangements")
    # n and the first field in one burst: the form takes the keys typed before it was drawn.
    term.send("n", "Narnia", TAB, "A first title")
    term.wait_field("Title", "A first title")  # a text field shows its text while focused
    screen = term.wait_for("error:")
    # A field in error shows its value, and the message under it.
    assert term.field("Reporting state", screen) == "Narnia"
    assert "error: 'Narnia' is not a country name" in screen
    # Back to it, rubbed out and typed again: the message goes while the field is still focused.
    term.send(BTAB, *rubout(), "Norway")
    term.wait_field("Reporting state", "Norway")
    term.wait_gone("error: 'Narnia'")
    # A drop-down shows its value while focused, and the one chosen.
    term.send(TAB, TAB)
    screen = term.wait_for("Status *")
    assert term.field("Status", screen) == "planned"
    term.send(ENTER, DOWN, ENTER)
    term.wait_field("Status", "active")
    # A tick list: space ticks the highlighted entry, and it says so without colour ("X").
    term.send(TAB, SPACE)
    term.wait_for("X▌ visit")
    # A text area (learning gap) shows what is typed.
    term.send(TAB, TAB, "Selection interviews with two interpreters")
    term.wait_for("Selection interviews with two interpreters")
    # Dates: an end before the start is shown with its value, under its field, once left.
    term.send(TAB, TAB, TAB, "2026-03-01", TAB, "2025-01-31", TAB)
    screen = term.wait_for("error: the end date 2025-01-31 is before")
    assert term.field("Start date", screen) == "2026-03-01"
    assert term.field("End date", screen) == "2025-01-31"
    term.send(BTAB, *rubout(12), "2027-12-31")
    term.wait_field("End date", "2027-12-31")
    # A number: what is typed stays as typed, and a bad one shows with its message.
    term.send(TAB, TAB, TAB, "12 thousand", TAB)
    screen = term.wait_for("error: '12 thousand' is not a number")
    assert term.field("Funding amount", screen) == "12 thousand"
    term.send(BTAB, *rubout(), "45000")
    term.wait_field("Funding amount", "45000")
    # The title again: 40 backspaces and the new text in one burst give exactly the new text.
    # From Funding amount back over eleven fields to the Title, then the rest in the same burst.
    term.send(*[BTAB] * 11, *rubout(), "Norway-1", CTRL_S)
    screen = term.wait_for(SAVED)
    # One message for one save, and it gives the warning itself (an amount without its currency).
    toast = " ".join(screen.replace("▌", " ").split())
    assert toast.count("saved (revision") == 1, screen
    assert "with 2 warnings: warning: Currency: give the currency of the funding amount" in toast, screen
    assert "warning: Activity types: a familiarisation visit alone is not a twinning activity" in toast, screen
    saved = show(demo_db, SAVED.search(screen)[1])["arrangement"]
    assert saved["title"] == "Norway-1"
    assert (saved["reporting_state"], saved["status"], saved["activity_types"]) == ("NOR", "active", ["visit"])
    assert saved["learning_gap"] == "Selection interviews with two interpreters"
    assert (saved["start"], saved["end"], saved["funding_amount"]) == ("2026-03-01", "2027-12-31", 45000)


def test_partner_form_and_the_history_of_an_edited_arrangement(terminal, demo_db: Path) -> None:
    term = terminal().twintui(db=demo_db)
    term.wait_for("6 of 6 arrangements")
    # Open the Norway arrangement and edit it from the record view, all in one burst.
    term.send("/", "TW-NOR-0001", ENTER, ENTER, "e")
    term.wait_for("TW-NOR-0001 · revision 1 · * required")
    # The title first (a long one), then a new partner in the partner form.
    term.send(TAB, *rubout(120), "Selection and integration, second phase")
    term.wait_field("Title", "Selection and integration, second phase")
    term.send(F2, "a", "Swedish Migration Agency")
    term.wait_field("Partner name", "Swedish Migration Agency")
    screen = term.wait_field("Partner type", "state")  # a drop-down shows its value
    term.send(TAB, ENTER, DOWN, ENTER)  # open it, the next choice, take it
    term.wait_field("Partner type", "NGO")
    term.send(TAB, "Atlantis", TAB)
    screen = term.wait_for("error: 'Atlantis'")
    assert term.field("Country", screen) == "Atlantis"  # the value in error stays readable
    term.send(BTAB, *rubout(), "Sweden", TAB)
    term.wait_gone("error: 'Atlantis'")
    # The name rubbed out and typed again, kept and saved, in one burst.
    term.send(BTAB, BTAB, BTAB, *rubout(), "Migrationsverket", CTRL_S, CTRL_S)
    screen = term.wait_for("TW-NOR-0001 saved (revision 2)")
    assert screen.count("saved (revision") == 1, screen  # the form says it; the record view does not again
    partners = show(demo_db, "TW-NOR-0001")["partners"]
    added = [p for p in partners if p["name"] == "Migrationsverket"]
    assert len(added) == 1 and (added[0]["type"], added[0]["country"]) == ("NGO", "SWE")
    assert show(demo_db, "TW-NOR-0001")["arrangement"]["title"] == "Selection and integration, second phase"
    # Back on the record, its history: the title's old and new value each whole, at 80 columns.
    term.send("h")
    term.wait_for("History (")
    for _ in range(6):  # the partner's creation comes first (newest first), the title's change below it
        if "now Selection and integration" in term.screen():
            break
        term.send(PAGEDOWN)
        term.wait_stable()
    screen = term.wait_for("now Selection and integration, second phase")
    text = " ".join(screen.split())
    assert ("Title was Competence building on selection and integration of quota refugees with five Latin "
            "American states") in text


def test_the_saved_message_goes_when_it_expires_also_from_a_record_scrolled_under_it(terminal, demo_db: Path) -> None:  # noqa: ANN001
    term = terminal().twintui(db=demo_db)
    term.wait_for("6 of 6 arrangements")
    term.send(ENTER)
    term.wait_for("esc Back  e Edit")
    term.send("e")
    term.wait_for("* required")
    term.send(TAB, *rubout(), "Norway and its partners", CTRL_S)
    term.wait_for("saved (revision 2)")
    term.send(DOWN, DOWN)  # the record scrolls under the message
    # The message lasts 5 seconds; the terminal shows the record again where it was, without a redraw.
    screen = term.wait_gone("saved (revision 2)", timeout=15)
    assert "esc Back  e Edit" in screen
