"""An arrangement's Progress panel: each objective's values and bar toward its target, the verdict in words
(and '!' where it needs acting on), the activities and the spending; readable without colour at 80x24."""

from __future__ import annotations

from twintui.tui.register.record import ArrangementScreen

from ..driving import plain, settle


async def open_record(app, pilot, words: str) -> ArrangementScreen:  # noqa: ANN001
    await settle(app, pilot)
    await pilot.press("slash", *words, "enter", "enter")
    await settle(app, pilot)
    assert isinstance(app.screen, ArrangementScreen)
    return app.screen


async def test_the_panel_shows_every_objective_with_its_verdict_bar_and_values(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_record(app, pilot, "Mexico Plan")
        text = plain(screen.query_one("#progress-text"))
        lines = text.splitlines()
        assert "MoU version 1 (agreed)" in lines[0] and "as of 2026-11-20" in lines[0]
        assert "1 off track, 1 late (!)" in lines[0]
        # Objective 1, the README's worked example: 4, 4, 5, 5 from 3 toward 8 (40% of the way).
        first = next(n for n, line in enumerate(lines) if line.lstrip().startswith("1 !off track"))
        assert "states with a focal point" in lines[first]
        assert "████······  40%  5 of 8 states (from 3)" in lines[first + 1]
        assert "▂▂▄▄ 2025-Q4 4 · 2026-Q1 4 · 2026-Q2 5 · 2026-Q3 5" in lines[first + 2]
        assert "reaches 8 on 2028-07-21" in " ".join(lines[first + 3:first + 5])
        assert any(line.lstrip().startswith("2  achieved") for line in lines)
        assert "██████████ 100%  130 of 120 people" in text
        assert any(line.lstrip().startswith("3  on track") for line in lines)
        assert any(line.lstrip().startswith("4 !late") for line in lines)
        assert "milestone due 2026-06-30" in text
        # The plan and the spending.
        assert "Activities: 3 of 6 done" in text and "! late" in text
        assert "Spending: CAD 190,000 of 250,000 spent (76%)" in text
        # 190,000 / 250,000 = 0.76: 7.6 cells, seven and 5 eighths (▋); the period 2024-01-15 to 2027-12-31
        # (1,447 days) gone by 2026-09-30 (990 days): 0.684, 6.84 cells, six and 7 eighths (▉).
        assert "spent   ███████▋··  76%" in text and "period  ██████▉···  68%" in text
        assert str(screen.query_one("#progress-title").render()) == "Progress (4 objectives, 1 off track, 1 late)"
        # o jumps to it.
        await pilot.press("t", "o")
        body = screen.query_one("#record-body")
        assert body.scroll_y > 0 and screen.query_one("#progress-title").region.y <= 3


async def test_an_arrangement_without_an_mou_says_so(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_record(app, pilot, "Czech")
        assert "No MoU with objectives and no progress reported" in plain(screen.query_one("#progress-text"))
        assert str(screen.query_one("#progress-title").render()) == "Progress"
