"""A demo register with pinned time and user, and a state with several arrangements to return."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from twintui.core import demo
from twintui.core.model import Arrangement
from twintui.core.store import Store

NOW = "2026-10-05T09:00:00+00:00"
TODAY = dt.date(2026, 10, 5)
QUARTER = "2026-Q3"


@pytest.fixture
def register(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "register.json", user="maintainer", clock=lambda: NOW)
    demo.fill(store, size=40)
    return store


@pytest.fixture
def state(register: Store) -> str:
    """The state with the most arrangements (partners and risks included)."""
    counts: dict[str, int] = {}
    for doc in register.docs(Arrangement):
        counts[doc["reporting_state"]] = counts.get(doc["reporting_state"], 0) + 1
    return max(sorted(counts), key=lambda s: counts[s])
