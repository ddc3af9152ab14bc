"""`twintui report` and `twintui experts`: the register as reports and as an inventory of expertise.

    twintui report [--quarter YYYY-Qn] -o FILE.xlsx|.md|.html
    twintui experts AREA_OR_ACTIVITY [AREA_OR_ACTIVITY ...] [--limit N] [--json]

Exit codes: 0 done, 1 the term names no area or activity type (or several), 2 bad
usage (a bad quarter or file name, a file that cannot be written, no store).
"""

from __future__ import annotations

import argparse
import json
import textwrap
from pathlib import Path
from typing import Any

from ..core.text import plural, printable
from .common import EXIT_OK, Command, open_desk, open_store, parsed_by

SUFFIXES = (".xlsx", ".md", ".html")  # as twintui.core.reports.FORMATS, without importing it at start-up


def register(command: Command) -> None:
    """Add ``report`` and ``experts`` to the parser."""
    from ..core.model import vocab

    report = command("report", "the register report for the working group: tables by state, status, activity "
                               "type, area, partner type and year, quarterly return compliance, funding, progress "
                               "(objectives by verdict per state and per area, late milestones, spending against "
                               "funding), best practices and lessons learned", run_report)
    report.add_argument("--quarter", type=parsed_by("quarter", "2026-Q3"), metavar="YYYY-Qn",
                        help="the last of the eight quarters of return compliance; the progress verdicts are "
                             "as of its last day, or today if earlier (default: the last quarter that has ended)")
    report.add_argument("-o", "--output", required=True, type=_report_path, metavar="FILE",
                        help="the file to write: .xlsx (one sheet per table), .md or .html (replaced if it exists)")

    topics = "\n".join(textwrap.wrap("areas: " + "; ".join(vocab.AREAS), 88, subsequent_indent="  ")
                       + textwrap.wrap("activity types: " + "; ".join(vocab.ACTIVITY_TYPES), 88,
                                       subsequent_indent="  "))
    experts = command("experts", "who has experience of a resettlement area or activity type: organisations and "
                                 "states that led or took part in active or completed arrangements, strongest first, "
                                 "with the evidence", run_experts)
    experts.formatter_class = argparse.RawDescriptionHelpFormatter
    experts.epilog = (
        "A term is matched case aside, as a whole name, the start of one or an unambiguous fragment; "
        "'area:' or 'activity:' in front picks the vocabulary. Several terms: experience of all of them.\n\n"
        "strength = sum over the evidence arrangements of role x recency: 2 led (or the reporting state), "
        "1 took part; x 1 active or ended within 2 years, 0.5 ended 2-5 years ago, 0.25 older or no date.\n\n"
        + topics)
    experts.add_argument("terms", nargs="+", metavar="AREA_OR_ACTIVITY",
                         help="e.g. 'selection missions', 'staff exch', 'area:cultural'")
    experts.add_argument("--limit", type=_limit, default=20, metavar="N",
                         help="show the N strongest (default 20; 0 shows all)")
    experts.add_argument("--json", action="store_true",
                         help='one JSON object: {"topics", "rule", "as_of", "total", "experts": [...]}')


def _report_path(value: str) -> Path:
    path = Path(value)
    if path.suffix.lower() not in SUFFIXES:
        raise argparse.ArgumentTypeError(f"'{value}' does not end in .xlsx, .md or .html")
    return path


def _limit(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError("the limit is 0 (all) or more")
    return number


def _store(args: argparse.Namespace):  # a Store; the CLI opens it lazily

    return open_store(args, create=False)


def run_report(args: argparse.Namespace) -> int:
    made = open_desk(args, create=False).report(args.quarter, args.output)
    first, last = made.about["quarters"]
    print(f"report: wrote {args.output} ({made.about['arrangements']:,} arrangements; return compliance "
          f"{first} to {last})")
    return EXIT_OK


def run_experts(args: argparse.Namespace) -> int:
    import datetime as dt

    from ..core import experts as inventory

    today = dt.date.today()
    topics, found = inventory.experts(_store(args), args.terms, today)
    shown = found[:args.limit] if args.limit else found
    if args.json:
        print(json.dumps({
            "topics": [{"kind": t.kind, "name": t.name} for t in topics],
            "rule": inventory.RULE, "as_of": today.isoformat(), "total": len(found),
            "experts": [e.to_json() for e in shown],
        }, ensure_ascii=False, indent=2))
        return EXIT_OK
    print("\n".join(printable(line) for line in experts_text(topics, found, shown).split("\n")))
    return EXIT_OK


def experts_text(topics: list[Any], found: list[Any], shown: list[Any]) -> str:
    what = " and ".join(str(t) for t in topics)
    if not found:
        return (f"No organisation or state has led or taken part in an active or completed arrangement of {what} "
                "yet.")
    lines = [f"Experience of {what}: {plural(len(found), 'organisation or state', 'organisations and states')}, "
             "strongest first", ""]
    width = max(len(f"{e.name} ({e.kind})") for e in shown)
    for rank, expert in enumerate(shown, start=1):
        name = f"{expert.name} ({expert.kind})"
        led = f", {expert.led} led" if expert.led else ""
        lines.append(f"{rank:>3}. {name:<{width}}  strength {expert.strength:g} · {expert.arrangements} "
                     f"arrangement{'s' if expert.arrangements != 1 else ''}{led} · latest {expert.latest_text}")
        if expert.contact:
            lines.append(f"     contact:  {expert.contact}")
        ids = expert.evidence
        more = f" … and {len(ids) - 8} more" if len(ids) > 8 else ""
        lines.append(f"     evidence: {', '.join(ids[:8])}{more}")
        if expert.learned:
            item = expert.learned[0]
            text = item.lessons_learned or item.best_practices
            label = "learned" if item.lessons_learned else "practice"
            lines.append(f"     {label}:  " + textwrap.shorten(f"{text} ({item.arrangement})", 96, placeholder=" …"))
    if len(shown) < len(found):
        lines += ["", f"… {len(found) - len(shown)} more (--limit 0 shows all)"]
    return "\n".join(lines)
