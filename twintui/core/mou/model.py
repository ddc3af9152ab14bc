"""The memorandum of understanding: its nine sections and its versions as stored records.

A ``Memorandum`` record is one *version* of an arrangement's MoU (id ``MOU-<n>``,
n = version number, key ``TW-NOR-0001/MOU-2``). Sections 2 to 8 are kept as one
data field each, so the audit log and the conflict screen say which section
changed; section 1 (partners) and section 9 (risks) come from the arrangement's
Partner and Risk records, copied into ``frozen`` when a version is signed so a
signed document never changes afterwards.

The typed view of the sections is ``Sections`` (with ``Objective``, ``Role``,
``Activity``, ``Funding`` and ``Evaluation``, from ``parts``); ``Memorandum.sections()`` and
``Memorandum.with_sections()`` convert between it and the stored JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar

from ..model import Field, Problem, Record, coerce, vocab
from .dates import date_or_none, iso
from .parts import (
    INDICATOR_KINDS,
    Activity,
    Evaluation,
    Funding,
    Objective,
    Role,
    activity_from,
    figure,
    number_or_none,
    objective_from,
    role_from,
    to_doc,
)

__all__ = [
    "INDICATOR_KINDS", "SECTION_FIELDS", "SECTION_TITLES", "STATUSES", "Activity", "Evaluation", "Funding",
    "Memorandum", "Objective", "Role", "SectionField", "Sections", "figure", "version_id", "where",
]

STATUSES: tuple[str, ...] = vocab.MOU_STATUSES  # draft, agreed, signed

# The guidelines' nine sections, by number.
SECTION_TITLES: dict[int, str] = {
    1: "Title and partners",
    2: "Introduction",
    3: "Aims and objectives",
    4: "Roles and responsibilities",
    5: "Implementation plan",
    6: "Monitoring plan",
    7: "Funding arrangements",
    8: "Review and evaluation",
    9: "Risks",
}


def where(number: int, detail: str = "") -> str:
    """'3 Aims and objectives' or '3 Aims and objectives (objective 2)': where an answer lives."""
    return f"{number} {SECTION_TITLES[number]}" + (f" ({detail})" if detail else "")


def version_id(version: int) -> str:
    return f"MOU-{version}"


def _text(value: Any) -> str:
    return coerce.text(value)


@dataclass
class Sections:
    """Sections 1-8 as the partners write them (section 9 is the risk register)."""

    title: str = ""  # 1: "General agreement for cooperation and exchange between ..."
    context: str = ""  # 2
    start: dt.date | None = None  # 2: the MoU period (the activity's duration)
    end: dt.date | None = None
    objectives: list[Objective] = field(default_factory=list)  # 3
    outcomes: str = ""  # 3: what the partners expect to deliver
    learning: str = ""  # 3: reciprocal learning, what each side expects to gain
    roles: list[Role] = field(default_factory=list)  # 4
    roles_note: str = ""  # 4: how roles are assigned; partners drawn in later
    activities: list[Activity] = field(default_factory=list)  # 5
    monitoring: str = ""  # 6
    funding: Funding = field(default_factory=Funding)  # 7
    evaluation: Evaluation = field(default_factory=Evaluation)  # 8

    def copy(self) -> Sections:
        return Sections.from_fields(self.to_fields())

    # -- the record's fields -------------------------------------------------
    def to_fields(self) -> dict[str, Any]:
        """The Memorandum fields holding these sections (JSON values)."""
        return {
            "title": self.title,
            "introduction": {"context": self.context, "start": iso(self.start), "end": iso(self.end)},
            "objectives": {"objectives": [to_doc(o) for o in self.objectives], "outcomes": self.outcomes,
                           "learning": self.learning},
            "roles": {"roles": [to_doc(r) for r in self.roles], "note": self.roles_note},
            "plan": {"activities": [to_doc(a) for a in self.activities]},
            "monitoring": self.monitoring,
            "funding": to_doc(self.funding),
            "evaluation": to_doc(self.evaluation),
        }

    @classmethod
    def from_fields(cls, values: dict[str, Any]) -> Sections:
        def part(name: str) -> dict[str, Any]:
            value = values.get(name)
            return value if isinstance(value, dict) else {}

        intro, aims, roles, plan = part("introduction"), part("objectives"), part("roles"), part("plan")
        money, review = part("funding"), part("evaluation")
        committed = money.get("committed")
        return cls(
            title=_text(values.get("title")),
            context=_text(intro.get("context")),
            start=date_or_none(intro.get("start")),
            end=date_or_none(intro.get("end")),
            objectives=[objective_from(o) for o in aims.get("objectives") or []],
            outcomes=_text(aims.get("outcomes")),
            learning=_text(aims.get("learning")),
            roles=[role_from(r) for r in roles.get("roles") or []],
            roles_note=_text(roles.get("note")),
            activities=[activity_from(a) for a in plan.get("activities") or []],
            monitoring=_text(values.get("monitoring")),
            funding=Funding(
                source=_text(money.get("source")), amount=number_or_none(money.get("amount")),
                currency=_text(money.get("currency")), total_cost=number_or_none(money.get("total_cost")),
                available_from=date_or_none(money.get("available_from")),
                available_until=date_or_none(money.get("available_until")),
                committed=None if committed is None else bool(committed), note=_text(money.get("note")),
            ),
            evaluation=Evaluation(**{f.name: _text(review.get(f.name)) for f in fields(Evaluation)}),
        )

    # -- questions the checks ask ---------------------------------------------
    def role_names(self) -> list[str]:
        """Every partner and person named in section 4."""
        names = []
        for role in self.roles:
            names += [n for n in (role.party, role.person) if n.strip()]
        return names


# -- how a section reads in one line (the conflict screen, the audit log) --------
def _summary(name: str, value: Any) -> str:
    if value in (None, "", {}, []):
        return ""
    if not isinstance(value, dict):
        return coerce.text(value)
    if name == "frozen":
        partners = [str(p.get("name", "")) for p in value.get("partners") or [] if isinstance(p, dict)]
        risks = [str(r.get("id", "")) for r in value.get("risks") or [] if isinstance(r, dict)]
        return f"partners: {', '.join(partners) or 'none'}; risks: {', '.join(risks) or 'none'}"
    sections = Sections.from_fields({name: value})
    if name == "introduction":
        period = " to ".join(x for x in (iso(sections.start), iso(sections.end)) if x)
        return "; ".join(x for x in (period and f"period {period}", sections.context) if x)
    if name == "objectives":
        items = [f"{n}. {o.text}" + (f" [indicator {o.indicator}; target {o.target_text()}; due {o.due}; "
                                       f"owner {o.owner}]" if (o.indicator or o.target_text() or o.due or o.owner)
                                      else "")
                 for n, o in enumerate(sections.objectives, 1)]
        extra = [x for x in (sections.outcomes and f"outcomes: {sections.outcomes}",
                             sections.learning and f"learning: {sections.learning}") if x]
        return "; ".join(items + extra)
    if name == "roles":
        items = [f"{r.party}{' / ' + r.person if r.person else ''}: {r.responsibility}"
                 + (" (overall)" if r.overall else "") for r in sections.roles]
        return "; ".join(items + ([f"note: {sections.roles_note}"] if sections.roles_note else []))
    if name == "plan":
        return "; ".join(f"{a.what} ({a.who}, {iso(a.start) or '?'} to {iso(a.end) or '?'})"
                         for a in sections.activities)
    if name == "funding":
        f = sections.funding
        period = " to ".join(x for x in (iso(f.available_from), iso(f.available_until)) if x)
        return "; ".join(x for x in (f.source, f.amount_text(), period and f"available {period}", f.note) if x)
    if name == "evaluation":
        e = sections.evaluation
        return "; ".join(f"{Evaluation.LABELS[k]}: {v}" for k, v in asdict(e).items() if v)
    return coerce.text(value)


@dataclass(frozen=True, slots=True)
class SectionField(Field):
    """A section kept as JSON, shown as readable text (conflict screen, documents)."""

    def display(self, value: Any) -> str:
        return _summary(self.name, value)


SECTION_FIELDS: tuple[str, ...] = ("title", "introduction", "objectives", "roles", "plan", "monitoring",
                                   "funding", "evaluation")


@dataclass(kw_only=True)
class Memorandum(Record):
    """One version of an arrangement's memorandum of understanding."""

    TABLE: ClassVar[str] = "memoranda"
    PARENT: ClassVar[str | None] = "arrangement"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("arrangement", "Record ID", "#meta+id", required=True),
        Field("version", "Version", "#meta+version", "whole", minimum=1, required=True),
        Field("status", "MoU status", "#status+mou", "choice", STATUSES, required=True,
              help="draft, then agreed by the partners, then signed (a signed version is frozen)"),
        Field("based_on", "Based on version", "#meta+basis", "whole", minimum=1),
        Field("title", "1 Title", "#activity+name+mou", max_length=300,
              help="e.g. General agreement for cooperation and exchange between ..."),
        SectionField("introduction", "2 Introduction", "#description+introduction", "data"),
        SectionField("objectives", "3 Aims and objectives", "#description+objectives", "data"),
        SectionField("roles", "4 Roles and responsibilities", "#description+roles", "data"),
        SectionField("plan", "5 Implementation plan", "#description+plan", "data"),
        Field("monitoring", "6 Monitoring plan", "#description+monitoring"),
        SectionField("funding", "7 Funding arrangements", "#description+funding", "data"),
        SectionField("evaluation", "8 Review and evaluation", "#description+evaluation", "data"),
        Field("agreed_on", "Agreed on", "#date+agreed", "date"),
        Field("signed_on", "Signed on", "#date+signed", "date"),
        # Section 1's partners, section 9's risks and the arrangement as they were at signing.
        SectionField("frozen", "Signed content", "#meta+frozen", "data"),
    )

    arrangement: str = ""
    version: int = 1
    status: str = "draft"
    based_on: int | None = None
    title: str = ""
    introduction: dict[str, Any] | None = None
    objectives: dict[str, Any] | None = None
    roles: dict[str, Any] | None = None
    plan: dict[str, Any] | None = None
    monitoring: str = ""
    funding: dict[str, Any] | None = None
    evaluation: dict[str, Any] | None = None
    agreed_on: dt.date | None = None
    signed_on: dt.date | None = None
    frozen: dict[str, Any] | None = None

    @property
    def is_frozen(self) -> bool:
        return self.status == "signed"

    @property
    def label(self) -> str:
        """'version 2 (draft)'."""
        return f"version {self.version} ({self.status})"

    def sections(self) -> Sections:
        return Sections.from_fields({name: getattr(self, name) for name in SECTION_FIELDS})

    def with_sections(self, sections: Sections) -> Memorandum:
        return self.replace(**sections.to_fields())

    def same_sections(self, sections: Sections) -> bool:
        """Whether ``sections`` says what this version says (what "unsaved" means)."""
        return self.sections().to_fields() == sections.to_fields()

    def problems(self) -> list[Problem]:
        """Field rules plus the shape of the sections: what the store checks before every save."""
        problems = super().problems()
        if self.id and self.id != version_id(self.version):
            problems.append(Problem("version", self.version, f"version {self.version} must have the id "
                                                              f"{version_id(self.version)}, not {self.id}"))
        for name in SECTION_FIELDS:
            value = getattr(self, name)
            if value is not None and name not in ("title", "monitoring") and not isinstance(value, dict):
                problems.append(Problem(name, value, f"{name} must be a JSON object"))
        aims = self.objectives.get("objectives") if isinstance(self.objectives, dict) else None
        for number, item in enumerate(aims if isinstance(aims, list) else [], 1):
            kind = item.get("kind", "text") if isinstance(item, dict) else "text"
            if kind not in INDICATOR_KINDS:
                problems.append(Problem("objectives", kind, f"objective {number}: the indicator kind {kind!r} is "
                                                            f"not one of {', '.join(INDICATOR_KINDS)}"))
        sections = self.sections()
        if sections.start and sections.end and sections.end < sections.start:
            problems.append(Problem("introduction", iso(sections.end),
                                    f"the MoU ends ({sections.end}) before it starts ({sections.start})"))
        if self.status == "signed" and self.signed_on is None:
            problems.append(Problem("signed_on", None, "a signed version needs the date it was signed", "warning"))
        return problems
