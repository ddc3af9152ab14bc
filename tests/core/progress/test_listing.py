"""The listing of ``twintui progress``: the same bytes however it was made (from verdicts kept or not)."""

from __future__ import annotations

import textwrap

import pytest

from twintui.core.demo.synthetic import TODAY
from twintui.core.model import Arrangement
from twintui.core.model.progress import ObjectiveProgress
from twintui.core.progress.assess import Kept
from twintui.core.progress.listing import _wrap, listing
from twintui.core.store import Store


def test_the_json_made_of_kept_parts_is_the_very_same_bytes(demo_store: Store) -> None:
    kept = Kept()
    for state in (None, "NOR", "CAN", None, "NOR"):
        assert listing(demo_store, state, TODAY, "json", kept=kept) == listing(demo_store, state, TODAY, "json")
    before = listing(demo_store, None, TODAY, "json", kept=kept)
    value = next(p for p in demo_store.all(ObjectiveProgress) if p.arrangement == "TW-CAN-0001")
    demo_store.save(value.replace(value=(value.value or 0) + 1, comment="corrected"), "test")
    after = listing(demo_store, None, TODAY, "json", kept=kept)
    assert after == listing(demo_store, None, TODAY, "json") != before
    assert kept.worked_out == 1 and set(kept.json) == {"TW-CAN-0001", "TW-NOR-0001"}
    # An arrangement that goes leaves no part behind; a state without objectives lists none.
    demo_store.delete(demo_store.require(Arrangement, "TW-CAN-0001"), "test")
    assert listing(demo_store, None, TODAY, "json", kept=kept) == listing(demo_store, None, TODAY, "json")
    assert set(kept.json) == {"TW-NOR-0001"}
    some = next(a.reporting_state for a in demo_store.all(Arrangement) if a.reporting_state not in ("NOR", "CAN"))
    assert listing(demo_store, some, TODAY, "json", kept=kept) == b"[]\n" == listing(demo_store, some, TODAY, "json")


@pytest.mark.parametrize("text", [
    "", "fits", "x" * 74, "x" * 75, "x" * 76, " leading space", "trailing space ", "two  spaces inside",
    "a\ttab", "a line\nbreak", "words " * 20, "a-very-long-hyphenated-word " * 4,
])
def test_a_line_that_fits_is_wrapped_as_textwrap_wraps_it(text: str) -> None:
    first, rest = "  4 !", "     "
    expected = textwrap.wrap(text, 80, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False) or [first]
    assert _wrap(text, first, rest) == expected
