"""Fixtures of the core's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from .sharing import make_shared


@pytest.fixture
def shared(store_path: Path) -> Path:
    """A store in shared mode (tests/core/sharing.py)."""
    return make_shared(store_path)
