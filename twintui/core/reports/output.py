"""Writing the register report to a file: the format its name ends with, replaced in one rename."""

from __future__ import annotations

import os
from pathlib import Path

from .. import files
from .model import RegisterReport, ReportError
from .text import render_text
from .xlsx import write_xlsx

FORMATS = ("xlsx", "md", "html")


def format_of(path: str | os.PathLike[str]) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ReportError(f"'{path}' does not end in .xlsx, .md or .html")
    return suffix


def write(report: RegisterReport, path: str | os.PathLike[str]) -> Path:
    """Write the report in the format its name ends with; a temporary file is renamed into place
    (twintui.core.files: never at a name others can guess, never through a link)."""
    target = Path(path)
    fmt = format_of(target)
    if target.is_dir():
        raise ReportError(f"{target} is a folder; give a file name ending in .{fmt}")
    if not target.parent.is_dir():
        raise ReportError(f"cannot write {target}: the folder {target.parent} does not exist")
    data = None if fmt == "xlsx" else render_text(report, fmt).encode("utf-8")
    with files.replacing(target) as out:
        if data is None:
            write_xlsx(report, out)
        else:
            out.write(data)
    return target
