"""The Register's marks worked out in a process of their own (``service.apart``): the same as in the app,
and a store that cannot be read said in one line."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from twintui.core import demo
from twintui.core.errors import StoreError
from twintui.core.progress.standing import standings
from twintui.core.store import Store
from twintui.service import apart

AS_OF = dt.date(2026, 11, 1)


def test_the_marks_worked_out_apart_are_the_apps(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "register.json")
    demo.fill(store)
    found = apart.standings(store.path, AS_OF)
    assert found == standings(store, AS_OF) and "off track" in found["TW-CAN-0001"].verdicts


def test_only_a_register_with_many_mous_and_values_is_worth_a_process(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    demo.fill(Store.open(tmp_path / "register.json"))
    store = Store.open(tmp_path / "register.json")
    assert not apart.worth_it(store)  # the demo: judged in the app's thread (the desk keeps the verdicts)
    raw = store.path.read_bytes()
    progress = sum(len(orjson.dumps(orjson.loads(raw)[name])) for name in apart.READ)
    assert progress < len(raw) // 2
    # What counts is what the verdicts read, not the whole file (10,000 arrangements, few with an MoU).
    monkeypatch.setattr(apart, "APART_BYTES", progress + 10)
    assert not apart.worth_it(Store.open(store.path))
    monkeypatch.setattr(apart, "APART_BYTES", progress - 10)
    assert apart.worth_it(Store.open(store.path))


@pytest.mark.parametrize("content, said", [
    (None, "there is no twintui store at"),
    (b'{"_twintui": {"app": "twintui"', "is damaged: it is not valid JSON"),
    (b'{"something": "else"}', "is not a twintui store"),
])
def test_a_store_that_cannot_be_read_is_one_line_naming_it(tmp_path: Path, content: bytes | None, said: str) -> None:
    path = tmp_path / "register.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(StoreError) as failed:
        apart.standings(path, AS_OF)
    message = failed.value.message
    assert said in message and str(path) in message and "\n" not in message and "Traceback" not in message


def test_the_process_refuses_what_is_not_a_store_and_a_day(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "twintui.service.apart", str(tmp_path), "not a day"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2 and done.stderr.startswith("usage:") and "Traceback" not in done.stderr
