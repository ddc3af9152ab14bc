"""The store service's requests (aiohttp): one Store, opened by the service, answers every client.

Decisions:

- The Store is used from one thread only (``Service.worker``): every store call (snapshot, access,
  history, commit) runs there in turn, so commits are serialised and nothing in the store needs to be
  safe for threads; the event loop only reads requests and writes replies, so a slow commit delays
  the store's answers but never the accepting of connections. (Deltas are the one read answered in
  the event loop: from the storage's journal, which is safe for threads; ``feed``.)
- Each change is committed by ``Store.acting_for(peer)``: the peer is the user the socket's
  credentials name (``peer``), never anything in the request. Commits that arrive while the store
  thread is busy are carried out together, in one write of the store (``batch``).
- A snapshot is the store in its file's form, every table checked for damaged documents first
  (``Queries.snapshot``), kept for that state of the store (the storage's generation) and sent again
  as it is; its ETag names the service's run and that generation (``delta.state``), so a client that
  has it gets a 304. Its ``Twintui-Tables`` header says where each table is in it: the client, which
  trusts the service as the threat model says, neither checks the tables again nor parses those it
  does not read (a large register's progress values, for the Register's first screen). Clients that
  have a state get only what changed since, and follow the store on the change feed (``feed``);
  every store call reports the state it ended on to it.
- A request body is read within ``timeout`` seconds and never beyond ``protocol.MAX_BODY``; what
  cannot be read gets an error reply and its connection is closed, and the others go on.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
import traceback
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import orjson
from aiohttp import web

from .. import __version__
from ..core.errors import TwintuiError
from ..core.store import SCHEMA, Store
from . import delta, protocol
from .batch import Commits
from .feed import Feed
from .peer import peer_user

T = TypeVar("T")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def reply(status: int, body: Any) -> web.Response:
    return web.Response(status=status, body=orjson.dumps(body), content_type="application/json")


class Service:
    """The requests of protocol 1 on ``store`` (``app()`` is the aiohttp application)."""

    def __init__(self, store: Store, *, timeout: float = 30.0, max_body: int = protocol.MAX_BODY):
        self.store = store
        self.timeout = timeout
        self.max_body = max_body
        self.run_id = secrets.token_hex(6)  # a new run's generations are not an old run's
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="twintui-store")
        self._snapshot: tuple[int, str, bytes, str] | None = None  # (generation, etag, body, its tables)
        store.storage.start_journal()  # what each commit changed, for the clients' deltas
        self.feed = Feed(self)
        self.commits = Commits(self)

    def warm(self) -> None:
        """Read and check the whole store and make its snapshot in the store thread at once, before a client asks:
        on a large register that takes seconds, which the first client would otherwise wait for."""
        self.worker.submit(self._warm)

    def _warm(self) -> None:
        from .handling import without_collection

        try:
            with without_collection():  # 100,000s of documents read at once (``without_collection``)
                self._snapshot_now()
        except TwintuiError:
            pass  # a store that cannot be read now is said to whoever asks for it

    def app(self) -> web.Application:
        app = web.Application(client_max_size=self.max_body, middlewares=[self._errors])
        app.router.add_get(protocol.HELLO, self.hello)
        app.router.add_get(protocol.SNAPSHOT, self.snapshot)
        app.router.add_get(protocol.ACCESS, self.access)
        app.router.add_get(protocol.HISTORY, self.history)
        app.router.add_post(protocol.COMMIT, self.commit)
        self.feed.register(app)
        from .routes import more_routes  # imports, outputs, administration (they import this module)

        app.add_routes(more_routes(self, app))
        return app

    async def _in_store(self, work: Callable[..., T], *args: Any) -> T:
        """``work(*args)`` in the store thread; the state the store is in after it goes to the feed."""
        result, (generation, txn) = await asyncio.get_running_loop().run_in_executor(
            self.worker, self._then_state, work, args)
        self.feed.publish(generation, txn)
        return result

    def _then_state(self, work: Callable[..., T], args: tuple[Any, ...]) -> tuple[T, tuple[int, int]]:
        result = work(*args)
        storage = self.store.storage
        with storage.mutex:
            return result, (storage.generation, int(storage.header.get("txn", 0)))

    @staticmethod
    def peer(request: web.Request) -> str:
        transport = request.transport
        sock = transport.get_extra_info("socket") if transport is not None else None
        if sock is None:
            raise protocol.BadRequest("the connection closed before it was answered")
        return peer_user(sock)

    # -- the routes ------------------------------------------------------------------------------

    async def hello(self, request: web.Request) -> web.Response:
        return reply(200, {"service": "twintui", "protocol": protocol.PROTOCOL, "version": __version__,
                           "schema": SCHEMA, "user": self.peer(request), "store": str(self.store.path)})

    async def snapshot(self, request: web.Request) -> web.Response:
        etag, body, tables = await self._in_store(self._snapshot_now)
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=body, content_type="application/json",
                            headers={"ETag": etag, protocol.TABLES_HEADER: tables})

    def _snapshot_now(self) -> tuple[str, bytes, str]:
        storage = self.store.storage
        with storage.mutex:
            storage.refresh()  # the file may have been changed by its owner (a restore by hand)
            cached = self._snapshot
            if cached is None or cached[0] != storage.generation:
                body, spans = self.store.snapshot()  # every table checked, and where each is
                cached = self._snapshot = (storage.generation, delta.etag(delta.state(self.run_id, storage.generation)),
                                           body, orjson.dumps(spans).decode())
        return cached[1], cached[2], cached[3]

    async def access(self, request: web.Request) -> web.Response:
        peer = self.peer(request)
        found = await self._in_store(lambda: self.store.acting_for(peer).access())
        return reply(200, protocol.access_json(found))

    async def history(self, request: web.Request) -> web.Response:
        record = request.query.get("record")  # none: every entry ("": a record of no key has none)
        children = request.query.get("children", "0") == "1"
        entries = await self._in_store(self.store.history, record, children)
        return reply(200, [protocol.entry_json(e) for e in entries])

    async def commit(self, request: web.Request) -> web.Response:
        peer = self.peer(request)
        raw = await self._body(request)
        return reply(200, await self.commits.submit(peer, raw))  # with those that arrive meanwhile (``batch``)

    async def _body(self, request: web.Request) -> bytes:
        if request.content_length is not None and request.content_length > self.max_body:
            raise protocol.BadRequest(f"the body of {request.content_length:,} bytes is larger than the "
                                      f"{self.max_body:,} bytes this service reads", "too-large")
        try:
            return await asyncio.wait_for(request.read(), self.timeout)
        except TimeoutError:
            raise protocol.BadRequest(f"the body was not sent within {self.timeout:g} s", "timeout") from None
        except ConnectionError:  # the client went away half-way: nothing was done
            raise protocol.BadRequest("the connection closed before the whole body was sent") from None

    # -- errors ---------------------------------------------------------------------------------

    @web.middleware
    async def _errors(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except TwintuiError as error:
            status, body = protocol.error_reply(error)
        except web.HTTPException as error:  # aiohttp's own: no such route or method, a body too large
            if error.status < 400:
                raise
            status, body = protocol.failure(*self._http_failure(request, error))
        except Exception:  # noqa: BLE001 - a bug: said to the client in one line, in full in the service's log
            print(f"twintui serve: internal error on {request.method} {request.path}:\n{traceback.format_exc()}",
                  file=sys.stderr, flush=True)
            status, body = protocol.failure("internal", "internal error in the store service (its log has "
                                                        "the details); nothing more was done")
        response = reply(status, body)
        if status in (408, 413):  # the rest of the body may still come: never read it as a request
            response.force_close()
        return response

    @staticmethod
    def _http_failure(request: web.Request, error: web.HTTPException) -> tuple[str, str]:
        if error.status == 404:
            version = request.path.split("/")[1] if request.path.count("/") >= 2 else ""
            if version[:1] == "v" and version[1:].isdigit() and version != protocol.PREFIX[1:]:
                return "version", (f"this store service speaks protocol {protocol.PROTOCOL} "
                                   f"({protocol.PREFIX}/...), not {version}")
            return "unknown-route", f"there is no {request.method} {request.path[:100]} (docs/service-protocol.md)"
        if error.status == 405:
            return "method", f"{request.path[:100]} does not take {request.method}"
        if error.status == 413:
            return "too-large", error.text or "the body is too large"
        return "bad-request", error.text or error.reason
