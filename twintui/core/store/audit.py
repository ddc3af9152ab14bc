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

import contextlib
import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..errors import StoreError
from .storage import describe_os_error

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

    def body(self) -> dict[str, Any]:
        return {
            "seq": self.seq, "txn": self.txn, "at": self.at, "user": self.user, "source": self.source,
            "action": self.action, "table": self.table, "record": self.record, "changes": self.changes,
            "prev": self.prev,
        }

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


# One entry line; keys are sorted (see Entry.to_line), so these fields come in this order.
_LINE = re.compile(
    rb'^\{"action":"(?P<action>[a-z-]*)".*?"prev":"[0-9a-f]{64}","record":"(?P<record>(?:[^"\\]|\\.)*)",'
    rb'"seq":\d+,.*"txn":(?P<txn>\d+),"user":"(?:[^"\\]|\\.)*"\}$',
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


class AuditLog:
    def __init__(self, path: Path, store_path: Path | None = None):
        self.path = path
        # A new log takes the store's mode and group, so every member of the group can append.
        self.store_path = store_path
        self._index = _LogIndex()  # what history() has read so far
        self._tail: tuple[tuple[int, int], int, int, str] | None = None  # (identity, seq, txn, hash)

    def _last(self) -> tuple[int, int, str]:
        """seq, txn and hash of the last complete entry; a torn last line is cut off."""
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return 0, 0, GENESIS
        identity = (stat.st_ino, stat.st_size)
        if self._tail and self._tail[0] == identity:
            return self._tail[1], self._tail[2], self._tail[3]
        with open(self.path, "rb+") as handle:
            size = stat.st_size
            chunk = min(size, 1 << 16)
            while True:
                handle.seek(size - chunk)
                tail = handle.read(chunk)
                if tail.endswith(b"\n") and tail.count(b"\n") >= 2 or chunk == size:
                    break
                chunk = min(size, chunk * 4)
            if size and not tail.endswith(b"\n"):
                # A write was cut off (crash, full disk): that entry's transaction
                # never reached the store, so the partial line is dropped.
                cut = tail.rfind(b"\n") + 1
                handle.truncate(size - chunk + cut)
                handle.flush()
                os.fsync(handle.fileno())
                tail = tail[:cut]
        lines = tail.splitlines()
        if not lines:
            return 0, 0, GENESIS
        try:
            last = orjson.loads(lines[-1])
            seq, txn, digest = int(last["seq"]), int(last["txn"]), str(last["hash"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            raise StoreError(f"the audit log {self.path} is damaged at its end; run twintui check") from None
        stat = os.stat(self.path)
        self._tail = ((stat.st_ino, stat.st_size), seq, txn, digest)
        return seq, txn, digest

    def last_txn(self) -> int:
        return self._last()[1]

    def append(self, txn: int, user: str, source: str, changes: Iterable[Change], at: str | None = None) -> list[Entry]:
        """Append the entries of one transaction and make them durable. Call under the store lock."""
        seq, _, prev = self._last()
        when = at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        entries = []
        for change in changes:
            seq += 1
            entry = Entry(seq, txn, when, user, source, change.action, change.table, change.record,
                          change.changes, prev)
            entry.hash = entry.compute_hash()
            prev = entry.hash
            entries.append(entry)
        if not entries:
            return entries
        payload = b"".join(entry.to_line() for entry in entries)
        try:
            like = os.stat(self.store_path) if self.store_path else None
        except OSError:
            like = None
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o660)
        except OSError as error:
            raise StoreError(describe_os_error(error, self.path, "write the audit log")) from None
        try:
            if like is not None and os.fstat(fd).st_size == 0:
                os.fchmod(fd, like.st_mode & 0o666)
                with contextlib.suppress(OSError):  # allowed for the file's owner within their groups
                    os.fchown(fd, -1, like.st_gid)
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        except OSError as error:
            # Leave no half entry behind: cut the file back to where it was.
            try:
                os.ftruncate(fd, os.fstat(fd).st_size - (len(payload) - len(view)))
            except OSError:
                pass
            self._tail = None
            raise StoreError(describe_os_error(error, self.path, "write the audit log") + "; nothing was changed") \
                from None
        finally:
            os.close(fd)
        stat = os.stat(self.path)
        self._tail = ((stat.st_ino, stat.st_size), seq, txn, prev)
        return entries

    def entries(self) -> Iterator[Entry]:
        """Every complete entry, oldest first (damaged lines are skipped; ``verify`` reports them)."""
        try:
            handle = open(self.path, "rb")
        except FileNotFoundError:
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
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            self._index = _LogIndex()
            return
        index = self._index
        if index.inode != stat.st_ino or stat.st_size < index.offset:
            index = self._index = _LogIndex(inode=stat.st_ino)
        if stat.st_size <= index.offset:
            return
        with open(self.path, "rb") as handle:
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
            handle = open(self.path, "rb")
        except FileNotFoundError:
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
