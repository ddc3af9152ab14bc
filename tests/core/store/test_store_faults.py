"""Faults while writing: a full disk, failing fsync or rename, and processes killed with SIGKILL.

Failures are injected by giving the file-writing module (or the audit log) an ``os``
whose ``write``/``fsync``/``replace`` fails, in that module's namespace only;
everything else, and the rest of the store, is the real thing. Where the
machine allows it (root, tmpfs), a real full disk is used as well.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import types
from pathlib import Path

import pytest

from twintui.core import files as files_module
from twintui.core.check import check_store
from twintui.core.errors import StoreError
from twintui.core.model import Arrangement, Partner, Risk, errors, validate
from twintui.core.store import Store
from twintui.core.store import audit as audit_module

from tests.disks import fill

HERE = Path(__file__).parent
ROOT = HERE.resolve().parents[2]
sys.path.insert(0, str(HERE))
import store_worker  # noqa: E402  (the helper beside this file: what the loop worker writes)

sys.path.remove(str(HERE))


def arrangement(title: str, state: str = "NOR") -> Arrangement:
    return Arrangement(reporting_state=state, title=title, status="planned")


def failing_os(name: str, error: int, partial: bool = False) -> types.SimpleNamespace:
    """An ``os`` whose function ``name`` fails with ``error`` (``write``: after writing part, if ``partial``)."""
    real = getattr(os, name)
    calls = {"n": 0}

    def fail(*args, **kwargs):
        calls["n"] += 1
        if name == "write" and partial and calls["n"] == 1:
            fd, data = args
            return real(fd, bytes(data[: max(1, len(data) // 2)]))
        raise OSError(error, os.strerror(error))

    namespace = types.SimpleNamespace(**{attr: getattr(os, attr) for attr in dir(os) if not attr.startswith("__")})
    setattr(namespace, name, fail)
    namespace.calls = calls
    return namespace


def temp_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.name.endswith(".tmp"))


def seeded(path: Path) -> Store:
    store = Store.open(path, user="alice")
    for n in range(5):
        store.save(arrangement(f"Before {n}"), "seed")
    return store


@pytest.mark.parametrize(("function", "code", "words"), [
    ("write", errno.ENOSPC, "no space"),
    ("fsync", errno.ENOSPC, "no space"),
    ("replace", errno.ENOSPC, "no space"),
    ("fsync", errno.EIO, "Input/output error"),
    ("replace", errno.EACCES, "permission denied"),
])
def test_a_store_write_failing_half_way_leaves_the_previous_store(tmp_path: Path, monkeypatch, function, code,
                                                                   words) -> None:
    path = tmp_path / "x.json"
    store = seeded(path)
    before = path.read_bytes()
    before_stat = path.stat()
    history_before = store.history()

    fake = failing_os(function, code, partial=True)
    monkeypatch.setattr(files_module, "os", fake)
    with pytest.raises(StoreError) as caught:
        with store.transaction("import") as tx:
            tx.save(arrangement("Lost 1"))
            tx.save(arrangement("Lost 2"))
            tx.save(store.get(Arrangement, "TW-NOR-0001").replace(title="Lost edit"))
    monkeypatch.undo()
    assert fake.calls["n"] >= 1, "the fault was not reached"
    message = str(caught.value)
    assert words in message and str(path) in message and "nothing was changed" in message, message

    # The previous store, byte for byte, same file; readable by this and a new Store object.
    assert path.read_bytes() == before
    assert path.stat().st_ino == before_stat.st_ino
    assert temp_files(tmp_path) == []
    assert store.count(Arrangement) == 5
    assert store.get(Arrangement, "TW-NOR-0001").title == "Before 0"
    assert Store.open(path).count(Arrangement) == 5
    assert store.history() == history_before
    report = check_store(path)
    assert report.ok, report.errors  # the failed transaction's audit entries are only a note

    # The next write works; the failed transaction never shows in any history.
    again = store.save(store.get(Arrangement, "TW-NOR-0001").replace(title="After"), "form")
    assert again.rev == 2
    assert store.save(arrangement("New after fault"), "form").id == "TW-NOR-0006"
    titles = {e.changes.get("title", [None, None])[1] for e in store.history()}
    assert not titles & {"Lost 1", "Lost 2", "Lost edit"}
    assert [e.action for e in store.history("TW-NOR-0001")] == ["create", "update"]
    report = check_store(path)
    assert report.ok, report.errors
    assert report.notes == []
    assert temp_files(tmp_path) == []


def test_a_commit_fsyncs_the_new_file_then_the_folder_after_the_rename(tmp_path: Path, monkeypatch) -> None:
    """Without the folder's fsync a crash after the rename can bring the old store back."""
    path = tmp_path / "x.json"
    store = seeded(path)
    events: list[tuple] = []
    opened: dict[int, int] = {}
    namespace = types.SimpleNamespace(**{attr: getattr(os, attr) for attr in dir(os) if not attr.startswith("__")})

    def open_(file, flags, *args, **kwargs):
        fd = os.open(file, flags, *args, **kwargs)
        opened[fd] = flags
        return fd

    def fsync(fd):
        info = os.fstat(fd)
        events.append(("fsync", stat.S_ISDIR(info.st_mode), (info.st_dev, info.st_ino), opened.get(fd)))
        return os.fsync(fd)

    def replace(source, target, **kwargs):
        events.append(("replace", Path(target).name))
        return os.replace(source, target, **kwargs)

    namespace.open, namespace.fsync, namespace.replace = open_, fsync, replace
    monkeypatch.setattr(files_module, "os", namespace)
    store.save(arrangement("Durable"), "form")
    monkeypatch.undo()

    folder = tmp_path.stat()
    at = events.index(("replace", path.name))
    assert [e[1] for e in events[:at]] == [False]  # the new file's data, before it takes the store's name
    after = [e for e in events[at + 1:] if e[0] == "fsync"]
    assert after and after[0][1:3] == (True, (folder.st_dev, folder.st_ino)), events
    assert after[0][3] is not None and after[0][3] & os.O_DIRECTORY  # opened as a folder, never a file put there
    assert Store.open(path).count(Arrangement) == 6


