"""Demo data: the MoUs of two of the guidelines' examples, Norway (a draft) and Canada with the Americas (agreed).

Norway's draft has a full implementation plan, two good objectives counted as numbers (missions
shadowed, integration plans adopted) and one deliberately weak one ("Improve cooperation") that
the SMART review flags; reciprocal learning and national dissemination are still unanswered, so
the Annex A checklist has two gaps to fill. Canada's agreed MoU counts three objectives and has
one milestone, so that with the demo's quarterly returns (``twintui.core.demo.progress``) every
verdict shows. Names, dates and amounts are illustrative.
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
                      indicator="selection missions run with shadowing", due="2027-06-30", owner=udi,
                      kind="number", unit="missions", baseline=0, target_value=5),
            Objective(text="Each of the five states adopts a national integration plan for quota refugees",
                      indicator="integration plans adopted", due="2027-Q4", owner="Ingrid Hansen",
                      kind="number", unit="plans", baseline=0, target_value=5),
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


def canada_sections(partners: Sequence[Any]) -> Sections:
    """The agreed sections of Canada's arrangement with the Americas (``partners``: the example's partners)."""
    by_country = {(p.country, p.type): p.name for p in partners}
    ircc, conare = by_country[("CAN", "state")], by_country[("BRA", "state")]
    chile, vicaria, unhcr = by_country[("CHL", "state")], by_country[("CHL", "NGO")], by_country[("PAN", "UNHCR")]
    return Sections(
        title="Memorandum of understanding on solidarity resettlement in the Americas under the Mexico Plan of "
              "Action between Canada, Brazil, Chile and their NGO and UNHCR partners",
        context="Brazil and Chile resettle refugees from the region in solidarity under the Mexico Plan of Action "
                "and want the case identification and integration support capacity to do more. Canada shares its "
                "experience from January 2024 to December 2027.",
        start=D(2024, 1, 15), end=D(2027, 12, 31),
        objectives=[
            Objective(text="Emerging resettlement states of the Americas name a resettlement focal point who takes "
                           "part in the quarterly network calls",
                      indicator="states with a focal point in the network", due="2026-Q4", owner=ircc,
                      kind="number", unit="states", baseline=3, target_value=8),
            Objective(text="Train 120 officials and NGO staff in case identification and integration support",
                      indicator="officials and NGO staff trained", due="2026-Q2", owner="Diego Rojas",
                      kind="number", unit="people", baseline=0, target_value=120),
            Objective(text="The emerging states pledge 300 solidarity resettlement places for refugees from the "
                           "region",
                      indicator="resettlement places pledged", due="2027-Q4", owner="Ana Souza",
                      kind="number", unit="places", baseline=0, target_value=300),
            Objective(text="Publish the integration practice notes in Spanish and Portuguese",
                      indicator="practice notes published in both languages", due="2026-06-30", owner=vicaria,
                      kind="milestone", target_date=D(2026, 6, 30)),
        ],
        outcomes="Annual regional seminar; a network of focal points meeting by teleconference each quarter; "
                 "integration practice notes in Spanish and Portuguese.",
        learning="Canada learns how emerging programmes integrate refugees with few public services; the "
                 "partners learn case identification and settlement planning from Canada.",
        roles=[
            Role(party=ircc, person="Marie Tremblay", responsibility="Overall coordination; chairs the quarterly "
                 "network calls; funds the seminars", overall=True),
            Role(party=conare, person="Ana Souza", responsibility="Gathers the states' resettlement pledges; hosts "
                 "the 2025 seminar"),
            Role(party=chile, person="Diego Rojas", responsibility="Runs the training on case identification"),
            Role(party=vicaria, person="Claudia Perez", responsibility="Writes the integration practice notes"),
            Role(party=unhcr, responsibility="Identifies the cases; advises on selection; hosts the network's list"),
        ],
        roles_note="States that name a focal point join the network calls by agreement of the partners.",
        activities=[
            Activity("Regional seminar, Panama", ircc, D(2024, 11, 18), D(2024, 11, 20), "Network of focal points "
                     "launched"),
            Activity("Quarterly calls of the focal points' network", ircc, D(2024, 3, 1), D(2027, 12, 15),
                     "Eight states with a focal point"),
            Activity("Training on case identification, Santiago", chile, D(2025, 5, 5), D(2025, 5, 9),
                     "Officials and NGO staff trained"),
            Activity("Regional seminar, Brasilia", conare, D(2025, 11, 17), D(2025, 11, 20), "Pledges of places"),
            Activity("Writing and translating the integration practice notes", vicaria, D(2026, 1, 12),
                     D(2026, 6, 30), "Practice notes in Spanish and Portuguese"),
            Activity("Final seminar and evaluation", ircc, D(2027, 10, 4), D(2027, 11, 30), "Final evaluation report"),
        ],
        monitoring="Each partner reports on the quarterly call what it did against the plan; IRCC keeps the plan "
                   "and the figures and reports them in Canada's quarterly return to the Twinning Register.",
        funding=Funding(source="National budget (IRCC)", amount=250_000, currency="CAD",
                        available_from=D(2024, 1, 15), available_until=D(2027, 12, 31), committed=True,
                        note="Canada covers the seminars and the training; partners cover their own staff time."),
        evaluation=Evaluation(
            milestones="A review at each annual seminar of the figures reported each quarter.",
            final="A final evaluation at the 2027 seminar with every partner's view and the lessons learned.",
            reporting="IRCC (Marie Tremblay) reports; the partners evaluate together.",
            dissemination="Each state presents the practice notes to its national resettlement working group.",
        ),
    )


def canada_agreed(examples: Sequence[Any]) -> tuple[Memorandum, Arrangement]:
    """The agreed MoU and the (new) Canada arrangement with the Americas it belongs to."""
    example = next(e for e in examples if e.arrangement.reporting_state == "CAN" and e.arrangement.status == "active")
    memo = Memorandum(id=version_id(1), version=1, status="agreed", agreed_on=D(2024, 1, 10))
    return memo.with_sections(canada_sections(example.partners)), example.arrangement
