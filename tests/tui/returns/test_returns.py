"""The returns screen at 80x24: the tracker, exporting a return, importing it with a preview, apply, refusals."""

from __future__ import annotations

from pathlib import Path

from openpyxl.utils import get_column_letter
from textual.widgets import Input, Static

from twintui.core.model import Arrangement
from twintui.core.store import Store
from twintui.core.workbook import QuarterlyReturn
from twintui.tui.common.confirm import ConfirmScreen
from twintui.tui.common.facets import FacetScreen
from twintui.tui.common.row_table import RowTable
from twintui.tui.returns.forms import (
    ExportForm,
    ImportForm,
    PathArea,
    complete_path,
    export_target,
    parse_paths,
)
from twintui.tui.returns.preview import ImportPreviewScreen
from twintui.tui.returns.screen import ReturnsScreen

from ...core.workbook.helpers import column_of, edit, find_row
from ..driving import settle, wait_for

NORWAY = "TW-NOR-0001"
EXPORTED = "twintui-return-NOR-2026-Q3.xlsx"




async def open_returns(app, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("5")
    await settle(app, pilot)
    assert isinstance(app.screen, ReturnsScreen)


def rows(app) -> list:
    return list(app.screen.query_one(RowTable).rows)


def row_of(app, state: str):
    return next(row for row in rows(app) if row.state == state)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def notes(app) -> str:
    return "\n".join(n.message for n in app._notifications)


async def export_norway(app, pilot, folder: Path) -> Path:
    """x, then the state by name and a folder to save in; the quarter stays the last ended one."""
    await pilot.press("x")
    await wait_for(pilot, lambda: isinstance(app.screen, ExportForm), "the export form")
    form = app.screen
    assert form.query_one("#export-quarter", Input).value == "2026-Q3"
    form.query_one("#export-state", Input).value = "norway"
    form.query_one("#export-place", Input).value = str(folder)
    await pilot.pause()
    assert str(folder / EXPORTED) in text_of(form, "#export-target")
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, ReturnsScreen), "the export form to close")
    await settle(app, pilot)
    return folder / EXPORTED


async def import_files(app, pilot, *paths: Path) -> None:
    await pilot.press("i")
    await wait_for(pilot, lambda: isinstance(app.screen, ImportForm), "the import form")
    app.screen.query_one(PathArea).text = "\n".join(str(p) for p in paths)
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: not isinstance(app.screen, ImportForm), "the import form to close")
    await settle(app, pilot)


def edited_copy(source: Path, target: Path, changes: list[tuple[str, object]]) -> Path:
    """A copy of the exported return with cells of Norway's arrangement changed, saved by openpyxl."""
    row = find_row(source, "Register", "id", NORWAY)
    return edit(source, [("Register", row, key, value) for key, value in changes], target=target)


# -- the tracker ------------------------------------------------------------------------

