"""The store's schema 2 (issue 18): a schema-1 file is upgraded as it is, audited; a newer one is refused.

``schema-1/`` holds a store and its audit log written by twintui at schema 1 (``schema-1/make.py``,
run with that version): the Norway arrangement, its MoU signed as version 1 and version 2 a draft.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from twintui.core.check import check_store
from twintui.core.errors import StoreError
from twintui.core.mou import review, versions
from twintui.core.mou.model import Memorandum
from twintui.core.store import SCHEMA, Store, backups, schema

OLD = Path(__file__).parent / "schema-1"


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    for name in ("register.json", "register.audit.jsonl"):
        shutil.copy(OLD / name, tmp_path / name)
    return tmp_path / "register.json"


def stored_objectives(path: Path) -> dict[str, list[dict]]:
    tables = json.loads(path.read_bytes())
    return {doc["id"]: doc["objectives"]["objectives"] for doc in tables["memoranda"].values()}


def test_the_fixture_is_a_schema_1_store_that_checks_clean(old_store: Path) -> None:
    assert SCHEMA == 2
    assert json.loads(old_store.read_bytes())["_twintui"]["schema"] == 1
    assert all("kind" not in o for items in stored_objectives(old_store).values() for o in items)
    assert check_store(old_store).ok  # the check reads it without upgrading it


def test_a_schema_1_store_is_upgraded_as_it_is_after_a_backup(old_store: Path) -> None:
    before, old = old_store.read_bytes(), stored_objectives(old_store)
    store = Store.open(old_store, user="amina")
    assert json.loads(old_store.read_bytes())["_twintui"]["schema"] == 2
    # The backup is the schema-1 file as it was.
    [copy] = backups.list_all(old_store)
    assert "before-schema-2" in copy.path.name and copy.path.read_bytes() == before
    # Every objective is a text indicator now, its words as they were.
    new = stored_objectives(old_store)
    assert set(new) == {"MOU-1", "MOU-2"}
    for version, items in new.items():
        assert [{k: v for k, v in o.items() if k in old[version][0]} for o in items] == old[version]
        assert all(o["kind"] == "text" and o["unit"] == "" and o["baseline"] is None and o["target_value"] is None
                   and o["target_date"] is None for o in items)
    # The SMART review says what it said: the words are reviewed as before.
    for memo in versions.versions_of(store, "TW-NOR-0001"):
        assert [r.letters() for r in review(memo.sections())] == ["S M A R T", "S M A R T", "- - - R -"]


def test_the_upgrade_is_audited_record_by_record_and_the_check_stays_clean(old_store: Path) -> None:
    revs = {doc["id"]: doc["rev"] for doc in json.loads(old_store.read_bytes())["memoranda"].values()}
    store = Store.open(old_store, user="amina")
    signed = store.require(Memorandum, "TW-NOR-0001/MOU-1")
    assert signed.status == "signed" and signed.rev == revs["MOU-1"] + 1 and signed.updated_by == "amina"
    entries = [e for e in store.history() if e.source == "migration"]
    assert [(e.action, e.record) for e in entries] == [
        ("migrate", ""), ("update", "TW-NOR-0001/MOU-1"), ("update", "TW-NOR-0001/MOU-2")]
    assert entries[0].changes == {"schema": [1, 2]}
    assert set(entries[1].changes) == {"objectives"} and entries[1].rev == signed.rev
    report = check_store(old_store)
    assert report.ok, report.errors
    # Opening it again upgrades nothing more.
    Store.open(old_store, user="amina")
    assert len([e for e in Store.open(old_store).history() if e.source == "migration"]) == 3


def test_restoring_the_schema_1_backup_after_the_upgrade_changes_nothing(old_store: Path) -> None:
    store = Store.open(old_store, user="amina")
    [copy] = backups.list_all(old_store)
    plan = store.restore_plan(copy.path)
    assert plan.empty, plan.to_json()


def test_the_migration_leaves_objectives_that_have_their_kind_alone() -> None:
    doc = {"objectives": {"objectives": [{"text": "a", "kind": "number", "unit": "", "baseline": 0,
                                          "target_value": 5, "target_date": None}, "not an objective"]}}
    tables = {"memoranda": {"1": doc}}
    assert schema.MIGRATIONS[1]({}, tables) == []
    assert tables == {"memoranda": {"1": doc}}
    half = {"objectives": {"objectives": [{"text": "a", "kind": "milestone"}]}}
    assert schema.MIGRATIONS[1]({}, {"memoranda": {"2": half}}) == [
        ("memoranda", "2", {"objectives": {"objectives": [{"text": "a", "kind": "milestone"}]}})]
    assert half["objectives"]["objectives"][0] == {"text": "a", "kind": "milestone", "unit": "", "baseline": None,
                                                  "target_value": None, "target_date": None}


def test_a_schema_2_file_is_refused_by_a_twintui_that_reads_schema_1(old_store: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(old_store)  # upgraded to 2
    content = old_store.read_bytes()
    monkeypatch.setattr(schema, "SCHEMA", 1)  # the rule as a schema-1 twintui has it
    with pytest.raises(StoreError) as refused:
        Store.open(old_store)
    assert "was written by a newer twintui (store schema 2; this version reads up to 1)" in str(refused.value)
    assert old_store.read_bytes() == content
