"""Many clients of the store service at once, each a real process (the tests and bench/service_bench.py).

The clients are forked from this process, which has imported what they use already, so fifty of
them start in a moment instead of fifty interpreters importing twintui. Each runs ``work(number)``
once every client is ready (``Crowd.start`` waits for all of them, then they start on one "go"),
and sends back what it returns (JSON); a client that fails sends its traceback, and
``Crowd.results`` raises it.
"""

from __future__ import annotations

import json
import os
import select
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Crowd:
    pids: list[int] = field(default_factory=list)
    outputs: list[int] = field(default_factory=list)  # each client's pipe, read end
    go: int = -1  # the "go" pipe, write end
    ready: int = -1  # the "ready" pipe, read end: a byte from each client

    def start(self, timeout: float = 120.0) -> float:
        """Wait until every client is ready, then let them all go at once; the time they did."""
        deadline, seen = time.monotonic() + timeout, 0
        while seen < len(self.pids):
            ready, _, _ = select.select([self.ready], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(self.ready, 4096) if ready else b""
            if not chunk:  # timed out: the results say which client did not finish
                break
            seen += len(chunk)
        os.write(self.go, b"g" * len(self.pids))
        return time.perf_counter()

    def results(self, timeout: float = 120.0) -> list[Any]:
        """What each client returned, in the order they were started."""
        found: list[Any] = []
        deadline = time.monotonic() + timeout
        try:
            for pid, out in zip(self.pids, self.outputs, strict=True):
                data = b""
                while True:
                    ready, _, _ = select.select([out], [], [], max(0.0, deadline - time.monotonic()))
                    if not ready:
                        raise AssertionError(f"client {pid} did not finish within {timeout:g} s")
                    chunk = os.read(out, 65536)
                    if not chunk:
                        break
                    data += chunk
                os.waitpid(pid, 0)
                answer = json.loads(data or b'{"failed": "it ended without a word"}')
                if isinstance(answer, dict) and "failed" in answer:
                    raise AssertionError(f"a client failed:\n{answer['failed']}")
                found.append(answer["returned"])
        finally:
            self.stop()
        return found

    def stop(self) -> None:
        for pid in self.pids:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        for fd in (*self.outputs, self.go, self.ready):
            try:
                os.close(fd)
            except OSError:
                pass
        self.pids, self.outputs = [], []


def crowd(count: int, work: Callable[[int], Any], ready: Callable[[int], Any] | None = None) -> Crowd:
    """``count`` client processes; each calls ``ready(number)`` (if given), waits for ``Crowd.start``, then
    ``work(number)``."""
    go_read, go_write = os.pipe()
    ready_read, ready_write = os.pipe()
    made = Crowd(go=go_write, ready=ready_read)
    for number in range(count):
        out_read, out_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the client
            os.close(out_read)
            os.close(go_write)
            os.close(ready_read)
            try:
                try:
                    if ready is not None:
                        ready(number)
                finally:
                    os.write(ready_write, b"r")  # (failed or not: the others are not kept waiting)
                os.read(go_read, 1)
                answer = {"returned": work(number)}
            except BaseException:  # noqa: BLE001 - everything goes back to the test
                answer = {"failed": traceback.format_exc()}
            try:
                os.write(out_write, json.dumps(answer).encode())
            finally:
                os._exit(0)
        os.close(out_write)
        made.pids.append(pid)
        made.outputs.append(out_read)
    os.close(go_read)
    os.close(ready_write)
    return made
