"""Store benchmark: one committed edit, and opening the store, at 1,000 and 10,000 arrangements.

The reference is TinyDB's default JSONStorage doing the same edit on the same
documents in the same run (it also fsyncs each write). Run from the project root:

    python bench/store_bench.py            # 1,000 and 10,000 arrangements
    python bench/store_bench.py --sizes 10000 --edits 50

Goals (issue 2): at 10,000 arrangements an edit at least 10x faster than the
reference with a median under 50 ms, and opening the store under 300 ms.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tinydb import TinyDB
from tinydb.storages import JSONStorage

from twintui.core import demo
from twintui.core.model import Arrangement
from twintui.core.store import Store


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def ms(value: float) -> str:
    return f"{value * 1000:8.1f} ms"


def bench(size: int, edits: int, folder: Path) -> dict[str, float]:
    path = folder / f"store-{size}.json"
    store = Store.open(path)
    demo.fill(store, size=max(0, size - len(demo.guideline_examples())))
    ids = [a.id for a in store.all(Arrangement)][: edits]

    # The reference: the same documents in a TinyDB file with its default storage.
    reference_path = folder / f"reference-{size}.json"
    tables = store.storage.read() or {}
    reference = TinyDB(reference_path, storage=JSONStorage)
    for name, docs in tables.items():
        reference.table(name).insert_multiple(docs.values())
    reference_ids = list(range(1, edits + 1))

    counter = iter(range(10**9))

    def our_edit() -> None:
        key = ids[next(counter) % len(ids)]
        record = store.require(Arrangement, key)
        store.save(record.replace(lessons_learned=f"edit {time.perf_counter()}"), "bench")

    def reference_edit() -> None:
        doc_id = reference_ids[next(counter) % len(reference_ids)]
        table = reference.table("arrangements")
        doc = table.get(doc_id=doc_id)
        table.update({"lessons_learned": f"edit {time.perf_counter()}", "rev": doc["rev"] + 1}, doc_ids=[doc_id])

    ours = timed(our_edit, edits)
    theirs = timed(reference_edit, max(5, edits // 4))
    reference.close()
    opening = timed(lambda: Store.open(path).count(Arrangement), 5)
    reference_opening = timed(lambda: len(TinyDB(reference_path, storage=JSONStorage).table("arrangements")), 5)
    return {
        "size": size,
        "file_mb": path.stat().st_size / 1e6,
        "edit_median": statistics.median(ours),
        "edit_p90": sorted(ours)[int(len(ours) * 0.9) - 1],
        "reference_median": statistics.median(theirs),
        "open_median": statistics.median(opening),
        "reference_open_median": statistics.median(reference_opening),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--edits", type=int, default=40, help="edits timed per size (default 40)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="twintui-bench-", dir=Path.cwd() / "bench") as tmp:
        rows = [bench(size, args.edits, Path(tmp)) for size in args.sizes]
    print(f"{'arrangements':>12} {'file':>8} | {'edit median':>11} {'edit p90':>11} {'TinyDB default':>14} "
          f"{'speed-up':>8} | {'open':>11} {'TinyDB open':>11}")
    for r in rows:
        print(f"{r['size']:>12,} {r['file_mb']:>6.1f}MB | {ms(r['edit_median']):>11} {ms(r['edit_p90']):>11} "
              f"{ms(r['reference_median']):>14} {r['reference_median'] / r['edit_median']:>7.1f}x | "
              f"{ms(r['open_median']):>11} {ms(r['reference_open_median']):>11}")
    last = rows[-1]
    ok = (last["reference_median"] / last["edit_median"] >= 10 and last["edit_median"] < 0.050
          and last["open_median"] < 0.300)
    print(f"\ngoals at {last['size']:,} (>=10x, median < 50 ms, open < 300 ms): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
