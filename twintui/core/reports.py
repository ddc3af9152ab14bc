"""Register reports for the working group: pandas summaries written as .xlsx, Markdown or HTML.

``build(store, quarter)`` makes every table of ``twintui report`` (issue 9) as a
pandas DataFrame with its number formats; ``write(report, path)`` writes it as a
workbook (one sheet per table, openpyxl in write-only mode, so 10,000
arrangements take about a second) or renders ``templates/report.md.j2`` /
``report.html.j2``. ``summary_counts(rows)`` is the register screen's summary
panel: counts by status and area of the rows the current filter shows.

The register tables describe the register as it stands; ``quarter`` (default: the
last quarter that has ended) chooses the eight quarters of the return compliance
tables and the last day counted in "started and ended per year".

pandas, openpyxl and jinja2 are imported inside the functions that need them.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from . import files, reporting, templates
from .errors import TwintuiError
from .model import Arrangement, Partner, coerce, vocab
from .text import FORMULA_PREFIXES, markdown, spreadsheet_text
from .model.returns import QuarterlyReturn
from .workbook.returns import due_date, previous_quarter

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("xlsx", "md", "html")
COMPLIANCE_QUARTERS = 8
# Number formats of the workbook (Excel's codes); the text formats follow them.
COUNT, AMOUNT, SHARE, YEAR = "#,##0", "#,##0.00", "0.0%", "0"
# Compliance of one state's return for one quarter.
ON_TIME, LATE, MISSING, NOT_DUE = "on time", "late", "missing", "not yet due"
NOT_GIVEN = "(not given)"


class ReportError(TwintuiError):
    """A report that cannot be made or written: bad usage (exit code 2)."""


# -- the register screen's summary panel ------------------------------------------------------------
@dataclass(frozen=True)
class SummaryCounts:
    """How many of the listed arrangements have each status, area and activity type (vocabulary order)."""

    total: int
    by_status: dict[str, int]
    by_area: dict[str, int]
    by_activity_type: dict[str, int]
    without_area: int = 0

    def lines(self) -> list[str]:
        """The counts as short lines ("active 12 · completed 3"), values with no rows left out."""
        statuses = " · ".join(f"{name} {count}" for name, count in self.by_status.items() if count)
        areas = [f"{count:>6}  {name}" for name, count in self.by_area.items() if count]
        if self.without_area:
            areas.append(f"{self.without_area:>6}  (no area)")
        return [f"{self.total} arrangements" + (f": {statuses}" if statuses else ""), *areas]


def summary_counts(rows: Iterable[Any]) -> SummaryCounts:
    """Counts for the rows of a filtered register list (``register.Row``: ``status``, ``areas``, ``activity_types``).

    Every vocabulary value is present (0 when no row has it), in the vocabulary's
    order; a value outside it (an invalid imported row) comes after them. An
    arrangement counts once for each area it names. Pure Python: a few ms for 10,000 rows.
    """
    statuses: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    activities: Counter[str] = Counter()
    total = without_area = 0
    for row in rows:
        total += 1
        statuses[row.status] += 1
        areas.update(row.areas)
        activities.update(row.activity_types)
        without_area += not row.areas
    return SummaryCounts(total, _ordered(statuses, vocab.STATUSES), _ordered(areas, vocab.AREAS),
                         _ordered(activities, vocab.ACTIVITY_TYPES), without_area)


def _ordered(counts: Counter[str], vocabulary: tuple[str, ...]) -> dict[str, int]:
    ordered = {name: counts.get(name, 0) for name in vocabulary}
    ordered.update({name: counts[name] for name in sorted(counts) if name not in ordered})
    return ordered


# -- the report ------------------------------------------------------------------------------------
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
        rows = [[_plain(v) for v in values] for values in frame.itertuples(index=False, name=None)]
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
class Report:
    quarter: str  # the last of the compliance quarters
    quarters: list[str]  # the compliance quarters, oldest first
    today: dt.date
    as_of: dt.date  # the last day counted in "started and ended per year"
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


def quarters_ending(quarter: str, count: int = COMPLIANCE_QUARTERS) -> list[str]:
    """``count`` quarters ending with ``quarter``, oldest first."""
    number = int(quarter[:4]) * 4 + int(quarter[-1]) - 1
    return [f"{n // 4}-Q{n % 4 + 1}" for n in range(number - count + 1, number + 1)]


def build(store: Any, quarter: str | None = None, today: dt.date | None = None) -> Report:
    """Every table of the report, from the store's documents."""
    import pandas as pd

    today = today or dt.date.today()
    quarter = quarter or previous_quarter(today)
    quarters = quarters_ending(quarter)
    as_of = min(today, coerce.quarter_bounds(quarter)[1])
    docs = store.docs(Arrangement)
    partner_docs = store.docs(Partner)
    # Only what is counted goes into the frame: the long texts are collected in plain Python.
    columns = ["id", "reporting_state", "status", "activity_types", "areas", "start", "end",
               "funding_source", "funding_amount", "currency"]
    # Blank text is "" (never None/NaN), lists stay lists, a missing amount is NaN.
    lists, number = {"activity_types", "areas"}, "funding_amount"
    frame = pd.DataFrame.from_records(
        [[(d.get(c) or []) if c in lists else d.get(c) if c == number else (d.get(c) or "") for c in columns]
         for d in docs], columns=columns)
    frame[number] = pd.to_numeric(frame[number], errors="coerce").astype(float)
    partners = pd.DataFrame.from_records(
        [(p.get("arrangement") or "", p.get("type") or "other", p.get("role") or "", p.get("country") or "")
         for p in partner_docs], columns=["arrangement", "type", "role", "country"])
    names = {code: coerce.country_name(code) for code in frame["reporting_state"].unique() if code}
    tables = [
        _by_state(frame, names),
        _by_tag(frame, "activity_types", vocab.ACTIVITY_TYPES, "By activity type", "Activity type"),
        _by_tag(frame, "areas", vocab.AREAS, "By area", "Resettlement area"),
        _by_partner_type(partners),
        _per_year(frame, as_of),
        *_compliance(store, frame, quarters, today, names),
        _funding(frame),
    ]
    practices = _practices(docs, partner_docs)
    tables += [_practice_table(practices, docs, kind) for kind in PRACTICE_SHEETS]
    return Report(quarter, quarters, today, as_of, len(frame), len(partners),
                  int(frame["reporting_state"].nunique()), tables, practices)


