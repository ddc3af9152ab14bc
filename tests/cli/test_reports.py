"""`twintui report` and `twintui experts` as a user runs them: real processes, exit codes, files, JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.reports.examples import fill
from twintui.core.store import Store


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "twintui", *args], capture_output=True, text=True, check=False,
                          env={**os.environ}, timeout=120)


@pytest.fixture
def db(store_path: Path) -> str:
    fill(Store.open(store_path))
    return str(store_path)


def test_report_writes_each_format(db: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    xlsx = tmp_path / "q3.xlsx"
    done = run("report", "--quarter", "2026-Q3", "-o", str(xlsx), "--db", db)
    assert done.returncode == 0, done.stderr
    assert "5 arrangements" in done.stdout and "2024-Q4 to 2026-Q3" in done.stdout
    book = load_workbook(xlsx)
    assert "Returns compliance" in book.sheetnames
    assert book["Returns by quarter"]["A3"].value == "NOR" and book["Returns by quarter"]["G3"].value == "late (15 d)"
    md, html = tmp_path / "r.md", tmp_path / "r.html"
    assert run("report", "-o", str(md), "--db", db).returncode == 0
    assert run("--db", db, "report", "-o", str(html)).returncode == 0
    assert md.read_text().startswith("# Twinning Register report")
    assert html.read_text().startswith("<!DOCTYPE html>")


def test_report_of_the_demo_has_its_progress(tmp_path: Path) -> None:
    """The demo's returns (values up to 2026-Q3): the report for 2026-Q3 shows the verdicts as of 2026-09-30."""
    db, md = str(tmp_path / "demo.json"), tmp_path / "r.md"
    assert run("--db", db, "demo").returncode == 0
    done = run("--db", db, "report", "--quarter", "2026-Q3", "-o", str(md))
    assert done.returncode == 0, done.stderr
    text = md.read_text()
    assert "## Objectives by verdict per reporting state, as of 2026-09-30" in text
    assert "| CAN | Canada | 1 | 1 | 0 | 1 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 4 |" in text
    assert "| TW-CAN-0001 | CAN | activity 5 | Practice notes in Spanish and Portuguese | 2026-06-30 | 92 |" in text


@pytest.mark.parametrize("args", [
    ("report", "-o", "out.csv"),
    ("report", "--quarter", "2026-Q5", "-o", "out.xlsx"),
    ("report",),
    ("experts",),
    ("experts", "housing", "--limit", "-1"),
])
def test_bad_usage_exits_2(db: str, args: tuple[str, ...], tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "twintui", *args, "--db", db], capture_output=True, text=True,
                          cwd=tmp_path, check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert not list(tmp_path.glob("out*"))


def test_a_missing_store_or_folder_exits_2(tmp_path: Path, db: str) -> None:
    done = run("report", "-o", str(tmp_path / "r.xlsx"), "--db", str(tmp_path / "none.json"))
    assert done.returncode == 2 and not (tmp_path / "none.json").exists()
    done = run("report", "-o", str(tmp_path / "no" / "r.xlsx"), "--db", db)
    assert done.returncode == 2 and "does not exist" in done.stderr


def test_experts_text_and_json(db: str) -> None:
    text = run("experts", "Selection", "--db", db)
    assert text.returncode == 0, text.stderr
    assert "selection missions (area)" in text.stdout
    assert "1. Norway (state)" in text.stdout and "evidence: TW-NOR-0001" in text.stdout
    done = run("experts", "hous", "--json", "--limit", "2", "--db", db)
    assert done.returncode == 0
    data = json.loads(done.stdout)
    assert set(data) == {"topics", "rule", "as_of", "total", "experts"}
    assert data["topics"] == [{"kind": "area", "name": "housing"}] and data["total"] == 3
    first = data["experts"][0]
    assert len(data["experts"]) == 2
    assert set(first) == {"name", "kind", "type", "country", "strength", "arrangements", "led", "active",
                          "completed", "latest", "contact", "partner_ref", "bodies", "evidence", "learned"}
    assert first["name"] == "Denmark" and first["evidence"] == ["TW-DNK-0001"] and first["partner_ref"] is None


def test_experts_unknown_or_ambiguous_terms_exit_1(db: str) -> None:
    unknown = run("experts", "selecton", "--db", db)
    assert unknown.returncode == 1 and "did you mean" in unknown.stderr and "selection missions" in unknown.stderr
    ambiguous = run("experts", "orientation", "--json", "--db", db)
    assert ambiguous.returncode == 1 and "matches several" in ambiguous.stderr and ambiguous.stdout == ""


def test_the_readme_experts_example_finds_someone_on_the_demo(tmp_path: Path) -> None:
    """The README's example question, asked of the demo a new user starts with, has an answer."""
    import re
    import shlex

    from twintui.core import demo

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    [example] = re.findall(r"`(twintui experts [^`]+)`\.", readme)
    store_path = tmp_path / "demo.json"
    demo.fill(Store.open(store_path))
    result = run("--db", str(store_path), *shlex.split(example)[1:], "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)["experts"]
    assert found, f"{example} finds nobody on the demo"
