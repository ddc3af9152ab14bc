"""The worked example of the compare tests."""

from __future__ import annotations

import pytest

from twintui.core.compare import Comparison
from twintui.core.model.vocab import DEFAULT_FACTORS

from .examples import COOPERATION, FUNDING, INTEGRATION, SIMILARITY


@pytest.fixture
def worked() -> Comparison:
    """An emerging resettlement state choosing a partner on four weighted factors."""
    c = Comparison.new(
        "Partner for 2025",
        organisation="Ministry of the Interior",
        learning_gap="selection missions",
        end_goal="set up a resettlement programme within 18 months",
        candidates=["Norway", "Canada", "Netherlands", "Sweden"],
    )
    for name in DEFAULT_FACTORS:
        c.set_weight(name, 0)
    c.set_weight(SIMILARITY, 5)
    c.set_weight(FUNDING, 3)
    c.set_weight(INTEGRATION, 2)
    c.set_must_have(FUNDING, 2)
    rows = {
        "Norway": (4, 3, 5, 1),
        "Canada": (5, 4, None, 5),
        "Netherlands": (3, 1, 5, 5),
        "Sweden": (None, None, None, 4),
    }
    for candidate, scores in rows.items():
        for factor, score in zip((SIMILARITY, FUNDING, INTEGRATION, COOPERATION), scores):
            c.set_score(factor, candidate, score)
    c.set_note(FUNDING, "Canada", "national budget covers the visits")
    return c
