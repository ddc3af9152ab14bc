"""Screen 3, the MoU editor, driven from the keyboard at 80x24 as an official would."""

from __future__ import annotations

from pathlib import Path

from twintui.core.model import Arrangement
from twintui.core.mou import Memorandum, smart, versions
from twintui.core.store import Store
from twintui.tui.mou.dialogs import RenderForm, StatusForm
from twintui.tui.mou.editor import MouEditor
from twintui.tui.mou.objective import ObjectiveForm
from twintui.tui.mou.picker import MouScreen
from twintui.tui.mou.review import ReviewPanel
from twintui.tui.common.confirm import ConfirmScreen
from twintui.tui.common.conflict import ConflictScreen
from twintui.tui.common.help import HelpScreen

from ..driving import settle


def panel(app) -> str:
    return app.screen.query_one(ReviewPanel).text


def heading(app) -> str:
    return str(app.screen.query_one("#mou-heading").render())


def pane(app) -> str:
    return app.screen.query_one("#mou-panes").current


async def until(app, pilot, condition, tries: int = 50) -> None:
    """Bounded wait for a condition the workers and messages make true (no sleeps)."""
    for _ in range(tries):
        if condition():
            return
        await settle(app, pilot)
    assert condition()


async def open_mou_screen(app, pilot) -> MouScreen:
    await settle(app, pilot)
    await pilot.press("3")
    await settle(app, pilot)
    assert isinstance(app.screen, MouScreen)
    return app.screen


async def editor(app, pilot) -> MouEditor:
    """The editor, once it is pushed over the list and shows its version."""
    await until(app, pilot, lambda: isinstance(app.screen, MouEditor) and app.screen.document is not None)
    return app.screen


async def open_norway(app, pilot) -> MouEditor:
    screen = await open_mou_screen(app, pilot)
    # Memoranda first, by id: Canada's agreed one, then Norway's draft.
    assert [row.id for row in screen.query_one("#mou-table").rows[:2]] == ["TW-CAN-0001", "TW-NOR-0001"]
    await pilot.press("down")
    assert screen.query_one("#mou-table").current.id == "TW-NOR-0001"
    await pilot.press("enter")
    return await editor(app, pilot)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in text))


