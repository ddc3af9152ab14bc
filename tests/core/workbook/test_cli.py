"""`twintui template | export | import` as a user runs them: exit codes 0/1/2, the JSON of SPEC §4, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from twintui.cli import main
from twintui.core.model import Arrangement
from twintui.core.store import Store

from .conftest import QUARTER
from .helpers import edit, find_row, first_empty_row


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "twintui", *args], capture_output=True, text=True, timeout=120,
                          check=False, env={**os.environ}, stdin=subprocess.DEVNULL)


@pytest.fixture
def exported(register: Store, state: str, tmp_path: Path) -> Path:
    path = tmp_path / "return.xlsx"
    assert main(["export", "--state", state, "--quarter", QUARTER, "-o", str(path), "--db", str(register.path)]) == 0
    return path


def test_export_commands(register: Store, state: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(register.path)]
    assert main(["export", "--state", state, "--quarter", QUARTER, "-o", str(tmp_path / "s.xlsx"), *db]) == 0
    out = capsys.readouterr().out
    assert f"{state}'s return for {QUARTER}" in out and "due back by 2026-10-30" in out
    assert main(["export", "--all", "-o", str(tmp_path / "all.xlsx"), *db]) == 0
    assert "the whole register" in capsys.readouterr().out


@pytest.mark.parametrize("args,words", [
    (["export", "--state", "FIN", "-o", "x.xlsx"], "needs --quarter"),
    (["export", "--all", "--quarter", "2026-Q3", "-o", "x.xlsx"], "goes with --state"),
    (["export", "--state", "Narnia", "--quarter", "2026-Q3", "-o", "x.xlsx"], "not a country"),
    (["export", "--state", "FIN", "--quarter", "2026-Q7", "-o", "x.xlsx"], "not a quarter"),
    (["export", "--state", "FIN", "--quarter", "2026-Q3", "-o", "x.txt"], "ending in .xlsx"),
    (["export", "--state", "FIN", "--quarter", "2026-Q3", "-o", "no/such/folder/x.xlsx"], "does not exist"),
    (["export", "-o", "x.xlsx"], "one of the arguments --state --all is required"),
    (["export", "--state", "FIN", "--all", "-o", "x.xlsx"], "not allowed with"),
    (["import", "x.xlsx", "--dry-run", "--yes"], "not allowed with"),
    (["import"], "required"),
    (["template"], "required"),
])
def test_bad_usage_exits_2(register: Store, tmp_path: Path, args: list[str], words: str,
                           capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = register.path.read_bytes()
    assert exit_code([*args, "--db", str(register.path)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert register.path.read_bytes() == before


def exit_code(args: list[str]) -> int | str | None:
    """main's return value, or the code argparse exits with."""
    try:
        return main(args)
    except SystemExit as stop:
        return stop.code


def test_export_of_a_missing_store_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--all", "-o", str(tmp_path / "a.xlsx"), "--db", str(tmp_path / "none.json")]) == 2
    assert "no twintui store" in capsys.readouterr().err and not (tmp_path / "none.json").exists()


