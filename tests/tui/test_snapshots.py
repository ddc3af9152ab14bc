"""Snapshot tests: the look of each screen at 80x24 and 120x40 (SVGs in __snapshots__/).

Time and store are pinned (tests/tui/conftest.py), so the screens are the same
on every machine and every day. After an intended change of look, refresh with
``pytest tests/tui/test_snapshots.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from .driving import settle

@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cursor stays drawn: its blink would otherwise be caught on or off by how loaded the machine is."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def journey(*keys: str):  # noqa: ANN201
    async def run_before(pilot) -> None:  # noqa: ANN001
        await settle(pilot.app, pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot.app, pilot)

    return run_before


SCREENS = {
    "register": (),
    "register-filtered": ("slash", *"selection", "escape"),
    "record": ("down", "down", "down", "enter"),
    "record-progress": ("down", "enter", "o"),  # Canada's Americas arrangement: every kind of verdict
    "edit": ("down", "down", "down", "e"),
    "facets": ("f",),
    "help": ("f1",),
    "compare": ("2",),
    "compare-grid": ("2", "enter"),
    "mou": ("3",),
    "mou-editor": ("3", "down", "enter"),  # Norway's draft, after Canada's agreed MoU
    "risks": ("4",),
    "risks-cell": ("4", "h"),  # h marks the busiest, most severe cell at once
    "returns": ("5",),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen(name: str, size: tuple[int, int], make_app, snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(), terminal_size=size, run_before=journey(*SCREENS[name]))


# The modal forms at 80x24, the size officials have over SSH.
FORMS = {
    "ask-weight": ("2", "enter", "w"),
    "risk-form": ("4", "e"),
    "export-form": ("5", "x"),
    "mou-objective-form": ("3", "down", "enter", "down", "down", "enter", "a"),
    # A number indicator: its unit, baseline, target value and target date beside each other, all in view.
    "mou-objective-number": ("3", "down", "enter", "down", "down", "enter", "e"),
    "mou-render-form": ("3", "down", "enter", "r"),
    "confirm-delete": ("delete",),
}


@pytest.mark.parametrize("name", list(FORMS))
def test_form(name: str, make_app, snap_compare, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.chdir("/")  # the export form offers the current folder: the same on every machine
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=journey(*FORMS[name]))


# What a user reads while typing: the filter focused with its text, a field in error with its value
# and message, a focused drop-down with its choice (a tall border on one line once hid all three).
FOCUSED = {
    "filter": ("slash", *"Czechia"),
    "field-in-error": ("n", *"Narnia", "tab", *"A title"),
    "drop-down": ("n", *"Norway", "tab", *"A title", "tab"),
}


@pytest.mark.parametrize("name", list(FOCUSED))
def test_focused(name: str, make_app, snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=journey(*FOCUSED[name]))


@pytest.mark.parametrize("keys", [pytest.param((), id="register"), pytest.param(("4",), id="risks"),
                                  pytest.param(("down", "enter", "o"), id="record-progress"),
                                  pytest.param(("5",), id="returns")])
def test_without_colour(keys: tuple[str, ...], make_app, snap_compare, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=journey(*keys))
