"""Store service benchmark: an edit, fifty clients at once, and the register's first screen, through the service.

Each figure has its reference measured in the same run: the same edit and the same first screen
made directly on a copy of the same store file. The service is ``twintui serve`` in a process of
its own (as this user, on a store folder of mode 0700), as in the tests. Run from the project root:

    python bench/service_bench.py                    # 10,000 arrangements
    python bench/service_bench.py --size 2000 --clients 20

Goals (issue 17), at 10,000 arrangements: a committed edit through the service within 1.5x of the
same edit made directly; 50 clients editing at once, p95 of an edit under 200 ms; the register's
first screen (bench/register_bench.py: from launch, the Pilot-driven app at 80x24) within 1.3x of
direct.

The fifty clients are forked processes, each with its own connection and change feed, as fifty
officials with the register open. Each edits an arrangement of its own (read it, change it, commit)
and then waits as a person does before the next (``--think``: a random wait of 0 to twice that, one
second on average: fifty officials saving once a second together). ``--think 0`` sends edits back
to back as fast as the service takes them: that measures throughput, and the latency is then how
long fifty edits queue behind each other.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' helpers: running a service, crowds

import register_bench  # noqa: E402 - bench/ is on the path when this script runs

from tests.service import crowd, running  # noqa: E402
from twintui.core import demo  # noqa: E402
from twintui.core.model import Arrangement  # noqa: E402
from twintui.core.store import Store  # noqa: E402
from twintui.service.remote import RemoteStore  # noqa: E402


def ms(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value >= 0.1 else f"{value * 1000:.1f} ms"


def edits(direct: Store, remote: RemoteStore, count: int) -> tuple[list[float], list[float]]:
    """The same edit (read a record, change it, commit) directly and through the service, taking turns."""
    keys = [a.id for a in direct.all(Arrangement)][:count]
    times: tuple[list[float], list[float]] = ([], [])
    for number in range(count + 5):
        for store, seen in zip((direct, remote), times, strict=True):
            key = keys[number % len(keys)]
            gc.collect()
            start = time.perf_counter()
            record = store.require(Arrangement, key)
            store.save(record.replace(lessons_learned=f"edit {number}"), "bench")
            if number >= 5:  # the first few warm the caches up
                seen.append(time.perf_counter() - start)
    return times


def concurrent(sock: Path, keys: list[str], clients: int, each: int, think: float) -> tuple[list[float], float]:
    """(every edit's latency, the wall time) of ``clients`` processes making ``each`` edits."""
    opened: dict[str, object] = {}

    def ready(number: int) -> None:
        store = RemoteStore.open(sock)
        feed = store.changes()  # as the app's screens follow the store
        threading.Thread(target=lambda: [None for _ in feed], daemon=True).start()
        store.require(Arrangement, keys[number])
        opened.update(store=store, rng=random.Random(number))

    def work(number: int) -> list[float]:
        store, rng = opened["store"], opened["rng"]
        assert isinstance(store, RemoteStore) and isinstance(rng, random.Random)
        latencies = []
        for edit in range(each):
            time.sleep(rng.uniform(0, 2 * think))
            start = time.perf_counter()
            record = store.require(Arrangement, keys[number])
            store.save(record.replace(lessons_learned=f"client {number} edit {edit}"), "bench")
            latencies.append(time.perf_counter() - start)
        return latencies

    started = crowd.crowd(clients, work, ready)
    begun = started.start(timeout=600)  # once every client has the store and follows it
    latencies = [value for values in started.results(timeout=600) for value in values]
    return latencies, time.perf_counter() - begun


def first_screens(path: Path, sock: Path, rounds: int) -> list[tuple[float, float]]:
    """(direct, through the service) for each round: the register's first screen from launch
    (register_bench.measure), after one run to warm up (the app's imports, the page cache); the two
    take turns going first."""
    asyncio.run(register_bench.measure(path, "selection"))
    found = []
    for number in range(rounds):
        runs = {"direct": lambda: asyncio.run(register_bench.measure(path, "selection")),
                "service": lambda: asyncio.run(register_bench.measure(path, "selection",
                                                                      lambda _: RemoteStore.open(sock)))}
        order = ["direct", "service"] if number % 2 == 0 else ["service", "direct"]
        seen = {name: runs[name]()["first_screen"] for name in order}
        found.append((seen["direct"], seen["service"]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000, help="arrangements in the store (default 10,000)")
    parser.add_argument("--edits", type=int, default=30, help="edits timed each way (default 30)")
    parser.add_argument("--clients", type=int, default=50, help="clients editing at once (default 50)")
    parser.add_argument("--each", type=int, default=20, help="edits per client (default 20)")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a client's edits (default 1)")
    parser.add_argument("--screens", type=int, default=3, help="first screens timed each way (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="twintui-bench-", dir=Path.cwd() / "bench") as tmp:
        mine, served = Path(tmp) / "direct", Path(tmp) / "served"
        mine.mkdir(mode=0o700)
        served.mkdir(mode=0o700)
        demo.fill(Store.open(mine / "twintui.json"), size=max(0, args.size - len(demo.guideline_examples())))
        for name in ("twintui.json", "twintui.audit.jsonl"):
            shutil.copy(mine / name, served / name)
        size_mb = (mine / "twintui.json").stat().st_size / 1e6
        service = running.start(served / "twintui.json", Path(tmp) / "twintui.sock")
        try:
            direct_edits, remote_edits = edits(Store.open(mine / "twintui.json"), RemoteStore.open(service.socket),
                                               args.edits)
            screens = first_screens(served / "twintui.json", service.socket, args.screens)
            keys = [a.id for a in Store.open(served / "twintui.json").all(Arrangement)][: args.clients]
            latencies, wall = concurrent(service.socket, keys, args.clients, args.each, args.think)
        finally:
            service.stop()
    edit_ratio = statistics.median(remote_edits) / statistics.median(direct_edits)
    screen_direct = statistics.median(s[0] for s in screens)
    screen_remote = statistics.median(s[1] for s in screens)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(f"{args.size:,} arrangements ({size_mb:.1f} MB store file)\n")
    print(f"{'':44} {'direct':>10} {'service':>10} {'ratio':>7}   goal")
    print(f"{'committed edit (median)':44} {ms(statistics.median(direct_edits)):>10} "
          f"{ms(statistics.median(remote_edits)):>10} {edit_ratio:>6.2f}x   <= 1.5x  "
          f"{'met' if edit_ratio <= 1.5 else 'NOT met'}")
    screen_ratio = screen_remote / screen_direct
    print(f"{'register first screen, from launch (median)':44} {ms(screen_direct):>10} {ms(screen_remote):>10} "
          f"{screen_ratio:>6.2f}x   <= 1.3x  {'met' if screen_ratio <= 1.3 else 'NOT met'}")
    print(f"\n{args.clients} clients x {args.each} edits, think {args.think:g} s on average: {len(latencies)} edits "
          f"in {wall:.1f} s ({len(latencies) / wall:.0f} a second)")
    print(f"  edit latency: median {ms(statistics.median(latencies))}, p95 {ms(p95)}, max {ms(latencies[-1])}"
          f"   goal p95 < 200 ms  {'met' if p95 < 0.2 else 'NOT met'}")


if __name__ == "__main__":
    main()
