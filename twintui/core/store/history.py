"""Does the store hold what its audit log says? Each record against its last audited change.

Every change twintui makes is written to the audit log before the store, with each field's old and
new value, the user and (since this check exists) the record's new revision. Replaying a record's
entries therefore gives its content as the log knows it; ``differences`` compares that, and the
revision and ``updated_by`` of the last entry, with the record in the store. A record edited in the
file by hand, added or removed there, shows up as a difference.

What this cannot see (there is no key, so nothing here is a signature): someone who can write both
files may edit a record *and* append a well-formed, re-hashed entry that says so, under any user's
name. The hash chain shows that the log was not cut or edited in the middle, not who wrote it.
Only a store no user can write directly (the store service, issue 17) closes that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from ..model import Record
from .tables import TABLES

if TYPE_CHECKING:
    from .store import Store

RECORD_ACTIONS = ("create", "update", "delete", "restore")
_EMPTY = (None, "", [])


def _same(value: Any) -> Any:
    """A value as JSON gives it back (tuples are lists, 1.0 is 1.0), blanks all alike."""
    return None if value in _EMPTY else orjson.loads(orjson.dumps(value))


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def differences(store: Store, records: dict[tuple[str, str], Record], txn: int) -> list[str]:
    """One line for every record whose revision, ``updated_by`` or content differs from its last
    audited change, and for every record the log has that the store has not (or the other way round)."""
    known: dict[tuple[str, str], dict[str, Any]] = {}  # what the log says each record holds
    last: dict[tuple[str, str], Any] = {}  # and its last entry
    for entry in store.audit.history(txn):
        if entry.table not in TABLES or entry.action not in RECORD_ACTIONS:
            continue
        cls = TABLES[entry.table]
        key = (entry.table, entry.record)
        parent = cls.PARENT
        if parent and parent in entry.changes and entry.action == "update":
            # A child moved to another arrangement: its key changed with it.
            old_key = (entry.table, f"{entry.changes[parent][0]}/{entry.record.partition('/')[2]}")
            known[key] = known.pop(old_key, {})
            last.pop(old_key, None)
        content = {} if entry.action == "create" else known.setdefault(key, {})
        for name, change in entry.changes.items():
            if isinstance(change, list) and len(change) == 2:
                content[name] = change[1]
        known[key] = content
        last[key] = entry
    found = []
    for key, record in records.items():
        where = f"{key[0]} {key[1]}"
        entry = last.get(key)
        content = known.get(key, {})
        if entry is None:
            found.append(f"{where}: no audited change made it (it was put in the store file directly)")
            continue
        said = f"its last audited change ({entry.action} by {entry.user} at {entry.at}, audit entry {entry.seq})"
        if not any(v not in _EMPTY for v in content.values()):
            found.append(f"{where}: {said} removed it, but it is in the store (put back in the file directly)")
            continue
        if entry.rev and record.rev != entry.rev:
            found.append(f"{where}: revision {record.rev} in the store, {entry.rev} after {said}: the store file "
                         "was edited directly")
        if record.updated_by != entry.user:
            found.append(f"{where}: updated by {record.updated_by!r} in the store, by {entry.user!r} in {said}: "
                         "the store file was edited directly")
        for name, value in record.content().items():
            if _same(value) != _same(content.get(name)):
                found.append(f"{where}, field {name}: {_shown(value)} in the store, {_shown(content.get(name))} "
                             f"after {said}: the store file was edited directly")
    for key, content in known.items():
        if key not in records and any(v not in _EMPTY for v in content.values()):
            entry = last[key]
            found.append(f"{key[0]} {key[1]}: in the audit log ({entry.action} by {entry.user} at {entry.at}) but "
                         "not in the store: it was removed from the store file directly")
    return found
