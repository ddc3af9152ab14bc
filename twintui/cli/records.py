"""`twintui show ID`: one arrangement as stored, with its partners and risks.

    twintui show TW-NOR-0001 [--json]

What a screen saved, read back from a shell (and by the tests in a real terminal):
every field as stored, in the form's order. Exit codes: 0 shown, 1 no such
arrangement, 2 bad usage or no store.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .common import EXIT_FAILED, EXIT_OK, Command, open_store


def register(command: Command) -> None:
    show = command("show", "one arrangement as stored: every field, its partners and its risks", run_show)
    show.add_argument("id", metavar="ID", help="the arrangement's Record ID, e.g. TW-NOR-0001 (case aside)")
    show.add_argument("--json", action="store_true",
                      help='one JSON object: {"arrangement": {field: value}, "partners": [...], "risks": [...]}')


def run_show(args: argparse.Namespace) -> int:
    from ..core.model import Arrangement, Partner, Risk
    from ..core.text import printable

    store = open_store(args, create=False)
    key = args.id.strip().upper()
    arrangement = store.get(Arrangement, key)
    if arrangement is None:
        print(f"twintui: there is no arrangement {printable(key)} in {store.path}", file=sys.stderr)
        return EXIT_FAILED
    partners, risks = store.children(Partner, key), store.children(Risk, key)
    if args.json:
        print(json.dumps({"arrangement": arrangement.to_doc(), "partners": [p.to_doc() for p in partners],
                          "risks": [r.to_doc() for r in risks]}, ensure_ascii=False, indent=2))
        return EXIT_OK
    lines = [f"{arrangement.id} · revision {arrangement.rev}"]
    lines += _fields(arrangement)
    for title, children in (("Partners", partners), ("Risks", risks)):
        lines += ["", f"{title} ({len(children)})"]
        for child in children:
            lines += ["", f"  {child.id}"] + [f"  {line}" for line in _fields(child, skip=("arrangement",))]
    print("\n".join(printable(line) for line in lines))
    return EXIT_OK


def _fields(record: Any, skip: tuple[str, ...] = ()) -> list[str]:
    out = []
    for field in record.FIELDS:
        if field.name in skip:
            continue
        value = field.display(getattr(record, field.name))
        out.append(f"{field.label}: {value.replace(chr(10), ' / ')}" if value else f"{field.label}: —")
    return out
