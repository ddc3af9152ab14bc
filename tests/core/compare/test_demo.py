"""The demo's comparison: linked to the register, replaced (not doubled) by `demo --force`."""

from __future__ import annotations

from twintui.core import demo
from twintui.core.compare import evaluate, records, sensitivity
from twintui.core.compare.demo import DEMO_NAME
from twintui.core.model import Partner
from twintui.core.store import Store

from .examples import small


def test_demo_has_one_comparison_linked_to_the_register(demo_store: Store) -> None:
    [c] = records.load_all(demo_store)
    assert c.name == DEMO_NAME
    assert [x.name for x in c.candidates] == ["Norway", "Canada", "Netherlands", "Sweden"]
    assert len(c.factors) == 10
    unknown = [k for k in ((f.name, x.name) for f in c.factors for x in c.candidates) if c.score(*k) is None]
    assert len(unknown) >= 2
    assert sum(1 for cell in c.cells.values() if cell.note) >= 8
    assert any("Mexico Plan of Action" in cell.note for cell in c.cells.values())
    assert any("MOST" in cell.note for cell in c.cells.values())
    for candidate in c.candidates:
        partner = demo_store.get(Partner, candidate.partner_ref)
        assert partner is not None and partner.country, candidate
    ev = evaluate(c)
    assert ev.leader == "Netherlands"
    assert any(s.tipping_weight is not None for s in sensitivity(c))  # the sensitivity panel has a story


def test_demo_again_with_force_replaces_the_demo_comparison(demo_store: Store) -> None:
    records.save(demo_store, small("Our own"))
    demo.fill(demo_store, force=True)
    found = records.load_all(demo_store)
    assert sorted(c.name for c in found) == sorted([DEMO_NAME, "Our own"])
    demo_one = records.find(demo_store, DEMO_NAME)
    # The arrangements got new ids; the candidates follow them.
    assert all(demo_store.get(Partner, x.partner_ref) is not None for x in demo_one.candidates)
