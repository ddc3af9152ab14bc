"""A corpus of files that are not returns: each refused in one clear line, exit code 2, the store untouched."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from twintui.cli import main
from twintui.core.store import Store, backups
from twintui.core.workbook import ReturnFileError, export_return, read_return

from .conftest import QUARTER


def _good(store: Store, state: str, folder: Path) -> bytes:
    return export_return(store, state, QUARTER, folder / "good.xlsx").path.read_bytes()


def _rezip(data: bytes, change: Callable[[str, bytes], tuple[str, bytes] | None],
           extra: dict[str, bytes] | None = None) -> bytes:
    """A copy of a workbook's zip with parts changed, dropped (None) or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            changed = change(name, source.read(name))
            if changed is not None:
                target.writestr(*changed)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def _bomb(data: bytes) -> bytes:
    """A worksheet part that inflates about a thousand times (120 MB of XML from about 120 KB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name != "xl/worksheets/sheet2.xml":
                target.writestr(name, source.read(name))
        with target.open("xl/worksheets/sheet2.xml", "w") as handle:
            handle.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            block = b"<row/>" * 100_000
            for _ in range(200):
                handle.write(block)
            handle.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _lying_sizes(data: bytes) -> bytes:
    """A zip whose directory declares a sheet far smaller than it unpacks to."""
    bomb = _bomb(data)
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        info = archive.getinfo("xl/worksheets/sheet2.xml")
    patched = bytearray(bomb)
    declared = info.file_size.to_bytes(4, "little")
    small = (info.compress_size * 2).to_bytes(4, "little")
    # Both the local header and the central directory carry the size; patch every copy.
    start = 0
    while (found := patched.find(declared, start)) != -1:
        patched[found:found + 4] = small
        start = found + 4
    return bytes(patched)


def _sheet_xml(extra_cells: bytes) -> Callable[[str, bytes], tuple[str, bytes]]:
    def change(name: str, content: bytes) -> tuple[str, bytes]:
        if name == "xl/worksheets/sheet2.xml":
            content = content.replace(b"</sheetData>", extra_cells + b"</sheetData>")
        return name, content
    return change


def _openpyxl(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    change(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _meta_says(key: str, value: str) -> Callable[[Workbook], None]:
    def change(workbook: Workbook) -> None:
        sheet = workbook["_meta"]
        for row in sheet.iter_rows(max_col=2):
            if row[0].value == key:
                row[1].value = value
    return change


def _openpyxl_shared(good: bytes) -> bytes:
    """A sheet whose cell points past the end of the shared strings table."""
    resaved = _openpyxl(good, lambda workbook: None)  # openpyxl writes shared strings
    return _rezip(resaved, _sheet_xml(b'<row r="90"><c r="A90" t="s"><v>99999</v></c></row>'))


def _not_a_return() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Record ID", "Title"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


CASES: dict[str, tuple[str, Callable[[bytes], bytes], str]] = {
    # name: (file name, make from a good export, words the one line must have)
    "text": ("return.xlsx", lambda good: b"Record ID,Title\nTW-NOR-0001,x\n", "not a zip file"),
    "empty": ("return.xlsx", lambda good: b"", "is empty"),
    "truncated": ("return.xlsx", lambda good: good[: len(good) // 2], "truncated or damaged"),
    "xlsm": ("return.xlsm", lambda good: good, "macro-enabled"),
    "xls": ("return.xls", lambda good: good, "Excel 97-2003"),
    "csv": ("return.csv", lambda good: b"a,b\n1,2\n", "CSV"),
    "ods": ("return.ods", lambda good: good, "OpenDocument"),
    "no suffix": ("return", lambda good: good, "not an .xlsx workbook"),
    "old xls or password": ("return.xlsx", lambda good: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
                            "password-protected"),
    "zip not xlsx": ("return.xlsx", lambda good: _rezip(b"PK\x05\x06" + b"\0" * 18, lambda n, c: None,
                                                        {"readme.txt": b"hello"}), "no xl/workbook.xml"),
    "macros inside": ("return.xlsx", lambda good: _rezip(good, lambda n, c: (n, c),
                                                         {"xl/vbaProject.bin": b"\0" * 64}), "macros"),
    "zip bomb": ("return.xlsx", _bomb, "zip bomb"),
    "lying zip directory": ("return.xlsx", _lying_sizes, "cannot be unpacked"),
    "far cell": ("return.xlsx", lambda good: _rezip(good, _sheet_xml(b'<row r="1048576"><c r="XFD1048576">'
                                                                     b'<v>1</v></c></row>')), "beyond row"),
    "wide row": ("return.xlsx", lambda good: _rezip(good, _sheet_xml(b'<row r="90"><c r="BA90"><v>1</v></c></row>')),
                 "column AZ"),
    "entities": ("return.xlsx", lambda good: _rezip(good, lambda n, c: (n, c.replace(
        b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet', 1) if n == "xl/worksheets/sheet2.xml" else c)),
        "DTD"),
    "not a return": ("return.xlsx", lambda good: _not_a_return(), "not a twintui return"),
    "missing sheet": ("return.xlsx", lambda good: _openpyxl(good, lambda wb: wb.remove(wb["Risks"])),
                      "missing the sheet Risks"),
    "meta of another app": ("return.xlsx", lambda good: _openpyxl(good, _meta_says("app", "other")),
                            "not a twintui return"),
    "newer template": ("return.xlsx", lambda good: _openpyxl(good, _meta_says("template_version", "99")),
                       "newer twintui"),
    "too large": ("return.xlsx", lambda good: good + b"\0" * (51 * 2**20), "at most 50 MB"),
    "cut sheet xml": ("return.xlsx", lambda good: _rezip(good, lambda n, c: (n, c[: len(c) // 2] if n ==
                      "xl/worksheets/sheet3.xml" else c)), "malformed"),
    "sheet part missing": ("return.xlsx", lambda good: _rezip(good, lambda n, c: None if n ==
                           "xl/worksheets/sheet4.xml" else (n, c)), "content is missing"),
    "no relationships": ("return.xlsx", lambda good: _rezip(good, lambda n, c: None if n ==
                         "xl/_rels/workbook.xml.rels" else (n, c)), "cannot be read"),
    "bad string index": ("return.xlsx", lambda good: _openpyxl_shared(good), "cannot be read"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_file_is_refused_and_the_store_untouched(register: Store, state: str, tmp_path: Path,
                                                       case: str, capsys: pytest.CaptureFixture[str]) -> None:
    name, make, words = CASES[case]
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_bytes(make(_good(register, state, tmp_path)))
    store_bytes, audit_bytes = register.path.read_bytes(), register.audit.path.read_bytes()
    capsys.readouterr()
    with pytest.raises(ReturnFileError) as refused:
        read_return(path)
    assert words in str(refused.value) and str(path) in str(refused.value)
    assert main(["import", str(path), "--yes", "--db", str(register.path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and words in err and "Traceback" not in err
    assert register.path.read_bytes() == store_bytes and register.audit.path.read_bytes() == audit_bytes
    assert backups.list_all(register.path) == []


def test_a_folder_and_a_missing_file(register: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(tmp_path), "--db", str(register.path)]) == 2
    assert main(["import", str(tmp_path / "none.xlsx"), "--db", str(register.path)]) == 2
    err = capsys.readouterr().err
    assert "not an .xlsx workbook" in err and "no such file" in err


def test_one_bad_file_among_good_ones_imports_nothing(register: Store, state: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    good = export_return(register, state, QUARTER, tmp_path / "good.xlsx").path
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(good.read_bytes()[:1000])
    before = register.path.read_bytes()
    result = subprocess.run([sys.executable, "-m", "twintui", "import", str(good), str(bad), "--yes",
                             "--db", str(register.path)], capture_output=True, text=True, timeout=120, check=False,
                            env={**os.environ})
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == f"twintui: {bad}: is truncated or damaged (its zip directory cannot be read); " \
                                    "ask for the file again; nothing was imported"
    assert register.path.read_bytes() == before


@pytest.mark.parametrize("change,words", [
    (_sheet_xml(b'<row r="90"><c r="BA90"><v>1</v></c></row>'), "column AZ in the Register sheet"),
    (lambda n, c: (n, c.replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet', 1)
                   if n == "xl/worksheets/sheet3.xml" else c), "the Partners sheet declares a DTD"),
])
def test_a_refusal_names_the_sheet_not_the_part(register: Store, state: str, tmp_path: Path, change, words) -> None:
    path = tmp_path / "return.xlsx"
    path.write_bytes(_rezip(_good(register, state, tmp_path), change))
    with pytest.raises(ReturnFileError) as refused:
        read_return(path)
    assert words in str(refused.value) and "xl/worksheets" not in str(refused.value)
