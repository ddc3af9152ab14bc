"""Screen 2, Compare partners, driven from the keyboard at 80x24 as an official would."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Button

from twintui.core.compare import Comparison, evaluate, merge, records
from twintui.core.compare.demo import DEMO_NAME
from twintui.core.model import Partner
from twintui.core.store import Store, policy
from twintui.core.text import clip
from twintui.tui.app import TwintuiApp
from twintui.tui.common.confirm import ConfirmScreen
from twintui.tui.common.conflict import ConflictScreen
from twintui.tui.common.help import HelpScreen
from twintui.tui.compare import CompareScreen, ComparisonScreen
from twintui.tui.compare.forms import AskScreen, CandidateScreen, ChoiceScreen
from twintui.tui.compare.grid import MatrixGrid
from twintui.tui.compare.merge import ComparisonConflictScreen, ConflictItems
from twintui.tui.compare.views import CandidatePicker

from ..conftest import TODAY
from ..driving import settle, wait_for

FUNDING = "Funding for the twinning activity"
POLICY = "Policy and procedures (dossier or mission based selection)"
GEO = "Geopolitical and socioeconomic considerations"
NAME = DEMO_NAME


def text_of(app: TwintuiApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def screen_text(app: TwintuiApp) -> str:
    """What the terminal shows, as plain text lines."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def press(app: TwintuiApp, pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(app, pilot)




