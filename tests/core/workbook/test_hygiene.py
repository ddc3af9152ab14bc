"""Reading a returned workbook loads no openpyxl (what importing loads is in tests/core/test_hygiene.py)."""

from __future__ import annotations

import subprocess
import sys


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
