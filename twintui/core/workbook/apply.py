"""Applying a previewed import: all files in one store transaction, or nothing.

The store checks every revision again under its lock, so a record someone
saved between the preview and now raises ``ConflictError`` and nothing is
written. A backup copy is made first; the audit log gets one ``import`` entry
per file with its SHA-256 and who imported it; the returns tracker marks each
state's quarter as received, in the same write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import TwintuiError
from ..model import Record
from ..store import Store, Transaction
from .preview import CHANGED, NEW, FilePreview, Preview
from .returns import QuarterlyReturn, commit_with_trackers

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class ImportRefused(TwintuiError):
    """The preview has errors or conflicts: nothing is written (exit code 1)."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class ApplyResult:
    txn: int | None  # the store transaction; None when there was nothing to write
    created: list[str] = field(default_factory=list)  # keys of the new records, as the store assigned them
    changed: list[str] = field(default_factory=list)
    received: list[str] = field(default_factory=list)  # tracker ids marked received, e.g. NOR-2026-Q3


def apply(store: Store, preview: Preview, progress: Progress | None = None) -> ApplyResult:
    """Write every new and changed record of every file, in one transaction."""
    if not preview.ok:
        errors = sum(len(f.errors) for f in preview.files)
        conflicts = sum(len(f.conflicts) for f in preview.files)
        raise ImportRefused(f"the import has {errors} error(s) and {conflicts} conflict(s); nothing was written")
    if progress is not None:
        progress("applying", 0, 1)
    saves: list[tuple[str, Record]] = []

    def stage(tx: Transaction) -> None:
        saves.clear()
        for file in preview.files:
            for row in file.rows:
                if row.status in (NEW, CHANGED) and row.record is not None:
                    parent = row.parent.record if row.parent is not None else None
                    tx.save(row.record, parent=parent)
                    saves.append((row.status, row.record))
            tx.note("import", record=file.file.name, **_note(store, file))

    trackers = {}
    for file in preview.files:
        meta = file.file.meta
        if meta.kind == "state":
            trackers[(meta.state, meta.quarter)] = _received(store, file)
    tx = commit_with_trackers(store, "import", trackers, stage, backup="import")
    created, changed = [], []
    for (status, _), stored in zip(saves, tx.saved, strict=False):
        (created if status == NEW else changed).append(stored.key)
    if progress is not None:
        progress("applying", 1, 1)
    received = [r.id for r in tx.saved if isinstance(r, QuarterlyReturn)]
    return ApplyResult(tx.txn, created, changed, received)


def _note(store: Store, file: FilePreview) -> dict[str, object]:
    meta = file.file.meta
    return {
        "file": str(file.file.path), "sha256": file.file.sha256, "by": store.user, "kind": meta.kind,
        "state": meta.state, "quarter": meta.quarter, "export_id": meta.export_id,
        "new": len(file.new), "changed": len(file.changed), "unchanged": file.unchanged,
    }


def _received(store: Store, file: FilePreview) -> Callable[[QuarterlyReturn], QuarterlyReturn]:
    def fill(current: QuarterlyReturn) -> QuarterlyReturn:
        return current.replace(
            received_at=store.clock(), received_by=store.user, received_file=file.file.name,
            received_sha256=file.file.sha256, applied_new=len(file.new), applied_changed=len(file.changed),
        )
    return fill
