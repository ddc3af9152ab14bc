"""Who may change what on a shared server: the access file as read, a user's ``Access``, the rule.

twintui runs in one of two modes:

- **single-user mode** (no access file): whoever can write the store file can
  change everything. Only the owner of the store (or root) may grant the first
  maintainer, which starts shared mode: the owner of the store file, or of its
  folder when others may replace the file (see ``_owner``).
- **shared mode** (an access file): a TOML file beside the store
  (``<stem>.access.toml``) or at ``$TWINTUI_ACCESS`` names the maintainers
  (everything, including the access commands), the focal points with the states
  (ISO3) they answer for, and the read-only users (browse and export)::

      maintainers = ["amina"]
      read_only = ["auditor"]

      [focal_points]
      nor-fp = ["NOR"]
      swe-fp = ["SWE", "FIN"]

Identity is the operating-system user of the process (``Store.user``, which is
``os.getuid()``'s name unless a Python caller passes another); no environment
variable or flag sets it. The store's header records which access file governs
it (at the first change in shared mode), so pointing ``TWINTUI_ACCESS``
elsewhere, or deleting the file, cannot turn a shared store back into a
single-user one: a missing or unreadable access file refuses every change.
The store service fixes the access file instead (the one in its own folder,
``Queries(access_file=...)``): there no data in the store, and no variable,
decides which file applies, and there is no single-user mode.

The store enforces this policy itself: ``Store.commit`` reads the access file
under the store's lock on every change (screens, imports, commands alike) and
``change_refusal`` says why a change is refused; ``Store.access()`` gives a
screen the same answers before it offers an edit (``Access.can_edit``).
Granting and revoking, which write the access file, are ``twintui.core.access``.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import files
from ..errors import AccessError
from ..model import Record, coerce

ENV = "TWINTUI_ACCESS"
HEADER_KEY = "access"  # the store header's record of its access file

SINGLE_USER, SHARED = "single-user", "shared"
MAINTAINER, FOCAL_POINT, READ_ONLY, NO_ACCESS = "maintainer", "focal point", "read-only", "none"
ROLES = (MAINTAINER, FOCAL_POINT, READ_ONLY)

# Recording that a state's return was sent out is bookkeeping, not a change to the
# register: every user who may export may record it.
EXPORT_FIELDS = frozenset({"state", "quarter", "exported_at", "exported_by", "export_id", "exported_file"})

# An arrangement's stored document by id (None: there is none): what a child record's state is read from.
Lookup = Callable[[str], "dict[str, Any] | None"]


def _no_arrangement(arrangement_id: str) -> dict[str, Any] | None:
    return None

@dataclass
class AccessFile:
    path: Path
    maintainers: list[str] = field(default_factory=list)
    focal_points: dict[str, list[str]] = field(default_factory=dict)
    read_only: list[str] = field(default_factory=list)

    def role_of(self, user: str) -> tuple[str, tuple[str, ...]]:
        """(role, states) of a user; a user named twice gets the widest role."""
        if user in self.maintainers:
            return MAINTAINER, ()
        if user in self.focal_points:
            return FOCAL_POINT, tuple(self.focal_points[user])
        if user in self.read_only:
            return READ_ONLY, ()
        return NO_ACCESS, ()

    def users(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(user, role, states) of everyone named, sorted by user."""
        names = {*self.maintainers, *self.focal_points, *self.read_only}
        return [(name, *self.role_of(name)) for name in sorted(names)]

    def granted(self, user: str, role: str, states: Iterable[str] = ()) -> AccessFile:
        """A copy in which ``user`` has exactly this role."""
        out = self.revoked(user)
        if role == MAINTAINER:
            out.maintainers = sorted({*out.maintainers, user})
        elif role == FOCAL_POINT:
            out.focal_points[user] = sorted(set(states))
            out.focal_points = dict(sorted(out.focal_points.items()))
        elif role == READ_ONLY:
            out.read_only = sorted({*out.read_only, user})
        else:
            raise ValueError(role)
        return out

    def revoked(self, user: str) -> AccessFile:
        return AccessFile(self.path, [u for u in self.maintainers if u != user],
                          {u: list(s) for u, s in self.focal_points.items() if u != user},
                          [u for u in self.read_only if u != user])

    def dumps(self) -> str:
        """The file as TOML (written by hand: it is three keys; JSON strings are valid TOML strings)."""
        def strings(values: Iterable[str]) -> str:
            return "[" + ", ".join(json.dumps(v) for v in values) + "]"

        lines = [
            "# twintui access file: who may change what in the store beside it (see README: shared server).",
            "# Change it with `twintui access grant/revoke` (audited), not by hand.",
            f"maintainers = {strings(self.maintainers)}",
            f"read_only = {strings(self.read_only)}",
            "",
            "[focal_points]  # user = [the states (ISO3) the user answers for]",
        ]
        lines += [f"{json.dumps(user)} = {strings(states)}" for user, states in self.focal_points.items()]
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "users": [{"user": u, "role": r, "states": list(s)}
                                                  for u, r, s in self.users()]}


