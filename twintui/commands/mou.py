"""`twintui mou` commands (filled by its issue)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def register(command: Callable[..., Any]) -> None:
    """Add this module's sub-commands to the parser."""
