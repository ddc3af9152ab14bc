"""The store service's change feed (``GET /v1/changes``) and deltas (``GET /v1/delta``): how clients follow the store.

Decisions (docs/service-protocol.md says the same for people):

- The feed is one long-lived response of JSON lines (NDJSON): ``{"txn", "state"}`` at once (the
  store as it is), then a line for every new state, and the same line again every ``HEARTBEAT``
  seconds while nothing changes, so that a client notices a service that stopped answering. A line
  names the newest state only: commits that follow each other quickly may share one line. It
  carries no documents: a client that reads fetches the delta then, one that does not pays nothing.
- A new state is published when a call in the store thread ends on a generation not yet published
  (``Service._in_store``): the service's own commits, and a store file its user changed by hand,
  which the store thread looks for every ``WATCH`` seconds (a look at the file's identity and head).
- A delta is made in the event loop from the storage's journal alone (``core.store.journal``: the
  documents each commit wrote, which are never changed after), so a read never waits behind the
  commits under way in the store thread, and it is one state of the store, never part of two. The
  reply for (since, now) is kept until the store changes again, so fifty clients behind by the same
  commit cost one. A state the journal cannot bring up to date (another run's, or too far behind)
  gets ``410`` (kind ``gone``): fetch the snapshot.
- On shutdown (SIGTERM) every feed ends at once, so the service does not wait for them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import orjson
from aiohttp import web

from . import delta, protocol

if TYPE_CHECKING:
    from .server import Service

HEARTBEAT = 15.0  # seconds between lines when nothing changes (a client gives up after three missed)
WATCH = 2.0  # seconds between looks at the store file while anyone follows


class Feed:
    """The feed and the deltas of ``service``; ``publish`` is told of every state the store thread ends on."""

    def __init__(self, service: Service):
        self.service = service
        self.run = service.run_id
        storage = service.store.storage
        self.now = (delta.state(self.run, storage.generation), int(storage.header.get("txn", 0)))
        self._moved = asyncio.Event()
        self._closing = False
        self._delta: tuple[str, str, bytes] | None = None  # (since, now, body) of the last delta made

    def register(self, app: web.Application) -> None:
        app.router.add_get(protocol.CHANGES, self.changes)
        app.router.add_get(protocol.DELTA, self.delta)
        app.on_shutdown.append(self._close)
        app.cleanup_ctx.append(self._watching)

    def publish(self, generation: int, txn: int) -> None:
        """(In the event loop.) The store is at ``generation``: tell the followers if that is news."""
        now = delta.state(self.run, generation)
        if now != self.now[0]:
            self.now = (now, txn)
            moved, self._moved = self._moved, asyncio.Event()
            moved.set()

    # -- the feed --------------------------------------------------------------------------------

    async def changes(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/x-ndjson", "Cache-Control": "no-store"})
        await response.prepare(request)
        try:
            while not self._closing:
                moved, (now, txn) = self._moved, self.now
                await response.write(orjson.dumps({"txn": txn, "state": now}) + b"\n")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(moved.wait(), HEARTBEAT)
            await response.write_eof()
        except ConnectionError:  # the client went away (or the service is closing its connections)
            pass
        return response

    async def _close(self, app: web.Application) -> None:
        self._closing = True
        self._moved.set()

    async def _watching(self, app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(self._watch())
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(WATCH)
            with contextlib.suppress(Exception):  # a damaged file is said to whoever reads it
                await self.service._in_store(self.service.store.storage.refresh)

    # -- deltas ----------------------------------------------------------------------------------

    async def delta(self, request: web.Request) -> web.Response:
        now, body = self._delta_now(request.query.get("since", ""))
        if body is None:
            return web.Response(status=304, headers={"ETag": delta.etag(now)})
        return web.Response(body=body, content_type="application/json", headers={"ETag": delta.etag(now)})

    def _delta_now(self, since: str) -> tuple[str, bytes | None]:
        """(the state now, the delta from ``since`` to it; None: it is ``since``). In the event loop: the
        journal holds what the commits wrote, so a read does not wait for the commits under way."""
        journal = self.service.store.storage.journal
        assert journal is not None  # (the service starts it)
        now = delta.state(self.run, journal.last)
        if since == now:
            return now, None
        cached = self._delta
        if cached is not None and cached[:2] == (since, now):
            return now, cached[2]
        parsed = delta.parse(since)
        changes = journal.since(parsed[1]) if parsed and parsed[0] == self.run else None
        if changes is None:
            raise protocol.BadRequest(f"the store cannot be brought up to date from {since[:40]!r} (another run "
                                      f"of the service, or too far behind): GET {protocol.SNAPSHOT}", "gone")
        now = delta.state(self.run, changes.generation)  # (a commit may have landed meanwhile)
        body = orjson.dumps(delta.delta_json(since, now, changes))
        self._delta = (since, now, body)
        return now, body