async def test_the_tracker_shows_the_overdue_states(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_returns(app, pilot)
        # Canada's running arrangement has reported 2026-Q3 (as the Register shows); Norway's has not.
        assert [(row.state, row.quarter, row.status) for row in rows(app)] == [
            ("CAN", "2026-Q3", "reported"), ("NOR", "2026-Q3", "overdue")]
        reported, late = rows(app)
        # Readable without colour: the marker column and the status word.
        table = app.screen.query_one(RowTable)
        assert table.marker(late) == "!" and late.cell("status") == "OVERDUE"
        assert table.marker(reported) == "" and reported.cell("status") == "reported"
        assert late.cell("due") == "2026-10-30" and late.cell("exported") == ""
        assert "1 overdue (!)" in text_of(app.screen, "#returns-status")
        assert "every arrangement that ran in the quarter has reported it" in text_of(app.screen, "#returns-detail")
        await pilot.press("down")
        detail = text_of(app.screen, "#returns-detail")
        assert "NOR Norway" in detail and "OVERDUE, 21 days late" in detail and "Exported not yet" in detail


async def test_the_tracker_says_which_states_have_not_reported_progress(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_returns(app, pilot)
        # The demo: Canada's MoU arrangement reported progress for 2026-Q3, Norway's last did for 2026-Q2.
        assert [(row.state, row.cell("progress")) for row in rows(app)] == [("CAN", "reported"), ("NOR", "missing")]
        assert "1 without progress (p)" in text_of(app.screen, "#returns-status")
        assert "Progress reported: TW-CAN-0001" in text_of(app.screen, "#returns-detail")
        await pilot.press("down")
        assert "Progress missing: TW-NOR-0001 has not reported" in text_of(app.screen, "#returns-detail")
        # Drawn at 80 columns: the word is on the row, not only in a colour.
        table = app.screen.query_one(RowTable)
        drawn = [table.render_line(y).text for y in range(1, 3)]
        assert "reported" in drawn[0] and "missing" in drawn[1] and "OVERDUE" in drawn[1]
        # Every line fills the width (a table without a flexible column once left the last screen's cells).
        assert {len(table.render_line(y).text) for y in range(0, 4)} == {table.size.width}
        await pilot.press("p")
        assert [row.state for row in rows(app)] == ["NOR"] and app.screen.filter.progress == {"missing", "partly"}
        assert "Progress: missing, partly" in text_of(app.screen, "#returns-status")
        await pilot.press("p")
        assert len(rows(app)) == 2
        # The facet: Progress is the last tab, its values what to chase first.
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FacetScreen), "the facets")
        app.screen.query_one("#facet-progress").focus()
        await pilot.press("space", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ReturnsScreen), "the facets to close")
        assert app.screen.filter.progress == {"missing"} and [row.state for row in rows(app)] == ["NOR"]


async def test_filters_facets_and_sort(make_app, pinned_store: Store) -> None:
    # Canada's return came back: one row overdue (NOR), one received (CAN).
    pinned_store.save(QuarterlyReturn(id="CAN-2026-Q3", state="CAN", quarter="2026-Q3",
                                      exported_at="2026-10-02T08:00:00+00:00",
                                      received_at="2026-10-20T09:00:00+00:00"), "test")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_returns(app, pilot)
        assert [(row.state, row.status) for row in rows(app)] == [("CAN", "received"), ("NOR", "overdue")]
        await pilot.press("slash", *"norway", "enter")
        assert [row.state for row in rows(app)] == ["NOR"]
        assert app.focused is app.screen.query_one(RowTable)
        await pilot.press("c")
        assert len(rows(app)) == 2
        await pilot.press("o")
        assert [row.state for row in rows(app)] == ["NOR"] and app.screen.filter.statuses == {"overdue"}
        await pilot.press("o")
        assert not app.screen.filter.statuses and len(rows(app)) == 2
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FacetScreen), "the facets")
        await pilot.press("right")  # the Status tab: overdue is its first value
        app.screen.query_one("#facet-statuses").focus()
        await pilot.press("space", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ReturnsScreen), "the facets to close")
        assert app.screen.filter.statuses == {"overdue"} and [row.state for row in rows(app)] == ["NOR"]
        await pilot.press("c", "s")  # quarter → due: both due the same day, ties keep state order both ways
        assert app.screen.sort_key == "due" and [row.state for row in rows(app)] == ["CAN", "NOR"]
        await pilot.press("r")
        assert [row.state for row in rows(app)] == ["CAN", "NOR"]
        await pilot.press("s", "s")  # exported, then received: CAN's return came back, NOR's did not
        assert app.screen.sort_key == "received"
        first = [row.state for row in rows(app)]
        await pilot.press("r")
        assert [row.state for row in rows(app)] == first[::-1] and sorted(first) == ["CAN", "NOR"]


# -- export -----------------------------------------------------------------------------

