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
