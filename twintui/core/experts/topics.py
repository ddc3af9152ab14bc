"""What a user asks the inventory about: a topic, a resettlement area or an activity type (vocab),
named in full, by a qualifier ("area: health"), or close enough (difflib) to say what was meant."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import TwintuiError
from ..model import vocab

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


def folded(text: str) -> str:
    """The words of ``text``, case and spacing aside (underscores are spaces): how topics and names are matched."""
    return " ".join(text.replace("_", " ").split()).casefold()


def resolve(term: str) -> Topic:
    """The topic a user means: exact name, else the only prefix, else the only fragment (case aside).

    ``area:housing`` or ``activity:pre-departure`` picks the vocabulary when a
    fragment is in both. Raises ``UnknownTopic`` naming the close or several matches.
    """
    raw = folded(term)
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
    haystack = folded(text)
    return [t for t in ALL_TOPICS if t.name.casefold() in haystack]
