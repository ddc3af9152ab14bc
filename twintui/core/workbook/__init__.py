"""The quarterly return workbook (SPEC §3): template, export, import with preview, apply, tracker.

A state's return goes out with ``export_return``, comes back as one or more
files that ``read_returns`` checks and parses, ``preview`` compares with the
store (new, changed field by field, unchanged, conflicts, errors with cell
references, missing records), and ``apply`` writes, all files at once or
nothing. ``returns_status`` is the tracker: per state and quarter, sent,
received, overdue, and ``tracker`` lists it for the Returns screen (cells, filter,
facets, sort); ``ReturnExport`` the record of every export and of each copy
of it that came back (a second submission never creates again what the first
created). openpyxl and python-calamine are imported only when a workbook is
written or read.
"""

from ..model.returns import QuarterlyReturn, ReturnExport
from .apply import ApplyResult, ImportRefused, ReceivedMeanwhile, apply
from .cells import CellProblem
from .export import (
    ExportResult,
    export_register,
    export_return,
    suggested_name,
    write_template,
)
from .layout import TEMPLATE_VERSION
from .outcome import FieldChange, FilePreview, MissingRecord, Preview, RowChange
from .preview import preview
from .read import ReturnFile, ReturnFileError, ReturnMeta, read_return, read_returns
from .returns import ReturnStatus, due_date, overdue, returns_status

__all__ = [
    "TEMPLATE_VERSION", "ApplyResult", "CellProblem", "ExportResult", "FieldChange", "FilePreview", "ImportRefused",
    "MissingRecord", "Preview", "QuarterlyReturn", "ReceivedMeanwhile", "ReturnExport", "ReturnFile",
    "ReturnFileError", "ReturnMeta", "ReturnStatus", "RowChange", "apply", "due_date", "export_register",
    "export_return", "overdue", "preview", "read_return", "read_returns", "returns_status", "suggested_name",
    "write_template",
]
