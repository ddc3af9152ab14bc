"""Demo data: a draft MoU for the Norway arrangement of the guidelines' examples.

It has a full implementation plan, two good objectives and one deliberately
weak one ("Improve cooperation") that the SMART review flags; reciprocal
learning and national dissemination are still unanswered, so the Annex A
checklist has two gaps to fill. Names, dates and amounts are illustrative.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..model import Arrangement
from .model import (
    Activity,
    Evaluation,
    Funding,
    Memorandum,
    Objective,
    Role,
    Sections,
    version_id,
)

D = dt.date

# What each partner takes on, by country.
_DUTIES = {
    "NOR": "Overall coordination; plans the training and shadows every selection mission; chairs the monthly call",
    "ARG": "Runs one selection mission with Norwegian shadowing; drafts its national integration plan",
    "BRA": "Runs one selection mission with shadowing; hosts the mid-term review seminar; drafts its integration plan",
    "CHL": "Runs one selection mission with shadowing; hosts the final conference; drafts its integration plan",
    "PRY": "Runs one selection mission with shadowing; drafts its national integration plan",
    "URY": "Runs one selection mission with shadowing; drafts its national integration plan",
}


def norway_sections(partners: Sequence[Any]) -> Sections:
    """The draft's sections; ``partners`` are the Norway example's partners (names and contacts)."""
    by_country = {p.country: p for p in partners}
    udi = by_country["NOR"].name
    names = {code: by_country[code].name for code in ("ARG", "BRA", "CHL", "PRY", "URY")}
    roles = [Role(party=p.name, person=p.contact.split(",")[0] if "@" not in p.contact.split(",")[0] else "",
                  responsibility=_DUTIES[p.country], overall=p.country == "NOR") for p in partners]
    roles.append(Role(party="UNHCR Americas Bureau", person="UNHCR focal point",
                      responsibility="Security briefings before missions; access to camps; advice on selection"))
    return Sections(
        title="General agreement for cooperation and exchange on the selection and integration of quota refugees "
              "between Norway, Argentina, Brazil, Chile, Paraguay and Uruguay",
        context="Argentina, Brazil, Chile, Paraguay and Uruguay resettle refugees in solidarity with the region and "
                "want to strengthen how they select quota refugees on missions and integrate them. Norway selects "
                "its quota refugees on missions and settles them in municipalities. This agreement sets out three "
                "years of competence building, from January 2025 to December 2027.",
        start=D(2025, 1, 1), end=D(2027, 12, 31),
        objectives=[
            Objective(text="Each of the five states runs one selection mission with Norwegian shadowing",
                      indicator="selection missions run with shadowing", target="5", due="2027-06-30",
                      owner=udi),
            Objective(text="Each of the five states adopts a national integration plan for quota refugees",
                      indicator="integration plans adopted", target="5", due="2027-Q4", owner="Ingrid Hansen"),
            Objective(text="Improve cooperation"),
        ],
        outcomes="Five selection missions shadowed; five national integration plans; a regional network of "
                 "municipal integration officers.",
        learning="",
        roles=roles,
        roles_note="Partners drawn in later (municipalities, NGOs) are added here by agreement on the monthly call.",
        activities=[
            Activity("Kick-off seminar in Oslo", udi, D(2025, 3, 3), D(2025, 3, 7), "Work plan agreed by all partners"),
            Activity("Training on mission selection, Buenos Aires", f"{udi}; {names['ARG']}", D(2025, 5, 12),
                     D(2025, 5, 16), "Selection officers of the five states trained"),
            Activity("Shadowed selection missions: Argentina, Brazil", f"{names['ARG']}; {names['BRA']}",
                     D(2025, 9, 1), D(2025, 12, 19), "Two missions run with shadowing"),
            Activity("Staff exchange of municipal integration officers", udi, D(2026, 1, 12), D(2026, 6, 30),
                     "Regional network of integration officers set up"),
            Activity("Shadowed selection missions: Chile, Paraguay, Uruguay",
                     f"{names['CHL']}; {names['PRY']}; {names['URY']}", D(2026, 3, 2), D(2026, 11, 27),
                     "Five missions run with shadowing"),
            Activity("Mid-term review seminar, Brasilia", names["BRA"], D(2026, 5, 18), D(2026, 5, 20),
                     "Mid-term review report"),
            Activity("Drafting of the national integration plans", "each partner state", D(2026, 6, 1),
                     D(2027, 9, 30), "Five integration plans adopted"),
            Activity("Final evaluation and regional conference, Santiago", f"{names['CHL']}; {udi}",
                     D(2027, 10, 4), D(2027, 11, 30), "Final evaluation report"),
        ],
        monitoring="A monthly call chaired by UDI follows the plan; each state reports every quarter on its "
                   "mission and integration plan; UDI keeps the plan and the risk register up to date and reports "
                   "to the Ministry of Justice twice a year.",
        funding=Funding(source="National budget (Norwegian Ministry of Justice)", amount=3_500_000, currency="NOK",
                        total_cost=4_200_000, available_from=D(2025, 1, 1), available_until=D(2027, 12, 31),
                        committed=True,
                        note="Norway covers travel for missions and exchanges; each partner state covers its own "
                             "staff time."),
        evaluation=Evaluation(
            milestones="Reviews after the first two missions (December 2025) and at the mid-term seminar (May "
                       "2026), with every partner's view of what went well and what to strengthen.",
            final="A final evaluation by a team with one official from each state, with lessons learned, "
                  "reported at the Santiago conference in November 2027.",
            reporting="UDI (Ingrid Hansen) reports; the evaluation team evaluates.",
            dissemination="",
        ),
    )


def norway_draft(examples: Sequence[Any]) -> tuple[Memorandum, Arrangement]:
    """The draft MoU and the (new) Norway arrangement it belongs to: ``tx.save(*norway_draft(examples))``."""
    example = next(e for e in examples if e.arrangement.reporting_state == "NOR")
    memo = Memorandum(id=version_id(1), version=1, status="draft")
    return memo.with_sections(norway_sections(example.partners)), example.arrangement
