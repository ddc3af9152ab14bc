"""What a stored document must look like: the JSON type of every field, before any code reads it.

Records reach the store only through validation, so a document of the wrong shape means the file
was edited by hand or damaged (``"start": 20200101``, ``"likelihood": "high"``, a document that is a
string, a document id ``"x"``). ``problems`` names each such field; the store refuses to work on a
damaged table with one line that points to ``twintui check``, which lists them all.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from ..model import Record
from .tables import TABLES

_TEXT = ("text", "choice", "country", "currency", "quarter", "email")


def _value_problem(kind: str, value: Any) -> str | None:
    """Why ``value`` cannot be a stored value of a field of ``kind`` (None: it can)."""
    if value is None or kind == "data":
        return None
    if kind in _TEXT:
        return None if isinstance(value, str) else "is not a text"
    if kind == "choices":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if ok else "is not a list of texts"
    if kind == "date":
        if not isinstance(value, str):
            return "is not a date (a text such as 2026-07-31)"
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return "is not a date (a text such as 2026-07-31)"
        return None
    if kind == "bool":
        return None if isinstance(value, bool) else "is not true or false"
    if kind == "whole":
        return None if isinstance(value, int) and not isinstance(value, bool) else "is not a whole number"
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "is not a number"
        return None if math.isfinite(value) else "is not a finite number"
    return None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def kinds(cls: type[Record]) -> dict[str, str]:
    """Field name → kind, for the fields whose stored value has a type to check."""
    found = _KINDS.get(cls)
    if found is None:
        found = _KINDS[cls] = {f.name: f.kind for f in cls.FIELDS if f.kind != "data"}
        found.update(id="meta-id", rev="whole", created_at="text", created_by="text", updated_at="text",
                     updated_by="text")
    return found


_KINDS: dict[type[Record], dict[str, str]] = {}
_STRINGS = frozenset((*_TEXT, "meta-id"))


def _well_shaped(kinds: dict[str, str], doc: dict[str, Any]) -> bool:
    """The common case, fast: every value of the expected JSON type (checked at every read of the file)."""
    for name, value in doc.items():
        kind = kinds.get(name)
        if kind is None or value is None:
            continue
        kind_of = type(value)
        if kind_of is str:
            if kind in _STRINGS or (kind == "date" and len(value) == 10 and _is_date(value)):
                continue
        elif kind_of is list:
            if kind == "choices" and all(type(v) is str for v in value):
                continue
        elif kind_of is int:
            if kind == "whole" or kind == "number":
                continue
        elif kind_of is float:
            if kind == "number" and math.isfinite(value):
                continue
        elif kind_of is bool and kind == "bool":
            continue
        return False
    return type(doc.get("id")) is str


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def problems(table: str, doc_id: Any, doc: Any) -> list[str]:
    """Every shape problem of one stored document, each naming the table, document id and field."""
    cls: type[Record] | None = TABLES.get(table)
    good_id = isinstance(doc_id, str) and doc_id.isascii() and doc_id.isdigit()
    if good_id and cls is not None and type(doc) is dict and _well_shaped(kinds(cls), doc):
        return []
    where = f"{table} document {doc_id}" if good_id else f"{table} document {doc_id!r}"
    found = []
    if not good_id:
        found.append(f"{where}: the document id is not a whole number (TinyDB's ids are 1, 2, 3, ...)")
    if not isinstance(doc, dict):
        return [*found, f"{where}: is {type(doc).__name__} {_shown(doc)}, not a record (a JSON object)"]
    if cls is None:
        return found
    if (key := doc.get("id")) and isinstance(key, str):
        parent = doc.get(cls.PARENT) if cls.PARENT else None
        where = f"{where} ({parent}/{key})" if isinstance(parent, str) else f"{where} ({key})"
    if not isinstance(doc.get("id"), str):
        found.append(f"{where}, field id: {_shown(doc.get('id'))} is not a text (every record has an id)")
    rev = doc.get("rev", 0)
    if not isinstance(rev, int) or isinstance(rev, bool):
        found.append(f"{where}, field rev: {_shown(rev)} is not a whole number")
    for name in ("created_at", "created_by", "updated_at", "updated_by"):
        if not isinstance(doc.get(name, ""), str):
            found.append(f"{where}, field {name}: {_shown(doc[name])} is not a text")
    for field in cls.FIELDS:
        reason = _value_problem(field.kind, doc.get(field.name))
        if reason:
            found.append(f"{where}, field {field.name}: {_shown(doc[field.name])} {reason}")
    return found


def table_problems(table: str, docs: Any) -> list[str]:
    """Every shape problem of one stored table (a table that is not an object is one problem)."""
    if not isinstance(docs, dict):
        return [f"table {table}: is not a JSON object of documents"]
    found: list[str] = []
    for doc_id, doc in docs.items():
        found += problems(table, doc_id, doc)
    return found


def header_problems(header: dict[str, Any]) -> list[str]:
    """Every problem of the store's header: the transaction number, the id counters, the access pin."""
    found = []
    txn = header.get("txn", 0)
    if not isinstance(txn, int) or isinstance(txn, bool) or txn < 0:
        found.append(f"header, field txn: {_shown(txn)} is not a transaction number (a whole number)")
    counters = header.get("counters", {})
    if not isinstance(counters, dict):
        found.append(f"header, field counters: {_shown(counters)} is not a JSON object of id counters")
    else:
        for name, number in counters.items():
            if not isinstance(number, int) or isinstance(number, bool) or number < 0:
                found.append(f"header, field counters, {name}: {_shown(number)} is not a whole number")
    for name in ("token", "access"):
        if name in header and not isinstance(header[name], str):
            found.append(f"header, field {name}: {_shown(header[name])} is not a text")
    return found
