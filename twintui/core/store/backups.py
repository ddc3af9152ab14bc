"""Backup copies of the store, made before bulk writes (an import, demo --force, a restore).

They live in ``<stem>-backups/`` beside the store, named by UTC time and reason
so that names sort by age; the latest ``KEEP`` are kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import orjson

from .. import files
from ..errors import NotFoundError, StoreError
from .storage import APP, HEADER

KEEP = 20
_NAME = re.compile(r"^(?P<stem>.+)-(?P<at>\d{8}T\d{6}\d{6}Z)-(?P<reason>[a-z0-9-]+)\.json$")


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    at: dt.datetime
    reason: str
    size: int

    @property
    def name(self) -> str:
        return self.path.name


def _folder_mode(file_mode: int) -> int:
    """A backups folder as open to the group as the store file is (never to others)."""
    if file_mode & 0o020:
        return 0o2770
    if file_mode & 0o040:
        return 0o2750
    return 0o700


def folder_for(store_path: Path) -> Path:
    return store_path.parent / f"{store_path.stem}-backups"


def make(store_path: Path, reason: str, keep: int = KEEP) -> Backup | None:
    """Copy the store as it is now (call under the store lock); None if there is no store yet.

    The copy is written through ``twintui.core.files``: a backups folder that was replaced by a
    link is refused, the copy takes the store's group and mode (never wider than 0660), and a
    copy that cannot be finished (a full disk) leaves nothing behind.
    """
    try:
        stat = files.existing(store_path)
        if stat is None or stat.st_size == 0:
            return None
        data = files.read_bytes(store_path, follow=False)
        folder = folder_for(store_path)
        files.make_folder(folder, _folder_mode(stat.st_mode), stat.st_gid)
        now = dt.datetime.now(dt.UTC)
        slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-") or "backup"
        target = folder / f"{store_path.stem}-{now:%Y%m%dT%H%M%S%f}Z-{slug}.json"
        files.replace(target, data, mode=stat.st_mode & files.PRIVATE, gid=stat.st_gid, folder_link_ok=False,
                      doing="write the backup")
        prune(store_path, keep)
    except files.FileError as error:
        raise StoreError(f"{error.message}; nothing was changed") from None
    return Backup(target, now, slug, len(data))


def list_all(store_path: Path) -> list[Backup]:
    """Backups of this store, newest first (a backups folder that is a link is refused)."""
    folder = folder_for(store_path)
    try:
        fd = files.open_folder(folder, follow=False)
    except files.FileError:
        if not os.path.lexists(folder):
            return []
        raise
    found = []
    try:
        with os.scandir(fd) as entries:
            for entry in entries:
                match = _NAME.match(entry.name)
                if not match or match["stem"] != store_path.stem or not entry.is_file(follow_symlinks=False):
                    continue
                at = dt.datetime.strptime(match["at"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)
                found.append(Backup(folder / entry.name, at, match["reason"], entry.stat(follow_symlinks=False).st_size))
    finally:
        os.close(fd)
    return sorted(found, key=lambda b: b.path.name, reverse=True)


def remove(backup: Backup) -> None:
    """Delete one backup, inside its folder as opened (never through a link)."""
    with contextlib.suppress(OSError, files.FileError):
        fd = files.open_folder(backup.path.parent, follow=False)
        try:
            os.unlink(backup.path.name, dir_fd=fd)
        finally:
            os.close(fd)


def prune(store_path: Path, keep: int = KEEP) -> None:
    for old in list_all(store_path)[keep:]:
        remove(old)


def find(store_path: Path, name: str, paths: bool = True) -> Backup:
    """A backup by its file name (as `twintui backups` lists it), a unique start of one, or (``paths``) a path.
    The store service finds only its own backups, by name: it never opens a path a client names."""
    found = list_all(store_path)
    for backup in found:
        if name == backup.name or paths and name == str(backup.path):
            return backup
    candidate = Path(name).expanduser()
    if paths and (os.sep in name or name.endswith(".json")) and (stat := _stat(candidate)) is not None:
        return Backup(candidate.absolute(), dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC), "file", stat.st_size)
    return named(found, name, store_path)


def named(found: list[Backup], name: str, store_path: Path) -> Backup:
    """The backup of ``found`` (the backups of the store at ``store_path``) named ``name`` or a unique start of it."""
    for backup in found:
        if name == backup.name:
            return backup
    starting = [b for b in found if b.name.startswith(name)]
    if len(starting) == 1:
        return starting[0]
    if len(starting) > 1:
        raise NotFoundError(f"'{name}' matches {len(starting)} backups; give more of the name (twintui backups)")
    raise NotFoundError(f"there is no backup '{name}' of {store_path} (twintui backups lists them)")


def _stat(path: Path) -> os.stat_result | None:
    try:
        return files.existing(path)
    except files.FileError as error:
        raise StoreError(error.message) from None


def read(path: Path) -> tuple[dict, dict]:
    """(header, tables) of a backup copy; StoreError when it is not a twintui store."""
    try:
        data = orjson.loads(files.read_bytes(path))
    except files.FileError as error:
        raise StoreError(error.message) from None
    except OSError as error:
        raise StoreError(f"the backup {path} cannot be read: {error.strerror or error}") from None
    except orjson.JSONDecodeError as error:
        raise StoreError(f"the backup {path} is damaged: it is not valid JSON ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get(HEADER), dict) or data[HEADER].get("app") != APP:
        raise StoreError(f"{path} is not a twintui store (no twintui header); nothing was restored")
    header = data.pop(HEADER)
    if not all(isinstance(table, dict) for table in data.values()):
        raise StoreError(f"the backup {path} is damaged: a table is not a JSON object; nothing was restored")
    return header, data
