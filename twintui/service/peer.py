"""Who is calling the store service: the kernel's credentials of the socket's peer (``SO_PEERCRED``).

The kernel records the uid of the process that called ``connect()`` on the connection itself; the
client sends nothing the service could take for a name (there is no such field in the protocol), so
an environment claiming ``USER=root`` or a forged header changes nothing. As with PostgreSQL's peer
authentication, a connection passed on to another process keeps its first owner's credentials.
"""

from __future__ import annotations

import socket
import struct
from typing import Any

from ..core.store.identity import user_name

_UCRED = struct.Struct("3i")  # struct ucred: pid, uid, gid


def peer_uid(sock: Any) -> int:
    """The uid of the process at the other end of the Unix socket ``sock``."""
    raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _UCRED.size)
    _pid, uid, _gid = _UCRED.unpack(raw)
    return uid


def peer_user(sock: Any) -> str:
    """The user name of that process (``uid1234`` for a uid without a name), to whom its changes go."""
    return user_name(peer_uid(sock))
