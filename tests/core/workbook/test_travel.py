"""Returns that went through a real headless LibreOffice: formulas it calculated, a re-saved copy of an
applied return, an .ods with an .xlsx name, and the return as it prints (LibreOffice's PDF).

Each LibreOffice run costs seconds, so the files are made once for the module and converted in as
few runs as there are formats; every test works on its own copy of the store they came from.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from twintui.core import demo
from twintui.core.model import Arrangement
from twintui.core.store import Store
from twintui.core.workbook import (
    ImportRefused,
    ReturnFileError,
    apply,
    export_return,
    preview,
    read_return,
    read_returns,
)

from .conftest import NOW, QUARTER
from .helpers import column_of, edit, find_row, libreoffice_convert
from .test_second_submission import TITLE, titled, with_new_rows


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A register and the returns made from it, before any travel."""
    folder = tmp_path_factory.mktemp("travel")
    store = Store.open(folder / "register.json", user="maintainer", clock=lambda: NOW)
    demo.fill(store, size=40)
    three = next(s for s in sorted({d["reporting_state"] for d in store.docs(Arrangement)})
                 if sum(d["reporting_state"] == s for d in store.docs(Arrangement)) == 3)
    formulas = export_return(store, three, QUARTER, folder / "formulas.xlsx").path
    row = find_row(formulas, "Register", "id", f"TW-{three}-0001")
    edit(formulas, [("Register", row, "outcomes", '="Two "&"procedures"'),
                    ("Register", row, "funding_amount", "=2*1750000"),
                    ("Register", row, "contact_name", "=1/0")])
    (folder / "new-rows").mkdir()
    applied = with_new_rows(store, three, folder / "new-rows")
    printed = export_return(store, three, QUARTER, folder / "printed.xlsx").path
    return {"store": store.path, "formulas": formulas, "applied": applied, "printed": printed,
            "state": three, "row": row}


@pytest.fixture(scope="module")
def resaved(origin: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The returns opened and saved again by LibreOffice Calc (one run for all)."""
    names = ("formulas", "applied")
    return dict(zip(names, libreoffice_convert([origin[n] for n in names], tmp_path_factory.mktemp("lo")),
                    strict=True))


@pytest.fixture
def register(origin: dict[str, Any], tmp_path: Path) -> Store:
    """This test's own copy of the register the returns were exported from."""
    source = origin["store"]
    for part in source.parent.iterdir():
        if part.is_file() and part.name.startswith(source.stem):
            shutil.copy2(part, tmp_path / part.name)
    return Store.open(tmp_path / source.name, user="maintainer", clock=lambda: NOW)


def test_a_formula_libreoffice_calculated_is_used_and_the_preview_says_so(
        origin: dict[str, Any], resaved: dict[str, Any], register: Store) -> None:
    state, row = origin["state"], origin["row"]
    (file,) = preview(register, read_returns([resaved["formulas"]])).files
    letter = {key: get_column_letter(column_of("Register", key)) for key in ("outcomes", "funding_amount",
                                                                              "contact_name")}
    # =1/0: LibreOffice calculated the error #DIV/0!, an error naming the cell.
    (error,) = file.errors
    assert error.cell == f"Register!{letter['contact_name']}{row}" and "holds the error #DIV/0!" in error.message
    (invalid,) = file.rows
    assert invalid.key == f"TW-{state}-0001"
    notes = {w.cell: w.message for w in file.warnings if "formula" in w.message}
    assert "holds a formula (=\"Two \"&\"procedures\"); its calculated value is imported" in \
        notes[f"Register!{letter['outcomes']}{row}"]
    assert f"Register!{letter['funding_amount']}{row}" in notes
    assert {(c.field, c.new) for c in invalid.changes} >= {("outcomes", "Two procedures"),
                                                          ("funding_amount", "3,500,000")}
    with pytest.raises(ImportRefused):
        apply(register, preview(register, read_returns([resaved["formulas"]])))


def test_a_libreoffice_resave_of_an_applied_return_is_a_second_submission(
        origin: dict[str, Any], resaved: dict[str, Any], register: Store) -> None:
    apply(register, preview(register, read_returns([origin["applied"]])))
    before = (register.count(Arrangement), len(titled(register)))
    result = preview(register, read_returns([resaved["applied"]]))
    (file,) = result.files
    assert file.second_submission is not None and file.rows == [] and file.errors == []
    assert result.ok and not result.has_changes
    apply(register, result)
    assert (register.count(Arrangement), len(titled(register))) == before == (before[0], 1)
    assert titled(register)[0].title == TITLE


def test_an_ods_with_an_xlsx_name_is_named_an_opendocument_file(origin: dict[str, Any], tmp_path: Path) -> None:
    (ods,) = libreoffice_convert([origin["printed"]], tmp_path, to="ods")
    renamed = tmp_path / "return.xlsx"
    ods.rename(renamed)
    with pytest.raises(ReturnFileError, match=r"is an OpenDocument spreadsheet \(\.ods\) with an \.xlsx name"):
        read_return(renamed)


# -- printing ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def printed(origin: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The text of every page of the return as LibreOffice prints it to PDF."""
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed to read the PDF"
    (pdf,) = libreoffice_convert([origin["printed"]], tmp_path_factory.mktemp("pdf"), to="pdf")
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True,
                           timeout=60).stdout.split("\f")
    return [page for page in pages if page.strip()]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_state_return_of_three_arrangements_prints_its_register_on_two_pages_at_most(
        origin: dict[str, Any], printed: list[str]) -> None:
    state = origin["state"]
    register_pages = [page for page in printed if "Register · page" in page]  # the footer names the sheet
    assert 1 <= len(register_pages) <= 2, len(register_pages)
    # The header rows and the Record ID column repeat on every page: each page says which row is which.
    for page in register_pages:
        assert "Record ID" in page and all(f"TW-{state}-000{n}" in page for n in (1, 2, 3)), page
    assert "#activity+name" in register_pages[0]  # the HXL row is printed with the headers
    # 29 pages before (one Register row over 12 portrait pages); the Progress sheet (issue 18) adds its
    # page and its columns to the Instructions' table.
    assert len(printed) <= 12, len(printed)


def test_the_instructions_print_every_sentence(origin: dict[str, Any], printed: list[str]) -> None:
    sheet = load_workbook(origin["printed"])["Instructions"]
    paragraphs = [c.value for c in sheet["A"] if isinstance(c.value, str) and len(c.value) > 60]
    assert len(paragraphs) >= 4
    text = _flat(" ".join(printed))
    for paragraph in paragraphs:
        for sentence in re.split(r"(?<=\.) ", paragraph):
            assert _flat(sentence) in text, sentence
    described = [c.value for c in sheet["D"] if isinstance(c.value, str) and c.value != "What to write"]
    assert len(described) >= 40  # a line for (nearly) every column of the three data sheets
    missing = [d for d in described if _flat(d) not in text]
    assert not missing, missing
