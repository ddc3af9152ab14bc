"""The _meta sheet is checked against the export the register recorded: an edited one is refused.

_meta is a hidden sheet anyone can unhide and edit. What it says (the state, the quarter,
the kind of file, the records as exported) decides which quarter is marked received and
what counts as a conflict, so it is compared with what the register recorded when it
issued that export id.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from twintui.cli import main
from twintui.core.model import Arrangement
from twintui.core.store import Store
from twintui.core.workbook import QuarterlyReturn, export_return, preview, read_returns

from .conftest import QUARTER
from .helpers import edit, find_row, set_meta


@pytest.fixture
def returned(register: Store, state: str, tmp_path: Path) -> Path:
    path = export_return(register, state, QUARTER, tmp_path / "return.xlsx").path
    key = f"TW-{state}-0001"
    edit(path, [("Register", find_row(path, "Register", "id", key), "lessons_learned", "From the file")])
    return path


def other_state(register: Store, state: str) -> str:
    return next(d["reporting_state"] for d in register.docs(Arrangement) if d["reporting_state"] != state)


@pytest.mark.parametrize("key,value,words", [
    ("state", "other", "names {other} as the state"),
    ("quarter", "2026-Q2", "names 2026-Q2 as the quarter"),
    ("kind", "register", "says it is a whole-register export"),
    ("export_id", "0123456789ab", "its document properties give the export id"),
])
def test_an_edited_meta_is_refused(register: Store, state: str, returned: Path, key: str, value: str, words: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    other = other_state(register, state)
    set_meta(returned, key, other if value == "other" else value)
    store_bytes = register.path.read_bytes()
    (file,) = preview(register, read_returns([returned])).files
    assert words.format(other=other) in file.refused, file.refused
    assert file.rows == [] and not file.ok
    assert main(["import", str(returned), "--yes", "--db", str(register.path)]) == 2
    assert words.format(other=other) in capsys.readouterr().out
    assert register.path.read_bytes() == store_bytes
    assert register.get(QuarterlyReturn, f"{other}-{QUARTER}") is None


def test_edited_revisions_in_meta_are_refused(register: Store, state: str, returned: Path) -> None:
    """Raising a record's exported revision to the register's would hide a conflict: the list no longer matches."""
    from openpyxl import load_workbook

    workbook = load_workbook(returned)
    sheet = workbook["_meta"]
    row = next(r for r in sheet.iter_rows(min_col=4, max_col=6) if r[1].value == f"TW-{state}-0001")
    row[2].value = 99
    workbook.save(returned)
    (file,) = preview(register, read_returns([returned])).files
    assert "list of exported records" in file.refused


def test_the_export_id_in_the_properties_must_match(register: Store, returned: Path) -> None:
    from openpyxl import load_workbook
    from openpyxl.packaging.custom import StringProperty

    from twintui.core.workbook.layout import PROPERTY_EXPORT_ID

    workbook = load_workbook(returned)
    props = workbook.custom_doc_props
    for prop in list(props.props):
        if prop.name == PROPERTY_EXPORT_ID:
            props.props.remove(prop)
    props.append(StringProperty(name=PROPERTY_EXPORT_ID, value="ffffffffffff"))
    workbook.save(returned)
    (file,) = preview(register, read_returns([returned])).files
    assert "ffffffffffff" in file.refused and "properties" in file.refused


def test_an_untouched_meta_is_trusted(register: Store, state: str, returned: Path) -> None:
    (file,) = preview(register, read_returns([returned])).files
    assert file.refused == "" and file.ok and [r.key for r in file.rows] == [f"TW-{state}-0001"]


def test_a_return_of_another_register_is_refused(register: Store, state: str, tmp_path: Path) -> None:
    import shutil

    other = tmp_path / "other.json"
    shutil.copy2(register.path, other)
    path = export_return(Store.open(other), state, QUARTER, tmp_path / "elsewhere.xlsx").path
    (file,) = preview(register, read_returns([path])).files
    assert "was not issued by this register" in file.refused and file.not_a_return
