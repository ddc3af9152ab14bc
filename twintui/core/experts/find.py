"""The inventory of expertise: who has experience of a resettlement area or activity type.

The guidelines want the register to become "an inventory on best practices and
expertise" that directs a state "towards appropriate partners depending on the
type of activity you wish to undertake". This module answers that from the
register: for a topic (an area or an activity type), the organisations and
states that led or took part in active or completed arrangements of it, how
often, how recently, their contact and the evidence (arrangement IDs).

Who counts: every partner of the arrangement, and the reporting state. A partner
of type "state" with a country is counted as that state (its ministries and
agencies together); any other partner is counted by its name. A partner of state
category "emerging" is not counted: it took part to learn, and the experience to
share is its teachers' (so is a reporting state whose own partner row says so).

Strength rule (documented in the README; ``RULE`` below is what ``--json`` prints)::

    strength = sum over its evidence arrangements of  role weight × recency weight
    role weight     2 when it led (partner role "lead", or the reporting state
                      with no partner row of its own saying otherwise), else 1
    recency weight  1    active, or ended within the last 2 years
                    0.5  ended 2 to 5 years ago
                    0.25 ended longer ago, or no date known

"Ended" is the end date (the start date when there is none). Ties go to the more
recent, then to more arrangements, then by name. Planned, suspended and
cancelled arrangements are not evidence, nor is one that starts after today
(whatever its status says): nothing was learned from them yet.

Pure Python on the stored documents (no pandas): ``experts`` answers in tens of
milliseconds on a 10,000-arrangement register, fast enough for a key press.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import Arrangement, Partner, coerce
from .topics import Topic, resolve

EVIDENCE_STATUSES = frozenset({"active", "completed"})
LEAD_WEIGHT, OTHER_WEIGHT = 2.0, 1.0
RECENT_YEARS, OLDER_YEARS = 2, 5
RECENT_WEIGHT, OLDER_WEIGHT, OLD_WEIGHT = 1.0, 0.5, 0.25
# Partners of this state category took part to learn: not experience to share.
LEARNER_CATEGORIES = frozenset({"emerging"})
RULE = ("strength = sum over evidence arrangements (active or completed, and started) of role weight x recency "
        "weight; emerging states (learners) are not counted; role: 2 led (role lead, or the reporting state), "
        "1 took part; recency: 1 active or ended within 2 years, 0.5 ended 2-5 years ago, 0.25 older or no date")


@dataclass(frozen=True, slots=True)
class Learned:
    arrangement: str
    best_practices: str
    lessons_learned: str


@dataclass
class Expert:
    """An organisation or state with experience of the topic(s), and the evidence for it."""

    key: str  # "state:NOR" or "org:<name in lower case>"
    name: str
    kind: str  # "state" or "organisation"
    type: str  # partner type (state, NGO, UNHCR, ...)
    country: str = ""
    strength: float = 0.0
    led: int = 0
    active: int = 0
    completed: int = 0
    latest: dt.date | None = None  # the most recent end (today for an active arrangement)
    ongoing: bool = False
    contact: str = ""
    partner_ref: str | None = None  # TW-XXX-NNNN/P-n of its partner row in the most recent evidence
    bodies: list[str] = field(default_factory=list)  # a state's ministries and agencies seen
    evidence: list[str] = field(default_factory=list)  # arrangement IDs, most recent first
    learned: list[Learned] = field(default_factory=list)  # up to three, most recent first
    topics: set[Topic] = field(default_factory=set)

    @property
    def arrangements(self) -> int:
        return len(self.evidence)

    @property
    def latest_text(self) -> str:
        if self.ongoing:
            return "ongoing"
        return self.latest.isoformat() if self.latest else "date unknown"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "kind": self.kind, "type": self.type, "country": self.country or None,
            "strength": self.strength, "arrangements": self.arrangements, "led": self.led,
            "active": self.active, "completed": self.completed,
            "latest": "ongoing" if self.ongoing else (self.latest.isoformat() if self.latest else None),
            "contact": self.contact or None, "partner_ref": self.partner_ref, "bodies": self.bodies,
            "evidence": self.evidence,
            "learned": [{"arrangement": item.arrangement, "best_practices": item.best_practices or None,
                         "lessons_learned": item.lessons_learned or None} for item in self.learned],
        }


@dataclass(frozen=True, slots=True)
class _Part:
    """One entity's part in one arrangement."""

    key: str
    name: str
    kind: str
    type: str
    country: str
    led: bool
    contact: str
    ref: str | None
    body: str


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def recency_weight(ended: dt.date | None, ongoing: bool, today: dt.date) -> float:
    if ongoing:
        return RECENT_WEIGHT
    if ended is None:
        return OLD_WEIGHT
    years = (today - ended).days / 365.25
    if years <= RECENT_YEARS:
        return RECENT_WEIGHT
    if years <= OLDER_YEARS:
        return OLDER_WEIGHT
    return OLD_WEIGHT


def is_evidence(doc: dict[str, Any], today: dt.date) -> bool:
    """Whether an arrangement shows experience: active or completed, and started by ``today``."""
    start = _date(doc.get("start"))
    return doc.get("status") in EVIDENCE_STATUSES and (start is None or start <= today)


