"""The shapes of what the store service does besides records: imports, outputs, access changes, the store's files.

Pure, as ``protocol`` is (no sockets, no HTTP library): the server writes these, the client reads
them back into the core's own objects, so the command line and the screens print a preview, a
check, a backup list or a restore plan through the service with the code that prints them directly.
Decisions:

- An import's preview comes back whole but for what only ``apply`` needs (the records to save, the
  parsed sheets): those stay in the service, which applies the preview it made (``RemotePreview``
  carries its token), so what is applied is exactly what was shown, checked again under the lock.
- A client's text that the service keeps or shows (a file's name) is checked here: printable, short.
- What goes out as a file (a workbook, a report, a document) is the reply's body, bytes as they are;
  what the command line says about it (an export id, the counts) is the ``OUTPUT_HEADER`` header.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.check import Report
from ..core.store.backups import Backup
from ..core.store.policy import AccessFile
from ..core.store.restore import RestorePlan
from ..core.workbook import ApplyResult, CellProblem, ExportResult, FieldChange, FilePreview, MissingRecord, Preview
from ..core.workbook import ReturnFile, ReturnMeta, RowChange
from .protocol import BadRequest, record_json, record_of

OUTPUT_HEADER = "Twintui-Output"  # the JSON that says what an output's bytes are (ASCII: header text)
NAME_LENGTH = 1024


def name_of(raw: Any, what: str = "name") -> str:
    """A file's name as a client gives it (for messages and the audit log only; never opened)."""
    if not isinstance(raw, str) or not 0 < len(raw) <= NAME_LENGTH or not raw.isprintable():
        raise BadRequest(f"{what} must be a printable text of 1 to {NAME_LENGTH} characters")
    return raw


def text_of(raw: Any, what: str, length: int = 200, empty: bool = False) -> str:
    if not isinstance(raw, str) or len(raw) > length or not raw.isprintable() or not (raw or empty):
        raise BadRequest(f"{what} must be a printable text of at most {length} characters")
    return raw


# -- an import ----------------------------------------------------------------------------------------

@dataclass(eq=False)
class RemotePreview(Preview):
    """A preview made by the store service: ``token`` names it there, for ``POST /v1/import/apply``."""

    token: str | None = None


def preview_json(preview: Preview, token: str | None) -> dict[str, Any]:
    return {"preview": token, "files": [_file_json(f) for f in preview.files]}


def preview_of(raw: dict[str, Any]) -> RemotePreview:
    return RemotePreview([_file_of(f) for f in raw["files"]], token=raw["preview"])


def _file_json(file: FilePreview) -> dict[str, Any]:
    returned, meta = file.file, file.file.meta
    return {
        "file": {"path": str(returned.path), "sha256": returned.sha256, "size": returned.size,
                 "date1904": returned.date1904, "properties": returned.properties,
                 "meta": {"template_version": meta.template_version, "kind": meta.kind, "state": meta.state,
                          "quarter": meta.quarter, "export_id": meta.export_id, "exported_at": meta.exported_at,
                          "exported_by": meta.exported_by}},
        "rows": [{"status": r.status, "table": r.table, "sheet": r.sheet, "row": r.row, "key": r.key, "title": r.title,
                  "changes": [[c.field, c.column, c.old, c.new] for c in r.changes],
                  "problems": [_problem_json(p) for p in r.problems], "note": r.note} for r in file.rows],
        "unchanged": file.unchanged, "problems": [_problem_json(p) for p in file.problems],
        "missing": [[m.table, m.key, m.title] for m in file.missing], "refused": file.refused,
        "not_a_return": file.not_a_return, "export": record_json(file.export),
    }


def _file_of(raw: dict[str, Any]) -> FilePreview:
    about = raw["file"]
    returned = ReturnFile(Path(about["path"]), about["sha256"], about["size"], ReturnMeta(**about["meta"]), {},
                          about["date1904"], about["properties"])
    rows = [RowChange(r["status"], r["table"], r["sheet"], r["row"], r["key"], r["title"],
                      [FieldChange(*c) for c in r["changes"]], [_problem_of(p) for p in r["problems"]],
                      note=r["note"]) for r in raw["rows"]]
    return FilePreview(returned, rows, raw["unchanged"], [_problem_of(p) for p in raw["problems"]],
                       [MissingRecord(*m) for m in raw["missing"]], raw["refused"], raw["not_a_return"],
                       record_of(raw["export"]))  # type: ignore[arg-type]


