"""The objective form's indicator fields: its kind (text, number, milestone), unit, baseline, target value and
target date (blank: the objective's due date), each checked with its message under it, at 80x24."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Select

from twintui.core.mou import versions
from twintui.tui.mou.objective import ObjectiveForm

from ..driving import settle
from .test_editor import open_norway, type_text

KIND_FIELDS = {"text": {"target"}, "number": {"unit", "baseline", "target_value", "target_date"},
               "milestone": {"target_date"}}


def shown(form: ObjectiveForm) -> set[str]:
    """The indicator fields the form shows (and offers to tab to)."""
    names = {"target", "unit", "baseline", "target_value", "target_date"}
    return {n for n in names if form.query_one(f"#item-field-{n}").display}


def message(form: ObjectiveForm, name: str) -> str:
    widget = form.messages[name]
    return str(widget.render()) if widget.display else ""


async def open_objective(app, pilot, key: str = "e") -> ObjectiveForm:
    """Objective 1 of the demo's Norway draft ('e'), or a new one ('a')."""
    await open_norway(app, pilot)
    await pilot.press("down", "down", "enter", key)
    await settle(app, pilot)
    assert isinstance(app.screen, ObjectiveForm)
    return app.screen


async def retype(pilot, form: ObjectiveForm, name: str, text: str) -> None:
    form.controls[name].focus()
    await pilot.pause()
    await pilot.press("end", *["backspace"] * 40)
    await type_text(pilot, text)


async def test_a_number_shows_its_unit_baseline_target_and_date_and_all_fits_80x24(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_objective(app, pilot)
        kind = form.controls["kind"]
        assert isinstance(kind, Select) and kind.value == "number"
        assert shown(form) == KIND_FIELDS["number"]
        values = {n: form.controls[n].value for n in ("unit", "baseline", "target_value", "target_date")}
        assert values == {"unit": "missions", "baseline": "0", "target_value": "5", "target_date": ""}
        # Blank, the target date is the objective's due date, and the field says which.
        assert form.controls["target_date"].placeholder == "(due 2027-06-30)"
        # Every field of a number in view at 80x24, nothing to scroll to.
        fields = form.query_one("#item-fields")
        assert fields.max_scroll_y == 0
        for name in ("text", "indicator", "kind", "unit", "baseline", "target_value", "target_date", "due", "owner",
                     "resources"):
            region = form.controls[name].region
            assert region.height >= 1 and fields.region.contains_region(region), name
        # The focus runs through them in reading order.
        order = []
        for _ in range(10):
            order.append(next(n for n, c in form.controls.items() if c is app.focused))
            await pilot.press("tab")
        assert order == ["text", "indicator", "kind", "unit", "baseline", "target_value", "target_date", "due",
                         "owner", "resources"]


async def test_the_kind_decides_the_fields_and_what_is_kept(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_objective(app, pilot)
        kind = form.controls["kind"]
        kind.value = "milestone"
        await settle(app, pilot)
        assert shown(form) == KIND_FIELDS["milestone"]
        assert "✓ Measurable" in form.review_text  # a milestone dated by the due date
        kind.value = "text"
        await settle(app, pilot)
        assert shown(form) == KIND_FIELDS["text"]
        kind.value = "number"
        await settle(app, pilot)
        assert form.controls["unit"].value == "missions"  # the values typed stay while the form is open
        kind.value = "milestone"
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        editor = app.screen
        assert not isinstance(editor, ObjectiveForm)
        kept = editor.working.objectives[0]
        # What a milestone does not show is not kept: no unit or numbers behind a milestone.
        assert (kept.kind, kept.unit, kept.baseline, kept.target_value, kept.target_date) == \
            ("milestone", "", None, None, None)
        assert kept.by == dt.date(2027, 6, 30)


async def test_bad_numbers_and_dates_are_marked_under_their_field_and_nothing_is_kept(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_objective(app, pilot)
        await retype(pilot, form, "baseline", "a few")
        await pilot.press("tab")  # leaving the field shows its message
        await settle(app, pilot)
        assert message(form, "baseline") == "error: 'a few' is not a number"
        await retype(pilot, form, "target_date", "2027-02-30")
        await pilot.press("tab")
        await settle(app, pilot)
        assert "error:" in message(form, "target_date") and "2027-02-30" in message(form, "target_date")
        await retype(pilot, form, "target_value", "")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form  # refused: nothing kept
        assert message(form, "target_value") == "error: a number indicator needs its target value"
        # Fixed one by one: each message goes as soon as its value is valid.
        await retype(pilot, form, "baseline", "2")
        await settle(app, pilot)
        assert message(form, "baseline") == ""
        await retype(pilot, form, "target_value", "2")
        await settle(app, pilot)
        assert message(form, "target_value") == "error: the target equals the baseline: nothing would change"
        await retype(pilot, form, "target_value", "1,500")
        await retype(pilot, form, "target_date", "")
        await settle(app, pilot)
        assert message(form, "target_value") == message(form, "target_date") == ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        kept = app.screen.working.objectives[0]
        assert (kept.baseline, kept.target_value, kept.target_date, kept.by) == (2.0, 1500.0, None,
                                                                                 dt.date(2027, 6, 30))


async def test_a_milestone_needs_a_date_its_own_or_the_due_date(make_app, pinned_store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_objective(app, pilot, "a")
        await type_text(pilot, "Publish the regional handbook")
        form.controls["kind"].value = "milestone"
        await settle(app, pilot)
        assert form.controls["target_date"].placeholder == "(no due date yet)"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert message(form, "target_date") == ("error: a milestone needs a date: give it here or as the "
                                                "objective's due date")
        await retype(pilot, form, "due", "2027-Q3")
        await settle(app, pilot)
        assert message(form, "target_date") == "" and form.controls["target_date"].placeholder == "(due 2027-09-30)"
        await retype(pilot, form, "target_date", "2027-08-15")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        editor = app.screen
        assert editor.working.objectives[-1].target_date == dt.date(2027, 8, 15)
        await pilot.press("ctrl+s")  # save the MoU
        for _ in range(40):
            if not editor.has_unsaved_changes and not editor.busy:
                break
            await settle(app, pilot)
    saved = versions.latest(pinned_store, "TW-NOR-0001").sections().objectives[-1]
    assert (saved.text, saved.kind, saved.target_date) == ("Publish the regional handbook", "milestone",
                                                           dt.date(2027, 8, 15))


async def test_huge_and_control_character_input_is_refused(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_objective(app, pilot)
        unit = form.controls["unit"]
        assert isinstance(unit, Input)
        unit.value = "mis\x1b[2Jsions"  # pasted: an escape that would clear a reader's terminal
        form.controls["target_value"].value = "1e400"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert message(form, "target_value") == "error: '1e400' is not a finite number"
        assert message(form, "unit") == "error: holds control characters (\\x1b): remove them"
        # A value that cannot be read says so, not what its last readable value would mean (5 = the baseline).
        form.controls["baseline"].value = "5"
        form.controls["target_value"].value = "five"
        await settle(app, pilot)
        assert message(form, "target_value") == "error: 'five' is not a number"
        form.controls["baseline"].value = "0"
        unit.value = "missions"
        form.controls["target_value"].value = "7"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        kept = app.screen.working.objectives[0]
        assert (kept.unit, kept.target_value) == ("missions", 7)
