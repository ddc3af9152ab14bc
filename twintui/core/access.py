"""Administering access on a shared server: grant, revoke, and writing the access file (issue 8).

What the access file says and how the store enforces it on every change is the store's policy
(``twintui.core.store.policy``): the roles, ``Access`` (what one user may do, ``Store.access()``)
and ``change_refusal``. Here are the changes to the file itself, made by ``twintui access grant``
and ``revoke``: each is checked and audited under the store's lock like any other change, and the
file is written only once its audit entry is durable.
"""

from __future__ import annotations

import os
import pwd
import re
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from . import files
from .errors import AccessError
from .model import coerce
from .store import Store, Transaction
from .store.audit import Change
from .store.policy import FOCAL_POINT, HEADER_KEY, MAINTAINER, NO_ACCESS, ROLES, Access, AccessFile

_USER = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}\$?$")


def check_user_name(user: str) -> str:
    user = user.strip()
    if not _USER.match(user):
        raise AccessError(f"'{user}' is not a Unix user name")
    return user


def unix_user_exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True


def grant(store: Store, user: str, role: str, states: Iterable[str] = ()) -> AccessFile:
    """Give ``user`` exactly ``role`` (with ``states`` for a focal point); audited. Returns the new file."""
    user = check_user_name(user)
    if role not in ROLES:
        raise AccessError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    codes: list[str] = []
    for value in states:
        try:
            codes.append(coerce.country(value))
        except ValueError as error:
            raise AccessError(str(error)) from None
    if role == FOCAL_POINT and not codes:
        raise AccessError("a focal point needs at least one state: --state ISO3")
    if role != FOCAL_POINT and codes:
        raise AccessError("--state goes with a focal point only")

    def change(who: Access, file: AccessFile) -> tuple[AccessFile, dict[str, list[Any]]]:
        if who.single_user and role != MAINTAINER:
            raise AccessError("the store is in single-user mode: the first grant must make a maintainer "
                              "(twintui access grant USER --maintainer); nothing was changed")
        old_role, old_states = file.role_of(user)
        new = file.granted(user, role, codes)
        changes: dict[str, list[Any]] = {"role": [None if old_role == NO_ACCESS else old_role, role]}
        if old_states or codes:
            changes["states"] = [list(old_states), sorted(set(codes))]
        return new, changes

    return _edit(store, "grant", user, change)


def revoke(store: Store, user: str) -> AccessFile:
    """Remove ``user`` from the access file; the last maintainer cannot be removed."""
    user = check_user_name(user)

    def change(who: Access, file: AccessFile) -> tuple[AccessFile, dict[str, list[Any]]]:
        old_role, old_states = file.role_of(user)
        if who.single_user or old_role == NO_ACCESS:
            raise AccessError(f"{user} is not in the access file {file.path}; nothing was changed")
        if old_role == MAINTAINER and file.maintainers == [user]:
            raise AccessError(f"{user} is the last maintainer; grant another maintainer first; nothing was changed")
        changes: dict[str, list[Any]] = {"role": [old_role, None]}
        if old_states:
            changes["states"] = [list(old_states), []]
        return file.revoked(user), changes

    return _edit(store, "revoke", user, change)


def appoint(store: Store, user: str) -> AccessFile | None:
    """Root makes ``user`` a maintainer of ``store``, whatever its access file says, or with none yet (``twintui
    setup-service``: the first maintainer of the store service, or a new one when none is left); audited as
    root. None: ``user`` was a maintainer already, and nothing was changed."""
    user = check_user_name(user)
    if os.geteuid() != 0:
        raise AccessError("only root appoints a maintainer this way; a maintainer grants: twintui access grant "
                          f"{user} --maintainer")

    def change(who: Access, file: AccessFile) -> tuple[AccessFile, dict[str, list[Any]]]:
        old_role, old_states = file.role_of(user)
        changes: dict[str, list[Any]] = {"role": [None if old_role == NO_ACCESS else old_role, MAINTAINER]}
        if old_states:
            changes["states"] = [list(old_states), []]
        return file.granted(user, MAINTAINER), changes

    def by_root(who: Access) -> None:
        if who.file is None and who.path.exists():  # broken: mending it would drop everyone in it
            raise AccessError(f"{who.problem}; fix it first; nothing was changed")

    current = store.access()
    if current.file is not None and user in current.file.maintainers:
        return None
    return _edit(store, "appoint", user, change, allowed=by_root, action="grant")


def _may_manage(who: Access, store: Store) -> None:
    if who.can_manage:
        return
    if who.single_user:
        raise AccessError(f"{who.user} may not change access: the store is in single-user mode and only "
                          f"the owner of {store.path} ({who.owner or 'unknown'}; the folder's owner when "
                          "others may replace the file) or root may grant the first maintainer; "
                          "nothing was changed")
    raise AccessError(f"{who.user} may not change access: only maintainers may "
                      f"({who.problem or who.describe()}); nothing was changed")


def _edit(store: Store, source: str, user: str,
          change: Callable[[Access, AccessFile], tuple[AccessFile, dict[str, list[Any]]]],
          allowed: Callable[[Access], None] | None = None, action: str | None = None) -> AccessFile:
    tx = Transaction(f"access {source}")
    action = action or source
    result: list[AccessFile] = []

    def prepare() -> Callable[[], None]:
        # Under the store lock, on the access file as it is now.
        who = store.access()
        if allowed is None:
            _may_manage(who, store)
        else:
            allowed(who)
        file = who.file or AccessFile(who.path)
        new, changes = change(who, file)
        result.append(new)
        tx.notes.append(Change(action, "access", f"access/{user}", changes))
        tx.header[HEADER_KEY] = str(who.path)
        return lambda: write(new, store.path)

    tx.effects.append(prepare)
    store.commit(tx)
    return result[0]


def write(file: AccessFile, store_path: Path) -> None:
    """Write the access file atomically; a new one is readable by the store's group, by no one else."""
    try:
        like = files.existing(file.path)
        if like is None:
            store = files.existing(store_path)
            # Readable by the store's group at most, never wider than the store (the service's: 0600).
            mode, gid = 0o640 & (store.st_mode if store else 0o640), (store.st_gid if store else None)
        else:
            mode, gid = like.st_mode & 0o7777, like.st_gid
        file.path.parent.mkdir(parents=True, exist_ok=True)
        files.replace(file.path, file.dumps().encode(), mode=mode, gid=gid, doing="write the access file")
    except files.FileError as error:
        raise AccessError(f"{error.message}; nothing was changed") from None
    except OSError as error:
        raise AccessError(f"{files.failed(error, file.path, 'write the access file').message}; nothing was changed") \
            from None


def file_warnings(path: Path) -> list[str]:
    """What `twintui check` says about an access file others could change."""
    out = []
    try:
        mode = path.stat().st_mode
        folder = path.parent.stat().st_mode
    except OSError:
        return out
    if mode & (stat.S_IWGRP | stat.S_IWOTH):
        out.append(f"the access file {path} is writable by its group or by everyone: any of them could make "
                   "themselves a maintainer (chmod g-w,o-w; see README: shared server)")
    elif folder & (stat.S_IWGRP | stat.S_IWOTH) and not folder & stat.S_ISVTX:
        out.append(f"the access file {path} is in a folder its group can write, so any member could replace it; "
                   "keep it in a folder only maintainers can write and set TWINTUI_ACCESS (README: shared server)")
    return out
