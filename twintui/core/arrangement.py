"""An arrangement saved with its partners: what the register's form writes when the user saves.

One transaction, so the arrangement and its partners land together or not at all; partners of a
new arrangement get the Record ID the commit assigns it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Arrangement, Partner
from .store import Store


@dataclass(frozen=True)
class Saved:
    """The arrangement and the partners saved, as stored (ids, revisions)."""

    arrangement: Arrangement
    partners: list[Partner]


def save_with_partners(store: Store, arrangement: Arrangement, *, save: list[Partner], delete: list[Partner],
                       source: str) -> Saved:
    with store.transaction(source) as tx:
        tx.save(arrangement)
        for partner in save:
            # parent= gives partners of a new arrangement the id it is assigned in this commit.
            tx.save(partner, parent=arrangement)
        for partner in delete:
            tx.delete(partner)
    stored = tx.result(arrangement)
    partners = [tx.result(partner) for partner in save]
    assert isinstance(stored, Arrangement) and all(isinstance(p, Partner) for p in partners)
    return Saved(stored, partners)  # type: ignore[arg-type]