def _status_columns(frame: pd.DataFrame, index: str) -> pd.DataFrame:
    """Rows of ``index`` × one column per status (vocabulary order), plus Total."""
    import pandas as pd

    counts = pd.crosstab(frame[index], frame["status"]) if len(frame) else pd.DataFrame()
    counts = counts.reindex(columns=[*vocab.STATUSES, *sorted(set(counts.columns) - set(vocab.STATUSES))],
                            fill_value=0)
    counts["Total"] = counts.sum(axis=1)
    counts.columns.name = None
    return counts


def _by_state(frame: pd.DataFrame, names: dict[str, str]) -> Table:
    counts = _status_columns(frame.assign(reporting_state=frame["reporting_state"].fillna("")), "reporting_state")
    counts = counts.sort_index()
    counts.loc["Total"] = counts.sum()
    counts.index.name = "State"
    out = counts.reset_index()
    out.insert(1, "Name", [names.get(code, "" if code != "Total" else "all states") for code in out["State"]])
    formats = {c: COUNT for c in out.columns[2:]}
    return Table.of("By state and status", "Arrangements by reporting state and status",
                 "Each arrangement once, under the state that reports it.", out, formats,
                 {"State": 8, "Name": 24}, total_row=True)


def _by_tag(frame: pd.DataFrame, column: str, vocabulary: tuple[str, ...], sheet: str, label: str) -> Table:
    exploded = frame[["id", "status", column]].explode(column).dropna(subset=[column])
    counts = _status_columns(exploded, column)
    order = [*vocabulary, *sorted(set(counts.index) - set(vocabulary))]
    counts = counts.reindex(order, fill_value=0)
    counts["Share of arrangements"] = counts["Total"] / len(frame) if len(frame) else 0.0
    counts.index.name = label
    out = counts.reset_index()
    formats = {c: COUNT for c in out.columns[1:-1]} | {"Share of arrangements": SHARE}
    what = "activity types" if column == "activity_types" else "areas"
    return Table.of(sheet, f"Arrangements by {label.lower()} and status",
                 f"An arrangement counts once for each of its {what}, so the shares add up to more than 100%.",
                 out, formats, {label: 44})


