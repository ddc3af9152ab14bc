"""The import preview shows a return's progress (issue 18): each reported objective, activity and spending
with what moved since the last report, and a bad progress cell by its name, at 80x24."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from twintui.core.model.progress import ObjectiveProgress
from twintui.core.store import Store
from twintui.tui.common.confirm import ConfirmScreen
from twintui.tui.returns.preview import ImportPreviewScreen
from twintui.tui.returns.screen import ReturnsScreen

from ...core.workbook.test_progress_sheet import col, edit, rows_of
from ..driving import wait_for
from .test_returns import NORWAY, export_norway, import_files, open_returns, text_of

QUARTER = "2026-Q3"


async def test_progress_changes_show_in_the_preview_and_apply(make_app, tmp_path: Path,
                                                              pinned_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_returns(app, pilot)
        exported = await export_norway(app, pilot, tmp_path)
        rows = rows_of(exported)
        objective, activity = rows[(NORWAY, f"O1-{QUARTER}")], rows[(NORWAY, f"A5-{QUARTER}")]
        edit(exported, [(objective, "value", 4), (objective, "comment", "Paraguay's mission shadowed"),
                        (activity, "state", "done"), (activity, "done_on", "2099-09-12")])
        letter = load_workbook(exported)["Progress"].cell(row=1, column=col("done_on")).column_letter

        await import_files(app, pilot, exported)
        assert isinstance(app.screen, ImportPreviewScreen)
        body = app.screen.query_one("#preview-file-0").plain
        assert f"Progress!{letter}{activity}" in body and "in the future" in body
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ReturnsScreen), "the preview to close")

        edit(exported, [(activity, "done_on", "2026-09-12")])
        await import_files(app, pilot, exported)
        assert isinstance(app.screen, ImportPreviewScreen)
        body = app.screen.query_one("#preview-file-0").plain
        assert f"{NORWAY}/O1-{QUARTER} · Progress row {objective}" in body
        assert "Value reached: 3 → 4" in body  # against the last report (2026-Q2)
        assert "State: in progress → done" in body
        assert "Ready to apply" in text_of(app.screen, "#preview-verdict")
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, ReturnsScreen), "the preview to close after applying")
    assert pinned_store.require(ObjectiveProgress, f"{NORWAY}/O1-{QUARTER}").value == 4
