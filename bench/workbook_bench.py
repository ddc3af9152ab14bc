"""Quarterly return benchmark (issue 4): export, dry-run import, apply, memory and a zip bomb at 10,000 arrangements.

Every figure is printed beside a reference measured in the same run, so the
ratios hold on any machine. Run from the project root (needs ``pip install
-e '.[bench]'`` for xlsxwriter):

    python bench/workbook_bench.py             # 10,000 arrangements
    python bench/workbook_bench.py --size 2000 --repeat 5

Goals, for a register of 10,000 arrangements exported with ``--all``:
  - the full dry-run import (read, normalise, validate, diff) within 2x a bare
    python-calamine parse of the same file, and at least 5x faster than
    ``pandas.read_excel(engine="openpyxl")`` alone;
  - applying a state's return holds the store lock under 1 s;
  - peak memory of a dry-run import (a fresh process: store, file, preview) under 300 MB;
  - exporting within 2.5x of xlsxwriter writing the same cells;
  - a zip bomb refused in under 1 s.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from twintui.core import demo
from twintui.core.model import Arrangement
from twintui.core.store import Store
from twintui.core.workbook import (
    ReturnFileError,
    apply,
    export_register,
    export_return,
    preview,
    read_return,
    read_returns,
)


def timed(action: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def calamine_parse(path: Path) -> None:
    """The reference: python-calamine reading every sheet into Python values, nothing else."""
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)


def xlsxwriter_write(cells: dict[str, list[list[Any]]], path: Path) -> None:
    """The reference: xlsxwriter writing the same cells (dates with a date format)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in cells.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value == "":
                    continue
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, value, date_format)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write_number(r, c, value)
    workbook.close()


def read_cells(path: Path) -> dict[str, list[list[Any]]]:
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in workbook.sheet_names}


def dry_run(store: Store, path: Path) -> None:
    result = preview(store, read_returns([path]))
    assert result.ok, "the untouched export should import cleanly"


@contextlib.contextmanager
def lock_timer(store: Store, held: list[float]) -> Iterator[None]:
    """Time every stretch the store's inter-process lock is held."""
    original = store.storage.transaction

    @contextlib.contextmanager
    def transaction() -> Iterator[None]:
        with original():
            start = time.perf_counter()
            try:
                yield
            finally:
                held.append(time.perf_counter() - start)

    store.storage.transaction = transaction  # type: ignore[method-assign]
    try:
        yield
    finally:
        store.storage.transaction = original  # type: ignore[method-assign]


def edited_return(store: Store, folder: Path) -> tuple[Path, int, int]:
    """The biggest state's return with 100 edited arrangements and 10 new ones (each with a partner)."""
    from openpyxl import load_workbook

    counts: dict[str, int] = {}
    for doc in store.docs(Arrangement):
        counts[doc["reporting_state"]] = counts.get(doc["reporting_state"], 0) + 1
    state = max(sorted(counts), key=lambda s: counts[s])
    path = export_return(store, state, "2026-Q3", folder / f"{state}.xlsx").path
    workbook = load_workbook(path)
    register, partners = workbook["Register"], workbook["Partners"]
    edits = min(100, register.max_row - 2)
    for row in range(3, 3 + edits):
        register.cell(row, 18, f"Lesson reported in 2026-Q3 ({row})")  # R: Lessons learned
    first, first_partner = register.max_row + 1, partners.max_row + 1
    for n in range(10):
        register.cell(first + n, 4, f"New arrangement {n}")  # D: Title
        register.cell(first + n, 5, "planned")  # E: Status
        partners.cell(first_partner + n, 2, f"New arrangement {n}")  # B: Arrangement title
        partners.cell(first_partner + n, 5, f"Partner {n}")  # E: Partner name
        partners.cell(first_partner + n, 6, "NGO")  # F: Partner type
    workbook.save(path)
    return path, edits, 10


def peak_memory_of_dry_run(store_path: Path, path: Path) -> float:
    """Peak resident memory (MB) of a fresh process that opens the store, reads the file and previews it."""
    # VmHWM, not ru_maxrss: a child started by vfork inherits its parent's high-water mark in ru_maxrss.
    code = (
        "import re\n"
        "from twintui.core.store import Store\n"
        "from twintui.core.workbook import preview, read_returns\n"
        f"store = Store.open({str(store_path)!r})\n"
        f"result = preview(store, read_returns([{str(path)!r}]))\n"
        "assert result.ok\n"
        "status = open('/proc/self/status').read()\n"
        "print(int(re.search(r'VmHWM:\\s+(\\d+) kB', status)[1]) / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def bomb(good: Path, folder: Path) -> Path:
    """A return whose Register sheet inflates a thousand times (120 MB of XML from about 120 KB)."""
    target = folder / "bomb.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            if name != "xl/worksheets/sheet2.xml":
                out.writestr(name, source.read(name))
        with out.open("xl/worksheets/sheet2.xml", "w") as handle:
            handle.write(b"<worksheet><sheetData>")
            for _ in range(200):
                handle.write(b"<row/>" * 100_000)
            handle.write(b"</sheetData></worksheet>")
    return target


def far_cells(good: Path, folder: Path) -> Path:
    """A small return with one cell at XFD1048576: python-calamine would allocate 17 billion cells."""
    target = folder / "far.xlsx"
    buffer = io.BytesIO(good.read_bytes())
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet2.xml":
                content = content.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
                                                           b"</sheetData>")
            out.writestr(name, content)
    return target


