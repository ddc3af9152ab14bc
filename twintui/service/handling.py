"""What the store service's routes beyond records share: the caller, a JSON body, work off the event loop, and
what is held for a caller between two requests (an import's files, then its preview).

Decisions:

- Work that reads or writes the store runs in the store's one thread (``Service._in_store``), as every
  commit does; work that touches no store (checking a workbook's bytes, building a workbook, a
  report or a document from what was read) runs in a thread of its own (``FILE_WORKERS`` of them),
  so a long export holds up neither the event loop nor the other clients' commits.
- What is held between requests is the caller's alone (by the uid's name from the socket), for
  ``HOLD_SECONDS`` at most, and only so many (``Held``): a client that never comes back costs the
  service a bounded amount of memory; the oldest goes first, and asking for it then says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import orjson
from aiohttp import web

from . import protocol

if TYPE_CHECKING:
    from .server import Service

T = TypeVar("T")
FILE_WORKERS = 2
HOLD_SECONDS = 15 * 60


class Routes:
    """A group of routes on ``service`` (``routes()``), sharing its store thread and a pool for file work."""

    def __init__(self, service: Service, files: ThreadPoolExecutor):
        self.service = service
        self.files = files

    @property
    def store(self) -> Any:
        return self.service.store

    def routes(self) -> list[web.RouteDef]:
        raise NotImplementedError

    async def in_store(self, work: Callable[..., T], *args: Any) -> T:
        return await self.service._in_store(work, *args)

    async def off_loop(self, work: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.files, work, *args)

    def peer(self, request: web.Request) -> str:
        return self.service.peer(request)

    async def json(self, request: web.Request) -> Any:
        """The request's body as JSON, read within the service's time and size limits."""
        raw = await self.service._body(request)
        try:
            return orjson.loads(raw or b"{}")
        except orjson.JSONDecodeError as error:
            raise protocol.BadRequest(f"the body is not JSON: {error}") from None


@dataclass
class _Entry(Generic[T]):
    owner: str
    value: T
    at: float


class Held(Generic[T]):
    """Things held for their owner between requests, by a token no one can guess; at most ``most`` of one
    owner's, ``total`` in all, weighing at most ``heaviest`` together (``weight``), each for ``seconds``.
    Used from the event loop only (no lock)."""

    def __init__(self, what: str, most: int, total: int, *, weight: Callable[[T], int] = lambda _: 0,
                 heaviest: int = 0, seconds: float = HOLD_SECONDS):
        self.what, self.most, self.total, self.seconds = what, most, total, seconds
        self.weight, self.heaviest = weight, heaviest
        self._entries: OrderedDict[str, _Entry[T]] = OrderedDict()

    def hold(self, owner: str, value: T) -> str:
        self._expire()
        mine = [token for token, entry in self._entries.items() if entry.owner == owner]
        for token in mine[:max(0, len(mine) - self.most + 1)]:
            del self._entries[token]
        weight = self.weight(value)
        while self._entries and (len(self._entries) >= self.total or self.heaviest and weight + sum(
                self.weight(e.value) for e in self._entries.values()) > self.heaviest):
            self._entries.popitem(last=False)  # the oldest first
        token = secrets.token_urlsafe(18)
        self._entries[token] = _Entry(owner, value, time.monotonic())
        return token

    def take(self, owner: str, token: Any) -> T:
        """The value held as ``token`` for ``owner`` (and no longer held); NotFoundError when there is none."""
        from ..core.errors import NotFoundError

        self._expire()
        entry = self._entries.get(token) if isinstance(token, str) else None
        if entry is None or entry.owner != owner:
            raise NotFoundError(f"the store service holds no such {self.what} for {owner} (it keeps one for "
                                f"{self.seconds / 60:g} minutes, never across a restart); start again; nothing "
                                "was written")
        del self._entries[token]
        return entry.value

    def __len__(self) -> int:
        self._expire()
        return len(self._entries)

    def _expire(self) -> None:
        limit = time.monotonic() - self.seconds
        for token in [t for t, e in self._entries.items() if e.at < limit]:
            del self._entries[token]


_uncollected = 0  # blocks running ``without_collection``, in any thread
_uncollected_lock = threading.Lock()


@contextlib.contextmanager
def without_collection() -> Iterator[None]:
    """Python's cycle collector off while the block runs: work that makes 100,000s of objects at once (the
    verdicts of a large register) would otherwise set off collections that each walk the whole register the
    service holds (three times the work). Counted, so that blocks in two threads may overlap."""
    global _uncollected
    with _uncollected_lock:
        _uncollected += 1
        gc.disable()
    try:
        yield
    finally:
        with _uncollected_lock:
            _uncollected -= 1
            if not _uncollected:
                gc.enable()


def output(body: bytes, about: dict[str, Any]) -> web.Response:
    """A file's bytes as the reply, what they are in the ``payloads.OUTPUT_HEADER`` header."""
    from .payloads import OUTPUT_HEADER

    # json's ensure_ascii: a header is ASCII, and a comparison's name need not be.
    return web.Response(body=body, content_type="application/octet-stream",
                        headers={OUTPUT_HEADER: json.dumps(about, ensure_ascii=True)})