def _by_partner_type(partners: pd.DataFrame) -> Table:
    import pandas as pd

    grouped = partners.groupby("type")
    out = pd.DataFrame({
        "Partners": grouped.size(),
        "Arrangements": grouped["arrangement"].nunique(),
        "As lead": grouped["role"].apply(lambda roles: int((roles == "lead").sum())),
    })
    order = [*vocab.PARTNER_TYPES, *sorted(set(out.index) - set(vocab.PARTNER_TYPES))]
    out = out.reindex(order, fill_value=0).astype(int)
    out.index.name = "Partner type"
    out = out.reset_index()
    return Table.of("By partner type", "Partners by type",
                 "Partner rows of all arrangements; Arrangements counts each arrangement once per type.",
                 out, {c: COUNT for c in out.columns[1:]}, {"Partner type": 28})


def _per_year(frame: pd.DataFrame, as_of: dt.date) -> Table:
    import pandas as pd

    kept = frame[frame["status"] != "cancelled"]
    limit = as_of.isoformat()
    started = kept.loc[kept["start"] != "", "start"]
    ended = kept.loc[kept["end"] != "", "end"]
    started = started[started <= limit].str[:4].astype(int).value_counts()
    ended = ended[ended <= limit].str[:4].astype(int).value_counts()
    years = sorted(set(started.index) | set(ended.index))
    out = pd.DataFrame({"Year": years, "Started": [int(started.get(y, 0)) for y in years],
                        "Ended": [int(ended.get(y, 0)) for y in years]})
    return Table.of("Started and ended", "Arrangements started and ended per year",
                 f"By start and end date, up to {limit}; cancelled arrangements are left out.",
                 out, {"Year": YEAR, "Started": COUNT, "Ended": COUNT}, {"Year": 8})


def _funding(frame: pd.DataFrame) -> Table:
    kept = frame[frame["status"] != "cancelled"].copy()
    kept["funding_source"] = kept["funding_source"].fillna("").str.strip().replace("", NOT_GIVEN)
    kept["currency"] = kept["currency"].fillna("").replace("", NOT_GIVEN)
    kept["funding_amount"] = kept["funding_amount"].astype(float)
    grouped = kept.groupby(["funding_source", "currency"], sort=True)["funding_amount"]
    out = grouped.agg(Arrangements="size", Funded="count", Total="sum", Average="mean").reset_index()
    out = out.rename(columns={"funding_source": "Funding source", "currency": "Currency"})
    out = out.assign(key=out["Funding source"].str.casefold()).sort_values(
        ["key", "Total"], ascending=[True, False], kind="stable").drop(columns="key").reset_index(drop=True)
    out["Average"] = out["Average"].where(out["Funded"] > 0)
    return Table.of("Funding", "Funding by source and currency",
                 "Amounts in the currency given (never converted); Funded counts the arrangements that give an "
                 "amount; cancelled arrangements are left out.",
                 out, {"Arrangements": COUNT, "Funded": COUNT, "Total": AMOUNT, "Average": AMOUNT},
                 {"Funding source": 32, "Currency": 12, "Total": 18, "Average": 16})


