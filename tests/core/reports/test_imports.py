"""Importing the report modules (core and command) loads no heavy library: pandas and the rest wait for a report."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_report_modules_loads_no_heavy_library() -> None:
    code = ("import sys, twintui.core.reports, twintui.core.experts, twintui.cli.reports\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'textual', 'rich', 'pandas', 'openpyxl', 'jinja2', 'numpy'})))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