def test_dry_run_json_shape_and_exit_0(register: Store, exported: Path) -> None:
    result = run("import", str(exported), "--dry-run", "--json", "--db", str(register.path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"applied", "files"} and data["applied"] is False
    (file,) = data["files"]
    # The published keys (SPEC §4) stay; later additions come beside them.
    assert set(file) == {"path", "sha256", "new", "changed", "unchanged", "conflicts", "errors",
                         "refused", "warnings", "changes", "second_submission"}
    assert (file["refused"], file["warnings"], file["changes"], file["second_submission"]) == (None, [], [], None)
    assert file["path"] == str(exported) and len(file["sha256"]) == 64
    assert (file["new"], file["changed"], file["conflicts"], file["errors"]) == (0, 0, 0, [])
    assert file["unchanged"] > 0


def test_errors_exit_1_with_cells_in_json(register: Store, state: str, exported: Path) -> None:
    row = find_row(exported, "Register", "id", f"TW-{state}-0001")
    edit(exported, [("Register", row, "status", "ongoing")])
    before = register.path.read_bytes()
    result = run("import", str(exported), "--yes", "--json", "--db", str(register.path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert data["applied"] is False
    (error,) = data["files"][0]["errors"]
    assert error == {"sheet": "Register", "cell": f"Register!E{row}", "column": "Status", "value": "ongoing",
                     "message": error["message"]} and "not one of" in error["message"]
    assert register.path.read_bytes() == before


def test_conflicts_exit_1(register: Store, state: str, exported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = f"TW-{state}-0001"
    register.save(register.require(Arrangement, key).replace(outcomes="theirs"), "tui")
    edit(exported, [("Register", find_row(exported, "Register", "id", key), "outcomes", "mine")])
    assert main(["import", str(exported), "--yes", "--db", str(register.path)]) == 1
    out = capsys.readouterr().out
    assert "conflict" in out and "register 'theirs' | file 'mine'" in out and "nothing was written" in out


def test_yes_applies_and_prints_the_preview(register: Store, state: str, exported: Path) -> None:
    key = f"TW-{state}-0001"
    row = find_row(exported, "Register", "id", key)
    new = first_empty_row(exported, "Register")
    edit(exported, [("Register", row, "outcomes", "Two procedures written"),
                    ("Register", new, "title", "A new one"), ("Register", new, "status", "planned"),
                    ("Register", 40, "contact_name", "  ")])
    result = run("import", str(exported), "--yes", "--db", str(register.path))
    assert result.returncode == 0, result.stderr
    assert f"changed   {key} (Register row {row})" in result.stdout
    assert "Expected outcomes:" in result.stdout and "→ Two procedures written" in result.stdout
    assert f"new       Register row {new}: A new one" in result.stdout
    assert "1 new, 1 changed" in result.stdout and "applied: 1 new and 1 changed" in result.stdout
    assert "(s)" not in result.stdout and "0 conflicts, 0 errors" in result.stdout  # words, not "error(s)"
    assert Store.open(register.path).require(Arrangement, key).outcomes == "Two procedures written"


def test_an_untouched_return_is_received_and_says_no_backup_was_taken(register: Store, state: str,
                                                                        exported: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(exported), "--yes", "--db", str(register.path)]) == 0
    assert capsys.readouterr().out.rstrip().endswith(
        f"applied: no record changed, so no backup was taken; marked received: {state}-{QUARTER}")
    assert main(["backups", "--db", str(register.path)]) == 0
    assert "-import.json" not in capsys.readouterr().out


def test_without_a_terminal_and_without_yes_it_only_previews(register: Store, state: str, exported: Path) -> None:
    edit(exported, [("Register", find_row(exported, "Register", "id", f"TW-{state}-0001"), "outcomes", "x")])
    before = register.path.read_bytes()
    result = run("import", str(exported), "--db", str(register.path))
    assert result.returncode == 0 and "run again with --yes" in result.stdout
    assert register.path.read_bytes() == before
    applied = run("import", str(exported), "--yes", "--json", "--db", str(register.path))
    assert json.loads(applied.stdout)["applied"] is True and applied.returncode == 0


def test_a_terminal_is_asked(register: Store, state: str, exported: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    edit(exported, [("Register", find_row(exported, "Register", "id", f"TW-{state}-0001"), "outcomes", "asked")])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter(["n", "y"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert main(["import", str(exported), "--db", str(register.path)]) == 0
    assert register.require(Arrangement, f"TW-{state}-0001").outcomes != "asked"
    assert main(["import", str(exported), "--db", str(register.path)]) == 0
    assert register.require(Arrangement, f"TW-{state}-0001").outcomes == "asked"


def test_json_is_one_object_also_when_a_file_is_refused(register: Store, exported: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(exported.read_bytes()[:1000])
    code = main(["import", str(exported), str(bad), "--yes", "--json", "--db", str(register.path)])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in err
    data = json.loads(out)
    assert data["applied"] is False
    good, refused = data["files"]
    assert good["refused"] is None and good["unchanged"] > 0
    assert refused["path"] == str(bad) and "truncated or damaged" in refused["refused"]
    assert {"path", "sha256", "new", "changed", "unchanged", "conflicts", "errors"} <= set(refused)
    assert (refused["new"], refused["changed"], refused["errors"]) == (0, 0, [])


def test_json_has_the_warnings_and_every_change(register: Store, state: str, exported: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    key = f"TW-{state}-0001"
    row = find_row(exported, "Register", "id", key)
    before = Store.open(register.path).require(Arrangement, key)
    new = first_empty_row(exported, "Register")
    edit(exported, [("Register", row, "outcomes", "Two procedures written"),
                    ("Register", new, "title", "A new one"), ("Register", new, "status", "planned"),
                    ("Register", new, "objectives", "Visit the partner")])
    capsys.readouterr()
    assert main(["import", str(exported), "--dry-run", "--json", "--db", str(register.path)]) == 0
    (file,) = json.loads(capsys.readouterr().out)["files"]
    assert {"record": key, "sheet": "Register", "row": row, "status": "changed", "field": "outcomes",
            "column": "Expected outcomes", "old": before.outcomes, "new": "Two procedures written"} in file["changes"]
    assert {"record": None, "sheet": "Register", "row": new, "status": "new", "field": "title",
            "column": "Title", "old": "", "new": "A new one"} in file["changes"]
    (warning,) = file["warnings"]
    assert set(warning) == {"sheet", "cell", "column", "value", "message"}
    assert warning["cell"].startswith("Register!") and "resettlement capacity" in warning["message"]


def test_json_is_one_object_when_the_store_cannot_be_opened(exported: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "notes.json"
    other.write_text('{"notes": []}')
    capsys.readouterr()
    assert main(["import", str(exported), "--json", "--db", str(other)]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["applied"] is False and "not a twintui store" in data["error"]
