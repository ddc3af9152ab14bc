"""`twintui mou list | render | check`: memoranda of understanding from the command line.

    twintui mou list [--json]
    twintui mou render ARRANGEMENT_ID [--version N] --format md|html|docx [--no-progress] -o FILE
    twintui mou check ARRANGEMENT_ID [--version N] [--call ID_OR_FILE] [--json]

Exit codes: 0 success (``check``: nothing to fix), 1 ``check`` found something
to fix, or the arrangement, its MoU or the version does not exist, 2 bad usage
(a bad format, a file that cannot be written, a broken call file).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..core.text import plural, printable
from .common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Command, actions_of, open_desk, open_store

FORMATS = ("md", "html", "docx")  # as twintui.core.mou.render.FORMATS, without importing it at start-up


def register(command: Command) -> None:
    """Add ``mou`` and its actions to the parser."""
    mou = command("mou", "memoranda of understanding: list them, render one as a document, check one", run_usage)

    action = actions_of(mou, "mou_action")

    listing = action("list", "every MoU version: arrangement, version, status", run_list)
    listing.add_argument("--json", action="store_true", help='a JSON list of {"arrangement", "version", "status"}')

    render = action("render", "write an MoU version as Markdown, printable HTML or Word (DOCX)", run_render)
    render.add_argument("arrangement", metavar="ARRANGEMENT_ID", help="e.g. TW-NOR-0001")
    render.add_argument("--version", type=_version, metavar="N", help="the version (default: the latest)")
    render.add_argument("--format", choices=FORMATS, help="md, html or docx (default: from the file name)")
    render.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write ('-': standard "
                                                                                "output, for md and html)")
    render.add_argument("--no-progress", dest="progress", action="store_false",
                        help="leave out the progress so far (section 8 shows it when a quarterly return reported "
                             "values, activities or spending for the arrangement)")

    check = action("check", "SMART review, Annex A checklist and plan checks of an MoU version", run_check)
    check.add_argument("arrangement", metavar="ARRANGEMENT_ID", help="e.g. TW-NOR-0001")
    check.add_argument("--version", type=_version, metavar="N", help="the version (default: the latest)")
    check.add_argument("--call", metavar="ID_OR_FILE",
                       help="also check a funding call's rules: a shipped call's id (erf-2009) or a .toml file")
    check.add_argument("--json", action="store_true",
                       help='one JSON object: {"smart": [...], "checklist": [...], "problems": [...]}')


def _version(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a version number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"versions count from 1, not {number}")
    return number


def run_usage(args: argparse.Namespace) -> int:
    print("twintui mou: say what to do: list, render or check (twintui mou --help)", file=sys.stderr)
    return EXIT_USAGE


def _store(args: argparse.Namespace):

    return open_store(args, create=False)


# -- list -------------------------------------------------------------------------
def run_list(args: argparse.Namespace) -> int:
    from ..core.model import Arrangement
    from ..core.mou import every_version

    store = _store(args)
    memos = every_version(store)
    if args.json:
        print(json.dumps([{"arrangement": m.arrangement, "version": m.version, "status": m.status} for m in memos],
                         indent=2))
        return EXIT_OK
    if not memos:
        print(f"no memoranda in {store.path} (start one on screen 3)")
        return EXIT_OK
    titles = {doc.get("id"): str(doc.get("title", "")) for doc in store.docs(Arrangement)}
    for memo in memos:
        when = memo.signed_on or memo.agreed_on
        stamp = f"{memo.status} {when.isoformat()}" if when else memo.status
        title = titles.get(memo.arrangement, "")
        print(printable(f"{memo.arrangement:<13} v{memo.version:<3} {stamp:<18} {title[:60]}"))
    return EXIT_OK


# -- render -----------------------------------------------------------------------
def run_render(args: argparse.Namespace) -> int:
    from ..core.mou import render as documents

    to_stdout = args.output == "-"
    fmt = args.format or (None if to_stdout else documents.format_of(args.output))
    if fmt not in FORMATS:
        print(f"twintui mou render: give --format md, html or docx (the file name {args.output!r} does not say "
              "which)", file=sys.stderr)
        return EXIT_USAGE
    if to_stdout and fmt == "docx":
        print("twintui mou render: a Word document cannot go to standard output; give a file name with -o",
              file=sys.stderr)
        return EXIT_USAGE
    desk = open_desk(args, create=False)
    made = desk.document_bytes(args.arrangement, args.version, fmt, progress=args.progress)
    if to_stdout:
        sys.stdout.write(made.data.decode("utf-8"))
        return EXIT_OK
    named = documents.format_of(args.output)
    if named in FORMATS and named != fmt:
        print(f"twintui mou render: note: writing {fmt} into a file named {args.output}", file=sys.stderr)
    path = desk.write_document(made, fmt, args.output)
    print(f"wrote {path} ({fmt}: {made.about['arrangement']} MoU {made.about['label']})")
    return EXIT_OK


# -- check ------------------------------------------------------------------------
def run_check(args: argparse.Namespace) -> int:
    from ..core.mou import check, load, load_call

    document = load(_store(args), args.arrangement, args.version)
    call = load_call(args.call) if args.call else None
    report = check(document, call=call)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print("\n".join(printable(line) for line in _lines(document, report)))
    return EXIT_OK if report.ok else EXIT_FAILED


def _lines(document: Any, report: Any) -> list[str]:
    from ..core.mou import RULES

    memo = document.memorandum
    out = [f"{document.arrangement.id} MoU {memo.label}: {document.sections.title or document.arrangement.title}"]
    out.append("")
    out.append("SMART review (a letter is a rule met, '-' one not met)")
    if not report.smart:
        out.append("  no objectives yet")
    for review in report.smart:
        out.append(f"  {review.number:>2}  {review.letters()}  {review.objective.text or '(no text)'}")
        for rule in RULES:
            verdict = review.verdicts[rule.key]
            if not verdict.ok:
                out.append(f"        {rule.name}: {verdict.reason}")
    out.append("")
    out.append(f"Annex A checklist: {report.answered} of {len(report.checklist)} answered")
    for answer in report.checklist:
        mark = "[x]" if answer.answered else "[ ]"
        tail = answer.detail if answer.answered else f"missing: {answer.detail}; answer it in {answer.where}"
        out.append(f"  {mark} {answer.question.number:>2} {answer.question.text}")
        out.append(f"         {tail}")
    out.append("")
    if report.problems:
        out.append(f"Implementation plan: {plural(len(report.problems), 'problem')}")
        out += [f"  {p.where}: {p.message}" for p in report.problems]
    else:
        out.append("Implementation plan: no problems")
    if report.call is not None:
        out.append("")
        out.append(f"Funding call {report.call.id}: {report.call.name}")
        for result in report.call_results:
            out.append(f"  {result.result:<8} {result.rule.text}")
            out.append(f"           {result.reason}")
    out.append("")
    out.append("OK: nothing to fix" if report.ok else "Something to fix: see above")
    return out
