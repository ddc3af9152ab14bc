"""`twintui mou list | render | check` as a user runs them: real processes, JSON, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "twintui", *args], capture_output=True, text=True,
                            env=os.environ.copy(), timeout=120, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "register.json"
    made = run("demo", "--db", str(path))
    assert made.returncode == 0, made.stderr
    return str(path)


def test_list_as_json_and_as_text(db: str) -> None:
    listed = run("mou", "list", "--json", "--db", db)
    assert listed.returncode == 0
    assert json.loads(listed.stdout) == [{"arrangement": "TW-CAN-0001", "version": 1, "status": "agreed"},
                                         {"arrangement": "TW-NOR-0001", "version": 1, "status": "draft"}]
    text = run("--db", db, "mou", "list")
    assert text.returncode == 0 and text.stdout.startswith("TW-CAN-0001   v1   agreed 2024-01-10")
    assert text.stdout.splitlines()[1].startswith("TW-NOR-0001   v1   draft")


def test_list_of_an_empty_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    assert run("demo", "--db", str(path), "--size", "0").returncode == 0
    from twintui.core.mou import Memorandum
    from twintui.core.store import Store

    store = Store.open(path)
    for memo in store.all(Memorandum):
        store.delete(memo, "test")
    assert json.loads(run("mou", "list", "--json", "--db", str(path)).stdout) == []
    assert "no memoranda" in run("mou", "list", "--db", str(path)).stdout


def test_check_json_has_the_published_shape_and_exit_code_1_when_something_is_to_fix(db: str) -> None:
    checked = run("mou", "check", "TW-NOR-0001", "--json", "--db", db)
    assert checked.returncode == 1, checked.stderr
    report = json.loads(checked.stdout)
    assert list(report) == ["smart", "checklist", "problems"]
    weak = report["smart"][2]
    assert weak["objective"] == "Improve cooperation"
    assert list(weak) == ["objective", "specific", "measurable", "achievable", "realistic", "time_bound"]
    assert weak["specific"]["ok"] is False and "general aim" in weak["specific"]["reason"]
    assert weak["realistic"] == {
        "ok": True, "reason": "funded in 7 Funding arrangements: 'National budget (Norwegian Ministry of Justice), …'"}
    assert all(set(item) == {"question", "answered", "where"} for item in report["checklist"])
    assert [item["answered"] for item in report["checklist"]].count(False) == 2
    assert report["problems"] == []


def test_check_as_text_says_why(db: str) -> None:
    checked = run("mou", "check", "TW-NOR-0001", "--db", db)
    assert checked.returncode == 1
    assert "3  - - - R -  Improve cooperation" in checked.stdout
    assert "Annex A checklist: 10 of 12 answered" in checked.stdout
    assert "answer it in 3 Aims and objectives (reciprocal learning)" in checked.stdout
    assert checked.stdout.rstrip().endswith("Something to fix: see above")


def test_check_against_a_funding_call(db: str) -> None:
    checked = run("mou", "check", "TW-NOR-0001", "--call", "erf-2009", "--json", "--db", db)
    report = json.loads(checked.stdout)
    # The published shape, as the README gives it: the default keys, then "call" (only with --call).
    assert list(report) == ["smart", "checklist", "problems", "call"]
    assert list(report["call"]) == ["id", "name", "rules"]
    assert all(list(rule) == ["rule", "text", "result", "reason"] for rule in report["call"]["rules"])
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    [row] = [line for line in readme.splitlines() if line.startswith("| `twintui mou check")]
    assert '"call": {"id", "name", "rules": [{"rule", "text", "result", "reason"}]}' in row
    assert report["call"]["id"] == "erf-2009"
    results = {rule["rule"]: rule["result"] for rule in report["call"]["rules"]}
    assert results == {"member-states": "fail", "start-date": "fail", "duration": "fail", "amount": "unknown",
                       "co-financing": "pass", "non-eu-states": "note"}
    unknown = run("mou", "check", "TW-NOR-0001", "--call", "erf-2099", "--db", db)
    assert unknown.returncode == 1 and "known calls: erf-2009" in unknown.stderr


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_render_each_format(db: str, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"mou.{fmt}"
    rendered = run("mou", "render", "TW-NOR-0001", "--format", fmt, "-o", str(target), "--db", db)
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stdout.strip() == f"wrote {target} ({fmt}: TW-NOR-0001 MoU version 1 (draft))"
    data = target.read_bytes()
    assert data.startswith({"md": b"# General", "html": b"<!DOCTYPE html>", "docx": b"PK"}[fmt])


def test_render_takes_the_format_from_the_file_name_and_writes_to_stdout(db: str, tmp_path: Path) -> None:
    assert run("mou", "render", "TW-NOR-0001", "--version", "1", "-o", str(tmp_path / "m.html"),
               "--db", db).returncode == 0
    assert (tmp_path / "m.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    out = run("mou", "render", "TW-NOR-0001", "--format", "md", "-o", "-", "--db", db)
    assert out.returncode == 0 and out.stdout.startswith("# General agreement")


def test_render_shows_the_progress_so_far_unless_told_not_to(db: str, tmp_path: Path) -> None:
    """The demo's Canada MoU has returns reporting on it: section 8 shows them; --no-progress leaves them out."""
    target = tmp_path / "can.md"
    assert run("mou", "render", "TW-CAN-0001", "-o", str(target), "--db", db).returncode == 0
    section = target.read_text(encoding="utf-8").split("## 8. Review and evaluation")[1].split("## 9. Risks")[0]
    assert "### Progress so far" in section and "| 4 |" in section and "! late" in section
    assert "**Spending.** CAD 190,000 of 250,000 spent (76%)" in section
    plain = run("mou", "render", "TW-CAN-0001", "--no-progress", "--format", "md", "-o", "-", "--db", db)
    assert plain.returncode == 0 and "## 8. Review and evaluation" in plain.stdout
    assert "Progress so far" not in plain.stdout