async def open_demo(app: TwintuiApp, pilot) -> ComparisonScreen:
    await settle(app, pilot)
    await press(app, pilot, "2")
    assert isinstance(app.screen, CompareScreen)
    await press(app, pilot, "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ComparisonScreen), "the comparison to open")
    await settle(app, pilot)
    return app.screen  # type: ignore[return-value]


def grid(app: TwintuiApp) -> MatrixGrid:
    return app.screen.query_one(MatrixGrid)


async def go_to(app: TwintuiApp, pilot, factor: str, candidate: str) -> None:
    """Move the cursor with the arrow keys, as a user would."""
    g = grid(app)
    rows = [f.name for f in g.comparison.factors].index(factor) - g.row
    cols = [c.name for c in g.comparison.candidates].index(candidate) - g.col
    keys = ["down" if rows > 0 else "up"] * abs(rows) + ["right" if cols > 0 else "left"] * abs(cols)
    if keys:
        await press(app, pilot, *keys)
    assert (g.factor, g.candidate) == (factor, candidate)


# ---------------------------------------------------------------- the list


async def test_the_list_shows_the_demo_comparison_with_a_preview(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "2")
        assert isinstance(app.screen, CompareScreen)
        assert text_of(app, "#compare-status").startswith("1 of 1 comparison")
        preview = text_of(app, "#compare-preview")
        assert "Netherlands leads with 81.3" in preview and "fragile" in preview
        assert "Norway, Canada, Netherlands, Sweden" in preview
        await press(app, pilot, "slash", *"atlantis")
        assert text_of(app, "#compare-status").startswith("0 of 1")
        await press(app, pilot, "escape", "x")
        assert text_of(app, "#compare-status").startswith("1 of 1")
        await press(app, pilot, "3")  # digits switch screens from the list
        assert app.screen.TITLE == "MoU"


async def test_delete_from_the_list_asks_first(make_app, pinned_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "2", "delete")
        assert isinstance(app.screen, ConfirmScreen)
        await press(app, pilot, "n")
        assert len(records.load_all(pinned_store)) == 1
        await press(app, pilot, "delete", "y")
        assert records.load_all(pinned_store) == []
        assert text_of(app, "#compare-status").startswith("No comparisons yet")
        assert pinned_store.history("COM-0001")[-1].action == "delete"


async def test_the_list_sorts_by_any_column_and_reverses(make_app, pinned_store: Store) -> None:
    # A second comparison whose name sorts after the demo's but whose organisation sorts before it.
    records.save(pinned_store, Comparison.new("Slovenia: a second partner", organisation="Government Office"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "2")
        table = app.screen.query_one("#compare-table")
        assert [e.comparison.name for e in table.rows] == [NAME, "Slovenia: a second partner"]  # by name
        assert "sorted by Comparison ▲" in text_of(app, "#compare-status")
        await press(app, pilot, "s")  # by organisation
        assert [e.comparison.organisation[:10] for e in table.rows] == ["Government", "Ministry o"]
        assert "sorted by Organisation ▲" in text_of(app, "#compare-status")
        await press(app, pilot, "r")
        assert [e.comparison.organisation[:10] for e in table.rows] == ["Ministry o", "Government"]
        assert text_of(app, "#compare-status").startswith("2 of 2 comparisons · sorted by Organisation ▼")
        await press(app, pilot, "s")  # by how many candidates: the demo's four after none
        assert [len(e.comparison.candidates) for e in table.rows] == [0, 4]


async def test_a_read_only_user_is_not_offered_new_or_delete_and_is_told_why(pinned_store: Store) -> None:
    policy.default_path(pinned_store.path).write_text(
        f'maintainers = ["amina"]\nread_only = ["{pinned_store.user}"]\n')
    app = TwintuiApp(pinned_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "2")
        screen = app.screen
        titles = [command.title for command in app.get_system_commands(screen)]
        assert not any(t.startswith(("New (", "Delete (")) for t in titles), titles
        assert "Filter (/)" in titles and "Details (e)" in titles  # e opens it read-only and says so
        await press(app, pilot, "delete")
        assert app.screen is screen  # no question
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("focal.point may not change comparison COM-0001") and "read-only access" in m
                   for m in messages), messages
        assert len(records.load_all(pinned_store)) == 1


# ---------------------------------------------------------------- building one with the keyboard alone


async def test_build_a_comparison_with_the_keyboard_alone(make_app, pinned_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "2", "n")
        assert isinstance(app.screen, AskScreen)
        await press(app, pilot, *"P 2027", "enter", *"MoI", "enter", *"selection", "enter", *"18 months", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ComparisonScreen), "the new comparison")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ComparisonScreen)
        assert screen.focused is grid(app)
        saved = records.find(pinned_store, "P 2027")
        assert saved.organisation == "MoI" and len(saved.factors) == 10

        # A partner of the register, found by typing, picked with down and enter.
        await press(app, pilot, "c")
        assert isinstance(app.screen, CandidateScreen)
        await press(app, pilot, *"norw", "down", "enter")
        # A candidate that is not in the register: typed.
        await press(app, pilot, "c", *"Atlantis", "enter")
        c = screen.comparison
        assert [x.name for x in c.candidates] == ["Norway", "Atlantis"]
        assert pinned_store.get(Partner, c.candidates[0].partner_ref).name.startswith("Norwegian Directorate")
        assert c.candidates[1].partner_ref is None

        # Scores: the cursor is on the new candidate; digits score, arrows move.
        assert grid(app).candidate == "Atlantis"
        await press(app, pilot, "4", "down", "2", "left", "5", "up", "3")
        assert (c.score(GEO, "Atlantis"), c.score(GEO, "Norway")) == (4, 3)
        assert c.score("Similarity of asylum system", "Atlantis") == 2
        assert c.score("Similarity of asylum system", "Norway") == 5
        assert app.screen is screen  # the digits did not switch screens

        # Weight, must-have minimum and note through their small modals.
        await press(app, pilot, "w")
        assert isinstance(app.screen, AskScreen)
        await press(app, pilot, *"4.5", "enter")
        assert c.factor(GEO).weight == 4.5
        await press(app, pilot, "m", "2", "enter", "e", *"at ATCR", "enter")
        assert c.factor(GEO).must_have_min == 2
        assert c.cell(GEO, "Norway").note == "at ATCR"

        assert "● unsaved" in text_of(app, "#cmp-title")
        assert screen.has_unsaved_changes
        await press(app, pilot, "ctrl+s")
        assert "saved · revision 2" in text_of(app, "#cmp-title")
        assert not screen.has_unsaved_changes
        stored = records.find(pinned_store, "P 2027")
        assert records.content(stored) == records.content(c)
        assert [e.action for e in pinned_store.history(stored.id)] == ["create", "update"]
        assert pinned_store.history(stored.id)[-1].source == "screen:compare"

        # escape leaves the grid, escape again closes; the list shows the new one.
        await press(app, pilot, "escape", "escape")
        assert isinstance(app.screen, CompareScreen)
        assert text_of(app, "#compare-status").startswith("2 of 2")
        assert app.screen.query_one("#compare-table").current.id == stored.id