# -- returns compliance -----------------------------------------------------------------------------
def compliance_status(received_at: str, quarter: str, today: dt.date) -> tuple[str, int | None]:
    """(on time | late | missing | not yet due, days late) of one return, by the 30-day due rule."""
    due = due_date(quarter)
    if received_at:
        received = dt.date.fromisoformat(received_at[:10])
        return (ON_TIME, None) if received <= due else (LATE, (received - due).days)
    return (MISSING, None) if today > due else (NOT_DUE, None)


def expected_states(frame: pd.DataFrame, quarters: list[str], today: dt.date) -> dict[str, set[str]]:
    """Quarter → the states expected to send its return (without the tracker's own states).

    A state is expected for a quarter when one of its arrangements ran during it, by
    ``core.reporting.runs_in`` (the rule of the Register and the Returns screen): not
    cancelled, started on or before the quarter's last day (without a start date: active
    or suspended) and not ended before its first.
    """
    kept = frame[(frame["status"] != "cancelled") & (frame["reporting_state"] != "")]
    start, end = kept["start"].fillna(""), kept["end"].fillna("")
    running = kept["status"].isin(reporting.RUNNING)
    expected: dict[str, set[str]] = {}
    for quarter in quarters:
        first, last = (d.isoformat() for d in coerce.quarter_bounds(quarter))
        started = ((start != "") & (start <= last)) | ((start == "") & running)
        ran = started & ((end == "") | (end >= first))
        expected[quarter] = set(kept.loc[ran, "reporting_state"])
    return expected


def _compliance(store: Any, frame: pd.DataFrame, quarters: list[str], today: dt.date,
                names: dict[str, str]) -> list[Table]:
    import pandas as pd

    tracked = {(d.get("state"), d.get("quarter")): d for d in store.docs(QuarterlyReturn)
               if d.get("quarter") in quarters}
    expected = expected_states(frame, quarters, today)
    for state, quarter in tracked:
        expected[quarter].add(state)
    states = sorted(set().union(*expected.values()))
    grid, rows = [], []
    for state in states:
        counts = Counter()
        cells = []
        for quarter in quarters:
            if state not in expected[quarter]:
                cells.append("")
                continue
            status, late_by = compliance_status((tracked.get((state, quarter)) or {}).get("received_at") or "",
                                                quarter, today)
            counts[status] += 1
            cells.append(f"late ({late_by} d)" if status == LATE else status)
        due = counts[ON_TIME] + counts[LATE] + counts[MISSING]
        rows.append([state, names.get(state) or coerce.country_name(state), due, counts[ON_TIME], counts[LATE],
                     counts[MISSING], counts[NOT_DUE], counts[ON_TIME] / due if due else None])
        grid.append([state, *cells])
    summary = pd.DataFrame(rows, columns=["State", "Name", "Due", "On time", "Late", "Missing", "Not yet due",
                                          "On-time rate"])
    if len(summary):
        totals = summary[["Due", "On time", "Late", "Missing", "Not yet due"]].sum()
        summary.loc[len(summary)] = ["Total", "all states", *totals.tolist(),
                                     totals["On time"] / totals["Due"] if totals["Due"] else None]
    first, last = quarters[0], quarters[-1]
    rule = (f"A return is due {due_date(last).isoformat()} for {last}: 30 days after the quarter ends. "
            "A state is expected when it was sent the return or one of its arrangements ran in the quarter.")
    return [
        Table.of("Returns compliance", f"Quarterly return compliance per state, {first} to {last}", rule, summary,
              {c: COUNT for c in ("Due", "On time", "Late", "Missing", "Not yet due")} | {"On-time rate": SHARE},
              {"State": 8, "Name": 24}, total_row=len(summary) > 0),
        Table.of("Returns by quarter", f"Quarterly returns per state and quarter, {first} to {last}",
              "on time, late (days after the due date), missing, not yet due; blank: not expected.",
              pd.DataFrame(grid, columns=["State", *quarters]), {}, {"State": 8} | {q: 14 for q in quarters}),
    ]


