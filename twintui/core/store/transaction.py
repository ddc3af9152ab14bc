"""A transaction: what one commit will save, delete and note, filled by the caller.

The caller lists the records; ``commit`` (``twintui.core.store.commit``) carries them out under
the store's lock, running the staging steps (``Transaction.then``) when the saves before them
are done, and fills in what was stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..model import Record
from .audit import Change


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
    staging: list[Callable[[Transaction], None]] = field(default_factory=list)

    def then(self, stage: Callable[[Transaction], None]) -> None:
        """Call ``stage(tx)`` under the store's lock, on freshly read data, once the saves listed before it
        are staged (``tx.saved`` holds them, with the ids the store gave them); it may save more.

        What must be decided on the data as it is at the commit, not as it was read before
        (an import's record of which rows it created), is staged so.
        """
        self.staging.append(stage)

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


def operations(tx: Transaction) -> Iterator[_Op]:
    """The transaction's operations in order, running its staging steps when the ones before are done."""
    done = 0
    while True:
        while done < len(tx.ops):
            yield tx.ops[done]
            done += 1
        if not tx.staging:
            return
        tx.staging.pop(0)(tx)
