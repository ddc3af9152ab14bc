"""The workbook core and its commands load no UI and no spreadsheet library until a file is written or read."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["twintui.core.workbook", "twintui.cli.workbook"])
def test_importing_loads_no_heavy_library(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'textual', 'rich', 'pandas', 'openpyxl', 'python_calamine', 'defusedxml', 'xlsxwriter'})\n"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{module} loaded {result.stdout.strip()}"


def test_a_clean_dry_run_never_loads_openpyxl(tmp_path: object) -> None:
    """Reading and comparing use python-calamine only; openpyxl is for writing (and cell letters of errors)."""
    code = (
        "import sys, tempfile, pathlib\n"
        "from twintui.core.store import Store\n"
        "from twintui.core import demo\n"
        "from twintui.core.workbook import export_register, preview, read_returns\n"
        "folder = pathlib.Path(tempfile.mkdtemp())\n"
        "store = Store.open(folder / 's.json'); demo.fill(store)\n"
        "export_register(store, folder / 'a.xlsx')\n"
        "for name in [m for m in sys.modules if m.startswith('openpyxl')]: del sys.modules[name]\n"
        "result = preview(store, read_returns([folder / 'a.xlsx']))\n"
        "assert result.ok and not result.has_changes\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('openpyxl'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
