"""Synthetic arrangements of the examples' shape, for ``demo --size N``.

Seeded, so ``demo --size N`` gives the same register on every machine (tests and benchmarks
rely on that).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from ..model import Arrangement, Partner, Risk, vocab
from .examples import Example

_STATES = ("ARG", "AUS", "BEL", "BRA", "CAN", "CHL", "CZE", "DEU", "DNK", "ESP", "FIN", "FRA", "GBR", "IRL",
           "ISL", "ITA", "JPN", "KOR", "NLD", "NOR", "NZL", "PRT", "PRY", "ROU", "SWE", "URY", "USA")
_ORGS = ("Refugee Council", "Resettlement Agency", "Migration Board", "Integration Service", "Red Cross",
         "Caritas", "Reception Centre Network", "Municipal Association")
_FIRST = ("Anna", "Lars", "Maria", "Tomas", "Sofia", "Jonas", "Elena", "Pedro", "Akiko", "Omar", "Leila", "Jan")
_LAST = ("Berg", "Costa", "Novak", "Silva", "Tanaka", "Haddad", "Murphy", "Larsen", "Moreau", "Rossi")
_PRACTICES = (
    "Joint interview notes on missions made selection decisions consistent.",
    "Volunteer mentors met each family in its first week.",
    "A shared calendar of milestones kept both ministries on track.",
    "Orientation sessions given by former refugees were the most valued.",
    "Teleconferences every month kept the partnership alive at low cost.",
    "Municipal staff shadowed reception colleagues for a full week.",
)
_LESSONS = (
    "Budget interpretation from the start.",
    "Agree indicators before the first activity, not after.",
    "Involve municipalities early; they deliver the integration.",
    "Staff turnover needs written procedures, not only training.",
    "Plan the dissemination of what was learned nationally.",
    "Funding calls need co-financing pledged before the application.",
)


TODAY = dt.date(2026, 11, 1)  # the demo's pinned today: its dates are set from it, never from the clock


def synthetic(count: int, seed: int = 2009, today: dt.date | None = None) -> Iterator[Example]:
    """``count`` arrangements of the same shape as the examples, the same on every run."""
    rng = random.Random(seed)
    today = today or TODAY
    for number in range(count):
        state = rng.choice(_STATES)
        partner_state = rng.choice([s for s in _STATES if s != state])
        activities = sorted(rng.sample(vocab.ACTIVITY_TYPES, rng.randint(1, 3)), key=vocab.ACTIVITY_TYPES.index)
        areas = sorted(rng.sample(vocab.AREAS, rng.randint(1, 3)), key=vocab.AREAS.index)
        start = today - dt.timedelta(days=rng.randint(-180, 3000))
        end = start + dt.timedelta(days=rng.randint(30, 900))
        status = ("completed" if end < today else "planned" if start > today
                  else rng.choice(("active", "active", "active", "suspended")))
        if rng.random() < 0.03:
            status = "cancelled"
        person = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        reported = today - dt.timedelta(days=rng.choice((20, 20, 100, 100, 200, 400)))
        arrangement = Arrangement(
            reporting_state=state,
            title=f"{activities[0].capitalize()} on {areas[0]} with {partner_state} ({number + 1})",
            status=status,
            activity_types=activities,
            areas=areas,
            learning_gap=f"Strengthen {areas[0]} capacity within {rng.choice((12, 18, 24))} months.",
            objectives=f"Improve {areas[-1]} in the resettlement programme: "
                       f"{rng.randint(2, 40)} staff trained by {end.isoformat()}.",
            outcomes=f"{rng.randint(1, 5)} procedures written; a practice note shared nationally.",
            start=start, end=end, virtual=rng.random() < 0.2,
            funding_source=rng.choice(("national budget", "ERF Community Action", "UNHCR", "private foundation")),
            funding_amount=float(rng.randrange(5, 900) * 1000), currency=rng.choice(("EUR", "USD", "NOK", "SEK")),
            best_practices=rng.choice(_PRACTICES),
            lessons_learned=rng.choice(_LESSONS),
            contact_name=person,
            contact_email=f"{person.lower().replace(' ', '.')}@{state.lower()}.example.org",
            contact_phone=f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            reported_quarter=f"{reported.year}-Q{(reported.month - 1) // 3 + 1}",
        )
        partners = [
            Partner(name=f"{state} {rng.choice(_ORGS)}", type="state", country=state, role="lead",
                    state_category=rng.choice(vocab.STATE_CATEGORIES), address=f"{state} capital",
                    contact=person),
            Partner(name=f"{partner_state} {rng.choice(_ORGS)}", type=rng.choice(("state", "NGO", "service provider")),
                    country=partner_state, role="partner", address=f"{partner_state} capital",
                    contact=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"),
        ]
        if partners[1].type == "state":
            partners[1].state_category = rng.choice(vocab.STATE_CATEGORIES)
        if rng.random() < 0.4:
            partners.append(Partner(name="UNHCR", type="UNHCR", role="facilitator", contact="resettlement unit"))
        risks = []
        for _ in range(rng.randint(0, 3)):
            likelihood, impact = rng.randint(1, 5), rng.randint(1, 5)
            risks.append(Risk(
                description=rng.choice(("Budget cut", "Poor communication", "Unclear roles", "Staff turnover",
                                        "Change of government", "Funding call rejected")),
                category=rng.choice(vocab.RISK_CATEGORIES), likelihood=likelihood, impact=impact,
                residual_likelihood=max(1, likelihood - 1), residual_impact=impact,
                treatment=rng.choice(vocab.RISK_TREATMENTS), mitigation="Named owner reviews monthly",
                owner=person, status="open" if status in ("active", "planned") else "closed",
                next_review=today + dt.timedelta(days=rng.randint(-120, 240)),
            ))
        yield Example(arrangement, partners, risks)
