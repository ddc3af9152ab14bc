"""Demo data: the guidelines' own examples first (examples.py), then synthetic arrangements of the
same shape (synthetic.py), with a comparison, two MoUs (Norway's draft, Canada's agreed) and their
quarterly returns' progress (progress.py); ``fill`` puts them in a store."""

from __future__ import annotations

from ..compare import demo as compare_demo
from ..errors import StoreError
from ..model import Arrangement
from ..mou.demo import canada_agreed, norway_draft
from ..store import Store, Transaction
from ..text import plural
from . import progress
from .examples import Example, guideline_examples
from .synthetic import synthetic

__all__ = ["Example", "fill", "guideline_examples", "synthetic"]


def fill(store: Store, size: int = 0, force: bool = False) -> Transaction:
    """Put the demo register in ``store``, in one transaction.

    A store that holds records is left alone unless ``force``; then its records
    are replaced, after a backup copy.
    """
    existing = store.all(Arrangement)
    if existing and not force:
        raise StoreError(
            f"{store.path} already holds {plural(len(existing), 'arrangement')}; demo never overwrites a register. "
            "Use --force to replace them (a backup is kept), or --db to pick another file."
        )
    with store.transaction("demo", backup="demo-force" if existing else None) as tx:
        for arrangement in existing:
            tx.delete(arrangement)
        examples = [*guideline_examples(), *synthetic(size)]
        for example in examples:
            tx.save(example.arrangement)
            for child in (*example.partners, *example.risks):
                tx.save(child, parent=example.arrangement)
        tx.save(compare_demo.demo_record(store, tx))
        # A draft MoU for the Norway example, an agreed one for Canada's with the Americas, and their progress.
        for memo, arrangement in (norway_draft(examples), canada_agreed(examples)):
            tx.save(memo, parent=arrangement)
            for record in progress.returns_of(memo.sections(), arrangement):
                tx.save(record, parent=arrangement)
    return tx