async def test_exporting_from_the_screen_writes_the_file_and_shows_who(make_app, tmp_path: Path,
                                                                        pinned_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_returns(app, pilot)
        path = await export_norway(app, pilot, tmp_path)
        assert path.is_file() and path.stat().st_size > 0
        norway = row_of(app, "NOR")
        assert norway.cell("exported") == "2026-11-20 focal.point"
        assert norway.status == "overdue"  # sent, but not back and past its due date
        assert app.screen.query_one(RowTable).current is norway
        detail = text_of(app.screen, "#returns-detail")
        assert "Exported 2026-11-20 09:30 by focal.point" in detail and str(path) in detail
        assert str(path) in text_of(app.screen, "#returns-message")
        assert str(path) in notes(app)
    tracked = pinned_store.require(QuarterlyReturn, "NOR-2026-Q3")
    assert tracked.exported_by == "focal.point" and tracked.exported_file == EXPORTED and not tracked.received_at


async def test_the_export_form_checks_what_is_typed(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_returns(app, pilot)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportForm), "the export form")
        form = app.screen
        assert form.query_one("#export-state", Input).value == "CAN"  # the row under the cursor
        form.query_one("#export-state", Input).value = "Norwy"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ExportForm)
        assert "did you mean Norway (NOR)?" in text_of(form, "#export-target")
        assert form.focused is form.query_one("#export-state", Input)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ReturnsScreen), "the form to close")
    assert not list(tmp_path.glob("*.xlsx"))


def test_export_target_defaults_to_the_suggested_name_in_the_folder(tmp_path: Path) -> None:
    request, _, _ = export_target("Norway", "2026q3", "", tmp_path)
    assert request is not None and request.path == tmp_path / EXPORTED and request.state == "NOR"
    request, _, _ = export_target("NOR", "2026-Q3", "out", tmp_path)
    assert request is not None and request.path == tmp_path / "out" / EXPORTED
    request, _, _ = export_target("NOR", "2026-Q3", "~/mine.XLSX", tmp_path)
    assert request is not None and request.path == Path.home() / "mine.XLSX"
    assert export_target("NOR", "", "", tmp_path)[1] == "quarter"
    assert export_target("", "2026-Q3", "", tmp_path)[1] == "state"


# -- import -----------------------------------------------------------------------------

async def test_importing_the_export_unchanged_previews_all_unchanged(make_app, tmp_path: Path,
                                                                     pinned_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_returns(app, pilot)
        path = await export_norway(app, pilot, tmp_path)
        calls: list[tuple[str, int, int]] = []
        screen = app.screen
        original = screen.show_progress
        screen.show_progress = lambda *args: (calls.append(args), original(*args))  # type: ignore[method-assign]
        await import_files(app, pilot, path)
        assert isinstance(app.screen, ImportPreviewScreen)
        result = app.screen.preview
        [file] = result.files
        assert result.ok and not result.has_changes and file.unchanged > 0 and not file.missing
        assert file.file.meta.state == "NOR" and file.file.meta.quarter == "2026-Q3"
        body = app.screen.query_one("#preview-file-0").plain
        assert "return of NOR for 2026-Q3" in body and "every row is unchanged" in body
        assert "Ready to apply" in text_of(app.screen, "#preview-verdict")
        # The progress bar was fed from the worker: reading the file, then comparing its rows.
        assert ("reading", 1, 1) in calls and any(stage == "comparing" and done == total for stage, done, total in calls)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ReturnsScreen), "the preview to close")
        assert "nothing was written" in text_of(app.screen, "#returns-message")
    assert not pinned_store.require(QuarterlyReturn, "NOR-2026-Q3").received_at