def refusal_time(path: Path) -> float:
    start = time.perf_counter()
    try:
        read_return(path)
    except ReturnFileError:
        return time.perf_counter() - start
    raise AssertionError(f"{path} was not refused")


def bench(size: int, repeat: int, folder: Path) -> dict[str, float]:
    store_path = folder / "store.json"
    store = Store.open(store_path)
    demo.fill(store, size=max(0, size - len(demo.guideline_examples())))
    path = folder / "register.xlsx"
    export_register(store, path)  # warm-up: imports, caches

    figures: dict[str, float] = {"size": store.count(Arrangement), "file_mb": path.stat().st_size / 1e6}
    figures["export"] = timed(lambda: export_register(store, path), repeat)
    cells = read_cells(path)
    figures["xlsxwriter"] = timed(lambda: xlsxwriter_write(cells, folder / "reference.xlsx"), repeat)
    cells.clear()

    dry_run(store, path)  # warm-up
    figures["dry_run"] = timed(lambda: dry_run(store, path), repeat)
    figures["calamine"] = timed(lambda: calamine_parse(path), repeat)
    import pandas

    figures["pandas"] = timed(lambda: pandas.read_excel(path, sheet_name=None, engine="openpyxl"), 1)

    edited, changed, new = edited_return(store, folder)
    result = preview(store, read_returns([edited]))
    assert result.ok and len(result.files[0].changed) == changed and len(result.files[0].new) == 2 * new, \
        [str(e) for e in result.files[0].errors[:5]]
    held: list[float] = []
    start = time.perf_counter()
    with lock_timer(store, held):
        apply(store, result)
    figures["apply_total"] = time.perf_counter() - start
    figures["apply_lock"] = max(held)
    figures["apply_changes"] = changed + 2 * new

    figures["memory_mb"] = peak_memory_of_dry_run(store_path, path)
    figures["bomb"] = refusal_time(bomb(path, folder))
    figures["far_cell"] = refusal_time(far_cells(path, folder))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000, help="arrangements in the register (default 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing, the median is shown (default 3)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="twintui-bench-", dir=Path.cwd() / "bench") as tmp:
        f = bench(args.size, args.repeat, Path(tmp))

    def s(value: float) -> str:
        return f"{value:7.2f} s"

    checks = [
        ("export --all", s(f["export"]), f"xlsxwriter, same cells {s(f['xlsxwriter'])}",
         f"{f['export'] / f['xlsxwriter']:.2f}x", "<= 2.5x", f["export"] <= 2.5 * f["xlsxwriter"]),
        ("dry-run import", s(f["dry_run"]), f"bare python-calamine parse {s(f['calamine'])}",
         f"{f['dry_run'] / f['calamine']:.2f}x", "<= 2x", f["dry_run"] <= 2 * f["calamine"]),
        ("dry-run import", s(f["dry_run"]), f"pandas.read_excel(openpyxl) {s(f['pandas'])}",
         f"{f['pandas'] / f['dry_run']:.1f}x faster", ">= 5x faster", f["pandas"] >= 5 * f["dry_run"]),
        ("apply: lock held", s(f["apply_lock"]), f"{f['apply_changes']:.0f} records; whole apply {s(f['apply_total'])}",
         "", "< 1 s", f["apply_lock"] < 1),
        ("peak memory", f"{f['memory_mb']:6.0f} MB", "fresh process: store + file + preview", "", "< 300 MB",
         f["memory_mb"] < 300),
        ("zip bomb refused", s(f["bomb"]), f"far-cell bomb refused in {s(f['far_cell'])}", "", "< 1 s",
         max(f["bomb"], f["far_cell"]) < 1),
    ]
    print(f"register: {f['size']:,.0f} arrangements, export --all file {f['file_mb']:.1f} MB "
          f"(median of {args.repeat} runs)\n")
    print(f"{'what':<18} {'ours':>10}  {'reference':<46} {'ratio':>12}  {'goal':<13} ok")
    for what, ours, reference, ratio, goal, ok in checks:
        print(f"{what:<18} {ours:>10}  {reference:<46} {ratio:>12}  {goal:<13} {'yes' if ok else 'NO'}")
    print(f"\nall goals {'met' if all(c[-1] for c in checks) else 'NOT met'}")
    if args.json:
        print(json.dumps(f, indent=2))


if __name__ == "__main__":
    main()
