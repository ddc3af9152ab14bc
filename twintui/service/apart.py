"""The Register's marks on a large store file, worked out in a process of their own.

The verdicts of a large register are seconds of pure Python (10,000 arrangements with four quarters
of values for three objectives each: the parse of 35 MB of values, then 30,000 verdicts). Worked out
in a thread of the app, they hold the one interpreter the screen is drawn with: the first screen
came in nearly four times later than without them (bench/README.md). In a process of their own they run
on another core, and the app only reads their answer: each arrangement's verdicts, as the store
service sends them (``core.progress.listing``, format standings).

The process reads the store file as this user, with the same twintui (``sys.executable -m``); what
it says when it fails (a store that cannot be read) comes back as the one line it printed. Small
registers are judged in the app's thread, where the desk keeps the verdicts between changes
(``assess.Kept``): a process costs a Python start, more than their verdicts.

    python -m twintui.service.apart STORE DATE     the standings as JSON on stdout
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from ..core.errors import StoreError
from ..core.store import Store
from ..core.store.lazy import Tables

if TYPE_CHECKING:
    from ..core.progress.standing import Standing

# MoUs and quarterly values larger than this in the file have their marks worked out apart (about 1,000
# arrangements with progress; a register of 10,000 arrangements of which few have an MoU stays in the app).
APART_BYTES = 4 << 20
READ = ("memoranda", "objective_progress")  # what the verdicts' time goes with
TIMEOUT = 300  # seconds: a process that takes longer is stopped, and the marks are said to have failed


def worth_it(store: Store) -> bool:
    """Whether the marks of the store file ``store`` are worth a process of their own: by the size its MoUs and
    quarterly values take in the file, or the whole file's when that is not known (a file read whole)."""
    tables = store.storage.read()
    sizes = [tables.size_as_read(name) if isinstance(tables, Tables) else None for name in READ]
    if all(size is not None for size in sizes):
        return sum(sizes) > APART_BYTES  # type: ignore[arg-type]
    try:
        return os.stat(store.path).st_size > APART_BYTES
    except OSError:
        return False  # the store's own read says what is wrong with it


def standings(path: Path, as_of: dt.date) -> dict[str, Standing]:
    """Arrangement id → its standing as of ``as_of``, worked out by a process of its own from the store file
    ``path``; StoreError (the process's one line) when it could not."""
    from ..core.progress.standing import Standing

    try:
        done = subprocess.run([sys.executable, "-m", __name__, str(path), as_of.isoformat()], capture_output=True,
                              timeout=TIMEOUT, stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise StoreError(f"the progress of {path} could not be worked out: {error}") from None
    said = done.stderr.decode(errors="replace").strip().splitlines()
    if done.returncode != 0:
        raise StoreError(said[-1].removeprefix("twintui: ") if said else
                         f"the progress of {path} could not be worked out (exit code {done.returncode})")
    try:
        found = orjson.loads(done.stdout)
    except orjson.JSONDecodeError:
        raise StoreError(f"the progress of {path} could not be worked out: its answer was cut short") from None
    return {key: Standing(tuple(verdicts)) for key, verdicts in found.items()}


def main(argv: list[str]) -> int:
    import gc

    from ..core.errors import TwintuiError
    from ..core.progress.listing import listing

    gc.disable()  # one pass that makes no cycles worth collecting (as ``twintui progress``)
    try:
        path, as_of = Path(argv[0]), dt.date.fromisoformat(argv[1])
    except (IndexError, ValueError):
        print("usage: python -m twintui.service.apart STORE YYYY-MM-DD", file=sys.stderr)
        return 2
    try:
        sys.stdout.buffer.write(listing(Store.open(path, create=False), None, as_of, "standings"))
    except TwintuiError as error:
        print(f"twintui: {error}", file=sys.stderr)
        return 1
    sys.stdout.buffer.flush()
    os._exit(0)  # without freeing the register as read, one document at a time: the system takes it back at once


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
