"""``Store.rows``: a table's documents as rows of only the fields a reader needs.

A table this user's receipt vouches for is read straight from the file's bytes into rows, and never
parsed into documents (the progress values of a large register: a third of the time and memory).
Any other table is read as always, its shape checked, and made into rows: a damaged document is
refused in one line whichever way it is read. The rows are kept for one state of the data.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import msgspec
import pytest

from twintui.core import demo
from twintui.core.errors import StoreError
from twintui.core.model.progress import ObjectiveProgress
from twintui.core.store import Store, lazy, receipts, shape

MARGIN = 0.1


class Value(msgspec.Struct, frozen=True):
    arrangement: Any = None
    quarter: Any = None
    value: Any = None
    missing: Any = None  # a field no document has


@pytest.fixture(autouse=True)
def short_margin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(receipts, "RACY_NS", int(MARGIN * 1e9))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    demo.fill(Store.open(tmp_path / "register.json"))
    time.sleep(MARGIN * 1.5)  # older than the receipts' margin
    return tmp_path / "register.json"


def expected(store: Store) -> list[Value]:
    return [Value(d["arrangement"], d["quarter"], d.get("value")) for d in store.docs(ObjectiveProgress)]


def test_a_vouched_table_is_read_into_rows_without_its_documents(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(path).docs(ObjectiveProgress)  # a first read: checked, and the receipt kept
    parsed: list[int] = []
    loads = lazy.orjson.loads
    monkeypatch.setattr(lazy.orjson, "loads", lambda raw: (parsed.append(len(raw)), loads(raw))[1])
    store = Store.open(path)
    rows = store.rows(ObjectiveProgress, Value)
    assert max(parsed) < 1000  # the header and the receipt, not a table: the rows came from the file's bytes
    assert "objective_progress" not in store.storage.read()._parsed  # type: ignore[union-attr]
    assert rows == expected(Store.open(path)) and len(rows) > 10 and all(r.missing is None for r in rows)


def test_a_table_not_vouched_for_is_checked_then_made_into_rows(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[str] = []
    problems = shape.table_problems
    monkeypatch.setattr(shape, "table_problems", lambda table, docs: (checked.append(table), problems(table, docs))[1])
    store = Store.open(path)
    assert store.rows(ObjectiveProgress, Value) == expected(store)
    assert checked == ["objective_progress"]


def test_a_damaged_value_is_refused_in_one_line_read_as_rows(path: Path) -> None:
    Store.open(path).docs(ObjectiveProgress)  # a receipt of the file as it was
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b'"quarter":"2026-Q1"', b'"quarter":20261', 1))  # changed: the receipt holds no more
    with pytest.raises(StoreError) as refused:
        Store.open(path).rows(ObjectiveProgress, Value)
    assert "is damaged: objective_progress document" in refused.value.message and "quarter" in refused.value.message
    assert "\n" not in refused.value.message


def test_bytes_that_do_not_read_as_rows_are_read_as_always(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(path).docs(ObjectiveProgress)
    monkeypatch.setattr(lazy.Tables, "trusted_bytes", lambda self, name: memoryview(b'{"1": [1, 2]'))
    store = Store.open(path)
    assert store.rows(ObjectiveProgress, Value) == expected(store)


def test_rows_are_kept_for_one_state_of_the_data(path: Path) -> None:
    store = Store.open(path)
    first = store.rows(ObjectiveProgress, Value)
    assert store.rows(ObjectiveProgress, Value) is first
    value = store.all(ObjectiveProgress)[0]
    store.save(value.replace(value=(value.value or 0) + 1, comment="corrected"), "test")
    again = store.rows(ObjectiveProgress, Value)
    assert again is not first and again == expected(store) and again != first
