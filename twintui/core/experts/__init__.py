"""The inventory of expertise: who has experience of a resettlement area or activity type.

``topics`` reads what is asked, ``find`` ranks the organisations and states with their evidence
(its docstring holds the strength rule), ``suggest`` turns them into candidates for a comparison.
"""

from .find import (
    EVIDENCE_STATUSES,
    LEARNER_CATEGORIES,
    RULE,
    Expert,
    Learned,
    experts,
    find,
    is_evidence,
    recency_weight,
)
from .suggest import GapSuggestions, Suggestion, suggest_candidates, suggest_for_gap
from .topics import (
    KINDS,
    QUALIFIERS,
    Topic,
    UnknownTopic,
    resolve,
    topics_in,
    topics_named,
)

__all__ = [
    "EVIDENCE_STATUSES", "KINDS", "LEARNER_CATEGORIES", "QUALIFIERS", "RULE", "Expert", "GapSuggestions", "Learned",
    "Suggestion", "Topic", "UnknownTopic", "experts", "find", "is_evidence", "recency_weight", "resolve",
    "suggest_candidates", "suggest_for_gap", "topics_in", "topics_named",
]
