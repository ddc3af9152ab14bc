"""``twintui check``: the integrity check of a store file and its audit log."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from . import comparisons  # noqa: F401  (these make their tables known, so they are checked like the others)
from .mou import model as _memoranda  # noqa: F401
from .workbook import returns as _returns  # noqa: F401
from .errors import StoreError
from .model import RECORD_TYPES, Arrangement, errors, ids, validate
from .store import Store
from .store.storage import HEADER


@dataclass
class Report:
    path: Path
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    access: str = ""  # single-user or shared mode, and who you are (a line of its own, not a problem)

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        out = [f"store {self.path}"]
        if self.counts:
            out.append("  " + ", ".join(f"{n} {table}" for table, n in self.counts.items()))
        if self.access:
            out.append(f"  access: {self.access}")
        out += [f"  error: {m}" for m in self.errors]
        out += [f"  warning: {m}" for m in self.warnings]
        out += [f"  note: {m}" for m in self.notes]
        out.append("  OK" if self.ok else f"  FAILED: {len(self.errors)} error(s)")
        return out


def check_store(path: str | os.PathLike[str]) -> Report:
    """Every problem found in the store at ``path``; never raises on a bad file."""
    report = Report(Path(path))
    if not report.path.exists():
        report.errors.append(f"there is no store at {report.path}")
        return report
    try:
        store = Store.open(report.path, create=False)
    except StoreError as error:
        report.errors.append(error.message)
        return report
    _check_permissions(report)
    header = store.storage.header
    tables = store.storage.read() or {}
    counters = header.get("counters", {})
    if not isinstance(counters, dict):
        report.errors.append("the header's id counters are damaged")
        counters = {}
    for name in tables:
        if name not in RECORD_TYPES and name != HEADER:
            report.warnings.append(f"unknown table '{name}' (written by another program or a newer twintui?)")
    arrangement_ids = {doc.get("id") for doc in tables.get(Arrangement.TABLE, {}).values()}
    for table, cls in RECORD_TYPES.items():
        seen: set[str] = set()
        docs = tables.get(table, {})
        report.counts[table] = len(docs)
        for doc_id, doc in docs.items():
            where = f"{table} document {doc_id}"
            try:
                record = cls.from_doc(doc)
            except (TypeError, ValueError, AttributeError) as error:
                report.errors.append(f"{where} cannot be read: {error}")
                continue
            if not record.id:
                report.errors.append(f"{where} has no id")
                continue
            where = record.key
            if record.key in seen:
                report.errors.append(f"{where}: the id is used twice")
            seen.add(record.key)
            if not isinstance(record.rev, int) or record.rev < 1:
                report.errors.append(f"{where}: revision {record.rev!r} is not a positive whole number")
            if isinstance(record, Arrangement):
                match = ids.ARRANGEMENT_ID.match(record.id)
                if not match:
                    report.errors.append(f"{where}: the id is not of the form TW-<ISO3>-<NNNN>")
                elif counters.get(f"TW-{match[1]}", 0) < int(match[2]):
                    report.errors.append(f"{where}: the id counter for {match[1]} is behind; new ids could collide")
            if cls.PARENT and getattr(record, cls.PARENT) not in arrangement_ids:
                report.errors.append(f"{where}: refers to arrangement {getattr(record, cls.PARENT)!r}, "
                                     "which is not in the store")
            for problem in errors(validate(record)):
                report.errors.append(f"{where}: {problem}")
    _check_access(report, store)
    audit_errors, audit_notes = store.audit.verify(int(header.get("txn", 0)))
    report.errors += audit_errors
    report.notes += audit_notes
    leftovers = sorted(report.path.parent.glob(f".{report.path.name}.*.tmp"))
    if leftovers:
        report.notes.append(f"{len(leftovers)} temporary file(s) left by interrupted writes "
                            f"(safe to delete): {', '.join(p.name for p in leftovers[:3])}")
    return report


def _check_permissions(report: Report) -> None:
    mode = report.path.stat().st_mode
    if mode & stat.S_IWOTH:
        report.warnings.append(f"{report.path} is writable by every user on this machine (chmod o-rwx)")
    elif mode & stat.S_IROTH:
        report.warnings.append(f"{report.path} is readable by every user on this machine (chmod o-rwx)")


def _check_access(report: Report, store: Store) -> None:
    """Single-user or shared mode, and an access file that is broken or that others could change."""
    from . import access

    who = access.current(store)
    if who.single_user:
        report.access = (f"single-user mode: there is no access file ({who.path}); whoever can write the store "
                            "can change everything")
        return
    if who.problem:
        report.errors.append(f"shared mode, but {who.problem}: no one can change the store")
        return
    users = who.file.users() if who.file else []
    roles = [r for _, r, _ in users]
    report.access = (f"shared mode: access file {who.path} ({roles.count(access.MAINTAINER)} maintainer(s), "
                        f"{roles.count(access.FOCAL_POINT)} focal point(s), {roles.count(access.READ_ONLY)} "
                        f"read-only); you are {who.describe()}")
    pinned, _ = access.path_for(store)
    if (env := os.environ.get(access.ENV)) and Path(env).expanduser().absolute() != pinned:
        report.warnings.append(f"TWINTUI_ACCESS points at {env}, but this store's access file is {pinned} "
                               "(recorded in the store); TWINTUI_ACCESS is ignored for it")
    report.warnings += access.file_warnings(who.path)
