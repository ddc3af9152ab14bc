"""The report's best practices and lessons learned: grouped by area and activity type, and as two sheets.

Collected in plain Python from the documents: long texts gain nothing from a DataFrame.
"""

from __future__ import annotations

from typing import Any

from ..model import vocab
from .model import PracticeGroup, Table

# The workbook has them twice, as the documents do: by area, and by activity type, each row with the
# arrangement's other tags in a column to filter on. (About 20,000 rows of long text each for 10,000
# arrangements: most of the workbook's writing time; bench/README.md has the figures.)
PRACTICE_SHEETS = {  # kind: sheet, topic column, the column of the other tags, their field, the kind in plural
    "area": ("Practices by area", "Resettlement area", "Activity types", "activity_types", "areas"),
    "activity type": ("Practices by activity type", "Activity type", "Resettlement areas", "areas",
                      "activity types"),
}


def practice_groups(docs: list[dict[str, Any]], partner_docs: list[dict[str, Any]]) -> list[PracticeGroup]:
    """Every arrangement with a best practice or a lesson, under each of its areas and activity types."""
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


def practice_table(groups: list[PracticeGroup], docs: list[dict[str, Any]], kind: str) -> Table:
    """The sheet of one kind ("area" or "activity type"): a row per arrangement and topic."""
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
