"""The Twinning Register store: records in TinyDB, revisions, conflicts, audit, backups.

Reading is free of locks (the file is only ever replaced whole). Every change
goes through a ``Transaction``: the caller lists what to save or delete, and
``commit`` then, under the inter-process lock and on freshly re-read data,
checks every revision (a stale one raises ``ConflictError`` carrying both
versions), validates every record, assigns ids, bumps revisions, writes the
audit entries and finally the store, once. Either all of it lands or none.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pwd
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from tinydb import TinyDB
from tinydb.queries import QueryLike

from ..errors import (
    AccessError,
    ConflictError,
    NotFoundError,
    StoreError,
    ValidationError,
)
from ..model import RECORD_TYPES, Arrangement, Problem, Record, errors, ids, validate
from . import backups
from .audit import AuditLog, Change
from .storage import DurableStorage

R = TypeVar("R", bound=Record)

SCHEMA = 1

# Upgrades of older stores: MIGRATIONS[n] turns a schema-n (header, tables) into n+1.
MIGRATIONS: dict[int, Callable[[dict[str, Any], dict[str, Any]], None]] = {}


def current_user() -> str:
    """The operating-system user: who a change is attributed to (never an env variable)."""
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return f"uid{os.getuid()}"


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def audit_path_for(store_path: Path) -> Path:
    return store_path.with_name(store_path.stem + ".audit.jsonl")


@dataclass
class _Op:
    kind: str  # "save" or "delete"
    record: Record
    parent: Record | None = None  # a new arrangement whose id a new child takes


@dataclass
class Transaction:
    """What one commit will do; filled by the caller, carried out by ``Store.commit``."""

    source: str
    backup: str | None = None  # reason: take a backup copy before writing
    ops: list[_Op] = field(default_factory=list)
    notes: list[Change] = field(default_factory=list)
    # After commit: the records as stored (with ids and revisions), in the order saved.
    saved: list[Record] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    txn: int | None = None
    # Called under the lock before anything is written (raise to refuse); each returns what to
    # write once the audit entries are durable (the access commands write the access file so).
    effects: list[Callable[[], Callable[[], None]]] = field(default_factory=list)
    header: dict[str, Any] = field(default_factory=dict)  # store header entries to set with this commit

    def save(self, record: Record, parent: Record | None = None) -> None:
        """Save ``record``; ``parent`` is a new arrangement saved earlier in this transaction."""
        self.ops.append(_Op("save", record, parent))

    def delete(self, record: Record) -> None:
        self.ops.append(_Op("delete", record))

    def note(self, action: str, record: str = "", **changes: Any) -> None:
        """An audit entry that is not a record change (an import's file hash, a grant)."""
        self.notes.append(Change(action, "", record, {k: [None, v] for k, v in changes.items()}))

    def result(self, record: Record) -> Record:
        """The stored version of a record saved in this transaction."""
        for op, stored in zip((o for o in self.ops if o.kind == "save"), self.saved, strict=False):
            if op.record is record:
                return stored
        raise KeyError(record)


class Store:
    """One twintui store file with its audit log and backups."""

    def __init__(self, path: str | os.PathLike[str], *, user: str | None = None, lock_timeout: float = 30.0,
                 clock: Callable[[], str] = utc_now):
        self.path = Path(path).expanduser().absolute()
        self.user = user or current_user()
        self.clock = clock  # tests pin the time to get the same screens every day
        self.db = TinyDB(self.path, storage=DurableStorage, lock_timeout=lock_timeout)
        self.storage: DurableStorage = self.db.storage  # type: ignore[assignment]
        self.audit = AuditLog(audit_path_for(self.path), self.path)
        self._indexes: dict[str, tuple[int, dict[str, str]]] = {}
        self._parents: dict[str, tuple[int, dict[str, list[str]]]] = {}

    # -- opening ------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True, **kwargs: Any) -> Store:
        """Open (and, with ``create``, start) a store; StoreError says what is wrong with a bad file."""
        store = cls(path, **kwargs)
        if store.path.is_dir():
            raise StoreError(f"{store.path} is a folder; give the path of a store file, e.g. {store.path}/twintui.json")
        store.storage.refresh()
        if not store.storage.header:
            if not create:
                raise StoreError(f"there is no twintui store at {store.path}")
            store._initialise()
        store._check_schema()
        return store

    def _initialise(self) -> None:
        with self.storage.transaction():
            if not self.storage.header:  # another process may have started it meanwhile
                self.storage.header.update({"schema": SCHEMA, "txn": 0, "counters": {}})
                self.storage.write({name: {} for name in RECORD_TYPES})

    def _check_schema(self) -> None:
        schema = self.storage.header.get("schema")
        if not isinstance(schema, int) or schema < 1:
            raise StoreError(f"{self.path} is damaged: its schema version {schema!r} is not valid")
        if schema > SCHEMA:
            raise StoreError(
                f"{self.path} was written by a newer twintui (store schema {schema}; this version reads up to "
                f"{SCHEMA}). Upgrade twintui (pip install -U twintui)."
            )
        if schema < SCHEMA:
            self._migrate()

    def _migrate(self) -> None:
        with self.storage.transaction():
            header, tables = self.storage.header, self.storage.read() or {}
            start = header["schema"]
            if start >= SCHEMA:
                return
            backups.make(self.path, f"before-schema-{SCHEMA}")
            for version in range(start, SCHEMA):
                MIGRATIONS[version](header, tables)
                header["schema"] = version + 1
            txn = self._next_txn()
            self.audit.append(txn, self.user, "migration",
                              [Change("migrate", changes={"schema": [start, SCHEMA]})])
            header["txn"] = txn
            self.storage.write(tables)

    # -- reading ------------------------------------------------------------
    def _raw(self, table: str) -> dict[str, dict[str, Any]]:
        tables = self.storage.read() or {}
        return tables.get(table, {})

    def _index(self, cls: type[Record]) -> dict[str, str]:
        """Record key → TinyDB document id, rebuilt only when the data changed."""
        generation = self.storage.generation
        cached = self._indexes.get(cls.TABLE)
        if cached and cached[0] == generation:
            return cached[1]
        raw = self._raw(cls.TABLE)
        parent = cls.PARENT
        if parent:
            index = {f"{doc.get(parent)}/{doc.get('id')}": doc_id for doc_id, doc in raw.items()}
        else:
            index = {doc.get("id"): doc_id for doc_id, doc in raw.items()}
        self._indexes[cls.TABLE] = (generation, index)
        return index

    def _doc(self, cls: type[Record], key: str) -> dict[str, Any] | None:
        doc_id = self._index(cls).get(key)
        return None if doc_id is None else self._raw(cls.TABLE).get(doc_id)

    def get(self, cls: type[R], key: str) -> R | None:
        with self.storage.mutex:
            self.storage.refresh()
            doc = self._doc(cls, key)
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
            return list(self._raw(cls.TABLE).values())

    def all(self, cls: type[R]) -> list[R]:
        return [cls.from_doc(doc) for doc in self.db.table(cls.TABLE, cache_size=0).all()]

    def find(self, cls: type[R], query: QueryLike) -> list[R]:
        """Records matching a TinyDB query, e.g. ``where('reporting_state') == 'NOR'``."""
        return [cls.from_doc(doc) for doc in self.db.table(cls.TABLE, cache_size=0).search(query)]

    def children(self, cls: type[R], arrangement_id: str) -> list[R]:
        """An arrangement's partners (or risks, ...), in the order of their numbers."""
        with self.storage.mutex:
            self.storage.refresh()
            raw = self._raw(cls.TABLE)
            docs = [raw[doc_id] for doc_id in self._parent_index(cls).get(arrangement_id, ())]
        return sorted((cls.from_doc(doc) for doc in docs), key=lambda r: ids.number_of(r.id))

    def _parent_index(self, cls: type[Record]) -> dict[str, list[str]]:
        """Arrangement id → document ids of its children, rebuilt only when the data changed."""
        generation = self.storage.generation
        cached = self._parents.get(cls.TABLE)
        if cached and cached[0] == generation:
            return cached[1]
        index: dict[str, list[str]] = {}
        for doc_id, doc in self._raw(cls.TABLE).items():
            index.setdefault(doc.get("arrangement"), []).append(doc_id)
        self._parents[cls.TABLE] = (generation, index)
        return index

    def count(self, cls: type[Record]) -> int:
        with self.storage.mutex:
            self.storage.refresh()
            return len(self._raw(cls.TABLE))

    @property
    def txn(self) -> int:
        """The number of the last committed transaction."""
        with self.storage.mutex:
            self.storage.refresh()
            return int(self.storage.header.get("txn", 0))

    def history(self, key: str | None = None, children: bool = False) -> list[Any]:
        """Audit entries (of committed transactions), optionally of one record key (and its children)."""
        return self.audit.history(self.txn, key, children)

    # -- writing ------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self, source: str, backup: str | None = None) -> Iterator[Transaction]:
        """Collect saves and deletes; they are committed together when the block ends."""
        tx = Transaction(source, backup)
        yield tx
        self.commit(tx)

    def save(self, record: R, source: str) -> R:
        """Save one record (conflict and validation checked); returns it as stored."""
        with self.transaction(source) as tx:
            tx.save(record)
        return tx.saved[0]  # type: ignore[return-value]

    def delete(self, record: Record, source: str) -> None:
        with self.transaction(source) as tx:
            tx.delete(record)

    def _next_txn(self) -> int:
        return max(int(self.storage.header.get("txn", 0)), self.audit.last_txn()) + 1

    def access(self) -> Any:
        """What the current user may do here (``twintui.core.access.Access``), read afresh."""
        from .. import access

        return access.current(self)

    def commit(self, tx: Transaction) -> Transaction:
        from .. import access as _access

        with self.storage.transaction():
            self._check_schema()
            tables = self.storage.read() or {}
            # Who may change what: read under the lock, so a revoke takes effect at once.
            who = _access.current(self)
            now, changes = self.clock(), []
            counters: dict[str, int] = dict(self.storage.header.get("counters", {}))
            # Keys created, changed and deleted so far in this transaction.
            staged: dict[tuple[str, str], dict[str, Any] | None] = {}
            assigned: dict[int, str] = {}  # id(new arrangement object) -> its new id

            def lookup(cls: type[Record], key: str) -> dict[str, Any] | None:
                if (cls.TABLE, key) in staged:
                    return staged[(cls.TABLE, key)]
                return self._doc(cls, key)

            def arrangement(key: str) -> dict[str, Any] | None:
                return lookup(Arrangement, key)

            def allow(cls: type[Record], before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
                refusal = _access.change_refusal(who, cls.TABLE, before, after, arrangement)
                if refusal:
                    raise AccessError(f"{refusal}; nothing was changed")

            for op in tx.ops:
                record, cls = op.record, type(op.record)
                if op.parent is not None:
                    parent_id = assigned.get(id(op.parent)) or op.parent.id
                    record = record.replace(arrangement=parent_id)
                if op.kind == "delete":
                    current = lookup(cls, record.key)
                    if current is None:
                        continue  # already gone
                    allow(cls, current, None)
                    if current.get("rev") != record.rev:
                        raise ConflictError(record, cls.from_doc(current))
                    for child_cls, child in self._cascade(record, staged):
                        staged[(child_cls.TABLE, child.key)] = None
                        changes.append(Change("delete", child_cls.TABLE, child.key,
                                              {k: [v, None] for k, v in child.content().items()
                                               if v not in ("", None, [])}))
                    staged[(cls.TABLE, record.key)] = None
                    changes.append(Change("delete", cls.TABLE, record.key,
                                          {k: [v, None] for k, v in record.content().items() if v not in ("", None, [])}))
                    tx.deleted.append(record.key)
                    continue
                current = lookup(cls, record.key) if record.id else None
                allow(cls, current, record.to_doc())
                if record.id and current is None and record.rev:
                    raise ConflictError(record, None)
                if current is not None and current.get("rev") != record.rev:
                    raise ConflictError(record, cls.from_doc(current))
                problems = errors(validate(record))
                if cls.PARENT and lookup(RECORD_TYPES["arrangements"], getattr(record, cls.PARENT)) is None:
                    problems.append(Problem(cls.PARENT, getattr(record, cls.PARENT),
                                            f"there is no arrangement {getattr(record, cls.PARENT)!r}"))
                if problems:
                    raise ValidationError(record, problems)
                before = cls.from_doc(current) if current is not None else None
                if before is not None and not record.differences(before):
                    tx.saved.append(before)
                    continue
                if not record.id:
                    record = record.replace(id=self._assign_id(record, counters, lookup))
                else:
                    self._reserve_id(record, counters)
                if isinstance(op.record, Arrangement):
                    assigned[id(op.record)] = record.id
                stored = record.replace(
                    rev=(before.rev + 1) if before else 1,
                    created_at=before.created_at if before else now,
                    created_by=before.created_by if before else self.user,
                    updated_at=now,
                    updated_by=self.user,
                )
                staged[(cls.TABLE, stored.key)] = stored.to_doc()
                diff = stored.differences(before)
                changes.append(Change("update" if before else "create", cls.TABLE, stored.key,
                                      {k: list(v) for k, v in diff.items()}))
                tx.saved.append(stored)

            writes = [prepare() for prepare in tx.effects]
            if not changes and not tx.notes:
                return tx
            if not who.single_user and not who.problem:
                # Pin the access file: TWINTUI_ACCESS pointed elsewhere cannot make this store single-user.
                tx.header.setdefault(_access.HEADER_KEY, str(who.path))
            pending = self.audit.pending_rollbacks(int(self.storage.header.get("txn", 0)))
            for lost in pending:
                self.audit.append(lost, self.user, "recovery", [Change("rollback", changes={"txn": [None, lost]})])
            if tx.backup:
                backups.make(self.path, tx.backup)
            txn = self._next_txn()
            self.audit.append(txn, self.user, tx.source, [*changes, *tx.notes], at=now)
            for write in writes:
                write()
            touched = self._apply(tables, staged)
            self.storage.header.update(tx.header)
            self.storage.header["txn"] = txn
            self.storage.header["counters"] = counters
            self.storage.write_changes(tables, touched)
            generation = self.storage.generation
            tx.txn = txn
        # The indexes were kept up to date in place: they stay valid for the new data.
        for table, (seen, index) in list(self._indexes.items()):
            if seen == generation:
                self._indexes[table] = (self.storage.generation, index)
        return tx

    # -- restoring a backup ---------------------------------------------------
    def restore_plan(self, backup: str | os.PathLike[str]) -> RestorePlan:
        """What restoring ``backup`` would change (read only): records back, gone and changed."""
        _, tables = self._read_backup(Path(backup))
        with self.storage.mutex:
            self.storage.refresh()
            return RestorePlan.between(Path(backup), self.storage.read() or {}, tables)

    def _read_backup(self, path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
        header, tables = backups.read(path)
        schema = header.get("schema")
        if not isinstance(schema, int) or schema < 1 or schema > SCHEMA:
            raise StoreError(f"the backup {path} has store schema {schema!r}, which this twintui cannot restore")
        for version in range(schema, SCHEMA):
            MIGRATIONS[version](header, tables)
        return header, tables

    def restore(self, backup: str | os.PathLike[str], expected: RestorePlan | None = None,
                source: str = "restore") -> RestoreResult:
        """Replace the records with those of ``backup``, after copying the store as it is to a new backup.

        Audited: one ``restore`` entry per record that comes back, goes or changes,
        and one for the restore itself. A restored record that differs from the
        current one gets a new revision (so screens holding the old one see a
        conflict); the id counters never go back (ids are not used twice). In
        shared mode only maintainers may restore. With ``expected`` (the plan that
        was shown) a store that changed since is refused.
        """
        from .. import access as _access

        path = Path(backup).expanduser().absolute()
        if path == self.path:
            raise StoreError("that is the store itself, not a backup of it")
        header, restored = self._read_backup(path)
        with self.storage.transaction():
            self._check_schema()
            tables = self.storage.read() or {}
            who = _access.current(self)
            if not who.single_user and (who.problem or who.role != _access.MAINTAINER):
                raise AccessError(f"{who.user} may not restore a backup: it replaces records of every state, so "
                                  f"only maintainers may ({who.problem or who.describe()}); nothing was changed")
            plan = RestorePlan.between(path, tables, restored)
            if expected is not None and plan.summary() != expected.summary():
                raise StoreError("the store changed since the restore was previewed; run the restore again "
                                 "to see what it would change now; nothing was changed")
            if plan.empty:
                return RestoreResult(plan, None, None)
            now = self.clock()
            changes: list[Change] = []
            for table, keys in plan.changed.items():
                for key in keys:
                    old, new = plan.current_docs[(table, key)], plan.backup_docs[(table, key)]
                    new.update(rev=int(old.get("rev") or 0) + 1, updated_at=now, updated_by=self.user)
                    changes.append(Change("restore", table, key, _doc_diff(table, old, new)))
            for table, keys in plan.added.items():
                for key in keys:
                    new = plan.backup_docs[(table, key)]
                    new.update(rev=int(new.get("rev") or 0) + 1, updated_at=now, updated_by=self.user)
                    changes.append(Change("restore", table, key, _doc_diff(table, None, new)))
            for table, keys in plan.removed.items():
                for key in keys:
                    changes.append(Change("restore", table, key, _doc_diff(table, plan.current_docs[(table, key)],
                                                                            None)))
            counts = plan.counts()
            changes.append(Change("restore", "", path.name, {
                "backup": [None, str(path)], "back": [None, counts["added"]], "gone": [None, counts["removed"]],
                "changed": [None, counts["changed"]]}))
            pending = self.audit.pending_rollbacks(int(self.storage.header.get("txn", 0)))
            for lost in pending:
                self.audit.append(lost, self.user, "recovery", [Change("rollback", changes={"txn": [None, lost]})])
            safety = backups.make(self.path, "before-restore")
            txn = self._next_txn()
            self.audit.append(txn, self.user, source, changes, at=now)
            counters = dict(self.storage.header.get("counters", {}))
            for name, number in (header.get("counters") or {}).items():
                if isinstance(number, int):
                    counters[name] = max(counters.get(name, 0), number)
            for name in RECORD_TYPES:
                restored.setdefault(name, {})
            tables.clear()
            tables.update(restored)
            self.storage.header.update(txn=txn, counters=counters, schema=SCHEMA)
            self.storage.write(tables)
        self._indexes.clear()
        self._parents.clear()
        return RestoreResult(plan, txn, safety.path if safety else None)

    def _cascade(self, record: Record, staged: dict[tuple[str, str], dict[str, Any] | None]
                 ) -> list[tuple[type[Record], Record]]:
        """Children deleted with an arrangement (partners, risks, ...), stored or saved in this transaction."""
        if not isinstance(record, Arrangement):
            return []
        found: dict[tuple[str, str], tuple[type[Record], Record]] = {}
        for cls in RECORD_TYPES.values():
            if cls.PARENT != "arrangement":
                continue
            for doc in self._raw(cls.TABLE).values():
                if doc.get("arrangement") == record.id:
                    child = cls.from_doc(doc)
                    found[(cls.TABLE, child.key)] = (cls, child)
        for (table, key), doc in staged.items():
            cls = RECORD_TYPES[table]
            if doc is None:
                found.pop((table, key), None)  # already deleted in this transaction
            elif cls.PARENT == "arrangement" and doc.get("arrangement") == record.id:
                found[(table, key)] = (cls, cls.from_doc(doc))
        return list(found.values())

    def _assign_id(self, record: Record, counters: dict[str, int], lookup: Callable[..., Any]) -> str:
        cls = type(record)
        if isinstance(record, Arrangement):
            counter = f"TW-{record.reporting_state}"
            make = lambda n: ids.arrangement_id(record.reporting_state, n)  # noqa: E731
        elif cls.TABLE in ids.PREFIXES:
            counter = f"{ids.PREFIXES[cls.TABLE]}@{record.arrangement}"
            make = lambda n: ids.child_id(cls.TABLE, n)  # noqa: E731
        else:
            counter = cls.TABLE
            make = lambda n: f"{cls.TABLE[:3].upper()}-{n:04d}"  # noqa: E731
        number = counters.get(counter, 0)
        while True:  # counters are authoritative; the check guards against hand-edited files
            number += 1
            candidate = make(number)
            key = candidate if not cls.PARENT else f"{getattr(record, cls.PARENT)}/{candidate}"
            if lookup(cls, key) is None:
                counters[counter] = number
                return candidate

    def _reserve_id(self, record: Record, counters: dict[str, int]) -> None:
        """A record saved with its own id keeps later ids from colliding with it."""
        if isinstance(record, Arrangement) and (match := ids.ARRANGEMENT_ID.match(record.id)):
            counter = f"TW-{match[1]}"
            counters[counter] = max(counters.get(counter, 0), int(match[2]))
        elif type(record).TABLE in ids.PREFIXES and (match := ids.CHILD_ID.match(record.id)):
            counter = f"{ids.PREFIXES[type(record).TABLE]}@{record.arrangement}"
            counters[counter] = max(counters.get(counter, 0), int(match[2]))

    def _apply(self, tables: dict[str, Any],
               staged: dict[tuple[str, str], dict[str, Any] | None]) -> set[tuple[str, str]]:
        # Documents are changed in place, in one pass: TinyDB's Table.update would
        # rebuild the whole table for every document, O(n) per change.
        next_ids: dict[str, int] = {}
        touched: set[tuple[str, str]] = set()
        for (table, key), doc in staged.items():
            cls = RECORD_TYPES[table]
            raw = tables.setdefault(table, {})
            index = self._index(cls)
            doc_id = index.get(key)
            if doc is None:
                if doc_id is not None:
                    raw.pop(doc_id, None)
                    index.pop(key, None)
                    touched.add((table, doc_id))
                continue
            if doc_id is None:
                if table not in next_ids:
                    next_ids[table] = max((int(i) for i in raw), default=0) + 1
                doc_id = str(next_ids[table])
                next_ids[table] += 1
                index[key] = doc_id
            raw[doc_id] = doc
            touched.add((table, doc_id))
        return touched


def _key_of(table: str, doc_id: str, doc: dict[str, Any]) -> str:
    cls = RECORD_TYPES.get(table)
    if cls is not None and cls.PARENT:
        return f"{doc.get(cls.PARENT)}/{doc.get('id')}"
    return str(doc.get("id") or doc_id)


def _content(table: str, doc: dict[str, Any]) -> dict[str, Any]:
    cls = RECORD_TYPES.get(table)
    if cls is None:
        return {k: v for k, v in doc.items() if k not in ("rev", "updated_at", "updated_by")}
    try:
        return cls.from_doc(doc).content()
    except (TypeError, ValueError, AttributeError):
        return dict(doc)


def _doc_diff(table: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, list[Any]]:
    mine = _content(table, old) if old is not None else {}
    theirs = _content(table, new) if new is not None else {}
    return {k: [mine.get(k), theirs.get(k)] for k in {**mine, **theirs}
            if mine.get(k) != theirs.get(k) and not (old is None and theirs.get(k) in ("", None, []))
            and not (new is None and mine.get(k) in ("", None, []))}


@dataclass
class RestorePlan:
    """What a restore changes: per table, the keys of records that come back, go, or change."""

    backup: Path
    added: dict[str, list[str]] = field(default_factory=dict)  # in the backup, not in the store: they come back
    removed: dict[str, list[str]] = field(default_factory=dict)  # in the store, not in the backup: they go
    changed: dict[str, list[str]] = field(default_factory=dict)
    before: dict[str, int] = field(default_factory=dict)  # records per table now
    after: dict[str, int] = field(default_factory=dict)  # and after the restore
    current_docs: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict, repr=False)
    backup_docs: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict, repr=False)

    @classmethod
    def between(cls, backup: Path, current: dict[str, Any], restored: dict[str, Any]) -> RestorePlan:
        plan = cls(backup)
        for table in sorted(set(current) | set(restored)):
            now = {_key_of(table, i, d): d for i, d in (current.get(table) or {}).items()}
            then = {_key_of(table, i, d): d for i, d in (restored.get(table) or {}).items()}
            plan.before[table], plan.after[table] = len(now), len(then)
            plan.current_docs.update({(table, k): d for k, d in now.items()})
            plan.backup_docs.update({(table, k): d for k, d in then.items()})
            if added := sorted(set(then) - set(now)):
                plan.added[table] = added
            if removed := sorted(set(now) - set(then)):
                plan.removed[table] = removed
            if changed := sorted(k for k in set(now) & set(then)
                                 if _content(table, now[k]) != _content(table, then[k])):
                plan.changed[table] = changed
        return plan

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def counts(self) -> dict[str, int]:
        return {"added": sum(map(len, self.added.values())), "removed": sum(map(len, self.removed.values())),
                "changed": sum(map(len, self.changed.values()))}

    def summary(self) -> tuple[Any, ...]:
        return (self.added, self.removed, self.changed)

    def to_json(self) -> dict[str, Any]:
        return {"backup": str(self.backup), "added": self.added, "removed": self.removed, "changed": self.changed,
                "before": self.before, "after": self.after, **{f"{k}_count": v for k, v in self.counts().items()}}


@dataclass(frozen=True)
class RestoreResult:
    plan: RestorePlan
    txn: int | None  # None: the backup holds what the store holds; nothing was written
    safety_backup: Path | None  # the copy of the store as it was before the restore
