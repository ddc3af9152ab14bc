"""Record identifiers: ``TW-<ISO3>-<NNNN>`` for arrangements, ``P-<n>``/``R-<n>`` within one.

Numbers are handed out by the store under its lock from counters it keeps, so
they stay unique when several processes add records at once and are never
reused after a delete.
"""

from __future__ import annotations

import re

ARRANGEMENT_ID = re.compile(r"^TW-([A-Z]{3})-(\d{4,})$")
CHILD_ID = re.compile(r"^([PR])-(\d+)$")
PREFIXES = {"partners": "P", "risks": "R"}


def arrangement_id(state: str, number: int) -> str:
    return f"TW-{state}-{number:04d}"


def is_arrangement_id(value: str) -> bool:
    return bool(ARRANGEMENT_ID.match(value))


def child_id(table: str, number: int) -> str:
    return f"{PREFIXES[table]}-{number}"


def number_of(identifier: str) -> int:
    """The running number in an id (0 when it has none)."""
    match = re.search(r"(\d+)$", identifier)
    return int(match[1]) if match else 0
