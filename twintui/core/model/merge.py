"""Two versions of one thing saved by two users: what differs, what a three-way merge keeps, and the merge.

When someone else saved a record (or a comparison) after this user opened it, the store refuses the save
(``ConflictError``) and nothing is overwritten without being shown. ``Differences`` is the one answer the merge
screen shows, whatever the thing is: the items that differ, in reading order, each with its label and both
values as text; the choice each item starts with; the items both users changed; and the merge of the chosen
items. ``of_records`` gives it for a record (its items are its fields, in the record's own order);
``core.compare.merge.conflict`` gives it for a comparison (its items are scores, weights, minimums, ...).

Decisions:

* Given the version both started from (``base``), the defaults are chosen per item the way a three-way merge
  would (``three_way``): an item only they changed takes theirs, an item you changed keeps yours, and one
  changed by both keeps yours and is marked. Without a base every item keeps yours.
* The merge is *their* version (with its ``rev``, so saving it again goes through) carrying the items the
  user chose to keep from their own; cancelling is the screen's business, not the merge's.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ..text import clip
from .fields import Field
from .records import Bookkeeping, Record

MINE = "mine"
THEIRS = "theirs"

K = TypeVar("K", bound=Hashable)
T = TypeVar("T", bound=Bookkeeping)
R = TypeVar("R", bound=Record)

_MISSING = object()  # an item one version does not have (a factor only you added)


@dataclass(frozen=True)
class Item(Generic[K]):
    """One thing that differs: a field of a record, a score of a comparison, ..."""

    key: K
    label: str
    mine: str  # your value, as the screen shows it
    theirs: str


@dataclass(frozen=True)
class Differences(Generic[K, T]):
    """What differs between your version and theirs, and how to merge the two."""

    what: str  # how the intro names the thing: 'arrangement TW-NOR-0001 (Quota refugees)', '“Oslo”'
    noun: str  # what one item is called: 'field', 'item'
    theirs: T  # their version, as the store holds it: who saved it, when, its revision
    items: tuple[Item[K], ...]
    choices: Mapping[K, str]  # MINE or THEIRS per item, as a three-way merge would pick
    both: frozenset[K]  # the items both of you changed
    # The items kept from your version -> their version with those items taken from yours.
    merge_keeping: Callable[[Collection[K]], T] = field(repr=False, compare=False)

    @property
    def keys(self) -> tuple[K, ...]:
        return tuple(item.key for item in self.items)

    def merged(self, choices: Mapping[K, str]) -> T:
        """Their version with every item chosen as MINE taken from yours (an item not in ``choices``: the default)."""
        return self.merge_keeping([k for k in self.keys if choices.get(k, self.choices[k]) == MINE])


def three_way(keys: Iterable[K], mine: Mapping[K, Any], theirs: Mapping[K, Any],
              base: Mapping[K, Any] | None) -> tuple[dict[K, str], set[K]]:
    """Per key MINE or THEIRS as a three-way merge picks, and the keys both versions changed from ``base``.

    An item missing from a version (a factor only one side has) counts as a value of its own.
    """
    choices = {k: MINE for k in keys}
    both: set[K] = set()
    if base is None:
        return choices, both
    for k in choices:
        was = base.get(k, _MISSING)
        mine_changed = mine.get(k, _MISSING) != was
        theirs_changed = theirs.get(k, _MISSING) != was
        if theirs_changed and not mine_changed:
            choices[k] = THEIRS
        elif theirs_changed and mine_changed:
            both.add(k)
    return choices, both


def describe(record: Record) -> str:
    """How a conflict names the record: 'arrangement TW-NOR-0001', 'partner TW-NOR-0001/P-2 (UDI)'."""
    kind = type(record).__name__.lower()
    name = getattr(record, "name", "") or getattr(record, "title", "")
    return f"{kind} {record.key}" + (f" ({clip(name, 40)})" if name else "")


def of_records(mine: R, theirs: R, base: R | None = None) -> Differences[str, R]:
    """The fields of two versions of a record that differ (keyed by field name), and their merge."""
    a, b = mine.content(), theirs.content()
    fields = [f for f in type(mine).FIELDS if a[f.name] != b[f.name]]
    choices, both = three_way([f.name for f in fields], a, b, base.content() if base is not None else None)

    def shown(record: R, f: Field) -> str:
        return f.display(getattr(record, f.name)) or "(blank)"

    def merge_keeping(kept: Collection[str]) -> R:
        values = {name: getattr(mine, name) for name in kept}
        # No list shared with mine: the merge is edited and saved on its own.
        return theirs.replace(**{name: list(v) if isinstance(v, list) else v for name, v in values.items()})

    items = tuple(Item(f.name, f.label, shown(mine, f), shown(theirs, f)) for f in fields)
    return Differences(describe(theirs), "field", theirs, items, choices, frozenset(both), merge_keeping)
