"""Receipts of shape checks: a store file this user has already checked is not checked again until it changes.

Every read of a store file checks the shape of each table it uses (``shape``): a document edited
by hand is refused in one line instead of failing somewhere later. On a large register that is a
fifth of a command's time, spent again on the same bytes at every command. After a table passes,
the store leaves a receipt in this user's cache folder (``platformdirs.user_cache_dir``, below it
``checked/``, one small JSON file per store path), as git's index records the files it has hashed:
the store file's device, inode, size, mtime and ctime (in nanoseconds), the header's token, and
per table checked the digest of the rules it was checked against. The next read of the same file
skips the check of a table the receipt names if all of these match. The receipt also keeps where
in the file each table read so far begins and ends, as that read proved it (``lazy``): the next
read parses a table straight from there, not every table before it.

Why that is sound:

- **Any change of the file changes what the receipt names.** A commit of twintui writes a new
  file (a new inode) with a new random token. An edit in place, even one that keeps the size and
  puts the mtime back (``touch -d``, ``os.utime``), sets the ctime to the time of the edit: the
  kernel sets it on every change of the file's contents or metadata, and no user can set it (only
  root, by changing the clock). A copy put in its place has another inode and ctime.
- **The racy case is never trusted.** Times have a granularity (the kernel's clock tick): a file
  changed in the same tick as it was checked could keep every time. So a receipt vouches only for
  a file whose ctime is more than ``RACY_NS`` (2 s) older than the receipt: a file changed within
  that margin of a check is checked again next time (git calls it "racily clean"), and any change
  made after the receipt gives the file a ctime later than the receipt's own. (On a network
  file system the ctime comes from the server's clock; one running more than 2 s behind this
  machine's narrows the margin by as much.)
- **Only this user's own receipts count.** The folder must be a folder, not a link, owned by this
  user and closed to others (0700, made so); a receipt must be a regular file with one link, of
  this user's and writable by no one else, read without following a link. Anything else, a
  receipt that does not parse, or one of other rules (another version of twintui, another shape
  check's code, other fields or kinds) is ignored, and the check runs as if there were none. A receipt copied back from an
  older state vouches only for the file as it was then, which is what it says.
- **Receipts are a cache.** A folder that cannot be made or written means no receipt (every read
  checks, as before); a receipt is written without fsync (a crash loses it, or leaves one that
  does not parse: both mean one more check). ``twintui check`` never uses them.

Only a direct read of a store file leaves or uses a receipt (a client of the store service reads
the service's copy, which the service checked when it read the file), and never inside a commit
(whose documents in memory may no longer be the file's).
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path
from typing import Any

import orjson

from ... import __version__
from .. import files
from . import shape
from .tables import TABLES

RACY_NS = 2_000_000_000  # a file changed within this of a check may have kept its times: never vouched for
FORMAT = 2  # 2: with the tables' spans
_LIMIT = 64 * 1024  # a receipt is a few hundred bytes: anything far larger is not one


def folder() -> Path:
    """Where this user's receipts are kept: ``checked`` in platformdirs' user cache folder."""
    if sys.platform.startswith("linux"):
        # platformdirs' rule on Linux (the XDG one), without importing it: it loads tempfile (6 ms of a read).
        base = os.environ.get("XDG_CACHE_HOME", "")
        return Path(base if base.strip() else os.path.expanduser("~/.cache")) / "twintui" / "checked"
    import platformdirs

    return Path(platformdirs.user_cache_dir("twintui", appauthor=False)) / "checked"


def _name(store: Path) -> str:
    return hashlib.sha256(os.fsencode(store)).hexdigest()[:32] + ".json"


def _file(info: os.stat_result) -> list[int]:
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


_RULES: dict[str, str] = {}
_CHECKER: list[str] = []  # (computed once)


def _checker() -> str:
    """The shape check's own code, as a digest: a twintui whose check accepts other things uses other receipts."""
    try:
        return hashlib.sha256(Path(shape.__file__).read_bytes()).hexdigest()
    except OSError:
        return ""


