"""The Progress sheet as it travels (issue 18): re-saved by a headless LibreOffice Calc, saved as .ods and
back to .xlsx, and read as a focal point sees it (LibreOffice's CSV of the sheet)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from twintui.core import demo
from twintui.core.model.progress import ObjectiveProgress
from twintui.core.store import Store
from twintui.core.workbook import apply, export_return, preview, read_return

from .conftest import NOW, QUARTER
from .helpers import libreoffice_convert, soffice
from .test_progress_sheet import NOR, col, edit, rows_of


@pytest.fixture(scope="module")
def travelled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Norway's return, re-saved as .xlsx and through .ods back to .xlsx (two LibreOffice runs for all)."""
    folder = tmp_path_factory.mktemp("progress-travel")
    store = Store.open(folder / "register.json", user="maintainer", clock=lambda: NOW)
    demo.fill(store, size=10)
    exported = export_return(store, "NOR", QUARTER, folder / "nor.xlsx").path
    (resaved,) = libreoffice_convert([exported], folder)
    (ods,) = libreoffice_convert([exported], folder, to="ods")
    (back,) = libreoffice_convert([ods], folder)
    return {"store": store.path, "exported": exported, "resaved": resaved, "ods": ods, "back": back}


def _store(travelled: dict[str, Any], tmp_path: Path) -> Store:
    copy = tmp_path / "register.json"
    shutil.copy(travelled["store"], copy)
    return Store.open(copy, user="maintainer", clock=lambda: NOW)


@pytest.mark.parametrize("which", ["resaved", "back"])
def test_an_untouched_return_after_libreoffice_imports_with_no_changes(travelled: dict[str, Any], which: str,
                                                                       tmp_path: Path) -> None:
    store = _store(travelled, tmp_path)
    path = travelled[which]
    assert path.read_bytes() != travelled["exported"].read_bytes()
    (file,) = preview(store, [read_return(path)]).files
    assert (file.errors, file.rows) == ([], [])
    assert file.unchanged >= 12  # Norway's 3 objectives, 8 activities and its spending, with the register's rows


@pytest.mark.parametrize("which", ["resaved", "back"])
def test_an_edit_after_libreoffice_lands_as_one_record(travelled: dict[str, Any], which: str,
                                                       tmp_path: Path) -> None:
    store = _store(travelled, tmp_path)
    path = shutil.copy(travelled[which], tmp_path / "edited.xlsx")
    row = rows_of(path)[(NOR, f"O1-{QUARTER}")]
    edit(path, [(row, "value", 4.0), (row, "comment", "Paraguay's mission shadowed")])
    result = preview(store, [read_return(path)])
    (new,) = result.files[0].rows
    assert (new.status, new.key) == ("new", f"{NOR}/O1-{QUARTER}")
    apply(store, result)
    record = store.require(ObjectiveProgress, f"{NOR}/O1-{QUARTER}")
    assert (record.value, record.status, record.comment) == (4, "delayed", "Paraguay's mission shadowed")


def test_the_progress_sheet_reads_as_a_focal_point_sees_it(travelled: dict[str, Any], tmp_path: Path) -> None:
    """LibreOffice's own CSV of the sheet: headers, hashtags, then one row per item, the values as typed."""
    out = tmp_path / "csv"
    out.mkdir()
    profile = tmp_path / "profile"
    # Sheet 5 is Progress (Instructions, Register, Partners, Risks, Progress, Lists, _meta).
    result = subprocess.run(
        [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--convert-to",
         'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,5', "--outdir", str(out),
         str(travelled["exported"])], capture_output=True, text=True, timeout=180, check=False,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    (found,) = out.glob("*.csv")
    rows = list(csv.reader(found.open(encoding="utf-8")))
    assert rows[0][:4] == ["Record ID", "Progress ID", "What", "Values from"]
    assert rows[1][0] == "#meta+id"
    objective = next(r for r in rows if r[col("id") - 1] == f"O1-{QUARTER}")
    assert objective[col("value") - 1] == "3" and objective[col("status") - 1] == "delayed"
    assert objective[col("last") - 1] == "2026-Q2" and objective[col("target") - 1] == "5"
    assert len([r for r in rows[2:] if r[0] == NOR]) == 12
