"""For the compare screen's "suggest candidates": the inventory's experts on a gap's topics, as
candidates not yet in the comparison."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .find import Expert, find
from .topics import ALL_TOPICS, Topic, folded, topics_named


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
    excluded = {folded(x) for x in exclude if x}
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
        if {folded(expert.name), folded(expert.country), folded(expert.partner_ref or "")} & excluded:
            continue
        if any(folded(body) in excluded for body in expert.bodies):
            continue
        out.append(Suggestion(expert.name, expert.partner_ref, expert.country, list(expert.evidence),
                              expert.strength, expert.kind, expert.latest_text,
                              tuple(t for t in ALL_TOPICS if t in expert.topics)))
        if limit and len(out) >= limit:
            break
    return out