def rules(table: str) -> str:
    """A digest of what the shape check of ``table`` asks: this version, the check's code, the table's fields and
    their kinds."""
    found = _RULES.get(table)
    if found is None:
        if not _CHECKER:
            _CHECKER.append(_checker())
        cls = TABLES.get(table)
        kinds = sorted(shape.kinds(cls).items()) if cls is not None else []
        found = _RULES[table] = hashlib.sha256(orjson.dumps([__version__, _CHECKER[0], table, kinds])).hexdigest()[:16]
    return found


class Checked:
    """What vouches for the tables of data another process checked: the store service's snapshot, of which the
    service names the tables it checked before it sent them, and where each is (``Queries.snapshot``)."""

    def __init__(self, spans: dict[str, tuple[int, int]]):
        self.spans = spans

    def vouches(self, table: str) -> bool:
        return table in self.spans

    def passed(self, table: str, spans: dict[str, tuple[int, int]] | None = None) -> None:
        pass  # nothing to keep: the next snapshot comes with its own


class Receipt:
    """One read of a store file: the tables an earlier check of the same file found well shaped, and those this
    process checks (written to the receipt as they pass)."""

    def __init__(self, store: Path, info: os.stat_result, token: str):
        self.store, self.file, self.token = store, _file(info), token
        self.ctime_ns = info.st_ctime_ns
        self.vouched: dict[str, str] = {}
        self.spans: dict[str, tuple[int, int]] = {}  # where each table is in the file (``lazy.Tables.proven``)

    def vouches(self, table: str) -> bool:
        """Whether ``table`` was found well shaped in this very file under the same rules."""
        return table in self.vouched and self.vouched[table] == rules(table)

    def passed(self, table: str, spans: dict[str, tuple[int, int]] | None = None) -> None:
        """``table`` was checked and found well shaped: say so in the receipt (if the file is old enough to), with
        the ``spans`` of the tables this read has proven."""
        if self.vouches(table):
            return
        written = time.time_ns()
        if self.ctime_ns > written - RACY_NS:
            return  # changed too lately: the same times could hide a change made in the same tick
        self.vouched[table] = rules(table)
        self.spans.update(spans or {})
        body = orjson.dumps({"receipt": FORMAT, "store": str(self.store), "file": self.file, "token": self.token,
                             "written_ns": written, "tables": self.vouched, "spans": self.spans})
        try:
            fd = files.private_folder(folder())
        except (files.FileError, OSError):
            return
        try:
            files.replace_private(fd, _name(self.store), body)
        except files.FileError:
            pass
        finally:
            os.close(fd)


def read(store: Path, info: os.stat_result, header: dict[str, Any]) -> Receipt | None:
    """The receipt for this read of ``store`` (``info``: the fstat of the file as read, ``header`` its header),
    with what an earlier receipt vouches for; None when the file can have none (a header without a token)."""
    token = header.get("token")
    if type(token) is not str or not token:
        return None
    receipt = Receipt(store, info, token)
    try:
        fd = files.open_folder(folder(), follow=False)
    except (files.FileError, OSError):
        return receipt  # none yet (or no folder of ours): nothing is vouched for
    try:
        place = os.fstat(fd)
        if place.st_uid != os.geteuid() or place.st_mode & 0o077:
            return receipt
        raw = files.read_private(fd, _name(store), _LIMIT)
    finally:
        os.close(fd)
    if raw is None:
        return receipt
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return receipt
    if (type(data) is dict and data.get("receipt") == FORMAT and data.get("store") == str(store)
            and data.get("file") == receipt.file and data.get("token") == token
            and type(data.get("written_ns")) is int and info.st_ctime_ns <= data["written_ns"] - RACY_NS
            and type(data.get("tables")) is dict):
        receipt.vouched = {k: v for k, v in data["tables"].items() if type(v) is str}
        spans = data.get("spans")
        if type(spans) is dict:
            receipt.spans = {k: (v[0], v[1]) for k, v in spans.items()
                             if type(v) is list and len(v) == 2 and type(v[0]) is int and type(v[1]) is int}
    return receipt
