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
