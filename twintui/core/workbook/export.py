"""Exporting the quarterly return: the blank template, a state's return, the whole register.

What goes into the workbook is gathered here, and each export is recorded in the store (the
returns tracker, the export's record); ``writing`` writes the file.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import TwintuiError
from ..model import Arrangement, Partner, Record, Risk, coerce, ids
from ..model.returns import QuarterlyReturn, ReturnExport
from ..store import Store
from .progress_export import progress_rows
from .returns import commit_with_trackers
from .writing import Content, Progress, save, workbook_bytes


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    export_id: str
    state: str | None
    quarter: str | None
    arrangements: int
    partners: int
    risks: int
    progress: int = 0  # rows of the Progress sheet


def write_template(path: str | os.PathLike[str]) -> Path:
    """The blank quarterly return (the file shipped in ``sheets/``)."""
    return save(Content("template"), Path(path), pinned=True)


def template_bytes() -> bytes:
    """The blank quarterly return as bytes (the same as ``write_template`` writes)."""
    return workbook_bytes(Content("template"), pinned=True)


def export_return(store: Store, state: str, quarter: str, path: str | os.PathLike[str], *,
                  progress: Progress | None = None) -> ExportResult:
    """A state's return for a quarter, pre-filled with its arrangements, partners and risks.

    The export is recorded in the returns tracker (exported at/by, export id).
    ``state`` may be a code or a country name, ``quarter`` any form of YYYY-Qn.
    """
    content = return_content(store, state, quarter)
    target = Path(path)
    save(content, target, progress=progress)
    _recorded(target, lambda: record_export(store, content, target.name))
    return result_of(content, target)


def return_content(store: Store, state: str, quarter: str) -> Content:
    """What a state's return for a quarter holds, gathered now (by this store's user, with a new export id)."""
    try:
        code = coerce.country(state)
        wanted = coerce.quarter(quarter)
    except ValueError as error:
        raise TwintuiError(str(error)) from None
    if wanted is None:
        raise TwintuiError("give the quarter of the return, e.g. 2026-Q3")
    return _gather(store, "state", code, wanted)


def record_export(store: Store, content: Content, file_name: str) -> None:
    """Record that ``content``, built into a workbook (its records digest set), went out as ``file_name``:
    a state's return in the returns tracker and the record of exports, the whole register in the latter."""
    if content.kind != "state":
        store.save(_export_record(content, file_name), "export")
        return

    def fill(current: QuarterlyReturn) -> QuarterlyReturn:
        return current.replace(exported_at=content.exported_at, exported_by=content.exported_by,
                               export_id=content.export_id, exported_file=file_name)

    commit_with_trackers(store, "export", {(content.state, content.quarter): fill},
                         lambda tx: tx.save(_export_record(content, file_name)))


def suggested_name(state: str | None = None, quarter: str | None = None) -> str:
    """A file name for a return: twintui-return-NOR-2026-Q3.xlsx, or the register's as of today."""
    if state and quarter:
        return f"twintui-return-{state}-{quarter}.xlsx"
    return f"twintui-register-{dt.date.today().isoformat()}.xlsx"


def export_register(store: Store, path: str | os.PathLike[str], *, progress: Progress | None = None) -> ExportResult:
    """The whole register in the return's layout (not in the tracker: it is nobody's return).

    Its export id is recorded all the same, so a copy of it imported twice is known.
    """
    content = register_content(store)
    target = Path(path)
    save(content, target, progress=progress)
    _recorded(target, lambda: record_export(store, content, target.name))
    return result_of(content, target)


def register_content(store: Store) -> Content:
    """What the whole register's export holds, gathered now."""
    return _gather(store, "register")


def _export_record(content: Content, file_name: str) -> ReturnExport:
    return ReturnExport(id=content.export_id, kind=content.kind, state=content.state or None,
                        quarter=content.quarter or None, exported_at=content.exported_at,
                        exported_by=content.exported_by, exported_file=file_name,
                        records_digest=content.records_digest)


def _recorded(target: Path, record: Callable[[], object]) -> None:
    """Record the export; a workbook whose export id the register could not record is removed again
    (imported later, it would be refused as unknown)."""
    try:
        record()
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def result_of(content: Content, path: Path) -> ExportResult:
    return ExportResult(path, content.export_id, content.state or None, content.quarter or None,
                        len(content.arrangements), len(content.partners), len(content.risks), len(content.progress))


def _gather(store: Store, kind: str, state: str = "", quarter: str = "") -> Content:
    docs = store.docs(Arrangement)
    if state:
        docs = [d for d in docs if d.get("reporting_state") == state]
    arrangements = sorted((Arrangement.from_doc(d) for d in docs),
                          key=lambda a: (a.reporting_state, ids.number_of(a.id)))
    order = {a.id: n for n, a in enumerate(arrangements)}

    def children(cls: type[Record]) -> list[Any]:
        found = [cls.from_doc(d) for d in store.docs(cls) if d.get("arrangement") in order]
        return sorted(found, key=lambda r: (order[r.arrangement], ids.number_of(r.id)))

    now = store.clock()
    # A register export reports on the quarter it is made in; a state's return on its own quarter.
    reported = quarter or coerce.quarter_of(dt.date.fromisoformat(now[:10]))
    return Content(
        kind, state, quarter, uuid.uuid4().hex[:12], now, store.user,
        arrangements, children(Partner), children(Risk), progress_rows(store, arrangements, reported),
    )
