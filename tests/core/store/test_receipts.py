"""Receipts of shape checks: a store file this user has checked is read without checking it again, until
anything about it changes; every receipt that is not plainly this user's own is ignored.

The racy margin (a file changed within it of the receipt may have kept its times) is two seconds in
use; here it is 0.1 s and the tests wait that long, so that the rule, not the wait, is what is tested.
Whether the check ran is seen by counting the calls of the shape check (the one thing wrapped).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import orjson
import pytest

from twintui.core.errors import StoreError
from twintui.core.model import Arrangement
from twintui.core.store import Store, receipts, shape

MARGIN = 0.1


@pytest.fixture(autouse=True)
def short_margin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(receipts, "RACY_NS", int(MARGIN * 1e9))


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tables the shape check ran on, in order."""
    ran: list[str] = []
    real = shape.table_problems

    def counted(table: str, docs: object) -> list[str]:
        ran.append(table)
        return real(table, docs)

    monkeypatch.setattr(shape, "table_problems", counted)
    return ran


def filled(path: Path) -> Path:
    store = Store.open(path)
    store.save(Arrangement(reporting_state="NOR", title="Exchange", start=dt.date(2026, 1, 1)), "test")
    time.sleep(MARGIN * 1.5)  # older than the margin: a receipt may be written
    return path


def read(path: Path) -> int:
    """A fresh process's read (a new store object): the arrangements."""
    return Store.open(path, create=False).count(Arrangement)


def receipt_files(home: Path) -> list[Path]:
    folder = home / ".cache" / "twintui" / "checked"
    return sorted(folder.glob("*.json")) if folder.exists() else []


def test_a_checked_file_is_read_without_a_check_until_a_commit_changes_it(
        store_path: Path, checks: list[str], isolated_home: Path) -> None:
    filled(store_path)
    checks.clear()
    assert read(store_path) == 1 and checks == ["arrangements"]
    [receipt] = receipt_files(isolated_home)
    assert receipt.stat().st_mode & 0o777 == 0o600 and receipt.parent.stat().st_mode & 0o777 == 0o700
    assert read(store_path) == 1 and read(store_path) == 1
    assert checks == ["arrangements"]  # vouched for by the receipt
    store = Store.open(store_path)
    store.save(Arrangement(reporting_state="NOR", title="Another"), "test")  # a new token, new times
    checks.clear()
    assert read(store_path) == 2 and checks == ["arrangements"]


def test_a_file_changed_within_the_margin_gets_no_receipt(store_path: Path, checks: list[str],
                                                          isolated_home: Path) -> None:
    store = Store.open(store_path)
    store.save(Arrangement(reporting_state="NOR", title="Exchange"), "test")
    checks.clear()
    assert read(store_path) == 1
    assert receipt_files(isolated_home) == []  # its times may not change at the next write: checked again
    assert read(store_path) == 1 and checks == ["arrangements", "arrangements"]


