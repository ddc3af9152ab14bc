"""The Risks sheet travels like the register (issue 7): after a LibreOffice re-save, one edited
likelihood is one change, a likelihood of 9 is an error naming its cell, and a new row with a
Record ID adds a risk to that arrangement."""

from __future__ import annotations

from pathlib import Path

from twintui.core.model import Arrangement, Risk
from twintui.core.store import Store
from twintui.core.workbook import apply, export_return, preview, read_return

from .helpers import column_of, edit, first_empty_row, libreoffice_resave

QUARTER = "2026-Q3"


def _risk_row(path: Path, risk: Risk) -> int:
    """The Risks row of this risk: Risk IDs (R-1, ...) repeat across arrangements."""
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True)["Risks"]
    parent, own = column_of("Risks", "arrangement") - 1, column_of("Risks", "id") - 1
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if row[parent] == risk.arrangement and row[own] == risk.id:
            return number
    raise LookupError(risk.key)


def _state_with_risks(store: Store) -> tuple[str, Risk]:
    risk = next(r for r in store.all(Risk) if r.status == "open")
    return store.require(Arrangement, risk.arrangement).reporting_state, risk


def test_risks_round_trip_through_libreoffice(register: Store, tmp_path: Path) -> None:
    state, risk = _state_with_risks(register)
    exported = export_return(register, state, QUARTER, tmp_path / "return.xlsx").path
    resaved = libreoffice_resave(exported, tmp_path / "resaved")
    assert preview(register, [read_return(resaved)]).files[0].rows == []

    row = _risk_row(resaved, risk)
    new_likelihood = 1 if risk.likelihood != 1 else 2
    new_row = first_empty_row(resaved, "Risks")
    edit(resaved, [
        ("Risks", row, "likelihood", float(new_likelihood)),  # as a spreadsheet stores it
        ("Risks", new_row, "arrangement", risk.arrangement),
        ("Risks", new_row, "description", "Interpreters not available for the mission"),
        ("Risks", new_row, "category", "staffing"),
        ("Risks", new_row, "likelihood", 9),
        ("Risks", new_row, "impact", 3),
        ("Risks", new_row, "owner", "Focal point"),
        ("Risks", new_row, "status", "open"),
    ])
    file = preview(register, [read_return(resaved)]).files[0]
    changed = [r for r in file.rows if r.status == "changed"]
    assert [(r.key, [(c.field, c.old, c.new) for c in r.changes]) for r in changed] == [
        (risk.key, [("likelihood", str(risk.likelihood), str(new_likelihood))])]
    (error,) = file.errors
    assert error.sheet == "Risks" and error.column == "Likelihood" and error.cell.endswith(str(new_row))
    assert "above the maximum" in error.message

    edit(resaved, [("Risks", new_row, "likelihood", 2)])
    result = preview(register, [read_return(resaved)])
    assert result.ok
    before = len(register.children(Risk, risk.arrangement))
    apply(register, result)
    risks = register.children(Risk, risk.arrangement)
    assert len(risks) == before + 1
    assert risks[-1].description == "Interpreters not available for the mission" and risks[-1].likelihood == 2
    assert register.require(Risk, risk.key).likelihood == new_likelihood