@pytest.mark.parametrize("function", ["write", "fsync"])
def test_an_audit_write_failing_half_way_changes_nothing(tmp_path: Path, monkeypatch, function) -> None:
    path = tmp_path / "x.json"
    store = seeded(path)
    log = path.with_name("x.audit.jsonl")
    before, log_before = path.read_bytes(), log.read_bytes()
    fake = failing_os(function, errno.ENOSPC, partial=True)
    monkeypatch.setattr(audit_module, "os", fake)
    with pytest.raises(StoreError) as caught:
        store.save(arrangement("Lost"), "form")
    monkeypatch.undo()
    assert fake.calls["n"] >= 1
    assert "no space" in str(caught.value) and "audit" in str(caught.value)
    assert path.read_bytes() == before
    assert log.read_bytes() == log_before  # the half entry was cut away
    assert store.save(arrangement("Works"), "form").id == "TW-NOR-0006"
    report = check_store(path)
    assert report.ok, report.errors
    assert report.notes == []


def test_a_failed_write_with_backup_keeps_the_store_and_leaves_no_backup(tmp_path: Path, monkeypatch) -> None:
    from twintui.core.store import backups

    path = tmp_path / "x.json"
    store = seeded(path)
    before = path.read_bytes()
    with store.transaction("import", backup="import") as tx:
        tx.save(arrangement("Kept"))
    kept = backups.list_all(path)
    before = path.read_bytes()
    # The backup is written, then the store is not: the store stays as it was, so the backup
    # taken for the failed write would only be one more copy of it, and goes.
    real_replace = files_module.replace

    def store_write_fails(target, data, **options):
        if Path(target) == path:
            raise files_module.failed(OSError(errno.ENOSPC, "full"), target, "write")
        return real_replace(target, data, **options)

    monkeypatch.setattr(files_module, "replace", store_write_fails)
    with pytest.raises(StoreError, match="no space"), store.transaction("import", backup="import") as tx:
        tx.save(arrangement("Lost"))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert backups.list_all(path) == kept
    assert temp_files(tmp_path) == []
    assert check_store(path).ok


# -- a real full disk -----------------------------------------------------------


