"""The small register, and its report as of TODAY."""

from __future__ import annotations

import pytest

from twintui.core import reports
from twintui.core.store import Store

from .examples import TODAY, fill


@pytest.fixture
def small(store: Store) -> Store:
    fill(store)
    return store


@pytest.fixture
def report(small: Store) -> reports.RegisterReport:
    return reports.build(small, today=TODAY)
