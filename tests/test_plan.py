"""The house plan's size rule (STYLE.md): no module over ~400 lines.

A module past it holds more than one concern and wants cutting. The ones not cut yet are listed
with their size today: they may shrink, never grow, and leave the list once under the rule (the
test says so), so the list only gets shorter.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 400

STILL_TO_CUT: dict[str, int] = {}


def sizes() -> dict[str, int]:
    return {path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
            for path in sorted((ROOT / "twintui").rglob("*.py"))}


def test_no_module_is_over_the_limit_but_those_still_to_cut() -> None:
    over = {path: lines for path, lines in sizes().items() if lines > LIMIT and path not in STILL_TO_CUT}
    assert not over, f"over {LIMIT} lines (cut them by concern): {over}"


def test_a_module_still_to_cut_never_grows_and_leaves_the_list_once_cut() -> None:
    now = sizes()
    grown = {path: (was, now[path]) for path, was in STILL_TO_CUT.items() if now.get(path, 0) > was}
    assert not grown, f"grew (lines then, now): {grown}"
    done = [path for path in STILL_TO_CUT if now.get(path, 0) <= LIMIT]
    assert not done, f"cut or gone: take them off STILL_TO_CUT: {done}"
