"""Who acts on a store: the operating-system user, to whom every change is attributed.

A process acts as its own user. Two may attribute changes to others: root, and the store service
(``twintui serve``), which commits each client's change as the user the socket's peer credentials
name. The service is recognised by what makes it the service: it owns the store's folder and no one
else may enter it (``private_folder``). Such a process could write the store and its audit log
directly under any name, so acting for others gives it nothing it does not have; a client of the
service cannot even open the store (the folder is 0700), and a member of a group-writable folder
(the old shared mode) is refused.
"""

from __future__ import annotations

import os
import pwd
from pathlib import Path

from .. import files
from ..errors import StoreError


def current_user() -> str:
    """The operating-system user: who a change is attributed to (never an env variable)."""
    return user_name(os.getuid())


def user_name(uid: int) -> str:
    """The name of the user ``uid`` (``uid1234`` for a uid the password database does not know)."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"


# Whether ``Store(user=...)`` may name someone other than the operating-system user. Only the
# tests set it (tests/conftest.py: one process stands in for several officials); root may anyway.
# Inside one Python process nothing is enforced against its own code: this keeps the API from
# offering what the command line and the screens never do (README: a shared server).
ACT_AS_OTHERS = False


def acting_user(user: str | None) -> str:
    """The user a Store acts as: the operating-system user, or ``user`` for root (and the tests)."""
    real = current_user()
    if user is None or user == real:
        return real
    if os.geteuid() == 0 or ACT_AS_OTHERS:
        return user
    raise StoreError(f"{real} may not open a store as {user}: changes are attributed to the operating-system "
                     "user (only root may act as another)")


def private_folder(folder: Path) -> str | None:
    """Why ``folder`` is not a store folder only this process's user may enter (None: it is): owned by the
    effective user, no permission for its group or others. What the store service requires of its store."""
    try:
        fd = files.open_folder(folder)
    except files.FileError as error:
        return error.message
    try:
        info = os.fstat(fd)
    finally:
        os.close(fd)
    me = user_name(os.geteuid())
    if info.st_uid != os.geteuid():
        return f"{folder} is owned by {user_name(info.st_uid)}; it must be owned by {me}"
    if info.st_mode & 0o777 != 0o700:
        return f"{folder} has mode {info.st_mode & 0o7777:04o}; it must be 0700 (only {me} may enter it)"
    return None


def may_act_for(user: str, store_path: Path) -> None:
    """Refuse, unless this process may attribute changes in the store at ``store_path`` to ``user``: its own
    user, root, the tests, or the store service (the owner of a store folder closed to everyone else)."""
    if user == current_user() or os.geteuid() == 0 or ACT_AS_OTHERS:
        return
    why = private_folder(store_path.parent)
    if why:
        raise StoreError(f"{current_user()} may not act for {user} in {store_path}: only the store service does, "
                         f"in a folder no one else may enter ({why})")
