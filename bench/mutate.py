"""A small mutation check: one-line bugs put into the core, one at a time; the related tests must fail.

    python bench/mutate.py            every mutation below
    python bench/mutate.py NAME ...   only these (see --list)
    python bench/mutate.py --list

Each mutation replaces one exact piece of a core module (it must occur there once) and runs the
tests that should notice, stopping at the first failure. A mutation whose tests still pass
"survived": the suite would not see that bug. The work happens in a copy of the project in a
temporary folder, imported through PYTHONPATH (subprocesses of the tests too), so the tree here is
never changed, even when the run is interrupted. Not part of the test run: it takes minutes.
Results are in bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


CORE = "twintui/core/"
STORE_TESTS = ("tests/core/store/test_store.py", "tests/core/store/test_store_faults.py")
REGISTER_TESTS = ("tests/core/test_register.py", "tests/core/test_reporting.py", "tests/core/reports")
LISTING_TESTS = ("tests/core/test_listing.py", "tests/core/test_register.py")
RISK_TESTS = ("tests/core/test_risks.py", "tests/core/model/test_model.py")
IMPORT_TESTS = ("tests/core/workbook/test_import.py", "tests/core/workbook/test_returns.py")
ACCESS_TESTS = ("tests/core/store/test_policy.py", "tests/core/test_access.py")

MUTATIONS = [
    # The seven of issue 12.
    Mutation("store: no folder fsync after the rename", CORE + "files.py",
             "        fsync_folder(dir_fd)\n", "        pass\n", STORE_TESTS),
    Mutation("report: formula-looking text not typed as a string", CORE + "text.py",
             '        cell.data_type = "s"  # type: ignore[attr-defined]\n', "        pass\n",
             ("tests/core/reports",)),
    Mutation("compare: the farthest tipping weight, not the nearest", CORE + "compare/sensitivity.py",
             "tipping, new = min(options", "tipping, new = max(options", ("tests/core/compare/test_sensitivity.py",)),
    Mutation("record view and list: stale one quarter late", CORE + "reporting.py",
             "quarter_number(reported_quarter) < quarter_number(quarter)",
             "quarter_number(reported_quarter) < quarter_number(quarter) - 1", REGISTER_TESTS),
    Mutation("register: 'stale only' inverted", CORE + "register.py",
             'attrgetter("stale") if wanted.stale_only', '(lambda row: not row.stale) if wanted.stale_only',
             REGISTER_TESTS),
    Mutation("register: sort by State sorts by ID", CORE + "register.py",
             '    if column == "id":\n', '    if column in ("id", "state"):\n', REGISTER_TESTS),
    # The store.
    Mutation("store: a stale save is not a conflict", CORE + "store/commit.py",
             'if current is not None and current.get("rev") != record.rev:', "if False:", STORE_TESTS),
    Mutation("store: a stale delete is not a conflict", CORE + "store/commit.py",
             '                if current.get("rev") != record.rev:', "                if False:", STORE_TESTS),
    Mutation("store: an update keeps its revision", CORE + "store/commit.py",
             "rev=(before.rev + 1) if before else 1,", "rev=before.rev if before else 1,", STORE_TESTS),
    Mutation("store: the new file is not fsynced before the rename", CORE + "files.py",
             "            out.flush()\n            os.fsync(fd)\n", "            out.flush()\n", STORE_TESTS),
    Mutation("store: a changed chunk is not written again", CORE + "store/storage.py",
             "self._stale.setdefault(table, set()).add(int(doc_id) // CHUNK)",
             "self._stale.setdefault(table, set())", ("tests/core/store/test_storage_chunks.py", *STORE_TESTS)),
    Mutation("audit: a cut chain is not noticed", CORE + "store/audit.py",
             "if prev is not None and entry.prev != prev:", "if False:",
             (*STORE_TESTS, "tests/core/store/test_audit.py")),
    Mutation("audit: an edited entry is not noticed", CORE + "store/audit.py",
             "if entry.compute_hash() != entry.hash:", "if False:",
             (*STORE_TESTS, "tests/core/store/test_audit.py")),
    Mutation("backups: one more kept than asked", CORE + "store/backups.py",
             "for old in list_all(store_path)[keep:]:", "for old in list_all(store_path)[keep + 1:]:",
             (*STORE_TESTS, "tests/core/store/test_store_modes.py")),
    # The comparison.
    Mutation("compare: a must-have minimum itself excludes", CORE + "compare/ranking.py",
             "elif s < minimum:", "elif s <= minimum:", ("tests/core/compare/test_ranking.py",)),
    Mutation("compare: an unknown score counts as 0", CORE + "compare/ranking.py",
             "total = 100 * weighted / (MAX_SCORE * scored_weight) if scored_weight > 0 else None",
             "total = 100 * weighted / (MAX_SCORE * total_weight) if scored_weight > 0 else None",
             ("tests/core/compare/test_ranking.py",)),
    Mutation("compare: ties do not share first place", CORE + "compare/ranking.py",
             "        elif key == best:\n            leaders.add(i)", "        elif False:\n            leaders.add(i)",
             ("tests/core/compare/test_ranking.py", "tests/core/compare/test_sensitivity.py")),
    # The register list.
    Mutation("lists: facet counts ignore the other facets' reach", CORE + "listing.py",
             "others = self.matcher(replace(wanted, **{name: frozenset()}))", "others = self.matcher(wanted)",
             LISTING_TESTS),
    Mutation("lists: any word of the filter is enough", CORE + "listing.py",
             "return all(word in found for word in typed)",
             "return any(word in found for word in typed) or not typed", LISTING_TESTS),
    Mutation("register: ids sorted as text (TW-NOR-10000 before TW-NOR-9999)", CORE + "register.py",
             "return lambda row: (row.id[:7], len(row.id), row.id)", "return lambda row: row.id", REGISTER_TESTS),
    # Risks.
    Mutation("risks: a band's upper score falls in the next band", CORE + "model/vocab.py",
             "        if score <= upper:", "        if score < upper:", RISK_TESTS),
    Mutation("risks: a review due today is overdue", CORE + "model/records.py",
             "self.next_review is not None and self.next_review < today",
             "self.next_review is not None and self.next_review <= today", RISK_TESTS),
    Mutation("risks: 'overdue only' inverted", CORE + "risks.py",
             "if wanted.overdue_only and not row.overdue:", "if wanted.overdue_only and row.overdue:", RISK_TESTS),
    Mutation("risks: closed risks always listed", CORE + "risks.py",
             'if row.risk.status == "closed" and not wanted.include_closed:', "if False:", RISK_TESTS),
    Mutation("risks: the worst risks not first", CORE + "risks.py",
             "return lambda row: (row.score(residual) or 0, row.overdue, row.key)",
             "return lambda row: (row.overdue, row.key)", RISK_TESTS),
    # The quarterly return.
    Mutation("import: a register change since the export is no conflict", CORE + "workbook/rows.py",
             "register_changed = exported_rev is not None and base.rev != exported_rev and (",
             "register_changed = exported_rev is None and base.rev != exported_rev and (", IMPORT_TESTS),
    Mutation("import: an edited row matching the export is unchanged", CORE + "workbook/rows.py",
             "if meta is not None and as_exported.content_hash() == meta.content_hash:", "if meta is not None:",
             IMPORT_TESTS),
    Mutation("import: two files changing one record is no conflict", CORE + "workbook/rows.py",
             "if claimed is not None and claimed is not self.c.file:", "if False:", IMPORT_TESTS),
    Mutation("export: formula-looking text without the quote prefix", CORE + "text.py",
             "            cell.quotePrefix = True  # type: ignore[attr-defined]\n", "            pass\n",
             ("tests/core/workbook/test_import.py", "tests/core/workbook/test_template.py", "tests/core/reports")),
    # Access.
    Mutation("access: a focal point may change any state", CORE + "store/policy.py",
             "return self.role == FOCAL_POINT and state in self.states", "return self.role == FOCAL_POINT",
             ACCESS_TESTS),
    Mutation("access: anyone may grant in single-user mode", CORE + "store/policy.py",
             'return self.user in (self.owner, "root")', "return True", ACCESS_TESTS),
    Mutation("access: partners and risks belong to no state", CORE + "store/policy.py",
             'return True, (found or {}).get("reporting_state") or None', "return False, None", ACCESS_TESTS),
]


def copy_project(target: Path) -> None:
    shutil.copytree(ROOT, target, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", ".hypothesis", ".pytest_cache", "*.egg-info", "build", "dist"))


def run_tests(copy: Path, tests: tuple[str, ...], timeout: float) -> tuple[bool, str]:
    """(whether the tests passed, the line that says why not)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(copy), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-rfE", "-p", "no:cacheprovider", "-o", "addopts=", *tests]
    try:
        done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, f"timed out after {timeout:.0f} s"
    lines = done.stdout.strip().splitlines()
    failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    return done.returncode == 0, failed[0] if failed else lines[-1] if lines else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="run only the mutations whose name contains one of these")
    parser.add_argument("--list", action="store_true", help="list the mutations and stop")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per mutation (default 900)")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.names or any(n.casefold() in m.name.casefold() for n in args.names)]
    if args.list or not chosen:
        for m in MUTATIONS:
            print(f"{m.name}  ({m.path})")
        return 0 if chosen or args.list else 2
    for m in chosen:  # every mutation must still apply to the code as it is now
        count = (ROOT / m.path).read_text(encoding="utf-8").count(m.old)
        if count != 1:
            print(f"mutation {m.name!r}: the text to replace occurs {count} times in {m.path}; update bench/mutate.py")
            return 2
    with tempfile.TemporaryDirectory(prefix="twintui-mutate-") as folder:
        copy = Path(folder) / "project"
        copy_project(copy)
        every_test = tuple(dict.fromkeys(t for m in chosen for t in m.tests))
        ok, why = run_tests(copy, every_test, args.timeout * 2)
        if not ok:
            print(f"the tests fail without any mutation, so nothing can be learned: {why}")
            return 2
        survived: list[Mutation] = []
        for number, m in enumerate(chosen, 1):
            target = copy / m.path
            original = target.read_text(encoding="utf-8")
            target.write_text(original.replace(m.old, m.new), encoding="utf-8")
            started = time.monotonic()
            try:
                passed, why = run_tests(copy, m.tests, args.timeout)
            finally:
                target.write_text(original, encoding="utf-8")
            verdict = "SURVIVED" if passed else "killed  "
            print(f"{number:2}/{len(chosen)} {verdict} {m.name} ({time.monotonic() - started:.0f} s)"
                  + ("" if passed else f"\n         by {why}"), flush=True)
            if passed:
                survived.append(m)
    killed = len(chosen) - len(survived)
    print(f"\n{killed} of {len(chosen)} mutations killed ({killed / len(chosen):.0%})")
    for m in survived:
        print(f"  survived: {m.name} ({m.path}; tests: {' '.join(m.tests)})")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