def test_a_real_full_disk_leaves_the_previous_store(tiny_disk: Path) -> None:
    path = tiny_disk / "x.json"
    store = Store.open(path)
    with store.transaction("seed") as tx:
        for n in range(40):
            tx.save(Arrangement(reporting_state="NOR", title=f"Seed {n}", status="planned",
                                objectives="strengthen selection capacity " * 5))
    size = path.stat().st_size
    assert size > 16 * 1024
    before = path.read_bytes()
    filler = fill(tiny_disk)
    # Room for the audit entry (a few KiB) but not for a second copy of the store.
    os.truncate(filler, max(0, filler.stat().st_size - 12 * 1024))

    with pytest.raises(StoreError) as caught:
        store.save(store.get(Arrangement, "TW-NOR-0001").replace(title="Does not fit"), "form")
    assert "no space" in str(caught.value), caught.value
    assert "audit" not in str(caught.value)  # the audit entry fitted; the store's copy did not
    assert path.read_bytes() == before
    assert temp_files(tiny_disk) == []
    assert Store.open(path).get(Arrangement, "TW-NOR-0001").title == "Seed 0"
    assert check_store(path).ok

    # Completely full (the audit entry may still fit in its file's last page, or not).
    fill(tiny_disk)
    with pytest.raises(StoreError, match="no space"):
        store.save(arrangement("Nothing fits"), "form")
    assert path.read_bytes() == before
    assert temp_files(tiny_disk) == []

    filler.unlink()
    saved = store.save(store.get(Arrangement, "TW-NOR-0001").replace(title="Fits now"), "form")
    assert saved.rev == 2
    report = check_store(path)
    assert report.ok, report.errors
    assert report.notes == []
    assert [e.action for e in store.history("TW-NOR-0001")] == ["create", "update"]


# -- SIGKILL in the middle of writes -----------------------------------------------


def assert_complete(store: Store) -> None:
    """Every record the loop worker wrote is whole: all fields as it writes them, families complete."""
    for a in store.all(Arrangement):
        assert a.rev >= 1 and a.updated_at and a.created_by
        assert a.objectives == store_worker.expected_objectives(a.title), a.id
        version = int(a.learning_gap.split(":v", 1)[1].split(":", 1)[0])
        assert a.learning_gap == store_worker.expected_learning_gap(a.title, version), a.id
        assert version == a.rev, a.id  # every update bumps both
        assert errors(validate(a)) == []
        # Created in one transaction with its partner and risk: all three or none.
        partners, risks = store.children(Partner, a.id), store.children(Risk, a.id)
        assert [p.name for p in partners] == [f"partner of {a.title}"], a.id
        assert [r.description for r in risks] == [f"risk of {a.title}"], a.id
    assert store.count(Partner) == store.count(Risk) == store.count(Arrangement)


@pytest.mark.slow
def test_processes_killed_with_sigkill_inside_a_write_leave_a_store_that_passes_check(tmp_path: Path) -> None:
    """The writer says where inside its write it is and waits there, so the kill lands exactly there."""
    path = tmp_path / "x.json"
    Store.open(path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    seen_txn = 0
    for round_no, stage in enumerate(store_worker.STAGES):
        tag = f"k{round_no}"
        worker = subprocess.Popen([sys.executable, str(HERE / "store_worker.py"), "loop", str(path), tag, stage],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=env, cwd=ROOT)
        try:
            said = [worker.stdout.readline().strip(), worker.stdout.readline().strip()]
            assert said == ["ready", f"inside {stage}"], (said, worker.stderr.read() if worker.poll() is not None
                                                          else "")
            worker.send_signal(signal.SIGKILL)
        finally:
            worker.kill()
            worker.wait(timeout=60)
        assert worker.returncode == -signal.SIGKILL, worker.stderr.read()

        report = check_store(path)
        assert report.ok, (stage, report.errors)
        store = Store.open(path)
        # The second commit lands only once its file has the store's name (the folder's sync only makes it last).
        landed = [f"{tag}-1", f"{tag}-2"] if stage == "folder" else [f"{tag}-1"]
        assert sorted(a.title for a in store.all(Arrangement) if a.title.startswith(f"{tag}-")) == landed, stage
        assert store.txn == seen_txn + len(landed)
        assert_complete(store)
        # Another write works, and the store is still sound after it.
        extra = store.save(Arrangement(reporting_state="NOR", title=f"after kill {round_no}", status="planned"),
                           "test")
        assert store.get(Arrangement, extra.id) == extra
        store.delete(extra, "test")
        seen_txn = store.txn
        report = check_store(path)
        assert report.ok, (stage, report.errors)
        assert all("temporary file" in n for n in report.notes), (stage, report.notes)
    ids = [a.id for a in Store.open(path).all(Arrangement)]
    assert len(ids) == len(set(ids)) > 0
