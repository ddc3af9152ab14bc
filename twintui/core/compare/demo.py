"""The demo comparison: an emerging resettlement state choosing its twinning partner."""

from __future__ import annotations

from typing import Any

from ..model import Arrangement, Partner, ids
from ..text import name_key
from .model import Comparison, Factor
from .records import ComparisonRecord


DEMO_NAME = "Romania: partner for a first resettlement programme"

# (factor, weight, must-have minimum), in the guidelines' order.
_DEMO_FACTORS: tuple[tuple[str, float, int | None], ...] = (
    ("Geopolitical and socioeconomic considerations", 2, None),
    ("Similarity of asylum system", 4, None),
    ("Size and structure of the resettlement programme", 3, None),
    ("Policy and procedures (dossier or mission based selection)", 5, None),
    ("Interest in specific refugee populations", 2, None),
    ("Funding for the twinning activity", 4, 2),
    ("Role of NGOs and service providers", 3, None),
    ("Initial reception and orientation arrangements", 3, None),
    ("Integration arrangements", 4, None),
    ("Successful cooperation in other areas", 1, None),
)

# candidate -> (partner name in the demo register, scores in factor order; None = not known yet)
_DEMO_CANDIDATES: dict[str, tuple[str, tuple[int | None, ...]]] = {
    "Norway": ("Norwegian Directorate of Immigration (UDI)", (3, 3, 4, 5, 4, 3, 4, 4, 4, 5)),
    "Canada": ("Immigration, Refugees and Citizenship Canada", (2, 2, 5, 4, None, 2, 5, 3, 5, 5)),
    "Netherlands": ("Ministry of Justice of the Netherlands (IND/COA)", (4, 4, 3, 5, 4, 4, 4, 4, 4, 4)),
    "Sweden": ("Swedish Migration Board", (4, 4, 3, 3, 4, None, 4, 5, 5, 2)),
}

_DEMO_NOTES: dict[tuple[str, str], str] = {
    ("Policy and procedures (dossier or mission based selection)", "Norway"):
        "Competence-building cooperation with Argentina, Brazil, Chile, Paraguay and Uruguay on the selection "
        "of quota refugees: selection missions we could shadow.",
    ("Interest in specific refugee populations", "Norway"):
        "Quota refugees from the same regions we plan to take.",
    ("Successful cooperation in other areas", "Canada"):
        "Shared experience with officials from the Americas and NGOs (solidarity resettlement, Mexico Plan of "
        "Action); staff exchanges and visits with Japan to develop a new programme.",
    ("Integration arrangements", "Canada"):
        "Government-sponsored and private sponsorship side by side.",
    ("Funding for the twinning activity", "Canada"):
        "Not an EU state: could join an ERF Community Action project only on a full-cost basis.",
    ("Interest in specific refugee populations", "Canada"):
        "Not known yet: ask at the ATCR working group.",
    ("Policy and procedures (dossier or mission based selection)", "Netherlands"):
        "Mission-based selection; Czech officials shadowed a full Dutch selection mission and wrote a "
        "resettlement policy paper with Dutch help.",
    ("Funding for the twinning activity", "Netherlands"):
        "ERF Community Action: two or more EU member states, up to 90% for multilateral programmes.",
    ("Integration arrangements", "Sweden"):
        "MOST (with Finland, Ireland and Spain): models for quicker and better integration of refugees coming "
        "directly from crises or camps.",
    ("Initial reception and orientation arrangements", "Sweden"):
        "MOST orientation and training models; straight to municipalities.",
    ("Funding for the twinning activity", "Sweden"):
        "Not known yet: ask whether an ERF co-funded project with Sweden is possible before 31 July.",
}


def demo_comparison(refs: dict[str, str] | None = None) -> Comparison:
    """The demo comparison; ``refs`` maps partner names of the register to their ``TW-XXX-NNNN/P-n``."""
    refs = refs or {}
    comparison = Comparison(
        name=DEMO_NAME,
        organisation="Ministry of Internal Affairs of Romania, General Inspectorate for Immigration",
        learning_gap="Settlement and integration support capacity and technical expertise: selection missions, "
                     "dossier processing and reception, within 18 months.",
        end_goal="Set up a resettlement programme in Romania within 18 months, with a first group resettled by "
                 "the end of the second year.",
        factors=[Factor(name, weight, minimum) for name, weight, minimum in _DEMO_FACTORS],
    )
    for candidate, (partner, scores) in _DEMO_CANDIDATES.items():
        comparison.add_candidate(candidate, refs.get(partner))
        for (factor, _, _), score in zip(_DEMO_FACTORS, scores):
            comparison.set_score(factor, candidate, score)
    for (factor, candidate), note in _DEMO_NOTES.items():
        comparison.set_note(factor, candidate, note)
    return comparison


def _planned_partner_refs(store: Any, tx: Any) -> dict[str, str]:
    """The ``TW-XXX-NNNN/P-n`` the partners saved so far in ``tx`` will get when it commits.

    The store hands out ids from its counters in the order records are saved, so
    the demo can link its candidates to register partners in the same transaction.
    """
    counters: dict[str, int] = dict(store.storage.header.get("counters", {}))
    arrangement_ids: dict[int, str] = {}
    refs: dict[str, str] = {}
    for op in tx.ops:
        record = op.record
        if op.kind != "save":
            continue
        if isinstance(record, Arrangement) and not record.id:
            counter = f"TW-{record.reporting_state}"
            counters[counter] = counters.get(counter, 0) + 1
            arrangement_ids[id(record)] = ids.arrangement_id(record.reporting_state, counters[counter])
        elif isinstance(record, Partner) and not record.id and op.parent is not None:
            arrangement = arrangement_ids.get(id(op.parent))
            if arrangement is None:
                continue
            counter = f"P@{arrangement}"
            counters[counter] = counters.get(counter, 0) + 1
            refs.setdefault(record.name, f"{arrangement}/{ids.child_id('partners', counters[counter])}")
    return refs


def demo_record(store: Any, tx: Any) -> ComparisonRecord:
    """The demo comparison as a record to save in the demo's transaction ``tx``.

    Run again (``demo --force``), it replaces the demo comparison of the same name
    instead of adding a second one; other comparisons are left alone.
    """
    comparison = demo_comparison(_planned_partner_refs(store, tx))
    for doc in store.docs(ComparisonRecord):
        if name_key(str(doc.get("name", ""))) == name_key(DEMO_NAME):
            comparison.id, comparison.rev = str(doc.get("id")), int(doc.get("rev", 0))
            break
    return ComparisonRecord.of(comparison)
