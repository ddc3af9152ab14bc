"""Applying a previewed import: all files in one store transaction, or nothing.

The store checks every revision again under its lock, so a record someone
saved between the preview and now raises ``ConflictError`` and nothing is
written. New rows have no revision to check: what guards them is the record of
the return's export (``submissions.ReturnExport``), saved in the same
transaction with the revision the preview read. If another import received the
same return meanwhile (a second copy, the same file started twice at once),
that revision has moved on and ``ReceivedMeanwhile`` is raised: nothing is
written, and importing again previews it as the second submission it now is.

A backup copy is made first; the audit log gets one ``import`` entry per file
with its SHA-256, export id and who imported it; the returns tracker marks each
state's quarter as received, read and written under the lock, in the same write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConflictError, TwintuiError
from ..model.returns import QuarterlyReturn, ReturnExport
from ..store import Store, Transaction
from ..text import plural
from .outcome import CHANGED, NEW, FilePreview, Preview, RowChange
from .returns import return_id
from .submissions import row_name, saved_key

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class ImportRefused(TwintuiError):
    """The preview has errors or conflicts: nothing is written (exit code 1)."""

    exit_code = 1


class ReceivedMeanwhile(ConflictError):
    """Another import received the same return since the preview: nothing is written (exit code 1)."""

    def __init__(self, mine: ReturnExport, theirs: Any):
        super().__init__(mine, theirs)
        latest = (getattr(theirs, "submissions", None) or [{}])[-1]
        who = f" by {latest.get('by')} at {latest.get('at')}" if latest else ""
        self.message = (f"the return {mine.id} ({mine.describe()}) was received meanwhile by another import{who}; "
                        "nothing was written: import it again to see what this copy still changes")


@dataclass(frozen=True, slots=True)
class ApplyResult:
    txn: int | None  # the store transaction; None when there was nothing to write
    created: list[str] = field(default_factory=list)  # keys of the new records, as the store assigned them
    changed: list[str] = field(default_factory=list)
    received: list[str] = field(default_factory=list)  # tracker ids marked received, e.g. NOR-2026-Q3

    def described(self) -> str:
        """What was written, as the command line and the Returns screen say it after "applied"."""
        marked = f"; marked received: {', '.join(self.received)}" if self.received else ""
        if not self.created and not self.changed:
            return f"no record changed, so no backup was taken{marked}"
        return (f"{len(self.created)} new and {plural(len(self.changed), 'changed record')} in one write "
                f"(a backup was taken first){marked}")


def apply(store: Store, preview: Preview, progress: Progress | None = None) -> ApplyResult:
    """Write every new and changed record of every file, in one transaction."""
    if not preview.ok:
        errors = sum(len(f.errors) for f in preview.files)
        conflicts = sum(len(f.conflicts) for f in preview.files)
        raise ImportRefused(f"the import has {plural(errors, 'error')} and {plural(conflicts, 'conflict')}; "
                            "nothing was written")
    files = [f for f in preview.files if f.writes]
    if not files:
        return ApplyResult(None)  # copies already received, every row as the register has it
    if progress is not None:
        progress("applying", 0, 1)
    rows = [(file, row) for file in files for row in file.rows if row.status in (NEW, CHANGED) and row.record]
    # Only marking returns received leaves nothing for a restore to bring back: no backup, which would
    # push an older one out of those kept.
    tx = Transaction("import", backup="import" if rows else None)

    def stage(tx: Transaction) -> None:
        _not_received_meanwhile(store, files)
        for _, row in rows:
            tx.save(row.record, parent=row.parent.record if row.parent is not None and row.parent.record else None)
        tx.then(lambda tx: _receive(store, files, rows, tx))

    tx.then(stage)
    try:
        store.commit(tx)
    except ConflictError as error:
        if isinstance(error.mine, ReturnExport):
            raise ReceivedMeanwhile(error.mine, error.theirs) from None
        raise
    if progress is not None:
        progress("applying", 1, 1)
    created = [tx.result(row.record).key for _, row in rows if row.status == NEW and row.record]
    changed = [tx.result(row.record).key for _, row in rows if row.status == CHANGED and row.record]
    received = [r.id for r in tx.saved if isinstance(r, QuarterlyReturn)]
    return ApplyResult(tx.txn, created, changed, received)


def _not_received_meanwhile(store: Store, files: list[FilePreview]) -> None:
    """Under the lock, before any row is staged: each return is as the preview read it (the same check is
    made again when its record is saved; this one says why, ahead of the rows' own conflicts)."""
    for file in files:
        if file.export is None:
            continue
        current = store.get(ReturnExport, file.export.id)
        if (current.rev if current is not None else 0) != file.export.rev:
            raise ReceivedMeanwhile(file.export, current)


def _receive(store: Store, files: list[FilePreview], rows: list[tuple[FilePreview, RowChange]],
             tx: Transaction) -> None:
    """Under the lock, once the rows are staged: what each file created and changed, and the tracker."""
    now = store.clock()
    for file in files:
        saved = [(row, tx.result(row.record)) for f, row in rows if f is file and row.record]
        new = sum(row.status == NEW for row, _ in saved)
        tx.note("import", record=file.file.name, **_note(store, file, new, len(saved) - new))
        export = file.export
        if export is not None:
            # Saved with the revision the preview read: a return received meanwhile is a conflict.
            created = dict(export.created or {})
            kept = dict(export.saved or {})
            for row, stored in saved:
                if row.status == NEW:
                    created[f"{row.sheet}!{row.row}"] = [stored.key, row_name(getattr(stored, _name_of(stored)))]
                kept[saved_key(type(stored).TABLE, stored.key)] = [stored.rev, stored.content_hash()]
            submission = {"at": now, "by": store.user, "file": file.file.name, "sha256": file.file.sha256,
                          "new": new, "changed": len(saved) - new}
            tx.save(export.replace(submissions=[*(export.submissions or []), submission], created=created,
                                   saved=kept))
        meta = file.file.meta
        if meta.kind == "state":
            key = return_id(meta.state, meta.quarter)
            current = store.get(QuarterlyReturn, key) or QuarterlyReturn(id=key, state=meta.state,
                                                                         quarter=meta.quarter)
            tx.save(current.replace(received_at=now, received_by=store.user, received_file=file.file.name,
                                    received_sha256=file.file.sha256, applied_new=new,
                                    applied_changed=len(saved) - new))


def _name_of(record: Any) -> str:
    return {"arrangements": "title", "partners": "name", "risks": "description"}.get(type(record).TABLE, "id")


def _note(store: Store, file: FilePreview, new: int, changed: int) -> dict[str, object]:
    meta = file.file.meta
    note: dict[str, object] = {
        "file": str(file.file.path), "sha256": file.file.sha256, "by": store.user, "kind": meta.kind,
        "state": meta.state, "quarter": meta.quarter, "export_id": meta.export_id,
        "new": new, "changed": changed, "unchanged": file.unchanged,
    }
    if file.second_submission is not None:
        note["second_submission"] = True
    return note
