"""Helpers for the workbook tests: edit a returned file the way people and programs do."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest

from twintui.core.workbook.layout import LAYOUTS


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed here; CI installs libreoffice-calc-nogui (see .ci/run)")
    return found


def libreoffice_resave(source: Path, folder: Path) -> Path:
    """Open and re-save a workbook in headless LibreOffice Calc, as a focal point's office suite would.

    Each call gets its own LibreOffice profile, so tests running in parallel do not collide.
    """
    out = folder / f"resaved-{uuid.uuid4().hex[:8]}"
    out.mkdir(parents=True)
    profile = folder / f"lo-profile-{uuid.uuid4().hex[:8]}"
    result = subprocess.run(
        [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=180, check=False, env={**os.environ, "HOME": str(folder)},
    )
    target = out / source.name
    assert result.returncode == 0 and target.exists(), result.stdout + result.stderr
    return target


def column_of(sheet: str, key: str) -> int:
    """1-based column of a layout column in a file as twintui wrote it."""
    return [c.key for c in LAYOUTS[sheet].columns].index(key) + 1


def edit(path: Path, changes: list[tuple[str, int, str, Any]], target: Path | None = None) -> Path:
    """Set cells (sheet, row, column key, value) with openpyxl, as another program editing the file would."""
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    for sheet, row, key, value in changes:
        workbook[sheet].cell(row=row, column=column_of(sheet, key), value=value)
    target = target or path
    workbook.save(target)
    return target


def find_row(path: Path, sheet: str, key: str, value: Any) -> int:
    """The spreadsheet row whose ``key`` column holds ``value``."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    column = column_of(sheet, key)
    for number, row in enumerate(workbook[sheet].iter_rows(values_only=True), start=1):
        if row[column - 1] == value:
            return number
    raise LookupError(f"{value!r} not in {sheet}")


def first_empty_row(path: Path, sheet: str) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    rows = list(workbook[sheet].iter_rows(values_only=True))
    return max((n for n, row in enumerate(rows, start=1) if any(v not in (None, "") for v in row)), default=2) + 1


def libreoffice_convert(sources: list[Path], folder: Path, to: str = "xlsx") -> list[Path]:
    """Convert several files in one headless LibreOffice run (each run costs seconds): xlsx, ods or pdf.

    The files keep their names with the new suffix, in a new folder under ``folder``.
    """
    out = folder / f"converted-{uuid.uuid4().hex[:8]}"
    out.mkdir(parents=True)
    profile = folder / f"lo-profile-{uuid.uuid4().hex[:8]}"
    result = subprocess.run(
        [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", to, "--outdir", str(out), *map(str, sources)],
        capture_output=True, text=True, timeout=300, check=False, env={**os.environ, "HOME": str(folder)},
    )
    targets = [out / f"{source.stem}.{to}" for source in sources]
    assert result.returncode == 0 and all(t.exists() for t in targets), result.stdout + result.stderr
    return targets


def pandas_rewrite(source: Path, target: Path, engine: str,
                   changes: list[tuple[str, int, str, Any]] = ()) -> Path:  # type: ignore[assignment]
    """Every sheet read with pandas and written back with ``engine`` (openpyxl or xlsxwriter), as a script would,
    with cells (sheet, row, column key, value) set on the way; a value starting with '=' is written as a formula."""
    import pandas as pd

    sheets = pd.read_excel(source, sheet_name=None, header=None, dtype=object, engine="openpyxl")
    for sheet, row, key, value in changes:
        frame = sheets[sheet]
        while len(frame) < row:
            frame.loc[len(frame)] = [None] * len(frame.columns)
        frame.iat[row - 1, column_of(sheet, key) - 1] = value
    with pd.ExcelWriter(target, engine=engine) as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    return target


def meta_row(path: Path, key: str) -> int:
    """The row of a key in the _meta sheet's key/value columns."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    for number, row in enumerate(workbook["_meta"].iter_rows(max_col=1, values_only=True), start=1):
        if row[0] == key:
            return number
    raise LookupError(key)


def set_meta(path: Path, key: str, value: Any) -> Path:
    """Change one _meta value with openpyxl, as someone editing the hidden sheet would."""
    from openpyxl import load_workbook

    number = meta_row(path, key)
    workbook = load_workbook(path)
    workbook["_meta"].cell(row=number, column=2, value=value)
    workbook.save(path)
    return path


def plant(path: Path, placeholder: str, text: str) -> Path:
    """Replace ``placeholder`` (set in a cell with openpyxl) by ``text`` in the file's XML.

    Control characters are written as OOXML's ``_x001B_`` escapes, which Excel and
    python-calamine read back as the characters: openpyxl refuses to write them, a
    hostile file does not ask it.
    """
    import io
    import zipfile

    escaped = "".join(f"_x{ord(c):04X}_" if ord(c) < 0x20 else c for c in text)
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;")
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name.startswith("xl/"):
                data = data.replace(placeholder.encode(), escaped.encode())
            target.writestr(name, data)
    path.write_bytes(out.getvalue())
    return path
