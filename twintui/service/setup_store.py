"""The store of a service being set up: a new one, or an existing one moved in (``--from``); its first maintainer.

See ``setup`` for the decisions. Everything here runs as root, on the service's folder (0700, the
service user's) and on the old store's files, which may sit in a folder other users can write: they
are read without following links (``core.files``), and only a copy that passed ``twintui check`` in
the service's folder replaces nothing and lets the originals go.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..core import files
from ..core.check import check_store
from ..core.errors import TwintuiError
from ..core.store import Store, backups
from ..core.store.audit import audit_path_for
from ..core.store.policy import default_path
from ..core.text import plural

Say = Callable[[str], None]


def ensure_store(target: Path, source: Path | None, maintainer: str, say: Say) -> None:
    """The service's store at ``target`` with ``maintainer`` a maintainer: kept if there, moved in from
    ``source``, or a new empty one."""
    there = os.path.lexists(target)
    if source is not None:
        source = source.expanduser().absolute()
        if os.path.lexists(source):
            if there:
                raise TwintuiError(f"there is a store at {target} already; moving {source} in would replace it: "
                                   "move it away first, or leave out --from; nothing more was changed")
            move(source, target, maintainer, say)
            return
        if not there:
            raise TwintuiError(f"there is no store at {source} to move in; nothing more was changed")
        say(f"store {target}: there already; {source} is gone (moved in before)")
    elif there:
        say(f"store {target}: there already (kept as it is)")
    else:
        Store.open(target)
        say(f"store {target}: a new, empty store")
    ensure_maintainer(target, maintainer, say)


def move(source: Path, target: Path, maintainer: str, say: Say) -> None:
    """Copy the store at ``source`` with its audit log and backups to ``target``, appoint ``maintainer``, check
    the copy (as the service will read it), then remove the originals; a copy that does not pass the check is
    removed again, and the originals stay as they were."""
    made: list[Path] = []
    try:
        found = backups.list_all(source)  # a backups folder that is a link is refused
        for old, new in [(source, target), (audit_path_for(source), audit_path_for(target))]:
            if os.path.lexists(old):
                files.replace(new, files.read_bytes(old, follow=False), mode=0o600)
                made.append(new)
        if found:
            folder = backups.folder_for(target)
            files.make_folder(folder, 0o700)
            made.append(folder)
            for backup in found:
                copy = folder / backup.name.replace(f"{source.stem}-", f"{target.stem}-", 1)
                files.replace(copy, files.read_bytes(backup.path, follow=False), mode=0o600, folder_link_ok=False)
                made.insert(0, copy)
        made += [p for p in (default_path(target), target.with_name(target.name + ".lock")) if not p.exists()]
        appointed: list[str] = []  # said once the store is in
        ensure_maintainer(target, maintainer, appointed.append)
        moved = check_store(target, access_file=default_path(target))
        if not moved.ok:
            more = f" and {len(moved.errors) - 1} more" if len(moved.errors) > 1 else ""
            raise TwintuiError(f"{source} does not pass twintui check once moved in ({moved.errors[0]}{more}); "
                               f"fix it (twintui --db {source} check) or restore one of its backups first")
    except (TwintuiError, OSError) as error:
        for path in made:
            _remove(path)
        message = error.message if isinstance(error, TwintuiError) else \
            files.failed(error, source, "move").message
        raise TwintuiError(f"{message}; {source} was not moved; nothing more was changed") from None
    for old in [*(b.path for b in found), backups.folder_for(source), source.with_name(source.name + ".lock"),
                audit_path_for(source), source]:
        _remove(old)
    counts = ", ".join(f"{n} {table}" for table, n in moved.counts.items() if n)
    say(f"store {target}: moved in from {source} ({counts or 'no records'}), with its audit log and "
        f"{plural(len(found), 'backup')}; checked: OK; the originals were removed")
    for line in appointed:
        say(line)
    say(f"note: the access file of {source} was not carried over (others could replace it where it was): the "
        "maintainer grants the focal points again (twintui access grant USER --state ISO3)")


def _remove(path: Path) -> None:
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            os.rmdir(path)
        else:
            os.unlink(path)
    except OSError:
        pass  # gone already, or a folder that holds more than twintui's files (left as it is)


def ensure_maintainer(target: Path, user: str, say: Say) -> None:
    """``user`` a maintainer in the access file of the service's folder (the first one: it is made)."""
    from ..core import access

    access_file = default_path(target)
    store = Store.open(target, create=False, access_file=access_file)
    made = access.appoint(store, user)
    if made is None:
        say(f"access file {access_file}: {user} is a maintainer already")
    else:
        say(f"access file {access_file}: {user} is a maintainer (recorded in the audit log); maintainers grant "
            "the others: twintui access grant USER --state ISO3 (or --maintainer, --read-only)")
