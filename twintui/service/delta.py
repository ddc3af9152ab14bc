"""Keeping a client's copy of the store up to date: the service's states, and the delta from one to a later one.

Pure (no sockets, no HTTP library), like ``protocol``: the service writes deltas with these
functions and a client's mirror (``remote.Mirror``) applies them. Decisions:

- A state is ``RUN-GENERATION``: the service's run (random, new at every start) and its storage's
  generation. The snapshot's ETag is the state in quotes; a state of another run is never taken
  for one of this run, so after a restart a client fetches the whole store again.
- A delta carries the documents changed since the client's state, by table and TinyDB document id
  (the store file's own keys), the ids deleted, the header without its id counters (a few fields)
  and the counters that changed: what the storage's journal recorded (``core.store.journal``).
- Applying one builds new table objects (a table's dict is copied, its documents are not) and
  swaps them in at once: a reader that already holds the old tables goes on seeing the old state
  whole, and no read ever sees half of a delta.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import StoreError
from ..core.store import shape
from ..core.store.journal import Changes


def state(run: str, generation: int) -> str:
    return f"{run}-{generation}"


def etag(of: str) -> str:
    return f'"{of}"'


def parse(text: str | None) -> tuple[str, int] | None:
    """(run, generation) of a state (or of an ETag), None if it is not one."""
    text = (text or "").strip('"')
    run, _, generation = text.rpartition("-")
    if not run or not generation.isascii() or not generation.isdigit():
        return None
    return run, int(generation)


def behind(have: str, announced: str) -> bool:
    """Whether the state ``have`` is older than ``announced`` (another run's state always is)."""
    mine, theirs = parse(have), parse(announced)
    return mine is None or theirs is None or mine[0] != theirs[0] or mine[1] < theirs[1]


def delta_json(since: str, now: str, changes: Changes) -> dict[str, Any]:
    """The reply of ``GET /v1/delta?since=SINCE``: what ``changes`` holds, to bring ``since`` to ``now``."""
    tables: dict[str, dict[str, Any]] = {}
    deleted: dict[str, list[str]] = {}
    for (table, doc_id), doc in sorted(changes.docs.items()):
        if doc is None:
            deleted.setdefault(table, []).append(doc_id)
        else:
            tables.setdefault(table, {})[doc_id] = doc
    return {"since": since, "state": now, "header": changes.header, "counters": changes.counters,
            "tables": tables, "deleted": deleted}


def applied(header: dict[str, Any], tables: dict[str, Any], delta: Any, where: str
            ) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, tables) brought up to date by ``delta``; the given ones are not changed. StoreError for a
    delta that is not one, or whose documents are not well shaped (checked as a store file's are)."""
    try:
        changed, gone, counters = delta["tables"], delta["deleted"], delta["counters"]
        new_header = delta["header"]
        if not (isinstance(changed, dict) and isinstance(gone, dict) and isinstance(counters, dict)
                and (new_header is None or isinstance(new_header, dict))):
            raise TypeError
    except (KeyError, TypeError):
        raise StoreError(f"the store service at {where} sent a delta this twintui cannot read") from None
    found: list[str] = []
    for table, docs in changed.items():
        found += shape.table_problems(table, docs)
    if new_header is not None:
        found += shape.header_problems({**new_header, "counters": {k: v for k, v in counters.items() if v is not None}})
    if found or not all(isinstance(ids, list) for ids in gone.values()):
        raise StoreError(f"the store service at {where} sent a damaged delta: "
                         f"{found[0] if found else 'deleted documents are not a list of ids'}")
    new_tables = tables.copy()  # (the store's tables: the ones not read yet stay unparsed)
    for table in {*changed, *gone}:
        docs = dict(new_tables.get(table, {}))
        docs.update(changed.get(table, {}))
        for doc_id in gone.get(table, []):
            docs.pop(doc_id, None)
        new_tables[table] = docs
    if new_header is None:
        return header, new_tables
    new_counters = header.get("counters") or {}
    if counters:
        new_counters = dict(new_counters)
    for name, number in counters.items():
        if number is None:
            new_counters.pop(name, None)
        else:
            new_counters[name] = number
    return {**new_header, "counters": new_counters}, new_tables


def changed_documents(tables: dict[str, Any], delta: dict[str, Any]) -> dict[str, list[tuple[str, Any, Any]]]:
    """By table, each document ``delta`` changes: (document id, as it is in ``tables``, as the delta has it),
    None where there is none (``Queries.follow_indexes`` brings the indexes along with these)."""
    found: dict[str, list[tuple[str, Any, Any]]] = {}
    for table, docs in delta["tables"].items():
        before = tables.get(table, {})
        found.setdefault(table, []).extend((doc_id, before.get(doc_id), doc) for doc_id, doc in docs.items())
    for table, ids in delta["deleted"].items():
        before = tables.get(table, {})
        found.setdefault(table, []).extend((doc_id, before.get(doc_id), None) for doc_id in ids)
    return found