def load(path: Path) -> AccessFile | None:
    """The access file at ``path``, None if there is none; AccessError if it cannot be read or is wrong."""
    try:
        raw = files.read_bytes(path, limit=1 << 20)
    except FileNotFoundError:
        return None
    except files.FileError as error:
        raise AccessError(f"the access file {error.message}") from None
    except OSError as error:
        raise AccessError(f"the access file {path} cannot be read: {error.strerror or error}") from None
    import tomllib  # (here: only a store with an access file reads TOML)

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise AccessError(f"the access file {path} is not valid TOML: {error}") from None

    def names(key: str) -> list[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise AccessError(f"the access file {path}: '{key}' must be a list of user names")
        return value

    focal = data.get("focal_points", {})
    if not isinstance(focal, dict):
        raise AccessError(f"the access file {path}: [focal_points] must be a table of user = [states]")
    states: dict[str, list[str]] = {}
    for user, codes in focal.items():
        if isinstance(codes, str):
            codes = [codes]
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise AccessError(f"the access file {path}: focal point {user} must have a list of states (ISO3)")
        try:
            # Codes as grant writes them are taken as they are (pycountry is slow to load).
            states[user] = [c if re.fullmatch(r"[A-Z]{3}", c) else coerce.country(c) for c in codes]
        except ValueError as error:
            raise AccessError(f"the access file {path}: focal point {user}: {error}") from None
    unknown = sorted(set(data) - {"maintainers", "read_only", "focal_points"})
    if unknown:
        raise AccessError(f"the access file {path}: unknown key(s) {', '.join(unknown)} "
                          "(expected maintainers, read_only, [focal_points])")
    return AccessFile(path, names("maintainers"), states, names("read_only"))


def default_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.stem + ".access.toml")


def path_for(store_path: Path, header: Mapping[str, Any], fixed: Path | None = None) -> tuple[Path, bool]:
    """(the access file of the store at ``store_path``, whether it is pinned: by its ``header``, or ``fixed`` by
    whoever opened the store, as the store service does with the one in its folder, whatever the header says)."""
    if fixed is not None:
        return fixed, True
    pinned = header.get(HEADER_KEY)
    if isinstance(pinned, str) and pinned:
        return Path(pinned), True
    if value := os.environ.get(ENV):
        return Path(value).expanduser().absolute(), False
    return default_path(store_path), False


