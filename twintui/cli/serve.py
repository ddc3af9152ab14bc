"""`twintui serve`: run the store service in the foreground (systemd runs it as a service).

    twintui serve --store /var/lib/twintui/twintui.json --socket /run/twintui/twintui.sock --group twintui

Exit codes: 0 stopped by SIGTERM or SIGINT, 2 it could not start (one line says why).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core.errors import TwintuiError
from .common import EXIT_OK, Command


def register(command: Command) -> None:
    serve = command("serve", "run the store service: the one process that opens a shared store, for clients "
                    "that connect to its socket (twintui --server SOCKET)", run_serve)
    serve.add_argument("--store", required=True, metavar="PATH",
                       help="the store file, in a folder only the service's user may enter (0700)")
    serve.add_argument("--socket", required=True, metavar="PATH", help="the Unix socket to listen on (made 0660)")
    serve.add_argument("--group", metavar="NAME",
                       help="the group whose members may connect (default: the service user's own group)")
    serve.add_argument("--timeout", type=_seconds, default=30.0, metavar="SECONDS",
                       help="how long a client may take to send a request, and an idle connection is kept "
                            "(default 30)")


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of seconds") from None
    if not 0 < seconds <= 3600:
        raise argparse.ArgumentTypeError(f"{value} is out of range (more than 0, at most 3600 seconds)")
    return seconds


def run_serve(args: argparse.Namespace) -> int:
    if getattr(args, "db", None) or getattr(args, "server", None):
        raise TwintuiError("serve takes the store as --store PATH (not --db or --server)")
    from ..service.daemon import serve

    serve(Path(args.store).expanduser(), Path(args.socket).expanduser(), args.group, args.timeout,
          say=lambda line: print(line, flush=True))
    return EXIT_OK
