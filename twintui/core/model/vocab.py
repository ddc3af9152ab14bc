"""The guidelines' vocabularies, defined once.

The model validates against these tuples, the workbook turns them into its
Lists sheet and drop-downs, and the screens offer them in selection lists.
Values are stored exactly as written here (lower case, the guidelines' words).
"""

from __future__ import annotations

STATUSES: tuple[str, ...] = ("planned", "active", "completed", "suspended", "cancelled")

ACTIVITY_TYPES: tuple[str, ...] = (
    "visit",
    "staff exchange",
    "shadowing a selection mission",
    "training or skill-sharing event",
    "seminar",
    "secondment",
    "mentoring and shadowing",
    "assistance preparing documents for national government",
    "assistance preparing policy documents",
    "assistance sourcing funds",
    "pre-departure cultural orientation",
    "post-arrival orientation",
    "sharing integration support practice",
    "sharing housing practice",
    "virtual networking",
)

AREAS: tuple[str, ...] = (
    "advocacy and public support",
    "case identification and selection",
    "selection missions",
    "dossier processing",
    "pre-departure and cultural orientation",
    "arrival and reception",
    "settlement and integration support",
    "housing",
    "policy and legislation",
    "funding and programme capacity",
)

PARTNER_TYPES: tuple[str, ...] = (
    "state",
    "NGO",
    "service provider",
    "international organisation",
    "UNHCR",
    "IOM",
    "other",
)

PARTNER_ROLES: tuple[str, ...] = ("lead", "partner", "facilitator", "funder")

STATE_CATEGORIES: tuple[str, ...] = ("established", "emerging", "observer")

RISK_CATEGORIES: tuple[str, ...] = (
    "budget",
    "communication",
    "roles and responsibilities",
    "staffing",
    "political",
    "funding",
    "security",
    "other",
)

RISK_TREATMENTS: tuple[str, ...] = ("treat", "tolerate", "transfer", "terminate")

RISK_STATUSES: tuple[str, ...] = ("open", "closed")

# Likelihood x impact score bands (SPEC §2): the upper bound of each band.
RISK_BANDS: tuple[tuple[str, int], ...] = (
    ("low", 3),
    ("medium", 6),
    ("high", 12),
    ("critical", 25),
)

MOU_STATUSES: tuple[str, ...] = ("draft", "agreed", "signed")

# How an MoU objective's indicator is measured: in words (free text, as every indicator was before
# there were kinds), a number counted from a baseline to a target, or a milestone done by its date.
INDICATOR_KINDS: tuple[str, ...] = ("text", "number", "milestone")

# What a quarter's return says of each objective, and of each activity of the implementation plan.
OBJECTIVE_STATUSES: tuple[str, ...] = ("on track", "delayed", "achieved", "dropped")
ACTIVITY_STATES: tuple[str, ...] = ("not started", "in progress", "done", "dropped")

# The ten factors for choosing a partner, in the guidelines' order.
DEFAULT_FACTORS: tuple[str, ...] = (
    "Geopolitical and socioeconomic considerations",
    "Similarity of asylum system",
    "Size and structure of the resettlement programme",
    "Policy and procedures (dossier or mission based selection)",
    "Interest in specific refugee populations",
    "Funding for the twinning activity",
    "Role of NGOs and service providers",
    "Initial reception and orientation arrangements",
    "Integration arrangements",
    "Successful cooperation in other areas",
)

# Words that show an objective aims at resettlement capacity; a "familiarisation
# mission" whose objectives name none of them is not twinning on its own.
CAPACITY_TERMS: tuple[str, ...] = (
    "resettlement",
    "capacity",
    "programme",
    "program",
    "selection",
    "integration",
    "reception",
    "orientation",
    "policy",
    "procedure",
    "process",
    "quota",
    "dossier",
    "settlement",
    "housing",
)


def band_for(score: int) -> str:
    """The band of a likelihood x impact score (1-25)."""
    for name, upper in RISK_BANDS:
        if score <= upper:
            return name
    return RISK_BANDS[-1][0]


def canonical(value: str, vocabulary: tuple[str, ...]) -> str | None:
    """The vocabulary entry matching ``value`` ignoring case and spacing, or None."""
    wanted = " ".join(value.split()).casefold()
    for entry in vocabulary:
        if entry.casefold() == wanted:
            return entry
    return None
