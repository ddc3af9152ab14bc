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
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import TwintuiError
from .model import Arrangement, Partner, coerce, vocab

EVIDENCE_STATUSES = frozenset({"active", "completed"})
LEAD_WEIGHT, OTHER_WEIGHT = 2.0, 1.0
RECENT_YEARS, OLDER_YEARS = 2, 5
RECENT_WEIGHT, OLDER_WEIGHT, OLD_WEIGHT = 1.0, 0.5, 0.25
# Partners of this state category took part to learn: not experience to share.
LEARNER_CATEGORIES = frozenset({"emerging"})
RULE = ("strength = sum over evidence arrangements (active or completed, and started) of role weight x recency "
        "weight; emerging states (learners) are not counted; role: 2 led (role lead, or the reporting state), "
        "1 took part; recency: 1 active or ended within 2 years, 0.5 ended 2-5 years ago, 0.25 older or no date")

KINDS = {"area": vocab.AREAS, "activity type": vocab.ACTIVITY_TYPES}
# What a user may put before a term to say which vocabulary it is from.
QUALIFIERS = {"area": "area", "areas": "area", "activity": "activity type", "activity type": "activity type",
              "type": "activity type"}


class UnknownTopic(TwintuiError):
    """A term that names no area or activity type (or several): exit code 1, with close matches."""

    exit_code = 1

    def __init__(self, message: str, matches: Sequence[Topic] = ()):
        super().__init__(message)
        self.matches = list(matches)


@dataclass(frozen=True, slots=True, order=True)
class Topic:
    """A resettlement area or an activity type, as the vocabulary writes it."""

    kind: str  # "area" or "activity type"
    name: str

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    def of(self, doc: dict[str, Any]) -> bool:
        """Whether an arrangement document is tagged with this topic."""
        return self.name in (doc.get("areas" if self.kind == "area" else "activity_types") or ())


ALL_TOPICS: tuple[Topic, ...] = tuple(Topic(kind, name) for kind, names in KINDS.items() for name in names)


