"""The commit of a transaction: everything one change to the store does, under its lock.

``commit`` re-reads the store under the inter-process lock and then, for each operation in
order: checks the revision (a stale one raises ``ConflictError`` carrying both versions), asks
the access policy, validates the record, assigns ids and bumps revisions, and deletes an
arrangement's children with it (every child table of ``TABLES``). Then it writes the audit
entries and, once they are durable, the store, once. Either all of it lands or none: a refused
or failed commit leaves the file, the log and the backups as they were.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..errors import AccessError, ConflictError, NotFoundError, StoreError, ValidationError
from ..model import Arrangement, Problem, Record, errors, ids, validate
from . import backups, policy, schema
from .audit import Change
from .queries import Queries
from .tables import TABLES
from .transaction import Transaction, operations


# What a transaction is refused for, before it has changed anything: in a group, it alone is refused.
REFUSALS = (ConflictError, ValidationError, AccessError, NotFoundError)


def commit(store: Queries, tx: Transaction) -> Transaction:
    """Carry out ``tx`` under the store's lock: all of it is written, or nothing."""
    with backups_of_failures_removed() as made:
        with store.storage.transaction():
            schema.check(store)
            wrote = _stage(store, tx, made)
            generation = store.storage.generation
        if wrote:
            store.carry_indexes(generation)
    return tx


def commit_together(batch: Sequence[tuple[Queries, Transaction]]) -> list[Exception | None]:
    """Carry out several transactions on one store (each with the store of its user: ``Store.acting_for``), in
    order, as if each were committed on its own after the one before, but with one write of the store file.

    The store service's group commit: many small commits arriving together cost one write of the
    file instead of one each. Each transaction is all of it or nothing: one refused (a conflict,
    a validation error, an access refusal, a record not found) is refused alone, with that
    exception in its place in the list (None: committed), and sees nothing of the others; a
    failure to write fails them all (raised). Transactions that take a backup are not for this
    (a backup is the store before the write, so before all of them): commit those on their own.
    """
    if any(tx.backup for _, tx in batch):
        raise StoreError("internal: a transaction that takes a backup is committed on its own")
    outcomes: list[Exception | None] = []
    first = batch[0][0]
    with backups_of_failures_removed() as made:
        with first.storage.transaction():
            schema.check(first)
            wrote = False
            for store, tx in batch:
                try:
                    wrote = _stage(store, tx, made, sync_audit=False) or wrote
                except REFUSALS as refusal:
                    outcomes.append(refusal)
                else:
                    outcomes.append(None)
            if wrote:
                first.audit.sync()  # every entry durable before the store is written: one fsync for them all
            generation = first.storage.generation
        if wrote:
            first.carry_indexes(generation)  # (the stores of its users share its indexes)
    return outcomes


