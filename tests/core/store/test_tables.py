"""The store's one list of tables (core/store/tables.py): a program knows every table, whatever it imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from twintui.core.model import Arrangement
from twintui.core.mou import versions
from twintui.core.store import Store
from twintui.core.store.tables import TABLES


def test_every_table_is_listed_once_under_its_own_name() -> None:
    assert list(TABLES) == ["arrangements", "partners", "risks", "comparisons", "memoranda", "returns", "exports",
                            "objective_progress", "activity_progress", "spending"]
    assert all(cls.TABLE == name for name, cls in TABLES.items())


def test_a_program_that_imports_only_the_store_knows_every_table(tmp_path: Path) -> None:
    path = tmp_path / "register.json"
    store = Store.open(path)
    arrangement = store.save(Arrangement(reporting_state="NOR", title="Exchange of selection officers"), "test")
    versions.start(store, arrangement.id)
    # A script of its own: no feature module imported, only the store and the register's records.
    code = ("from twintui.core.model import Arrangement\n"
            "from twintui.core.store import Store\n"
            f"store = Store.open({str(path)!r})\n"
            f"store.delete(store.require(Arrangement, {arrangement.id!r}), 'script')\n"
            f"print(sorted(Store.open({str(tmp_path / 'new.json')!r}).storage.read()))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    # The memorandum went with its arrangement (a delete cascades to every child table) ...
    assert versions.versions_of(Store.open(path), arrangement.id) == []
    assert {entry.table for entry in store.history() if entry.action == "delete"} == {"arrangements", "memoranda"}
    # ... and a new store file has every table from the start.
    assert result.stdout.strip() == str(sorted(TABLES))
