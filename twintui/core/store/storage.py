"""A durable TinyDB storage for a file that many users and processes share.

Why not TinyDB's JSONStorage: it rewrites the file in place (a crash half-way
leaves half a file), parses the whole file on every read, and knows nothing of
other processes. This storage

- keeps the parsed data in memory and re-reads it only when the file changed
  (another process replaced it): the file's identity and a random token that
  every write puts at the head of the file tell;
- writes only inside ``transaction()``, which holds an inter-process lock
  (filelock), so read-modify-write cycles of different processes never
  interleave; TinyDB's writes inside are collected and written once;
- writes to a temporary file in the same folder, fsyncs it, ``os.replace``s the
  store with it and fsyncs the folder: the store is always the old or the new
  version, never a mix, even after a crash or a full disk;
- gives the new file the mode and group of the old one, so a store shared by a
  Unix group stays group-writable; a user who may not write the old one may not
  replace it either;
- reads and writes through ``twintui.core.files`` only, so a link, FIFO or device
  put in the store's place is refused, never followed.

The file is a JSON object: ``"_twintui"`` (the header: schema version,
transaction number, token, id counters) first, then one object per TinyDB table.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from tinydb.storages import Storage

from .. import files
from ..errors import StoreError
from . import lazy
from .journal import Journal
from .lazy import APP, Tables, parse

if TYPE_CHECKING:
    from filelock import FileLock

    from .receipts import Checked, Receipt

HEADER = lazy.HEADER
# Documents are serialised in chunks of doc ids; an edit re-serialises only its
# chunk, so a commit on a 10,000-arrangement store costs a copy, not a dump.
CHUNK = 256
# Bytes at the head of the file that hold the header's token (see _head()).
_HEAD_BYTES = 160


def _head_of(parts: Sequence[bytes]) -> bytes:
    """The first bytes of the file these parts make, as ``_peek`` reads them back."""
    head = b""
    for part in parts:
        head += part[: _HEAD_BYTES - len(head)]
        if len(head) >= _HEAD_BYTES:
            break
    return head


class DurableStorage(Storage):
    """TinyDB storage: cached reads, locked transactions, atomic durable writes."""

    def __init__(self, path: str | os.PathLike[str], lock_timeout: float = 30.0):
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.lock_timeout = lock_timeout
        self._flock: FileLock | None = None
        self.mutex = threading.RLock()  # workers of one process share this object
        self.header: dict[str, Any] = {}
        self._tables: Tables | None = None
        self._identity: tuple[int, int, int] | None = None
        self._head: bytes = b""
        self._in_transaction = False
        self._dirty = False
        # table -> chunk number -> serialised docs; chunks to serialise again; tables fully cached
        self._chunks: dict[str, dict[int, bytes]] = {}
        self._stale: dict[str, set[int]] = {}
        self._complete: set[str] = set()
        # Bumped whenever the data is replaced, so callers can drop their indexes.
        self.generation = 0
        # Bumped whenever the data comes from the file (not from our own commit): what it holds was
        # not written by this process, so the store checks its shape again.
        self.loads = 0
        # What an earlier check of the file as read vouches for (``receipts``; None: data not read from a file).
        self.receipt: Receipt | Checked | None = None
        # What each of our commits changed, kept for the store service's clients (``start_journal``).
        self.journal: Journal | None = None
        self._touched: set[tuple[str, str]] | None = None  # in a transaction: what its writes touched
        self._counters_before: dict[str, int] = {}

    # -- TinyDB's interface -------------------------------------------------
    def read(self) -> Tables | None:
        with self.mutex:
            if not self._in_transaction:
                self.refresh()
            return self._tables

    def write(self, data: dict[str, Any]) -> None:
        """TinyDB's write: we cannot know what changed, so every cached chunk is dropped."""
        self.write_changes(data, None)

    def write_changes(self, data: dict[str, Any], touched: set[tuple[str, str]] | None) -> None:
        """Collect a write for the commit; ``touched`` names the (table, doc id) pairs that changed."""
        with self.mutex:
            if not self._in_transaction:
                raise StoreError("internal: a write outside a store transaction was refused")
            self._tables = data if isinstance(data, Tables) else Tables(data)
            self._dirty = True
            if touched is None:
                self._forget_chunks()
                self._touched = None
            else:
                if self._touched is not None:
                    self._touched |= touched
                for table, doc_id in touched:
                    self._stale.setdefault(table, set()).add(int(doc_id) // CHUNK)

    def _forget_chunks(self) -> None:
        self._chunks, self._stale, self._complete = {}, {}, set()

    def close(self) -> None:
        pass

    def start_journal(self) -> Journal:
        """Keep a journal of this storage's commits from now on (``twintui.core.store.journal``)."""
        with self.mutex:
            if self.journal is None:
                self.journal = Journal(self.generation)
            return self.journal

    # -- reading ------------------------------------------------------------
    def refresh(self) -> bool:
        """Re-read the file if another process replaced it since we last read it."""
        with self.mutex:
            try:
                stat = os.lstat(self.path)  # only to see whether it changed: _load checks what it is
            except FileNotFoundError:
                if self._tables is None or self._identity is not None:
                    self._set({}, Tables({}), None, b"")
                    return True
                return False
            except OSError as error:
                raise StoreError(files.failed(error, self.path, "read").message) from None
            identity = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
            if identity == self._identity and self._tables is not None and self._peek() == self._head:
                return False
            self._load()
            return True

    def _peek(self) -> bytes:
        try:
            fd, _ = files.open_file(self.path)
        except (OSError, files.FileError):
            return b""
        with os.fdopen(fd, "rb") as handle:
            return handle.read(_HEAD_BYTES)

    def _load(self) -> None:
        try:
            fd, stat = files.open_file(self.path)
            with os.fdopen(fd, "rb") as handle:
                raw = handle.read()
        except files.FileError as error:
            raise StoreError(f"{error.message}; --db names a twintui store file (or a new one to start)") from None
        except OSError as error:
            raise StoreError(files.failed(error, self.path, "read").message) from None
        identity = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if not raw.strip():
            # A new, empty file (e.g. made with touch) is an empty store.
            self._set({}, Tables({}), identity, raw[:_HEAD_BYTES])
            return
        header, tables = parse(raw, self.path)
        self.loads += 1
        self._set(header, tables, identity, raw[:_HEAD_BYTES])
        from . import receipts

        self.receipt = receipts.read(self.path, stat, header)
        if self.receipt is not None:
            tables.trust(self.receipt.spans)  # where an earlier read of these very bytes found the tables

    def _set(self, header: dict[str, Any], tables: Tables, identity: Any, head: bytes,
             keep_chunks: bool = False) -> None:
        """The data is now this; ``keep_chunks``: it is our own commit's, whose writes named what they touched."""
        if not keep_chunks:
            self._forget_chunks()
        self.receipt = None
        self.header = header
        self._tables = tables
        self._identity = identity
        self._head = head
        self.generation += 1
        if self.journal is not None:
            if keep_chunks and self._touched is not None:
                self.journal.record(self.generation, tables, header, self._touched, self._counters_before)
            else:
                self.journal.restart(self.generation)

    def as_stored(self) -> bytes:
        """The data held now in the store file's form: the file's own bytes while they are that data (after a
        read of it or our own commit), serialised only when they are not. (The store service's snapshot.)"""
        with self.mutex:
            if self._identity is not None and not self._in_transaction:
                try:
                    fd, stat = files.open_file(self.path)
                    with os.fdopen(fd, "rb") as handle:
                        raw = handle.read()
                except (OSError, files.FileError):
                    raw = b""
                else:
                    identity = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
                    if identity != self._identity or raw[:_HEAD_BYTES] != self._head:
                        raw = b""  # replaced since: what it holds is not the data held
                if raw.strip():
                    return raw
            return orjson.dumps({HEADER: self.header, **(self._tables or {})})

    # -- writing ------------------------------------------------------------
    def file_mode(self) -> tuple[int, int | None]:
        """(mode, group) for a file made beside the store: the store's, never wider than 0660."""
        try:
            like = files.existing(self.path)
        except files.FileError as error:
            raise StoreError(error.message) from None
        if like is None:
            return files.new_file_mode(files.PRIVATE), None
        return like.st_mode & files.PRIVATE, like.st_gid

    def check_writable(self) -> os.stat_result | None:
        """The store file's fstat, refused unless this user may write it and replace it in its folder
        (None: there is none yet). Called before anything is written, so a refusal leaves nothing behind."""
        try:
            like = files.existing(self.path, writable=True)
        except files.FileError as error:
            raise StoreError(f"{error.message}; nothing was changed") from None
        if not os.access(self.path.parent, os.W_OK | os.X_OK):
            raise StoreError(f"could not write {self.path}: its folder {self.path.parent} is not writable for you: "
                             f"{files.reason_of(PermissionError(errno.EACCES, ''))}; nothing was changed")
        return like

    def _file_lock(self) -> FileLock:
        # The lock file is made here, with the store's group and mode, and never changed after:
        # another member may have replaced it by a link (filelock opens it with O_NOFOLLOW).
        mode, gid = self.file_mode()
        mode |= 0o600  # whoever takes the lock opens it for writing
        try:
            files.create(self.lock_path, mode, gid)
        except files.FileError as error:
            raise StoreError(error.message) from None
        if self._flock is None:
            # Imported here (with the logging it brings): a command that only reads takes no lock.
            from filelock import FileLock

            self._flock = FileLock(self.lock_path, timeout=self.lock_timeout, mode=mode, thread_local=False)
        return self._flock

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the lock, re-read if changed, collect writes, write once on success.

        On an exception nothing is written and the in-memory data is dropped,
        so the next read comes from the file again.
        """
        with self.mutex:
            if self._in_transaction:
                raise StoreError("internal: store transactions cannot be nested")
            lock = self._file_lock()
            from filelock import Timeout

            try:
                lock.acquire()
            except Timeout:
                raise StoreError(
                    f"the store {self.path} is locked by another twintui process for more than "
                    f"{self.lock_timeout:g} s; try again, or check for a stuck process"
                ) from None
            except OSError as error:
                raise StoreError(files.failed(error, self.lock_path, "lock").message) from None
            try:
                self.refresh()
                self._in_transaction = True
                self._dirty = False
                self._touched = set()
                if self.journal is not None:  # (a copy: whatever the commit does to the header's)
                    self._counters_before = dict(self.header.get("counters") or {})
                try:
                    yield
                    if self._dirty:
                        self._commit()
                except BaseException:
                    self._identity = None  # in-memory tables may be half-changed: re-read
                    self._tables = None
                    raise
                finally:
                    self._in_transaction = False
            finally:
                lock.release()

    def _commit(self) -> None:
        header = dict(self.header)
        header["app"] = APP
        header["txn"] = int(header.get("txn", 0))
        header["token"] = secrets.token_hex(16)
        ordered = {"app": header.pop("app"), "schema": header.pop("schema", None), "txn": header.pop("txn"),
                   "token": header.pop("token")}
        ordered.update(header)
        parts = [b'{"', HEADER.encode(), b'":', orjson.dumps(ordered)]
        tables = self._tables if self._tables is not None else Tables({})
        for name, as_read in tables.unparsed():
            if as_read is not None:  # never parsed, so unchanged: its bytes as they were read
                parts += [b",", orjson.dumps(name), b":", as_read]
                continue
            parts += [b",", orjson.dumps(name), b":{"]
            for number, chunk in enumerate(self._serialise(name, tables[name])):
                parts += [b",", chunk] if number else [chunk]
            parts.append(b"}")
        parts.append(b"}")
        head = _head_of(parts)
        like = self.check_writable()
        try:
            if like is None:  # a new store: no access for others, whatever the umask allows
                files.replace(self.path, parts, mode=files.new_file_mode(files.PRIVATE))
            else:
                files.replace(self.path, parts, mode=like.st_mode & 0o7777, gid=like.st_gid)
        except files.FileError as error:
            raise StoreError(f"{error.message}; nothing was changed") from None
        stat = os.lstat(self.path)
        self._set(ordered, tables, (stat.st_ino, stat.st_size, stat.st_mtime_ns), head,
                  keep_chunks=True)

    def _serialise(self, name: str, table: dict[str, Any]) -> list[bytes]:
        """The table's documents as JSON members, chunk by chunk, re-using unchanged chunks.

        Document ids are whole numbers (TinyDB's and the store's rule), so a changed chunk's
        documents are found by their ids, without a pass over the whole table.
        """
        cache = self._chunks.setdefault(name, {})
        stale = self._stale.pop(name, set())
        if name in self._complete:
            for number in stale:
                docs = {}
                for doc_id in range(number * CHUNK, (number + 1) * CHUNK):
                    key = str(doc_id)
                    if key in table:
                        docs[key] = table[key]
                if docs:
                    cache[number] = orjson.dumps(docs)[1:-1]
                else:
                    cache.pop(number, None)
        else:
            # A fresh read: group every document once.
            cache.clear()
            groups: dict[int, dict[str, Any]] = {}
            for doc_id, doc in table.items():
                groups.setdefault(int(doc_id) // CHUNK, {})[doc_id] = doc
            for number, docs in groups.items():
                cache[number] = orjson.dumps(docs)[1:-1]
            self._complete.add(name)
        return [cache[number] for number in sorted(cache)]

    @property
    def in_transaction(self) -> bool:
        return self._in_transaction
