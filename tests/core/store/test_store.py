"""Unit tests of the store: revisions, transactions, conflicts, audit, backups, bad files.

Every test works on a real store file in its own temporary folder; nothing of
the store is mocked (a few tests wrap a store function to count its calls,
the real function still runs).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from twintui.core import files as files_module
from twintui.core.check import check_store
from twintui.core.errors import ConflictError, StoreError, ValidationError
from twintui.core.model import Arrangement, Partner, Risk, validate
from twintui.core.store import SCHEMA, Store
from twintui.core.store import backups as backups_module

# -- helpers ---------------------------------------------------------------


def arrangement(title: str = "Norway with the five Latin American states", state: str = "NOR", **kw) -> Arrangement:
    return Arrangement(reporting_state=state, title=title, status=kw.pop("status", "active"), **kw)


def partner(name: str = "Brazil", **kw) -> Partner:
    return Partner(name=name, type=kw.pop("type", "state"), country=kw.pop("country", "BRA"), **kw)


def risk(description: str = "Funding ends early", **kw) -> Risk:
    return Risk(description=description, category=kw.pop("category", "budget"), likelihood=kw.pop("likelihood", 3),
                impact=kw.pop("impact", 4), owner=kw.pop("owner", "x"), **kw)


def snapshot(path: Path) -> dict[str, bytes]:
    """The bytes of the store and of every file beside it (audit log, backups)."""
    files = {}
    for item in sorted(path.parent.rglob("*")):
        if item.is_file() and not item.name.endswith(".lock"):
            files[str(item.relative_to(path.parent))] = item.read_bytes()
    return files


def audit_path(path: Path) -> Path:
    return path.with_name(path.stem + ".audit.jsonl")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "x.json"


@pytest.fixture
def store(path: Path) -> Store:
    return Store.open(path)


# -- create, read, update, delete -------------------------------------------


def test_round_trip_create_get_update_delete(store: Store, path: Path) -> None:
    saved = store.save(arrangement(objectives="strengthen selection capacity", funding_amount=1500.5,
                                   currency="EUR", areas=["housing"]), "test")
    assert saved.id == "TW-NOR-0001"
    assert saved.rev == 1
    got = store.get(Arrangement, "TW-NOR-0001")
    assert got == saved
    assert got.funding_amount == 1500.5 and got.areas == ["housing"]
    # A new Store object reads the same record from the file.
    assert Store.open(path).get(Arrangement, "TW-NOR-0001") == saved

    updated = store.save(got.replace(title="Renamed"), "test")
    assert updated.rev == 2
    assert store.get(Arrangement, saved.id).title == "Renamed"
    assert store.count(Arrangement) == 1
    assert [a.id for a in store.all(Arrangement)] == [saved.id]

    store.delete(updated, "test")
    assert store.get(Arrangement, saved.id) is None
    assert store.count(Arrangement) == 0
    assert Store.open(path).get(Arrangement, saved.id) is None
    assert check_store(path).ok


def test_rev_bumps_on_every_change_and_only_then(store: Store, path: Path) -> None:
    saved = store.save(arrangement(), "test")
    revs = [saved.rev]
    current = saved
    for n in range(4):
        current = store.save(current.replace(title=f"title {n}"), "test")
        revs.append(current.rev)
    assert revs == [1, 2, 3, 4, 5]
    # Saving without a change neither bumps the revision nor writes anything.
    before, txn = snapshot(path), store.txn
    again = store.save(current, "test")
    assert again.rev == 5
    assert store.txn == txn
    assert snapshot(path) == before


def test_created_by_and_updated_by_are_the_users(path: Path) -> None:
    alice, bob = Store.open(path, user="alice"), Store.open(path, user="bob")
    created = alice.save(arrangement(), "form")
    assert (created.created_by, created.updated_by) == ("alice", "alice")
    assert created.created_at and created.created_at == created.updated_at
    changed = bob.save(bob.get(Arrangement, created.id).replace(title="Bob's"), "form")
    assert (changed.created_by, changed.updated_by) == ("alice", "bob")
    assert changed.created_at == created.created_at
    assert alice.get(Arrangement, created.id).updated_by == "bob"


def test_default_user_is_the_os_user(store: Store) -> None:
    import pwd

    saved = store.save(arrangement(), "test")
    assert saved.created_by == pwd.getpwuid(os.getuid()).pw_name


def test_audit_entries_carry_field_old_and_new_user_and_source(path: Path) -> None:
    store = Store.open(path, user="alice")
    a = store.save(arrangement(title="Old title"), "screen:register")
    store.save(a.replace(title="New title", areas=["housing"]), "import:sha256=abc123")
    bob = Store.open(path, user="bob")
    bob.delete(bob.get(Arrangement, a.id), "screen:register")

    entries = store.history(a.id)
    assert [e.action for e in entries] == ["create", "update", "delete"]
    create, update, delete = entries
    assert create.changes["title"] == ["", "Old title"]
    assert create.changes["reporting_state"] == [None, "NOR"]
    assert (create.user, create.source, create.table) == ("alice", "screen:register", "arrangements")
    assert update.changes == {"title": ["Old title", "New title"], "areas": [[], ["housing"]]}
    assert (update.user, update.source) == ("alice", "import:sha256=abc123")
    assert delete.user == "bob"
    assert delete.changes["title"] == ["New title", None]
    assert [e.txn for e in entries] == [1, 2, 3]
    assert all(e.at for e in entries)
    # Every entry is one JSON line of the log file.
    lines = audit_path(path).read_text().splitlines()
    assert len(lines) == 3
    assert json.loads(lines[1])["changes"]["title"] == ["Old title", "New title"]


# -- transactions ------------------------------------------------------------


def test_transaction_of_several_records_is_one_write(store: Store, path: Path, monkeypatch) -> None:
    existing = store.save(arrangement(title="Existing"), "test")
    writes: list[Path] = []
    real = files_module.replace

    def counting(target, payload, **options):
        writes.append(target)
        return real(target, payload, **options)

    monkeypatch.setattr(files_module, "replace", counting)
    txn = store.txn
    with store.transaction("import:demo") as tx:
        new = arrangement(title="New one", state="CAN")
        tx.save(new)
        tx.save(partner("Japan", country="JPN"), parent=new)
        tx.save(partner("Brazil"), parent=new)
        tx.save(risk(), parent=new)
        tx.save(existing.replace(title="Existing, renamed"))
    assert writes == [path]
    assert store.txn == txn + 1 == tx.txn
    # tx.saved holds the stored versions, in order, children pointing at the new id.
    assert [r.id for r in tx.saved] == ["TW-CAN-0001", "P-1", "P-2", "R-1", existing.id]
    assert all(r.rev >= 1 and r.updated_at for r in tx.saved)
    assert tx.saved[1].arrangement == tx.saved[2].arrangement == tx.saved[3].arrangement == "TW-CAN-0001"
    assert tx.result(new).id == "TW-CAN-0001"
    assert tx.saved[4].rev == 2
    assert [p.name for p in store.children(Partner, "TW-CAN-0001")] == ["Japan", "Brazil"]
    assert len(store.children(Risk, "TW-CAN-0001")) == 1
    # All audit entries of the transaction share its number and source.
    entries = [e for e in store.history() if e.txn == tx.txn]
    assert len(entries) == 5
    assert {e.source for e in entries} == {"import:demo"}
    assert not backups_module.list_all(path)


def test_transaction_with_backup_makes_exactly_one_backup_of_the_old_store(store: Store, path: Path) -> None:
    store.save(arrangement(), "test")
    before = path.read_bytes()
    with store.transaction("import", backup="import returns.xlsx") as tx:
        for n in range(5):
            tx.save(arrangement(title=f"Imported {n}"))
    found = backups_module.list_all(path)
    assert len(found) == 1
    assert found[0].path.read_bytes() == before
    assert found[0].reason == "import-returns-xlsx"
    assert store.count(Arrangement) == 6
    # A transaction that changes nothing writes nothing and takes no backup.
    with store.transaction("import", backup="again") as tx:
        tx.save(store.get(Arrangement, "TW-NOR-0001"))
    assert len(backups_module.list_all(path)) == 1


def test_exception_inside_the_transaction_block_writes_nothing(store: Store, path: Path) -> None:
    store.save(arrangement(), "test")
    before = snapshot(path)
    with pytest.raises(RuntimeError), store.transaction("test") as tx:
        tx.save(arrangement(title="never"))
        raise RuntimeError("the caller changed its mind")
    assert snapshot(path) == before
    assert store.count(Arrangement) == 1


# -- conflicts and validation ------------------------------------------------


def test_conflict_carries_both_versions_and_writes_nothing(path: Path) -> None:
    alice, bob = Store.open(path, user="alice"), Store.open(path, user="bob")
    original = alice.save(arrangement(title="Original"), "test")
    bobs_copy = bob.get(Arrangement, original.id)
    alice.save(original.replace(title="Alice's title"), "test")
    before = snapshot(path)

    with pytest.raises(ConflictError) as caught:
        bob.save(bobs_copy.replace(title="Bob's title"), "test")
    error = caught.value
    assert error.mine.title == "Bob's title" and error.mine.rev == 1
    assert error.theirs.title == "Alice's title" and error.theirs.rev == 2
    assert error.theirs.updated_by == "alice"
    assert error.base is None  # the store does not keep what bob started from: his screen tells the merge
    assert original.id in str(error)
    assert snapshot(path) == before
    assert bob.get(Arrangement, original.id).title == "Alice's title"
    assert not [e for e in bob.history() if e.user == "bob"]


def test_conflict_in_a_transaction_writes_none_of_it(path: Path) -> None:
    one, two = Store.open(path), Store.open(path)
    a = one.save(arrangement(), "test")
    two.save(two.get(Arrangement, a.id).replace(title="changed elsewhere"), "test")
    before = snapshot(path)
    with pytest.raises(ConflictError), one.transaction("test") as tx:
        new = arrangement(title="Would be new")
        tx.save(new)
        tx.save(partner(), parent=new)
        tx.save(a.replace(title="stale edit"))
    assert snapshot(path) == before
    assert one.count(Arrangement) == 1 and one.count(Partner) == 0
    # The counter was not advanced by the failed transaction either.
    assert one.save(arrangement(title="Next"), "test").id == "TW-NOR-0002"


def test_saving_or_deleting_a_record_deleted_meanwhile_is_a_conflict(path: Path) -> None:
    one, two = Store.open(path), Store.open(path)
    a = one.save(arrangement(), "test")
    b = one.save(arrangement(title="Second"), "test")
    two.delete(two.get(Arrangement, a.id), "test")
    with pytest.raises(ConflictError) as caught:
        one.save(a.replace(title="edited after delete"), "test")
    assert caught.value.theirs is None
    assert one.get(Arrangement, a.id) is None
    # Deleting with a stale revision is a conflict too.
    two.save(two.get(Arrangement, b.id).replace(title="changed"), "test")
    before = snapshot(path)
    with pytest.raises(ConflictError) as caught:
        one.delete(b, "test")
    assert caught.value.theirs.rev == 2
    assert snapshot(path) == before
    assert one.get(Arrangement, b.id).title == "changed"


def test_validation_error_lists_problems_and_writes_nothing(store: Store, path: Path) -> None:
    a = store.save(arrangement(), "test")
    before = snapshot(path)
    with pytest.raises(ValidationError) as caught, store.transaction("test") as tx:
        tx.save(arrangement(title="Fine"))
        tx.save(Arrangement(reporting_state="NOR", title="", status="nonsense"))
    assert {p.field for p in caught.value.problems} == {"title", "status"}
    assert snapshot(path) == before

    with pytest.raises(ValidationError) as caught:
        store.save(risk(likelihood=9, arrangement=a.id), "test")
    assert [p.field for p in caught.value.problems] == ["likelihood"]
    with pytest.raises(ValidationError) as caught:
        store.save(partner(arrangement="TW-NOR-0099"), "test")
    assert [p.field for p in caught.value.problems] == ["arrangement"]
    assert snapshot(path) == before
    assert store.count(Arrangement) == 1 and store.count(Partner) == store.count(Risk) == 0


def test_warnings_do_not_block_saving(store: Store) -> None:
    # An open risk without owner is only a warning: it is saved as it is, and the warning stays to be seen.
    a = store.save(arrangement(), "test")
    saved = store.save(risk(owner="", arrangement=a.id), "test")
    assert saved.rev == 1 and saved.owner == ""
    assert Store.open(store.path).require(Risk, saved.key) == saved
    assert [(p.field, p.severity, p.message) for p in validate(saved)] == [
        ("owner", "warning", "an open risk needs an owner")]


# -- deletes and ids -----------------------------------------------------------


def test_deleting_an_arrangement_removes_its_partners_and_risks(store: Store, path: Path) -> None:
    with store.transaction("test") as tx:
        first, second = arrangement(title="First"), arrangement(title="Second")
        tx.save(first)
        tx.save(second)
        tx.save(partner("Brazil"), parent=first)
        tx.save(partner("Chile", country="CHL"), parent=first)
        tx.save(risk(), parent=first)
        tx.save(risk("Staff turnover"), parent=first)
        tx.save(partner("Japan", country="JPN"), parent=second)
        tx.save(risk("Other"), parent=second)
    first_id, second_id = tx.result(first).id, tx.result(second).id
    store.delete(store.get(Arrangement, first_id), "test")
    assert store.children(Partner, first_id) == []
    assert store.children(Risk, first_id) == []
    assert [p.name for p in store.children(Partner, second_id)] == ["Japan"]
    assert [r.description for r in store.children(Risk, second_id)] == ["Other"]
    assert store.count(Partner) == store.count(Risk) == 1
    report = check_store(path)
    assert report.ok, report.errors


def test_cascaded_deletes_are_in_the_audit_log(store: Store) -> None:
    a = store.save(arrangement(), "test")
    p = store.save(partner(arrangement=a.id), "test")
    r = store.save(risk(arrangement=a.id), "test")
    store.delete(store.get(Arrangement, a.id), "screen")
    assert [e.action for e in store.history(p.key)] == ["create", "delete"]
    assert [e.action for e in store.history(r.key)] == ["create", "delete"]


def test_a_child_saved_in_the_transaction_that_deletes_its_arrangement_goes_too(store: Store, path: Path) -> None:
    a = store.save(arrangement(), "test")
    with store.transaction("test") as tx:
        tx.save(partner(arrangement=a.id))
        tx.delete(a)
    assert store.count(Partner) == 0
    assert check_store(path).ok


def test_ids_stay_unique_and_are_never_reused_after_delete(store: Store, path: Path) -> None:
    made = [store.save(arrangement(title=f"A{n}"), "test") for n in range(3)]
    assert [a.id for a in made] == ["TW-NOR-0001", "TW-NOR-0002", "TW-NOR-0003"]
    store.delete(made[2], "test")
    store.delete(made[1], "test")
    assert store.save(arrangement(title="A3"), "test").id == "TW-NOR-0004"
    # Each reporting state has its own numbers.
    assert store.save(arrangement(title="C", state="CAN"), "test").id == "TW-CAN-0001"
    # Children: numbered within their arrangement, not reused either.
    a = made[0]
    p1 = store.save(partner("One", arrangement=a.id), "test")
    p2 = store.save(partner("Two", arrangement=a.id), "test")
    assert (p1.id, p2.id) == ("P-1", "P-2")
    store.delete(p2, "test")
    assert store.save(partner("Three", arrangement=a.id), "test").id == "P-3"
    other = store.get(Arrangement, "TW-NOR-0004")
    assert store.save(partner("Elsewhere", arrangement=other.id), "test").id == "P-1"
    # A record saved with its own id keeps new ids clear of it.
    store.save(arrangement(title="Given id", id="TW-NOR-0010"), "test")
    assert store.save(arrangement(title="After"), "test").id == "TW-NOR-0011"
    # A deleted arrangement's id is not reused even when it was the highest one.
    store.delete(store.get(Arrangement, "TW-NOR-0011"), "test")
    assert store.save(arrangement(title="Later"), "test").id == "TW-NOR-0012"
    ids = [x.id for x in store.all(Arrangement)]
    assert len(ids) == len(set(ids))
    assert check_store(path).ok


def test_a_deleted_child_id_given_explicitly_is_not_reused(store: Store) -> None:
    a = store.save(arrangement(), "test")
    given = store.save(partner(id="P-5", arrangement=a.id), "test")
    store.delete(given, "test")
    new_ids = [store.save(partner(f"n{n}", arrangement=a.id), "test").id for n in range(5)]
    assert "P-5" not in new_ids


# -- several Store objects on one file -----------------------------------------


def test_stale_cache_is_refreshed_when_another_store_object_writes(path: Path) -> None:
    one, two = Store.open(path), Store.open(path)
    a = one.save(arrangement(title="aaaa"), "test")
    assert two.get(Arrangement, a.id).title == "aaaa"  # two has it cached now
    # Alternate writes of the same size, so only the content tells them apart.
    for n in range(30):
        writer, reader = (one, two) if n % 2 else (two, one)
        current = writer.get(Arrangement, a.id)
        title = f"t{n:03d}"
        writer.save(current.replace(title=title), "test")
        assert reader.get(Arrangement, a.id).title == title
        assert reader.all(Arrangement)[0].title == title
        assert reader.txn == writer.txn
    # A write from a stale object keeps the other's changes (no lost update).
    two.save(arrangement(title="from two", state="CAN"), "test")
    one.save(arrangement(title="from one", state="CZE"), "test")
    fresh = Store.open(path)
    assert {x.title for x in fresh.all(Arrangement)} == {"t029", "from two", "from one"}
    assert one.count(Arrangement) == two.count(Arrangement) == 3
    assert len(two.history()) == len(one.history()) == 33


# -- bad store files -----------------------------------------------------------


def assert_store_error(path: Path, *words: str, **kwargs) -> StoreError:
    with pytest.raises(StoreError) as caught:
        Store.open(path, **kwargs)
    message = str(caught.value)
    assert str(path) in message, message
    for word in words:
        assert word in message, message
    # check_store reports the same problem instead of raising.
    report = check_store(path)
    assert not report.ok
    assert any(str(path) in line for line in report.errors)
    return caught.value


@pytest.mark.parametrize(("content", "words"), [
    (b'{"_twintui": {"app": "twintui", "schema": 1', ("damaged", "not valid JSON")),
    (b"\x00\x01\x02garbage", ("damaged", "not valid JSON")),
    (b'{"_default": {}}', ("not a twintui store",)),
    (b'{"_default": {"1": {"name": "x"}}}', ("not a twintui store",)),
    (b"[]", ("not a twintui store",)),
    (b'[{"_twintui": {"app": "twintui"}}]', ("not a twintui store",)),
    (b'"just a string"', ("not a twintui store",)),
    (b'{"_twintui": {"app": "other", "schema": 1}}', ("not a twintui store",)),
    (b'{"_twintui": {"app": "twintui", "schema": 1, "txn": 0}, "arrangements": []}', ("damaged", "arrangements")),
    (b'{"_twintui": {"app": "twintui", "schema": "one", "txn": 0}, "arrangements": {}}', ("damaged", "schema")),
])
def test_bad_store_files_give_a_clear_message_and_are_left_alone(path: Path, content: bytes, words) -> None:
    path.write_bytes(content)
    assert_store_error(path, *words)
    assert path.read_bytes() == content
    assert not audit_path(path).exists()


def test_a_store_cut_short_is_reported_as_damaged(store: Store, path: Path) -> None:
    for n in range(3):
        store.save(arrangement(title=f"A{n}"), "test")
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    assert_store_error(path, "damaged")
    # The same store object gives the same clear error instead of stale data.
    with pytest.raises(StoreError, match="damaged"):
        store.get(Arrangement, "TW-NOR-0001")


def test_a_store_of_a_newer_schema_is_refused(store: Store, path: Path) -> None:
    store.save(arrangement(), "test")
    data = json.loads(path.read_bytes())
    data["_twintui"]["schema"] = SCHEMA + 1
    path.write_text(json.dumps(data))
    content = path.read_bytes()
    error = assert_store_error(path, "newer", f"schema {SCHEMA + 1}")
    assert "upgrade" in str(error).lower()
    assert path.read_bytes() == content
    # A store object opened before refuses to write into it too.
    with pytest.raises(StoreError, match="newer"):
        store.save(arrangement(title="x"), "test")
    assert path.read_bytes() == content


def test_a_folder_as_path_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    assert_store_error(folder, "folder")
    assert list(folder.iterdir()) == []


def test_a_missing_store_is_not_created_when_asked_not_to(path: Path) -> None:
    with pytest.raises(StoreError, match="no twintui store"):
        Store.open(path, create=False)
    assert not path.exists()


def test_an_empty_file_is_an_empty_new_store(path: Path) -> None:
    path.write_bytes(b"")
    store = Store.open(path)
    assert store.count(Arrangement) == 0
    assert store.save(arrangement(), "test").id == "TW-NOR-0001"
    assert json.loads(path.read_bytes())["_twintui"]["app"] == "twintui"
    assert check_store(path).ok


def test_a_file_of_blanks_is_an_empty_new_store(path: Path) -> None:
    path.write_bytes(b"\n  \n")
    store = Store.open(path)
    assert store.count(Arrangement) == 0
    assert json.loads(path.read_bytes())["_twintui"]["schema"] == SCHEMA


@contextlib.contextmanager
def as_user(uid: int, gid: int, groups: list[int] | None = None) -> Iterator[None]:
    """Run the block with the effective ids of another user (root only); always switch back."""
    saved_groups = os.getgroups()
    os.setgroups(groups or [])
    os.setegid(gid)
    os.seteuid(uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)
        os.setgroups(saved_groups)


def test_an_unreadable_file_gives_a_clear_message(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        path = tmp_path / "x.json"
        Store.open(path).save(arrangement(), "test")
        path.chmod(0)
        try:
            assert_store_error(path, "permission denied")
        finally:
            path.chmod(0o600)
        return
    # Root reads any file: the open is done with the effective ids of 'nobody',
    # in a folder of /tmp that nobody can reach (tmp_path's parents are private).
    import pwd

    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root and there is no user 'nobody' to read as")
    folder = Path(tempfile.mkdtemp(prefix="twintui-unreadable-"))
    try:
        folder.chmod(0o755)
        path = folder / "x.json"
        Store.open(path).save(arrangement(), "test")
        check_store(path)  # every lazy import done while still root
        path.chmod(0)
        with as_user(nobody.pw_uid, nobody.pw_gid), pytest.raises(StoreError) as caught:
            Store.open(path)
        assert str(path) in str(caught.value) and "permission denied" in str(caught.value), caught.value
        with as_user(nobody.pw_uid, nobody.pw_gid):
            report = check_store(path)
        assert not report.ok
        assert any(str(path) in e and "permission denied" in e for e in report.errors), report.errors
    finally:
        shutil.rmtree(folder)


# -- backups ------------------------------------------------------------------


def test_backups_keep_only_the_latest_20(store: Store, path: Path) -> None:
    taken: list[bytes] = []
    for n in range(25):
        taken.append(path.read_bytes())
        with store.transaction("import", backup=f"import {n}") as tx:
            tx.save(arrangement(title=f"Import {n}"))
    found = backups_module.list_all(path)
    assert len(found) == backups_module.KEEP == 20
    assert len(list(backups_module.folder_for(path).iterdir())) == 20
    # The newest 20 are kept, newest first, each a copy of the store before its write.
    assert [b.reason for b in found] == [f"import-{n}" for n in range(24, 4, -1)]
    assert [b.path.read_bytes() for b in found] == taken[5:][::-1]
    # A backup is a store that opens.
    restored = Store.open(found[0].path, create=False)
    assert restored.count(Arrangement) == 24


# -- the audit log and check_store ----------------------------------------------


def healthy_store(path: Path) -> Store:
    store = Store.open(path, user="alice")
    with store.transaction("seed") as tx:
        a = arrangement()
        tx.save(a)
        tx.save(partner(), parent=a)
        tx.save(risk(), parent=a)
    for n in range(4):
        current = store.get(Arrangement, "TW-NOR-0001")
        store.save(current.replace(title=f"Title {n}"), "test")
    store.save(arrangement(title="Second", state="CZE"), "test")
    return store


def test_check_store_passes_on_a_healthy_store(path: Path) -> None:
    healthy_store(path)
    report = check_store(path)
    assert report.ok, report.errors
    assert (report.errors, report.warnings, report.notes) == ([], [], [])
    # (other record types, e.g. comparisons, may be registered too: they hold nothing here)
    assert {table: n for table, n in report.counts.items() if n} == {"arrangements": 2, "partners": 1, "risks": 1}
    assert report.lines()[-1].strip() == "OK"


def test_check_store_reports_a_missing_store(path: Path) -> None:
    report = check_store(path)
    assert not report.ok and str(path) in report.errors[0]


def _lines(path: Path) -> list[bytes]:
    return audit_path(path).read_bytes().splitlines(keepends=True)


def _tamper_check(path: Path, *expected: str) -> None:
    report = check_store(path)
    assert not report.ok, report.lines()
    text = " | ".join(report.errors)
    for word in expected:
        assert word in text, text


def test_audit_edit_of_a_line_is_detected(path: Path) -> None:
    healthy_store(path)
    lines = _lines(path)
    entry = json.loads(lines[2])
    entry["user"] = "mallory"
    lines[2] = json.dumps(entry, sort_keys=True).encode() + b"\n"
    audit_path(path).write_bytes(b"".join(lines))
    _tamper_check(path, "audit log line 3", "edited")


def test_audit_edit_with_a_recomputed_hash_is_detected(path: Path) -> None:
    from twintui.core.store.audit import Entry

    healthy_store(path)
    lines = _lines(path)
    entry = Entry.from_dict(json.loads(lines[3]))
    entry.changes = {"title": ["x", "forged"]}
    entry.hash = entry.compute_hash()
    lines[3] = entry.to_line()
    audit_path(path).write_bytes(b"".join(lines))
    _tamper_check(path, "audit log line 5", "does not follow")


def test_audit_deleted_middle_line_is_detected(path: Path) -> None:
    healthy_store(path)
    lines = _lines(path)
    del lines[4]
    audit_path(path).write_bytes(b"".join(lines))
    _tamper_check(path, "removed")


def test_audit_cut_tail_is_detected(path: Path) -> None:
    healthy_store(path)
    lines = _lines(path)
    audit_path(path).write_bytes(b"".join(lines[:-2]))
    _tamper_check(path, "the log was cut")


def test_audit_tail_cut_inside_a_committed_entry_is_detected(path: Path) -> None:
    healthy_store(path)
    data = audit_path(path).read_bytes()
    audit_path(path).write_bytes(data[:-40])
    _tamper_check(path, "the log was cut")


def test_audit_line_replaced_by_garbage_is_detected(path: Path) -> None:
    healthy_store(path)
    lines = _lines(path)
    lines[1] = b"{not json}\n"
    audit_path(path).write_bytes(b"".join(lines))
    _tamper_check(path, "audit log line 2", "not a valid entry")


def test_a_missing_audit_log_is_detected(path: Path) -> None:
    healthy_store(path)
    audit_path(path).unlink()
    _tamper_check(path, "missing")


def test_check_store_finds_duplicate_ids_and_a_counter_behind(store: Store, path: Path) -> None:
    store.save(arrangement(), "test")
    data = json.loads(path.read_bytes())
    doc = data["arrangements"]["1"]
    data["arrangements"]["2"] = dict(doc)
    data["_twintui"]["counters"]["TW-NOR"] = 0
    path.write_text(json.dumps(data))
    _tamper_check(path, "used twice", "counter for NOR is behind")