def _parts(doc: dict[str, Any], partners: Iterable[dict[str, Any]]) -> list[_Part]:
    """Who shared experience in one arrangement, once each, with the strongest role they had (not the learners)."""
    found: dict[str, _Part] = {}
    learners: set[str] = set()
    for p in partners:
        name = " ".join(str(p.get("name") or "").split())
        country = p.get("country") or ""
        ptype = p.get("type") or "other"
        if ptype == "state" and country:
            key, shown, kind = f"state:{country}", country, "state"
        elif name:
            key, shown, kind = f"org:{name.casefold()}", name, "organisation"
        else:
            continue
        if p.get("state_category") in LEARNER_CATEGORIES:
            learners.add(key)
            continue
        part = _Part(key, shown, kind, ptype, country, p.get("role") == "lead", p.get("contact") or "",
                     f"{doc['id']}/{p.get('id')}", name)
        previous = found.get(key)
        if previous is None or (part.led and not previous.led):
            found[key] = part
    state = doc.get("reporting_state") or ""
    key = f"state:{state}"
    if state and key not in found and key not in learners:
        contact = ", ".join(x for x in (doc.get("contact_name"), doc.get("contact_email"), doc.get("contact_phone"))
                            if x)
        found[key] = _Part(key, state, "state", "state", state, True, contact, None, "")
    return [part for part in found.values() if part.key not in learners]


def find(store: Any, topics: Topic | Sequence[Topic], today: dt.date | None = None) -> list[Expert]:
    """Who has experience of every one of ``topics``, strongest first (see the module's rule)."""
    wanted = [topics] if isinstance(topics, Topic) else list(topics)
    today = today or dt.date.today()
    docs = [d for d in store.docs(Arrangement) if is_evidence(d, today) and any(t.of(d) for t in wanted)]
    if not docs:
        return []
    ids = {d["id"] for d in docs}
    partners: dict[str, list[dict[str, Any]]] = {}
    for p in store.docs(Partner):
        if p.get("arrangement") in ids:
            partners.setdefault(p["arrangement"], []).append(p)

    # Most recent first, so the first contact, reference and lessons seen are the latest.
    def recency(doc: dict[str, Any]) -> tuple[int, str, str]:
        ended = doc.get("end") or doc.get("start") or ""
        return (doc.get("status") == "active", ended, doc["id"])

    experts: dict[str, Expert] = {}
    for doc in sorted(docs, key=recency, reverse=True):
        ongoing = doc.get("status") == "active"
        ended = _date(doc.get("end")) or _date(doc.get("start"))
        weight = recency_weight(ended, ongoing, today)
        latest = today if ongoing else ended
        doc_topics = {t for t in wanted if t.of(doc)}
        for part in _parts(doc, sorted(partners.get(doc["id"], ()), key=lambda p: str(p.get("id")))):
            expert = experts.get(part.key)
            if expert is None:
                expert = experts[part.key] = Expert(part.key, part.name, part.kind, part.type, part.country)
            expert.strength += (LEAD_WEIGHT if part.led else OTHER_WEIGHT) * weight
            expert.led += part.led
            expert.active += ongoing
            expert.completed += not ongoing
            expert.evidence.append(doc["id"])
            expert.topics |= doc_topics
            if latest is not None and (expert.latest is None or latest > expert.latest):
                expert.latest, expert.ongoing = latest, ongoing
            expert.ongoing = expert.ongoing or ongoing
            if not expert.contact and part.contact:
                expert.contact = part.contact
            if expert.partner_ref is None and part.ref:
                expert.partner_ref = part.ref
            if part.body and part.body not in expert.bodies and part.kind == "state":
                expert.bodies.append(part.body)
            if not expert.country and part.country:
                expert.country = part.country
            practice, lesson = doc.get("best_practices") or "", doc.get("lessons_learned") or ""
            if (practice or lesson) and len(expert.learned) < 3:
                expert.learned.append(Learned(doc["id"], practice, lesson))
    found = [e for e in experts.values() if len(e.topics) == len(wanted)]
    names = _country_names({e.country for e in found if e.kind == "state"})
    for expert in found:
        expert.strength = round(expert.strength, 2)
        if expert.kind == "state":
            expert.name = names.get(expert.country, expert.country)
    found.sort(key=lambda e: (-e.strength, -(e.latest or dt.date.min).toordinal(), -e.arrangements,
                              e.name.casefold()))
    return found


def _country_names(codes: Iterable[str]) -> dict[str, str]:
    return {code: coerce.country_name(code) for code in codes}


def experts(store: Any, terms: str | Sequence[str], today: dt.date | None = None) -> tuple[list[Topic], list[Expert]]:
    """Resolve the user's terms (``UnknownTopic`` if one names nothing) and find who has experience of all."""
    topics: list[Topic] = []
    for term in [terms] if isinstance(terms, str) else terms:
        topic = resolve(term)
        if topic not in topics:
            topics.append(topic)
    return topics, find(store, topics, today)
