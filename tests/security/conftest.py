"""A group-writable shared folder (as the retired `setup-server` made it), with real users: a maintainer, a member,
a reader."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import users


@dataclass
class Shared:
    """One fresh shared folder (root:group 2770) holding a demo store, root:group 0660, and its log."""

    users: users.Users
    folder: Path
    db: Path

    @property
    def log(self) -> Path:
        return self.db.with_name("twintui.audit.jsonl")

    @property
    def lock(self) -> Path:
        return self.db.with_name("twintui.json.lock")

    @property
    def env(self) -> dict[str, str]:
        return {"TWINTUI_DB": str(self.db)}

    def twintui(self, role: str, *argv: str) -> tuple[int, str]:
        return users.twintui(self.users[role], *argv, env=self.env)


@pytest.fixture(scope="session")
def people() -> Iterator[users.Users]:
    """Made once per test process (user creation takes a second or two)."""
    with users.made_users("maintainer", "member", "reader") as made:
        yield made


@pytest.fixture(scope="session")
def demo_files(people: users.Users, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from twintui.core import demo
    from twintui.core.store import Store

    db = tmp_path_factory.mktemp("shared-demo") / "twintui.json"
    demo.fill(Store.open(db))
    return db


_numbers = itertools.count()


@pytest.fixture
def shared(people: users.Users, demo_files: Path) -> Iterator[Shared]:
    # The group-writable folder the retired setup-server made (root:group, 2770): a store opened directly
    # there still gets every rule of core.files, and these tests hold it to them.
    folder = people.folder / f"srv-{next(_numbers)}"
    folder.mkdir()
    os.chown(folder, 0, people.gid)
    os.chmod(folder, 0o2770)
    db = folder / "twintui.json"
    for source, target in ((demo_files, db), (demo_files.with_name("twintui.audit.jsonl"),
                                              db.with_name("twintui.audit.jsonl"))):
        shutil.copyfile(source, target)
        os.chown(target, 0, people.gid)
        os.chmod(target, 0o660)
    lock = db.with_name("twintui.json.lock")  # as setup-server left it: the group's, like the store
    lock.touch()
    os.chown(lock, 0, people.gid)
    os.chmod(lock, 0o660)
    yield Shared(people, folder, db)
    shutil.rmtree(folder, ignore_errors=True)


def one_line(out: str) -> str:
    """The output of a refused command: one line, no traceback (what the user reads)."""
    lines = [line for line in out.splitlines() if line.strip()]
    assert "Traceback" not in out and "internal error" not in out, out
    assert len(lines) == 1, out
    return lines[0]


def save_title(db: Path, title: str) -> int:
    """What a screen does, as whoever runs it: an ordinary write; a refusal printed as the command line does."""
    from twintui.core.errors import TwintuiError
    from twintui.core.model import Arrangement
    from twintui.core.store import Store

    store = Store.open(db)
    try:
        store.save(store.require(Arrangement, "TW-NOR-0001").replace(title=title), "screen:register")
    except TwintuiError as error:
        print(f"twintui: {error}")
        return error.exit_code
    return 0
