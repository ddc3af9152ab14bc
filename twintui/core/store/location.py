"""Where the store lives: --db, else $TWINTUI_DB, else the user data folder."""

from __future__ import annotations

import os
from pathlib import Path

ENV = "TWINTUI_DB"


def default_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("twintui", appauthor=False)) / "twintui.json"


def resolve_path(option: str | os.PathLike[str] | None = None) -> Path:
    if option:
        return Path(option).expanduser()
    if value := os.environ.get(ENV):
        return Path(value).expanduser()
    return default_path()
