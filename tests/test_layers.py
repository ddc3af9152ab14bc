"""Imports run one way (STYLE.md's house plan): the import-linter contracts in pyproject.toml hold.

The contracts say which layer may import which; a second test plants one violation of each in a copy
of the package and sees every contract break, so a contract that checks nothing cannot pass here.
And no registration by import side effect: no module, when imported, fills in a table of another.
"""

from __future__ import annotations

import ast
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


# Module-level calls that fill in a table: ``TABLE.update(...)``, ``registry.register(...)``.
FILLING = {"add", "append", "extend", "insert", "register", "setdefault", "update"}


def filled_at_import(source: str) -> list[str]:
    """The module-level statements that change something a module imported (``VALIDATORS[X] = f``)."""
    tree = ast.parse(source)
    imported = {(alias.asname or alias.name).partition(".")[0] for node in tree.body
                if isinstance(node, ast.Import | ast.ImportFrom) for alias in node.names}

    def base(node: ast.expr) -> str | None:
        while isinstance(node, ast.Attribute | ast.Subscript):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    found = []
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) \
                and isinstance(node.value.func, ast.Attribute) and node.value.func.attr in FILLING:
            targets = [node.value.func]
        if any(isinstance(t, ast.Attribute | ast.Subscript) and base(t) in imported for t in targets):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_fills_in_another_modules_table_when_imported() -> None:
    found = {str(path.relative_to(ROOT)): lines for path in sorted((ROOT / "twintui").rglob("*.py"))
             if (lines := filled_at_import(path.read_text(encoding="utf-8")))}
    assert found == {}


def test_a_registration_by_side_effect_is_found() -> None:
    planted = ("from ..model.validate import VALIDATORS\nfrom . import tables\nimport twintui.core.store\n"
               "VALIDATORS[Memorandum] = validate_memorandum  # type: ignore[index]\n"
               "tables.TABLES.update(memoranda=Memorandum)\ntwintui.core.store.DEFAULT += 1\n"
               "LOCAL = {}\nLOCAL['mine'] = 1\n")
    assert filled_at_import(planted) == [
        "4: VALIDATORS[Memorandum] = validate_memorandum", "5: tables.TABLES.update(memoranda=Memorandum)",
        "6: twintui.core.store.DEFAULT += 1"]
