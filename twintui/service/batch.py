"""Commits that arrive together are carried out together: one write of the store for all of them (group commit).

At 10,000 arrangements most of a commit is writing the 26 MB store file; fifty officials saving
at once would wait for fifty writes one after the other. Here a commit request waits for the
store thread; when its turn comes, the thread takes every commit waiting then and carries them
out in the order they came (``core.store.commit.commit_together``): each as if committed alone
after the one before (its own transaction number, audit entries by its own user, conflicts
checked against the ones before it), all of them in one write. A refused one is refused alone;
a failure to write fails those it took. A commit that takes a backup is carried out on its own,
between the others (its backup is the store as the commits before it left it).
"""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING, Any

import orjson

from ..core.store import Store, Transaction
from ..core.store.commit import commit_together
from . import protocol

if TYPE_CHECKING:
    from .server import Service

Waiting = tuple[str, bytes, "asyncio.Future[dict[str, Any]]"]


class Commits:
    """The commits of ``service`` waiting for its store thread."""

    def __init__(self, service: Service):
        self.service = service
        self._lock = threading.Lock()  # the event loop adds, the store thread takes
        self._waiting: list[Waiting] = []
        self._scheduled = False
        self._runs: set[asyncio.Task[None]] = set()  # (the loop keeps only weak references to tasks)
        self.largest = 0  # the most commits carried out together so far

    async def submit(self, peer: str, raw: bytes) -> dict[str, Any]:
        """The reply to ``peer``'s commit request ``raw``, once it is carried out (its error raised)."""
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        with self._lock:
            self._waiting.append((peer, raw, future))
            start, self._scheduled = not self._scheduled, True
        if start:
            run = asyncio.ensure_future(self._run())
            self._runs.add(run)
            run.add_done_callback(self._runs.discard)
        return await future

    async def _run(self) -> None:
        for future, outcome in await self.service._in_store(self._take):
            if future.done():
                continue
            if isinstance(outcome, BaseException):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)

    def _take(self) -> list[tuple[asyncio.Future[dict[str, Any]], Any]]:
        """(In the store thread.) Carry out every commit waiting now; each one's reply or error."""
        with self._lock:
            batch, self._waiting, self._scheduled = self._waiting, [], False
        self.largest = max(self.largest, len(batch))
        done: list[tuple[asyncio.Future[dict[str, Any]], Any]] = []
        group: list[tuple[asyncio.Future[dict[str, Any]], Store, Transaction]] = []
        for peer, raw, future in batch:
            try:
                tx = _transaction(raw)
                store = self.service.store.acting_for(peer)
            except Exception as error:  # noqa: BLE001 - that request's reply
                done.append((future, error))
                continue
            if tx.backup:
                done += _together(group)
                group = []
                done += _together([(future, store, tx)])
            else:
                group.append((future, store, tx))
        return done + _together(group)


def _transaction(raw: bytes) -> Transaction:
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise protocol.BadRequest(f"the body is not JSON: {error}") from None
    return protocol.transaction_of(body)


def _together(group: list[tuple[asyncio.Future[dict[str, Any]], Store, Transaction]]
              ) -> list[tuple[asyncio.Future[dict[str, Any]], Any]]:
    """Carry out ``group`` in one write (one alone: as ``Store.commit`` does); each one's reply or error."""
    if len(group) == 1:
        future, store, tx = group[0]
        try:
            return [(future, protocol.commit_reply(store.commit(tx)))]
        except Exception as error:  # noqa: BLE001 - that request's reply
            return [(future, error)]
    try:
        outcomes = commit_together([(store, tx) for _, store, tx in group]) if group else []
    except Exception as error:  # noqa: BLE001 - the write failed: every commit of the group gets it
        return [(future, error) for future, _, _ in group]
    return [(future, protocol.commit_reply(tx) if outcome is None else outcome)
            for (future, _, tx), outcome in zip(group, outcomes, strict=True)]
