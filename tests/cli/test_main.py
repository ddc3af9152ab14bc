"""The command line as a user runs it: real processes, exit codes, messages, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from twintui.cli import main
from twintui.core.check import check_store
from twintui.core.model import Arrangement, Partner, Risk
from twintui.core.store import Store, backups


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "twintui", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_demo_then_check_pass(store_path: Path) -> None:
    made = run("demo", "--db", str(store_path))
    assert made.returncode == 0, made.stderr
    assert "6 arrangements" in made.stdout
    checked = run("check", "--db", str(store_path))
    assert checked.returncode == 0, checked.stdout
    assert "OK" in checked.stdout
    store = Store.open(store_path)
    states = {a.reporting_state for a in store.all(Arrangement)}
    assert {"NOR", "CAN", "CZE", "FIN", "BEL"} <= states
    norway = store.find(Arrangement, lambda doc: doc["reporting_state"] == "NOR")[0]
    assert {p.country for p in store.children(Partner, norway.id)} >= {"ARG", "BRA", "CHL", "PRY", "URY"}
    assert store.children(Risk, norway.id)
    assert all(a.best_practices and a.lessons_learned for a in store.all(Arrangement))


def test_demo_size_adds_synthetic_arrangements_the_same_every_time(tmp_path: Path) -> None:
    for name in ("a.json", "b.json"):
        assert main(["demo", "--size", "40", "--db", str(tmp_path / name)]) == 0
    a, b = (Store.open(tmp_path / n).all(Arrangement) for n in ("a.json", "b.json"))
    assert len(a) == 46
    assert [x.content() for x in a] == [y.content() for y in b]
    assert check_store(tmp_path / "a.json").ok


def test_demo_never_overwrites_without_force(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--db", str(store_path)]) == 0
    before = store_path.read_bytes()
    assert main(["demo", "--size", "3", "--db", str(store_path)]) == 2
    assert "--force" in capsys.readouterr().err
    assert store_path.read_bytes() == before
    assert main(["demo", "--size", "3", "--force", "--db", str(store_path)]) == 0
    # Ids are never given twice: the forced demo is numbered on, and says so (the README's TW-NOR-0001 is gone).
    out = capsys.readouterr().out
    new = Store.open(store_path).all(Arrangement)
    assert "TW-NOR-0001" not in {a.id for a in new} and "the demo's are new" in out and "use a new store" in out
    assert Store.open(store_path).count(Arrangement) == 9
    assert [b.reason for b in backups.list_all(store_path)] == ["demo-force"]
    assert check_store(store_path).ok


def test_db_option_before_or_after_the_command(tmp_path: Path) -> None:
    assert main(["--db", str(tmp_path / "x.json"), "demo"]) == 0
    assert (tmp_path / "x.json").exists()


def test_store_location_env_then_default(tmp_path: Path, isolated_home: Path) -> None:
    env_store = Path(os.environ["TWINTUI_DB"])
    assert run("demo").returncode == 0
    assert env_store.exists()
    without = {k: v for k, v in os.environ.items() if k != "TWINTUI_DB"}
    result = subprocess.run([sys.executable, "-m", "twintui", "demo"], capture_output=True, text=True,
                            env=without, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (isolated_home / ".local/share/twintui/twintui.json").exists()


@pytest.mark.parametrize("content,needle", [
    (b'{"arrangements": ', "not valid JSON"),
    (b'{"_default": {}}', "not a twintui store"),
    (b"[1, 2, 3]", "not a twintui store"),
    (b'{"_twintui": {"app": "twintui", "schema": 99, "txn": 1}}', "newer twintui"),
])
def test_bad_store_files_give_one_clear_line(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    # A store that cannot be read is exit 2; `check` reads it to report on it, so it finds a problem: exit 1.
    for args, code in ((["demo", "--db", str(path)], 2), (["--db", str(path)], 2), (["check", "--db", str(path)], 1)):
        result = run(*args)
        assert result.returncode == code, (args, result.returncode)
        out = result.stdout + result.stderr
        assert needle in out and str(path) in out
        assert "Traceback" not in out
    assert path.read_bytes() == content


def test_a_folder_as_store(tmp_path: Path) -> None:
    result = run("demo", "--db", str(tmp_path))
    assert result.returncode == 2 and "is a folder" in result.stderr and "Traceback" not in result.stderr


def test_bad_usage_exits_2() -> None:
    result = run("demo", "--size", "lots")
    assert result.returncode == 2
    assert "--size" in result.stderr and "Traceback" not in result.stderr


def test_check_finds_a_broken_reference(store_path: Path) -> None:
    assert main(["demo", "--db", str(store_path)]) == 0
    data = json.loads(store_path.read_text())
    first = next(iter(data["partners"]))
    data["partners"][first]["arrangement"] = "TW-XXX-9999"
    store_path.write_text(json.dumps(data))
    result = run("check", "--db", str(store_path))
    assert result.returncode == 1
    assert "TW-XXX-9999" in result.stdout


def test_check_of_a_missing_store(tmp_path: Path) -> None:
    result = run("check", "--db", str(tmp_path / "none.json"))
    assert result.returncode == 1 and "no store" in result.stdout
    assert not (tmp_path / "none.json").exists()