def _owner(path: Path) -> str:
    """Who owns the store, for the first grant: the owner of the store file, unless others may
    replace that file (its folder is writable by its group or by everyone, and not sticky: then any
    ordinary write by one of them makes them the file's owner), in which case the folder's owner."""
    try:
        fd = files.open_folder(path.parent)
        try:
            folder = os.fstat(fd)
        finally:
            os.close(fd)
        info = folder
        if not folder.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or folder.st_mode & stat.S_ISVTX:
            info = files.existing(path) or folder
    except (OSError, files.FileError):
        return ""
    try:
        return pwd.getpwuid(info.st_uid).pw_name
    except KeyError:
        return f"uid{info.st_uid}"


@dataclass(frozen=True)
class Access:
    """What the current user may do in one store: what screens ask before offering an edit."""

    user: str
    mode: str  # SINGLE_USER or SHARED
    role: str = MAINTAINER  # in single-user mode everyone who can write the file is in effect a maintainer
    states: tuple[str, ...] = ()
    path: Path = Path()
    owner: str = ""  # the owner of the store (its file's, or its folder's: see _owner)
    problem: str = ""  # the access file is missing (but pinned) or broken: every change is refused
    file: AccessFile | None = field(default=None, compare=False, repr=False)
    arrangement: Lookup = field(default=_no_arrangement, compare=False, repr=False)

    @property
    def single_user(self) -> bool:
        return self.mode == SINGLE_USER

    @property
    def read_only(self) -> bool:
        """Whether the user can change nothing at all (screens: refuse every edit key)."""
        return bool(self.problem) or self.role in (READ_ONLY, NO_ACCESS)

    @property
    def can_manage(self) -> bool:
        """Whether the user may change the access file (in single-user mode: the store's owner or root)."""
        if self.single_user:
            return self.user in (self.owner, "root")
        return not self.problem and self.role == MAINTAINER

    def can_edit_state(self, state: str | None) -> bool:
        """Whether the user may add and change arrangements (and their records) of ``state``."""
        if self.single_user:
            return True
        if self.problem:
            return False
        if self.role == MAINTAINER:
            return True
        return self.role == FOCAL_POINT and state in self.states

    def can_edit(self, record: Record) -> bool:
        return self.refusal(record) is None

    def refusal(self, record: Record, new: Record | None = None) -> str | None:
        """Why the user may not save ``new`` over ``record`` (or change ``record``); None when allowed."""
        before = record.to_doc() if record.id else None
        after = (new or record).to_doc()
        return change_refusal(self, type(record).TABLE, before, after, self.arrangement)

    def describe(self) -> str:
        """One line for the screens and `twintui check`, e.g. 'alice: focal point for NOR, SWE'."""
        if self.single_user:
            return ("single-user mode: no access file; whoever can write the store file can change everything "
                    f"(create {self.path} with `twintui access grant USER --maintainer` to share it)")
        if self.problem:
            return f"{self.user}: no changes possible: {self.problem}"
        if self.role == FOCAL_POINT:
            return f"{self.user}: focal point for {', '.join(self.states) or 'no state'}"
        if self.role == NO_ACCESS:
            return f"{self.user}: read-only (not in the access file {self.path})"
        return f"{self.user}: {self.role}"


def access_for(user: str, store_path: Path, header: Mapping[str, Any], arrangement: Lookup = _no_arrangement,
               fixed: Path | None = None) -> Access:
    """What ``user`` may do in the store at ``store_path`` (``header``: its header as read), from the
    access file as it is now (``fixed``: that one, see ``path_for``); ``arrangement`` finds the arrangement a
    child record belongs to."""
    path, pinned = path_for(store_path, header, fixed)
    owner = _owner(store_path)
    try:
        file = load(path)
    except AccessError as error:
        return Access(user, SHARED, NO_ACCESS, path=path, owner=owner, problem=error.message, arrangement=arrangement)
    if file is None:
        if pinned:
            return Access(user, SHARED, NO_ACCESS, path=path, owner=owner, arrangement=arrangement,
                          problem=f"the access file {path} of this store is missing; a maintainer must restore it")
        return Access(user, SINGLE_USER, path=path, owner=owner, arrangement=arrangement)
    role, states = file.role_of(user)
    return Access(user, SHARED, role, states, path, owner, file=file, arrangement=arrangement)