def _norm(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


def resolve(term: str) -> Topic:
    """The topic a user means: exact name, else the only prefix, else the only fragment (case aside).

    ``area:housing`` or ``activity:pre-departure`` picks the vocabulary when a
    fragment is in both. Raises ``UnknownTopic`` naming the close or several matches.
    """
    raw = _norm(term)
    topics = ALL_TOPICS
    if ":" in raw:
        qualifier, _, rest = raw.partition(":")
        if qualifier.strip() in QUALIFIERS:
            kind = QUALIFIERS[qualifier.strip()]
            topics = tuple(t for t in ALL_TOPICS if t.kind == kind)
            raw = rest.strip()
    if not raw:
        raise UnknownTopic("say which area or activity type, e.g. 'selection missions' or 'staff exchange'")
    for rule in (lambda name: name == raw, lambda name: name.startswith(raw), lambda name: raw in name):
        found = [t for t in topics if rule(t.name.casefold())]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listed = "; ".join(str(t) for t in found)
            raise UnknownTopic(f"'{term}' matches several: {listed}. Write more of it, or prefix it with "
                               "'area:' or 'activity:'", found)
    close = _close(raw, topics)
    hint = f"; did you mean: {'; '.join(str(t) for t in close)}?" if close else \
        "; the areas and activity types are listed in twintui experts --help"
    raise UnknownTopic(f"'{term}' is not a resettlement area or activity type{hint}", close)


def _close(raw: str, topics: Sequence[Topic]) -> list[Topic]:
    """Topics spelled like ``raw``, or sharing a word with it."""
    names = {t.name.casefold(): t for t in topics}
    close = [names[n] for n in difflib.get_close_matches(raw, list(names), n=4, cutoff=0.6)]
    words = {w for w in raw.replace("-", " ").split() if len(w) > 3}
    for topic in topics:
        topic_words = topic.name.casefold().replace("-", " ").split()
        if topic not in close and any(difflib.get_close_matches(w, topic_words, n=1, cutoff=0.8) for w in words):
            close.append(topic)
    return close[:6]


def topics_named(text: str) -> list[Topic]:
    """What a term or a learning gap is about: the one topic a term resolves to, else every topic the text
    names (``topics_in``); none when it names no area or activity type."""
    try:
        return [resolve(text)]
    except UnknownTopic:
        return topics_in(text)


def topics_in(text: str) -> list[Topic]:
    """The areas and activity types a free text names (a comparison's learning gap), in vocabulary order.

    Whole names are found first; "selection missions" in the text does not also
    yield the activity type "shadowing a selection mission".
    """
    haystack = _norm(text)
    return [t for t in ALL_TOPICS if t.name.casefold() in haystack]


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


# -- for the compare screen's "suggest candidates" ----------------------------------------------
@dataclass(frozen=True, slots=True)
class Suggestion:
    """A candidate partner proposed from the inventory, with the evidence for it."""

    name: str  # the candidate name: the country's name for a state, else the organisation's
    partner_ref: str | None  # TW-XXX-NNNN/P-n, or None (a reporting state with no partner row)
    country: str
    evidence: list[str]  # arrangement IDs, most recent first
    strength: float
    kind: str = "state"
    latest: str = ""
    topics: tuple[Topic, ...] = ()  # those of the comparison's gap it has experience of, in vocabulary order

    @property
    def label(self) -> str:
        shown = f"{self.evidence[0]}, +{len(self.evidence) - 1}" if len(self.evidence) > 1 else self.evidence[0]
        return f"{self.name} · strength {self.strength:g} · {shown}"


def suggest_candidates(store: Any, area_or_activity: str | Topic | Sequence[Topic],
                       exclude: Iterable[str] = (), today: dt.date | None = None,
                       limit: int | None = 10) -> list[Suggestion]:
    """Candidates for a comparison, strongest first, leaving out ``exclude`` (names or partner refs).

    ``area_or_activity`` is a topic, several topics (experience of all), a term as
    typed on the command line, or free text such as the comparison's learning gap:
    a text naming no topic as a term is searched for the topics it mentions and the
    experts of any of them are merged. Nothing found gives an empty list.
    """
    if isinstance(area_or_activity, Topic):
        groups = [[area_or_activity]]
    elif not isinstance(area_or_activity, str):
        groups = [list(area_or_activity)]
    else:
        groups = [[t] for t in topics_named(area_or_activity)]
    return _suggest(store, groups, exclude, today, limit)


@dataclass(frozen=True)
class GapSuggestions:
    """What a comparison's learning gap is about, and who has experience of it."""

    topics: list[Topic]  # those the gap names (none: it names no area or activity type)
    suggestions: list[Suggestion]


def suggest_for_gap(store: Any, gap: str, exclude: Iterable[str] = (), today: dt.date | None = None,
                    limit: int | None = 10) -> GapSuggestions:
    """``suggest_candidates`` for a learning gap, with the topics it matched (the heading of the answer)."""
    topics = topics_named(gap)
    return GapSuggestions(topics, _suggest(store, [[t] for t in topics], exclude, today, limit))


def _suggest(store: Any, groups: list[list[Topic]], exclude: Iterable[str], today: dt.date | None,
             limit: int | None) -> list[Suggestion]:
    """The experts of any group (each: experience of all its topics), merged, strongest first."""
    excluded = {_norm(x) for x in exclude if x}
    merged: dict[str, Expert] = {}
    for group in groups:
        for expert in find(store, group, today):
            seen = merged.get(expert.key)
            if seen is None:
                merged[expert.key] = expert
                continue
            # The same partner for two topics of the gap: add the strength of evidence not yet counted.
            seen.topics |= expert.topics
            extra = [a for a in expert.evidence if a not in seen.evidence]
            if extra:
                share = expert.strength * len(extra) / len(expert.evidence)
                seen.strength = round(seen.strength + share, 2)
                seen.evidence = sorted(set(seen.evidence) | set(extra), key=[*seen.evidence, *extra].index)
    out = []
    for expert in sorted(merged.values(), key=lambda e: (-e.strength, e.name.casefold())):
        if {_norm(expert.name), _norm(expert.country), _norm(expert.partner_ref or "")} & excluded:
            continue
        if any(_norm(body) in excluded for body in expert.bodies):
            continue
        out.append(Suggestion(expert.name, expert.partner_ref, expert.country, list(expert.evidence),
                              expert.strength, expert.kind, expert.latest_text,
                              tuple(t for t in ALL_TOPICS if t in expert.topics)))
        if limit and len(out) >= limit:
            break
    return out
