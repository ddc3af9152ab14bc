"""Register report and expertise inventory benchmark (issue 9) on a 10,000-arrangement register.

Each figure is printed beside the time to load the store in the same run (a fresh
process opening the store and reading its documents), the reference every
command pays first. Run from the project root:

    python bench/reports_bench.py              # 10,000 arrangements
    python bench/reports_bench.py --size 2000 --repeat 5
    python bench/reports_bench.py --progress   # each with an MoU and four quarters of values (issue 18)

Goals at 10,000 arrangements: the full .xlsx report (pandas tables and the
workbook written) under 3 s; ``experts`` under 0.5 s. Each is measured in a fresh
process, so pandas, openpyxl and pycountry are imported inside the figure, as a
user's command pays them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from twintui.core import demo
from twintui.core.store import Store

CHILD = r"""
import json, sys, time
start = time.perf_counter()
from twintui.core.model import Arrangement, Partner
from twintui.core.store import Store
store = Store.open(sys.argv[1], create=False)
store.docs(Arrangement); store.docs(Partner)
loaded = time.perf_counter() - start
what = sys.argv[2]
start = time.perf_counter()
if what == "xlsx":
    from twintui.core import reports
    reports.write(reports.build(store), sys.argv[3])
elif what == "md":
    from twintui.core import reports
    reports.write(reports.build(store), sys.argv[3])
else:
    from twintui.core import experts
    topics, found = experts.experts(store, sys.argv[3:])
    assert found
print(json.dumps({"load": loaded, "work": time.perf_counter() - start}))
"""


def measure(db: Path, *args: str, repeat: int) -> tuple[float, float]:
    """Median (load, work) seconds over ``repeat`` fresh processes."""
    loads, works = [], []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", CHILD, str(db), *args], capture_output=True, text=True,
                             check=True).stdout
        figures = json.loads(out)
        loads.append(figures["load"])
        works.append(figures["work"])
    return statistics.median(loads), statistics.median(works)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000, help="arrangements in the register (default 10,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--progress", action="store_true",
                        help="give every arrangement a three-objective MoU and four quarters of values, as "
                             "progress_bench.py does (the report's progress tables then have something to count)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.json"
        start = time.perf_counter()
        if args.progress:
            from progress_bench import fill  # the same register as the progress benchmark (this folder)

            fill(db, args.size)
        else:
            store = Store.open(db)
            demo.fill(store, size=max(0, args.size - len(demo.guideline_examples())))
        print(f"register of {args.size:,} arrangements made in {time.perf_counter() - start:.1f} s "
              f"({db.stat().st_size / 1e6:.1f} MB)\n")
        rows = [
            ("report -o FILE.xlsx", measure(db, "xlsx", str(Path(folder) / "r.xlsx"), repeat=args.repeat), 3.0),
            ("report -o FILE.md", measure(db, "md", str(Path(folder) / "r.md"), repeat=args.repeat), None),
            ("experts 'selection missions'", measure(db, "experts", "selection missions", repeat=args.repeat), 0.5),
            ("experts selection 'area:cultural'",
             measure(db, "experts", "selection", "area:cultural", repeat=args.repeat), 0.5),
        ]
        size = (Path(folder) / "r.xlsx").stat().st_size / 1e6
    print(f"{'what':<36}{'store load':>12}{'twintui':>10}{'goal':>10}")
    met = True
    for name, (load, work), goal in rows:
        verdict = ""
        if goal is not None:
            verdict = f"< {goal:g} s " + ("met" if work < goal else "MISSED")
            met = met and work < goal
        print(f"{name:<36}{load * 1000:>9.0f} ms{work * 1000:>7.0f} ms  {verdict}")
    print(f"\nthe .xlsx report is {size:.1f} MB; goals {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