async def test_a_name_already_used_is_refused_in_the_form(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "2", "n")
        app.screen.query_one("#ask-name").value = NAME.upper()  # typing it is tested above
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, AskScreen)
        assert "already called" in text_of(app, "#ask-error")
        await press(app, pilot, "escape")
        assert isinstance(app.screen, CompareScreen)


# ---------------------------------------------------------------- scoring, totals, must-have


async def test_scoring_updates_totals_coverage_and_rank_live(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_demo(app, pilot)
        c = screen.comparison
        before = evaluate(c).result("Sweden")
        await go_to(app, pilot, FUNDING, "Sweden")
        await press(app, pilot, "5")
        after = grid(app).evaluation.result("Sweden")
        assert c.score(FUNDING, "Sweden") == 5
        assert after.coverage == 1.0 > before.coverage
        assert after.total != before.total
        # The leader is marked with a symbol, on its own column header and nowhere else in the headers.
        leader = grid(app).evaluation.leader
        header = next(line for line in screen_text(app).splitlines() if "Sweden" in line and "Canada" in line)
        assert header.count("★") == 1 and re.search("★ *" + re.escape(leader[:5]), header), (leader, header)
        await press(app, pilot, "backspace")
        assert c.score(FUNDING, "Sweden") is None  # unknown again, not zero
        assert grid(app).evaluation.result("Sweden").total == pytest.approx(before.total)
        assert not screen.has_unsaved_changes  # back where the store is
        await press(app, pilot, "7")
        assert c.score(FUNDING, "Sweden") is None  # 6-9 are not scores, and do not switch screens
        assert app.screen is screen


async def test_must_have_minimum_excludes_with_the_reason(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_demo(app, pilot)
        await go_to(app, pilot, FUNDING, "Canada")
        await press(app, pilot, "m", "backspace", "3", "enter")
        ev = grid(app).evaluation
        assert ev.result("Canada").excluded == f"below must-have minimum 3 on {FUNDING!r} (scored 2)"
        assert ev.result("Norway").rank is not None and ev.result("Norway").excluded is None
        shown = screen_text(app)
        assert "✗ excl" in shown and "≥3" in shown
        # A minimum that is not a whole number 0-5 is refused in the modal.
        await press(app, pilot, "m", "backspace", "9", "enter")
        assert isinstance(app.screen, AskScreen) and "not a minimum" in text_of(app, "#ask-error")
        await press(app, pilot, "escape")
        assert screen.comparison.factor(FUNDING).must_have_min == 3


async def test_weights_change_the_ranking_and_bad_weights_are_refused(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_demo(app, pilot)
        await go_to(app, pilot, POLICY, "Norway")
        await press(app, pilot, "w", "ctrl+a", "ctrl+k", *"7", "enter")
        assert "out of range" in text_of(app, "#ask-error")
        # Below the tipping weight (2.46) Sweden takes first place.
        await press(app, pilot, "ctrl+a", "ctrl+k", *"2,4", "enter")
        assert screen.comparison.factor(POLICY).weight == 2.4
        assert grid(app).evaluation.leader == "Sweden"
        assert "Sweden is first" in text_of(app, "#cmp-verdict")


# ---------------------------------------------------------------- digits: grid vs. screen switching


async def test_digits_score_in_the_grid_and_switch_screens_outside_it(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_demo(app, pilot)
        assert screen.focused is grid(app)
        assert "0-5 score" in text_of(app, "#cmp-views")
        await press(app, pilot, "3")
        assert app.current_mode == "compare" and app.screen is screen
        assert screen.comparison.score(GEO, "Norway") == 3
        await press(app, pilot, "1")
        assert screen.comparison.score(GEO, "Norway") == 1 and app.screen is screen
        await press(app, pilot, "escape")  # leaves the grid, the comparison stays open
        assert app.screen is screen and screen.focused is None
        assert "digits: screens" in text_of(app, "#cmp-views")
        await press(app, pilot, "3")
        assert app.current_mode == "mou" and app.screen.TITLE == "MoU"
        await press(app, pilot, "2")  # back: the comparison, still unsaved
        assert app.screen is screen and screen.has_unsaved_changes
        await press(app, pilot, "enter")  # into the grid again
        assert screen.focused is grid(app)
        await press(app, pilot, "4")
        assert screen.comparison.score(GEO, "Norway") == 4


async def test_quit_and_close_ask_first_when_unsaved(make_app, pinned_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_demo(app, pilot)
        await press(app, pilot, "0", "escape", "q")
        assert isinstance(app.screen, ConfirmScreen)  # the app's "unsaved changes" question
        await press(app, pilot, "n")
        await press(app, pilot, "escape")
        assert isinstance(app.screen, ChoiceScreen)
        await press(app, pilot, "k")  # keep editing
        assert app.screen is screen
        await press(app, pilot, "escape", "s")  # save, then close
        await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen), "the list")
        assert records.find(pinned_store, NAME).score(GEO, "Norway") == 0
        await press(app, pilot, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ComparisonScreen), "the comparison")
        await settle(app, pilot)
        await press(app, pilot, "5", "escape", "escape", "d")  # discard
        assert isinstance(app.screen, CompareScreen)
        assert records.find(pinned_store, NAME).score(GEO, "Norway") == 0


# ---------------------------------------------------------------- factors and candidates by key


async def test_add_rename_move_and_remove_factors_and_candidates(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_demo(app, pilot)
        c = screen.comparison
        await press(app, pilot, "a", *"Costs and timeframe", "enter", "ctrl+a", "ctrl+k", "4", "enter")
        assert [f.name for f in c.factors][1] == "Costs and timeframe"  # below the current factor
        assert c.factor("Costs and timeframe").weight == 4 and grid(app).factor == "Costs and timeframe"
        await press(app, pilot, "shift+up")
        assert c.factors[0].name == "Costs and timeframe"
        await press(app, pilot, "J", "J")
        assert c.factor_index("Costs and timeframe") == 2
        await press(app, pilot, "r", "ctrl+a", "ctrl+k", *"Costs", "enter")
        assert c.factor_index("Costs") == 2
        await press(app, pilot, "x", "y")
        assert "Costs" not in [f.name for f in c.factors] and len(c.factors) == 10

        await go_to(app, pilot, GEO, "Canada")
        await press(app, pilot, "R", "ctrl+a", "ctrl+k", *"Canada (IRCC)", "enter")
        assert [x.name for x in c.candidates] == ["Norway", "Canada (IRCC)", "Netherlands", "Sweden"]
        assert c.score(FUNDING, "Canada (IRCC)") == 2  # scores follow the rename
        await press(app, pilot, "shift+right")
        assert [x.name for x in c.candidates][2] == "Canada (IRCC)" and grid(app).candidate == "Canada (IRCC)"
        await press(app, pilot, "H", "H")
        assert c.candidates[0].name == "Canada (IRCC)"
        await press(app, pilot, "X", "n")
        assert len(c.candidates) == 4
        await press(app, pilot, "X", "y")
        assert [x.name for x in c.candidates] == ["Norway", "Netherlands", "Sweden"]
        # A duplicate name is refused in the modal.
        await press(app, pilot, "c", *"sweden", "enter")
        assert isinstance(app.screen, CandidateScreen) and "already called" in text_of(app, "#ask-error")
        await press(app, pilot, "escape")
        assert screen.has_unsaved_changes


# ---------------------------------------------------------------- side by side, sensitivity


async def test_side_by_side_two_chosen_candidates(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_demo(app, pilot)
        await go_to(app, pilot, GEO, "Canada")
        await press(app, pilot, "s")
        a, b = (app.screen.query_one(f"#pick-{x}", CandidatePicker) for x in "ab")
        # The cursor's candidate against the best-ranked other one.
        assert (a.value, b.value) == ("Canada", "Netherlands")
        text = text_of(app, "#side-text")
        assert "Mexico Plan of Action" in text and "ERF Community Action" in text  # both notes
        assert "71.7" in text and "81.3" in text and "−9.6" in text  # totals and the difference
        assert screen.focused is a
        await press(app, pilot, "tab", "right")  # B: the next candidate
        assert b.value == "Sweden"
        text = text_of(app, "#side-text")
        assert "MOST" in text
        line = next(x for x in text.splitlines() if x.startswith("Successful cooperation"))
        assert line.split()[-3:] == ["5", "2", "+3"]
        await press(app, pilot, "escape")
        assert screen.view == "matrix" and screen.focused is grid(app)


async def test_sensitivity_panel_shows_tipping_weights_verdict_and_bars(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_demo(app, pilot)
        await press(app, pilot, "t")
        text = text_of(app, "#sens-text")
        assert text.startswith("fragile: first place changes if the weight of")
        policy = next(x for x in text.splitlines() if x.startswith("Policy and procedures"))
        assert "2.46" in policy and "Sweden ◀ nearest" in policy
        assert "never in 0–5" in text
        assert "★ Netherlands" in text and "█" in text  # text bars of the totals
        # Live: a change in the grid is in the panel when it comes back.
        await press(app, pilot, "g")
        await go_to(app, pilot, POLICY, "Sweden")
        await press(app, pilot, "5", "t")
        assert screen.view == "sens"
        text = text_of(app, "#sens-text")
        policy = next(x for x in text.splitlines() if x.startswith("Policy and procedures"))
        assert "2.46" not in policy
        assert "from 1 to 3.62" in text  # now cooperation is the factor nearest to tipping


# ---------------------------------------------------------------- 80x24 with many factors and candidates


async def test_ten_factors_six_candidates_fit_and_more_scroll(make_app, pinned_store: Store) -> None:
    c = Comparison.new("Wide", candidates=["Norway", "Canada", "Netherlands", "Sweden", "Finland", "Ireland"])
    for i, f in enumerate(c.factors):
        for j, x in enumerate(c.candidates):
            c.set_score(f.name, x.name, (i + j) % 6)
    records.save(pinned_store, c)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "2", "slash", *"wide", "enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ComparisonScreen), "the comparison")
        await settle(app, pilot)
        shown = screen_text(app)
        for name in ("Norway", "Canada", "Sweden", "Finland", "Ireland"):
            assert name in shown, name
        assert "Successful cooperation" in shown and "Rank" in shown
        assert "▼" not in shown and "▶" not in shown  # everything fits: nothing to scroll

        # Four more factors and three more candidates: they scroll, nothing is cut.
        for name in ("F1", "F2", "F3", "F4"):
            await press(app, pilot, "end", "a", *name, "enter", "enter")
        for name in ("Spain", "Japan", "Chile"):
            await press(app, pilot, "c", *name, "enter")
        g = grid(app)
        assert len(g.comparison.factors) == 14 and len(g.comparison.candidates) == 9
        shown = screen_text(app)
        assert "Chile" in shown and "▲" in shown and "◀" in shown  # the cursor's cell is in view
        assert "Norway" not in shown.splitlines()[3]
        await press(app, pilot, "home", *["left"] * 8)
        shown = screen_text(app)
        assert "Norway" in shown and GEO[:20] in shown and "▼" in shown and "▶" in shown
        assert (g.top, g.left) == (0, 0)


# ---------------------------------------------------------------- a conflicting save


async def test_a_conflicting_save_shows_both_versions_and_merges(make_app, pinned_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_demo(app, pilot)
        # Someone else changes the same comparison meanwhile.
        other = Store.open(pinned_store.path, user="lars")
        theirs = records.find(other, NAME)
        theirs.set_score(FUNDING, "Sweden", 3)
        theirs.set_weight(GEO, 5)
        records.save(other, theirs)
        # Here: a score and the same weight.
        await press(app, pilot, "1", "w", "ctrl+a", "ctrl+k", "1", "enter", "ctrl+s")
        assert isinstance(app.screen, ComparisonConflictScreen)
        conflict = app.screen
        assert "lars saved" in text_of(app, "#conflict-intro")
        labels = [merge.item_label(k) for k in conflict.keys]
        assert labels == [f"Weight of {GEO}", f"Norway on {GEO}", f"Sweden on {FUNDING}"]
        # Three-way defaults: theirs where only they changed, mine where I did.
        assert [conflict.choices[k] for k in conflict.keys] == ["mine", "mine", "theirs"]
        assert conflict.keys[0] in conflict.both
        table = app.screen.query_one(ConflictItems)
        assert table.row_count == 3
        await press(app, pilot, "t")  # take their weight (5) instead of mine (1)
        assert records.find(pinned_store, NAME).rev == 2  # nothing saved before the user decides
        await press(app, pilot, "ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen, "the comparison")
        await settle(app, pilot)
        stored = records.find(pinned_store, NAME)
        assert stored.rev == 3
        assert stored.factor(GEO).weight == 5
        assert stored.score(GEO, "Norway") == 1
        assert stored.score(FUNDING, "Sweden") == 3
        assert not screen.has_unsaved_changes


async def test_the_comparisons_conflict_is_chosen_on_the_common_merge_screen(make_app, pinned_store: Store) -> None:
    before = records.find(pinned_store, NAME)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_demo(app, pilot)
        other = Store.open(pinned_store.path, user="lars")
        theirs = records.find(other, NAME)
        theirs.set_score(FUNDING, "Sweden", 3)
        theirs.set_weight(GEO, 5)
        records.save(other, theirs)
        await press(app, pilot, "1", "w", "ctrl+a", "ctrl+k", "1", "enter", "ctrl+s")
        conflict = app.screen
        assert isinstance(conflict, ConflictScreen) and isinstance(conflict.table, ConflictItems)
        intro = text_of(app, "#conflict-intro")
        assert intro.startswith(f"lars saved “{clip(NAME, 40)}” at ") and "(revision 2) after you opened it" in intro
        assert "3 items differ" in intro and "! = changed by both of you" in intro
        # The record screen's layout, at 80x24: the table, the detail and four buttons.
        assert [b.id for b in conflict.query(Button)] == ["conflict-save", "conflict-mine", "conflict-theirs",
                                                          "conflict-cancel"]
        for widget in (conflict.table, *conflict.query(Button)):
            assert widget.region.right <= 80 and widget.region.bottom <= 23, widget
        await press(app, pilot, "f1")  # the comparison's own help, not the record's
        assert isinstance(app.screen, HelpScreen) and "a must-have minimum" in app.screen.text
        await press(app, pilot, "escape")

        await press(app, pilot, "a")
        assert set(conflict.choices.values()) == {"theirs"}
        await press(app, pilot, "k")
        assert set(conflict.choices.values()) == {"mine"}
        await press(app, pilot, "down", "t")  # Norway on GEO: their score (unchanged) instead of my 1
        assert [conflict.choices[k] for k in conflict.keys] == ["mine", "theirs", "mine"]
        await press(app, pilot, "m")
        assert conflict.choices[conflict.keys[1]] == "mine"
        await press(app, pilot, "space")
        assert conflict.choices[conflict.keys[1]] == "theirs"
        detail = text_of(app, "#conflict-detail")
        assert detail.startswith(f"Norway on {GEO}: keeping theirs") and "Theirs (lars" in detail
        assert records.find(pinned_store, NAME).rev == 2  # nothing saved before the user decides
        await press(app, pilot, "ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen, "the comparison")
        await settle(app, pilot)
    stored = records.find(pinned_store, NAME)
    assert stored.rev == 3 and stored.factor(GEO).weight == 1  # mine
    assert stored.score(GEO, "Norway") == before.score(GEO, "Norway")  # theirs
    assert stored.score(FUNDING, "Sweden") == before.score(FUNDING, "Sweden")  # mine (k), though only they changed it


async def test_cancelling_a_conflict_keeps_my_version_unsaved(make_app, pinned_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_demo(app, pilot)
        other = Store.open(pinned_store.path, user="lars")
        theirs = records.find(other, NAME)
        theirs.set_score(GEO, "Norway", 5)
        records.save(other, theirs)
        await press(app, pilot, "2", "ctrl+s")
        assert isinstance(app.screen, ComparisonConflictScreen)
        await press(app, pilot, "escape")
        assert app.screen is screen and screen.comparison.score(GEO, "Norway") == 2
        assert "lars saved revision 2" in text_of(app, "#cmp-title")
        assert records.find(pinned_store, NAME).score(GEO, "Norway") == 5


async def test_a_save_that_fails_is_said_once_and_the_changes_stay(make_app, pinned_store: Store,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> Comparison:
        raise OSError("the disk is full")

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_demo(app, pilot)
        monkeypatch.setattr(records, "save", broken)
        await press(app, pilot, "2", "ctrl+s")
        assert [n.message for n in app._notifications] == ["Saving the comparison failed: the disk is full"]
        assert not screen.saving and screen.dirty
        assert "● unsaved (1 change)" in text_of(app, "#cmp-title")  # not "saving…" any more
        assert records.find(pinned_store, NAME).rev == 1


async def test_keys_typed_with_the_enter_that_opens_a_comparison_go_to_it(make_app,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    load = records.load

    def slowly(*args: object, **kwargs: object) -> Comparison:  # a store that takes a while to read
        time.sleep(0.3)
        return load(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(records, "load", slowly)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(app, pilot, "2")
        await pilot.press("enter", "d")  # one burst: d asks for the comparison's details
        await wait_for(pilot, lambda: isinstance(app.screen, AskScreen), "the details form")
        assert isinstance(app.screen_stack[-2], ComparisonScreen)


async def test_another_users_save_is_shown_when_nothing_is_unsaved(make_app, pinned_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_demo(app, pilot)
        other = Store.open(pinned_store.path, user="lars")
        theirs = records.find(other, NAME)
        theirs.set_score(GEO, "Norway", 5)
        records.save(other, theirs)
        app.look_at_store()  # what the app's store watcher does every 3 seconds
        await settle(app, pilot)
        assert screen.comparison.score(GEO, "Norway") == 5 and screen.known.rev == 2
        assert "revision 2" in text_of(app, "#cmp-title")


# ---------------------------------------------------------------- help, bindings


async def test_help_in_the_grid_explains_the_grid(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_demo(app, pilot)
        await press(app, pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        assert "backspace makes it unknown" in app.screen.text
        keys = dict(app.screen.keys)
        assert {"w", "m", "e", "ctrl+s"} <= {k.replace("^s", "ctrl+s") for k in keys}


def test_every_binding_has_an_id_and_a_tooltip() -> None:
    from twintui.tui.compare.forms import AskScreen as Ask
    from twintui.tui.compare.views import CandidatePicker as Picker

    for cls in (CompareScreen, ComparisonScreen, ComparisonConflictScreen, ConflictItems, MatrixGrid, Ask,
                CandidateScreen, ChoiceScreen, Picker):
        for binding in cls.BINDINGS:
            assert binding.id and binding.tooltip, (cls.__name__, binding)  # type: ignore[union-attr]


# ---------------------------------------------------------------- the look (80x24)

LOOKS = {
    "grid": (),
    "side-by-side": ("s",),
    "sensitivity": ("t",),
    "left-grid": ("escape",),
}


@pytest.mark.parametrize("name", list(LOOKS))
def test_look(name: str, make_app, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        for key in ("2", "enter", *LOOKS[name]):
            await pilot.press(key)
            await settle(pilot.app, pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_look_without_colour(make_app, snap_compare, monkeypatch) -> None:
    """With NO_COLOR every state still reads: ★ first, ✗ excluded, ? unknown, * note, ≥n must-have."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        for key in ("2", "enter", "m", "3", "enter"):
            await pilot.press(key)
            await settle(pilot.app, pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)
