"""Imports run one way (STYLE.md's house plan): the import-linter contracts in pyproject.toml hold.

The contracts say which layer may import which; a second test plants one violation of each in a copy
of the package and sees every contract break, so a contract that checks nothing cannot pass here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")

# One import that each contract forbids, planted at the top of a module.
PLANTED = {
    "twintui/core/text.py": ("import textual", "twintui.core never imports textual or rich"),
    "twintui/core/model/ids.py": ("from ..store import Store", "core features > core.store > core.model"),
    "twintui/core/store/audit.py": ("from ..check import check_store", "core features > core.store > core.model"),
    "twintui/core/register.py": ("from ..tui.app import TwintuiApp",
                                 "the screens > the command line > the store service > the core"),
    "twintui/cli/compare.py": ("from ..tui.common import fields",
                               "the screens > the command line > the store service > the core"),
    "twintui/core/listing.py": ("from ..service import protocol",
                                "the screens > the command line > the store service > the core"),
    "twintui/service/protocol.py": ("from ..cli import common",
                                    "the screens > the command line > the store service > the core"),
    "twintui/service/remote.py": ("from .server import Service",
                                  "the store service's client imports none of its server"),
    "twintui/core/mou/model.py": ("from ..store import Store",
                                  "the feature record modules the store names import no store"),
}


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}  # the copy's twintui before the installed one
    return subprocess.run([str(LINT), "--no-cache", "--config", str(root / "pyproject.toml")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=60)


def test_the_contracts_are_kept() -> None:
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 5 kept, 0 broken." in result.stdout


def test_a_planted_import_breaks_its_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "twintui", tmp_path / "twintui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    for path, (line, _) in PLANTED.items():
        module = tmp_path / path
        module.write_text(module.read_text().replace("from __future__ import annotations\n",
                                                     f"from __future__ import annotations\n\n{line}\n", 1))
    result = lint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contracts: 0 kept, 5 broken." in result.stdout
    report = result.stdout.partition("Broken contracts")[2]
    for path, (line, contract) in PLANTED.items():
        assert contract in report
        module = path.removesuffix(".py").replace("/", ".")
        assert module in report, f"{module} ({line}) is not named:\n{report}"
