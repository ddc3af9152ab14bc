"""`twintui progress` as a user runs it: real processes, 80 columns, stable JSON, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from twintui.cli.progress import JSON_KEYS

PINNED = "2026-11-01"  # the demo's today (twintui.core.demo.synthetic.TODAY)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "twintui", *args], capture_output=True, text=True,
                            env=os.environ.copy(), timeout=120, check=False)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "register.json"
    made = run("demo", "--db", str(path))
    assert made.returncode == 0, made.stderr
    return str(path)


def test_the_verdicts_as_text_in_80_columns(db: str) -> None:
    shown = run("progress", "--as-of", PINNED, "--db", db)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0] == "Progress as of 2026-11-01: 7 objectives in 2 arrangements"
    assert " ".join(lines[1:3]) == ("1 achieved, 1 on track, 1 at risk, 1 off track, 1 not enough data, 1 late, 1 "
                                    "free text")
    text = shown.stdout
    assert "TW-CAN-0001  Solidarity resettlement in the Americas" in text and "TW-NOR-0001  Competence" in text
    assert "   1 !off track        states with a focal point in the network" in lines
    assert "   4 !late             practice notes published in both languages" in lines
    assert "   1  at risk          selection missions run with shadowing" in lines
    assert "2025-Q4 4 · 2026-Q1 4 · 2026-Q2 5 · 2026-Q3 5; target 8" in text
    assert "  Spending: CAD 190,000 of 250,000 spent (76%) by 2026-09-30, 68% of the period" in lines
    assert "  Plan: 3 of 6 done, 1 not started, 2 in progress; late: 5 'Writing and" in lines
    # The same as the command is given the --db before it, and by a state's name.
    assert run("--db", db, "progress", "--as-of", PINNED).stdout == text
    assert run("progress", "--state", "norway", "--as-of", PINNED, "--db", db).stdout.splitlines()[0] == \
        "Progress as of 2026-11-01 of NOR: 3 objectives in 1 arrangement"


def test_the_json_is_a_stable_list_of_objectives(db: str) -> None:
    shown = run("progress", "--json", "--as-of", PINNED, "--db", db)
    assert shown.returncode == 0, shown.stderr
    rows = json.loads(shown.stdout)
    assert len(rows) == 7 and all(tuple(row) == JSON_KEYS for row in rows)
    assert [(r["arrangement"], r["objective"], r["verdict"]) for r in rows] == [
        ("TW-CAN-0001", 1, "off track"), ("TW-CAN-0001", 2, "achieved"), ("TW-CAN-0001", 3, "on track"),
        ("TW-CAN-0001", 4, "late"), ("TW-NOR-0001", 1, "at risk"), ("TW-NOR-0001", 2, "not enough data"),
        ("TW-NOR-0001", 3, "free text")]
    example = rows[0]
    assert {k: example[k] for k in ("kind", "indicator", "unit", "baseline", "target", "target_date", "values",
                                    "projection")} == {
        "kind": "number", "indicator": "states with a focal point in the network", "unit": "states", "baseline": 3,
        "target": 8, "target_date": "2026-12-31", "values": {"2025-Q4": 4, "2026-Q1": 4, "2026-Q2": 5, "2026-Q3": 5},
        "projection": {"value": 5.5066, "reaches": "2028-07-21", "per_quarter": 0.4014, "method": "least squares"}}
    milestone = rows[3]
    assert (milestone["kind"], milestone["target"], milestone["target_date"], milestone["projection"]) == \
        ("milestone", None, "2026-06-30", None)
    words = rows[6]
    assert (words["kind"], words["target_date"], words["values"]) == ("text", None, {})
    norway = json.loads(run("progress", "--json", "--state", "NOR", "--as-of", PINNED, "--db", db).stdout)
    assert norway == rows[4:]


def test_a_past_day_leaves_out_the_returns_not_in_yet(db: str) -> None:
    rows = json.loads(run("progress", "--json", "--as-of", "30/06/2026", "--db", db).stdout)
    assert list(rows[0]["values"]) == ["2025-Q4", "2026-Q1", "2026-Q2"] and rows[3]["verdict"] == "due"


@pytest.mark.parametrize(("args", "code", "words"), [
    (("--state", "Atlantis"), 2, "argument --state: 'Atlantis' is not a country name or ISO 3166 code"),
    (("--state", "ISL"), 1, "there is no arrangement of ISL in "),
    (("--as-of", "soon"), 2, "argument --as-of: "),
    (("--as-of", "2026-13-01"), 2, "argument --as-of: "),
])
def test_bad_input_is_one_line(db: str, args: tuple[str, ...], code: int, words: str) -> None:
    for extra in ((), ("--json",)):
        result = run("progress", *args, *extra, "--db", db)
        assert result.returncode == code, result.stderr
        assert result.stdout == "" and words in result.stderr.splitlines()[-1]
        # The error is one line (argparse shows the usage above it, as for every command).
        assert len([line for line in result.stderr.splitlines() if "error" in line or "twintui:" in line]) == 1


@pytest.mark.parametrize("content", [None, b'{"arrangements": ', b'{"_twintui": {"app": "twintui", "schema": 99}}'])
def test_a_store_that_cannot_be_opened_is_one_line(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "register.json"
    if content is not None:
        path.write_bytes(content)
    for extra in ((), ("--json",)):
        result = run("progress", *extra, "--db", str(path))
        assert result.returncode == 2 and result.stdout == ""
        assert len(result.stderr.splitlines()) == 1 and str(path) in result.stderr
    assert not path.exists() if content is None else path.read_bytes() == content


def test_a_register_without_mous_has_nothing_to_judge(tmp_path: Path) -> None:
    path = tmp_path / "register.json"
    assert run("demo", "--db", str(path)).returncode == 0
    from twintui.core.model import Arrangement
    from twintui.core.store import Store

    store = Store.open(path)
    for arrangement in store.all(Arrangement):
        if arrangement.reporting_state in ("NOR", "CAN"):
            store.delete(arrangement, "test")
    assert json.loads(run("progress", "--json", "--db", str(path)).stdout) == []
    shown = run("progress", "--db", str(path))
    assert shown.returncode == 0 and shown.stdout.splitlines()[-1] == "No arrangement has an MoU or reported progress yet."


def test_the_program_ends_without_freeing_the_register_it_read(db: str) -> None:
    """Freeing a large register's documents one by one on the way out is a tenth of a second of the command:
    the program ends without it, its output flushed and its exit handlers run as usual."""
    code = ("import atexit, sys, weakref\n"
            "from twintui.core.store import Store\n"
            "opened = Store.open.__func__\n"
            "def watched(cls, *args, **kwargs):\n"
            "    store = opened(cls, *args, **kwargs)\n"
            "    watched.ref = weakref.ref(store, lambda _: print('freed', file=sys.stderr))\n"
            "    return store\n"
            "Store.open = classmethod(watched)\n"
            "atexit.register(lambda: print('exit handlers ran', file=sys.stderr))\n"
            f"sys.argv = ['twintui', 'progress', '--json', '--as-of', '{PINNED}', '--db', {db!r}]\n"
            "from twintui.cli import main\n"
            "sys.exit(main())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 7  # all of it, flushed
    assert done.stderr.splitlines() == ["exit handlers ran"], done.stderr
