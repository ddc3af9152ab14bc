"""The register report as Markdown or HTML: the templates' values and their rendering.

``templates/report.md.j2`` and ``report.html.j2`` (found through ``core.templates``) receive
``context(report)``; numbers are written as the workbook's number formats show them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import templates
from ..text import markdown
from .model import AMOUNT, COUNT, RATE, SHARE, YEAR, RegisterReport, ReportError, plain


def _cell_text(value: Any, fmt: str | None) -> str:
    value = plain(value)
    if value is None:
        return ""
    if fmt == SHARE:
        return f"{value:.1%}"
    if fmt == AMOUNT:
        return f"{value:,.2f}"
    if fmt == COUNT:
        return f"{int(value):,}"
    if fmt == YEAR:
        return str(int(value))
    if fmt == RATE:
        return f"{value:.2f}"
    return str(value)


def context(report: RegisterReport) -> dict[str, Any]:
    """What the templates show: ``about``, ``tables`` (the practice sheets left out) and ``practices``."""
    tables = []
    for table in report.tables:
        if table.sheet.startswith("Practices"):
            continue
        columns = table.columns
        formats = [table.formats.get(c) for c in columns]
        rows = [[_cell_text(v, f) for v, f in zip(values, formats, strict=True)] for values in table.rows]
        tables.append({"sheet": table.sheet, "title": table.title, "note": table.note, "columns": columns,
                       "numeric": [f is not None for f in formats], "rows": rows, "total_row": table.total_row})
    return {"about": report.about(), "tables": tables, "practices": report.practices,
            "quarter": report.quarter, "quarters": report.quarters, "today": report.today.isoformat()}


def templates_dir() -> Path:
    return templates.templates_dir("report.md.j2", ReportError)


def render_text(report: RegisterReport, fmt: str) -> str:
    """The report as Markdown or HTML, from ``templates/report.md.j2`` or ``report.html.j2``."""
    import jinja2

    if fmt not in ("md", "html"):
        raise ReportError(f"'{fmt}' is not a text format (md or html)")
    folder = templates_dir()
    name = f"report.{fmt}.j2"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=fmt == "html",
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["cell"] = env.filters["md"] = markdown  # the data's text, escaped (md; html is autoescaped)
    try:
        return env.get_template(name).render(**context(report))
    except jinja2.TemplateNotFound:
        raise ReportError(f"the report template {folder / name} is missing") from None
    except jinja2.TemplateError as error:
        raise ReportError(f"the template {folder / name} is broken: {error}") from None
