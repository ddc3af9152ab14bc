"""Writing the register report to a file: the format its name ends with, replaced in one rename."""

from __future__ import annotations

import io
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
    fmt = check_target(target)
    data = None if fmt == "xlsx" else render_text(report, fmt).encode("utf-8")
    with files.replacing(target) as out:
        if data is None:
            write_xlsx(report, out)
        else:
            out.write(data)
    return target


def check_target(target: Path) -> str:
    """The format of the report to write at ``target``; ReportError for a name it cannot be written to."""
    fmt = format_of(target)
    if target.is_dir():
        raise ReportError(f"{target} is a folder; give a file name ending in .{fmt}")
    if not target.parent.is_dir():
        raise ReportError(f"cannot write {target}: the folder {target.parent} does not exist")
    return fmt


def report_bytes(report: RegisterReport, fmt: str) -> bytes:
    """The report in ``fmt`` (xlsx, md or html) as bytes (what the store service sends back)."""
    if fmt not in FORMATS:
        raise ReportError(f"'{fmt}' is not a report format ({', '.join(FORMATS)})")
    if fmt != "xlsx":
        return render_text(report, fmt).encode("utf-8")
    out = io.BytesIO()
    write_xlsx(report, out)
    return out.getvalue()
