"""Stores edited by hand or damaged: `check` names every problem and never raises; every other command
refuses in one line that points to it; a record that differs from its audited history is reported
(issue 15, items 9 and 10)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests import users
from twintui.core import demo
from twintui.core.check import check_store
from twintui.core.store import Store
from twintui.core.store.audit import Entry

from .conftest import one_line


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    users.preload()  # the forked commands below find pandas and openpyxl imported already
    db = tmp_path_factory.mktemp("damaged") / "twintui.json"
    demo.fill(Store.open(db))
    return db


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    for name in ("twintui.json", "twintui.audit.jsonl"):
        shutil.copyfile(template.with_name(name), tmp_path / name)
    return tmp_path / "twintui.json"


def edit(db: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = json.loads(db.read_bytes())
    change(data)
    db.write_text(json.dumps(data))


def first(table: str) -> Callable[[dict[str, Any]], tuple[dict[str, Any], str]]:
    def pick(data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        doc_id = min(data[table], key=int)
        return data[table], doc_id
    return pick


def set_field(table: str, name: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        docs, doc_id = first(table)(data)
        docs[doc_id][name] = value
    return change


def replace_doc(value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        docs, doc_id = first("arrangements")(data)
        docs[doc_id] = value
    return change


def rename_doc(data: dict[str, Any]) -> None:
    docs, doc_id = first("arrangements")(data)
    docs["x"] = docs.pop(doc_id)


DAMAGE = {
    "txn 'x'": (lambda data: data["_twintui"].__setitem__("txn", "x"), "header, field txn: 'x'"),
    "an arrangement that is a string": (replace_doc("an arrangement"), "arrangements document 1: is str"),
    "start 20200101": (set_field("arrangements", "start", 20200101), "arrangements document 1 (TW-CZE-0001), "
                                                                     "field start: 20200101 is not a date"),
    "likelihood 'high'": (set_field("risks", "likelihood", "high"), "risks document 1 (TW-CZE-0001/R-1), field "
                                                                   "likelihood: 'high' is not a whole number"),
    "areas 5": (set_field("arrangements", "areas", 5), "field areas: 5 is not a list of texts"),
    "id null": (set_field("arrangements", "id", None), "arrangements document 1, field id: None is not a text"),
    "document id 'x'": (rename_doc, "arrangements document 'x': the document id is not a whole number"),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_check_names_each_damaged_record_and_every_command_refuses_in_one_line(db: Path, tmp_path: Path,
                                                                               damage: str) -> None:
    change, words = DAMAGE[damage]
    edit(db, change)
    before = db.read_bytes()
    report = check_store(db)
    assert not report.ok and any(words in line for line in report.errors), report.errors
    assert not any("check stopped" in line for line in report.errors), report.errors
    code, out = users.twintui(None, "--db", str(db), "check")
    assert code == 1 and words in out and "Traceback" not in out, out
    for argv in (["export", "--all", "-o", str(tmp_path / "all.xlsx")], ["demo", "--force"]):
        code, out = users.twintui(None, "--db", str(db), *argv)
        line = one_line(out)
        assert code == 2 and "is damaged" in line and "twintui check" in line and str(db) in line, (argv, out)
    assert db.read_bytes() == before
    assert not (tmp_path / "all.xlsx").exists()


@pytest.mark.parametrize("argv", [["report", "-o", "r.md"], ["experts", "housing"], ["compare", "list"],
                                  ["mou", "list"], ["access", "list"], ["restore", "x", "--dry-run"]])
def test_the_other_commands_refuse_a_damaged_register_in_one_line(db: Path, argv: list[str]) -> None:
    edit(db, set_field("arrangements", "start", 20200101))
    code, out = users.twintui(None, "--db", str(db), *argv)
    assert "Traceback" not in out and "internal error" not in out, out
    if argv[0] in ("report", "experts", "mou"):  # these read the arrangements
        line = one_line(out)
        assert code == 2 and "is damaged" in line and "twintui check" in line, out
    else:
        assert code in (0, 1), out


def test_a_restore_mends_a_damaged_store(db: Path) -> None:
    demo.fill(Store.open(db), force=True)  # a backup of the good store
    edit(db, set_field("arrangements", "start", 20200101))
    code, out = users.twintui(None, "--db", str(db), "backups")
    name = next(line.split()[0] for line in out.splitlines() if "demo-force" in line)
    code, out = users.twintui(None, "--db", str(db), "restore", name, "--yes")
    assert code == 0, out
    assert check_store(db).ok, check_store(db).errors


# -- item 10: the store against its audit log -----------------------------------------------------------

def test_a_title_changed_in_the_file_is_reported_with_its_audited_value(db: Path) -> None:
    assert check_store(db).ok
    edit(db, set_field("arrangements", "title", "Changed in the file"))
    report = check_store(db)
    [line] = report.errors
    assert line.startswith("arrangements TW-CZE-0001, field title: 'Changed in the file' in the store, "
                           "'Czech resettlement") and "edited directly" in line, line


@pytest.mark.parametrize("field", ["rev", "updated_by"])
def test_a_revision_or_author_changed_in_the_file_is_reported(db: Path, field: str) -> None:
    edit(db, set_field("arrangements", field, 7 if field == "rev" else "someone.else"))
    report = check_store(db)
    assert any(line.startswith("arrangements TW-CZE-0001: ") and ("revision 7" if field == "rev" else
               "'someone.else'") in line for line in report.errors), report.errors


def test_records_added_to_or_removed_from_the_file_are_reported(db: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        docs, doc_id = first("partners")(data)
        docs["999"] = {**docs[doc_id], "id": "P-99"}
        risks, risk_id = first("risks")(data)
        del risks[risk_id]
    edit(db, change)
    errors = check_store(db).errors
    assert any("partners TW-CZE-0001/P-99: no audited change made it" in e for e in errors), errors
    assert any("risks TW-CZE-0001/R-1: in the audit log" in e and "not in the store" in e for e in errors), errors


def _rewrite_log(db: Path, change: Callable[[list[Entry]], None]) -> None:
    """What an attacker with write access to the log does: change entries and re-hash the whole chain."""
    log = db.with_name("twintui.audit.jsonl")
    entries = [Entry.from_dict(orjson.loads(line)) for line in log.read_bytes().splitlines()]
    change(entries)
    prev = "0" * 64
    for entry in entries:
        entry.prev = prev
        entry.hash = prev = entry.compute_hash()
    log.write_bytes(b"".join(entry.to_line() for entry in entries))


def test_a_forged_and_rehashed_audit_entry_is_reported_where_it_disagrees_with_the_store(db: Path) -> None:
    def forge(entries: list[Entry]) -> None:
        create = next(e for e in entries if e.record == "TW-CZE-0001" and e.action == "create")
        create.changes["title"] = [None, "What the forger says it was"]
        create.user = "amina"

    _rewrite_log(db, forge)
    report = check_store(db)
    assert not any("hash" in e or "follow" in e for e in report.errors), report.errors  # the chain holds
    assert any("TW-CZE-0001, field title:" in e and "What the forger says it was" in e for e in report.errors), \
        report.errors
    assert any("TW-CZE-0001: updated by" in e and "'amina'" in e for e in report.errors), report.errors


def test_what_a_key_less_check_cannot_see_a_forgery_of_both_files_that_agrees(db: Path) -> None:
    """Honest limit (README, a shared server): someone who can write both files and forges them so that
    they agree is not detected; the store service (issue 17) is what closes it."""
    def forge(entries: list[Entry]) -> None:
        create = next(e for e in entries if e.record == "TW-CZE-0001" and e.action == "create")
        create.changes["title"] = [None, "Forged in both"]

    _rewrite_log(db, forge)
    edit(db, set_field("arrangements", "title", "Forged in both"))
    assert check_store(db).ok
