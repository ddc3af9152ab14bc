"""Where the store lives: --db, else $TWINTUI_DB, else the user data folder."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import StoreError

ENV = "TWINTUI_DB"


def default_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("twintui", appauthor=False)) / "twintui.json"


def resolve_path(option: str | os.PathLike[str] | None = None) -> Path:
    """The store's path; only the default folder is made if missing (a --db in a folder that does
    not exist is refused by ``Store.open``, not made silently)."""
    if option:
        return _expanded(str(option))
    if value := os.environ.get(ENV):
        return _expanded(value)
    path = default_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _expanded(value: str) -> Path:
    try:
        path = Path(value).expanduser()
    except RuntimeError:  # ~name of a user this machine does not have
        path = Path(value)
    if str(path).startswith("~"):
        user = str(path)[1:].split(os.sep, 1)[0]
        raise StoreError(f"{value}: there is no user '{user}' on this machine, so ~{user} is no folder "
                         "(give the store's path)")
    return path
