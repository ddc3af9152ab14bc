"""The published JSON of `compare show --json`: exactly its shape."""

from __future__ import annotations

import json

import pytest

from twintui.core.compare import demo, evaluate
from twintui.core.compare.json_shape import to_json

from .examples import FUNDING, POLICY, small


def test_json_has_exactly_the_published_shape() -> None:
    c = demo.demo_comparison()
    doc = to_json(c)
    assert list(doc) == ["name", "factors", "candidates", "sensitivity"]
    assert all(list(f) == ["name", "weight", "must_have_min"] for f in doc["factors"])
    assert all(list(x) == ["name", "scores", "total", "rank", "coverage", "excluded"] for x in doc["candidates"])
    assert all(list(s) == ["factor", "tipping_weight", "new_leader"] for s in doc["sensitivity"])
    json.dumps(doc)  # plain JSON
    ev = evaluate(c)
    netherlands = next(x for x in doc["candidates"] if x["name"] == "Netherlands")
    assert netherlands["total"] == pytest.approx(ev.result("Netherlands").total)
    assert netherlands["rank"] == 1 and netherlands["excluded"] is None
    sweden = next(x for x in doc["candidates"] if x["name"] == "Sweden")
    assert sweden["scores"][FUNDING] is None  # unknown is null, not 0
    policy = next(s for s in doc["sensitivity"] if s["factor"] == POLICY)
    assert policy["tipping_weight"] == pytest.approx(2.46, abs=0.01) and policy["new_leader"] == "Sweden"


def test_json_of_an_excluded_candidate() -> None:
    c = small()
    c.set_must_have(FUNDING, 3)
    canada = next(x for x in to_json(c)["candidates"] if x["name"] == "Canada")
    assert canada["rank"] is None
    assert canada["excluded"] == f"below must-have minimum 3 on {FUNDING!r} (scored 2)"
