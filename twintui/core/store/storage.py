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
  Unix group stays group-writable.

The file is a JSON object: ``"_twintui"`` (the header: schema version,
transaction number, token, id counters) first, then one object per TinyDB table.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout
from tinydb.storages import Storage

from ..errors import StoreError

HEADER = "_twintui"
APP = "twintui"
# Documents are serialised in chunks of doc ids; an edit re-serialises only its
# chunk, so a commit on a 10,000-arrangement store costs a copy, not a dump.
CHUNK = 256
# Bytes at the head of the file that hold the header's token (see _head()).
_HEAD_BYTES = 160


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomically(path: Path, payload: bytes | Sequence[bytes], like: os.stat_result | None = None) -> None:
    """Replace ``path`` with ``payload`` (bytes, or parts written one after the other, which
    spares joining a large store in memory): temp file, fsync, rename, fsync folder.

    ``like`` gives the mode and group to keep; without it the file gets the
    default mode for new files (0666 less the umask), as ``open`` would.
    """
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if like is not None:
            os.fchmod(fd, like.st_mode & 0o7777)
            with contextlib.suppress(OSError):  # only the owner or root may change the group
                os.fchown(fd, -1, like.st_gid)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o660 & ~umask)  # contacts are personal data: no access for others
        for part in [payload] if isinstance(payload, bytes) else payload:
            view = memoryview(part)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp_name, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_folder(folder)


def describe_os_error(error: OSError, path: Path, doing: str) -> str:
    reason = error.strerror or str(error)
    if error.errno == errno.ENOSPC:
        reason = "no space left on the device"
    elif error.errno in (errno.EACCES, errno.EPERM):
        reason = "permission denied (check the file's group and mode, see README: shared server)"
    return f"could not {doing} {path}: {reason}"


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
        self._tables: dict[str, Any] | None = None
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

    # -- TinyDB's interface -------------------------------------------------
    def read(self) -> dict[str, Any] | None:
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
            self._tables = data
            self._dirty = True
            if touched is None:
                self._forget_chunks()
            else:
                for table, doc_id in touched:
                    self._stale.setdefault(table, set()).add(int(doc_id) // CHUNK)

    def _forget_chunks(self) -> None:
        self._chunks, self._stale, self._complete = {}, {}, set()

    def close(self) -> None:
        pass

    # -- reading ------------------------------------------------------------
    def refresh(self) -> bool:
        """Re-read the file if another process replaced it since we last read it."""
        with self.mutex:
            try:
                stat = os.stat(self.path)
            except FileNotFoundError:
                if self._tables is None or self._identity is not None:
                    self._set({}, {}, None, b"")
                    return True
                return False
            except OSError as error:
                raise StoreError(describe_os_error(error, self.path, "read")) from None
            identity = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
            if identity == self._identity and self._tables is not None and self._peek() == self._head:
                return False
            self._load()
            return True

    def _peek(self) -> bytes:
        try:
            with open(self.path, "rb") as handle:
                return handle.read(_HEAD_BYTES)
        except OSError:
            return b""

    def _load(self) -> None:
        try:
            with open(self.path, "rb") as handle:
                stat = os.fstat(handle.fileno())
                raw = handle.read()
        except IsADirectoryError:
            raise StoreError(f"{self.path} is a folder, not a twintui store file") from None
        except OSError as error:
            raise StoreError(describe_os_error(error, self.path, "read")) from None
        identity = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if not raw.strip():
            # A new, empty file (e.g. made with touch) is an empty store.
            self._set({}, {}, identity, raw[:_HEAD_BYTES])
            return
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise StoreError(
                f"{self.path} is damaged: it is not valid JSON ({error}). Copy the latest backup from "
                f"{self.path.parent / (self.path.stem + '-backups')} over it, or move the file away."
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get(HEADER), dict) or data[HEADER].get("app") != APP:
            raise StoreError(
                f"{self.path} is not a twintui store (no twintui header). "
                "Point --db or TWINTUI_DB at a twintui store, or at a new file name to start one."
            )
        header = data.pop(HEADER)
        for name, table in data.items():
            if not isinstance(table, dict):
                raise StoreError(f"{self.path} is damaged: table '{name}' is not a JSON object")
        self._set(header, data, identity, raw[:_HEAD_BYTES])

    def _set(self, header: dict[str, Any], tables: dict[str, Any], identity: Any, head: bytes,
             keep_chunks: bool = False) -> None:
        if not keep_chunks:
            self._forget_chunks()
        self.header = header
        self._tables = tables
        self._identity = identity
        self._head = head
        self.generation += 1

    def exists(self) -> bool:
        return self.path.exists() and self.path.stat().st_size > 0

    # -- writing ------------------------------------------------------------
    def _file_lock(self) -> FileLock:
        if self._flock is None:
            mode = 0o664
            with contextlib.suppress(OSError):
                mode = self.path.stat().st_mode & 0o666
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
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._file_lock().acquire()
            except Timeout:
                raise StoreError(
                    f"the store {self.path} is locked by another twintui process for more than "
                    f"{self.lock_timeout:g} s; try again, or check for a stuck process"
                ) from None
            except OSError as error:
                raise StoreError(describe_os_error(error, self.lock_path, "lock")) from None
            self._share_lock_file()
            try:
                self.refresh()
                self._in_transaction = True
                self._dirty = False
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
                self._file_lock().release()

    def _share_lock_file(self) -> None:
        """Give a lock file we created the store's group, so the other members can take the lock too."""
        try:
            store, lock = os.stat(self.path), os.stat(self.lock_path)
        except OSError:
            return
        if lock.st_uid == os.getuid() and lock.st_gid != store.st_gid:
            with contextlib.suppress(OSError):
                os.chown(self.lock_path, -1, store.st_gid)
                os.chmod(self.lock_path, store.st_mode & 0o666)

    def mark_dirty(self) -> None:
        self._dirty = True

    def _commit(self) -> None:
        header = dict(self.header)
        header["app"] = APP
        header["txn"] = int(header.get("txn", 0))
        header["token"] = secrets.token_hex(16)
        ordered = {"app": header.pop("app"), "schema": header.pop("schema", None), "txn": header.pop("txn"),
                   "token": header.pop("token")}
        ordered.update(header)
        parts = [b'{"', HEADER.encode(), b'":', orjson.dumps(ordered)]
        for name, table in (self._tables or {}).items():
            parts += [b",", orjson.dumps(name), b":{"]
            for number, chunk in enumerate(self._serialise(name, table)):
                parts += [b",", chunk] if number else [chunk]
            parts.append(b"}")
        parts.append(b"}")
        head = _head_of(parts)
        try:
            like = os.stat(self.path)
        except FileNotFoundError:
            like = None
        try:
            write_atomically(self.path, parts, like)
        except OSError as error:
            raise StoreError(describe_os_error(error, self.path, "write") + "; nothing was changed") from None
        stat = os.stat(self.path)
        self._set(ordered, self._tables or {}, (stat.st_ino, stat.st_size, stat.st_mtime_ns), head,
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
