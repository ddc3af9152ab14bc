"""The workbook of `compare export`: live formulas, and LibreOffice computing what twintui computes."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from twintui.core.compare import demo, evaluate
from twintui.core.compare.export import FIRST_FACTOR_ROW, export_xlsx

from .examples import FUNDING


def test_export_writes_live_formulas(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    c = demo.demo_comparison()
    path = tmp_path / "matrix.xlsx"
    export_xlsx(c, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Matrix", "Notes", "Sensitivity"]
    ws = wb["Matrix"]
    first = FIRST_FACTOR_ROW
    assert [ws.cell(first - 1, col).value for col in range(1, 8)] == [
        "Factor", "Weight", "Must-have min", "Norway", "Canada", "Netherlands", "Sweden"]
    assert ws.cell(first + 5, 3).value == 2  # the must-have minimum of funding
    assert ws.cell(first + 5, 7).value is None  # Sweden's unknown funding stays blank, not 0
    total_row = first + len(c.factors) + 1
    assert ws.cell(total_row, 1).value == "Weighted score (0-100)"
    formula = ws.cell(total_row, 4).value
    assert formula.startswith("=IF(") and "SUMPRODUCT($B$7:$B$16,D7:D16)" in formula
    assert str(ws.cell(total_row + 3, 4).value).startswith("=IF(")  # rank
    notes = [row for row in wb["Notes"].iter_rows(min_row=2, values_only=True)]
    assert any("Mexico Plan of Action" in row[3] for row in notes)


def _recalculated(path: Path, out: Path) -> list[list[str]]:
    """The Matrix sheet as LibreOffice computes it (headless, own profile, CSV)."""
    profile = out / "profile"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "csv",
         "--outdir", str(out), str(path)], capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr
    with open(out / (path.stem + ".csv"), newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_recalculates_the_same_totals_and_ranks(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    c = demo.demo_comparison()
    c.add_candidate("Atlantis")  # nothing scored: blank total, no rank
    path = tmp_path / "matrix.xlsx"
    export_xlsx(c, path)
    # Change a cell by hand, as a reader of the workbook would: Sweden below the funding minimum.
    wb = load_workbook(path)
    first = FIRST_FACTOR_ROW
    wb["Matrix"].cell(first + 5, 7).value = 1
    wb.save(path)
    c.set_score(FUNDING, "Sweden", 1)

    rows = _recalculated(path, tmp_path)
    by_label = {row[0]: row[3:3 + len(c.candidates)] for row in rows if row}
    ev = evaluate(c)
    for name, total in zip([x.name for x in c.candidates], by_label["Weighted score (0-100)"], strict=True):
        expected = ev.result(name).total
        if expected is None:
            assert total == ""
        else:
            assert float(total) == pytest.approx(expected, abs=1e-6), name
    excluded = dict(zip([x.name for x in c.candidates], by_label["Excluded (below a must-have minimum)"]))
    assert excluded["Sweden"] == "excluded" and excluded["Norway"] == ""
    ranks = dict(zip([x.name for x in c.candidates], by_label["Rank"]))
    assert ranks == {r.name: ("" if r.rank is None else str(r.rank)) for r in ev.results}


def test_the_workbook_as_bytes_holds_what_the_file_holds(tmp_path: Path) -> None:
    import io

    from openpyxl import load_workbook

    from twintui.core.compare.export import xlsx_bytes

    c = demo.demo_comparison()
    export_xlsx(c, tmp_path / "matrix.xlsx")
    as_file, as_bytes = load_workbook(tmp_path / "matrix.xlsx"), load_workbook(io.BytesIO(xlsx_bytes(c)))
    assert as_bytes.sheetnames == as_file.sheetnames
    for name in as_file.sheetnames:
        assert [[c.value for c in r] for r in as_bytes[name]] == [[c.value for c in r] for r in as_file[name]]