# -- best practices and lessons learned ---------------------------------------------------------------
def _practices(docs: list[dict[str, Any]], partner_docs: list[dict[str, Any]]) -> list[PracticeGroup]:
    """Every arrangement with a best practice or a lesson, under each of its areas and activity types.

    Collected in plain Python from the documents: long texts gain nothing from a DataFrame.
    """
    countries: dict[str, list[str]] = {}
    for partner in partner_docs:
        if partner.get("country"):
            countries.setdefault(partner.get("arrangement") or "", []).append(partner["country"])
    texts = [d for d in docs if d.get("best_practices") or d.get("lessons_learned")]
    # Newest reports first inside each topic, then by id.
    texts.sort(key=lambda d: d["id"])
    texts.sort(key=lambda d: d.get("reported_quarter") or "", reverse=True)
    groups: dict[tuple[str, str], list[dict[str, str]]] = {}
    for doc in texts:
        states = dict.fromkeys([doc.get("reporting_state") or "", *countries.get(doc["id"], ())])
        states.pop("", None)
        entry = {"id": doc["id"], "title": doc.get("title") or "", "states": ", ".join(states),
                 "quarter": doc.get("reported_quarter") or "", "status": doc.get("status") or "",
                 "best_practices": doc.get("best_practices") or "", "lessons_learned": doc.get("lessons_learned") or ""}
        for kind, column in (("area", "areas"), ("activity type", "activity_types")):
            for topic in doc.get(column) or ():
                groups.setdefault((kind, topic), []).append(entry)
    order = {("area", name): n for n, name in enumerate(vocab.AREAS)}
    order |= {("activity type", name): 100 + n for n, name in enumerate(vocab.ACTIVITY_TYPES)}
    return [PracticeGroup(kind, topic, entries)
            for (kind, topic), entries in sorted(groups.items(), key=lambda item: (order.get(item[0], 999), item[0]))]


# The workbook has them twice, as the documents do: by area, and by activity type, each row with the
# arrangement's other tags in a column to filter on. (About 20,000 rows of long text each for 10,000
# arrangements: most of the workbook's writing time; bench/README.md has the figures.)
PRACTICE_SHEETS = {  # kind: sheet, topic column, the column of the other tags, their field, the kind in plural
    "area": ("Practices by area", "Resettlement area", "Activity types", "activity_types", "areas"),
    "activity type": ("Practices by activity type", "Activity type", "Resettlement areas", "areas",
                      "activity types"),
}


def _practice_table(groups: list[PracticeGroup], docs: list[dict[str, Any]], kind: str) -> Table:
    sheet, topic_column, other_column, other_tags, kinds = PRACTICE_SHEETS[kind]
    others = {d["id"]: "; ".join(d.get(other_tags) or ()) for d in docs}
    columns = [topic_column, "Arrangement ID", other_column, "States", "Quarter", "Best practices",
               "Lessons learned"]
    rows = [[g.topic, e["id"], others.get(e["id"]) or None, e["states"] or None, e["quarter"] or None,
             e["best_practices"] or None, e["lessons_learned"] or None]
            for g in groups if g.kind == kind for e in g.entries]
    return Table(sheet, f"Best practices and lessons learned by {topic_column.lower()}",
                 f"Each arrangement under every one of its {kinds}, "
                 f"newest reported quarter first; filter the {other_column} column to narrow it.",
                 columns, rows, {},
                 {topic_column: 34, "Arrangement ID": 14, other_column: 40, "States": 16, "Quarter": 9,
                  "Best practices": 70, "Lessons learned": 70})


