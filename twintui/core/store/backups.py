"""Backup copies of the store, made before bulk writes (an import, demo --force, a restore).

They live in ``<stem>-backups/`` beside the store, named by UTC time and reason
so that names sort by age; the latest ``KEEP`` are kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

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
    """Copy the store as it is now (call under the store lock); None if there is no store yet."""
    if not store_path.exists() or store_path.stat().st_size == 0:
        return None
    folder = folder_for(store_path)
    stat = store_path.stat()
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            # The folder takes the store's group, and is as open as the store file.
            os.chown(folder, -1, stat.st_gid)
            os.chmod(folder, _folder_mode(stat.st_mode))
    now = dt.datetime.now(dt.UTC)
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-") or "backup"
    target = folder / f"{store_path.stem}-{now:%Y%m%dT%H%M%S%f}Z-{slug}.json"
    tmp = target.with_suffix(".tmp")
    shutil.copyfile(store_path, tmp)
    os.chmod(tmp, stat.st_mode & 0o7777)
    with contextlib.suppress(OSError):
        os.chown(tmp, -1, stat.st_gid)
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, target)
    prune(store_path, keep)
    return Backup(target, now, slug, target.stat().st_size)


def list_all(store_path: Path) -> list[Backup]:
    """Backups of this store, newest first."""
    folder = folder_for(store_path)
    found = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if not match or match["stem"] != store_path.stem:
            continue
        at = dt.datetime.strptime(match["at"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)
        found.append(Backup(path, at, match["reason"], path.stat().st_size))
    return sorted(found, key=lambda b: b.path.name, reverse=True)


def prune(store_path: Path, keep: int = KEEP) -> None:
    for old in list_all(store_path)[keep:]:
        with contextlib.suppress(OSError):
            old.path.unlink()


def find(store_path: Path, name: str) -> Backup:
    """A backup by its file name (as `twintui backups` lists it), a unique start of one, or a path."""
    from ..errors import NotFoundError

    found = list_all(store_path)
    for backup in found:
        if name in (backup.name, str(backup.path)):
            return backup
    candidate = Path(name).expanduser()
    if candidate.is_file() and (os.sep in name or name.endswith(".json")):
        stat = candidate.stat()
        return Backup(candidate.absolute(), dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC), "file", stat.st_size)
    starting = [b for b in found if b.name.startswith(name)]
    if len(starting) == 1:
        return starting[0]
    if len(starting) > 1:
        raise NotFoundError(f"'{name}' matches {len(starting)} backups; give more of the name (twintui backups)")
    raise NotFoundError(f"there is no backup '{name}' of {store_path} (twintui backups lists them)")


def read(path: Path) -> tuple[dict, dict]:
    """(header, tables) of a backup copy; StoreError when it is not a twintui store."""
    import orjson

    from ..errors import StoreError
    from .storage import APP, HEADER

    try:
        data = orjson.loads(path.read_bytes())
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