def _problem_json(problem: CellProblem) -> list[Any]:
    value = problem.to_json()["value"]
    return [problem.sheet, problem.cell, problem.column, value if _plain(value) else str(value), problem.message,
            problem.severity]


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _problem_of(raw: list[Any]) -> CellProblem:
    return CellProblem(*raw)


def apply_json(result: ApplyResult) -> dict[str, Any]:
    return {"txn": result.txn, "created": result.created, "changed": result.changed, "received": result.received}


def apply_of(raw: dict[str, Any]) -> ApplyResult:
    return ApplyResult(raw["txn"], raw["created"], raw["changed"], raw["received"])


# -- outputs ------------------------------------------------------------------------------------------

def export_json(result: ExportResult) -> dict[str, Any]:
    return {"export_id": result.export_id, "state": result.state, "quarter": result.quarter,
            "arrangements": result.arrangements, "partners": result.partners, "risks": result.risks,
            "progress": result.progress}


def export_of(raw: dict[str, Any], path: Path) -> ExportResult:
    return ExportResult(path, raw["export_id"], raw["state"], raw["quarter"], raw["arrangements"], raw["partners"],
                        raw["risks"], raw.get("progress", 0))  # a service from before the Progress sheet sends none


def document_about(document: Any) -> dict[str, Any]:
    """What is said of a rendered MoU version: its arrangement, version and label, and the names to give it."""
    from ..core.mou import render

    memo = document.memorandum
    return {"arrangement": document.arrangement.id, "version": memo.version, "label": memo.label,
            "suggested": {fmt: render.suggested_name(document, fmt) for fmt in render.FORMATS}}


def date_of(raw: Any, what: str) -> dt.date | None:
    if raw is None:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except (TypeError, ValueError):
        raise BadRequest(f"{what} must be null or a date (YYYY-MM-DD)") from None


# -- administration -----------------------------------------------------------------------------------

def access_file_json(file: AccessFile) -> dict[str, Any]:
    return {"path": str(file.path), "maintainers": file.maintainers, "focal_points": file.focal_points,
            "read_only": file.read_only}


def access_file_of(raw: dict[str, Any]) -> AccessFile:
    return AccessFile(Path(raw["path"]), raw["maintainers"], raw["focal_points"], raw["read_only"])


def check_json(report: Report) -> dict[str, Any]:
    return {"path": str(report.path), "errors": report.errors, "warnings": report.warnings, "notes": report.notes,
            "counts": report.counts, "access": report.access}


def check_of(raw: dict[str, Any]) -> Report:
    return Report(Path(raw["path"]), raw["errors"], raw["warnings"], raw["notes"], raw["counts"], raw["access"])


def backup_json(backup: Backup) -> dict[str, Any]:
    return {"name": backup.name, "path": str(backup.path), "at": backup.at.isoformat(), "reason": backup.reason,
            "size": backup.size}


def backup_of(raw: dict[str, Any]) -> Backup:
    return Backup(Path(raw["path"]), dt.datetime.fromisoformat(raw["at"]), raw["reason"], raw["size"])


def plan_json(plan: RestorePlan) -> dict[str, Any]:
    return {"backup": str(plan.backup), "added": plan.added, "removed": plan.removed, "changed": plan.changed,
            "before": plan.before, "after": plan.after}


def plan_of(raw: dict[str, Any]) -> RestorePlan:
    return RestorePlan(Path(raw["backup"]), raw["added"], raw["removed"], raw["changed"], raw["before"], raw["after"])


def keys_of(raw: Any, what: str) -> dict[str, list[str]]:
    """A plan's ``added``, ``removed`` or ``changed`` as a client sends it back (table -> keys)."""
    if not isinstance(raw, dict) or not all(isinstance(t, str) and isinstance(k, list) and
                                            all(isinstance(x, str) for x in k) for t, k in raw.items()):
        raise BadRequest(f"{what} must be an object of table: [keys]")
    return raw
