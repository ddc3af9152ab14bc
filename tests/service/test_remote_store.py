"""Every command and screen through the store service works as on the file: the same output, the same errors.

One ``twintui serve`` process (as this user) serves a demo store in a folder closed to others; the
commands run here with ``--server`` and, for comparison, with ``--db`` on the same file.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service import running
from twintui.cli import main
from twintui.core import demo
from twintui.core.errors import ConflictError, StoreError, ValidationError
from twintui.core.model import Arrangement, Partner, errors, validate
from twintui.core.store import Store, current_user
from twintui.service.remote import RemoteStore


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[running.Running]:
    folder = tmp_path_factory.mktemp("service") / "srv"
    folder.mkdir(mode=0o700)
    demo.fill(Store.open(folder / "twintui.json"))
    service = running.start(folder / "twintui.json", folder.parent / "twintui.sock")
    yield service
    code, out = service.stop()
    assert code == 0 and out.rstrip().endswith("serve: stopped"), out


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("argv", [
    ["show", "TW-NOR-0001"], ["show", "TW-NOR-0001", "--json"], ["show", "TW-XYZ-0001"], ["compare", "list", "--json"],
    ["compare", "show", "COM-0001"], ["mou", "list"], ["log", "--record", "TW-CAN-0001"], ["access", "list"],
    ["experts", "integration", "--json"],
])
def test_a_command_prints_through_the_service_what_it_prints_on_the_file(
        served: running.Running, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    direct = run(capsys, "--db", str(served.store), *argv)
    through = run(capsys, "--server", str(served.socket), *argv)
    assert through == direct
    assert direct[1] or direct[2]


def test_an_export_through_the_service_is_the_exports_on_the_file(
        served: running.Running, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ["export", "--state", "NOR", "--quarter", "2026-Q2", "-o"]
    direct = run(capsys, "--db", str(served.store), *argv, str(tmp_path / "direct.xlsx"))
    through = run(capsys, "--server", str(served.socket), *argv, str(tmp_path / "through.xlsx"))

    def same(out: tuple[int, str, str], name: str) -> tuple[int, str, str]:
        return out[0], re.sub(r"export id \w+", "export id X", out[1].replace(name, "FILE")), out[2]

    assert same(through, "through.xlsx") == same(direct, "direct.xlsx")
    assert through[0] == 0 and "NOR's return for 2026-Q2" in through[1]
    # The client wrote the workbook itself, and the service recorded the export (as this user).
    assert (tmp_path / "through.xlsx").stat().st_uid == os.getuid()
    export_id = re.search(r"export id (\w+)", through[1])[1]  # type: ignore[index]
    found = [e for e in Store.open(served.store).history() if e.changes.get("export_id", [None, None])[1] == export_id]
    assert found and found[0].user == current_user()


def test_a_change_through_the_service_is_stored_with_its_new_ids(served: running.Running) -> None:
    store = RemoteStore.open(served.socket)
    assert store.path == served.store and store.user == current_user()
    with store.transaction("test:service") as tx:
        new = Arrangement(reporting_state="JPN", title="Orientation curriculum", status="planned")
        tx.save(new)
        tx.save(Partner(name="Ministry of Justice", type="state", country="JPN", role="lead"), parent=new)
    saved, partner = tx.result(new), tx.saved[1]
    assert isinstance(partner, Partner) and partner.arrangement == saved.id
    assert saved.id.startswith("TW-JPN-") and saved.rev == 1
    direct = Store.open(served.store)
    assert direct.require(Arrangement, saved.id) == saved
    assert direct.children(Partner, saved.id) == [partner]
    # Read back through the service at once: the mirror follows the commit.
    assert store.require(Arrangement, saved.id) == saved and store.txn == tx.txn == direct.txn
    assert [(e.user, e.source) for e in store.history(saved.id, children=True)] == \
        [(current_user(), "test:service")] * 2


def test_a_conflict_through_the_service_carries_both_versions(served: running.Running) -> None:
    mine, theirs = RemoteStore.open(served.socket), RemoteStore.open(served.socket)
    read = mine.require(Arrangement, "TW-CZE-0001")
    landed = theirs.save(theirs.require(Arrangement, "TW-CZE-0001").replace(title="Theirs"), "test")
    with pytest.raises(ConflictError) as conflict:
        mine.save(read.replace(title="Mine"), "test")
    assert conflict.value.mine == read.replace(title="Mine") and conflict.value.theirs == landed
    assert f"changed (revision {read.rev} → {landed.rev}) by {current_user()}" in conflict.value.message
    assert Store.open(served.store).require(Arrangement, "TW-CZE-0001").title == "Theirs"


def test_a_record_with_errors_is_refused_with_its_problems(served: running.Running) -> None:
    store = RemoteStore.open(served.socket)
    bad = store.require(Arrangement, "TW-NOR-0001").replace(title="", end=None, status="completed")
    with pytest.raises(ValidationError) as refused:
        store.save(bad, "test")
    assert refused.value.problems == errors(validate(bad)) and refused.value.record == bad
    assert Store.open(served.store).require(Arrangement, "TW-NOR-0001").title


def test_the_screens_work_on_the_service_and_follow_other_users(served: running.Running) -> None:
    import asyncio

    from tests.tui.driving import settle
    from twintui.tui.app import TwintuiApp
    from twintui.tui.common.row_table import RowTable

    store = RemoteStore.open(served.socket)

    async def drive() -> None:
        app = TwintuiApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            ids = {row.id for row in app.screen.query_one(RowTable).rows}
            assert ids == {a.id for a in Store.open(served.store).all(Arrangement)}
            RemoteStore.open(served.socket).save(
                Arrangement(reporting_state="ARG", title="Community sponsorship pilot", status="planned"), "test")
            app.look_at_store()  # what the app's store watcher does every 3 seconds
            await settle(app, pilot)
            await settle(app, pilot)
            assert any(row.id == "TW-ARG-0001" for row in app.screen.query_one(RowTable).rows)

    asyncio.run(drive())


def test_a_service_that_is_down_is_one_line_naming_its_socket(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "none.sock"
    code, out, err = run(capsys, "--server", str(missing), "show", "TW-NOR-0001")
    assert (code, out) == (2, "")
    assert err == f"twintui: the store service at {missing} is not running (there is no such socket; start it: " \
                  "twintui serve)\n"
    stale = tmp_path / "stale.sock"
    with socket.socket(socket.AF_UNIX) as left:
        left.bind(str(stale))  # bound, never listened on: what a service that died leaves
    code, out, err = run(capsys, "--server", str(stale), "mou", "list")
    assert (code, out, err) == (2, "", f"twintui: the store service at {stale} is not running (connection refused)\n")
    with pytest.raises(StoreError, match="not running"):
        RemoteStore.open(stale)


def test_the_server_variable_chooses_the_service_and_db_still_opens_a_file(
        served: running.Running, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.setenv("TWINTUI_SERVER", str(served.socket))
    monkeypatch.setenv("TWINTUI_DB", str(tmp_path / "ignored.json"))
    assert run(capsys, "show", "TW-NOR-0001") == run(capsys, "--db", str(served.store), "show", "TW-NOR-0001")
    assert not (tmp_path / "ignored.json").exists()
    Store.open(tmp_path / "mine.json")  # one's own, empty store
    code, _, err = run(capsys, "--db", str(tmp_path / "mine.json"), "show", "TW-NOR-0001")
    assert code == 1 and f"there is no arrangement TW-NOR-0001 in {tmp_path / 'mine.json'}" in err
    code, _, err = run(capsys, "--db", str(served.store), "--server", str(served.socket), "mou", "list")
    assert code == 2 and "give --db (a store file) or --server (the store service's socket), not both" in err


def test_the_history_of_a_record_of_no_key_is_empty_not_the_whole_log(served: running.Running) -> None:
    # The Register asks for it to read the audit log in the background (store.history("")): through the
    # service that fetched every entry of the log, for nothing, holding the service's store thread meanwhile.
    remote, direct = RemoteStore.open(served.socket), Store.open(served.store)
    assert remote.history("") == direct.history("") == []
    assert len(remote.history()) == len(direct.history()) > 10
    assert [e.record for e in remote.history("TW-NOR-0001")] == [e.record for e in direct.history("TW-NOR-0001")]
