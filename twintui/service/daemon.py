"""Running the store service: the checks before it starts, its socket, and stopping cleanly on SIGTERM.

Decisions:

- It refuses to start unless the store's folder is 0700 and owned by the user it runs as: the store,
  its audit log, backups and access file are then out of every client's reach, and the service is
  the only way in (``identity.private_folder``, which is also what lets it act for its clients).
- It refuses to start without an access file in that folder naming a maintainer (``setup-service``
  makes it): without one, the store would be in single-user mode, where every member of the socket's
  group changes everything; a service that started but refused everything would look healthy while
  no one could work, and say so only to its users. The access file is always that one, whatever the
  store's header pins (``Queries.access_file``); if it goes missing while the service runs, every
  change is refused until a maintainer puts it back.
- The socket is bound with a umask that leaves it 0600, then given its group and made 0660, and only
  then listened on: no one connects before the group decides who may. (aiohttp's ``UnixSite`` binds
  and listens at once, so the socket is made here and handed to a ``SockSite``.)
- A socket left behind by a service that died is replaced; one that still answers is another
  service's, and this one refuses to start.
- One user holds at most ``limits.MAX_PER_USER`` connections at once (``limits``).
- SIGTERM (what systemd sends) and SIGINT stop it: no new connections, the requests under way are
  answered (a commit is never cut: it runs in the store's thread), the socket is removed.
"""

from __future__ import annotations

import asyncio
import contextlib
import grp
import os
import signal
import socket as sockets
import stat
from collections.abc import Callable
from pathlib import Path

from aiohttp import web

from ..core.errors import AccessError, TwintuiError
from ..core.store import Store, current_user, policy
from ..core.store.identity import private_folder
from .limits import limit_per_user
from .server import Service

BACKLOG = 128


def serve(store_path: Path, socket_path: Path, group: str | None = None, timeout: float = 30.0,
          say: Callable[[str], None] = print) -> None:
    """Serve the store at ``store_path`` on the Unix socket ``socket_path`` until SIGTERM (or SIGINT)."""
    store_path, socket_path = store_path.absolute(), socket_path.absolute()
    why = private_folder(store_path.parent)
    if why:
        raise TwintuiError(f"the store service does not start: {why}, so that only the service can reach the "
                           "store, its audit log, backups and access file")
    gid = _gid(group)
    access_file = _access_file(store_path)
    store = Store.open(store_path, access_file=access_file)
    sock = listen(socket_path, gid, group)
    bound = os.lstat(socket_path).st_ino
    service = Service(store, timeout=timeout)
    service.warm()
    try:
        asyncio.run(_run(service, sock, timeout, lambda: say(
            f"serve: {store.path} on {socket_path} (group {group or _group_name(os.getegid())}, mode 0660) as "
            f"{current_user()}; SIGTERM stops it")))
    finally:
        service.worker.shutdown(wait=True)
        sock.close()
        _remove(socket_path, bound)
    say("serve: stopped")


def _access_file(store_path: Path) -> Path:
    """The access file in the service's folder, which alone says who may change what; refused if missing or broken."""
    path = policy.default_path(store_path)
    try:
        found = policy.load(path)
    except AccessError as error:
        raise TwintuiError(f"the store service does not start: {error.message}") from None
    if found is None or not found.maintainers:
        why = "there is no access file" if found is None else "no maintainer is named in the access file"
        raise TwintuiError(f"the store service does not start: {why} {path}, so no one could administer it (and "
                           f"without one every client could change everything); make the first maintainer: "
                           f"twintui setup-service --maintainer USER")
    return path


def _gid(group: str | None) -> int | None:
    if group is None:
        return None
    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        raise TwintuiError(f"there is no group {group} (create it: groupadd {group})") from None


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def listen(path: Path, gid: int | None, group: str | None = None) -> sockets.socket:
    """A Unix socket bound at ``path``, mode 0660 and of group ``gid`` before anyone may connect."""
    _clear(path)
    sock = sockets.socket(sockets.AF_UNIX, sockets.SOCK_STREAM)
    old = os.umask(0o177)  # bound 0600: no one but this user until the group is right
    try:
        sock.bind(str(path))
    except OSError as error:
        sock.close()
        raise TwintuiError(f"could not create the socket {path}: {error.strerror or error}") from None
    finally:
        os.umask(old)
    try:
        if gid is not None:
            os.chown(path, -1, gid)
        os.chmod(path, 0o660)
    except OSError as error:
        sock.close()
        os.unlink(path)
        raise TwintuiError(f"could not give the socket {path} to the group {group}: {error.strerror} "
                           f"({current_user()} must be a member of it, or run it as root)") from None
    return sock


def _clear(path: Path) -> None:
    """Make way for the socket at ``path``: a stale socket is removed; anything else is refused."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISSOCK(info.st_mode):
        raise TwintuiError(f"{path} exists and is not a socket; remove it or give another --socket")
    probe = sockets.socket(sockets.AF_UNIX, sockets.SOCK_STREAM)
    try:
        probe.connect(str(path))
    except (ConnectionRefusedError, FileNotFoundError):
        os.unlink(path)  # a service that died left it
        return
    except OSError as error:
        raise TwintuiError(f"could not look at the socket {path}: {error.strerror or error}") from None
    finally:
        probe.close()
    raise TwintuiError(f"another store service is listening on {path}; stop it first")


def _remove(path: Path, bound: int) -> None:
    """Remove the socket at ``path`` if it is still the one bound here (inode ``bound``), not a successor's."""
    with contextlib.suppress(OSError):
        if os.lstat(path).st_ino == bound:
            os.unlink(path)


async def _run(service: Service, sock: sockets.socket, timeout: float, started: Callable[[], None]) -> None:
    # keepalive_timeout also drops a connection that never finishes sending its request's head.
    runner = web.AppRunner(service.app(), access_log=None, keepalive_timeout=timeout, lingering_time=0,
                           handle_signals=False)
    await runner.setup()
    limit_per_user(runner.server)
    site = web.SockSite(runner, sock, shutdown_timeout=timeout, backlog=BACKLOG)
    await site.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    started()
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
