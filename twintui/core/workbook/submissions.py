"""The record of every return that went out, and of every copy of it that came back, by export id.

A return travels: the focal point re-saves it in LibreOffice and mails it twice, a
script rewrites it, the maintainer imports it again after restoring a backup. Its
SHA-256 changes with every save; its export id (in _meta) does not. So one
``ReturnExport`` per export id says what went out (kind, state, quarter, when, by
whom, a digest of the records as exported) and, for each submission that came back:

- ``created``: the row of the file (``Register!7``) → the record it created, with a
  hash of what names the row (an arrangement's title, a partner's name, a risk's
  description). A later copy's row 7 with that name is that record, compared with
  it, never added again;
- ``saved``: each record a submission created or changed → its revision and content
  hash as the submission left them. A later copy is compared with that, as a first
  one is with the export: what the first copy changed is no conflict the second time.

Before a file is compared, ``recorded_export`` checks its _meta against this record
(kind, state, quarter, the list of exported records, the export id in the document
properties) and gives the reason to refuse what does not match. The record lives in
the store beside the returns tracker, and a restore keeps both as they are
(``KEPT_ON_RESTORE``): they record what went out and came back, not the register's
content, and rolling them back would let the same file add its rows again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from ..model import coerce
from ..model.returns import QuarterlyReturn, ReturnExport
from ..store import Store
from . import layout
from .read import ReturnFile
from .returns import return_id


def row_name(value: Any) -> str:
    """A short hash of what names a row (title, partner name, risk description), as people write it."""
    name = " ".join(coerce.text(value).split()).casefold()
    return hashlib.sha256(name.encode()).hexdigest()[:12] if name else ""


def saved_key(table: str, key: str) -> str:
    return f"{table}|{key}"


@dataclass(frozen=True, slots=True)
class Baseline:
    """What a later copy of a return is compared with: the export, then what earlier copies did."""

    created: dict[str, tuple[str, str]] = field(default_factory=dict)  # "Register!7" -> (key, row name)
    saved: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)  # (table, key) -> (rev, hash)

    @classmethod
    def of(cls, export: ReturnExport | None) -> Baseline:
        if export is None:
            return cls()
        created = {where: (str(entry[0]), str(entry[1])) for where, entry in (export.created or {}).items()}
        saved = {}
        for where, (rev, content_hash) in (export.saved or {}).items():
            table, _, key = where.partition("|")
            saved[(table, key)] = (int(rev), str(content_hash))
        return cls(created, saved)


def recorded_export(store: Store, file: ReturnFile) -> tuple[ReturnExport | None, str]:
    """The export a returned file comes from, as the register recorded it, or why the file is refused.

    A blank template has no export id and no record; any other file must name an
    export this register issued, and say of it what the register recorded.
    """
    meta = file.meta
    if meta.kind == "template" and not meta.export_id:
        return None, ""
    if not meta.export_id:
        return None, (f"its _meta sheet says it is a {meta.describe()} but gives no export id: the _meta sheet was "
                      "edited; ask for the return as it was exported")
    prop = file.properties.get(layout.PROPERTY_EXPORT_ID, "")
    if prop and prop != meta.export_id:
        return None, (f"its document properties give the export id {prop} but its _meta sheet {meta.export_id}: "
                      "one of them was edited; ask for the return as it was exported")
    export = store.get(ReturnExport, meta.export_id)
    if export is None:
        export, refusal = _from_tracker(store, file)
        if refusal or export is None:
            return None, refusal or (f"its export id {meta.export_id} was not issued by this register (a return "
                                     "exported from another store, or an edited _meta sheet); export a fresh return")
    if meta.kind != export.kind:
        said = "a whole-register export" if meta.kind == "register" else f"a {meta.describe()}"
        return None, _mismatch(export, f"says it is {said}")
    if export.kind == "state":
        if meta.state != export.state:
            return None, _mismatch(export, f"names {meta.state} as the state")
        if meta.quarter != export.quarter:
            return None, _mismatch(export, f"names {meta.quarter} as the quarter")
    if export.records_digest and layout.records_digest(
            (table, key, r.rev, r.content_hash, r.cells_hash) for (table, key), r in meta.records.items()
    ) != export.records_digest:
        return None, (f"its _meta sheet's list of exported records (revisions and hashes) is not the one export "
                      f"{meta.export_id} wrote: it was edited; ask for the return as it was exported")
    return export, ""


def _mismatch(export: ReturnExport, what: str) -> str:
    return (f"its _meta sheet {what}, but export {export.id} was {export.describe()}: the _meta sheet was "
            "edited; ask for the return as it was exported")


def _from_tracker(store: Store, file: ReturnFile) -> tuple[ReturnExport | None, str]:
    """A state's return exported before exports were recorded: the tracker has its export id."""
    meta = file.meta
    tracker = next((r for r in store.all(QuarterlyReturn) if r.export_id == meta.export_id), None)
    if tracker is None:
        return None, ""
    if tracker.received_at:
        return None, (f"this return ({tracker.id}) was received on {tracker.received_at[:10]}, before twintui kept a "
                      "record of what each submission created; importing it again could add its new rows twice. "
                      "Export a fresh return for further changes")
    return ReturnExport(id=meta.export_id, kind="state", state=tracker.state, quarter=tracker.quarter,
                        exported_at=tracker.exported_at, exported_by=tracker.exported_by,
                        exported_file=tracker.exported_file), ""


def tracker_of(export: ReturnExport) -> str | None:
    return return_id(export.state or "", export.quarter or "") if export.kind == "state" else None
