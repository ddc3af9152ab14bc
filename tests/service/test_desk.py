"""Imports, outputs and administration through the store service print what they print on the file, and the
service does the work: it checks a return's bytes, previews and applies them, records exports, grants, checks,
lists and restores backups, as the caller.

One ``twintui serve`` process (as this user, its maintainer) serves a demo store in a folder closed to others;
each command runs here with ``--server`` and, for comparison, with ``--db`` on the same store.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.core.workbook.helpers import edit, find_row
from tests.core.workbook.test_bad_files import CASES
from tests.service import running
from twintui.cli import main
from twintui.core import demo
from twintui.core.model import Arrangement
from twintui.core.store import Store, backups, current_user
from twintui.core.workbook import QuarterlyReturn
from twintui.service import protocol


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[running.Running]:
    folder = tmp_path_factory.mktemp("desk") / "srv"
    folder.mkdir(mode=0o700)
    demo.fill(Store.open(folder / "twintui.json"))
    service = running.start(folder / "twintui.json", folder.parent / "twintui.sock", "--timeout", "2")
    yield service
    code, out = service.stop()
    assert code == 0 and "internal error" not in out, out


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def both(served: running.Running, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[tuple[int, str, str], ...]:
    """(through the service, directly on the same store)."""
    return run(capsys, "--server", str(served.socket), *argv), run(capsys, "--db", str(served.store), *argv)


def returned(served: running.Running, capsys: pytest.CaptureFixture[str], folder: Path, title: str) -> Path:
    """NOR's return exported through the service, its arrangement's title changed as a focal point would."""
    path = folder / f"nor-{len(list(folder.iterdir()))}.xlsx"
    assert run(capsys, "--server", str(served.socket), "export", "--state", "NOR", "--quarter", "2026-Q2", "-o",
               str(path))[0] == 0
    return edit(path, [("Register", find_row(path, "Register", "id", "TW-NOR-0001"), "title", title)])


# -- imports --------------------------------------------------------------------------------------------

def test_an_import_through_the_service_previews_and_applies_as_directly(
        served: running.Running, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = returned(served, capsys, tmp_path, "Changed in the return")
    through, direct = both(served, capsys, "import", str(path), "--dry-run")
    assert through == direct and through[0] == 0 and "1 changed" in through[1] and "dry run" in through[1]
    through, direct = both(served, capsys, "import", str(path), "--json")
    assert through == direct and json.loads(through[1])["files"][0]["changed"] == 1
    before = Store.open(served.store).txn

    code, out, err = run(capsys, "--server", str(served.socket), "import", str(path), "--yes")
    assert (code, err) == (0, "") and out.endswith("applied: 0 new and 1 changed record in one write (a backup was "
                                                   "taken first); marked received: NOR-2026-Q2\n"), out
    store = Store.open(served.store)
    assert store.require(Arrangement, "TW-NOR-0001").title == "Changed in the return" and store.txn == before + 1
    # Everything recorded is the service's: who received it, the audit entries, the tracker, the backup.
    tracked = store.require(QuarterlyReturn, "NOR-2026-Q2")
    assert (tracked.received_by, tracked.received_file) == (current_user(), path.name)
    note = next(e for e in reversed(store.history()) if e.action == "import")
    assert (note.user, note.source, note.changes["file"][1], note.changes["by"][1]) == (
        current_user(), "import", str(path), current_user())
    assert backups.list_all(served.store)[0].reason == "import"
    # Again: a second submission, nothing to apply, as directly.
    through, direct = both(served, capsys, "import", str(path), "--yes")
    assert through == direct and "nothing to apply" in through[1]


def test_another_import_landing_between_preview_and_apply_is_a_conflict(
        served: running.Running, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from twintui.core.errors import ConflictError, NotFoundError
    from twintui.service.desk import desk_for
    from twintui.service.remote import RemoteStore

    path = returned(served, capsys, tmp_path, "Previewed, then changed by someone else")
    desk = desk_for(RemoteStore.open(served.socket))
    preview = desk.preview([desk.read_return(path)])
    assert preview.ok and preview.token  # type: ignore[attr-defined]
    direct = Store.open(served.store)
    direct.save(direct.require(Arrangement, "TW-NOR-0001").replace(title="Meanwhile"), "test")
    with pytest.raises(ConflictError, match="TW-NOR-0001 was changed"):
        desk.apply(preview)
    assert Store.open(served.store).require(Arrangement, "TW-NOR-0001").title == "Meanwhile"
    # The service gave that preview up: applying it again is refused, in one line.
    with pytest.raises(NotFoundError, match="holds no such import preview"):
        desk.apply(preview)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_file_that_is_not_a_return_is_refused_in_the_same_line_through_the_service(
        served: running.Running, capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str) -> None:
    name, make, words = CASES[case]
    good = tmp_path / "good.xlsx"
    assert run(capsys, "--server", str(served.socket), "export", "--state", "NOR", "--quarter", "2026-Q2", "-o",
               str(good))[0] == 0
    bad = tmp_path / name
    bad.write_bytes(make(good.read_bytes()))
    before = served.store.read_bytes()
    through, direct = both(served, capsys, "import", str(bad), "--yes")
    assert through == direct, case
    code, out, err = through
    assert (code, out) == (2, "") and err.count("\n") == 1 and str(bad) in err and words in err, err
    assert served.store.read_bytes() == before


def upload(served: running.Running, name: str, body: bytes, length: int | None = None) -> tuple[int, dict]:
    head = (f"POST {protocol.IMPORT_FILE}?name={name} HTTP/1.1\r\nHost: twintui\r\nConnection: close\r\n"
            f"Content-Length: {len(body) if length is None else length}\r\n\r\n").encode()
    raw = running.call(served.socket, head + body, wait=5)
    top, _, answer = raw.partition(b"\r\n\r\n")
    return int(top.split()[1]), json.loads(answer)


def test_the_service_checks_the_bytes_whatever_a_client_checked(served: running.Running, tmp_path: Path) -> None:
    """A client that skips its own checks (these requests are raw bytes): the service refuses in one line."""
    status, answer = upload(served, "big.xlsx", b"PK", length=51 * 2**20)
    assert status == 200 and answer == {"name": "big.xlsx", "file": None, "sha256": None,
                                        "refused": "is 51 MB; a return is at most 50 MB"}  # refused unread
    status, answer = upload(served, "half.xlsx", b"PK\x03\x04" + b"\0" * 100)
    assert status == 200 and answer["refused"].startswith("is truncated or damaged") and answer["file"] is None
    status, answer = upload(served, "notes.txt", b"PK")
    assert answer["refused"] == "is not an .xlsx workbook; a return is the .xlsx file twintui exported"
    status, answer = upload(served, "%1b%5b2J.xlsx", b"PK")  # a name that would drive the terminal
    assert status == 400 and "printable" in answer["error"]["message"]
    for route, body in ((protocol.IMPORT_PREVIEW, {"files": ["not-a-token"]}),
                        (protocol.IMPORT_APPLY, {"preview": "not-a-token"})):
        raw = running.call(served.socket, running.request("POST", route, json.dumps(body).encode()))
        assert b" 404 " in raw.split(b"\r\n")[0] and b"holds no such" in raw


# -- outputs --------------------------------------------------------------------------------------------

def test_outputs_come_back_as_the_bytes_a_direct_command_writes(
        served: running.Running, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    made = {}
    for how in ("server", "db"):
        where = tmp_path / how
        where.mkdir()
        target = str(served.socket) if how == "server" else str(served.store)
        for argv in (["template", "-o", "t.xlsx"], ["report", "-o", "r.md"], ["report", "-o", "r.html"],
                     ["mou", "render", "TW-NOR-0001", "-o", "m.md"], ["mou", "render", "TW-NOR-0001", "-o", "m.html"],
                     ["mou", "render", "TW-CAN-0001", "--no-progress", "-o", "n.md"],
                     ["compare", "export", "COM-0001", "-o", "c.xlsx"]):
            code, out, err = run(capsys, f"--{how}", target, *argv[:-1], str(where / argv[-1]))
            made[(how, argv[-1])] = (code, out.replace(str(where), "HERE"), err)
        made[(how, "stdout")] = run(capsys, f"--{how}", target, "mou", "render", "TW-NOR-0001", "--format", "md",
                                    "-o", "-")
    for name in ("t.xlsx", "r.md", "r.html", "m.md", "m.html", "n.md", "c.xlsx", "stdout"):
        assert made[("server", name)] == made[("db", name)] and made[("server", name)][0] == 0, name
    for name in ("t.xlsx", "r.md", "r.html", "m.md", "m.html", "n.md"):
        assert (tmp_path / "server" / name).read_bytes() == (tmp_path / "db" / name).read_bytes(), name
    # The MoU's section 8 with the progress so far, through either; --no-progress leaves it out.
    assert "### Progress so far" in (tmp_path / "server" / "m.md").read_text()
    assert "Progress so far" not in (tmp_path / "server" / "n.md").read_text()
    assert made[("server", "stdout")][1] == (tmp_path / "db" / "m.md").read_text()


def test_an_export_is_recorded_by_the_service_and_a_file_it_cannot_write_is_refused_first(
        served: running.Running, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "--server", str(served.socket), "export", "--all", "-o", str(tmp_path / "all.xlsx"))
    assert code == 0 and f"is in {tmp_path / 'all.xlsx'}" in out
    txn = Store.open(served.store).txn
    (tmp_path / "folder.xlsx").mkdir()
    for target, said in ((tmp_path / "missing" / "nor.xlsx", "the folder"), (tmp_path / "nor.csv", ".xlsx"),
                         (tmp_path / "folder.xlsx", "is a folder")):
        code, out, err = run(capsys, "--server", str(served.socket), "export", "--state", "NOR", "--quarter",
                             "2026-Q1", "-o", str(target))
        assert (code, out) == (2, "") and said in err, err
    assert Store.open(served.store).txn == txn  # nothing recorded for an export that could not be written


# -- progress -------------------------------------------------------------------------------------------

PINNED = "2026-11-01"  # the demo's today


def progress_reply(served: running.Running, body: dict) -> tuple[int, bytes]:
    raw = running.call(served.socket, running.request("POST", "/v1/output/progress", json.dumps(body).encode()))
    head, _, answer = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), answer


def test_progress_is_worked_out_by_the_service_and_prints_as_directly(
        served: running.Running, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["progress", "--as-of", PINNED], ["progress", "--json", "--as-of", PINNED],
                 ["progress", "--json", "--state", "Norway", "--as-of", "2026-06-30"], ["progress", "--state", "ISL"]):
        through, direct = both(served, capsys, *argv)
        assert through == direct, argv
    assert through[0] == 1 and "there is no arrangement of ISL" in through[2]
    # The service answers it from the register it holds: the client asks for the verdicts, not the register.
    code, answer = progress_reply(served, {"state": None, "as_of": PINNED, "format": "json"})
    direct = run(capsys, "--db", str(served.store), "progress", "--json", "--as-of", PINNED)[1]
    assert code == 200 and answer.decode() == direct and len(json.loads(answer)) == 7


def test_the_registers_marks_are_the_services_verdicts(served: running.Running) -> None:
    import datetime as dt

    from twintui.service.desk import Desk
    from twintui.service.remote_desk import ServiceDesk

    day = dt.date.fromisoformat(PINNED)
    through = ServiceDesk.at(served.socket).standings(day)
    assert through == Desk(Store.open(served.store)).standings(day) and "TW-CAN-0001" in through
    assert through["TW-CAN-0001"].behind and not through["TW-NOR-0001"].behind
    # As the service sends them: each arrangement's verdicts, in the rule's order.
    code, answer = progress_reply(served, {"state": None, "as_of": PINNED, "format": "standings"})
    assert code == 200 and json.loads(answer) == {key: list(s.verdicts) for key, s in through.items()}


def test_the_services_progress_follows_every_commit(
        served: running.Running, capsys: pytest.CaptureFixture[str]) -> None:
    from twintui.core.model.progress import ObjectiveProgress
    from twintui.service.remote import RemoteStore

    argv = ("progress", "--json", "--as-of", PINNED)
    before = run(capsys, "--server", str(served.socket), *argv)[1]
    assert run(capsys, "--server", str(served.socket), *argv)[1] == before  # asked again: the same answer
    store = RemoteStore.open(served.socket)
    value = next(p for p in store.all(ObjectiveProgress)
                 if (p.arrangement, p.objective, p.quarter) == ("TW-CAN-0001", 1, "2026-Q3"))
    store.save(value.replace(value=(value.value or 0) + 10, comment="corrected by hand"), "test")
    after = run(capsys, "--server", str(served.socket), *argv)[1]
    assert after != before and after == run(capsys, "--db", str(served.store), *argv)[1]
    changed = next(r for r in json.loads(after) if (r["arrangement"], r["objective"]) == ("TW-CAN-0001", 1))
    assert changed["values"]["2026-Q3"] == (value.value or 0) + 10 and changed["verdict"] == "achieved"


# -- administration -------------------------------------------------------------------------------------

def test_check_backups_restore_and_log_through_the_service_print_as_directly(
        served: running.Running, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for argv in (["check"], ["backups"], ["backups", "--json"], ["log", "--record", "TW-NOR-0001"]):
        through, direct = both(served, capsys, *argv)
        assert through == direct and through[0] == 0, argv
    path = returned(served, capsys, tmp_path, "Changed, then restored")
    assert run(capsys, "--server", str(served.socket), "import", str(path), "--yes")[0] == 0
    newest = json.loads(run(capsys, "--server", str(served.socket), "backups", "--json")[1])[0]["name"]
    through, direct = both(served, capsys, "restore", newest[:30], "--dry-run")
    assert through == direct and "1 to change" in through[1] and through[1].endswith("dry run: nothing was written\n")
    code, out, err = run(capsys, "--server", str(served.socket), "restore", newest, "--yes")
    assert code == 0 and re.search(r"restored \S+import\.json \(transaction \d+, recorded in the audit log\); the "
                                   r"store as it was is kept as \S+before-restore\.json", out), out + err
    assert Store.open(served.store).require(Arrangement, "TW-NOR-0001").title != "Changed, then restored"
    # Only its own backups, by name: a path is no backup of the service's.
    code, _, err = run(capsys, "--server", str(served.socket), "restore", str(served.store), "--yes")
    assert code == 1 and f"there is no backup '{served.store}'" in err
    through, direct = both(served, capsys, "check")
    assert through == direct and through[0] == 0 and "  OK" in through[1]


def test_access_is_granted_and_revoked_through_the_service_and_audited(
        served: running.Running, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--server", str(served.socket), "access", "grant", "nor-fp", "--state", "NOR")
    assert code == 0 and out.startswith(f"access: nor-fp is now focal point for NOR (in {served.store.parent}")
    through, direct = both(served, capsys, "access", "list")
    assert through == direct and "nor-fp               focal point for NOR" in through[1]
    code, out, _ = run(capsys, "--server", str(served.socket), "access", "revoke", "nor-fp")
    assert code == 0 and "nor-fp was removed" in out
    entries = [e for e in Store.open(served.store).history() if e.record == "access/nor-fp"]
    assert [(e.action, e.user, e.source) for e in entries] == [("grant", current_user(), "access grant"),
                                                               ("revoke", current_user(), "access revoke")]
    code, _, err = run(capsys, "--server", str(served.socket), "access", "revoke", current_user())
    assert code == 1 and "is the last maintainer" in err


def test_a_client_of_a_service_that_is_gone_says_so_for_every_kind_of_request(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    stale = tmp_path / "stale.sock"
    with socket.socket(socket.AF_UNIX) as left:
        left.bind(str(stale))
    for argv in (["check"], ["backups"], ["access", "grant", "x", "--maintainer"]):
        assert run(capsys, "--server", str(stale), *argv) == (
            2, "", f"twintui: the store service at {stale} is not running (connection refused)\n"), argv


def test_the_blank_return_needs_no_store_so_a_service_that_is_gone_does_not_stop_it(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    code, out, err = run(capsys, "--server", str(tmp_path / "gone.sock"), "template", "-o", str(tmp_path / "t.xlsx"))
    assert (code, err) == (0, "") and str(tmp_path / "t.xlsx") in out
    assert run(capsys, "--db", str(tmp_path / "none.json"), "template", "-o", str(tmp_path / "f.xlsx"))[0] == 0
    through, direct = load_workbook(tmp_path / "t.xlsx"), load_workbook(tmp_path / "f.xlsx")
    assert through.sheetnames == direct.sheetnames and "Progress" in through.sheetnames
    assert [[c.value for c in row] for row in through["Register"].iter_rows(max_row=3)] == \
        [[c.value for c in row] for row in direct["Register"].iter_rows(max_row=3)]
    assert not (tmp_path / "none.json").exists()  # no store was made or opened for it


def test_a_remote_store_restores_the_services_backups_by_name(served: running.Running) -> None:
    from twintui.core.errors import NotFoundError, StoreError
    from twintui.service.remote import RemoteStore

    store = RemoteStore.open(served.socket)
    made = backups.make(served.store, "by-hand")
    assert made is not None
    store.save(store.require(Arrangement, "TW-CAN-0002").replace(title="After the backup"), "test")
    elsewhere = Path("/nowhere") / made.name  # a path gives only its name: the service's own backup
    plan = store.restore_plan(elsewhere)
    assert plan.backup == made.path and plan.summary() == Store.open(served.store).restore_plan(made.path).summary()
    with pytest.raises(StoreError, match="records a restore as 'restore'"):
        store.restore(made.name, plan, source="screen:restore")
    with pytest.raises(NotFoundError, match="there is no backup 'no-such-backup.json'"):
        store.restore_plan("no-such-backup.json")
    assert plan.changed == {"arrangements": ["TW-CAN-0002"]}
    done = store.restore(made.name, plan)
    assert done.txn == Store.open(served.store).txn and done.safety_backup is not None
    assert store.require(Arrangement, "TW-CAN-0002").title != "After the backup"


@pytest.mark.parametrize(("route", "body", "said"), [
    ("/v1/output/report", {"quarter": "the third", "format": "md"}, "quarter: "),
    ("/v1/output/report", {"quarter": None, "format": "csv"}, "'csv' is not a report format"),
    ("/v1/output/return", {"state": "NOR", "quarter": "2026-Q2", "file_name": "../../x.xlsx"},
     "file_name must be a file's name without a folder"),
    ("/v1/output/mou", {"arrangement": "TW-NOR-0001", "version": 0, "format": "md"}, "version must be null"),
    ("/v1/output/mou", {"arrangement": "TW-NOR-0001", "version": None, "format": "md", "today": "soon"},
     "today must be null or a date"),
    ("/v1/output/mou", {"arrangement": "TW-NOR-0001", "version": None, "format": "md", "progress": "yes"},
     "progress must be true or false"),
    ("/v1/output/progress", {"state": None, "as_of": "soon", "format": "json"}, "as_of must be a date"),
    ("/v1/output/progress", {"state": None, "as_of": None, "format": "json"}, "as_of must be a date"),
    ("/v1/output/progress", {"state": None, "as_of": "2026-11-01", "format": "csv"},
     "'csv' is not a progress format (text, json, standings)"),
    ("/v1/output/progress", {"state": 7, "as_of": "2026-11-01", "format": "json"},
     "state must be null or an ISO 3166 alpha-3 code"),
    ("/v1/output/progress", {"state": "Norway", "as_of": "2026-11-01", "format": "json"},
     "state must be null or an ISO 3166 alpha-3 code"),
    ("/v1/output/progress", {"state": "N\x1bR", "as_of": "2026-11-01", "format": "json"},
     "state must be null or an ISO 3166 alpha-3 code"),
    ("/v1/output/progress", {"state": "ISL", "as_of": "2026-11-01", "format": "text"},
     "there is no arrangement of ISL"),
    ("/v1/output/progress", {"as_of": "2026-11-01", "format": "text"}, "missing state"),
    ("/v1/access/grant", {"user": "x", "role": "king", "states": []}, "unknown role 'king'"),
    ("/v1/restore/plan", {"backup": "../twintui.json"}, "there is no backup '../twintui.json'"),
    ("/v1/restore", {"backup": "x", "expected": {"added": {"arrangements": "all"}, "removed": {}, "changed": {}}},
     "expected.added must be an object of table: [keys]"),
])
def test_a_request_the_routes_cannot_take_is_refused_in_one_line_and_changes_nothing(
        served: running.Running, route: str, body: dict, said: str) -> None:
    before = Store.open(served.store).txn
    raw = running.call(served.socket, running.request("POST", route, json.dumps(body).encode()))
    head, _, answer = raw.partition(b"\r\n\r\n")
    assert int(head.split()[1]) in (400, 403, 404, 500) and said in json.loads(answer)["error"]["message"], answer
    assert Store.open(served.store).txn == before
