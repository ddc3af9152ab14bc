"""Assembling the register report from the store: every count table as a pandas DataFrame with its formats.

``build(store, quarter)`` makes every table of ``twintui report`` (issue 9). The register
tables describe the register as it stands; ``quarter`` (default: the last quarter that has
ended) chooses the eight quarters of the return compliance tables (``compliance``) and the
last day counted in "started and ended per year", which is also the day of the progress
verdicts (``progress``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..model import Arrangement, Partner, coerce, vocab
from ..workbook.returns import previous_quarter
from .compliance import compliance_tables, quarters_ending
from .model import AMOUNT, COUNT, SHARE, YEAR, RegisterReport, Table
from .practices import PRACTICE_SHEETS, practice_groups, practice_table
from .progress import progress_tables

if TYPE_CHECKING:
    import pandas as pd

NOT_GIVEN = "(not given)"


def build(store: Any, quarter: str | None = None, today: dt.date | None = None) -> RegisterReport:
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
        *compliance_tables(store, frame, quarters, today, names),
        _funding(frame),
        *progress_tables(store, as_of, {d["id"]: d.get("areas") or [] for d in docs}, names),
    ]
    practices = practice_groups(docs, partner_docs)
    tables += [practice_table(practices, docs, kind) for kind in PRACTICE_SHEETS]
    return RegisterReport(quarter, quarters, today, as_of, len(frame), len(partners),
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
