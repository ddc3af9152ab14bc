"""A real full disk for the tests of what a write does when the space runs out (root only: a tmpfs).

``tiny_disk`` (a fixture in ``tests/conftest.py``) mounts a 256 KiB tmpfs; ``fill`` fills it to the
last byte with one file, which a test then shortens to leave just the room it means to.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def mounted_tiny_disk() -> Iterator[Path]:
    """A 256 KiB tmpfs, if this process may mount one (root in most containers); else skip."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a real full disk needs root to mount a tmpfs")
    folder = Path(tempfile.mkdtemp(prefix="twintui-full-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)
        folder.rmdir()


def fill(folder: Path) -> Path:
    """Fill the disk to the last byte with one file; return it."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (65536, 4096, 1):
            block = b"\0" * size
            while True:
                try:
                    os.write(fd, block)
                except OSError as error:
                    assert error.errno == errno.ENOSPC
                    break
    finally:
        os.close(fd)
    return filler


