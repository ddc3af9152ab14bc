"""The tables of a store file, each parsed from the file's bytes when it is first read.

A reader of the register needs the arrangements, partners and risks, not the 35 MB of progress
values: parsing all of a 74 MB file costs half a second. twintui writes the file compact, as
``{"_twintui":{…},"arrangements":{…},"partners":{…},…}``, so each table's bytes are found with
``bytes.find(b',"<name>":{')`` in the order a new file lists the tables (C speed).

Why a slice can be trusted. Inside a JSON string every ``"`` is escaped, so ``,"name":{`` is a
real key, but perhaps one nested inside a document. The header's slice starts at a known top-level
place; when it parses as one whole JSON value, the key after it is a top-level key, and so on: a
table's slice is trusted only once every slice before it has parsed too (a nested match cuts an
object in two, and one of those slices then fails). When one fails, or the pattern is not there (a
file pretty-printed or written by another program), the whole file is parsed once, as it always
was, with the same messages. A commit writes an untouched table that was never parsed as the bytes
it was read from: they are its documents as they were, in the order ``split`` looks for them.

Where the tables are, once proven, holds for the very same bytes: ``proven`` gives the spans this
read established, and this user's receipt of the file keeps them (``receipts``: it vouches that the
file has not changed since). A later read of the same file is told them (``trust``) and parses a
table it asks for straight from its span, not every table before it: the progress values without
the partners and risks, the quarterly returns without the memoranda.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any

import orjson

from ..errors import StoreError
from .tables import TABLES

HEADER = "_twintui"
APP = "twintui"
_START = b'{"' + HEADER.encode() + b'":'
_ORDER = tuple(TABLES)
_RANK = {name: at for at, name in enumerate(_ORDER)}  # a table's place in _ORDER


def split(raw: bytes) -> tuple[tuple[int, int], list[tuple[str, int, int]]] | None:
    """(the header's span, each table's (name, start, end)) of a file twintui wrote; None if it does not look so."""
    if not raw.startswith(_START):
        return None
    end = len(raw.rstrip())
    if not raw[:end].endswith(b"}"):
        return None
    end -= 1
    found: list[tuple[str, int, int]] = []  # name, where its key starts, where its value starts
    pos = len(_START)
    for name in _ORDER:
        key = b',"' + name.encode() + b'":{'
        at = raw.find(key, pos, end)
        if at >= 0:
            found.append((name, at, at + len(key) - 1))
            pos = at + len(key)
    if not found:
        return None
    spans = [(name, start, found[i + 1][1] if i + 1 < len(found) else end)
             for i, (name, _, start) in enumerate(found)]
    return (len(_START), found[0][1]), spans


def compact(header: dict[str, Any], tables: Mapping[str, dict[str, Any]]) -> tuple[bytes, dict[str, tuple[int, int]]]:
    """A store file's bytes as twintui writes it (compact, the tables in ``split``'s order), and where each table's
    value is in them, as ``split`` finds it there: known as they are written, not proven by parsing (the store
    service's snapshot, whose client is told them)."""
    parts, spans = [_START, orjson.dumps(header)], {}
    at = len(parts[0]) + len(parts[1])
    for name in sorted(tables, key=lambda name: _RANK.get(name, len(_RANK))):
        key, value = b"," + orjson.dumps(name) + b":", orjson.dumps(tables[name])
        spans[name] = (at + len(key), at + len(key) + len(value))
        parts += [key, value]
        at = spans[name][1]
    parts.append(b"}")
    return b"".join(parts), spans


class Tables(MutableMapping[str, dict[str, Any]]):
    """Table name → its documents by document id; a table is parsed when it is first asked for.

    ``full`` parses the whole file the way a store was always read (raising its StoreErrors): it is
    called when a slice does not parse. Asking whether a table is there, or for all of them, parses
    what it takes to be sure.
    """

    def __init__(self, parsed: dict[str, dict[str, Any]], raw: bytes = b"",
                 spans: list[tuple[str, int, int]] | None = None,
                 full: Callable[[], dict[str, Any]] | None = None):
        self._parsed = parsed
        self._raw = raw
        self._spans = list(spans or ())  # the tables not parsed yet, in the file's order
        self._full = full
        self._trusted: set[str] = set()  # tables whose span an earlier read proved (``trust``)
        self._proven: dict[str, tuple[int, int]] = {}  # the spans of the tables parsed from their slice

    # -- what the storage writes -------------------------------------------
    def unparsed(self) -> Iterator[tuple[str, memoryview | None]]:
        """Every table in the order to write it (``split``'s, so that the next read finds each): (name, its bytes
        as read) while it was never parsed, else None."""
        view = memoryview(self._raw)
        as_read = {name: view[start:end] for name, start, end in self._spans}
        for name in sorted([*self._parsed, *as_read], key=lambda name: _RANK.get(name, len(_RANK))):
            yield name, as_read.get(name)

    def copy(self) -> Tables:
        other = Tables(dict(self._parsed), self._raw, self._spans, self._full)
        other._trusted, other._proven = set(self._trusted), dict(self._proven)
        return other

    # -- where the tables are -------------------------------------------------
    def proven(self) -> dict[str, tuple[int, int]]:
        """The span of every table this read parsed from its slice: each proven a top-level table of these bytes."""
        return dict(self._proven)

    def trust(self, spans: dict[str, tuple[int, int]]) -> None:
        """Believe spans an earlier read of these very bytes proved (a receipt's), where ``split`` finds them too."""
        found = {(name, start, end) for name, start, end in self._spans}
        self._trusted = {name for name, (start, end) in spans.items() if (name, start, end) in found}

    def size_as_read(self, name: str) -> int | None:
        """How many bytes the table ``name`` takes in the file as read, when known (not parsed yet, or parsed from
        its slice); None otherwise (parsed with the whole file, or no such table)."""
        if name in self._proven:
            start, end = self._proven[name]
            return end - start
        return next((end - start for table, start, end in self._spans if table == name), None)

    def trusted_bytes(self, name: str) -> memoryview | None:
        """The table ``name``'s value as the file holds it, while it is not parsed and an earlier read of these very
        bytes proved where it is (``trust``); None otherwise."""
        if name in self._trusted and name not in self._parsed:
            for table, start, end in self._spans:
                if table == name:
                    return memoryview(self._raw)[start:end]
        return None

    # -- parsing --------------------------------------------------------------
    def _upto(self, name: str | None) -> None:
        """Parse every slice up to ``name``'s (all of them: None), or the whole file if one does not parse; only
        ``name``'s when its span is trusted (every slice before a slice parsed, trusted or not, has parsed)."""
        while self._spans:
            at = next((i for i, (table, _, _) in enumerate(self._spans) if table == name), 0) \
                if name in self._trusted else 0
            table, start, end = self._spans[at]
            try:
                docs = orjson.loads(memoryview(self._raw)[start:end])
            except orjson.JSONDecodeError:
                self._whole()
                return
            self._parsed[table] = docs
            self._proven[table] = (start, end)
            del self._spans[at]
            if table == name:
                break
        if not self._spans:  # the file's bytes are not kept once every table is parsed
            self._raw, self._full = b"", None

    def _whole(self) -> None:
        assert self._full is not None
        tables = self._full()
        for name, docs in self._parsed.items():
            if name in tables and tables[name] != docs:  # only a table named twice in the file
                raise StoreError(f"table '{name}' is in the store file twice; `twintui check` lists every "
                                 "problem; fix the file by hand or restore a backup (twintui backups)")
        self._parsed = {**tables, **{k: v for k, v in self._parsed.items() if k not in tables}}
        self._spans, self._raw, self._full = [], b"", None
        self._trusted, self._proven = set(), {}  # the slices did not hold: nothing is proven of them

    def _has(self, name: str) -> bool:
        if name in self._parsed:
            return True
        if any(table == name for table, _, _ in self._spans):
            self._upto(name)
        else:
            self._upto(None)  # only the whole file can say it is not there
        return name in self._parsed

    # -- the mapping ----------------------------------------------------------
    def __getitem__(self, name: str) -> dict[str, Any]:
        if not self._has(name):
            raise KeyError(name)
        return self._parsed[name]

    def __setitem__(self, name: str, docs: dict[str, Any]) -> None:
        self._has(name)  # its place in the file is known for sure first
        self._parsed[name] = docs

    def __delitem__(self, name: str) -> None:
        if not self._has(name):
            raise KeyError(name)
        del self._parsed[name]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._has(name)

    def __iter__(self) -> Iterator[str]:
        self._upto(None)
        return iter(list(self._parsed))

    def __len__(self) -> int:
        self._upto(None)
        return len(self._parsed)

    def __bool__(self) -> bool:
        # The first table's key follows the header, which was parsed: it is there for sure.
        return bool(self._parsed) or bool(self._spans)

    def clear(self) -> None:
        self._parsed, self._spans, self._raw, self._full = {}, [], b"", None
        self._trusted, self._proven = set(), {}


def parse(raw: bytes, path: Path) -> tuple[dict[str, Any], Tables]:
    """(header, tables) of a store file's bytes (``path``: for the messages), each table parsed when first read
    (above); StoreError if not a twintui store. The store service sends its store to clients in this form."""
    found = split(raw)
    if found is not None:
        (start, end), spans = found
        try:
            header = orjson.loads(memoryview(raw)[start:end])
        except orjson.JSONDecodeError:
            pass  # perhaps a nested match: the whole file says
        else:
            if isinstance(header, dict) and header.get("app") == APP:
                return header, Tables({}, raw, spans, lambda: _parse_all(raw, path)[1])
    header, tables = _parse_all(raw, path)
    return header, Tables(tables)


def _parse_all(raw: bytes, path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The whole file parsed at once (a file twintui did not write compact, or one a slice of failed)."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise StoreError(
            f"{path} is damaged: it is not valid JSON ({error}). Copy the latest backup from "
            f"{path.parent / (path.stem + '-backups')} over it, or move the file away."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get(HEADER), dict) or data[HEADER].get("app") != APP:
        raise StoreError(
            f"{path} is not a twintui store (no twintui header). "
            "Point --db or TWINTUI_DB at a twintui store, or at a new file name to start one."
        )
    header = data.pop(HEADER)
    for name, table in data.items():
        if not isinstance(table, dict):
            raise StoreError(f"{path} is damaged: table '{name}' is not a JSON object")
    return header, data
