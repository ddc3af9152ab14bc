"""Two writers on one store: the form shows both versions and never overwrites silently (80x24)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Static, TextArea

from twintui.core.model import Arrangement, Partner, Record
from twintui.core.model.merge import MINE, THEIRS, of_records
from twintui.core.store import Store
from twintui.core.text import clip
from twintui.tui.app import TwintuiApp
from twintui.tui.common.confirm import ConfirmScreen
from twintui.tui.common.conflict import ConflictScreen
from twintui.tui.register.form import ArrangementEditor, PartnerForm

from ..driving import wait_for

NORWAY = "TW-NOR-0001"
ELLIPSIS = "…"  # what clip() ends a cut value with




async def open_editor(app: TwintuiApp, pilot: Pilot[None],
                      arrangement_id: str) -> tuple[ArrangementEditor, list[Arrangement | None]]:
    store: Store = app.store
    results: list[Arrangement | None] = []
    editor = ArrangementEditor(store, store.require(Arrangement, arrangement_id),
                               store.children(Partner, arrangement_id))
    await app.push_screen(editor, results.append)
    await pilot.pause()
    return editor, results


def second_writer(store: Store) -> Store:
    """Another user with the same store file open: another process, as far as the store knows."""
    return Store.open(store.path, user="alice")


def files(path: Path) -> tuple[bytes, bytes]:
    return path.read_bytes(), path.with_name(path.stem + ".audit.jsonl").read_bytes()


# -- the whole flow -----------------------------------------------------------
async def test_a_conflicting_save_shows_both_versions_and_saves_the_chosen_merge(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, results = await open_editor(app, pilot, NORWAY)
        lessons = editor.query_one("#field-lessons_learned", TextArea)
        lessons.focus()
        await pilot.press("f7", *"Mine: agree the working language first.")  # f7 selects all

        # Meanwhile alice changes the same field and another one.
        alice = second_writer(demo_store)
        current = alice.require(Arrangement, NORWAY)
        alice.save(current.replace(lessons_learned="Theirs: budget interpreting per language.",
                                   outcomes="Theirs: five integration plans adopted."), "test:alice")
        before = files(demo_store.path)

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen), "the conflict screen")
        conflict = app.screen
        assert isinstance(conflict, ConflictScreen)
        assert files(demo_store.path) == before  # refused: nothing written
        # Only the differing fields, in form order; alice's field defaults to hers, the shared one to mine.
        assert conflict.keys == ("outcomes", "lessons_learned")
        assert conflict.choices == {"outcomes": THEIRS, "lessons_learned": MINE}
        assert conflict.both == {"lessons_learned"}
        table = conflict.query_one(DataTable)
        assert table.row_count == 2 and app.focused is table
        intro = str(conflict.query_one("#conflict-intro", Static).render())
        assert intro.startswith("alice saved arrangement TW-NOR-0001") and "revision 2" in intro

        # Per field, from the keyboard.
        await pilot.press("down", "right")
        assert conflict.choices["lessons_learned"] == THEIRS
        await pilot.press("left")
        assert conflict.choices["lessons_learned"] == MINE
        await pilot.press("up", "m")
        assert conflict.choices["outcomes"] == MINE
        await pilot.press("t")
        assert conflict.choices == {"outcomes": THEIRS, "lessons_learned": MINE}
        detail = str(conflict.query_one("#conflict-detail", Static).render())
        assert "Theirs (alice" in detail and "Theirs: five integration plans adopted." in detail

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: results, "the merged save")

    stored = demo_store.require(Arrangement, NORWAY)
    assert stored.lessons_learned == "Mine: agree the working language first."
    assert stored.outcomes == "Theirs: five integration plans adopted."  # alice's change survived
    assert stored.rev == 3 and results[0] == stored
    last_two = demo_store.history(NORWAY)[-2:]
    assert [(e.user, e.source, sorted(e.changes)) for e in last_two] == [
        ("alice", "test:alice", ["lessons_learned", "outcomes"]),
        (demo_store.user, "screen:register", ["lessons_learned"]),
    ]


async def test_cancelling_the_conflict_keeps_the_form_and_saves_nothing(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, results = await open_editor(app, pilot, NORWAY)
        editor.query_one("#field-contact_name").focus()
        await pilot.press("end", *" (acting)")
        alice = second_writer(demo_store)
        alice.save(alice.require(Arrangement, NORWAY).replace(contact_name="Ola Nordmann"), "test:alice")
        before = files(demo_store.path)

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen), "the conflict screen")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is editor, "back to the form")
        assert editor.query_one("#field-contact_name").value == "Ingrid Hansen (acting)"  # type: ignore[attr-defined]
        assert results == [] and files(demo_store.path) == before

        # Trying again asks again: the store still holds alice's newer revision.
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen), "the conflict screen again")
        await pilot.press("a", "ctrl+s")  # take all of alice's values
        await wait_for(pilot, lambda: results, "the save")
    stored = demo_store.require(Arrangement, NORWAY)
    assert stored.contact_name == "Ola Nordmann" and stored.rev == 2  # nothing left to change on top of hers


async def test_an_arrangement_deleted_meanwhile_can_be_saved_as_new(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, results = await open_editor(app, pilot, NORWAY)
        editor.query_one("#field-contact_phone").focus()
        await pilot.press("end", "ctrl+u", *"+47 22 00 00 01")
        alice = second_writer(demo_store)
        alice.delete(alice.require(Arrangement, NORWAY), "test:alice")

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        assert "deleted TW-NOR-0001" in app.screen.question  # type: ignore[attr-defined]
        await pilot.press("n")  # cancel: the form stays, unsaved
        await wait_for(pilot, lambda: app.screen is editor, "back to the form")
        assert results == [] and demo_store.get(Arrangement, NORWAY) is None

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question again")
        await pilot.press("y")
        await wait_for(pilot, lambda: results, "the save as new")
    saved = results[0]
    assert saved is not None and saved.id == "TW-NOR-0002" and saved.contact_phone == "+47 22 00 00 01"
    assert demo_store.get(Arrangement, NORWAY) is None
    assert [p.id for p in demo_store.children(Partner, saved.id)] == [f"P-{n}" for n in range(1, 7)]


async def test_a_partner_changed_meanwhile_is_merged_field_by_field(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, results = await open_editor(app, pilot, NORWAY)
        await pilot.press("f2", "down", "e")  # P-2, Argentina
        assert isinstance(app.screen, PartnerForm)
        app.screen.query_one("#field-address").focus()
        await pilot.press("end", *", Esmeralda 1319")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is editor, "the partner form to close")

        alice = second_writer(demo_store)
        theirs = alice.require(Partner, f"{NORWAY}/P-2")
        alice.save(theirs.replace(contact="Lucia Perez, lperez@conare.example.ar"), "test:alice")

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen), "the conflict screen")
        conflict = app.screen
        assert isinstance(conflict, ConflictScreen) and isinstance(conflict.theirs, Partner)
        assert conflict.choices == {"address": MINE, "contact": THEIRS}
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: results, "the save")
    stored = demo_store.require(Partner, f"{NORWAY}/P-2")
    assert (stored.address, stored.contact) == ("Buenos Aires, Esmeralda 1319", "Lucia Perez, lperez@conare.example.ar")
    assert stored.rev == 3


async def test_removing_a_partner_someone_changed_asks_first(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, results = await open_editor(app, pilot, NORWAY)
        await pilot.press("f2", "down", "down", "x", "y")  # remove P-3, Brazil
        alice = second_writer(demo_store)
        alice.save(alice.require(Partner, f"{NORWAY}/P-3").replace(address="Brasilia DF, Esplanada"), "test:alice")

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        assert "alice changed the partner" in app.screen.question  # type: ignore[attr-defined]
        await pilot.press("n")  # keep it: it comes back as alice saved it
        await wait_for(pilot, lambda: app.screen is editor, "back to the form")
        assert editor.partners[-1].address == "Brasilia DF, Esplanada"
        assert demo_store.get(Partner, f"{NORWAY}/P-3") is not None

        await pilot.press("end", "x", "y", "ctrl+s")  # remove it again, knowing; now it goes through
        await wait_for(pilot, lambda: results, "the save")
    assert demo_store.get(Partner, f"{NORWAY}/P-3") is None


# -- the conflict screen on its own -------------------------------------------
def versions() -> tuple[Arrangement, Arrangement, Arrangement]:
    base = Arrangement(id=NORWAY, rev=4, reporting_state="NOR", title="Quota refugees", status="active",
                       objectives="Strengthen selection capacity.", areas=["housing"])
    mine = base.replace(title="Quota refugees: selection and integration", lessons_learned="Mine. " * 40)
    theirs = base.replace(rev=5, title="Quota refugees (Latin America)", status="completed",
                          lessons_learned="Theirs. " * 40, updated_by="alice",
                          updated_at="2026-11-20T09:30:00+00:00")
    return base, mine, theirs


async def open_conflict(app: TwintuiApp, pilot: Pilot[None], mine: Record, theirs: Record,
                        base: Record | None = None) -> tuple[ConflictScreen[str, Record], list[Record | None]]:
    results: list[Record | None] = []
    screen = ConflictScreen(of_records(mine, theirs, base=base))
    await app.push_screen(screen, results.append)
    await pilot.pause()
    return screen, results


async def test_only_differing_fields_are_listed_and_long_values_are_cut(demo_store: Store) -> None:
    base, mine, theirs = versions()
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, _ = await open_conflict(app, pilot, mine, theirs, base)
        assert screen.keys == ("title", "status", "lessons_learned")
        assert screen.choices == {"title": MINE, "status": THEIRS, "lessons_learned": MINE}
        table = screen.query_one(DataTable)
        lessons_row = [str(cell) for cell in table.get_row_at(2)]  # lessons_learned
        assert lessons_row[0] == "! Lessons learned"
        assert lessons_row[1].startswith("● Mine. Mine.") and lessons_row[1].endswith(ELLIPSIS)
        assert lessons_row[2].startswith("○ Theirs.") and lessons_row[2].endswith(ELLIPSIS)
        assert lessons_row[3] == "yours"
        # Everything fits in 80 columns and 24 lines, buttons included.
        for widget in (table, *screen.query(Button)):
            assert widget.region.right <= 80 and widget.region.bottom <= 23, widget
        await pilot.press("down", "down")
        detail = str(screen.query_one("#conflict-detail", Static).render())
        assert "Yours: " + "Mine. " * 39 + "Mine." in detail  # the full value, below the table
        assert "Theirs (alice, 2026-11-20 09:30 UTC): Theirs." in detail


async def test_keep_all_take_all_save_and_cancel(demo_store: Store) -> None:
    base, mine, theirs = versions()
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, results = await open_conflict(app, pilot, mine, theirs, base)
        await pilot.press("k")
        assert set(screen.choices.values()) == {MINE}
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: results, "the result")
        merged = results.pop()
        assert isinstance(merged, Arrangement)
        assert (merged.title, merged.status, merged.lessons_learned) == (mine.title, mine.status, mine.lessons_learned)
        assert (merged.rev, merged.updated_by) == (5, "alice")  # their revision: the next save goes through

        screen, results = await open_conflict(app, pilot, mine, theirs, base)
        await pilot.press("a")
        assert set(screen.choices.values()) == {THEIRS}
        screen.query_one("#conflict-save", Button).focus()
        await pilot.press("enter")  # enter on the button saves
        await wait_for(pilot, lambda: results, "the result")
        assert results.pop() == theirs

        screen, results = await open_conflict(app, pilot, mine, theirs)  # no base: all mine by default
        assert set(screen.choices.values()) == {MINE} and not screen.both
        await pilot.press("space")
        assert screen.choices["title"] == THEIRS
        await pilot.press("escape")
        await wait_for(pilot, lambda: results, "the result")
        assert results == [None]


async def test_conflict_bindings_have_ids_and_tooltips(demo_store: Store) -> None:
    from twintui.tui.common.conflict import ChoiceTable

    for cls in (ConflictScreen, ChoiceTable):
        for binding in cls.BINDINGS:
            assert binding.id and binding.tooltip, (cls.__name__, binding)  # type: ignore[union-attr]
    assert clip("a  long\nvalue", 6) == "a lon" + ELLIPSIS and clip("short", 6) == "short"
