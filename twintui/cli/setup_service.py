"""`twintui setup-service` (as root): the store service on this machine, set up once (``twintui.service.setup``).

    twintui setup-service --maintainer amina [--from /srv/twintui/twintui.json] [--user twintui] [--group twintui]

Each step says what it found or did, one line each; run again, it changes nothing that is right and
refuses what it would have to replace. Exit codes: 0 set up (or already), 2 it could not be (one
line says why; what was done before it stays done, and running it again goes on from there).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from ..core.errors import TwintuiError
from .common import EXIT_OK, Command


def register(command: Command) -> None:
    setup = command("setup-service", "set up the store service (as root): its system user, the socket's group, the "
                    "store's folder (0700), the first maintainer, a store moved in, the systemd unit",
                    run_setup_service)
    setup.add_argument("--maintainer", metavar="USER",
                       help="the first maintainer (an existing user; made a member of the socket's group); "
                            "needed but for --print-unit")
    setup.add_argument("--from", dest="source", metavar="PATH",
                       help="an existing store to move in, with its audit log and backups (checked first; the "
                            "originals are removed once the copy passes twintui check)")
    setup.add_argument("--user", default="twintui", metavar="NAME", help="the service's system user (default twintui)")
    setup.add_argument("--group", default="twintui", metavar="NAME",
                       help="the socket's group: its members may connect (default twintui)")
    setup.add_argument("--root", default="/", metavar="DIR",
                       help="put every folder and the unit under DIR instead of / (an image, a test); the user and "
                            "the group are this machine's")
    setup.add_argument("--print-unit", action="store_true", help="print the systemd unit and change nothing")


def run_setup_service(args: argparse.Namespace) -> int:
    import shlex  # (here and below, not at the top: every command's start-up would pay for them)

    from ..core.access import check_user_name
    from ..service import setup
    from ..service.setup_store import ensure_store

    if getattr(args, "db", None) or getattr(args, "server", None):
        raise TwintuiError("setup-service takes no --db or --server: the service's store is in its folder "
                           "(/var/lib/twintui), and --from PATH moves one in")
    layout = setup.Layout(Path(args.root).expanduser().absolute(), check_user_name(args.user),
                          check_user_name(args.group))
    command = setup.twintui_command()
    if args.print_unit:
        print(setup.unit_text(layout, command), end="")
        return EXIT_OK
    if os.geteuid() != 0:
        raise TwintuiError("setup-service makes a system user, a group and folders: run it as root "
                           "(sudo twintui setup-service ...); nothing was changed")
    if not args.maintainer:
        raise TwintuiError("setup-service needs --maintainer USER: the first maintainer, who grants the others "
                           "(an existing user); nothing was changed")
    maintainer = check_user_name(args.maintainer)

    def say(line: str) -> None:
        print(f"setup-service: {line}", flush=True)

    setup.ensure_member_exists(maintainer)
    gid = setup.ensure_group(layout, say)
    owner = setup.ensure_user(layout, gid, say)
    setup.ensure_member(layout, maintainer, gid, say)
    setup.ensure_folder(layout.folder, owner, owner.pw_gid, 0o700, say, "store folder")
    old = os.umask(0o077)  # as the unit's UMask: what is made in the folder is the service's alone
    try:
        ensure_store(layout.store, Path(args.source) if args.source else None, maintainer, say)
    finally:
        os.umask(old)
    setup.give_to(layout.folder, owner)
    _runnable(owner.pw_name, command, say)
    managed = setup.systemd_runs() and layout.real
    if managed or not layout.real:
        setup.ensure_unit(layout, command, say)
    if managed:
        setup.run("systemctl", "daemon-reload")
        setup.run("systemctl", "enable", "--now", layout.unit.name)
        say(f"systemd: {layout.unit.name} enabled and started (systemctl status {layout.unit.name})")
    else:
        setup.ensure_folder(layout.socket.parent, owner, gid, 0o755, say, "socket folder")
        serve = shlex.join(["runuser", "-u", owner.pw_name, "--", *setup.serve_command(layout, command)])
        say(f"systemd is not running here: start the service by hand (SIGTERM stops it), after a reboot making its "
            f"socket folder again: install -d -o {owner.pw_name} -g {layout.group} -m 0755 {layout.socket.parent} "
            f"&& {serve}")
    say(f"done. Every user who may connect: usermod -aG {layout.group} USER (from their next login), and in every "
        f"profile (/etc/profile.d/twintui.sh): export TWINTUI_SERVER={layout.socket}")
    if args.source:
        say("a profile that still sets TWINTUI_DB to the old store: remove that line (TWINTUI_SERVER replaces it)")
    return EXIT_OK


def _runnable(user: str, command: list[str], say: Callable[[str], None]) -> None:
    """Warn when the service's user cannot run this twintui (a python under /root, as pyenv installs it)."""
    import shlex
    import subprocess

    try:
        done = subprocess.run(["runuser", "-u", user, "--", *command, "--version"], capture_output=True, text=True,
                              check=False, timeout=60)
        ok, why = done.returncode == 0, (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
    except OSError as error:
        ok, why = False, error.strerror or str(error)
    if not ok:
        say(f"warning: {user} cannot run {shlex.join(command)} ({why}); install twintui where every user can run "
            "it, e.g. /opt/twintui (README: a shared server), and run setup-service from there")
