"""The returns screen and the MoU editor through the store service: export, import with its preview, apply, render.

The app runs on a ``RemoteStore`` (as with ``TWINTUI_SERVER``) and is driven with the keys of the
screens' own tests (tests/tui/returns, tests/tui/mou); the service, as this user, does the work and
the files are written here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service import running
from tests.tui.conftest import TODAY
from tests.tui.mou.test_editor import heading, open_norway, until
from tests.tui.returns.test_returns import NORWAY, edited_copy, export_norway, import_files, notes, open_returns, row_of
from twintui.core import demo
from twintui.core.model import Arrangement
from twintui.core.store import Store, current_user
from twintui.core.workbook import QuarterlyReturn
from twintui.service.remote import RemoteStore
from twintui.tui.app import TwintuiApp
from twintui.tui.common.confirm import ConfirmScreen
from twintui.tui.mou.dialogs import RenderForm
from twintui.tui.returns.preview import ImportPreviewScreen
from twintui.tui.returns.screen import ReturnsScreen


@pytest.fixture
def served(tmp_path: Path) -> Iterator[running.Running]:
    folder = tmp_path / "srv"
    folder.mkdir(mode=0o700)
    demo.fill(Store.open(folder / "twintui.json"))
    service = running.start(folder / "twintui.json", tmp_path / "twintui.sock")
    yield service
    service.stop()


async def test_a_return_is_exported_imported_and_applied_through_the_service(served: running.Running,
                                                                            tmp_path: Path) -> None:
    new_title = "Competence building, second phase (through the service)"
    app = TwintuiApp(RemoteStore.open(served.socket), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_returns(app, pilot)
        exported = await export_norway(app, pilot, tmp_path)
        assert exported.exists() and exported.stat().st_uid == os.getuid()
        tracked = Store.open(served.store).require(QuarterlyReturn, "NOR-2026-Q3")
        assert tracked.exported_by == current_user() and tracked.exported_file == exported.name  # by the service

        fixed = edited_copy(exported, tmp_path / "NOR-Q3-fixed.xlsx", [("title", new_title)])
        await import_files(app, pilot, fixed)
        assert isinstance(app.screen, ImportPreviewScreen)
        [file] = app.screen.preview.files
        assert app.screen.preview.ok and len(file.changed) == 1
        assert "Title: " in app.screen.query_one("#preview-file-0").plain
        await pilot.press("a")
        await until(app, pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(app, pilot, lambda: isinstance(app.screen, ReturnsScreen))
        assert row_of(app, "NOR").status == "received"
        assert "Applied: 0 new and 1 changed record in one write" in notes(app)
    store = Store.open(served.store)
    assert store.require(Arrangement, NORWAY).title == new_title
    assert store.require(QuarterlyReturn, "NOR-2026-Q3").received_file == fixed.name


async def test_an_mou_is_rendered_through_the_service_and_written_here(served: running.Running,
                                                                       tmp_path: Path) -> None:
    app = TwintuiApp(RemoteStore.open(served.socket), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_norway(app, pilot)
        target = tmp_path / "norway.docx"
        await pilot.press("r")
        await until(app, pilot, lambda: isinstance(app.screen, RenderForm))
        app.screen.query_one("#render-path").value = str(target)
        await pilot.press("enter")
        await until(app, pilot, lambda: target.exists() and "rendered:" in heading(app))
    import docx

    assert "Improve cooperation" in [row.cells[1].text for row in docx.Document(str(target)).tables[1].rows]
