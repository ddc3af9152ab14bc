"""``RemoteStore``: a Store whose data is the store service's, for every screen and command unchanged.

Reads run on the core's own code (``Queries``) over a read-only mirror of the service's store:
``Mirror`` is the store's storage fed from ``GET /v1/snapshot``, which it asks for before every read
as the file storage looks at its file, and which the service sends again only when the store
changed (a 304 otherwise). A commit sends the transaction's saves and deletes to ``POST /v1/commit``;
the service commits them as the socket's user and the reply (the records as stored, or the error)
comes back into the same Transaction, or as the same exception. ``access()``, ``history()`` and a
restore are the service's answers and doing: the access file, the audit log and the backups are in
the service's folder, which clients cannot enter (a backup is named, never given as a path).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from collections.abc import Iterator
from typing import Any

from ..core.errors import StoreError
from ..core.store import SCHEMA, Store, Transaction, schema
from ..core.store.policy import Access
from ..core.store.queries import utc_now
from ..core.store.restore import RestorePlan, RestoreResult
from ..core.store.storage import DurableStorage, parse
from . import protocol
from .client import ServiceClient


class Mirror(DurableStorage):
    """The service's store as last fetched; refreshed from the service, never written here."""

    def __init__(self, client: ServiceClient, store_path: Any):
        super().__init__(store_path)
        self.client = client
        self._etag = ""

    def refresh(self) -> bool:
        """Fetch the service's store if it changed since the last fetch (one small request when not)."""
        with self.mutex:
            headers = {"If-None-Match": self._etag} if self._etag else None
            response = self.client.send("GET", protocol.SNAPSHOT, headers=headers)
            if response.status_code == 304:
                return False
            header, tables = parse(response.content, self.path)
            self.loads += 1  # data from elsewhere: the store checks its shape as it does a file's
            self._set(header, tables, None, b"")
            self._etag = response.headers.get("ETag", "")
            return True

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        raise StoreError("internal: a client of the store service writes nothing itself; commits go to the service")
        yield  # pragma: no cover - a generator, for contextmanager

    def write_changes(self, data: dict[str, Any], touched: set[tuple[str, str]] | None) -> None:
        raise StoreError("internal: a client of the store service writes nothing itself")


class RemoteStore(Store):
    """A Store served by the store service at a Unix socket (``RemoteStore.open(SOCKET)``)."""

    def __init__(self, client: ServiceClient, hello: dict[str, Any], **kwargs: Any):
        self.client = client
        super().__init__(hello["store"], clock=kwargs.get("clock", utc_now))
        self.user = hello["user"]  # as the service knows the caller (its socket's credentials)

    def open_storage(self, lock_timeout: float) -> DurableStorage:
        return Mirror(self.client, self.path)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True, **kwargs: Any) -> RemoteStore:
        """The store of the service listening on the socket ``path`` (it always has one: ``create`` is moot)."""
        client = ServiceClient(path)
        hello = client.call("GET", protocol.HELLO)
        if hello.get("protocol") != protocol.PROTOCOL or hello.get("schema") != SCHEMA:
            raise StoreError(f"the store service at {path} runs twintui {hello.get('version')} (protocol "
                             f"{hello.get('protocol')}, store schema {hello.get('schema')}); this twintui speaks "
                             f"protocol {protocol.PROTOCOL} and schema {SCHEMA}: use the same version of twintui")
        store = cls(client, hello, **kwargs)
        store.storage.refresh()
        schema.check(store)
        return store

    def commit(self, tx: Transaction) -> Transaction:
        """Carry out ``tx`` in the service, as this user: all of it, or nothing (and the error raised here)."""
        return protocol.take_reply(tx, self.client.call("POST", protocol.COMMIT, protocol.commit_request(tx)))

    def access(self) -> Access:
        """What this user may do, as the service reads its access file now."""
        return protocol.access_of(self.client.call("GET", protocol.ACCESS), self._arrangement_doc)

    def history(self, key: str | None = None, children: bool = False) -> list[Any]:
        params = {"children": "1" if children else "0", **({"record": key} if key else {})}
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
