"""A shared server: `twintui access`, `log`, `backups` and `restore` (issue 8), directly or through the store
service (``open_desk``); `setup-server`, retired for `setup-service` (issue 17), says so.

Exit codes as everywhere: 0 done (or previewed), 1 refused or not found (nothing
changed), 2 bad usage or a store that cannot be opened.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from ..core.errors import TwintuiError
from ..core.text import clip, plural, printable
from .common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Command, actions_of, open_desk, open_store


def register(command: Command) -> None:
    access = command("access", "who may change what on a shared server: list, grant, revoke", _access_usage)

    action = actions_of(access, "access_action")

    listing = action("list", "the access file: maintainers, focal points and their states, read-only users",
                     run_access_list)
    listing.add_argument("--json", action="store_true", help="one JSON object")
    grant = action("grant", "give a user a role (maintainers only; audited)", run_access_grant)
    grant.add_argument("user", metavar="USER", help="the Unix user name")
    role = grant.add_mutually_exclusive_group(required=True)
    role.add_argument("--maintainer", action="store_true", help="may change everything, and grant access")
    role.add_argument("--state", metavar="ISO3", action="append", help="a focal point for this state (repeatable)")
    role.add_argument("--read-only", action="store_true", help="may browse and export")
    revoke = action("revoke", "remove a user from the access file (maintainers only; audited)", run_access_revoke)
    revoke.add_argument("user", metavar="USER", help="the Unix user name")

    log = command("log", "the audit trail: who changed what, when, old → new, from where", run_log)
    log.add_argument("--record", metavar="ID", help="one record (an arrangement includes its partners, risks, ...)")
    log.add_argument("--user", metavar="NAME", help="changes by this user")
    log.add_argument("--since", metavar="DATE", type=_since, help="from this date (YYYY-MM-DD) or time on (UTC)")
    log.add_argument("--json", action="store_true", help="a JSON list of entries")

    listing = command("backups", "the backup copies of the store, newest first", run_backups)
    listing.add_argument("--json", action="store_true", help="a JSON list")

    restore = command("restore", "restore a backup: shows what would change, keeps the current store as a "
                      "backup first (audited)", run_restore)
    restore.add_argument("backup", metavar="BACKUP", help="a name from `twintui backups` (or its start), or a path")
    mode = restore.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    mode.add_argument("--yes", action="store_true", help="restore without asking")
    restore.add_argument("--json", action="store_true", help="print the plan as JSON")

    # Retired (issue 17): a group-writable store folder trusts every member; the store service does not.
    retired = command("setup-server", "retired: use twintui setup-service (the store service)", run_setup_server)
    for old in ("--group", "--path"):  # its old options, so the answer is what replaced it, not a usage error
        retired.add_argument(old, help=argparse.SUPPRESS)


def _since(value: str) -> str:
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value).isoformat()
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (YYYY-MM-DD) or an ISO time") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def _store(args: argparse.Namespace, create: bool = False):  # a Store; opened lazily

    return open_store(args, create=create)


# -- access -----------------------------------------------------------------------------------

def _access_usage(args: argparse.Namespace) -> int:
    print("twintui access: say what to do: list, grant USER (--maintainer | --state ISO3 ... | --read-only) or "
          "revoke USER (twintui access --help)", file=sys.stderr)
    return EXIT_USAGE


def run_access_list(args: argparse.Namespace) -> int:
    store = _store(args)
    who = store.access()
    if args.json:
        out = who.file.to_json() if who.file else {"path": str(who.path), "users": []}
        out.update(mode=who.mode, you={"user": who.user, "role": who.role, "states": list(who.states)},
                   problem=who.problem or None)
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    if who.single_user:
        print(who.describe())
        return EXIT_OK
    print(f"access file {who.path}")
    if who.problem:
        print(f"  {who.problem}")
        return EXIT_FAILED
    for user, role, states in who.file.users() if who.file else []:
        print(f"  {user:<20} {role}{' for ' + ', '.join(states) if states else ''}")
    print(f"you are {who.describe()}")
    return EXIT_OK


def run_access_grant(args: argparse.Namespace) -> int:
    from ..core import access
    from ..core.store import policy

    if args.maintainer:
        role, states = policy.MAINTAINER, []
    elif args.read_only:
        role, states = policy.READ_ONLY, []
    else:
        role, states = policy.FOCAL_POINT, args.state
    new = open_desk(args, create=False).grant(args.user, role, states)
    granted = {u: (r, s) for u, r, s in new.users()}[args.user.strip()]
    print(f"access: {args.user.strip()} is now {granted[0]}{' for ' + ', '.join(granted[1]) if granted[1] else ''} "
          f"(in {new.path}; recorded in the audit log)")
    if not access.unix_user_exists(args.user.strip()):
        print(f"twintui: note: there is no Unix user {args.user.strip()} on this machine (yet)", file=sys.stderr)
    return EXIT_OK


def run_access_revoke(args: argparse.Namespace) -> int:
    new = open_desk(args, create=False).revoke(args.user)
    print(f"access: {args.user.strip()} was removed from {new.path} (recorded in the audit log)")
    return EXIT_OK


# -- log ---------------------------------------------------------------------------------------

def run_log(args: argparse.Namespace) -> int:
    store = _store(args)
    entries = store.history(args.record, children=True) if args.record else store.history()
    if args.user:
        entries = [e for e in entries if e.user == args.user]
    if args.since:
        since = args.since
        entries = [e for e in entries if (e.at[:10] if len(since) == 10 else e.at) >= since]
    if args.json:
        keys = ("seq", "txn", "at", "user", "source", "action", "table", "record", "changes")
        print(json.dumps([{k: getattr(e, k) for k in keys} for e in entries], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not entries:
        print("log: no entries" + (" match" if args.record or args.user or args.since else ""))
        return EXIT_OK
    for entry in entries:
        # Every part comes from the log, which holds what others typed: shown, never run by the terminal.
        what = entry.record or entry.table
        print(printable(f"{entry.at}  {entry.user:<12} {entry.source:<14} {entry.action:<8} {what}"))
        for name, (old, new) in entry.changes.items():
            print(printable(f"    {name}: {_short(old)} → {_short(new)}"))
    return EXIT_OK


def _short(value: Any, width: int = 70) -> str:
    if value in (None, "", []):
        return "(blank)"
    return clip(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False), width)


# -- backups and restore --------------------------------------------------------------------------

def run_backups(args: argparse.Namespace) -> int:
    desk = open_desk(args, create=False)
    folder, found = desk.backups()
    store = desk.store
    if args.json:
        print(json.dumps([{"name": b.name, "path": str(b.path), "at": b.at.isoformat(timespec="seconds"),
                           "reason": b.reason, "size": b.size} for b in found], indent=2))
        return EXIT_OK
    if not found:
        print(f"backups: none yet for {store.path} (one is taken before every import and restore)")
        return EXIT_OK
    print(f"backups of {store.path}, newest first (in {folder}):")
    for backup in found:
        print(f"  {backup.name}  {backup.at:%Y-%m-%d %H:%M:%S} UTC  {backup.reason:<16} {backup.size:>10,} bytes")
    print("restore one with: twintui restore NAME")
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    desk = open_desk(args, create=False)
    backup = desk.find_backup(args.backup)
    plan = desk.restore_plan(backup)
    if args.json:
        print(json.dumps(plan.to_json(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(plan_lines(plan)))
    if plan.empty:
        print("restore: the backup holds what the store holds; nothing to do")
        return EXIT_OK
    if args.dry_run:
        print("dry run: nothing was written")
        return EXIT_OK
    if not args.yes:
        if args.json or not sys.stdin.isatty():
            print("preview only: run again with --yes to restore")
            return EXIT_OK
        try:
            answer = input("Restore this backup? [y/N] ").strip().casefold()
        except EOFError:
            answer = ""
        if answer not in ("y", "yes"):
            print("nothing was written")
            return EXIT_OK
    result = desk.restore(backup, plan)
    kept = f"; the store as it was is kept as {result.safety_backup.name}" if result.safety_backup else ""
    print(f"restored {backup.name} (transaction {result.txn}, recorded in the audit log){kept}")
    return EXIT_OK


def plan_lines(plan: Any, shown: int = 10) -> list[str]:
    counts = plan.counts()
    lines = [(f"restore {plan.backup.name}: {plural(counts['added'], 'record')} to come back, {counts['removed']} "
              f"to go, {counts['changed']} to change")]
    for label, groups in (("back", plan.added), ("gone", plan.removed), ("changed", plan.changed)):
        for table, keys in groups.items():
            more = f" … and {len(keys) - shown} more" if len(keys) > shown else ""
            lines.append(f"  {label:<8} {table}: {', '.join(keys[:shown])}{more}")
    tables = [t for t in plan.before if plan.before[t] != plan.after.get(t)]
    if tables:
        lines.append("  records: " + ", ".join(f"{t} {plan.before[t]} → {plan.after[t]}" for t in tables))
    return lines


# -- setup-server, retired ----------------------------------------------------------------------------

def run_setup_server(args: argparse.Namespace) -> int:
    raise TwintuiError("setup-server is retired: in a group-writable store folder every member of the group can "
                       "write the store, its audit log and the access file directly. Set up the store service "
                       "instead, as root: twintui setup-service --maintainer USER [--from /srv/twintui/twintui.json] "
                       "(README: a shared server)")
