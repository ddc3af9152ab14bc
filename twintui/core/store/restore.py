"""Restoring a backup: what it would change (``RestorePlan``), then the restore itself.

A restore puts back the records of a backup after copying the store as it is to a new backup,
audited record by record. It never takes back what was not the register's content: the id
counters (ids are not used twice) and the records of what went out and came back
(``KEPT_ON_RESTORE``: the returns tracker, the record of exports). In shared mode only
maintainers may restore.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import AccessError, StoreError
from . import backups, policy, schema, shape
from .audit import Change
from .commit import backups_of_failures_removed, prepare_write
from .queries import Queries
from .schema import MIGRATIONS, SCHEMA
from .tables import TABLES


def restore_plan(store: Queries, backup: str | os.PathLike[str]) -> RestorePlan:
    """What restoring ``backup`` would change (read only): records back, gone and changed."""
    _, tables = read_backup(Path(backup))
    with store.storage.mutex:
        store.storage.refresh()
        current = store.storage.read() or {}
        kept_on_restore(current, tables)
        return RestorePlan.between(Path(backup), current, tables)


def read_backup(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, tables) of a backup, checked and upgraded to this schema; StoreError when it cannot be restored."""
    header, tables = backups.read(path)
    number = header.get("schema")
    if not isinstance(number, int) or number < 1 or number > SCHEMA:
        raise StoreError(f"the backup {path} has store schema {number!r}, which this twintui cannot restore")
    found = shape.header_problems(header) + [p for name, docs in tables.items()
                                             for p in shape.table_problems(name, docs)]
    if found:
        raise StoreError(f"the backup {path} is damaged: {found[0]}; nothing was restored")
    for version in range(number, SCHEMA):
        MIGRATIONS[version](header, tables)
    return header, tables


def restore(store: Queries, backup: str | os.PathLike[str], expected: RestorePlan | None = None,
            source: str = "restore") -> RestoreResult:
    """``Store.restore``: the records of ``backup`` in place of the store's, audited."""
    path = Path(backup).expanduser().absolute()
    if path == store.path:
        raise StoreError("that is the store itself, not a backup of it")
    header, restored = read_backup(path)
    with backups_of_failures_removed() as made:
        return _restore(store, path, header, restored, expected, source, made)


def _restore(store: Queries, path: Path, header: dict[str, Any], restored: dict[str, Any], expected: RestorePlan | None,
             source: str, made: list[backups.Backup]) -> RestoreResult:
    with store.storage.transaction():
        schema.check(store)
        tables = store.storage.read() or {}
        who = store.access()
        if not who.single_user and (who.problem or who.role != policy.MAINTAINER):
            raise AccessError(f"{who.user} may not restore a backup: it replaces records of every state, so "
                              f"only maintainers may ({who.problem or who.describe()}); nothing was changed")
        kept_on_restore(tables, restored)
        plan = RestorePlan.between(path, tables, restored)
        if expected is not None and plan.summary() != expected.summary():
            raise StoreError("the store changed since the restore was previewed; run the restore again "
                             "to see what it would change now; nothing was changed")
        if plan.empty:
            return RestoreResult(plan, None, None)
        now = store.clock()
        changes: list[Change] = []
        for table, keys in plan.changed.items():
            for key in keys:
                old, new = plan.current_docs[(table, key)], plan.backup_docs[(table, key)]
                new.update(rev=int(old.get("rev") or 0) + 1, updated_at=now, updated_by=store.user)
                changes.append(Change("restore", table, key, _doc_diff(table, old, new), new["rev"]))
        for table, keys in plan.added.items():
            for key in keys:
                new = plan.backup_docs[(table, key)]
                new.update(rev=int(new.get("rev") or 0) + 1, updated_at=now, updated_by=store.user)
                changes.append(Change("restore", table, key, _doc_diff(table, None, new), new["rev"]))
        for table, keys in plan.removed.items():
            for key in keys:
                gone = plan.current_docs[(table, key)]
                rev = gone.get("rev") if isinstance(gone, dict) else None
                changes.append(Change("restore", table, key, _doc_diff(table, gone, None),
                                      rev if isinstance(rev, int) else 0))
        counts = plan.counts()
        changes.append(Change("restore", "", path.name, {
            "backup": [None, str(path)], "back": [None, counts["added"]], "gone": [None, counts["removed"]],
            "changed": [None, counts["changed"]]}))
        safety = prepare_write(store, "before-restore", made)
        txn = store.next_txn()
        store.audit.append(txn, store.user, source, changes, at=now)
        counters = dict(store.storage.header.get("counters", {}))
        for name, number in (header.get("counters") or {}).items():
            if isinstance(number, int):
                counters[name] = max(counters.get(name, 0), number)
        for name in TABLES:
            restored.setdefault(name, {})
        tables.clear()
        tables.update(restored)
        store.storage.header.update(txn=txn, counters=counters, schema=SCHEMA)
        store.storage.write(tables)
    store.forget_indexes()
    return RestoreResult(plan, txn, safety.path if safety else None)


def kept_on_restore(current: dict[str, Any], restored: dict[str, Any]) -> None:
    """Give ``restored`` the current tables of the record types a restore keeps (``KEPT_ON_RESTORE``)."""
    for name, cls in TABLES.items():
        if cls.KEPT_ON_RESTORE:
            restored[name] = current.get(name) or {}


def _key_of(table: str, doc_id: str, doc: Any) -> str:
    if not isinstance(doc, dict):  # a damaged document (a restore is how it is mended)
        return f"document {doc_id}"
    cls = TABLES.get(table)
    if cls is not None and cls.PARENT:
        return f"{doc.get(cls.PARENT)}/{doc.get('id')}"
    return str(doc.get("id") or doc_id)


def _content(table: str, doc: Any) -> dict[str, Any]:
    if not isinstance(doc, dict):
        return {"document": doc}
    cls = TABLES.get(table)
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
