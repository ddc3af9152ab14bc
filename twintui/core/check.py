"""``twintui check``: the integrity check of a store file and its audit log."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import files
from .access import file_warnings
from .errors import TwintuiError
from .model import Arrangement, Record, errors, ids, validate
from .store import Store, history, policy, shape
from .store.backups import folder_for
from .text import plural
from .store.backups import list_all as list_backups
from .store.storage import HEADER
from .store.tables import TABLES
from .store.schema import SCHEMA


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
        out.append("  OK" if self.ok else f"  FAILED: {plural(len(self.errors), 'error')}")
        return out


def check_store(path: str | os.PathLike[str], *, user: str | None = None, access_file: Path | None = None) -> Report:
    """Every problem found in the store at ``path``; never raises, whatever the file holds.

    The store service checks its store for a client: ``user`` is the client (the access line says what they
    may do), ``access_file`` the one the service fixes (``Queries``)."""
    report = Report(Path(path))
    try:
        _check(report, user, access_file)
    except Exception as error:  # noqa: BLE001 - a check that stopped says so and what it found so far
        report.errors.append(f"the check stopped at an unexpected problem: {type(error).__name__}: {error}")
    return report


def _check(report: Report, user: str | None = None, access_file: Path | None = None) -> None:
    try:
        os.lstat(report.path)
    except (FileNotFoundError, NotADirectoryError):
        folder = "" if report.path.parent.is_dir() else f": the folder {report.path.parent} does not exist"
        report.errors.append(f"there is no store at {report.path}{folder}")
        return
    except OSError as error:  # a folder one may not enter (the store service's): there may well be one
        report.errors.append(files.failed(error, report.path, "open").message)
        return
    try:
        store = Store(report.path, access_file=access_file)
        if user is not None:
            store = store.acting_for(user)
        store.storage.refresh()
    except TwintuiError as error:
        report.errors.append(error.message)
        return
    header = store.storage.header
    if not header:
        report.errors.append(f"there is no twintui store at {report.path} (the file is empty)")
        return
    header_problems = shape.header_problems(header)
    report.errors += [f"{report.path} is damaged: {problem}" for problem in header_problems]
    schema = header.get("schema")
    if not isinstance(schema, int) or schema < 1 or schema > SCHEMA:
        report.errors.append(f"{report.path}: header, field schema: {schema!r} is not a store schema this twintui "
                             f"reads (1 to {SCHEMA}; a newer twintui may)")
        return
    _check_permissions(report, store)
    tables = store.storage.read() or {}
    counters = header.get("counters", {}) if isinstance(header.get("counters", {}), dict) else {}
    for name in tables:
        if name not in TABLES and name != HEADER:
            report.warnings.append(f"unknown table '{name}' (written by another program or a newer twintui?)")
    before = len(report.errors)
    records = _check_records(report, tables, counters)
    readable = len(report.errors) == before  # a damaged record would only show again as a difference
    _check_access(report, store)
    if header_problems:
        return  # the log is checked against the header's transaction number: fix the header first
    txn = header.get("txn", 0)
    audit_errors, audit_notes = store.audit.verify(txn)
    report.errors += audit_errors
    report.notes += audit_notes
    if readable and not audit_errors:
        report.errors += history.differences(store, records, txn)
    leftovers = sorted(report.path.parent.glob(f".{report.path.name}.*.tmp"))
    if leftovers:
        report.notes.append(f"{plural(len(leftovers), 'temporary file')} left by interrupted writes "
                            f"(safe to delete): {', '.join(p.name for p in leftovers[:3])}")


def _check_records(report: Report, tables: dict[str, Any], counters: dict[str, Any]) -> dict[tuple[str, str], Record]:
    """Shape, ids, revisions, references and field rules of every record; the records that could be read."""
    read: dict[tuple[str, str], Record] = {}
    arrangement_ids = {doc.get("id") for doc in (tables.get(Arrangement.TABLE) or {}).values()
                       if isinstance(doc, dict)}
    for table, cls in TABLES.items():
        seen: set[str] = set()
        docs = tables.get(table, {})
        report.counts[table] = len(docs)
        for doc_id, doc in docs.items():
            damaged = shape.problems(table, doc_id, doc)
            if damaged:
                report.errors += damaged
                continue
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
            read[(table, record.key)] = record
            if record.rev < 1:
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
            try:
                report.errors += [f"{where}: {problem}" for problem in errors(validate(record))]
            except Exception as error:  # noqa: BLE001 - a rule that cannot run on this record is a problem too
                report.errors.append(f"{where}: its fields cannot be checked ({type(error).__name__}: {error})")
    return read


def _check_permissions(report: Report, store: Store) -> None:
    """Store, audit log (every old and new value), lock and backups: what others on this machine may do."""
    folder = folder_for(report.path)
    items = [(report.path, "the store"), (store.audit.path, "the audit log (it holds every old and new value)"),
             (store.storage.lock_path, "the lock file"), (folder, "the backups folder")]
    try:
        items += [(b.path, "a backup") for b in list_backups(report.path)]
    except TwintuiError as error:
        report.errors.append(error.message)
    for path, what in items:
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISLNK(info.st_mode):
            report.errors.append(f"{path} ({what}) is a symbolic link; twintui refuses to use it: someone replaced "
                                 "it (remove the link, see README: a shared server)")
        elif info.st_mode & stat.S_IWOTH:
            report.warnings.append(f"{path} ({what}) is writable by every user on this machine (chmod o-rwx)")
        elif info.st_mode & stat.S_IROTH and path != store.storage.lock_path:
            report.warnings.append(f"{path} ({what}) is readable by every user on this machine (chmod o-rwx)")


def _check_access(report: Report, store: Store) -> None:
    """Single-user or shared mode, and an access file that is broken or that others could change."""
    who = store.access()
    if who.single_user:
        report.access = (f"single-user mode: there is no access file ({who.path}); whoever can write the store "
                            "can change everything")
        return
    if who.problem:
        report.errors.append(f"shared mode, but {who.problem}: no one can change the store")
        return
    users = who.file.users() if who.file else []
    roles = [r for _, r, _ in users]
    counts = (f"{plural(roles.count(policy.MAINTAINER), 'maintainer')}, "
              f"{plural(roles.count(policy.FOCAL_POINT), 'focal point')}, {roles.count(policy.READ_ONLY)} read-only")
    report.access = f"shared mode: access file {who.path} ({counts}); you are {who.describe()}"
    pinned, _ = policy.path_for(store.path, store.storage.header, store.access_file)
    if (env := os.environ.get(policy.ENV)) and Path(env).expanduser().absolute() != pinned:
        report.warnings.append(f"TWINTUI_ACCESS points at {env}, but this store's access file is {pinned} "
                               "(recorded in the store); TWINTUI_ACCESS is ignored for it")
    report.warnings += file_warnings(who.path)
