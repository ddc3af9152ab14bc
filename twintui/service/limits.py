"""How many connections one user may hold open to the store service at once.

The kernel names the user of a connection (``SO_PEERCRED``) as soon as it is accepted. One whose
user already holds ``MAX_PER_USER`` connections is answered ``503`` (kind ``busy``) at once and
closed before anything is read from it: a user who opens connections without end (or a program
gone wrong) uses up their own share only, and everyone else is still served. Time is bounded
elsewhere: aiohttp closes a connection that sends nothing for the service's ``--timeout``
(``keepalive_timeout``), so idle ones are given back; the change feed is the one long-lived
reply, and counts as one of its user's connections.

aiohttp tells its ``Server`` object of every connection made and lost (``RequestHandler`` calls
``connection_made`` and ``connection_lost`` on it): ``limit_per_user`` counts there, on that one
object, rather than in a site or protocol class of our own.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson

from . import protocol
from .peer import peer_uid

MAX_PER_USER = 128  # a screen holds two (requests, the change feed); the tests' 50 clients of one user fit


def busy_reply(uid: int, limit: int) -> bytes:
    """The whole HTTP reply to a connection over the limit."""
    status, body = protocol.failure("busy", f"uid {uid} already has {limit} connections open to the store "
                                            "service; close some (other twintui windows) and try again")
    content = orjson.dumps(body)
    return (f"HTTP/1.1 {status} Service Unavailable\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(content)}\r\nConnection: close\r\n\r\n").encode() + content


def limit_per_user(server: Any, limit: int = MAX_PER_USER) -> dict[int, int]:
    """Refuse a user's connections to ``server`` (aiohttp's ``web.Server``) beyond ``limit``; the counts by uid."""
    counts: dict[int, int] = {}
    owner: dict[object, int] = {}  # the connection's handler -> its uid
    made, lost = server.connection_made, server.connection_lost

    def connection_made(handler: object, transport: asyncio.Transport) -> None:
        made(handler, transport)
        sock = transport.get_extra_info("socket")
        try:
            uid = peer_uid(sock)
        except (OSError, AttributeError):  # gone already, or not a Unix socket: nothing to count
            return
        if counts.get(uid, 0) >= limit:
            transport.write(busy_reply(uid, limit))
            transport.close()
            return
        counts[uid] = counts.get(uid, 0) + 1
        owner[handler] = uid

    def connection_lost(handler: object, exc: BaseException | None = None) -> None:
        uid = owner.pop(handler, None)
        if uid is not None:
            counts[uid] -= 1
            if not counts[uid]:
                del counts[uid]
        lost(handler, exc)

    server.connection_made = connection_made
    server.connection_lost = connection_lost
    return counts
