"""Reading and writing files where other users can reach: the one place twintui touches a file.

A shared store lives in a folder every member of a Unix group may write, and an output may be
written anywhere, so any file name twintui uses may have been replaced by someone else: by a
symbolic link to a file of whoever runs twintui next (root included), by a hard link, a FIFO
that blocks forever, or a device. Every reader and writer of twintui goes through this module,
which keeps these rules:

- A path is never ``chmod``-ed, ``chown``-ed or ``stat``-ed to decide something: it is opened
  with ``O_NOFOLLOW`` (and ``O_NONBLOCK``, so a FIFO cannot block), the open file is checked with
  ``fstat`` (a regular file with one link, of the expected owner) and changed through its
  descriptor.
- Only a file this process has just created (``O_EXCL`` or ``mkstemp``) is given a mode and group.
- A new version of a file goes to a temporary file from ``tempfile.mkstemp`` in the target's
  folder, is fsynced and renamed into place inside the folder that was opened and checked (so
  never through a symbolic link), and the folder is fsynced.

Every refusal and every failure is a ``FileError``: one line naming the file and the reason.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import TwintuiError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_SAFE = _NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_LINK_ERRNOS = (errno.ELOOP, errno.EMLINK)  # what O_NOFOLLOW gives on a link (Linux, BSD)
PRIVATE = 0o660  # the widest mode a store, its audit log, lock or backups is created with


class FileError(TwintuiError):
    """A file that cannot (or must not) be read or written; nothing was changed (exit code 2)."""

    def __init__(self, path: str | os.PathLike[str], message: str):
        super().__init__(message)
        self.path = Path(path)


def refused(path: str | os.PathLike[str], why: str) -> FileError:
    """``<path> <why>`` (``why`` starts with a verb: "is a folder", "has 2 hard links")."""
    return FileError(path, f"{path} {why}")


def reason_of(error: OSError) -> str:
    """An OSError in the words a user can act on."""
    if error.errno == errno.ENOSPC or error.errno == errno.EDQUOT:
        return "no space left on the device"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied (check the file's and the folder's owner, group and mode; see README: a shared server)"
    if error.errno in _LINK_ERRNOS:
        return "it is a symbolic link, and twintui does not follow links here (give the real path, or remove the link)"
    if error.errno == errno.EROFS:
        return "the file system is read-only"
    return error.strerror or str(error)


def failed(error: OSError, path: str | os.PathLike[str], doing: str) -> FileError:
    """``could not <doing> <path>: <reason>`` as a FileError, to raise."""
    return FileError(path, f"could not {doing} {path}: {reason_of(error)}")


def umask() -> int:
    """The process's umask, read without changing it (setting it would race with other threads)."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def new_file_mode(widest: int = 0o666) -> int:
    """The mode ``open()`` would give a new file (``widest`` less the umask)."""
    return widest & ~umask()