# -- writing ------------------------------------------------------------------------------------
def format_of(path: str | os.PathLike[str]) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ReportError(f"'{path}' does not end in .xlsx, .md or .html")
    return suffix


def write(report: Report, path: str | os.PathLike[str]) -> Path:
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


def write_xlsx(report: Report, path: str | os.PathLike[str] | BinaryIO) -> None:
    """One sheet per table (after an About sheet): bold frozen header, filters, number formats, widths."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    header_font, header_fill = Font(bold=True), PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
    bold = Font(bold=True)

    about = workbook.create_sheet("About")
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 90
    title = WriteOnlyCell(about, "Twinning Register report")
    title.font = Font(bold=True, size=14)
    about.append([title])
    for label, value in _about(report):
        about.append([WriteOnlyCell(about, label), _text_cell(about, value)])
    about.append([])
    about.append([_header(about, "Sheet", header_font, header_fill), _header(about, "What", header_font, header_fill)])
    for table in report.tables:
        about.append([_text_cell(about, table.sheet), _text_cell(about, f"{table.title}. {table.note}")])

    for table in report.tables:
        sheet = workbook.create_sheet(table.sheet)
        columns = table.columns
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = table.widths.get(column, max(10, len(column) + 2))
        sheet.freeze_panes = "A2"
        if table.rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(table.rows) + 1}"
        sheet.append([_header(sheet, c, header_font, header_fill) for c in columns])
        # A formatted column gets styled cells; plain values go in as they are (fast: most cells are text).
        styles = [table.formats.get(c) for c in columns]
        plain = not table.formats and not table.total_row
        last = len(table.rows) - 1
        for number, values in enumerate(table.rows):
            if plain:
                if any(isinstance(v, str) and v.startswith(FORMULA_PREFIXES) for v in values):
                    values = [_text_cell(sheet, v) if isinstance(v, str) else v for v in values]
                sheet.append(values)
                continue
            total = table.total_row and number == last
            row: list[Any] = []
            for value, style in zip(values, styles, strict=True):
                if style is None and not total and not (isinstance(value, str) and value.startswith(FORMULA_PREFIXES)):
                    row.append(value)
                    continue
                cell = _text_cell(sheet, value)
                if style is not None and value is not None:
                    cell.number_format = style
                if total:
                    cell.font = bold
                row.append(cell)
            sheet.append(row)
    workbook.save(path if hasattr(path, "write") else str(path))


def _header(sheet: Any, value: str, font: Any, fill: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    cell.font, cell.fill = font, fill
    return cell


def _text_cell(sheet: Any, value: Any) -> Any:
    """A cell whose text stays text: a title such as '=HYPERLINK(...)' is never a live formula."""
    from openpyxl.cell import WriteOnlyCell

    return spreadsheet_text(WriteOnlyCell(sheet), value)


def _plain(value: Any) -> Any:
    """Python values for openpyxl: no NaN, no numpy scalars."""
    if value is None:
        return None
    if hasattr(value, "item"):  # a numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _about(report: Report) -> list[tuple[str, str]]:
    return [
        ("Compliance quarters", f"{report.quarters[0]} to {report.quarters[-1]}"),
        ("Made on", report.today.isoformat()),
        ("Arrangements", f"{report.arrangements:,}"),
        ("Partners", f"{report.partners:,}"),
        ("Reporting states", f"{report.states:,}"),
    ]


# -- Markdown and HTML ----------------------------------------------------------------------------------
def _cell_text(value: Any, fmt: str | None) -> str:
    value = _plain(value)
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
    return str(value)


def context(report: Report) -> dict[str, Any]:
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
    return {"about": _about(report), "tables": tables, "practices": report.practices,
            "quarter": report.quarter, "quarters": report.quarters, "today": report.today.isoformat()}


def templates_dir() -> Path:
    return templates.templates_dir("report.md.j2", ReportError)


def render_text(report: Report, fmt: str) -> str:
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