async def test_the_weak_objective_is_flagged_fixed_and_the_checklist_goes_green(make_app, pinned_store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_norway(app, pilot)
        assert "TW-NOR-0001 · MoU version 1 (draft)" in heading(app)
        assert "✗ 3 - - - R -" in panel(app) and "S: only a general aim" in panel(app)
        assert "Annex A 10 of 12 answered" in panel(app)
        assert app.screen.focused.id == "mou-nav"

        # Section 3: the objective, and why it is not SMART.
        await pilot.press("down", "down")
        assert pane(app) == "pane-3"
        await pilot.press("enter")
        assert app.screen.focused.id == "mou-objectives"
        await pilot.press("down", "down", "e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, ObjectiveForm)
        assert "✗ Specific" in form.review_text and "gives only a general aim" in form.review_text
        assert "✗ Time-bound" in form.review_text and "no date" in form.review_text

        # Fix it, field by field; the review beside the fields follows.
        await pilot.press("f7")  # select all of "Improve cooperation"
        await type_text(pilot, "Hold 8 network meetings")
        await pilot.press("tab")
        await type_text(pilot, "meetings")
        await pilot.press("tab", "tab", "8", "tab")  # past the indicator's kind (in words) to its target
        await type_text(pilot, "2027-Q4")
        await pilot.press("tab")
        await type_text(pilot, "UDI")
        await settle(app, pilot)
        assert form.review_text.startswith("SMART review: S M A R T")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert "SMART 3 of 3 objectives" in panel(app) and "✓ 3 S M A R T" in panel(app)
        assert "● unsaved" in heading(app)

        # Reciprocal learning (section 3) and national dissemination (section 8): Annex A complete.
        await pilot.press("tab", "tab")
        assert app.screen.focused.id == "mou-learning"
        await type_text(pilot, "Mutual learning")
        await pilot.press("escape")
        assert app.screen.focused.id == "mou-nav"
        await pilot.press("down", "down", "down", "down", "down")
        assert pane(app) == "pane-8"
        await pilot.press("enter", "tab", "tab", "tab")
        assert app.screen.focused.id == "mou-evaluation-dissemination"
        await type_text(pilot, "Shared nationally")
        await settle(app, pilot)
        assert "Annex A 12 of 12 answered complete" in panel(app)

        # Save: one transaction, the store has it.
        await pilot.press("ctrl+s")
        await until(app, pilot, lambda: "unsaved" not in heading(app) and not screen.busy)
        stored = versions.latest(pinned_store, "TW-NOR-0001")
        assert stored is not None and stored.rev == 2
        s = stored.sections()
        assert s.objectives[2].owner == "UDI" and s.learning == "Mutual learning"
        assert s.evaluation.dissemination == "Shared nationally"


async def test_render_docx_agree_sign_and_editing_starts_a_new_version(make_app, pinned_store, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_norway(app, pilot)

        # Render the DOCX: the path is shown.
        target = tmp_path / "norway.docx"
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, RenderForm)
        path_input = app.screen.query_one("#render-path")
        assert path_input.value.endswith("TW-NOR-0001-MoU-v1-draft.docx")
        path_input.value = str(target)  # the path is long: set, not typed
        await pilot.press("enter")
        await until(app, pilot, lambda: target.exists() and "rendered:" in heading(app))
        assert heading(app).endswith(f"{target.parent.name}/{target.name}")  # (a long path keeps its end)
        import docx

        assert "Improve cooperation" in [row.cells[1].text for row in docx.Document(str(target)).tables[1].rows]

        # Agree, then sign: each asks first.
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, StatusForm)
        await pilot.press("enter")  # the only choice from a draft: agreed
        assert isinstance(app.screen, ConfirmScreen) and "agreed by all partners" in app.screen.question
        await pilot.press("y")
        await until(app, pilot, lambda: screen.memo.status == "agreed")
        await pilot.press("s", "enter")
        assert isinstance(app.screen, ConfirmScreen) and "frozen" in app.screen.question
        await pilot.press("n")  # not yet
        await settle(app, pilot)
        assert screen.memo.status == "agreed"
        await pilot.press("s", "enter", "y")
        await until(app, pilot, lambda: screen.memo.status == "signed")
        assert "signed 2026-11-20: frozen, e starts version 2" in heading(app)

        # A signed version does not change: typing goes nowhere, and e starts version 2.
        await pilot.press("down", "down", "down", "down", "down")  # section 6
        assert pane(app) == "pane-6"
        await pilot.press("enter")
        monitoring = app.screen.focused
        before = monitoring.text
        await type_text(pilot, "xyz")
        assert monitoring.text == before
        await pilot.press("escape", "e")
        assert isinstance(app.screen, ConfirmScreen) and "Start version 2" in str(app.screen.yes)
        await pilot.press("y")
        await until(app, pilot, lambda: screen.memo.version == 2)
        assert "MoU version 2 (draft)" in heading(app)
        await pilot.press("enter")
        await type_text(pilot, " More")
        assert screen.has_unsaved_changes
        await pilot.press("ctrl+s")
        await until(app, pilot, lambda: not screen.has_unsaved_changes and not screen.busy)

    kept = [(m.version, m.status) for m in versions.versions_of(pinned_store, "TW-NOR-0001")]
    assert kept == [(1, "signed"), (2, "draft")]
    signed = pinned_store.require(Memorandum, "TW-NOR-0001/MOU-1")
    assert not signed.sections().monitoring.endswith("More")
    assert pinned_store.require(Memorandum, "TW-NOR-0001/MOU-2").sections().monitoring.endswith(" More")


async def test_the_objective_forms_review_keeps_the_indicators_kind(make_app) -> None:
    """Objective 1 counts missions (a number with a target value, no target in words): the review beside the
    form reads it as the saved review does, not as an indicator in words without a target."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_norway(app, pilot)
        await pilot.press("down", "down", "enter", "e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, ObjectiveForm) and form.item.kind == "number"
        assert form.review_text.startswith("SMART review: S M A R T")
        assert "counted from 0 to '5 missions (baseline 0)'" in form.review_text
        await type_text(pilot, " soon")  # an edit keeps the kind and the numbers
        await settle(app, pilot)
        assert "✓ Measurable" in form.review_text


async def test_draft_a_new_mou_for_an_arrangement_without_one(make_app, pinned_store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_mou_screen(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "czech")
        rows = screen.query_one("#mou-table").rows
        assert [r.id for r in rows] == ["TW-CZE-0001"] and rows[0].mou == "—"
        await pilot.press("enter")  # the filter hands over to the list
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen) and "has no MoU yet" in app.screen.question
        await pilot.press("y")
        screen = await editor(app, pilot)
        assert "TW-CZE-0001 · MoU version 1 (draft)" in heading(app)
        # The first sections come from the arrangement.
        assert screen.query_one("#mou-title").text.startswith("General agreement for cooperation and exchange")
        assert "Ministry of the Interior of the Czech Republic" in str(screen.query_one("#mou-partners").render())
        assert "SMART 0 of 2 objectives" in panel(app)

        # Add an objective that is SMART from the start.
        await pilot.press("down", "down", "enter", "a")
        await settle(app, pilot)
        assert isinstance(app.screen, ObjectiveForm)
        await type_text(pilot, "Write a policy paper")
        await pilot.press("tab", "tab", "tab")  # the indicator and its kind (in words), to the target
        await type_text(pilot, "1 paper")
        await pilot.press("tab")
        await type_text(pilot, "2009-Q1")
        await pilot.press("tab")
        await type_text(pilot, "Jana Novakova")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert screen.working.objectives[-1].text == "Write a policy paper"
        assert "✓ 3 S M A R T" in panel(app)
        await pilot.press("ctrl+s")
        await until(app, pilot, lambda: not screen.has_unsaved_changes and not screen.busy)

    czech = next(a for a in pinned_store.all(Arrangement) if a.reporting_state == "CZE")
    memo = versions.latest(pinned_store, czech.id)
    assert memo is not None and len(memo.sections().objectives) == 3


async def test_a_form_refuses_what_it_cannot_read(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_norway(app, pilot)
        await pilot.press("down", "down", "down", "down", "enter", "a")  # section 5: a new activity
        await settle(app, pilot)
        await type_text(pilot, "Study visit")
        await pilot.press("tab", "tab")
        await type_text(pilot, "31/02/2026")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not screen  # not kept
        assert "is not a date" in str(app.screen.messages["start"].render())
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        assert app.screen is screen and len(screen.working.activities) == 8

        # A date the section cannot read is marked and blocks saving.
        await pilot.press("escape", "up", "up", "up")  # section 2
        assert pane(app) == "pane-2"
        await pilot.press("enter")
        assert app.screen.focused.id == "mou-start"
        await pilot.press("end", "backspace")
        await type_text(pilot, "x")
        await settle(app, pilot)
        assert "error in" not in heading(app)  # not while typing: when the field is left, or on save
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "error in MoU starts" in heading(app)
        assert versions.latest(app.store, "TW-NOR-0001").rev == 1


async def test_leaving_with_unsaved_changes_asks_and_digits_stay_in_text(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_norway(app, pilot)
        await pilot.press("down", "down", "down", "enter", "a")  # section 4: a new role, then nothing typed
        await settle(app, pilot)
        assert type(app.screen).__name__ == "RoleForm"
        await pilot.press("escape")  # nothing typed: closes without asking
        assert app.screen is screen
        await pilot.press("escape", "down", "down", "enter")  # section 6
        await type_text(pilot, " 2026")
        assert isinstance(app.screen, MouEditor) and screen.working.monitoring.endswith(" 2026")
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, ConfirmScreen) and "discard" in app.screen.question
        await pilot.press("n")
        assert app.screen is screen
        await pilot.press("escape")
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, MouScreen) and app.screen.focused.id == "mou-table"
        await pilot.press("2")
        assert app.screen.TITLE == "Compare partners"


async def test_help_shows_the_smart_rules_and_the_keys(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_norway(app, pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        for rule in smart.RULES:
            assert rule.rule in app.screen.text
        keys = dict(app.screen.keys)
        assert {"^s", "r", "s", "p", "esc"} <= set(keys)


async def test_the_screen_follows_another_officials_change_when_nothing_is_unsaved(make_app, pinned_store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_norway(app, pilot)
        other = Store.open(pinned_store.path, user="other.official")
        theirs = versions.latest(other, "TW-NOR-0001")
        s = theirs.sections()
        s.learning = "Their learning."
        versions.save(other, theirs, s)
        app.look_at_store()  # what the app's store watcher does every 3 seconds
        await until(app, pilot, lambda: screen.working.learning == "Their learning.")
        assert "Annex A 11 of 12 answered" in panel(app)


async def test_gantt_and_versions(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_norway(app, pilot)
        await pilot.press("g")
        assert pane(app) == "pane-gantt"
        chart = "\n".join(screen.query_one("#mou-gantt").lines())
        assert "MoU period" in chart and "\n8 Final" in chart and "▾" in chart
        await pilot.press("v")
        assert pane(app) == "pane-versions"
        assert screen.query_one("#mou-versions").row_count == 1
        assert not screen.query_one(ReviewPanel).display  # 80 columns: the review is one line, p shows it
        await pilot.press("p")
        assert screen.query_one(ReviewPanel).display
        # Section 7: check the MoU against the 2009 ERF call, rule by rule.
        screen.query_one("#mou-call").value = "erf-2009"
        await settle(app, pilot)
        results = str(screen.query_one("#mou-call-results").render())
        assert "fail    The project involves two or more EU Member States" in results
        assert "note    Non-EU states may take part" in results


async def test_a_conflicting_save_shows_both_versions(make_app, pinned_store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_norway(app, pilot)
        await pilot.press("down", "down", "down", "down", "down", "enter")  # section 6
        await type_text(pilot, " Mine.")
        # Another official saves the same version meanwhile (another process, the same file). With unsaved
        # changes on screen, the screen does not follow their change: saving meets it.
        other = Store.open(pinned_store.path, user="other.official")
        theirs = versions.latest(other, "TW-NOR-0001")
        s = theirs.sections()
        s.context = "Their context."
        versions.save(other, theirs, s)
        await pilot.press("ctrl+s")
        await until(app, pilot, lambda: isinstance(app.screen, ConflictScreen))
        assert "other.official" in str(app.screen.query_one("#conflict-intro").render())
        await pilot.press("ctrl+s")  # save the merge: their introduction, my monitoring plan
        await until(app, pilot, lambda: isinstance(app.screen, MouEditor) and not screen.busy
                    and not screen.has_unsaved_changes)

    stored = versions.latest(pinned_store, "TW-NOR-0001").sections()
    assert stored.context == "Their context." and stored.monitoring.endswith(" Mine.")  # typed at the end


async def test_a_ninth_activity_is_in_view_and_the_plan_never_scrolls_sideways(make_app) -> None:
    """The rows are cut to the table's width: a sideways scrollbar took the last row's line (e2e flake)."""
    from twintui.tui.mou.items import ActivityTable

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_norway(app, pilot)
        await pilot.press("down", "down", "down", "down", "enter", "a")  # section 5: a new activity
        await settle(app, pilot)
        await type_text(pilot, "Study visit")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        table = screen.query_one(ActivityTable)
        assert table.row_count == 9 and table.cursor_row == 8
        assert table.show_vertical_scrollbar and not table.show_horizontal_scrollbar
        assert table.max_scroll_x == 0
        # The cursor's row is inside the rows the table shows (the header takes the first line).
        assert table.scroll_y <= table.cursor_row < table.scroll_y + table.scrollable_content_region.height - 1


def raising(error: Exception):
    """A stand-in for a core function that fails as a full disk would."""

    def broken(*args, **kwargs):
        raise error

    return broken


async def test_a_status_change_that_fails_is_said_once_and_the_keys_come_back(make_app, monkeypatch) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_norway(app, pilot)
        monkeypatch.setattr(versions, "set_status", raising(OSError("the disk is full")))
        await pilot.press("s", "enter", "y")  # one burst: choose agreed, confirm
        await until(app, pilot, lambda: app._notifications)
        await settle(app, pilot)
        assert [n.message for n in app._notifications] == ["Changing the status failed: the disk is full"]
        assert app.screen is screen and screen.memo.status == "draft"
        assert not screen.busy and screen.check_action("status", ()) is True  # offered again


async def test_a_render_that_fails_is_said_once(make_app, monkeypatch, tmp_path: Path) -> None:
    from types import SimpleNamespace

    from twintui.service import desk

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_norway(app, pilot)
        # The document is made, then writing it fails (the desk writes what it made, here or from the service).
        monkeypatch.setattr(desk, "files", SimpleNamespace(replace=raising(OSError("no room on the device"))))
        await pilot.press("r")
        await settle(app, pilot)
        app.screen.query_one("#render-path").value = str(tmp_path / "norway.docx")
        await pilot.press("enter")
        await until(app, pilot, lambda: app._notifications)
        await settle(app, pilot)
        assert [n.message for n in app._notifications] == ["Rendering the MoU failed: no room on the device"]
        assert app.screen is screen and screen.last_rendered is None
