"""The arrangement form driven from the keyboard at 80x24: new, edit, partners, validation, cancel."""

from __future__ import annotations

import re
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select, SelectionList, TextArea

from twintui.core.model import Arrangement, Partner
from twintui.core.store import Store
from twintui.tui.app import TwintuiApp
from twintui.tui.common.confirm import ConfirmScreen
from twintui.tui.register.form import (
    ArrangementEditor,
    FieldEditor,
    PartnerForm,
    PartnerTable,
)

from ..driving import wait_for

NORWAY = "TW-NOR-0001"


# -- helpers ------------------------------------------------------------------


async def open_editor(app: TwintuiApp, pilot: Pilot[None],
                      arrangement_id: str | None = None) -> tuple[ArrangementEditor, list[Arrangement | None]]:
    """Push the form as the register screen does; the list collects its result."""
    store: Store = app.store
    arrangement = store.require(Arrangement, arrangement_id) if arrangement_id else None
    partners = store.children(Partner, arrangement_id) if arrangement_id else []
    results: list[Arrangement | None] = []
    editor = ArrangementEditor(store, arrangement, partners)
    await app.push_screen(editor, results.append)
    await pilot.pause()
    return editor, results


def editor_of(screen: object, name: str) -> FieldEditor:
    return screen.query_one(f"#fe-{name}", FieldEditor)  # type: ignore[attr-defined]


def message(screen: object, name: str) -> str:
    """The validation line under a field, as the user reads it ('' when hidden)."""
    line = editor_of(screen, name).message
    shown = line.display and (line.has_class("-error") or line.has_class("-warning"))
    return str(line.render()) if shown else ""


async def retype(pilot: Pilot[None], screen: object, name: str, text: str) -> None:
    """Focus an input, clear it and type ``text`` key by key."""
    control = screen.query_one(f"#field-{name}", Input)  # type: ignore[attr-defined]
    control.focus()
    await pilot.pause()
    await pilot.press("end", "ctrl+u", *text)


def snapshot(path: Path) -> tuple[bytes, bytes]:
    audit = path.with_name(path.stem + ".audit.jsonl")
    return path.read_bytes(), audit.read_bytes() if audit.exists() else b""


# -- new arrangement ------------------------------------------------------------
async def test_new_arrangement_with_errors_saves_nothing_then_saves_when_fixed(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        editor, results = await open_editor(app, pilot)
        before = snapshot(demo_store.path)

        # The form opens on its first field; tab walks the fields in order.
        assert app.focused is editor.query_one("#field-reporting_state")
        await pilot.press(*"Norway", "tab", *"Reception training with Finland", "tab")
        assert app.focused is editor.query_one("#field-status")
        await pilot.press("enter", "down", "enter")  # the drop-down: planned -> active
        assert editor.query_one("#field-status", Select).value == "active"
        await pilot.press("tab")
        assert app.focused is editor.query_one("#field-activity_types", SelectionList)
        await pilot.press("down", "down", "down", "space")  # training or skill-sharing event

        await retype(pilot, editor, "start", "2026-09-01")
        await retype(pilot, editor, "end", "2026-03-31")
        await retype(pilot, editor, "contact_email", "ingrid at udi")
        assert message(editor, "contact_email") == ""  # no message while typing
        await pilot.press("tab")  # leaving a field checks it
        assert message(editor, "contact_email").startswith("error: 'ingrid at udi'")
        assert editor.has_unsaved_changes

        await pilot.press("ctrl+s")
        await pilot.pause()
        assert message(editor, "end").startswith("error: the end date 2026-03-31 is before the start date")
        assert message(editor, "contact_email").startswith("error: 'ingrid at udi' does not look like an e-mail")
        assert message(editor, "title") == ""
        assert app.focused is editor.query_one("#field-end")  # the first bad field, in form order
        assert any("2 problems: fix the marked fields" in n.message for n in app._notifications)
        assert app.screen is editor and results == []
        assert snapshot(demo_store.path) == before  # not a byte written

        await retype(pilot, editor, "end", "2027-03-31")
        assert message(editor, "end") == ""  # after a save attempt, messages follow the typing
        await retype(pilot, editor, "contact_email", "ingrid.hansen@udi.example.no")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: results, "the form to close")

    saved = results[0]
    assert saved is not None and re.fullmatch(r"TW-NOR-\d{4}", saved.id)
    stored = demo_store.require(Arrangement, saved.id)
    assert (stored.title, stored.status, stored.rev) == ("Reception training with Finland", "active", 1)
    assert stored.activity_types == ["training or skill-sharing event"]
    assert (str(stored.start), str(stored.end)) == ("2026-09-01", "2027-03-31")
    assert stored.contact_email == "ingrid.hansen@udi.example.no"
    history = demo_store.history(saved.id)
    assert [(e.action, e.source) for e in history] == [("create", "screen:register")]
    assert history[0].changes["title"] == ["", "Reception training with Finland"]