def test_a_hand_edit_that_keeps_the_size_and_puts_the_times_back_is_caught(store_path: Path,
                                                                           checks: list[str]) -> None:
    filled(store_path)
    checks.clear()
    assert read(store_path) == 1
    before = store_path.stat()
    raw = store_path.read_bytes()
    assert b'"start":"2026-01-01"' in raw
    damaged = raw.replace(b'"start":"2026-01-01"', b'"start":202601010000', 1)  # the same length
    with open(store_path, "r+b") as handle:  # in place: the same inode, the same size
        handle.write(damaged)
    os.utime(store_path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = store_path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
    assert after.st_ctime_ns != before.st_ctime_ns  # the one thing no user can set back
    with pytest.raises(StoreError, match="field start: 202601010000 is not a date"):
        read(store_path)


def test_a_copy_put_in_its_place_is_checked(store_path: Path, checks: list[str]) -> None:
    filled(store_path)
    checks.clear()
    read(store_path)
    copy = store_path.with_name("copy.json")
    copy.write_bytes(store_path.read_bytes())  # the same bytes and token, another file
    os.replace(copy, store_path)
    time.sleep(MARGIN * 1.5)
    read(store_path)
    assert checks == ["arrangements", "arrangements"]


def test_a_receipt_planted_as_a_link_is_ignored_and_not_followed(store_path: Path, checks: list[str],
                                                                 isolated_home: Path, tmp_path: Path) -> None:
    filled(store_path)
    checks.clear()
    read(store_path)
    [receipt] = receipt_files(isolated_home)
    elsewhere = tmp_path / "planted.json"
    elsewhere.write_bytes(receipt.read_bytes())  # a receipt that would vouch, reached through a link
    receipt.unlink()
    receipt.symlink_to(elsewhere)
    read(store_path)
    assert checks == ["arrangements", "arrangements"]
    assert elsewhere.read_bytes() != b"" and not receipt.is_symlink()  # replaced by a receipt of its own


def test_a_corrupted_receipt_is_ignored_and_written_again(store_path: Path, checks: list[str],
                                                          isolated_home: Path) -> None:
    filled(store_path)
    checks.clear()
    read(store_path)
    [receipt] = receipt_files(isolated_home)
    good = orjson.loads(receipt.read_bytes())
    for bad in (b"", b"{not json", b"[]", b"\x00" * 100, orjson.dumps({**good, "file": "x"}),
                orjson.dumps({**good, "tables": {"arrangements": 5}}),
                orjson.dumps({**good, "tables": {"arrangements": "other rules"}})):
        receipt.write_bytes(bad)
        receipt.chmod(0o600)
        checks.clear()
        assert read(store_path) == 1 and checks == ["arrangements"], bad
        assert orjson.loads(receipt.read_bytes()) == {**good, "written_ns": orjson.loads(receipt.read_bytes())[
            "written_ns"]}


def test_a_receipt_open_to_others_or_in_a_folder_open_to_others_is_ignored(store_path: Path, checks: list[str],
                                                                           isolated_home: Path) -> None:
    filled(store_path)
    checks.clear()
    read(store_path)
    [receipt] = receipt_files(isolated_home)
    receipt.chmod(0o666)
    read(store_path)
    assert checks == ["arrangements", "arrangements"]
    receipt.chmod(0o600)
    receipt.parent.chmod(0o777)
    read(store_path)
    assert checks == ["arrangements"] * 3


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_receipt_of_another_user_is_ignored(store_path: Path, checks: list[str], isolated_home: Path) -> None:
    filled(store_path)
    checks.clear()
    read(store_path)
    [receipt] = receipt_files(isolated_home)
    os.chown(receipt, 12345, 12345)
    read(store_path)
    assert checks == ["arrangements", "arrangements"]


def test_a_cache_folder_that_cannot_be_made_means_no_receipt(store_path: Path, checks: list[str],
                                                             monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_folder))
    filled(store_path)
    checks.clear()
    assert read(store_path) == 1 and read(store_path) == 1
    assert checks == ["arrangements", "arrangements"]


def test_a_receipt_vouches_only_for_the_tables_it_names(store_path: Path, checks: list[str]) -> None:
    from twintui.core.model import Risk

    filled(store_path)
    checks.clear()
    read(store_path)
    store = Store.open(store_path, create=False)
    store.count(Risk)  # checked now, and added to the receipt
    store = Store.open(store_path, create=False)
    store.count(Arrangement)
    store.count(Risk)
    assert checks == ["arrangements", "risks"]


@pytest.mark.parametrize("cache_home", ["", "   ", "/somewhere/cache"])
def test_the_folder_is_platformdirs_user_cache_folder(cache_home: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.setenv("XDG_CACHE_HOME", cache_home)
    assert receipts.folder() == Path(platformdirs.user_cache_dir("twintui", appauthor=False)) / "checked"
