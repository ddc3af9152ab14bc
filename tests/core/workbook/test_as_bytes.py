"""The workbook's steps apart, as the store service runs them: gathered, built into bytes, recorded; read from bytes.

The service never opens a path a client names: it is sent a return's bytes and sends back a
workbook's. These are the same steps the file functions take, so the same checks and the same bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from twintui.core.model.returns import QuarterlyReturn, ReturnExport
from twintui.core.store import Store
from twintui.core.workbook import ReturnFileError, preview, read_return, write_template
from twintui.core.workbook.archive import MAX_FILE_BYTES
from twintui.core.workbook.export import record_export, register_content, return_content, template_bytes
from twintui.core.workbook.read import return_of
from twintui.core.workbook.writing import workbook_bytes

from .conftest import QUARTER


def test_the_template_as_bytes_is_the_template_file(tmp_path: Path) -> None:
    assert template_bytes() == write_template(tmp_path / "t.xlsx").read_bytes()


def test_a_return_built_as_bytes_and_recorded_reads_back_as_the_file_does(register: Store, state: str,
                                                                          tmp_path: Path) -> None:
    content = return_content(register, state, QUARTER)
    assert (content.kind, content.state, content.quarter, content.exported_by) == ("state", state, QUARTER,
                                                                                 "maintainer")
    data = workbook_bytes(content)
    assert content.records_digest  # set by building it, before it is recorded
    record_export(register, content, "nor.xlsx")
    tracked = register.require(QuarterlyReturn, f"{state}-{QUARTER}")
    assert (tracked.export_id, tracked.exported_file, tracked.exported_by) == (content.export_id, "nor.xlsx",
                                                                               "maintainer")
    assert register.require(ReturnExport, content.export_id).records_digest == content.records_digest

    named = tmp_path / "returned" / "nor.xlsx"  # never opened: it only names the bytes
    from_bytes = return_of(named, data)
    (tmp_path / "nor.xlsx").write_bytes(data)
    from_file = read_return(tmp_path / "nor.xlsx")
    assert from_bytes.path == named and not named.exists()
    assert from_bytes.sha256 == from_file.sha256 == hashlib.sha256(data).hexdigest()
    assert from_bytes.meta == from_file.meta
    assert preview(register, [from_bytes]).files[0].to_json()["unchanged"] == \
        preview(register, [from_file]).files[0].to_json()["unchanged"]


def test_the_registers_export_is_recorded_without_a_tracker_row(register: Store) -> None:
    content = register_content(register)
    workbook_bytes(content)
    record_export(register, content, "all.xlsx")
    assert register.require(ReturnExport, content.export_id).kind == "register"
    assert not [r for r in register.all(QuarterlyReturn) if r.export_id == content.export_id]


@pytest.mark.parametrize(("name", "data", "said"), [
    ("nor.xls", b"PK", "is an old Excel 97-2003 workbook (.xls)"),
    ("nor.txt", b"PK", "is not an .xlsx workbook; a return is the .xlsx file twintui exported"),
    ("nor.xlsx", b"", "is empty"),
    ("nor.xlsx", b"just text", "is not an .xlsx workbook (it is not a zip file)"),
    ("nor.xlsx", b"PK\x03\x04 cut short", "is truncated or damaged"),
    ("nor.xlsx", MAX_FILE_BYTES + 1, "is 50 MB; a return is at most 50 MB"),  # made in the test: 50 MB
], ids=["xls", "txt", "empty", "text", "cut short", "too large"])
def test_bytes_are_checked_as_a_file_is(name: str, data: bytes | int, said: str) -> None:
    with pytest.raises(ReturnFileError) as refused:
        return_of(Path(name), b"PK" + b"\0" * (data - 2) if isinstance(data, int) else data)
    assert str(refused.value).startswith(f"{name}: ") and said in str(refused.value)
