"""Saving an arrangement with its partners: one transaction, what the register form's save asks the core."""

from __future__ import annotations

import pytest

from twintui.core.arrangement import save_with_partners
from twintui.core.errors import ValidationError
from twintui.core.model import Arrangement, Partner
from twintui.core.store import Store


def new_arrangement(title: str = "Norway and Argentina") -> Arrangement:
    return Arrangement(reporting_state="NOR", title=title, status="planned")


def test_a_new_arrangement_and_its_partners_land_together_under_the_id_it_is_given(store: Store) -> None:
    saved = save_with_partners(store, new_arrangement(), save=[Partner(name="Argentina", type="state"),
                                                               Partner(name="UNHCR", type="UNHCR")],
                               delete=[], source="test")
    assert saved.arrangement.id.startswith("TW-NOR-")
    assert [p.arrangement for p in saved.partners] == [saved.arrangement.id] * 2
    stored = store.children(Partner, saved.arrangement.id)
    assert sorted(p.name for p in stored) == ["Argentina", "UNHCR"]
    assert [p.id for p in saved.partners] == [p.id for p in sorted(stored, key=lambda p: p.name)]


def test_a_partner_removed_and_one_added_in_one_save(store: Store) -> None:
    first = save_with_partners(store, new_arrangement(), save=[Partner(name="Argentina", type="state")],
                               delete=[], source="test")
    again = save_with_partners(store, first.arrangement.replace(title="Norway, Argentina and Brazil"),
                               save=[Partner(name="Brazil", type="state")], delete=first.partners, source="test")
    assert again.arrangement.title == "Norway, Argentina and Brazil"
    assert [p.name for p in store.children(Partner, first.arrangement.id)] == ["Brazil"]


def test_a_partner_in_error_saves_nothing(store: Store) -> None:
    with pytest.raises(ValidationError):
        save_with_partners(store, new_arrangement(), save=[Partner(name="", type="state")], delete=[],
                           source="test")
    assert store.docs(Arrangement) == [] and store.docs(Partner) == []
