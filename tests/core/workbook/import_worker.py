"""Run in a real subprocess by the concurrency tests: preview, wait for "go", apply.

    python import_worker.py STORE FILE

Prints "ready" once the preview is made, waits for a line "go" on stdin, applies,
and prints one JSON line: {"created": [...], "changed": [...], "received": [...]}
or {"error": message}.
"""

from __future__ import annotations

import json
import sys

from twintui.core.errors import TwintuiError
from twintui.core.store import Store
from twintui.core.workbook import apply, preview, read_returns


def main() -> None:
    store_path, file = sys.argv[1:3]
    store = Store.open(store_path)
    result = preview(store, read_returns([file]))
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        outcome = apply(store, result)
    except TwintuiError as error:
        print(json.dumps({"error": str(error)}), flush=True)
        return
    print(json.dumps({"created": outcome.created, "changed": outcome.changed, "received": outcome.received}),
          flush=True)


if __name__ == "__main__":
    main()
