"""``RemoteStore``: a Store whose data is the store service's, for every screen and command unchanged.

Reads run on the core's own code (``Queries``) over a read-only mirror of the service's store:
``Mirror`` is the store's storage, fed once with ``GET /v1/snapshot`` and then with only what
changed since its state (``GET /v1/delta``; the whole snapshot again when the service cannot say,
after a restart or when far behind). Without a change feed it asks before every read, as the file
storage looks at its file (one small request, a 304 when nothing changed); while a feed is read
(``RemoteStore.changes``, the app's store watcher) it asks only when the feed announced a state
it does not have, or after its own commit. A delta is applied as one swap of the tables, so a
read never mixes two states. A commit sends the transaction's saves and deletes to
``POST /v1/commit``; the service commits them as the socket's user and the reply (the records as
stored, or the error) comes back into the same Transaction, or as the same exception.
``access()``, ``history()`` and a restore are the service's answers and doing: the access file, the
audit log and the backups are in the service's folder, which clients cannot enter (a backup is
named, never given as a path).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

from ..core.errors import StoreError
from ..core.store import SCHEMA, Store, Transaction, schema
from ..core.store.policy import Access
from ..core.store.queries import utc_now
from ..core.store.receipts import Checked
from ..core.store.restore import RestorePlan, RestoreResult
from ..core.store.storage import DurableStorage, parse
from . import delta, protocol
from .client import ServiceClient
from .follow import Feed


class _Hold:
    """The mirror's lock (re-entrant, like the file storage's), which knows when its outermost hold ends.

    A read holds it throughout (``Queries``), and may look for news more than once on the way (the
    record's index, then its table): the mirror asks the service once per hold, so one read is one
    state of the store, and one request.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._depth = 0
        self.fresh = False  # brought up to date in this hold

    def __enter__(self) -> _Hold:
        self._lock.acquire()
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if not self._depth:
            self.fresh = False
        self._lock.release()


class Mirror(DurableStorage):
    """The service's store as last fetched; brought up to date from the service, never written here."""

    def __init__(self, client: ServiceClient, store_path: Any):
        super().__init__(store_path)
        self.mutex: _Hold = _Hold()  # type: ignore[assignment]
        self.client = client
        self.state = ""  # the service's state this copy is of ("": none yet)
        self._announced: str | None = None  # the newest state the change feed announced (None: no feed)
        self._ask = True  # ask the service at the next read, whatever the feed said (after our own commit)
        # Told of each delta applied: (the generation before, the documents changed) (``Queries.follow_indexes``).
        self.moved: Callable[[int, dict[str, list[tuple[str, Any, Any]]]], None] | None = None

    def announce(self, state: str | None) -> None:
        """(The feed's thread.) The service is at ``state``; None: the feed is gone, ask before every read."""
        self._announced = state

    def behind(self) -> None:
        """The service has changed in a way the feed may not have announced yet (our own commit)."""
        self._ask = True

    def refresh(self) -> bool:
        """Bring the copy up to date if it may be behind: what changed since its state, or all of it."""
        with self.mutex:
            announced = self._announced
            if self.mutex.fresh or (announced is not None and self.state and not self._ask
                                    and not delta.behind(self.state, announced)):
                return False
            changed = self._fetch()
            self.mutex.fresh, self._ask = True, False
            return changed

    def _fetch(self) -> bool:
        if self.state:
            response = self.client.send("GET", protocol.DELTA, params={"since": self.state}, expect=(410,))
            if response.status_code == 304:
                return False
            if response.status_code == 200:
                changes = orjson.loads(response.content)
                old = self._tables or {}
                header, tables = delta.applied(self.header, old, changes, str(self.client.socket))
                # ``applied`` checked the shape of what changed; the rest was checked when it came (here, or
                # by the service: what vouched for the snapshot still does).
                before, vouched = self.generation, self.receipt
                self._set(header, tables, None, b"")
                self.receipt = vouched
                self.state = changes["state"]
                if self.moved is not None:
                    self.moved(before, delta.changed_documents(old, changes))
                return True
        response = self.client.send("GET", protocol.SNAPSHOT)
        header, tables = parse(response.content, self.path)
        self.loads += 1  # data from elsewhere: its tables' shapes are checked, or vouched for
        self._set(header, tables, None, b"")
        spans = _spans(response.headers.get(protocol.TABLES_HEADER))
        if spans is not None:
            # The service names the tables it checked, and says where each is: it is trusted with the store
            # (docs/threat-model.md), so neither is done again here (a table it does not name is checked). A
            # span that does not parse, or is not where ``split`` finds a table, is not believed
            # (``Tables.trust``): the whole body is parsed.
            tables.trust(spans)
            self.receipt = Checked(spans)
        self.state = response.headers.get("ETag", "").strip('"')
        return True

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        raise StoreError("internal: a client of the store service writes nothing itself; commits go to the service")
        yield  # pragma: no cover - a generator, for contextmanager

    def write_changes(self, data: dict[str, Any], touched: set[tuple[str, str]] | None) -> None:
        raise StoreError("internal: a client of the store service writes nothing itself")


def _spans(said: str | None) -> dict[str, tuple[int, int]] | None:
    """The ``Twintui-Tables`` header of a snapshot as table name → (start, end); None without one, or if it is
    not one (then every table is checked here)."""
    try:
        found = orjson.loads(said) if said else None
    except orjson.JSONDecodeError:
        return None
    if not isinstance(found, dict) or not all(
            isinstance(span, list) and len(span) == 2 and all(type(at) is int for at in span)
            for span in found.values()):
        return None
    return {name: (span[0], span[1]) for name, span in found.items()}


def connect(path: str | os.PathLike[str]) -> tuple[ServiceClient, dict[str, Any]]:
    """A client of the service listening on the socket ``path``, and its hello (who the caller is, where its
    store is), once it is known to speak this twintui's protocol and schema."""
    client = ServiceClient(path)
    hello = client.call("GET", protocol.HELLO)
    if hello.get("protocol") != protocol.PROTOCOL or hello.get("schema") != SCHEMA:
        raise StoreError(f"the store service at {path} runs twintui {hello.get('version')} (protocol "
                         f"{hello.get('protocol')}, store schema {hello.get('schema')}); this twintui speaks "
                         f"protocol {protocol.PROTOCOL} and schema {SCHEMA}: use the same version of twintui")
    return client, hello


class RemoteStore(Store):
    """A Store served by the store service at a Unix socket (``RemoteStore.open(SOCKET)``)."""

    remote = True  # its desk is the service's (``desk.desk_for``)

    def __init__(self, client: ServiceClient, hello: dict[str, Any], **kwargs: Any):
        self.client = client
        super().__init__(hello["store"], clock=kwargs.get("clock", utc_now))
        self.user = hello["user"]  # as the service knows the caller (its socket's credentials)

    storage: Mirror

    def open_storage(self, lock_timeout: float) -> Mirror:
        mirror = Mirror(self.client, self.path)
        mirror.moved = self.follow_indexes  # a delta changes the indexes where it changed the documents
        return mirror

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True, **kwargs: Any) -> RemoteStore:
        """The store of the service listening on the socket ``path`` (it always has one: ``create`` is moot)."""
        return cls.on(*connect(path), **kwargs)

    @classmethod
    def on(cls, client: ServiceClient, hello: dict[str, Any], **kwargs: Any) -> RemoteStore:
        """The store of a service ``connect`` reached: its register fetched now."""
        store = cls(client, hello, **kwargs)
        store.storage.refresh()
        schema.check(store)
        return store

    def commit(self, tx: Transaction) -> Transaction:
        """Carry out ``tx`` in the service, as this user: all of it, or nothing (and the error raised here)."""
        try:
            return protocol.take_reply(tx, self.client.call("POST", protocol.COMMIT, protocol.commit_request(tx)))
        finally:
            self.storage.behind()  # it may have landed even if the answer was lost

    def changes(self) -> Feed:
        """The service's change feed: each committed transaction's number, the current one first (see
        ``follow``); while it is read, the mirror asks the service only when the store has moved."""
        return Feed(self.client, self.storage)

    def access(self) -> Access:
        """What this user may do, as the service reads its access file now."""
        return protocol.access_of(self.client.call("GET", protocol.ACCESS), self._arrangement_doc)

    def history(self, key: str | None = None, children: bool = False) -> list[Any]:
        params = {"children": "1" if children else "0", **({"record": key} if key is not None else {})}
        return [protocol.entry_of(e) for e in self.client.call("GET", protocol.HISTORY, params=params)]

    def restore_plan(self, backup: str | os.PathLike[str]) -> RestorePlan:
        """What restoring the service's backup named ``backup`` (its file name; a path gives only its name: the
        service restores none but its own) would change."""
        from .payloads import plan_of

        return plan_of(self.client.call("POST", protocol.RESTORE_PLAN, {"backup": Path(backup).name})["plan"])

    def restore(self, backup: str | os.PathLike[str], expected: RestorePlan | None = None,
                source: str = "restore") -> RestoreResult:
        """Restore the service's backup named ``backup``, as this user (maintainers only), refused if the store
        changed since ``expected`` was shown; the service records it as ``restore``, the only source it takes."""
        from .payloads import plan_of

        if source != "restore":
            raise StoreError(f"the store service records a restore as 'restore', not {source!r}; nothing was changed")
        shown = None if expected is None else {"added": expected.added, "removed": expected.removed,
                                               "changed": expected.changed}
        answer = self.client.call("POST", protocol.RESTORE, {"backup": Path(backup).name, "expected": shown})
        safety = answer["safety_backup"]
        return RestoreResult(plan_of(answer["plan"]), answer["txn"], Path(safety) if safety else None)
