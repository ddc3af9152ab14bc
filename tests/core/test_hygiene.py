"""The core and the command line are usable without a terminal, and start fast: importing any of
them loads no UI library (textual, rich) and none of the heavy ones a command loads only when it
runs (pandas for reports, openpyxl and calamine for workbooks, jinja2 and docx for documents)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import twintui.core

HEAVY = {"textual", "rich", "pandas", "numpy", "openpyxl", "python_calamine", "defusedxml", "xlsxwriter",
         "jinja2", "docx", "docxtpl"}

MODULES = [
    "twintui.core.model",
    "twintui.core.store",
    "twintui.core.check",
    "twintui.core.demo",
    "twintui.core.listing",
    "twintui.core.register",
    "twintui.core.risks",
    "twintui.core.arrangement",
    # The comparison: every module a screen or a command imports (openpyxl waits for an export).
    "twintui.core.compare.records, twintui.core.compare.export, twintui.core.compare.merge, "
    "twintui.core.compare.json_shape, twintui.core.compare.candidates",
    "twintui.core.workbook",
    "twintui.core.mou, twintui.core.mou.render",
    "twintui.core.reports, twintui.core.experts",
    "twintui.cli",  # every command group: the parser is built at each start
]


@pytest.mark.parametrize("modules", MODULES)
def test_importing_loads_no_ui_or_heavy_library(modules: str) -> None:
    code = (f"import sys, {modules}\n"
            f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(HEAVY)!r})))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{modules} loaded {result.stdout.strip()}"


def test_no_core_module_mentions_textual() -> None:
    root = Path(twintui.core.__file__).parent
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if "import textual" in p.read_text() or "from textual" in p.read_text()]
    assert offenders == []


# What a command that only reads has no use for: the inter-process lock (a read takes none), temporary
# files (a read writes none), child processes, the store service's client.
NOT_FOR_A_READ = {"filelock", "tempfile", "subprocess", "httpx", "aiohttp", "logging"}


def test_a_command_that_only_reads_loads_no_library_of_writing(tmp_path: Path) -> None:
    from twintui.core import demo
    from twintui.core.store import Store

    db = tmp_path / "register.json"
    demo.fill(Store.open(db))
    # Said at exit (the program ends with os._exit once its exit handlers have run: cli.common.exit_now).
    code = ("import atexit, runpy, sys\n"
            "def said():\n"
            f"    loaded = sorted(m for m in sys.modules if m.split('.')[0] in {sorted(NOT_FOR_A_READ | HEAVY)!r})\n"
            "    print('loaded:', ','.join(loaded), file=sys.stderr)\n"
            "atexit.register(said)\n"
            f"sys.argv = ['twintui', 'progress', '--json', '--db', {str(db)!r}]\n"
            "runpy.run_module('twintui', run_name='__main__')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.stdout.lstrip().startswith("["), result.stderr  # the verdicts, as JSON
    assert result.stderr.strip().splitlines()[-1] == "loaded:", result.stderr


# What a read of the store has no use for at start-up: the MoU's calls (read from TOML files), its
# checks and versions (loaded when an MoU command or screen asks), strptime (an ISO date needs none),
# the commit, restore and backups of a change.
NOT_AT_START = {"tomllib", "_strptime", "twintui.core.mou.calls", "twintui.core.mou.checks", "twintui.core.mou.smart",
                "twintui.core.mou.versions", "twintui.core.mou.checklist", "twintui.core.store.commit",
                "twintui.core.store.restore", "twintui.core.store.backups", "shutil"}


def test_reading_the_store_and_an_iso_date_loads_no_toml_strptime_or_mou_checks() -> None:
    code = ("import sys\n"
            "from twintui.core.store import Store\n"
            "from twintui.core.progress import assess\n"
            "from twintui.core.model import coerce\n"
            "from twintui.core.mou import Memorandum, Objective\n"
            "import twintui.cli.main\n"
            "assert coerce.date('2026-11-01').isoformat() == '2026-11-01'\n"
            f"print(','.join(sorted(m for m in sys.modules if m in {sorted(NOT_AT_START)!r})))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_the_mou_package_still_offers_every_name_it_lists() -> None:
    import twintui.core.mou as mou

    for name in mou.__all__:
        assert getattr(mou, name) is not None, name
    from twintui.core.mou import check, review  # as the screens and commands import them

    assert callable(check) and callable(review)