def _state(table: str, doc: dict[str, Any] | None, parent: Lookup) -> tuple[bool, str | None]:
    """(whether records of this table belong to a state, which state this one's is)."""
    if doc is None:
        return False, None
    if table == "arrangements":
        return True, doc.get("reporting_state") or None
    if table == "returns":
        return True, doc.get("state") or None
    if table == "exports":  # a state's return is that state's; a register export is nobody's
        return doc.get("kind") == "state", doc.get("state") or None
    if "arrangement" in doc:  # partners, risks, memoranda, progress: the arrangement's reporting state
        found = parent(str(doc.get("arrangement")))
        return True, (found or {}).get("reporting_state") or None
    return False, None


def describe_record(table: str, doc: dict[str, Any] | None, state: str | None) -> str:
    key = ""
    if doc is not None:
        key = doc.get("id") or ""
        if doc.get("arrangement") and key:
            key = f"{doc['arrangement']}/{key}"
    what = {"arrangements": "arrangement", "partners": "partner", "risks": "risk", "memoranda": "memorandum",
            "returns": "return", "comparisons": "comparison", "exports": "export",
            "objective_progress": "objective progress", "activity_progress": "activity progress",
            "spending": "spending"}.get(table, table)
    name = f"{what} {key}" if key else f"a new {what}"
    return f"{name} of {state}" if state else name


def change_refusal(access: Access, table: str, before: dict[str, Any] | None, after: dict[str, Any] | None,
                   parent: Lookup) -> str | None:
    """Why ``access.user`` may not turn ``before`` into ``after`` (None: create; None after: delete)."""
    if access.single_user or access.role == MAINTAINER and not access.problem:
        return None
    doc = before if before is not None else after
    has_state, state = _state(table, before, parent) if before is not None else _state(table, after, parent)
    what = describe_record(table, doc, state)
    if access.problem:
        return f"{access.user} may not change {what}: {access.problem}"
    if table == "returns" and before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        if changed - {"rev", "updated_at", "updated_by"} <= EXPORT_FIELDS:
            return None  # recording an export
    filled = {k for k, v in (after or {}).items() if v not in ("", None, 0)}
    if table == "returns" and before is None and filled - {"id", "created_at", "created_by", "updated_at",
                                                           "updated_by"} <= EXPORT_FIELDS:
        return None
    if table == "exports":
        if before is None and not (after or {}).get("submissions"):
            return None  # recording an export: whoever may export
        if access.role not in (NO_ACCESS, READ_ONLY) and not _state(table, doc, parent)[0]:
            return None  # a submission of a register export: its rows are checked one by one
    if access.role == NO_ACCESS:
        return f"{access.user} may not change {what}: {access.user} is not in the access file {access.path} " \
               "(a maintainer can grant access: twintui access grant USER ...)"
    if access.role == READ_ONLY:
        return f"{access.user} may not change {what}: {access.user} has read-only access (browse and export)"
    # A focal point: every state the change touches must be one of theirs.
    states = {state}
    if after is not None and before is not None:
        states.add(_state(table, after, parent)[1])
    if has_state:
        other = sorted(s or "no state" for s in states if s not in access.states)
        if other:
            theirs = ", ".join(access.states) or "no state"
            moved = f" (moving it to {other[-1]})" if before is not None and len(states) > 1 and state in \
                access.states else ""
            return (f"{access.user} may not change {what}{moved}: {access.user} is the focal point for {theirs} "
                    f"and does not answer for {', '.join(other)}")
        return None
    # Records of no state (comparisons): a focal point makes their own and changes only those.
    if before is None or before.get("created_by") == access.user:
        return None
    return (f"{access.user} may not change {what}: it was made by {before.get('created_by') or 'someone else'}; "
            "a focal point changes only what they made (or ask a maintainer)")