async def test_required_fields_are_marked_when_saving_an_empty_form(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, results = await open_editor(app, pilot)
        before = snapshot(demo_store.path)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert message(editor, "reporting_state") == "error: Reporting state is required"
        assert message(editor, "title") == "error: Title is required"
        assert app.focused is editor.query_one("#field-reporting_state")
        assert snapshot(demo_store.path) == before and results == []


async def test_warnings_are_shown_and_do_not_block_saving(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, results = await open_editor(app, pilot)
        await pilot.press(*"FIN", "tab", *"Study visit")
        await retype(pilot, editor, "funding_amount", "12000")
        await pilot.press("tab")  # leaving the field checks it
        await pilot.pause()
        assert message(editor, "currency") == ""  # not touched yet: no message
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: results, "the save")
    saved = results[0]
    assert saved is not None and saved.id.startswith("TW-FIN-") and saved.currency is None


# -- editing ------------------------------------------------------------------
async def test_edit_lessons_learned_of_the_norway_arrangement(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    old = demo_store.require(Arrangement, NORWAY)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, results = await open_editor(app, pilot, NORWAY)
        assert not editor.has_unsaved_changes
        lessons = editor.query_one("#field-lessons_learned", TextArea)
        lessons.focus()
        await pilot.pause()
        lessons.move_cursor(lessons.document.end)  # TextArea has no key for the end of the text
        await pilot.press(*" Send the agenda two weeks ahead.")
        assert editor.has_unsaved_changes
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: results, "the save")
        assert app.screen is not editor

    stored = demo_store.require(Arrangement, NORWAY)
    assert stored.lessons_learned == old.lessons_learned + " Send the agenda two weeks ahead."
    assert stored.rev == old.rev + 1
    assert stored.content() | {"lessons_learned": old.lessons_learned} == old.content()  # nothing else moved
    last = demo_store.history(NORWAY)[-1]
    assert (last.action, last.source, list(last.changes)) == ("update", "screen:register", ["lessons_learned"])


async def test_saving_an_unchanged_form_writes_nothing(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, results = await open_editor(app, pilot, NORWAY)
        before = snapshot(demo_store.path)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: results, "the save")
    assert results[0] is not None and results[0].rev == 1
    assert snapshot(demo_store.path) == before


async def test_digits_typed_into_a_field_stay_in_the_field(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, _ = await open_editor(app, pilot, NORWAY)
        await retype(pilot, editor, "funding_amount", "2345")
        assert editor.query_one("#field-funding_amount", Input).value == "2345"
        lessons = editor.query_one("#field-lessons_learned", TextArea)
        lessons.focus()
        await pilot.press("1", "2", "3")
        assert lessons.text.startswith("123")
        assert app.screen is editor and app.current_mode == "register"


# -- partners -----------------------------------------------------------------
def partner_names(editor: ArrangementEditor) -> list[str]:
    return [p.name for p in editor.partners]


async def test_add_edit_and_remove_partners_inside_the_form(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    before = demo_store.children(Partner, NORWAY)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, results = await open_editor(app, pilot, NORWAY)
        await pilot.press("f2")
        table = editor.query_one(PartnerTable)
        assert app.focused is table and table.row_count == 6

        # add: a opens the partner form; ctrl+s with an error keeps it open.
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, PartnerForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert message(form, "name") == "error: Partner name is required"
        await pilot.press(*"Swedish Migration Agency", "tab")  # focus stays on the name field
        await pilot.press("enter", *"NGO", "enter")  # partner type, typed to search the drop-down
        assert form.query_one("#field-type", Select).value == "NGO"
        await retype(pilot, form, "country", "Sweden")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is editor, "the partner form to close")
        assert partner_names(editor)[-1] == "Swedish Migration Agency"
        assert table.cursor_row == 6

        # edit: enter on the highlighted partner.
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, PartnerForm)
        await retype(pilot, form, "contact", "Karin Berg, karin.berg@migrationsverket.example.se")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is editor, "the partner form to close")

        # remove: the second partner (Argentina), after confirming.
        await pilot.press("home", "down", "x")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert "Argentina, National Commission for Refugees" not in partner_names(editor)
        assert editor.has_unsaved_changes

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: results, "the save")

    after = demo_store.children(Partner, NORWAY)
    names = [p.name for p in after]
    assert "Argentina, National Commission for Refugees" not in names
    added = after[-1]
    assert (added.name, added.type, added.country, added.id) == ("Swedish Migration Agency", "NGO", "SWE", "P-7")
    assert added.contact == "Karin Berg, karin.berg@migrationsverket.example.se"
    assert len(after) == len(before)  # one added, one removed
    assert [p.rev for p in after[:-1]] == [1] * 5  # the partners not touched were not rewritten
    entries = [e for e in demo_store.history() if e.txn == demo_store.txn]
    assert sorted((e.action, e.record) for e in entries) == [
        ("create", f"{NORWAY}/P-7"), ("delete", f"{NORWAY}/P-2")]
    assert {e.source for e in entries} == {"screen:register"}


