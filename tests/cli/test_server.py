"""`twintui access`, `log`, `backups`, `restore` and refused imports on the command line (issue 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from twintui.cli import main
from twintui.core import demo
from twintui.core.store import Store, current_user, identity

ME = current_user()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "twintui.json"
    demo.fill(Store.open(path))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([*argv])
    out, err = capsys.readouterr()
    return code, out, err


def be(monkeypatch: pytest.MonkeyPatch, user: str) -> None:
    """The CLI takes its user from os.getuid(); the tests stand in for another login."""
    monkeypatch.setattr(identity, "current_user", lambda: user)


def test_access_commands_and_their_refusals(db: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(capsys, "access", "list", "--db", str(db))
    assert code == 0 and "single-user mode" in out
    code, _, err = run(capsys, "access", "grant", "nor-fp", "--state", "NOR", "--db", str(db))
    assert code == 1 and "first grant must make a maintainer" in err and "Traceback" not in err
    assert run(capsys, "access", "grant", ME, "--maintainer", "--db", str(db))[0] == 0
    assert run(capsys, "access", "grant", "nor-fp", "--state", "norway", "--db", str(db))[0] == 0
    code, out, _ = run(capsys, "access", "list", "--json", "--db", str(db))
    listed = json.loads(out)
    assert listed["mode"] == "shared" and {"user": "nor-fp", "role": "focal point", "states": ["NOR"]} in listed["users"]
    be(monkeypatch, "nor-fp")
    code, _, err = run(capsys, "access", "grant", "nor-fp", "--maintainer", "--db", str(db))
    assert code == 1 and err.startswith("twintui: nor-fp may not change access: only maintainers")
    assert run(capsys, "access", "revoke", "nor-fp", "--db", str(db))[0] == 1
    code, _, err = run(capsys, "access", "grant", "x", "--state", "Atlantis", "--db", str(db))
    assert code == 1 and "Atlantis" in err


def test_a_return_for_another_state_is_refused_and_the_store_stays_byte_identical(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import load_workbook

    run(capsys, "access", "grant", ME, "--maintainer", "--db", str(db))
    run(capsys, "access", "grant", "nor-fp", "--state", "NOR", "--db", str(db))
    run(capsys, "access", "grant", "reader", "--read-only", "--db", str(db))
    returned = tmp_path / "can.xlsx"
    assert run(capsys, "export", "--state", "CAN", "--quarter", "2026-Q2", "-o", str(returned), "--db", str(db))[0] == 0
    book = load_workbook(returned)
    book["Register"]["D3"] = "Changed in the return"
    book.save(returned)
    before = db.read_bytes()
    for user, message in (("nor-fp", "this is CAN's return and nor-fp does not answer for CAN"),
                          ("reader", "reader may not import returns")):
        be(monkeypatch, user)
        code, out, err = run(capsys, "import", str(returned), "--yes", "--db", str(db))
        assert code == 1 and message in out and "Traceback" not in out + err
        code, out, _ = run(capsys, "import", str(returned), "--yes", "--json", "--db", str(db))
        assert code == 1 and json.loads(out)["applied"] is False
        assert db.read_bytes() == before
    # The whole-register export: a focal point's rows of other states are refused cell by cell.
    everything = tmp_path / "all.xlsx"
    be(monkeypatch, ME)
    run(capsys, "export", "--all", "-o", str(everything), "--db", str(db))
    book = load_workbook(everything)
    sheet = book["Register"]
    for row in range(3, sheet.max_row + 1):
        sheet.cell(row, 4).value = f"{sheet.cell(row, 4).value} (edited)"
    book.save(everything)
    before = db.read_bytes()  # the register export's id is recorded, like a state's return
    be(monkeypatch, "nor-fp")
    code, out, _ = run(capsys, "import", str(everything), "--yes", "--db", str(db))
    assert code == 1 and "nor-fp does not answer for CAN" in out
    assert db.read_bytes() == before
    be(monkeypatch, ME)
    code, out, _ = run(capsys, "import", str(returned), "--yes", "--db", str(db))
    assert code == 0 and "applied: 0 new and 1 changed" in out, out


def test_log_backups_and_restore(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    s = Store.open(db)
    code, out, _ = run(capsys, "backups", "--db", str(db))
    assert code == 0
    from twintui.core.model import Arrangement
    from twintui.core.store import backups

    backup = backups.make(db, "before-test")
    original = s.require(Arrangement, "TW-NOR-0001")
    s.save(original.replace(title="A bad edit"), "test")
    code, out, _ = run(capsys, "log", "--record", "TW-NOR-0001", "--db", str(db))
    assert code == 0 and "A bad edit" in out and f"{ME}" in out
    code, out, _ = run(capsys, "log", "--user", ME, "--since", "2000-01-01", "--json", "--db", str(db))
    entries = json.loads(out)
    assert entries and {"at", "user", "source", "action", "record", "changes"} <= set(entries[-1])
    assert json.loads(run(capsys, "log", "--user", "nobody-at-all", "--json", "--db", str(db))[1]) == []
    with pytest.raises(SystemExit) as usage:
        main(["log", "--since", "yesterday", "--db", str(db)])
    assert usage.value.code == 2 and "not a date" in capsys.readouterr().err
    code, out, _ = run(capsys, "backups", "--db", str(db))
    assert backup.name in out
    before = db.read_bytes()
    code, out, _ = run(capsys, "restore", backup.name[:-8], "--db", str(db))  # no terminal: preview only
    assert code == 0 and "0 records to come back, 0 to go, 1 to change" in out and "TW-NOR-0001" in out
    assert db.read_bytes() == before
    be(monkeypatch, "someone")
    code, out, _ = run(capsys, "access", "list", "--db", str(db))
    assert code == 0 and "single-user mode" in out  # so another user may restore too
    code, out, _ = run(capsys, "restore", backup.name, "--yes", "--db", str(db))
    assert code == 0 and "before-restore" in out
    restored = Store.open(db).require(Arrangement, "TW-NOR-0001")
    assert restored.title == original.title and restored.content() == original.content()
    code, out, _ = run(capsys, "log", "--record", "TW-NOR-0001", "--db", str(db))
    assert "restore" in out and "someone" in out
    assert run(capsys, "restore", "no-such-backup", "--db", str(db))[0] == 1
    assert run(capsys, "check", "--db", str(db))[0] == 0


@pytest.mark.parametrize("options", [["--group", "twintui", "--path", "srv"], []])
def test_setup_server_is_retired_and_says_what_replaced_it(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           options: list[str]) -> None:
    argv = ["setup-server", *[str(tmp_path / o) if o == "srv" else o for o in options]]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert err.startswith("twintui: setup-server is retired: in a group-writable store folder every member of the "
                          "group can write the store, its audit log and the access file directly. Set up the store "
                          "service instead, as root: twintui setup-service --maintainer USER")
    assert not (tmp_path / "srv").exists()
