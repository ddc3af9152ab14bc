"""Register screen benchmark: the real app driven by Pilot on a 10,000-arrangement register.

Prints each figure beside the same figure for an empty register measured in the
same run (the baseline: what Textual and the app shell cost on their own).

    python bench/register_bench.py               # 10,000 arrangements
    python bench/register_bench.py --size 2000

Goals (issue 3): first screen with the 10k register under 1.5 s from launch; a
filter keystroke updates the list in under 100 ms (median); opening a record
under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from twintui.core import demo
from twintui.core.model import Arrangement
from twintui.core.store import Store


async def measure(path: Path, filter_text: str) -> dict[str, float]:
    from twintui.tui.app import TwintuiApp
    from twintui.tui.screens.arrangement import ArrangementScreen
    from twintui.tui.widgets.row_table import RowTable

    start = time.perf_counter()
    store = Store.open(path)
    expected = store.count(Arrangement)
    app = TwintuiApp(store)
    result: dict[str, float] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        while screen.query_one("#register-status").render().plain.startswith("Loading") or (
                len(screen.query_one(RowTable).rows) != expected):
            await pilot.pause()
        result["first_screen"] = time.perf_counter() - start
        await pilot.press("slash")
        keystrokes = []
        for char in filter_text:
            tick = time.perf_counter()
            await pilot.press(char)
            keystrokes.append(time.perf_counter() - tick)
        result["keystroke_median"] = statistics.median(keystrokes)
        await pilot.press("escape")
        for key in ("x", "home"):
            await pilot.press(key)
        opens = []
        for _ in range(5 if expected else 0):  # an empty register has nothing to open
            tick = time.perf_counter()
            await pilot.press("enter")
            while not (isinstance(app.screen, ArrangementScreen) and app.screen.view is not None):
                await pilot.pause()
            opens.append(time.perf_counter() - tick)
            await pilot.press("escape")
            await app.workers.wait_for_complete()
            await pilot.press("down")
        result["open_median"] = statistics.median(opens) if expected else float("nan")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="twintui-bench-") as tmp:
        big, empty = Path(tmp) / "big.json", Path(tmp) / "empty.json"
        demo.fill(Store.open(big), size=args.size - len(demo.guideline_examples()))
        Store.open(empty)
        baseline = asyncio.run(measure(empty, "selection"))
        loaded = asyncio.run(measure(big, "selection"))
    print(f"{'':24} {'empty register':>15} {f'{args.size:,} arrangements':>22} {'goal':>10}")
    for key, label, goal in (("first_screen", "first screen", 1.5), ("keystroke_median", "filter keystroke", 0.1),
                             ("open_median", "open a record", 0.1)):
        base = baseline[key]
        base_text = "n/a" if base != base else f"{base * 1000:.0f} ms"
        print(f"{label:24} {base_text:>15} {loaded[key] * 1000:>19.0f} ms {f'< {goal * 1000:.0f} ms':>10}"
              f"  {'met' if loaded[key] < goal else 'NOT met'}")


if __name__ == "__main__":
    main()
