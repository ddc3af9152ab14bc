"""A demo register with pinned time, and an app factory, for driving the screens like a user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from twintui.core import demo
from twintui.core.store import Store
from twintui.tui.app import TwintuiApp

TODAY = dt.date(2026, 11, 20)
NOW = "2026-11-20T09:30:00+00:00"


@pytest.fixture
def pinned_store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "register.json", user="focal.point", clock=lambda: NOW)
    demo.fill(store)
    return store


@pytest.fixture
def make_app(pinned_store: Store) -> Callable[[], TwintuiApp]:
    return lambda: TwintuiApp(pinned_store, today=TODAY)
