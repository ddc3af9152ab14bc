"""What each of the storage's own commits changed: so a reader that has an earlier state can be sent only that.

The store service keeps one (``DurableStorage.start_journal``): a client's mirror that has the
store as of generation *g* gets the documents changed and deleted since (``Journal.since``)
instead of the whole store. Decisions:

- An entry is recorded by the storage itself as it writes one of its own commits, with the
  (table, document id) pairs the commit touched (what the commit already tells the storage, to
  re-serialise only those chunks): the documents as stored then (None: deleted), the header
  without its id counters (a few fields), and the counters whose values changed (at 10,000
  arrangements the counters are 300 KB of the header; a commit changes one or two).
- Entries hold the stored documents themselves, not copies: a stored document is never changed
  in place (a commit stores a new one), so an entry stays what that commit wrote.
- Whatever the storage cannot account for starts the journal again at the generation it made: a
  read of the file that another process wrote, a write without its touched set (TinyDB's own
  ``write``, a restore), a failed transaction. A reader that is behind that point gets None and
  fetches the whole store; so does one that is more than ``LIMIT`` writes behind (commits carried out
  together by the store service, ``commit.commit_together``, are one write and one entry).
- Safe to share between threads (a lock): the storage records in the store service's store thread,
  and the service answers deltas from its event loop, so that reads never wait for a commit.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

LIMIT = 1000  # writes kept: a reader further behind fetches the whole store


@dataclass
class Changes:
    """What changed between two generations: documents by (table, doc id) (None: deleted), the header as it
    is then without its id counters (None: unchanged), and the counters whose values changed (None: gone)."""

    docs: dict[tuple[str, str], dict[str, Any] | None] = field(default_factory=dict)
    header: dict[str, Any] | None = None
    counters: dict[str, int | None] = field(default_factory=dict)
    generation: int = 0  # the generation they bring a reader to


@dataclass(frozen=True)
class _Entry:
    generation: int
    docs: dict[tuple[str, str], dict[str, Any] | None]
    header: dict[str, Any]
    counters: dict[str, int | None]


class Journal:
    """The storage's commits since ``start``, the generation from which every change is known."""

    def __init__(self, generation: int, limit: int = LIMIT):
        self.limit = limit
        self._lock = threading.Lock()
        self._start = generation
        self._entries: deque[_Entry] = deque()

    @property
    def start(self) -> int:
        return self._start

    def restart(self, generation: int) -> None:
        """The data at ``generation`` came from where the journal cannot follow: forget what went before."""
        with self._lock:
            self._start = generation
            self._entries.clear()

    def record(self, generation: int, tables: Mapping[str, Mapping[str, Any]], header: Mapping[str, Any],
               touched: Iterable[tuple[str, str]], counters_before: Mapping[str, int]) -> None:
        """The commit that made ``generation`` touched ``touched``; ``tables`` and ``header`` are as it wrote them."""
        docs = {(table, doc_id): tables.get(table, {}).get(doc_id) for table, doc_id in touched}
        after = header.get("counters") or {}
        # (Set operations on the items: at 10,000 arrangements there are 17,000 counters; one or two changed.)
        counters: dict[str, int | None] = dict(after.items() - counters_before.items())
        counters.update((name, None) for name in counters_before.keys() - after.keys())
        entry = _Entry(generation, docs, {k: v for k, v in header.items() if k != "counters"}, counters)
        with self._lock:
            last = self._entries[-1].generation if self._entries else self._start
            if generation != last + 1:  # a generation the journal did not see: it cannot account for it
                self._start = generation
                self._entries.clear()
                return
            self._entries.append(entry)
            while len(self._entries) > self.limit:
                self._start = self._entries.popleft().generation

    @property
    def last(self) -> int:
        """The generation of the last commit recorded (or the start)."""
        with self._lock:
            return self._entries[-1].generation if self._entries else self._start

    def since(self, generation: int) -> Changes | None:
        """What changed after ``generation`` up to the last recorded commit (``Changes.generation``); None if the
        journal cannot tell."""
        with self._lock:
            last = self._entries[-1].generation if self._entries else self._start
            if not self._start <= generation <= last:
                return None
            changes = Changes(generation=last)
            for entry in self._entries:
                if entry.generation > generation:
                    changes.docs.update(entry.docs)
                    changes.counters.update(entry.counters)
                    changes.header = entry.header
            return changes
