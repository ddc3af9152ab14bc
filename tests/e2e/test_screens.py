"""Register, Risks and Returns in a real terminal: the filter lines, facets, palette and help, the layout
at 80x24, 120x40 and 60x20, and how it reads in 16 colours and without colour."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import same_screen
from .terminal import CTRL_P, CTRL_S, ENTER, ESCAPE, F1, SPACE, TAB, rubout

CUT = re.compile(r"\S▏")  # a footer key running into the palette key: cut mid-word


def listed(screen: str) -> set[str]:
    return set(re.findall(r"TW-[A-Z]{3}-\d{4}", screen))


def test_filters_facets_palette_and_help(terminal, demo_db: Path) -> None:
    term = terminal().twintui(db=demo_db)
    term.wait_for("6 of 6 arrangements")
    # / shows what is typed while focused, and finds states and partners' countries by code and name.
    term.send("/", "Czechia")
    screen = term.wait_for("1 of 6 arrangements")
    assert "/ Czechia" in screen and listed(screen) == {"TW-CZE-0001"}
    for query, found in (("Hungary", {"TW-CZE-0001"}), ("HUN", {"TW-CZE-0001"}), ("Sweden", {"TW-FIN-0001"})):
        term.send(*rubout(), query)
        screen = term.wait_for(f"/ {query}\n")
        assert listed(term.wait_for("1 of 6 arrangements")) == found, query
    term.send(ENTER, "x")
    term.wait_for("6 of 6 arrangements")
    # The facets dialog opens on its values: space ticks the first state at once.
    term.send("f", SPACE, CTRL_S)
    screen = term.wait_for(re.compile(r"\d of 6 arrangements · sorted by ID ▲.* · State: [A-Z]{3}"))
    term.send("x")
    term.wait_for("6 of 6 arrangements · sorted")
    # Help works in the facets dialog and names what is focused in the user's words.
    term.send("f")
    term.wait_for("space tick")
    term.send(F1)
    screen = term.wait_for("Facets — State (tick list)")
    assert "space ticks" in " ".join(screen.split())
    term.send(ESCAPE)
    term.wait_gone("Facets — State")
    term.send(ESCAPE)
    term.wait_gone("space tick")
    # And in a modal form: ? on a drop-down (in a text field it is typed).
    term.send("4", "n", "?")
    term.wait_field("Record ID", "?")  # typed over the Record ID (a field selects its text when entered)
    term.send(TAB, TAB, "?")
    screen = term.wait_for("Risk form — Category (drop-down)")
    term.send(ESCAPE)
    term.wait_gone("Risk form — Category")
    term.send(ESCAPE)
    term.wait_for("Discard the changes")
    term.send("y")
    term.wait_for("open risks")
    # Risks: / finds the arrangement's state by name too.
    term.send("/", "Norway")
    screen = term.wait_for("3 of 11 risks")
    assert "/ Norway" in screen and listed(screen) == {"TW-NOR-0001"}
    term.send(ENTER)
    # The palette offers every screen's actions: "export" on Risks finds the Returns screen's export.
    term.send(CTRL_P)
    term.wait_for("Search for commands")
    term.send("export")
    term.wait_for("Returns: Export (x)")
    term.send(ENTER)
    term.wait_for("Export a state's quarterly return")
    term.send(ESCAPE)
    term.wait_gone("Export a state's quarterly return")  # (escape and a key right behind it read as alt+key)
    # Returns: / shows its text and finds a state by name.
    term.send("/", "Canada")
    screen = term.wait_for("1 of 2 returns")
    assert "/ Canada" in screen and "CAN   2026-Q3" in screen
    term.send(ENTER, "c")
    mine = term.wait_for("2 of 2 returns")
    fresh = terminal().twintui(db=demo_db)
    fresh.wait_for("6 of 6 arrangements")
    fresh.send("5")
    same_screen(term.wait_stable(), fresh.wait_for("2 of 2 returns") and fresh.wait_stable())
    assert mine


def test_layout_at_80x24_then_120x40_then_60x20(terminal, demo_db: Path) -> None:
    term = terminal(80, 24).twintui(db=demo_db)
    term.wait_for("6 of 6 arrangements")
    # No footer cuts a word, on any screen or form (each read once its own keys are drawn).
    for keys, footer in ((("2",), "e Details"), (("3",), "n New MoU"), (("4",), "t Residual"),
                         (("5",), "x Export"), (("1", "n"), "f2 Partners"), (("4", "n"), "^s Save risk"),
                         (("1",), "i Summary")):
        term.send(*keys)
        screen = term.wait(lambda s, footer=footer: footer in s.splitlines()[-1], f"the footer with {footer!r}")
        assert not CUT.search(screen.splitlines()[-1]), screen.splitlines()[-1]
        if keys[-1] == "n":
            term.send(ESCAPE)
            term.wait(lambda s, footer=footer: footer not in s, "the form to close")
    term.wait_for("6 of 6 arrangements")
    screen = term.wait_stable()
    # At 80 columns the title gets the room the partners would take (they are in the record).
    header = next(line for line in screen.splitlines() if line.lstrip().startswith("ID"))
    assert header.index("Status") - header.index("Title") >= 28 and "Partners" not in header
    assert "Practical Cooperation for th" in screen  # 28 characters beside the two flags (!, ✗)
    # Wider: the partners come back, and the dates are given in full.
    term.resize(120, 40)
    screen = term.wait_for("Partners")
    assert "2025-01-01–2027-12-31" in screen
    assert not CUT.search(term.wait_stable().splitlines()[-1])
    # Narrower: still every row, the title first, and whole footer keys.
    term.resize(60, 20)
    screen = term.wait_gone("Partners")
    screen = term.wait_stable()
    assert "TW-NOR-0001" in screen and not CUT.search(screen.splitlines()[-1])
    fresh = terminal(60, 20).twintui(db=demo_db)
    fresh.wait_for("6 of 6 arrangements")
    same_screen(screen, fresh.wait_stable())


def _reversed(line: str) -> bool:
    return any("7" in sgr.split(";") for sgr in _styles(line))


def _styles(line: str) -> list[str]:
    """The SGR parameter lists of a captured line, in order."""
    return re.findall(r"\x1b\[([0-9;]*)m", line)


@pytest.mark.parametrize("kind", ["xterm", "no-color"])
def test_cursor_bands_focus_and_placeholders_read_in_16_colours_and_without(terminal, demo_db: Path,
                                                                           kind: str) -> None:
    term = terminal(80, 24, kind).twintui(db=demo_db)
    term.wait_for("6 of 6 arrangements")
    term.wait_stable()
    lines = term.styled().splitlines()
    cursor = next(line for line in lines if "TW-BEL-0001" in line)
    if kind == "xterm":
        # The cursor row is not the bright red (101/41) of errors and critical risks.
        assert not {"101", "41"} & {code for sgr in _styles(cursor) for code in sgr.split(";")}, cursor
        term.send("4")
        term.wait_for("open risks")
        term.wait_stable()
        heat = term.styled().splitlines()[2:7]
        backgrounds = {}
        for band in "LMHC":
            for line in heat:
                match = re.search(r"\x1b\[([0-9;]*)m[^\x1b]*" + f" {band} ", line)
                if match:
                    backgrounds[band] = match[1]
                    break
        # L, M, H and C cells are drawn in four different colours.
        assert len(set(backgrounds.values())) == 4, backgrounds
    else:
        # Without colour the cursor row is reversed, so it is seen.
        assert _reversed(cursor), cursor
        term.send("n")
        term.wait_for("New arrangement")
        # The focused field's label is reversed.
        lines = term.wait(lambda s: any(_reversed(line) for line in s.splitlines() if "Reporting state" in line),
                          "the focused label reversed", styled=True).splitlines()
        placeholder = next(line for line in lines if "ISO 3166 code or name" in line)
        assert "3" in {code for sgr in _styles(placeholder) for code in sgr.split(";")}, placeholder
        # A value typed is upright: the slant tells a hint from a value, colour or none.
        term.send("Norway")
        term.wait_field("Reporting state", "Norway")
        value = next(line for line in term.styled().splitlines()
                     if re.sub(r"\x1b\[[0-9;]*m", "", line).strip().startswith("Norway"))
        assert "3" not in {code for sgr in _styles(value) for code in sgr.split(";")}, value