async def test_partners_of_a_new_arrangement_are_saved_with_it(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, results = await open_editor(app, pilot)
        await pilot.press(*"Sweden", "tab", *"Housing practice exchange with Finland")
        await pilot.press("f2", "a")
        await pilot.press(*"Finnish Immigration Service", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is editor, "the partner form to close")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: results, "the save")
    saved = results[0]
    assert saved is not None
    partners = demo_store.children(Partner, saved.id)
    assert [(p.id, p.arrangement, p.name) for p in partners] == [("P-1", saved.id, "Finnish Immigration Service")]


async def test_removing_a_partner_can_be_declined(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, _ = await open_editor(app, pilot, NORWAY)
        await pilot.press("f2", "delete")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.screen is editor and len(editor.partners) == 6
        assert not editor.has_unsaved_changes


# -- cancel -------------------------------------------------------------------
async def test_escape_with_unsaved_changes_asks_and_n_keeps_the_form(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, results = await open_editor(app, pilot, NORWAY)
        await retype(pilot, editor, "contact_phone", "+47 22 00 00 01")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question == "Discard your changes?"
        await pilot.press("n")
        assert app.screen is editor and results == []
        assert editor.query_one("#field-contact_phone", Input).value == "+47 22 00 00 01"

        await pilot.press("escape")
        await pilot.press("y")
        await wait_for(pilot, lambda: results, "the form to close")
    assert results == [None]
    assert demo_store.require(Arrangement, NORWAY).contact_phone == "+47 23 00 00 00"


async def test_escape_without_changes_closes_at_once(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, results = await open_editor(app, pilot, NORWAY)
        await pilot.press("escape")
        await wait_for(pilot, lambda: results, "the form to close")
        assert results == [None] and app.screen is not editor


async def test_every_form_action_has_a_key_an_id_and_a_tooltip(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, _ = await open_editor(app, pilot, NORWAY)
        for cls in (ArrangementEditor, PartnerTable, PartnerForm, ConfirmScreen):
            for binding in cls.BINDINGS:
                assert binding.id and binding.tooltip, (cls.__name__, binding)  # type: ignore[union-attr]
        footer_keys = {b.binding.id for b in editor.active_bindings.values() if b.binding.show}
        assert {"editor.save", "editor.cancel", "editor.partners"} <= footer_keys


async def test_a_save_that_ends_while_another_screen_shows_closes_the_form_on_return(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, results = await open_editor(app, pilot, NORWAY)
        await retype(pilot, editor, "contact_phone", "+47 22 00 00 02")
        editor.action_save()
        await app.switch_mode("compare")  # the user pressed 2 while the save ran
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.current_mode == "compare" and app.screen.TITLE == "Compare partners"  # not popped
        assert demo_store.require(Arrangement, NORWAY).contact_phone == "+47 22 00 00 02"
        await app.switch_mode("register")
        await wait_for(pilot, lambda: results, "the form to close")
        assert app.screen is not editor and app.current_mode == "register"


async def test_a_save_that_lands_under_the_help_waits_for_the_user_to_come_back(demo_store: Store,
                                                                               monkeypatch) -> None:  # noqa: ANN001
    import threading

    from twintui.tui.common.help import HelpScreen
    from twintui.tui.register import form

    gate = threading.Event()
    save = form.save_with_partners

    def held(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - a save that takes until the test lets it go
        gate.wait(10)
        return save(*args, **kwargs)

    monkeypatch.setattr(form, "save_with_partners", held)
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, results = await open_editor(app, pilot, NORWAY)
        await retype(pilot, editor, "title", "Quota refugees: selection and integration")
        await pilot.press("ctrl+s", "f1")  # the help opens over the form while the save runs
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        gate.set()
        await app.workers.wait_for_complete()
        for _ in range(5):
            await pilot.pause()
        # Saved, but the form does not close from under the help (that would close the help instead).
        assert demo_store.require(Arrangement, NORWAY).title == "Quota refugees: selection and integration"
        assert isinstance(app.screen, HelpScreen) and results == []
        await pilot.press("escape")
        await wait_for(pilot, lambda: results, "the form to close")
        assert results[0].title == "Quota refugees: selection and integration"
        assert any("saved (revision" in n.message for n in app._notifications)
        assert app.screen is not editor
