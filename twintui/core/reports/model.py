"""What a register report is made of: its tables, its practice groups, the number formats, its error.

``build`` fills these; ``xlsx`` and ``text`` read them. A table's rows hold plain Python
values, so the writers never go through pandas again.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import TwintuiError

if TYPE_CHECKING:
    import pandas as pd

# Number formats of the workbook (Excel's codes); the text formats follow them.
COUNT, AMOUNT, SHARE, YEAR, RATE, DATE = "#,##0", "#,##0.00", "0.0%", "0", "0.00", "yyyy-mm-dd"


class ReportError(TwintuiError):
    """A report that cannot be made or written: bad usage (exit code 2)."""


@dataclass
class Table:
    """One table of the report: one sheet of the workbook, one section of the documents.

    ``rows`` hold plain Python values (None for blank): the workbook and the
    templates read them without going through pandas again; ``frame`` gives a
    DataFrame back for analysis and tests.
    """

    sheet: str  # the sheet name (at most 31 characters)
    title: str
    note: str
    columns: list[str]
    rows: list[list[Any]]
    formats: dict[str, str] = field(default_factory=dict)  # column → number format
    widths: dict[str, int] = field(default_factory=dict)  # column → width in characters
    total_row: bool = False  # the last row is a total (bold)

    @classmethod
    def of(cls, sheet: str, title: str, note: str, frame: pd.DataFrame, formats: dict[str, str],
           widths: dict[str, int], total_row: bool = False) -> Table:
        rows = [[plain(v) for v in values] for values in frame.itertuples(index=False, name=None)]
        return cls(sheet, title, note, [str(c) for c in frame.columns], rows, formats, widths, total_row)

    @property
    def frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def row(self, first: Any) -> dict[str, Any]:
        """The row whose first cell is ``first`` (a state, an area, a year), as column → value."""
        for row in self.rows:
            if row[0] == first:
                return dict(zip(self.columns, row, strict=True))
        raise KeyError(first)


@dataclass
class PracticeGroup:
    """Best practices and lessons learned of one area or activity type."""

    kind: str  # "area" or "activity type"
    topic: str
    entries: list[dict[str, str]]  # id, title, states, quarter, best_practices, lessons_learned


@dataclass
class RegisterReport:
    """The register report for the working group (``twintui report``): every table, ready to write."""

    quarter: str  # the last of the compliance quarters
    quarters: list[str]  # the compliance quarters, oldest first
    today: dt.date
    as_of: dt.date  # the last day counted in "started and ended per year", and the day of the progress verdicts
    arrangements: int
    partners: int
    states: int
    tables: list[Table]
    practices: list[PracticeGroup]

    def table(self, sheet: str) -> Table:
        for table in self.tables:
            if table.sheet == sheet:
                return table
        raise KeyError(sheet)

    def about(self) -> list[tuple[str, str]]:
        """What the report covers, as (label, value): the workbook's About sheet, the documents' header."""
        return [
            ("Compliance quarters", f"{self.quarters[0]} to {self.quarters[-1]}"),
            ("Made on", self.today.isoformat()),
            ("Arrangements", f"{self.arrangements:,}"),
            ("Partners", f"{self.partners:,}"),
            ("Reporting states", f"{self.states:,}"),
            ("Progress as of", self.as_of.isoformat()),
        ]


def plain(value: Any) -> Any:
    """Python values for openpyxl and the templates: no NaN, no numpy scalars."""
    if value is None:
        return None
    if hasattr(value, "item"):  # a numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
