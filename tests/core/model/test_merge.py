"""A conflicting save of a record: the fields that differ, what a three-way merge keeps, and the merge."""

from __future__ import annotations

from twintui.core.model import Arrangement, Partner
from twintui.core.model.merge import MINE, THEIRS, describe, of_records, three_way


def versions() -> tuple[Arrangement, Arrangement, Arrangement]:
    base = Arrangement(id="TW-NOR-0001", rev=4, reporting_state="NOR", title="Quota refugees", status="active",
                       areas=["housing"], funding_amount=3500000)
    mine = base.replace(title="Quota refugees: selection", areas=["housing", "health"], outcomes="Mine.")
    theirs = base.replace(rev=5, title="Quota refugees (Latin America)", status="completed", outcomes="Mine.",
                          funding_amount=None, updated_by="alice", updated_at="2026-11-20T09:30:00+00:00")
    return base, mine, theirs


def test_the_fields_that_differ_in_the_records_order_with_both_values_as_text() -> None:
    base, mine, theirs = versions()
    found = of_records(mine, theirs, base)
    # outcomes differs from the base on both sides, but not between them: not listed.
    assert found.keys == ("title", "status", "areas", "funding_amount")
    assert [(i.label, i.mine, i.theirs) for i in found.items] == [
        ("Title", "Quota refugees: selection", "Quota refugees (Latin America)"),
        ("Status", "active", "completed"),
        ("Resettlement areas", "housing; health", "housing"),
        ("Funding amount", "3,500,000", "(blank)"),
    ]
    assert (found.what, found.noun, found.theirs) == ("arrangement TW-NOR-0001 (Quota refugees (Latin America))",
                                                      "field", theirs)


def test_defaults_from_the_base_a_field_only_they_changed_takes_theirs() -> None:
    base, mine, theirs = versions()
    found = of_records(mine, theirs, base)
    assert found.choices == {"title": MINE, "status": THEIRS, "areas": MINE, "funding_amount": THEIRS}
    assert found.both == {"title"}
    # Without the version both started from, nothing tells whose change it was: all mine, none marked.
    blind = of_records(mine, theirs)
    assert set(blind.choices.values()) == {MINE} and not blind.both


def test_the_merge_is_their_record_with_the_fields_chosen_from_mine() -> None:
    base, mine, theirs = versions()
    found = of_records(mine, theirs, base)
    merged = found.merged(found.choices)
    assert (merged.rev, merged.updated_by) == (5, "alice")  # their revision: the next save goes through
    assert (merged.title, merged.status, merged.areas, merged.funding_amount) == (
        mine.title, "completed", ["housing", "health"], None)
    assert merged.areas is not mine.areas  # no list shared with the form's record
    assert found.merged({k: THEIRS for k in found.keys}) == theirs
    everything_mine = found.merged({k: MINE for k in found.keys})
    assert everything_mine.content() == mine.content() and everything_mine.rev == 5
    # A key left out of the choices keeps its default.
    assert found.merged({"title": THEIRS}).title == theirs.title


def test_same_content_differs_nowhere() -> None:
    base, _, theirs = versions()
    found = of_records(theirs.replace(rev=4), theirs, base)
    assert found.items == () and found.merged({}) == theirs


def test_three_way_counts_a_missing_item_as_a_value() -> None:
    base = {"a": 1, "b": 2}
    choices, both = three_way(["a", "b", "c"], {"a": 1, "c": 3}, {"a": 2, "b": 2, "c": 4}, base)
    assert choices == {"a": THEIRS, "b": MINE, "c": MINE}  # b: only mine removed it; c: both added it
    assert both == {"c"}


def test_describe_names_the_kind_the_key_and_the_name() -> None:
    partner = Partner(id="P-2", arrangement="TW-NOR-0001", name="UDI " * 20)
    assert describe(partner) == "partner TW-NOR-0001/P-2 (" + ("UDI " * 10).strip() + "…)"
    assert describe(Arrangement(id="TW-NOR-0002")) == "arrangement TW-NOR-0002"
