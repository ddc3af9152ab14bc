"""Helper run in real subprocesses by the multi-process and crash tests of the store.

    python store_worker.py hammer STORE WORKER_NO CREATES INCREMENTS COUNTER_KEY
        Print "ready", wait for a line "go" on stdin, then create CREATES
        arrangements (title "w<no>-<i>") and do INCREMENTS
        increments of ``funding_amount`` on the arrangement COUNTER_KEY, retrying
        on ConflictError; both kinds of saves interleaved. Prints one JSON line:
        {"created": [ids], "increments": n, "conflicts": n}.

    python store_worker.py loop STORE TAG [STAGE]
        Write forever (until killed): transactions that create an arrangement
        with a partner and a risk, update an earlier arrangement, and now and
        then delete one. Prints "ready" after its first commit. Every record it
        writes is "complete" in a way ``expected_*`` below can check.
        With STAGE, the second commit stops inside its write, prints "inside
        STAGE" and waits there to be killed: "audit" (half an audit entry
        written), "write" (half the new store file written), "rename" (the new
        file synced, not yet renamed), "folder" (renamed, the folder not synced).

    python store_worker.py edit STORE USER KEY TITLE
        As USER, read KEY and print {"read": rev}; on a line "go" from stdin
        change its title to TITLE and save. Prints one JSON line: {"rev": new
        rev} or {"conflict": theirs rev}.

The package is found through PYTHONPATH (set by the tests to the project root).
"""

from __future__ import annotations

import json
import sys

from twintui.core.errors import ConflictError
from twintui.core.model import Arrangement, Partner, Risk
from twintui.core.store import Store, identity

identity.ACT_AS_OTHERS = True  # a test process standing in for another official (as tests/conftest.py)


def expected_objectives(title: str) -> str:
    """What the loop worker writes as objectives for an arrangement with this title."""
    return f"strengthen resettlement selection capacity ({title})"


def expected_learning_gap(title: str, version: int) -> str:
    """A long field, so that a torn write would show as a short or broken value."""
    return f"{title}:v{version}:" + "x" * 400


def hammer(path: str, worker: int, creates: int, increments: int, counter_key: str) -> None:
    store = Store.open(path, lock_timeout=120)
    # Start line: every worker waits for "go" so that all of them write at once.
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("no go")
    created: list[str] = []
    conflicts = 0
    done = 0
    for step in range(creates + increments):
        # Alternate the two kinds of saves so that the processes interleave them.
        if (step % 2 == 0 and len(created) < creates) or done >= increments:
            saved = store.save(
                Arrangement(reporting_state="NOR", title=f"w{worker}-{len(created)}", status="planned"),
                f"worker-{worker}",
            )
            created.append(saved.id)
            continue
        while True:
            current = store.get(Arrangement, counter_key)
            assert current is not None
            try:
                store.save(current.replace(funding_amount=(current.funding_amount or 0) + 1), f"worker-{worker}")
            except ConflictError:
                conflicts += 1
                continue
            done += 1
            break
    print(json.dumps({"created": created, "increments": done, "conflicts": conflicts}), flush=True)


STAGES = ("audit", "write", "rename", "folder")


def stop_inside(stage: str) -> None:
    """Say where the write is, then wait there for the test's SIGKILL (never returns)."""
    print(f"inside {stage}", flush=True)
    sys.stdin.readline()
    raise SystemExit(f"still alive inside {stage}")


def arm(stage: str) -> None:
    """Make the next commit stop inside ``stage`` of its write (the modules' own ``os``, nothing else)."""
    import os
    import types

    from twintui.core import files
    from twintui.core.store import audit

    fake = types.SimpleNamespace(**{attr: getattr(os, attr) for attr in dir(os) if not attr.startswith("__")})

    def half_then_stop(fd: int, data: bytes) -> int:
        os.write(fd, bytes(data[: max(1, len(data) // 2)]))
        stop_inside(stage)
        return 0

    if stage in ("audit", "write"):
        fake.write = half_then_stop
    elif stage == "rename":
        fake.replace = lambda *args, **kwargs: stop_inside(stage)
    elif stage == "folder":
        files.fsync_folder = lambda folder: stop_inside(stage)
    else:
        raise SystemExit(f"unknown stage {stage!r}; one of {', '.join(STAGES)}")
    # The audit log writes itself; the store file is written, renamed and synced by core/files.
    (audit if stage == "audit" else files).os = fake


def loop(path: str, tag: str, stage: str | None = None) -> None:
    store = Store.open(path, lock_timeout=120)
    n = 0
    while True:
        n += 1
        title = f"{tag}-{n}"
        with store.transaction(f"loop-{tag}") as tx:
            arrangement = Arrangement(
                reporting_state="CAN", title=title, status="planned",
                objectives=expected_objectives(title), learning_gap=expected_learning_gap(title, 1),
            )
            tx.save(arrangement)
            tx.save(Partner(name=f"partner of {title}", type="state", country="BRA"), parent=arrangement)
            tx.save(Risk(description=f"risk of {title}", category="budget", likelihood=3, impact=4, owner=tag),
                    parent=arrangement)
            # Update an earlier arrangement in the same transaction.
            mine = [a for a in store.all(Arrangement) if a.title.startswith(f"{tag}-")]
            if mine:
                old = mine[n % len(mine)]
                version = int(old.learning_gap.split(":v", 1)[1].split(":", 1)[0]) + 1
                tx.save(old.replace(learning_gap=expected_learning_gap(old.title, version)))
        if n % 7 == 0:
            victims = [a for a in store.all(Arrangement) if a.title.startswith(f"{tag}-")]
            if len(victims) > 3:
                store.delete(victims[0], f"loop-{tag}")
        if n == 1:
            print("ready", flush=True)
            if stage:
                arm(stage)
        elif stage:
            # The armed commit went through: the stage is no longer where the write goes. Say so and stop,
            # rather than writing forever while the test waits for "inside".
            print(f"wrote past {stage} without stopping there", flush=True)
            raise SystemExit(1)


def edit(path: str, user: str, key: str, title: str) -> None:
    store = Store.open(path, create=False, user=user)
    current = store.get(Arrangement, key)
    assert current is not None
    # Like a user with the form open: read, then save when told to.
    print(json.dumps({"read": current.rev}), flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("no go")
    try:
        saved = store.save(current.replace(title=title), f"edit-{user}")
    except ConflictError as error:
        print(json.dumps({"conflict": error.theirs.rev if error.theirs else None}), flush=True)
        return
    print(json.dumps({"rev": saved.rev}), flush=True)


def main(argv: list[str]) -> None:
    command, *args = argv
    if command == "hammer":
        hammer(args[0], int(args[1]), int(args[2]), int(args[3]), args[4])
    elif command == "loop":
        loop(*args)
    elif command == "edit":
        edit(*args)
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
