"""A conflicting save: the items that differ, what a three-way merge keeps, and the merge."""

from __future__ import annotations

from twintui.core.compare import merge, records

from .examples import FUNDING, small


def test_differences_default_choices_and_merge() -> None:
    base = small()
    base.id, base.rev = "COM-0001", 1
    mine, theirs = records.copy(base), records.copy(base)
    theirs.rev = 2
    mine.set_score(FUNDING, "Norway", 5)  # only mine
    theirs.set_weight(FUNDING, 1)  # only theirs
    mine.set_note(FUNDING, "Canada", "mine")  # both
    theirs.set_note(FUNDING, "Canada", "theirs")
    theirs.add_candidate("Sweden")  # only theirs
    keys = merge.differences(mine, theirs)
    assert keys == [("weight", FUNDING), ("candidates",), ("cell", FUNDING, "Norway"), ("cell", FUNDING, "Canada")]
    choices, both = merge.default_choices(base, mine, theirs, keys)
    assert choices == {("weight", FUNDING): "theirs", ("candidates",): "theirs",
                       ("cell", FUNDING, "Norway"): "mine", ("cell", FUNDING, "Canada"): "mine"}
    assert both == {("cell", FUNDING, "Canada")}
    merged = merge.merge(mine, theirs, [k for k, v in choices.items() if v == "mine"])
    assert (merged.id, merged.rev) == ("COM-0001", 2)  # their revision: the next save goes through
    assert merged.score(FUNDING, "Norway") == 5
    assert merged.factor(FUNDING).weight == 1
    assert merged.cell(FUNDING, "Canada").note == "mine"
    assert [x.name for x in merged.candidates] == ["Norway", "Canada", "Sweden"]
    assert merge.item_label(("cell", FUNDING, "Canada")) == f"Canada on {FUNDING}"
    assert merge.item_text(("cell", FUNDING, "Canada"), (2, "mine")) == "2 · mine"


def test_merge_keeping_a_factor_only_i_added_takes_its_weight_and_cells() -> None:
    base = small()
    mine, theirs = records.copy(base), records.copy(base)
    mine.add_factor("Costs and timeframe", weight=4)
    mine.set_score("Costs and timeframe", "Norway", 3)
    keys = merge.differences(mine, theirs)
    merged = merge.merge(mine, theirs, keys)
    assert merged.factor("Costs and timeframe").weight == 4
    assert merged.score("Costs and timeframe", "Norway") == 3
    assert merge.merge(mine, theirs, []) == theirs


def test_conflict_is_the_differences_the_merge_screen_shows() -> None:
    base = small()
    base.id, base.rev = "COM-0001", 1
    mine, theirs = records.copy(base), records.copy(base)
    theirs.rev, theirs.updated_by = 2, "lars"
    mine.set_score(FUNDING, "Norway", 5)  # only mine
    theirs.set_weight(FUNDING, 1)  # only theirs
    theirs.remove_candidate("Canada")  # only theirs: its cell goes with it
    found = merge.conflict(base, mine, theirs)
    assert (found.what, found.noun, found.theirs) == ("“Partner for 2027”", "item", theirs)
    assert found.keys == tuple(merge.differences(mine, theirs))
    assert [(i.label, i.mine, i.theirs) for i in found.items] == [
        (f"Weight of {FUNDING}", "3", "1"),
        ("Candidates (which, in order)", "Norway, Canada", "Norway"),
        (f"Norway on {FUNDING}", "5", "4"),
        (f"Canada on {FUNDING}", "2 · full-cost basis only", "(none)"),
    ]
    assert found.choices == dict(zip(found.keys, ["theirs", "theirs", "mine", "theirs"], strict=True))
    assert not found.both
    merged = found.merged(found.choices)
    assert merged == merge.merge(mine, theirs, [("cell", FUNDING, "Norway")])
    assert (merged.rev, merged.score(FUNDING, "Norway"), merged.factor(FUNDING).weight) == (2, 5, 1)
    assert [c.name for c in merged.candidates] == ["Norway"]
