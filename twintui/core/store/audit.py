"""The append-only audit log: who changed what, when, from where.

One JSON object per line in ``<store>.audit.jsonl`` beside the store. Each entry
carries the hash of the previous one, so a log that was cut or edited is
detected by ``verify``. Entries of one store transaction share its ``txn``;
they are written (and fsynced) before the store itself, so a crash between
the two leaves entries for a transaction the store never got. Such entries
are marked by a ``rollback`` entry before the next write and are not part of
any record's history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from .. import files
from ..errors import StoreError

GENESIS = "0" * 64


@dataclass(slots=True)
class Entry:
    seq: int
    txn: int
    at: str
    user: str
    source: str
    action: str  # create, update, delete, restore, rollback, grant, revoke, ...
    table: str = ""
    record: str = ""
    changes: dict[str, list[Any]] = field(default_factory=dict)  # field -> [old, new]
    prev: str = GENESIS
    hash: str = ""
    rev: int = 0  # the record's revision after the change (0: not a record change, or an older entry)

    def body(self) -> dict[str, Any]:
        body = {
            "seq": self.seq, "txn": self.txn, "at": self.at, "user": self.user, "source": self.source,
            "action": self.action, "table": self.table, "record": self.record, "changes": self.changes,
            "prev": self.prev,
        }
        if self.rev:  # entries written before revisions were logged hash as they did
            body["rev"] = self.rev
        return body

    def compute_hash(self) -> str:
        return hashlib.sha256(self.prev.encode() + orjson.dumps(self.body(), option=orjson.OPT_SORT_KEYS)).hexdigest()

    def to_line(self) -> bytes:
        return orjson.dumps({**self.body(), "hash": self.hash}, option=orjson.OPT_SORT_KEYS) + b"\n"

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Entry:
        return cls(**{name: raw[name] for name in cls.__slots__ if name in raw})  # type: ignore[attr-defined]


@dataclass(slots=True)
class Change:
    """One change to record, before it gets its place in the chain."""

    action: str
    table: str = ""
    record: str = ""
    changes: dict[str, list[Any]] = field(default_factory=dict)
    rev: int = 0


# One entry line; keys are sorted (see Entry.to_line), so these fields come in this order.
_LINE = re.compile(
    rb'^\{"action":"(?P<action>[a-z-]*)".*?"prev":"[0-9a-f]{64}","record":"(?P<record>(?:[^"\\]|\\.)*)",'
    rb'(?:"rev":\d+,)?"seq":\d+,.*"txn":(?P<txn>\d+),"user":"(?:[^"\\]|\\.)*"\}$',
    re.MULTILINE,
)


@dataclass
class _LogIndex:
    inode: int | None = None
    offset: int = 0
    buffer: bytearray = field(default_factory=bytearray)
    lines: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, txn) in buffer
    by_record: dict[str, list[int]] = field(default_factory=dict)
    by_parent: dict[str, list[int]] = field(default_factory=dict)  # "TW-NOR-0001" -> its partners' and risks' lines
    rolled_back: set[int] = field(default_factory=set)


def audit_path_for(store_path: Path) -> Path:
    """The audit log beside a store: ``<stem>.audit.jsonl``."""
    return store_path.with_name(store_path.stem + ".audit.jsonl")


class AuditLog:
    def __init__(self, path: Path, store_path: Path | None = None):
        self.path = path
        # A new log takes the store's mode and group, so every member of the group can append.
        self.store_path = store_path
        self._index = _LogIndex()  # what history() has read so far
        self._tail: tuple[tuple[int, int], int, int, str] | None = None  # (identity, seq, txn, hash)

    def _open(self) -> BinaryIO | None:
        """The log to read (None if there is none yet); a link, folder or FIFO in its place is refused."""
        try:
            fd, _ = files.open_file(self.path)
        except FileNotFoundError:
            return None
        except files.FileError as error:
            raise StoreError(error.message) from None
        return os.fdopen(fd, "rb")

    def _last(self) -> tuple[int, int, str]:
        """seq, txn and hash of the last complete entry (read only: a torn last line is cut at the next append)."""
        try:
            stat = os.lstat(self.path)
        except FileNotFoundError:
            return 0, 0, GENESIS
        if self._tail and self._tail[0] == (stat.st_ino, stat.st_size):
            return self._tail[1], self._tail[2], self._tail[3]
        handle = self._open()
        if handle is None:
            return 0, 0, GENESIS
        with handle:
            info = os.fstat(handle.fileno())
            last = self._last_entry(_tail(handle.fileno(), info.st_size)[0])
        self._tail = ((info.st_ino, info.st_size), *last)
        return last

    def _last_entry(self, lines: list[bytes]) -> tuple[int, int, str]:
        if not lines:
            return 0, 0, GENESIS
        try:
            last = orjson.loads(lines[-1])
            return int(last["seq"]), int(last["txn"]), str(last["hash"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            raise StoreError(f"the audit log {self.path} is damaged at its end; run twintui check") from None

    def _file_mode(self) -> tuple[int, int | None]:
        """(mode, group) of a new log: the store's, never wider than 0660, so every member can append."""
        try:
            like = files.existing(self.store_path) if self.store_path else None
        except files.FileError:
            like = None
        if like is None:
            return files.new_file_mode(files.PRIVATE), None
        return like.st_mode & files.PRIVATE, like.st_gid

    def check_writable(self) -> None:
        """Refuse early (before a backup is taken) when this user may not append to the log."""
        try:
            files.existing(self.path, writable=True)
        except files.FileError as error:
            raise StoreError(f"{error.message}; nothing was changed") from None

    def last_txn(self) -> int:
        return self._last()[1]

    def append(self, txn: int, user: str, source: str, changes: Iterable[Change], at: str | None = None,
               sync: bool = True) -> list[Entry]:
        """Append the entries of one transaction and make them durable (``sync``; else ``sync()`` does, for
        several transactions written together). Call under the store lock."""
        changes = list(changes)
        if not changes:
            return []
        mode, gid = self._file_mode()
        try:
            with files.appending(self.path, mode, gid, [] if gid is None else [gid]) as (fd, _):
                return self._append(fd, txn, user, source, changes, at, sync)
        except files.FileError as error:
            self._tail = None
            raise StoreError(f"{error.message}; nothing was changed") from None

    def sync(self) -> None:
        """Make the entries appended without ``sync`` durable (under the store lock, before the store is written)."""
        mode, gid = self._file_mode()
        try:
            with files.appending(self.path, mode, gid, [] if gid is None else [gid]) as (fd, _):
                os.fsync(fd)
        except (files.FileError, OSError) as error:
            self._tail = None
            message = error.message if isinstance(error, files.FileError) else \
                files.failed(error, self.path, "write the audit log").message
            raise StoreError(f"{message}; nothing was changed") from None

    def _append(self, fd: int, txn: int, user: str, source: str, changes: list[Change],
                at: str | None, sync: bool = True) -> list[Entry]:
        size = os.fstat(fd).st_size
        lines, end = _tail(fd, size)
        if end < size:
            # A write was cut off (crash, full disk): that entry's transaction never reached the
            # store, so the partial line is dropped.
            os.ftruncate(fd, end)
            os.fsync(fd)
        seq, _, prev = self._last_entry(lines)
        when = at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        entries = []
        for change in changes:
            seq += 1
            entry = Entry(seq, txn, when, user, source, change.action, change.table, change.record,
                          change.changes, prev, rev=change.rev)
            entry.hash = entry.compute_hash()
            prev = entry.hash
            entries.append(entry)
        payload = b"".join(entry.to_line() for entry in entries)
        view = memoryview(payload)
        try:
            while view:
                view = view[os.write(fd, view):]
            if sync:
                os.fsync(fd)
        except OSError as error:
            # Leave no half entry behind: cut the file back to where it was.
            try:
                os.ftruncate(fd, end)
            except OSError:
                pass
            self._tail = None
            raise StoreError(files.failed(error, self.path, "write the audit log").message + "; nothing was changed") \
                from None
        info = os.fstat(fd)
        self._tail = ((info.st_ino, info.st_size), seq, txn, prev)
        return entries

    def entries(self) -> Iterator[Entry]:
        """Every complete entry, oldest first (damaged lines are skipped; ``verify`` reports them)."""
        handle = self._open()
        if handle is None:
            return
        with handle:
            for line in handle:
                if not line.endswith(b"\n"):
                    return
                try:
                    yield Entry.from_dict(orjson.loads(line))
                except (orjson.JSONDecodeError, TypeError):
                    continue

    def _catch_up(self) -> None:
        """Index only what was appended since the last call (the log only grows).

        Lines are not parsed here: the keys are sorted, so a regular expression
        finds each line's record, transaction and action, and a record's lines are
        parsed when its history is asked for. Indexing a 50,000-entry log this way
        takes a fraction of the time parsing it would.
        """
        handle = self._open()
        if handle is None:
            self._index = _LogIndex()
            return
        with handle:
            stat = os.fstat(handle.fileno())
            index = self._index
            if index.inode != stat.st_ino or stat.st_size < index.offset:
                index = self._index = _LogIndex(inode=stat.st_ino)
            if stat.st_size <= index.offset:
                return
            handle.seek(index.offset)
            chunk = handle.read(stat.st_size - index.offset)
        chunk = chunk[: chunk.rfind(b"\n") + 1]
        base = len(index.buffer)
        index.buffer += chunk
        for match in _LINE.finditer(chunk):
            txn = int(match["txn"])
            if match["action"] == b"rollback":
                index.rolled_back.add(txn)
                continue
            record = match["record"].decode()
            index.by_record.setdefault(record, []).append(len(index.lines))
            parent, slash, _ = record.partition("/")
            if slash:
                index.by_parent.setdefault(parent, []).append(len(index.lines))
            index.lines.append((base + match.start(), base + match.end(), txn))
        index.offset += len(chunk)

    def history(self, committed_txn: int, record: str | None = None, children: bool = False) -> list[Entry]:
        """Entries of committed transactions only (rolled back ones left out), oldest first.

        With ``record``, only that record's entries, and with ``children`` also those
        of records under it (an arrangement's partners and risks).
        """
        self._catch_up()
        index = self._index
        if record is None:
            positions: list[int] = list(range(len(index.lines)))
        else:
            positions = list(index.by_record.get(record, []))
            if children:
                positions += index.by_parent.get(record, [])
            positions.sort()
        entries = []
        for position in positions:
            start, end, txn = index.lines[position]
            if txn > committed_txn or txn in index.rolled_back:
                continue
            try:
                entries.append(Entry.from_dict(orjson.loads(index.buffer[start:end])))
            except (orjson.JSONDecodeError, TypeError):
                continue
        return entries

    def verify(self, store_txn: int) -> tuple[list[str], list[str]]:
        """(errors, notes): a broken chain, a gap, a cut or edited log; interrupted writes are notes."""
        errors: list[str] = []
        notes: list[str] = []
        prev = GENESIS
        expected_seq = 1
        last_txn = 0
        rolled_back: set[int] = set()
        seen_txns: set[int] = set()
        try:
            handle = self._open()
        except StoreError as error:
            return [error.message], notes
        if handle is None:
            if store_txn:
                errors.append(f"the audit log {self.path} is missing but the store has {store_txn} transactions")
            return errors, notes
        with handle:
            for number, line in enumerate(handle, start=1):
                where = f"audit log line {number}"
                if not line.endswith(b"\n"):
                    notes.append(f"{where}: an interrupted write left a partial entry; it is cut at the next write")
                    break
                try:
                    entry = Entry.from_dict(orjson.loads(line))
                except (orjson.JSONDecodeError, TypeError):
                    errors.append(f"{where}: not a valid entry (the log was edited or damaged)")
                    prev = None  # type: ignore[assignment]
                    continue
                if entry.seq != expected_seq:
                    errors.append(f"{where}: entry {entry.seq} where {expected_seq} was expected (entries were removed)")
                expected_seq = entry.seq + 1
                if prev is not None and entry.prev != prev:
                    errors.append(f"{where}: does not follow the entry before it (the log was cut or altered)")
                if entry.compute_hash() != entry.hash:
                    errors.append(f"{where}: its content does not match its hash (the entry was edited)")
                prev = entry.hash
                if entry.action == "rollback":
                    rolled_back.add(int(entry.changes.get("txn", [0, 0])[1]))
                    continue
                if entry.txn < last_txn:
                    errors.append(f"{where}: transaction {entry.txn} after {last_txn} (entries out of order)")
                last_txn = max(last_txn, entry.txn)
                seen_txns.add(entry.txn)
        interrupted = {t for t in seen_txns if t > store_txn} - rolled_back
        if interrupted:
            notes.append(
                f"transaction {min(interrupted)} was interrupted before the store was written; "
                "its audit entries are marked as rolled back at the next write"
            )
        missing = [t for t in range(1, store_txn + 1) if t not in seen_txns]
        if missing:
            shown = ", ".join(str(t) for t in missing[:5]) + (" ..." if len(missing) > 5 else "")
            errors.append(f"the audit log has no entries for store transaction(s) {shown} (the log was cut)")
        return errors, notes

    def pending_rollbacks(self, store_txn: int) -> list[int]:
        """Transactions at the end of the log the store never got (a crash between the two writes)."""
        last = self.last_txn()
        return list(range(store_txn + 1, last + 1)) if last > store_txn else []


def _tail(fd: int, size: int) -> tuple[list[bytes], int]:
    """The complete lines at the end of the log (the last one whole) and the offset where they end."""
    chunk = min(size, 1 << 16)
    while True:
        tail = os.pread(fd, chunk, size - chunk)
        if tail.count(b"\n") >= 2 or chunk == size:
            break
        chunk = min(size, chunk * 4)
    complete = tail[: tail.rfind(b"\n") + 1]
    return complete.splitlines(), size - chunk + len(complete)
