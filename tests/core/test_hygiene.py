"""The core is usable without a terminal: importing it loads no textual, rich, pandas or openpyxl."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = [
    "twintui.core.model",
    "twintui.core.store",
    "twintui.core.check",
    "twintui.core.demo",
    # The comparison: every module that a screen or a command imports (openpyxl waits for an export).
    "twintui.core.compare.records, twintui.core.compare.export, twintui.core.compare.merge, "
    "twintui.core.compare.json_shape, twintui.core.compare.candidates",
    "twintui.cli",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_imports_no_ui_or_heavy_libraries(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'textual', 'rich', 'pandas', 'openpyxl', 'python_calamine', 'jinja2'})\n"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{module} loaded {result.stdout.strip()}"


def test_no_core_module_mentions_textual() -> None:
    from pathlib import Path

    import twintui.core

    root = Path(twintui.core.__file__).parent
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if "import textual" in p.read_text() or "from textual" in p.read_text()]
    assert offenders == []
