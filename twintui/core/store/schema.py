"""The store file's schema version, and the upgrade of a file written by an older twintui.

A store (or a backup) of an older schema is upgraded by ``MIGRATIONS`` (a backup is taken first
and the upgrade is audited); one written by a newer twintui is refused, never half read.

Each migration changes the stored documents in place and returns the ones it changed (table,
document id, the document before). The upgrade of a store gives each of them a new revision and
one audited update with the fields that changed, so the audit log still says what every record
holds (``twintui check`` compares them) and a record's history shows the upgrade. A backup is
upgraded the same way before it is restored, without revisions: the restore audits what it puts back.

The schemas:

1. the register, partners, risks, comparisons, memoranda, the returns tracker and exports;
2. (issue 18) every MoU objective's indicator has a kind (``text``, ``number``, ``milestone``) and
   the keys of a counted one (``unit``, ``baseline``, ``target_value``, ``target_date``); the tables
   of reported progress are new. A twintui that reads only schema 1 would drop those keys when it
   saved a memorandum, so it must refuse the file: hence a new schema.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from ..errors import StoreError
from .audit import Change
from .queries import Queries
from .tables import TABLES

SCHEMA = 2

# (table, TinyDB document id, the document before the migration changed it)
Changed = list[tuple[str, str, dict[str, Any]]]

# Keys a schema-2 objective has that a schema-1 one had not, as an objective written in words has them.
_INDICATOR_KEYS: dict[str, Any] = {"kind": "text", "unit": "", "baseline": None, "target_value": None,
                                   "target_date": None}


def _indicator_kinds(header: dict[str, Any], tables: dict[str, Any]) -> Changed:
    """Schema 1 → 2: each MoU objective becomes a ``text`` indicator, its indicator and target as written.

    Spelled out here rather than read through today's ``Objective``, so that the upgrade of a schema-1
    file stays the same whatever later versions make of objectives.
    """
    changed: Changed = []
    for doc_id, doc in (tables.get("memoranda") or {}).items():
        aims = doc.get("objectives") if isinstance(doc, dict) else None
        items = aims.get("objectives") if isinstance(aims, dict) else None
        if not isinstance(aims, dict) or not isinstance(items, list) or all(_INDICATOR_KEYS.keys() <= item.keys() for item in items
                                              if isinstance(item, dict)):
            continue
        before = copy.deepcopy(doc)
        aims["objectives"] = [{**item, **{k: v for k, v in _INDICATOR_KEYS.items() if k not in item}}
                              if isinstance(item, dict) else item for item in items]
        changed.append(("memoranda", doc_id, before))
    return changed


# Upgrades of older stores: MIGRATIONS[n] turns a schema-n (header, tables) into n+1.
MIGRATIONS: dict[int, Callable[[dict[str, Any], dict[str, Any]], Changed]] = {
    1: _indicator_kinds,
}


def check(store: Queries) -> None:
    """Refuse a damaged header or a schema from a newer twintui; upgrade one from an older (on open and
    under the lock of every change)."""
    store.check_header()
    schema = store.storage.header.get("schema")
    if not isinstance(schema, int) or schema < 1:
        raise StoreError(f"{store.path} is damaged: its schema version {schema!r} is not valid")
    if schema > SCHEMA:
        raise StoreError(
            f"{store.path} was written by a newer twintui (store schema {schema}; this version reads up to "
            f"{SCHEMA}). Upgrade twintui (pip install -U twintui)."
        )
    if schema < SCHEMA:
        _migrate(store)


def _migrate(store: Queries) -> None:
    with store.storage.transaction():
        header, tables = store.storage.header, store.storage.read() or {}
        start = header["schema"]
        if start >= SCHEMA:
            return
        from . import backups  # (here: a store that needs no migration takes no backup)

        backups.make(store.path, f"before-schema-{SCHEMA}")
        changed: Changed = []
        for version in range(start, SCHEMA):
            changed += MIGRATIONS[version](header, tables)
            header["schema"] = version + 1
        txn, now = store.next_txn(), store.clock()
        store.audit.append(txn, store.user, "migration",
                           [Change("migrate", changes={"schema": [start, SCHEMA]}),
                            *_audited(store, tables, changed, now)], at=now)
        header["txn"] = txn
        store.storage.write(tables)


def _audited(store: Queries, tables: dict[str, Any], changed: Changed, now: str) -> list[Change]:
    """A new revision and an audited update for each document a migration changed (once, however many
    migrations changed it)."""
    first: dict[tuple[str, str], dict[str, Any]] = {}
    for table, doc_id, before in changed:
        first.setdefault((table, doc_id), before)
    changes = []
    for (table, doc_id), before in first.items():
        cls, doc = TABLES[table], tables[table][doc_id]
        doc.update(rev=int(before.get("rev") or 0) + 1, updated_at=now, updated_by=store.user)
        old, record = cls.from_doc(before).content(), cls.from_doc(doc)
        new = record.content()
        changes.append(Change("update", table, record.key, {k: [old[k], new[k]] for k in new if old[k] != new[k]},
                              doc["rev"]))
    return changes