def _what(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return name
    return "not a regular file"


def check_regular(info: os.stat_result, path: str | os.PathLike[str], gids: Iterable[int] = ()) -> None:
    """Refuse anything but a regular file with one link, owned by us (or, with ``gids``, in one of them)."""
    if not stat.S_ISREG(info.st_mode):
        raise refused(path, f"is {_what(info.st_mode)}, not a regular file")
    if info.st_nlink > 1:
        raise refused(path, f"has {info.st_nlink} hard links; twintui writes only a file with one name "
                              "(another name may be someone else's file)")
    groups = set(gids)
    if groups and info.st_uid != os.geteuid() and info.st_gid not in groups:
        raise refused(path, f"belongs to uid {info.st_uid} and gid {info.st_gid}, neither you nor the store's "
                              "group; it was not made by twintui for this store")


def open_file(path: str | os.PathLike[str], flags: int = os.O_RDONLY, *, follow: bool = False,
              doing: str = "read") -> tuple[int, os.stat_result]:
    """Open an existing regular file (never blocking, by default never through a link): (fd, fstat)."""
    try:
        fd = os.open(path, flags | (_SAFE & ~_NOFOLLOW if follow else _SAFE))
    except IsADirectoryError:
        raise refused(path, "is a folder, not a file") from None
    except OSError as error:
        if error.errno == errno.ENXIO:  # opening a FIFO for writing with no reader
            raise refused(path, "is a FIFO (named pipe), not a regular file") from None
        if isinstance(error, FileNotFoundError):
            raise
        raise failed(error, path, doing) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise refused(path, f"is {_what(info.st_mode)}, not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def read_bytes(path: str | os.PathLike[str], *, limit: int | None = None, follow: bool = True) -> bytes:
    """The bytes of a regular file (at most ``limit`` + 1); a FIFO or device is refused, never read."""
    fd, info = open_file(path, follow=follow)
    with os.fdopen(fd, "rb") as handle:
        return handle.read() if limit is None else handle.read(limit + 1)


def existing(path: str | os.PathLike[str], *, writable: bool = False) -> os.stat_result | None:
    """The fstat of the regular file at ``path`` (None if there is none); with ``writable``, refused
    unless this user may write it (opening it for writing proves it: nothing is written)."""
    try:
        fd, info = open_file(path, os.O_WRONLY if writable else os.O_RDONLY,
                             doing="write" if writable else "read")
    except FileNotFoundError:
        return None
    os.close(fd)
    return info


def create(path: str | os.PathLike[str], mode: int, gid: int | None = None) -> bool:
    """Create an empty file with ``mode`` and ``gid`` unless one is there (which is left as it is,
    after checking it is a regular file). Whether it was created."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _SAFE, mode & 0o777)
    except FileExistsError:
        os.close(open_file(path)[0])
        return False
    except OSError as error:
        raise failed(error, path, "create") from None
    try:
        _set_mode(fd, mode, gid)
    finally:
        os.close(fd)
    return True


def _set_mode(fd: int, mode: int, gid: int | None) -> None:
    """Mode and group of a file this process has just created (the umask played no part)."""
    if gid is not None and gid != os.fstat(fd).st_gid:
        with contextlib.suppress(OSError):  # only a member of the group (or root) may give it
            os.fchown(fd, -1, gid)
    os.fchmod(fd, mode & 0o7777)


@contextlib.contextmanager
def appending(path: str | os.PathLike[str], mode: int, gid: int | None = None,
              gids: Iterable[int] = ()) -> Iterator[tuple[int, bool]]:
    """(fd open for reading and appending, whether it was just created) of a log file.

    A new file gets ``mode`` and ``gid``; an existing one must be a regular file with one link,
    ours or in one of ``gids``, and keeps its mode.
    """
    flags = os.O_RDWR | os.O_APPEND
    created = True
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL | _SAFE, mode & 0o777)
    except FileExistsError:
        created = False
        try:
            fd, info = open_file(path, flags, doing="append to")
        except FileNotFoundError:  # removed meanwhile: a new one next time
            raise refused(path, "was removed while twintui opened it; try again") from None
        try:
            check_regular(info, path, gids)
        except BaseException:
            os.close(fd)
            raise
    except OSError as error:
        raise failed(error, path, "create") from None
    try:
        if created:
            _set_mode(fd, mode, gid)
        yield fd, created
    finally:
        os.close(fd)


def append(path: str | os.PathLike[str], data: bytes, mode: int = 0o600) -> None:
    """Append ``data`` to a log file of this user's own (the crash log)."""
    with appending(path, mode) as (fd, _):
        write_all(fd, data)


def write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def open_folder(path: str | os.PathLike[str], *, follow: bool = True) -> int:
    """A descriptor of the folder ``path`` (with ``follow=False``, refused if ``path`` is a link)."""
    try:
        return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC | (0 if follow else _NOFOLLOW))
    except NotADirectoryError:  # also what O_DIRECTORY | O_NOFOLLOW gives on a link (Linux)
        if not follow and os.path.islink(path):
            raise refused(path, "is a symbolic link, and twintui does not follow links here (give the real "
                                "path, or remove the link)") from None
        raise refused(path, "is not a folder") from None
    except FileNotFoundError:
        raise refused(path, "does not exist (give an existing folder)") from None
    except OSError as error:
        raise failed(error, path, "open the folder") from None


def make_folder(path: Path, mode: int, gid: int | None = None) -> None:
    """Create the folder ``path`` (not its parents) with ``mode`` and ``gid``; an existing one must not be a link."""
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        os.close(open_folder(path, follow=False))
        return
    except OSError as error:
        raise failed(error, path, "create the folder") from None
    fd = open_folder(path, follow=False)  # not os.chmod(path): it may be a link by now
    try:
        _set_mode(fd, mode, gid)
    except OSError as error:
        raise failed(error, path, "set the folder's mode") from None
    finally:
        os.close(fd)


def fsync_folder(fd: int) -> None:
    with contextlib.suppress(OSError):  # some file systems cannot fsync a folder
        os.fsync(fd)


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str], *, mode: int | None = None, gid: int | None = None,
              folder_link_ok: bool = True, doing: str = "write") -> Iterator[BinaryIO]:
    """A new version of ``path``: write it to the file this yields; on success it replaces ``path``.

    The temporary file comes from ``mkstemp`` in the target's folder and is renamed into place in
    the folder opened at the start; an existing link, folder, FIFO or device at ``path`` is refused,
    and on any error the temporary file is removed and nothing else changes. ``mode`` defaults to
    what ``open()`` would give (0666 less the umask); ``folder_link_ok=False`` refuses a folder that
    is itself a symbolic link.
    """
    target = Path(path)
    folder = target.parent
    if not target.name or target.name in (".", ".."):
        raise refused(target, "is a folder; give a file name")
    dir_fd = open_folder(folder, follow=folder_link_ok)
    tmp_name = ""
    try:
        try:
            before = os.stat(target.name, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            before = None
        if before is not None and not stat.S_ISREG(before.st_mode):
            raise refused(target, f"is {_what(before.st_mode)}; twintui replaces only a regular file"
                            + (" (it never writes through a link; give the real path)"
                               if stat.S_ISLNK(before.st_mode) else ""))
        import tempfile  # (here: a command that only reads never pays for its import)

        fd, tmp_path = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
        tmp_name = os.path.basename(tmp_path)
        with os.fdopen(fd, "wb") as out:
            # The folder may have been swapped for a link since it was opened: the file must be in ours.
            if not os.path.samestat(os.stat(tmp_name, dir_fd=dir_fd, follow_symlinks=False), os.fstat(fd)):
                raise refused(folder, "was replaced while twintui wrote in it; nothing was written")
            _set_mode(fd, new_file_mode() if mode is None else mode, gid)
            yield out
            out.flush()
            os.fsync(fd)
        os.replace(tmp_name, target.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        tmp_name = ""
        fsync_folder(dir_fd)
    except OSError as error:
        raise failed(error, target, doing) from None
    finally:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name, dir_fd=dir_fd)
        os.close(dir_fd)


def replace(path: str | os.PathLike[str], data: bytes | Iterable[bytes], **options: object) -> None:
    """Replace ``path`` with ``data`` (bytes, or parts written one after the other); see ``replacing``."""
    with replacing(path, **options) as out:  # type: ignore[arg-type]
        for part in [data] if isinstance(data, bytes) else data:
            write_all(out.fileno(), part)


def private_folder(path: Path) -> int:
    """A descriptor of this user's own folder ``path`` (made 0700 with its parents if missing), refused unless it
    is a folder, not a link, owned by this user and closed to everyone else (a cache of this user's)."""
    if not path.is_absolute():
        raise refused(path, "is not an absolute path")
    try:
        os.makedirs(path.parent, 0o700, exist_ok=True)
    except OSError as error:
        raise failed(error, path.parent, "create the folder") from None
    make_folder(path, 0o700)
    fd = open_folder(path, follow=False)
    info = os.fstat(fd)
    if info.st_uid != os.geteuid() or info.st_mode & 0o077:
        os.close(fd)
        raise refused(path, "is not a folder of yours closed to others (mode 0700)")
    return fd


def read_private(dir_fd: int, name: str, limit: int) -> bytes | None:
    """The bytes of ``name`` in a folder from ``private_folder``, or None unless it is a regular file (not a link)
    with one link, of this user's, written by no one else (no group or other write), at most ``limit`` bytes."""
    try:
        fd = os.open(name, os.O_RDONLY | _SAFE, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if (not stat.S_ISREG(info.st_mode) or info.st_nlink != 1 or info.st_uid != os.geteuid()
                or info.st_mode & 0o022 or info.st_size > limit):
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def replace_private(dir_fd: int, name: str, data: bytes) -> None:
    """Replace ``name`` in a folder from ``private_folder`` with ``data`` (mode 0600): a new file made there with
    ``O_EXCL`` (never through a link), renamed into place. Not fsynced: for a cache, which may be lost."""
    import secrets

    tmp_name = f".{name}.{secrets.token_hex(8)}.tmp"
    try:
        fd = os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _SAFE, 0o600, dir_fd=dir_fd)
        try:
            os.fchmod(fd, 0o600)
            write_all(fd, data)
        finally:
            os.close(fd)
        os.replace(tmp_name, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        tmp_name = ""
    except OSError as error:
        raise failed(error, name, "write") from None
    finally:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name, dir_fd=dir_fd)
