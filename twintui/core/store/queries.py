"""What can be asked of a store: records by key, a table, an arrangement's children, counts, who may do what.

Reading takes no lock: the file is only ever replaced whole, and every read sees it as it is
now (the storage re-reads it when it changed). Each table is checked for a damaged document
once per read of the file, and the indexes by record key and by arrangement are rebuilt only
when the data changed. ``Store`` adds opening and every change to this.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from tinydb.queries import QueryLike

from ..errors import NotFoundError, StoreError
from ..model import Arrangement, Record, ids
from . import lazy, policy, shape
from .audit import AuditLog, audit_path_for
from .identity import acting_user
from .lazy import Tables
from .policy import Access
from .storage import DurableStorage
from .tables import TABLES

R = TypeVar("R", bound=Record)
T = TypeVar("T")


def utc_now() -> str:
    """The clock of a store's changes: UTC, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Queries:
    """One twintui store file with its audit log, as read."""

    def __init__(self, path: str | os.PathLike[str], *, user: str | None = None, lock_timeout: float = 30.0,
                 clock: Callable[[], str] = utc_now, access_file: Path | None = None):
        self.path = Path(path).expanduser().absolute()
        # The access file, whatever the header pins or TWINTUI_ACCESS says (the store service's; policy.path_for).
        self.access_file = access_file
        if not self.path.name:  # "/"
            raise StoreError(f"{self.path} is a folder; give the path of a store file, e.g. /srv/twintui/twintui.json")
        self.user = acting_user(user)
        self.clock = clock  # tests pin the time to get the same screens every day
        self.storage: DurableStorage = self.open_storage(lock_timeout)
        self.audit = AuditLog(audit_path_for(self.path), self.path)
        self._indexes: dict[str, tuple[int, dict[str, str]]] = {}
        self._parents: dict[str, tuple[int, dict[str, list[str]]]] = {}
        # The storage's load number at which the header and each table were found well shaped.
        self._header_checked = -1
        self._shaped: dict[str, int] = {}
        self._rows: dict[tuple[str, type], tuple[int, list[Any]]] = {}  # ``rows``, by table and row, per generation

    def open_storage(self, lock_timeout: float) -> DurableStorage:
        """The storage the reads and writes run on: the store's file (a client of the store service reads a
        mirror of the service's instead: ``twintui.service.remote``)."""
        return DurableStorage(self.path, lock_timeout=lock_timeout)

    def check_header(self) -> None:
        """Refuse a header damaged by hand (checked once for every read of the file)."""
        if self._header_checked == self.storage.loads:
            return
        found = shape.header_problems(self.storage.header)
        if found:
            raise self._damaged(found)
        self._header_checked = self.storage.loads

    def _damaged(self, found: list[str]) -> StoreError:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        return StoreError(f"{self.path} is damaged: {found[0]}{more}; nothing was changed. `twintui check` lists "
                          "every problem; fix the file by hand or restore a backup (twintui backups)")

    def stored(self, table: str) -> dict[str, dict[str, Any]]:
        """A table's documents as stored, by TinyDB document id (never change them but under the lock)."""
        with self.storage.mutex:  # (the documents, their load and its receipt: one read of the file)
            tables = self.storage.read() or {}
            docs = tables.get(table, {})
            loads = self.storage.loads
            if self._shaped.get(table) != loads:
                # Read from the file, so perhaps edited by hand: a damaged document would fail
                # wherever it is used, so every command refuses it here, once per read of the file,
                # unless this user's receipt says the very same file passed before (``receipts``).
                self.check_header()
                receipt = self.storage.receipt
                if receipt is None or not receipt.vouches(table):
                    found = shape.table_problems(table, docs)
                    if found:
                        raise self._damaged(found)
                    if receipt is not None and not self.storage.in_transaction:
                        receipt.passed(table, tables.proven() if isinstance(tables, Tables) else None)
                self._shaped[table] = loads
        return docs

    def snapshot(self) -> tuple[bytes, dict[str, tuple[int, int]]]:
        """The data held now in the store file's form, and where in those bytes each table is that was checked
        for damaged documents since it was read (``lazy.compact``): the store service's snapshot. Its client,
        told them, neither checks those tables again nor parses one it does not read. A damaged table is in
        the bytes but not named: a reader of it is refused as by the file (``stored``), the others read on."""
        with self.storage.mutex:
            self.storage.refresh()  # the file may have been changed by its owner (a restore by hand)
            tables = self.storage.read() or {}
            try:
                names = list(tables)
            except StoreError:  # a table that does not parse: the file as it is, each reader refused as by the file
                return self.storage.as_stored(), {}
            checked = set()
            for name in names:
                try:
                    self.stored(name)
                except StoreError:
                    continue
                checked.add(name)
            body, spans = lazy.compact(self.storage.header, tables)
            return body, {name: span for name, span in spans.items() if name in checked}

    def rows(self, cls: type[Record], row: type[T]) -> list[T]:
        """The stored documents of ``cls`` as ``row``s, a ``msgspec.Struct`` of only the fields a reader needs (each
        as the document holds it, None where it has none), kept for this state of the data (never change them).

        For the readers of 100,000s of documents (``core.progress.assess``): a table this user's receipt vouches
        for (``receipts``) is read straight from the file's bytes into rows, without making the documents'
        other fields (a large register's progress values have 15 each: half a second of parsing and 250 MB
        less); any other table is read as always (its shape checked) and made into rows."""
        import msgspec

        with self.storage.mutex:
            self.storage.refresh()
            generation, key = self.storage.generation, (cls.TABLE, row)
            cached = self._rows.get(key)
            if cached is not None and cached[0] == generation:
                return cached[1]  # type: ignore[no-any-return]
            tables = self.storage.read()
            receipt = self.storage.receipt
            raw = tables.trusted_bytes(cls.TABLE) if isinstance(tables, Tables) else None
            made: list[T] | None = None
            if raw is not None and receipt is not None and receipt.vouches(cls.TABLE) and \
                    not self.storage.in_transaction:
                self.check_header()
                try:
                    made = list(msgspec.json.decode(raw, type=dict[str, row]).values())
                except (msgspec.DecodeError, msgspec.ValidationError):
                    made = None  # not what the receipt said: read as always, which says what is wrong
            if made is None:
                made = msgspec.convert(list(self.stored(cls.TABLE).values()), list[row])
            self._rows = {k: v for k, v in self._rows.items() if v[0] == generation}
            self._rows[key] = (generation, made)
            return made

    def key_index(self, cls: type[Record]) -> dict[str, str]:
        """Record key → TinyDB document id, rebuilt only when the data changed."""
        generation = self.storage.generation
        cached = self._indexes.get(cls.TABLE)
        if cached and cached[0] == generation:
            return cached[1]
        raw = self.stored(cls.TABLE)
        parent = cls.PARENT
        if parent:
            index = {f"{doc.get(parent)}/{doc.get('id')}": doc_id for doc_id, doc in raw.items()}
        else:
            index = {doc.get("id"): doc_id for doc_id, doc in raw.items()}
        self._indexes[cls.TABLE] = (generation, index)
        return index

    def follow_indexes(self, before: int, changed: dict[str, list[tuple[str, Any, Any]]]) -> None:
        """The data went from generation ``before`` to the storage's by ``changed`` (by table: each document id with
        its document before and after, None where there was or is none): the indexes built for ``before`` are
        changed where the documents changed, instead of being built again from whole tables. (A client of
        the store service, after each delta: at 10,000 arrangements a rebuild is some milliseconds a table.)"""
        now = self.storage.generation
        for table, (seen, index) in list(self._indexes.items()):
            if seen != before:
                continue
            parent = TABLES[table].PARENT
            for doc_id, old, new in changed.get(table, ()):
                for doc, put in ((old, False), (new, True)):
                    if doc is None:
                        continue
                    key = f"{doc.get(parent)}/{doc.get('id')}" if parent else doc.get("id")
                    if put:
                        index[key] = doc_id
                    elif index.get(key) == doc_id:
                        del index[key]
            self._indexes[table] = (now, index)
        for table, (seen, parents) in list(self._parents.items()):
            if seen != before:
                continue
            for doc_id, old, new in changed.get(table, ()):
                if old is not None and doc_id in parents.get(old.get("arrangement"), ()):
                    parents[old.get("arrangement")].remove(doc_id)
                if new is not None:
                    parents.setdefault(new.get("arrangement"), []).append(doc_id)
            self._parents[table] = (now, parents)

    def carry_indexes(self, generation: int) -> None:
        """The indexes built for ``generation`` were kept up to date by a write: valid for the new data."""
        for table, (seen, index) in list(self._indexes.items()):
            if seen == generation:
                self._indexes[table] = (self.storage.generation, index)

    def forget_indexes(self) -> None:
        """After a write that replaced the tables whole (a restore): every index is rebuilt."""
        self._indexes.clear()
        self._parents.clear()

    def stored_doc(self, cls: type[Record], key: str) -> dict[str, Any] | None:
        """The stored document of the record ``key`` of ``cls``'s table, None if there is none."""
        doc_id = self.key_index(cls).get(key)
        return None if doc_id is None else self.stored(cls.TABLE).get(doc_id)

    def get(self, cls: type[R], key: str) -> R | None:
        with self.storage.mutex:
            self.storage.refresh()
            doc = self.stored_doc(cls, key)
            return None if doc is None else cls.from_doc(doc)

    def require(self, cls: type[R], key: str) -> R:
        found = self.get(cls, key)
        if found is None:
            raise NotFoundError(f"there is no {cls.__name__.lower()} {key} in the store")
        return found

    def docs(self, cls: type[Record]) -> list[dict[str, Any]]:
        """The stored documents as they are, for fast read-only scans (never change them)."""
        with self.storage.mutex:
            self.storage.refresh()
            return list(self.stored(cls.TABLE).values())

    def all(self, cls: type[R]) -> list[R]:
        return [cls.from_doc(doc) for doc in self.docs(cls)]

    def find(self, cls: type[R], query: QueryLike) -> list[R]:
        """Records matching a TinyDB query, e.g. ``where('reporting_state') == 'NOR'``."""
        return [cls.from_doc(doc) for doc in self.docs(cls) if query(doc)]

    def children(self, cls: type[R], arrangement_id: str) -> list[R]:
        """An arrangement's partners (or risks, ...), in the order of their numbers."""
        with self.storage.mutex:
            self.storage.refresh()
            raw = self.stored(cls.TABLE)
            docs = [raw[doc_id] for doc_id in self._parent_index(cls).get(arrangement_id, ())]
        return sorted((cls.from_doc(doc) for doc in docs), key=lambda r: ids.number_of(r.id))

    def _parent_index(self, cls: type[Record]) -> dict[str, list[str]]:
        """Arrangement id → document ids of its children, rebuilt only when the data changed."""
        generation = self.storage.generation
        cached = self._parents.get(cls.TABLE)
        if cached and cached[0] == generation:
            return cached[1]
        index: dict[str, list[str]] = {}
        for doc_id, doc in self.stored(cls.TABLE).items():
            index.setdefault(doc.get("arrangement"), []).append(doc_id)
        self._parents[cls.TABLE] = (generation, index)
        return index

    def count(self, cls: type[Record]) -> int:
        with self.storage.mutex:
            self.storage.refresh()
            return len(self.stored(cls.TABLE))

    @property
    def txn(self) -> int:
        """The number of the last committed transaction."""
        with self.storage.mutex:
            self.storage.refresh()
            self.check_header()
            return int(self.storage.header.get("txn", 0))

    def history(self, key: str | None = None, children: bool = False) -> list[Any]:
        """Audit entries (of committed transactions), optionally of one record key (and its children)."""
        return self.audit.history(self.txn, key, children)

    def access(self) -> Access:
        """What the current user may do here, read afresh from the access file (``policy``)."""
        with self.storage.mutex:
            if not self.storage.in_transaction:
                self.storage.refresh()
            header = dict(self.storage.header)
        return policy.access_for(self.user, self.path, header, self._arrangement_doc, self.access_file)

    def _arrangement_doc(self, arrangement_id: str) -> dict[str, Any] | None:
        found = self.get(Arrangement, arrangement_id)
        return None if found is None else found.to_doc()

    def next_txn(self) -> int:
        """The number the next transaction gets (after any the log has and the store has not)."""
        return max(int(self.storage.header.get("txn", 0)), self.audit.last_txn()) + 1
