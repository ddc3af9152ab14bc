"""Suggest candidates on the comparison screen (issue 9): from the inventory, with evidence, one key adds one."""

from __future__ import annotations

import time

from twintui.core import experts
from twintui.tui.compare import ComparisonScreen
from twintui.tui.compare.grid import MatrixGrid
from twintui.tui.compare.suggest import SuggestScreen

from .test_compare import open_demo, press, wait_for


async def test_suggest_lists_organisations_with_evidence_and_enter_adds_one(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_demo(app, pilot)
        before = [c.name for c in screen.comparison.candidates]
        await press(app, pilot, "i")
        await wait_for(pilot, lambda: isinstance(app.screen, SuggestScreen), "the suggestions")
        suggest: SuggestScreen = app.screen  # type: ignore[assignment]
        found = suggest.suggestions
        assert found and all(s.evidence for s in found)
        assert any(s.kind == "organisation" for s in found)
        # Already in the matrix, or the choosing organisation: not suggested again.
        assert not {s.name for s in found} & set(before)
        assert not {s.partner_ref for s in found} & {c.partner_ref for c in screen.comparison.candidates}
        text = str(suggest.query_one("#suggest-options").render_line(0).text) + "".join(
            str(suggest.query_one("#suggest-options").render_line(y).text) for y in range(1, 4))
        assert found[0].name in text and found[0].evidence[0] in text and "strength" in text

        first = found[0]
        await press(app, pilot, "enter")
        assert isinstance(app.screen, ComparisonScreen)
        names = [c.name for c in screen.comparison.candidates]
        assert names == [*before, first.name]
        assert screen.comparison.candidate(first.name).partner_ref == first.partner_ref
        assert screen.dirty and "unsaved" in str(screen.query_one("#cmp-title").render())
        grid = screen.query_one(MatrixGrid)
        assert grid.candidate == first.name  # the cursor is on the new column
        assert first.name in [c.name for c in grid.comparison.candidates]


async def test_suggest_is_in_the_palette_and_escape_adds_nobody(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_demo(app, pilot)
        assert "Suggest (i)" in [command.title for command in app.get_system_commands(app.screen)]
        before = [c.name for c in screen.comparison.candidates]
        await press(app, pilot, "i")
        await wait_for(pilot, lambda: isinstance(app.screen, SuggestScreen), "the suggestions")
        await press(app, pilot, "escape")
        assert isinstance(app.screen, ComparisonScreen)
        assert [c.name for c in screen.comparison.candidates] == before and not screen.dirty


async def test_keys_typed_with_i_go_to_the_suggestions(make_app, monkeypatch) -> None:  # noqa: ANN001
    found = experts.suggest_for_gap
    answers = []

    def slowly(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - a register large enough to take a while
        time.sleep(0.3)
        answers.append(found(*args, **kwargs))
        return answers[-1]

    monkeypatch.setattr(experts, "suggest_for_gap", slowly)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_demo(app, pilot)
        before = [c.name for c in screen.comparison.candidates]
        row = screen.query_one(MatrixGrid).row
        # One burst: the suggestions are read in a task; down and enter wait for their list (in the grid,
        # down would move to the next factor).
        await pilot.press("i", "down", "enter")
        await wait_for(pilot, lambda: len(screen.comparison.candidates) > len(before), "a candidate added")
        assert isinstance(app.screen, ComparisonScreen)
        grid = screen.query_one(MatrixGrid)
        assert grid.candidate == screen.comparison.candidates[-1].name == answers[0].suggestions[1].name
        assert grid.row == row
