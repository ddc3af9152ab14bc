"""The store file's schema version, and the upgrade of a file written by an older twintui.

A store (or a backup) of an older schema is upgraded by ``MIGRATIONS`` (a backup is taken first
and the upgrade is audited); one written by a newer twintui is refused, never half read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import StoreError
from . import backups
from .audit import Change
from .queries import Queries

SCHEMA = 1

# Upgrades of older stores: MIGRATIONS[n] turns a schema-n (header, tables) into n+1.
MIGRATIONS: dict[int, Callable[[dict[str, Any], dict[str, Any]], None]] = {}


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
        backups.make(store.path, f"before-schema-{SCHEMA}")
        for version in range(start, SCHEMA):
            MIGRATIONS[version](header, tables)
            header["schema"] = version + 1
        txn = store.next_txn()
        store.audit.append(txn, store.user, "migration",
                          [Change("migrate", changes={"schema": [start, SCHEMA]})])
        header["txn"] = txn
        store.storage.write(tables)
