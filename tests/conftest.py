"""Every test runs with its own home, data folders and store: nothing touches a real home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from twintui.core.store import Store
from twintui.core.store import identity

# One test process stands in for several officials (Store.open(path, user="alice")); outside the
# tests only root may (twintui.core.store.identity.acting_user).
identity.ACT_AS_OTHERS = True


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name, sub in (("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config"),
                      ("XDG_STATE_HOME", ".local/state"), ("XDG_CACHE_HOME", ".cache")):
        monkeypatch.setenv(name, str(home / sub))
    (home / "store").mkdir()
    monkeypatch.setenv("TWINTUI_DB", str(home / "store" / "twintui.json"))
    monkeypatch.delenv("TWINTUI_ACCESS", raising=False)
    return home


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "register.json"


@pytest.fixture
def store(store_path: Path) -> Store:
    return Store.open(store_path)


@pytest.fixture
def demo_store(store: Store) -> Store:
    from twintui.core import demo

    demo.fill(store)
    return store


@pytest.fixture
def tiny_disk() -> Iterator[Path]:
    """A real full disk to be: a 256 KiB tmpfs (root only; else the test is skipped). See tests/disks.py."""
    from tests.disks import mounted_tiny_disk

    yield from mounted_tiny_disk()
