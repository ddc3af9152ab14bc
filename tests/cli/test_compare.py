"""`twintui compare` as a user runs it: real processes, exit codes, the published JSON, the workbook."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from twintui.core import demo
from twintui.core.compare import evaluate, records, sensitivity
from twintui.core.compare.demo import DEMO_NAME
from twintui.core.compare.export import FIRST_FACTOR_ROW
from twintui.core.compare.json_shape import to_json
from twintui.core.store import Store

NAME = DEMO_NAME


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "twintui", *args], capture_output=True, text=True, check=False,
                          env={**os.environ}, timeout=120)


@pytest.fixture
def db(store_path: Path) -> str:
    demo.fill(Store.open(store_path))
    return str(store_path)


def test_list_text_and_json(db: str) -> None:
    text = run("compare", "list", "--db", db)
    assert text.returncode == 0, text.stderr
    assert NAME in text.stdout and "Netherlands" in text.stdout
    listed = run("compare", "list", "--json", "--db", db)
    assert listed.returncode == 0
    [entry] = json.loads(listed.stdout)
    assert entry["name"] == NAME
    assert entry["id"] == "COM-0001" and entry["leaders"] == ["Netherlands"]
    assert entry["candidates"] == ["Norway", "Canada", "Netherlands", "Sweden"]


def test_list_of_a_store_without_comparisons(store_path: Path) -> None:
    Store.open(store_path)
    result = run("--db", str(store_path), "compare", "list", "--json")
    assert result.returncode == 0 and json.loads(result.stdout) == []
    assert "No comparisons yet" in run("compare", "list", "--db", str(store_path)).stdout


def test_show_json_is_exactly_the_published_shape_and_the_core_numbers(db: str) -> None:
    result = run("compare", "show", NAME.upper(), "--json", "--db", db)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    c = records.find(Store.open(db), NAME)
    assert doc == json.loads(json.dumps(to_json(c)))
    assert list(doc) == ["name", "factors", "candidates", "sensitivity"]
    assert set(doc["candidates"][0]) == {"name", "scores", "total", "rank", "coverage", "excluded"}
    ev = evaluate(c)
    for entry in doc["candidates"]:
        result_ = ev.result(entry["name"])
        assert entry["total"] == pytest.approx(result_.total)
        assert entry["rank"] == result_.rank and entry["coverage"] == pytest.approx(result_.coverage)
    assert [s["tipping_weight"] for s in doc["sensitivity"]] == [s.tipping_weight for s in sensitivity(c)]
    assert doc["candidates"][3]["scores"]["Funding for the twinning activity"] is None


def test_show_text_by_id(db: str) -> None:
    result = run("compare", "show", "COM-0001", "--db", db)
    assert result.returncode == 0
    assert "Policy and procedures" in result.stdout and "Verdict: fragile" in result.stdout


def test_show_finds_a_name_case_spacing_and_punctuation_aside(db: str) -> None:
    # The example: no colon. The command line finds it as the help says...
    result = run("--db", db, "compare", "show", "romania partner for a first resettlement programme", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["name"] == NAME
    # ...by the one rule of the core, and ids ignore case like names.
    store = Store.open(db)
    for name in ("  ROMANIA:partner for a first resettlement programme. ", "com-0001", " Com-0001 "):
        assert records.find(store, name).name == NAME


@pytest.mark.parametrize("action", [("show", "Nowhere"), ("export", "Nowhere", "-o", "x.xlsx")])
def test_an_unknown_name_exits_1_with_the_names_there_are(db: str, tmp_path: Path, action: tuple[str, ...]) -> None:
    result = run("compare", *action, "--db", db)
    assert result.returncode == 1
    assert result.stderr.strip() == f"twintui: there is no comparison named 'Nowhere'; the comparisons are: '{NAME}'"
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize("args,says", [
    (("compare",), "twintui compare: say what to do: list, show NAME or export NAME -o FILE.xlsx"),
    (("compare", "show"), "twintui compare show: error: the following arguments are required: NAME"),
    (("compare", "export", NAME), "twintui compare export: error: the following arguments are required: -o/--output"),
    (("compare", "export", NAME, "-o", "matrix.csv"), "argument -o/--output: 'matrix.csv' does not end in .xlsx"),
    (("compare", "frobnicate"), "argument ACTION: invalid choice: 'frobnicate'"),
])
def test_bad_usage_exits_2(db: str, args: tuple[str, ...], says: str) -> None:
    result = run(*args, "--db", db)
    assert result.returncode == 2, (args, result.stdout, result.stderr)
    assert says in result.stderr and "Traceback" not in result.stderr and result.stdout == ""


def test_a_missing_store_exits_2_and_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    result = run("compare", "list", "--db", str(missing))
    assert result.returncode == 2 and "there is no twintui store" in result.stderr
    assert not missing.exists()


def test_export_writes_a_workbook(db: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "matrix.xlsx"
    result = run("compare", "export", NAME, "-o", str(out), "--db", db)
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    ws = load_workbook(out)["Matrix"]
    assert ws["A1"].value == NAME
    assert str(ws.cell(FIRST_FACTOR_ROW + 11, 4).value).startswith("=IF(")


def test_export_to_a_folder_that_does_not_exist_exits_2(db: str, tmp_path: Path) -> None:
    result = run("compare", "export", NAME, "-o", str(tmp_path / "no" / "such" / "m.xlsx"), "--db", db)
    assert result.returncode == 2  # a file that cannot be written, as for every other command
    assert result.stderr.startswith("twintui: cannot write ") and "Traceback" not in result.stderr


def test_check_knows_the_comparisons_table(db: str) -> None:
    result = run("check", "--db", db)
    assert result.returncode == 0, result.stdout
    assert "1 comparisons" in result.stdout and "unknown table" not in result.stdout
