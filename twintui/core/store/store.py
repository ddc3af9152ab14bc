"""The Twinning Register store: records in TinyDB, revisions, conflicts, audit, backups.

Reading is free of locks (the file is only ever replaced whole): ``queries``. Every change
goes through a ``Transaction``: the caller lists what to save or delete, and ``commit`` then,
under the inter-process lock and on freshly re-read data, checks every revision (a stale one
raises ``ConflictError`` carrying both versions), asks the access ``policy``, validates every
record, assigns ids, bumps revisions, writes the audit entries and finally the store, once.
Either all of it lands or none. A backup is restored by ``restore``; the tables are ``tables``.
"""

from __future__ import annotations

import contextlib
import copy
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .. import files
from ..errors import StoreError
from ..model import Record
from . import identity, schema
from .queries import Queries, R
from .tables import TABLES
from .transaction import Transaction

if TYPE_CHECKING:
    from .restore import RestorePlan, RestoreResult

# ``commit`` and ``restore`` (with the backups they take) are imported where a change is made: a command that
# only reads never loads them.


class Store(Queries):
    """One twintui store file with its audit log and backups."""

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True, **kwargs: Any) -> Store:
        """Open (and, with ``create``, start) a store; StoreError says what is wrong with a bad file."""
        store = cls(path, **kwargs)
        try:
            is_folder, in_folder = store.path.is_dir(), store.path.parent.is_dir()
        except OSError as error:  # a folder closed to this user (the store service's)
            raise StoreError(files.failed(error, store.path, "open").message) from None
        if is_folder:
            raise StoreError(f"{store.path} is a folder; give the path of a store file, e.g. {store.path}/twintui.json")
        if not in_folder:
            raise StoreError(f"the folder {store.path.parent} of the store {store.path.name} does not exist; "
                             "create it first (twintui makes only its default folder)")
        store.storage.refresh()
        if not store.storage.header:
            if not create:
                raise StoreError(f"there is no twintui store at {store.path}")
            store._initialise()
        schema.check(store)
        return store

    def _initialise(self) -> None:
        with self.storage.transaction():
            if not self.storage.header:  # another process may have started it meanwhile
                self.storage.header.update({"schema": schema.SCHEMA, "txn": 0, "counters": {}})
                self.storage.write({name: {} for name in TABLES})

    def acting_for(self, user: str) -> Store:
        """This store (the same file, storage and caches) with every change and access question for ``user``.

        The store service's one way to commit a client's change as the user the socket names; refused to
        any other process but root (``identity.may_act_for``).
        """
        identity.may_act_for(user, self.path)
        other = copy.copy(self)
        other.user = user
        return other

    @contextlib.contextmanager
    def transaction(self, source: str, backup: str | None = None) -> Iterator[Transaction]:
        """Collect saves and deletes; they are committed together when the block ends."""
        tx = Transaction(source, backup)
        yield tx
        self.commit(tx)

    def save(self, record: R, source: str) -> R:
        """Save one record (conflict and validation checked); returns it as stored."""
        with self.transaction(source) as tx:
            tx.save(record)
        return tx.saved[0]  # type: ignore[return-value]

    def delete(self, record: Record, source: str) -> None:
        with self.transaction(source) as tx:
            tx.delete(record)

    def commit(self, tx: Transaction) -> Transaction:
        """Carry out ``tx``: all of it, or nothing (``twintui.core.store.commit``)."""
        from . import commit

        return commit.commit(self, tx)

    def restore_plan(self, backup: str | os.PathLike[str]) -> RestorePlan:
        """What restoring ``backup`` would change (read only): records back, gone and changed."""
        from . import restore

        return restore.restore_plan(self, backup)

    def restore(self, backup: str | os.PathLike[str], expected: RestorePlan | None = None,
                source: str = "restore") -> RestoreResult:
        """Replace the records with those of ``backup``, after copying the store as it is to a new backup.

        Audited: one ``restore`` entry per record that comes back, goes or changes,
        and one for the restore itself. A restored record that differs from the
        current one gets a new revision (so screens holding the old one see a
        conflict); the id counters never go back (ids are not used twice), and
        neither do the records of what went out and came back (``KEPT_ON_RESTORE``:
        the returns tracker and the record of exports and their submissions), or the
        same return would be applied again. In shared mode only maintainers may
        restore. With ``expected`` (the plan that was shown) a store that changed since
        is refused.
        """
        from . import restore

        return restore.restore(self, backup, expected, source)