async def test_an_edited_return_shows_the_change_and_the_bad_cell_then_a_fixed_one_applies(
        make_app, tmp_path: Path, pinned_store: Store) -> None:
    old_title = pinned_store.require(Arrangement, NORWAY).title
    new_title = "Competence building on selection and integration, second phase"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_returns(app, pilot)
        exported = await export_norway(app, pilot, tmp_path)
        wrong = edited_copy(exported, tmp_path / "NOR-Q3-wrong.xlsx",
                            [("title", new_title), ("contact_email", "ingrid.hansen(at)udi")])
        row = find_row(wrong, "Register", "id", NORWAY)
        letter = get_column_letter(column_of("Register", "contact_email"))
        before = pinned_store.path.read_bytes()

        await import_files(app, pilot, wrong)
        assert isinstance(app.screen, ImportPreviewScreen)
        result = app.screen.preview
        [file] = result.files
        assert not result.ok and [p.cell for p in file.errors] == [f"Register!{letter}{row}"]
        body = app.screen.query_one("#preview-file-0").plain
        assert f"Register!{letter}{row}" in body and "ingrid.hansen(at)udi" in body
        assert "1 error" in text_of(app.screen, "#preview-verdict")
        # Apply is refused while the error is there, and says why.
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ImportPreviewScreen)
        assert "Cannot apply: 1 error" in notes(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ReturnsScreen), "the preview to close")
        assert pinned_store.path.read_bytes() == before

        fixed = edited_copy(exported, tmp_path / "NOR-Q3-fixed.xlsx", [("title", new_title)])
        await import_files(app, pilot, fixed)
        assert isinstance(app.screen, ImportPreviewScreen)
        result = app.screen.preview
        [file] = result.files
        assert result.ok and len(file.changed) == 1 and not file.errors
        [change] = file.changed[0].changes
        assert (change.field, change.old, change.new) == ("title", old_title, new_title)
        body = app.screen.query_one("#preview-file-0").plain
        assert f"{NORWAY} · Register row {row}" in body and f"Title: {old_title} → {new_title}" in body
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        assert "Marks received: NOR 2026-Q3" in str(app.screen.question)
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, ReturnsScreen), "the preview to close after applying")
        await settle(app, pilot)
        norway = row_of(app, "NOR")
        assert norway.status == "received" and norway.cell("status") == "received"
        assert app.screen.query_one(RowTable).marker(norway) == ""
        assert norway.cell("received") == "2026-11-20 focal.point" and norway.cell("applied") == "+0 ~1"
        assert norway.cell("file") == "NOR-Q3-fixed.xlsx"
        assert "Applied: 0 new and 1 changed record in one write" in notes(app) and "NOR-2026-Q3" in notes(app)
        assert "overdue" not in text_of(app.screen, "#returns-status")  # Norway's was the one overdue
    assert pinned_store.require(Arrangement, NORWAY).title == new_title
    tracked = pinned_store.require(QuarterlyReturn, "NOR-2026-Q3")
    assert tracked.received_by == "focal.point" and tracked.received_file == "NOR-Q3-fixed.xlsx"
    assert tracked.applied_changed == 1


async def test_a_file_that_is_not_a_return_is_refused_with_its_reason(make_app, tmp_path: Path,
                                                                     pinned_store: Store) -> None:
    notes_file = tmp_path / "notes.txt"
    notes_file.write_text("Norway's return will follow next week.\n")
    before = pinned_store.path.read_bytes()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_returns(app, pilot)
        await import_files(app, pilot, notes_file)
        assert isinstance(app.screen, ReturnsScreen)  # no preview
        message = text_of(app.screen, "#returns-message")
        assert f"{notes_file}: is not an .xlsx workbook" in message and "nothing was imported" in message
        assert message.count("\n") == 0
        assert [f"✗ {n.message}" for n in app._notifications] == [message]  # said once, as on the line
        assert not app.screen.has_class("-busy")  # the progress line is gone
        assert [row.status for row in rows(app)] == ["reported", "overdue"]
    assert pinned_store.path.read_bytes() == before


async def test_a_fake_workbook_among_good_files_stops_the_whole_import(make_app, tmp_path: Path,
                                                                      pinned_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_returns(app, pilot)
        exported = await export_norway(app, pilot, tmp_path)
        fake = tmp_path / "fake.xlsx"
        fake.write_bytes(b"PK\x03\x04 not really a zip")
        before = pinned_store.path.read_bytes()
        await import_files(app, pilot, exported, fake)
        assert isinstance(app.screen, ReturnsScreen)
        message = text_of(app.screen, "#returns-message")
        assert str(fake) in message and str(exported) not in message
    assert pinned_store.path.read_bytes() == before


# -- typing paths -----------------------------------------------------------------------

async def test_tab_completes_a_path_in_the_import_form(make_app, tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    (folder / EXPORTED).write_bytes(b"")
    (folder / "twintui-return-CAN-2026-Q3.xlsx").write_bytes(b"")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_returns(app, pilot)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, ImportForm), "the import form")
        area = app.screen.query_one(PathArea)
        area.text = f"{tmp_path}/ret"
        area.move_cursor(area.document.end)
        await pilot.press("tab")
        assert area.text == f"{folder}/"
        await pilot.press("tab")
        assert area.text == f"{folder}/twintui-return-"
        assert "2 fit" in text_of(app.screen, "#import-candidates")
        await pilot.press("N", "tab")
        assert area.text == f"{folder}/{EXPORTED}"
        assert app.focused is area


