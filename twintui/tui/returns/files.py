"""The returned workbooks an import names: each one read, or one error that lists every file that is
not a return (with its reason), so the user fixes them all at once; nothing is compared before."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...core.errors import TwintuiError
from ...core.workbook import ReturnFileError


class UnreadableReturns(TwintuiError):
    """One or more files are not returns: each has its one-line reason; nothing was compared or written."""

    def __init__(self, errors: list[ReturnFileError]):
        super().__init__("\n".join(f"{error}; nothing was imported" for error in errors))
        self.errors = errors


def read_returned(paths: list[Path], report: Callable[[str, int, int], None],
                  read: Callable[[Path], Any]) -> list[Any]:
    """Every file of ``paths`` read as a return by ``read`` (the desk's: on a file, or its bytes checked
    by the store service); ``report`` says how far ("reading", done, total)."""
    if not paths:
        raise TwintuiError("give the path of at least one returned .xlsx file; nothing was imported")
    files, unreadable = [], []
    for number, path in enumerate(paths):
        report("reading", number, len(paths))
        try:
            files.append(read(path))
        except ReturnFileError as error:
            unreadable.append(error)
    if unreadable:
        raise UnreadableReturns(unreadable)
    report("reading", len(paths), len(paths))
    return files