def _stage(store: Queries, tx: Transaction, made: list[backups.Backup], sync_audit: bool = True) -> bool:
    """Everything ``tx`` does, in the storage transaction of the caller; whether it changed the store.
    (``sync_audit``: make its audit entries durable now; else the caller does, before the store is written.)"""
    tables = store.storage.read() or {}
    # Who may change what: read under the lock, so a revoke takes effect at once.
    who = store.access()
    now, changes = store.clock(), []
    counters: dict[str, int] = dict(store.storage.header.get("counters", {}))
    # Keys created, changed and deleted so far in this transaction.
    staged: dict[tuple[str, str], dict[str, Any] | None] = {}
    assigned: dict[int, str] = {}  # id(new arrangement object) -> its new id

    def lookup(cls: type[Record], key: str) -> dict[str, Any] | None:
        if (cls.TABLE, key) in staged:
            return staged[(cls.TABLE, key)]
        return store.stored_doc(cls, key)

    def arrangement(key: str) -> dict[str, Any] | None:
        return lookup(Arrangement, key)

    def allow(cls: type[Record], before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        refusal = policy.change_refusal(who, cls.TABLE, before, after, arrangement)
        if refusal:
            raise AccessError(f"{refusal}; nothing was changed")

    for op in operations(tx):
        record, cls = op.record, type(op.record)
        if op.parent is not None:
            parent_id = assigned.get(id(op.parent)) or op.parent.id
            record = record.replace(arrangement=parent_id)
        if op.kind == "delete":
            current = lookup(cls, record.key)
            if current is None:
                continue  # already gone
            # A stale copy is a conflict before it is a refusal: the caller may retry on fresh data.
            if current.get("rev") != record.rev:
                raise ConflictError(record, cls.from_doc(current))
            allow(cls, current, None)
            for child_cls, child in _cascade(store, record, staged):
                staged[(child_cls.TABLE, child.key)] = None
                changes.append(Change("delete", child_cls.TABLE, child.key,
                                      {k: [v, None] for k, v in child.content().items()
                                       if v not in ("", None, [])}, child.rev))
            staged[(cls.TABLE, record.key)] = None
            changes.append(Change("delete", cls.TABLE, record.key,
                                  {k: [v, None] for k, v in record.content().items() if v not in ("", None, [])},
                                  record.rev))
            tx.deleted.append(record.key)
            continue
        current = lookup(cls, record.key) if record.id else None
        if record.id and current is None and record.rev:
            raise ConflictError(record, None)
        if current is not None and current.get("rev") != record.rev:
            raise ConflictError(record, cls.from_doc(current))
        allow(cls, current, record.to_doc())
        problems = errors(validate(record))
        if cls.PARENT and lookup(Arrangement, getattr(record, cls.PARENT)) is None:
            problems.append(Problem(cls.PARENT, getattr(record, cls.PARENT),
                                    f"there is no arrangement {getattr(record, cls.PARENT)!r}"))
        if problems:
            raise ValidationError(record, problems)
        before = cls.from_doc(current) if current is not None else None
        if before is not None and not record.differences(before):
            tx.saved.append(before)
            continue
        if not record.id:
            record = record.replace(id=_assign_id(record, counters, lookup))
        else:
            _reserve_id(record, counters)
        if isinstance(op.record, Arrangement):
            assigned[id(op.record)] = record.id
        stored = record.replace(
            rev=(before.rev + 1) if before else 1,
            created_at=before.created_at if before else now,
            created_by=before.created_by if before else store.user,
            updated_at=now,
            updated_by=store.user,
        )
        staged[(cls.TABLE, stored.key)] = stored.to_doc()
        diff = stored.differences(before)
        changes.append(Change("update" if before else "create", cls.TABLE, stored.key,
                              {k: list(v) for k, v in diff.items()}, stored.rev))
        tx.saved.append(stored)

    writes = [prepare() for prepare in tx.effects]
    if not changes and not tx.notes:
        return False
    if not who.single_user and not who.problem:
        # Pin the access file: TWINTUI_ACCESS pointed elsewhere cannot make this store single-user.
        tx.header.setdefault(policy.HEADER_KEY, str(who.path))
    prepare_write(store, tx.backup, made)
    txn = store.next_txn()
    store.audit.append(txn, store.user, tx.source, [*changes, *tx.notes], at=now, sync=sync_audit)
    for write in writes:
        write()
    touched = _apply(store, tables, staged)
    store.storage.header.update(tx.header)
    store.storage.header["txn"] = txn
    store.storage.header["counters"] = counters
    store.storage.write_changes(tables, touched)
    tx.txn = txn
    return True


def _cascade(store: Queries, record: Record, staged: dict[tuple[str, str], dict[str, Any] | None]
             ) -> list[tuple[type[Record], Record]]:
    """Children deleted with an arrangement (partners, risks, ...), stored or saved in this transaction."""
    if not isinstance(record, Arrangement):
        return []
    found: dict[tuple[str, str], tuple[type[Record], Record]] = {}
    for cls in TABLES.values():
        if cls.PARENT != "arrangement":
            continue
        for doc in store.stored(cls.TABLE).values():
            if doc.get("arrangement") == record.id:
                child = cls.from_doc(doc)
                found[(cls.TABLE, child.key)] = (cls, child)
    for (table, key), doc in staged.items():
        cls = TABLES[table]
        if doc is None:
            found.pop((table, key), None)  # already deleted in this transaction
        elif cls.PARENT == "arrangement" and doc.get("arrangement") == record.id:
            found[(table, key)] = (cls, cls.from_doc(doc))
    return list(found.values())


def _assign_id(record: Record, counters: dict[str, int], lookup: Callable[..., Any]) -> str:
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


def _reserve_id(record: Record, counters: dict[str, int]) -> None:
    """A record saved with its own id keeps later ids from colliding with it."""
    if isinstance(record, Arrangement) and (match := ids.ARRANGEMENT_ID.match(record.id)):
        counter = f"TW-{match[1]}"
        counters[counter] = max(counters.get(counter, 0), int(match[2]))
    elif type(record).TABLE in ids.PREFIXES and (match := ids.CHILD_ID.match(record.id)):
        counter = f"{ids.PREFIXES[type(record).TABLE]}@{record.arrangement}"
        counters[counter] = max(counters.get(counter, 0), int(match[2]))


def _apply(store: Queries, tables: dict[str, Any],
           staged: dict[tuple[str, str], dict[str, Any] | None]) -> set[tuple[str, str]]:
    # Documents are changed in place, in one pass: TinyDB's Table.update would
    # rebuild the whole table for every document, O(n) per change.
    next_ids: dict[str, int] = {}
    touched: set[tuple[str, str]] = set()
    for (table, key), doc in staged.items():
        cls = TABLES[table]
        raw = tables.setdefault(table, {})
        index = store.key_index(cls)
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


def prepare_write(store: Queries, backup: str | None, made: list[backups.Backup]) -> backups.Backup | None:
    """Under the lock, before anything is written: refuse early when the store or its audit log
    may not be written by this user, mark interrupted transactions, take the backup."""
    store.storage.check_writable()
    store.audit.check_writable()
    pending = store.audit.pending_rollbacks(int(store.storage.header.get("txn", 0)))
    for lost in pending:
        store.audit.append(lost, store.user, "recovery", [Change("rollback", changes={"txn": [None, lost]})])
    copy = backups.make(store.path, backup) if backup else None
    if copy is not None:
        made.append(copy)
    return copy


@contextlib.contextmanager
def backups_of_failures_removed() -> Iterator[list[backups.Backup]]:
    """A backup taken for a write that then failed is removed: the store is as it was, so it
    would only be one more copy of it (and would push an older one out of the 20 kept)."""
    made: list[backups.Backup] = []
    try:
        yield made
    except BaseException:
        for copy in made:
            backups.remove(copy)
        raise
