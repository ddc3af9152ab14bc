"""The store service's protocol, version 1: its routes, the shapes of requests and replies, errors as kinds.

Pure (no sockets, no HTTP library): the server and the client both speak through these functions,
so what one writes the other reads. docs/service-protocol.md describes the same for people (and for
``curl --unix-socket``). Decisions:

- Records travel as the store keeps them (``{"table", "doc"}``, ``doc`` being ``Record.to_doc()``),
  and the snapshot is the store file's own JSON (``storage.parse`` reads both): one serialisation.
- A commit carries only what a client may ask for: its saves and deletes (a child's new arrangement
  by the index of the operation that saves it), where the change comes from and whether to take a
  backup. Nothing in it names a user: the service takes that from the socket. Anything else in
  the body is refused, so a client cannot believe it sent a field that the service ignored.
- Every error reply is ``{"error": {"kind", "message", ...}}``; the client raises it again as the
  same exception (a conflict with both versions and its base, a validation error with its
  problems), so screens and commands handle a refusal of the service as one of their own store.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..core.errors import AccessError, ConflictError, NotFoundError, StoreError, TwintuiError, ValidationError
from ..core.model import Problem, Record
from ..core.store import Entry, Transaction, shape
from ..core.store.policy import Access, AccessFile, Lookup
from ..core.store.tables import TABLES

PROTOCOL = 1
PREFIX = f"/v{PROTOCOL}"
HELLO, SNAPSHOT, ACCESS, HISTORY, COMMIT = (f"{PREFIX}/{name}" for name in
                                           ("hello", "snapshot", "access", "history", "commit"))
DELTA, CHANGES = f"{PREFIX}/delta", f"{PREFIX}/changes"  # following the store: service.feed, service.delta
# A snapshot's tables, each checked by the service, and where each is in its body: {"name": [start, end]}.
TABLES_HEADER = "Twintui-Tables"
# What the service does besides records (their shapes are in ``payloads``): a return's bytes in, its preview,
# applying it; a workbook, report or document out (``OUTPUT/<kind>``); access changes; the store's files.
IMPORT_FILE, IMPORT_PREVIEW, IMPORT_APPLY = (f"{PREFIX}/import/{step}" for step in ("file", "preview", "apply"))
OUTPUT = f"{PREFIX}/output"
OUTPUTS = ("template", "return", "register", "report", "mou", "comparison", "progress")
ACCESS_GRANT, ACCESS_REVOKE = f"{PREFIX}/access/grant", f"{PREFIX}/access/revoke"
CHECK, BACKUPS, RESTORE_PLAN, RESTORE = (f"{PREFIX}/{name}" for name in ("check", "backups", "restore/plan",
                                                                         "restore"))
# The largest request body the service reads (a commit of the whole demo at --size 10000 is about 20 MiB).
MAX_BODY = 64 << 20

_SOURCE_LENGTH = 80
_BACKUP = re.compile(r"[a-z0-9-]{1,40}")  # as a backup's file name holds it (backups._NAME)


class BadRequest(TwintuiError):
    """A request the service cannot take as it is (a client's bug or another protocol): it changes nothing.
    ``kind``: bad-request, or what else was wrong with it (too-large, timeout)."""

    def __init__(self, message: str, kind: str = "bad-request"):
        super().__init__(message)
        self.kind = kind


# kind -> (HTTP status, what the client raises); the exception's message is the service's.
KINDS: dict[str, tuple[int, type[TwintuiError]]] = {
    "conflict": (409, ConflictError),
    "validation": (422, ValidationError),
    "access": (403, AccessError),
    "not-found": (404, NotFoundError),
    "store": (503, StoreError),
    "error": (500, TwintuiError),  # another error a user can act on, with its exit code
    # The request itself; the client says the service refused it (StoreError).
    "bad-request": (400, StoreError),
    "unknown-route": (404, StoreError),
    "version": (404, StoreError),
    "method": (405, StoreError),
    "timeout": (408, StoreError),
    "too-large": (413, StoreError),
    "gone": (410, StoreError),  # a delta from a state the service cannot bring up to date: fetch the snapshot
    "busy": (503, StoreError),  # more connections of one user than the service takes
    "internal": (500, StoreError),
}
_KIND_OF: list[tuple[type[TwintuiError], str]] = [
    (ConflictError, "conflict"), (ValidationError, "validation"), (AccessError, "access"),
    (NotFoundError, "not-found"), (StoreError, "store")]


# -- records and the things made of them ------------------------------------------------------------

def record_json(record: Record | None) -> dict[str, Any] | None:
    return None if record is None else {"table": type(record).TABLE, "doc": record.to_doc()}


def record_of(raw: Any) -> Record | None:
    """A record as ``record_json`` wrote it (None for None); BadRequest if it is not one."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) != {"table", "doc"}:
        raise BadRequest('a record is {"table", "doc"}')
    table, doc = raw["table"], raw["doc"]
    if table not in TABLES:
        raise BadRequest(f"there is no table {str(table)[:40]!r} (tables: {', '.join(TABLES)})")
    found = shape.problems(table, "0", doc)
    if found:
        raise BadRequest(found[0])
    try:
        return TABLES[table].from_doc(doc)
    except (TypeError, ValueError, KeyError) as error:
        raise BadRequest(f"{table}: {error}") from None


def access_json(access: Access) -> dict[str, Any]:
    file = access.file
    return {"user": access.user, "mode": access.mode, "role": access.role, "states": list(access.states),
            "path": str(access.path), "owner": access.owner, "problem": access.problem,
            "file": None if file is None else {"path": str(file.path), "maintainers": file.maintainers,
                                               "focal_points": file.focal_points, "read_only": file.read_only}}


def access_of(raw: dict[str, Any], arrangement: Lookup) -> Access:
    """The ``Access`` of an ``access_json`` reply; ``arrangement`` finds a child record's arrangement."""
    file = raw["file"]
    return Access(raw["user"], raw["mode"], raw["role"], tuple(raw["states"]), Path(raw["path"]), raw["owner"],
                  raw["problem"], None if file is None else AccessFile(
                      Path(file["path"]), file["maintainers"], file["focal_points"], file["read_only"]), arrangement)


def entry_json(entry: Entry) -> dict[str, Any]:
    return {**entry.body(), "hash": entry.hash, "rev": entry.rev}


def entry_of(raw: dict[str, Any]) -> Entry:
    return Entry.from_dict(raw)


# -- a commit ---------------------------------------------------------------------------------------

def commit_request(tx: Transaction) -> dict[str, Any]:
    """The body of ``POST /v1/commit`` for ``tx``; StoreError for what a client may not send (see above)."""
    if tx.notes or tx.effects or tx.staging or tx.header:
        raise StoreError(f"{tx.source}: this change (an import's, or the access file's) cannot be sent to the "
                         f"store service in protocol {PROTOCOL}; nothing was changed")
    ops: list[dict[str, Any]] = []
    saved_at: dict[int, int] = {}  # id(record) -> the index of the operation that saves it
    for index, op in enumerate(tx.ops):
        record, parent = op.record, None
        if op.parent is not None:
            parent = saved_at.get(id(op.parent))
            if parent is None:  # saved before this transaction: its id is known
                record = record.replace(arrangement=op.parent.id)
        if op.kind == "save":
            saved_at[id(op.record)] = index
        ops.append({"kind": op.kind, **record_json(record), "parent": parent})  # type: ignore[dict-item]
    return {"source": tx.source, "backup": tx.backup, "ops": ops}


def transaction_of(body: Any) -> Transaction:
    """The service's reading of a commit request: a Transaction of the client's saves and deletes."""
    _keys(body, "the commit", required={"source", "ops"}, optional={"backup"})
    source, backup, ops = body["source"], body.get("backup"), body["ops"]
    if not isinstance(source, str) or not 0 < len(source) <= _SOURCE_LENGTH or not source.isprintable():
        raise BadRequest(f"source must be a printable text of 1 to {_SOURCE_LENGTH} characters")
    if backup is not None and not (isinstance(backup, str) and _BACKUP.fullmatch(backup)):
        raise BadRequest("backup must be null or a reason of lower-case letters, digits and dashes")
    if not isinstance(ops, list):
        raise BadRequest("ops must be a list")
    tx = Transaction(source, backup)
    built: list[Record] = []
    for index, op in enumerate(ops):
        where = f"ops[{index}]"
        _keys(op, where, required={"kind", "table", "doc"}, optional={"parent"})
        if op["kind"] not in ("save", "delete"):
            raise BadRequest(f"{where}: kind must be save or delete")
        try:
            record = record_of({"table": op["table"], "doc": op["doc"]})
        except BadRequest as error:
            raise BadRequest(f"{where}: {error.message}") from None
        assert record is not None
        parent = op.get("parent")
        if parent is None:
            pass
        elif op["kind"] != "save" or not type(record).PARENT or type(parent) is not int or not 0 <= parent < index \
                or ops[parent]["kind"] != "save" or ops[parent]["table"] != "arrangements":
            raise BadRequest(f"{where}: parent must be the index of an earlier operation that saves an arrangement")
        if op["kind"] == "delete":
            tx.delete(record)
        else:
            tx.save(record, None if parent is None else built[parent])
        built.append(record)
    return tx


def commit_reply(tx: Transaction) -> dict[str, Any]:
    return {"txn": tx.txn, "saved": [record_json(r) for r in tx.saved], "deleted": tx.deleted}


def take_reply(tx: Transaction, reply: dict[str, Any]) -> Transaction:
    """Fill ``tx`` with what the service committed: the records as stored, the keys deleted, the txn."""
    tx.saved[:] = [record for raw in reply["saved"] if (record := record_of(raw)) is not None]
    tx.deleted[:] = reply["deleted"]
    tx.txn = reply["txn"]
    return tx


def _keys(raw: Any, what: str, required: set[str], optional: frozenset[str] | set[str] = frozenset()) -> None:
    if not isinstance(raw, dict):
        raise BadRequest(f"{what} must be a JSON object")
    unknown = sorted(set(raw) - required - optional)
    if unknown:
        raise BadRequest(f"{what}: unknown field(s) {', '.join(repr(k[:40]) for k in unknown)} "
                         f"(expected {', '.join(sorted(required | optional))})")
    missing = sorted(required - set(raw))
    if missing:
        raise BadRequest(f"{what}: missing {', '.join(missing)}")


# -- errors -----------------------------------------------------------------------------------------

def error_reply(error: TwintuiError) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body) of the error reply that makes the client raise ``error`` again."""
    kind = error.kind if isinstance(error, BadRequest) else \
        next((kind for cls, kind in _KIND_OF if isinstance(error, cls)), "error")
    body: dict[str, Any] = {"kind": kind, "message": error.message}
    if isinstance(error, ConflictError):
        body.update(mine=record_json(error.mine), theirs=record_json(error.theirs), base=record_json(error.base))
    elif isinstance(error, ValidationError):
        body.update(record=record_json(error.record), problems=[asdict(p) for p in error.problems])
    elif kind == "error":
        body["exit_code"] = error.exit_code
    return KINDS[kind][0], {"error": body}


def failure(kind: str, message: str) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body) of an error reply about the request itself (``KINDS``: unknown-route, ...)."""
    return KINDS[kind][0], {"error": {"kind": kind, "message": message}}


def error_of(body: Any, status: int) -> TwintuiError:
    """The exception an error reply stands for (a reply the client cannot read: StoreError)."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not isinstance(error.get("message"), str) or error.get("kind") not in KINDS:
        return StoreError(f"the store service answered {status} without an error this twintui can read")
    kind, message = error["kind"], error["message"]
    try:
        if kind == "conflict":
            mine, theirs, base = (record_of(error[k]) for k in ("mine", "theirs", "base"))
            assert mine is not None
            conflict = ConflictError(mine, theirs, base)
            conflict.message = message  # the service's words (an import's "received meanwhile" says more)
            return conflict
        if kind == "validation":
            record = record_of(error["record"])
            assert record is not None
            return ValidationError(record, [Problem(**p) for p in error["problems"]])
    except (BadRequest, KeyError, TypeError, AssertionError):
        return StoreError(f"the store service's {kind} reply cannot be read: {message}")
    cls = KINDS[kind][1]
    if kind not in ("store", "internal") and cls is StoreError:  # about the request: a client's bug
        return StoreError(f"the store service refused the request ({kind}): {message}")
    raised = cls(message)
    if kind == "error" and isinstance(error.get("exit_code"), int):
        raised.exit_code = error["exit_code"]
    return raised
