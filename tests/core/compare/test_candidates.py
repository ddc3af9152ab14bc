"""Partners of the register offered as candidates, with their reference."""

from __future__ import annotations

from twintui.core.compare import Comparison, records
from twintui.core.compare.candidates import partner_choices
from twintui.core.model import Partner
from twintui.core.store import Store


def test_partner_choices_offer_register_partners_with_their_reference(demo_store: Store) -> None:
    choices = partner_choices(demo_store)
    by_name = {c.name: c for c in choices}
    norway = by_name["Norway"]
    assert norway.partner == "Norwegian Directorate of Immigration (UDI)"
    assert demo_store.get(Partner, norway.ref).name == norway.partner  # TW-NOR-0001/P-1
    assert norway.ref.startswith("TW-NOR-") and "/P-" in norway.ref
    # Organisations keep their own name; every partner name is offered once.
    assert "UNHCR Americas Bureau" in by_name
    assert len({c.partner.casefold() for c in choices}) == len(choices)
    assert [c.name for c in choices if c.matches("norw")] == ["Norway"]
    assert [c.name for c in choices if c.matches("swedish")] == ["Sweden"]


def test_a_candidate_picked_from_the_register_keeps_its_reference(demo_store: Store) -> None:
    choice = next(c for c in partner_choices(demo_store) if c.name == "Canada")
    c = Comparison.new("Choice")
    c.add_candidate(choice.name, choice.ref)
    saved = records.save(demo_store, c)
    assert records.load(demo_store, saved.id).candidate("Canada").partner_ref == choice.ref
