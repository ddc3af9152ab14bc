"""Two imports started at the same moment both land, one after the other (real processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from twintui.core.check import check_store
from twintui.core.model import Arrangement
from twintui.core.store import Store
from twintui.core.workbook import QuarterlyReturn, export_return

from .conftest import QUARTER
from .helpers import edit, find_row

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]


def _race(store: Store, files: list[Path]) -> list[dict[str, object]]:
    """Every worker previews, then all apply at once."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [subprocess.Popen([sys.executable, str(HERE / "import_worker.py"), str(store.path), str(f)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env) for f in files]
    try:
        for worker in workers:
            assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        results = []
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))
        return results
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()


@pytest.mark.slow
def test_two_states_imported_at_once_both_land(register: Store, tmp_path: Path) -> None:
    states = sorted({d["reporting_state"] for d in register.docs(Arrangement)})[:2]
    files, keys = [], []
    for state in states:
        path = export_return(register, state, QUARTER, tmp_path / f"{state}.xlsx").path
        key = next(d["id"] for d in register.docs(Arrangement) if d["reporting_state"] == state)
        edit(path, [("Register", find_row(path, "Register", "id", key), "lessons_learned", f"from {state}")])
        files.append(path)
        keys.append(key)
    results = _race(register, files)
    assert all("error" not in r for r in results), results
    fresh = Store.open(register.path)
    for state, key in zip(states, keys, strict=True):
        assert fresh.require(Arrangement, key).lessons_learned == f"from {state}"
        assert fresh.require(QuarterlyReturn, f"{state}-{QUARTER}").received_at
    assert check_store(register.path).ok


@pytest.mark.slow
def test_two_returns_of_one_state_at_once_both_land(register: Store, state: str, tmp_path: Path) -> None:
    """Both mark the same tracker record received: the second is retried on the tracker, not refused."""
    ids = sorted(d["id"] for d in register.docs(Arrangement) if d["reporting_state"] == state)[:2]
    files = []
    for number, key in enumerate(ids):
        path = export_return(register, state, QUARTER, tmp_path / f"{number}.xlsx").path
        edit(path, [("Register", find_row(path, "Register", "id", key), "lessons_learned", f"edit {number}")])
        files.append(path)
    results = _race(register, files)
    assert all("error" not in r for r in results), results
    fresh = Store.open(register.path)
    assert [fresh.require(Arrangement, key).lessons_learned for key in ids] == ["edit 0", "edit 1"]
    assert fresh.require(QuarterlyReturn, f"{state}-{QUARTER}").received_file in ("0.xlsx", "1.xlsx")


@pytest.mark.slow
def test_the_same_return_imported_twice_at_once_adds_its_new_rows_once(register: Store, state: str,
                                                                        tmp_path: Path) -> None:
    """Both previews see the return not yet received; under the lock the second finds it received and writes nothing."""
    from .helpers import first_empty_row

    path = export_return(register, state, QUARTER, tmp_path / "return.xlsx").path
    row = first_empty_row(path, "Register")
    edit(path, [cell for n in range(3) for cell in (("Register", row + n, "title", f"New arrangement {n}"),
                                                    ("Register", row + n, "status", "planned"))])
    before = register.count(Arrangement)
    results = _race(register, [path, path])
    assert sorted(len(r.get("created", [])) for r in results) == [0, 3], results
    (loser,) = [r for r in results if "error" in r]
    assert "received meanwhile" in loser["error"]
    assert Store.open(register.path).count(Arrangement) == before + 3
    assert check_store(register.path).ok