def test_paths_one_per_line_or_separated_by_spaces(tmp_path: Path) -> None:
    spaced = tmp_path / "NOR return Q3.xlsx"
    spaced.write_bytes(b"")
    text = f"a.xlsx b.xlsx\n\n  {spaced}  \n'{tmp_path}/c d.xlsx' ~/e.xlsx\na.xlsx\n"
    assert parse_paths(text, tmp_path) == [
        tmp_path / "a.xlsx", tmp_path / "b.xlsx", spaced, tmp_path / "c d.xlsx", Path.home() / "e.xlsx"]


def test_complete_path_lists_the_choices(tmp_path: Path) -> None:
    (tmp_path / "alpha.xlsx").write_bytes(b"")
    (tmp_path / "alps").mkdir()
    (tmp_path / ".hidden").write_bytes(b"")
    assert complete_path("al", tmp_path) == ("p", ["alpha.xlsx", "alps/"])
    assert complete_path("alp", tmp_path) == ("", ["alpha.xlsx", "alps/"])
    assert complete_path("alph", tmp_path) == ("a.xlsx", [])
    assert complete_path("alps", tmp_path) == ("/", [])
    assert complete_path("zzz", tmp_path) == ("", [])
    assert complete_path(f"{tmp_path}/.h", tmp_path) == ("idden", [])


async def test_a_record_saved_between_preview_and_apply_stops_the_apply(make_app, tmp_path: Path,
                                                                        pinned_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_returns(app, pilot)
        exported = await export_norway(app, pilot, tmp_path)
        changed = edited_copy(exported, tmp_path / "NOR-Q3.xlsx", [("title", "A title from the return")])
        await import_files(app, pilot, changed)
        assert isinstance(app.screen, ImportPreviewScreen) and app.screen.preview.ok
        # Another official saves the same arrangement while the preview is open.
        current = pinned_store.require(Arrangement, NORWAY)
        pinned_store.save(current.replace(title="A title typed on the Register screen"), "screen:register")
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("y")
        await wait_for(pilot, lambda: "changed since this preview" in notes(app), "the refusal")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportPreviewScreen)
        assert "nothing was written" in str(app.screen.query_one("#preview-verdict", Static).render())
    assert pinned_store.require(Arrangement, NORWAY).title == "A title typed on the Register screen"
    assert not pinned_store.require(QuarterlyReturn, "NOR-2026-Q3").received_at


async def test_a_preview_ready_while_the_user_is_elsewhere_waits_on_the_returns_screen(
        make_app, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    import threading

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_returns(app, pilot)
        path = await export_norway(app, pilot, tmp_path)
        go_on = threading.Event()
        preview = app.desk.preview
        monkeypatch.setattr(app.desk, "preview", lambda *a, **k: (go_on.wait(10), preview(*a, **k))[1])
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, ImportForm), "the import form")
        app.screen.query_one(PathArea).text = str(path)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ReturnsScreen), "the import form to close")
        await pilot.press("1")  # the Register, while the files are compared
        await settle(app, pilot)
        assert app.screen.TITLE == "Register"
        go_on.set()
        await wait_for(pilot, lambda: "preview" in notes(app).lower(), "word that the preview is ready")
        await settle(app, pilot)
        assert app.screen.TITLE == "Register"  # not pushed over the Register
        assert "Returns (5)" in notes(app)
        await pilot.press("5")
        await wait_for(pilot, lambda: isinstance(app.screen, ImportPreviewScreen), "the preview on the Returns screen")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ReturnsScreen), "the preview to close")
        assert "nothing was written" in text_of(app.screen, "#returns-message")