@pytest.mark.parametrize("args,code,needle", [
    (("render", "TW-XXX-0001", "--format", "md", "-o", "{tmp}/x.md"), 1, "there is no arrangement TW-XXX-0001"),
    (("render", "TW-CZE-0001", "--format", "md", "-o", "{tmp}/x.md"), 1, "has no memorandum of understanding yet"),
    (("render", "TW-NOR-0001", "--version", "7", "--format", "md", "-o", "{tmp}/x.md"), 1, "no MoU version 7"),
    (("render", "TW-NOR-0001", "--format", "pdf", "-o", "{tmp}/x.pdf"), 2, "invalid choice: 'pdf'"),
    (("render", "TW-NOR-0001", "-o", "{tmp}/x.pdf"), 2, "give --format md, html or docx"),
    (("render", "TW-NOR-0001", "--format", "docx", "-o", "-"), 2, "cannot go to standard output"),
    (("render", "TW-NOR-0001", "--format", "md", "-o", "{tmp}/no/such/x.md"), 2, "does not exist"),
    (("render", "TW-NOR-0001", "--version", "0", "--format", "md", "-o", "{tmp}/x.md"), 2, "versions count from 1"),
    (("check", "TW-XXX-0001"), 1, "there is no arrangement TW-XXX-0001"),
    (("check", "TW-CZE-0001", "--json"), 1, "has no memorandum of understanding yet"),
    ((), 2, "say what to do: list, render or check"),
])
def test_clear_errors_and_exit_codes(db: str, tmp_path: Path, args: tuple[str, ...], code: int, needle: str) -> None:
    result = run("mou", *(a.replace("{tmp}", str(tmp_path)) for a in args), "--db", db)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert needle in result.stderr
    assert result.stdout == ""


def test_a_store_that_does_not_exist_is_not_created(tmp_path: Path) -> None:
    result = run("mou", "list", "--db", str(tmp_path / "nothing.json"))
    assert result.returncode == 2 and "there is no twintui store" in result.stderr
    assert not (tmp_path / "nothing.json").exists()
