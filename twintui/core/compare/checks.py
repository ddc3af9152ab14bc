"""What a comparison's values may be: the score, weight and minimum ranges, and when two names clash.

The model's edit methods raise with the ``check_*`` functions; ``validate`` collects
what they find in data from outside. The screens ask the ``parse_*`` and ``*_problem``
functions about what a user typed, so a form says what the model would refuse,
in the same words, before anything is changed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from ..text import name_key

MIN_SCORE = 0
MAX_SCORE = 5
MIN_WEIGHT = 0.0
MAX_WEIGHT = 5.0
DEFAULT_WEIGHT = 3
# A comparison's name, at most (the record's field keeps to it too).
NAME_LENGTH = 200
# The ranges as the forms and messages say them ("Weight (0 to 5)").
SCORE_RANGE = f"{MIN_SCORE} to {MAX_SCORE}"
WEIGHT_RANGE = f"{MIN_WEIGHT:g} to {MAX_WEIGHT:g}"
# A comparison's details, as its forms ask them.
DETAILS = ("name", "organisation", "learning_gap", "end_goal")


def tidy_name(text: str) -> str:
    """A name as typed, as it is kept and compared: no spaces at the ends, a run of spaces one space."""
    return " ".join(text.split())


def tidy_details(values: Mapping[str, str]) -> dict[str, str]:
    """A comparison's details as typed in a form, as they are kept: the name tidied, the rest stripped."""
    return {key: tidy_name(values[key]) if key == "name" else values[key].strip() for key in DETAILS}


def check_name(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} name must be non-empty text, got {value!r}")
    return value.strip()


def check_score(value: Any) -> int | None:
    """A score is a whole number 0..5, or None for unknown."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"score must be a whole number from 0 to 5 or unknown, got {value!r}")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"score must be a whole number from 0 to 5 or unknown, got {value!r}")
    if not MIN_SCORE <= value <= MAX_SCORE:
        raise ValueError(f"score must be a whole number from 0 to 5 or unknown, got {value!r}")
    return int(value)


def check_weight(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"weight must be a number from 0 to 5, got {value!r}")
    if not MIN_WEIGHT <= value <= MAX_WEIGHT:
        raise ValueError(f"weight must be a number from 0 to 5, got {value!r}")
    return value


def check_minimum(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_SCORE <= value <= MAX_SCORE:
        raise ValueError(f"must-have minimum must be a whole number from 0 to 5 or none, got {value!r}")
    return value


def name_taken(name: str, others: Iterable[str]) -> bool:
    """Whether ``name`` is one of ``others``, case, spacing and punctuation aside ('Norway' = 'norway.').

    The one rule for the names of factors, of candidates and of comparisons (``text.name_key``).
    """
    wanted = name_key(name)
    return any(name_key(other) == wanted for other in others)


def parse_weight(text: str) -> float:
    """A weight as typed: '3', '2.5', '2,5' (a decimal comma is accepted); 0 to 5, to two decimals."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise ValueError(f"{text.strip() or 'nothing'!r} is not a number: "
                         f"type a weight from {MIN_WEIGHT:g} to {MAX_WEIGHT:g}") from None
    if not MIN_WEIGHT <= value <= MAX_WEIGHT:
        raise ValueError(f"{value:g} is out of range: a weight goes from {MIN_WEIGHT:g} to {MAX_WEIGHT:g}")
    return round(value, 2)


def parse_minimum(text: str) -> int | None:
    """A must-have minimum as typed: blank for none, else a whole number 0 to 5."""
    if not text.strip():
        return None
    if text.strip() not in {str(n) for n in range(MIN_SCORE, MAX_SCORE + 1)}:
        raise ValueError(f"{text.strip()!r} is not a minimum: type a whole number from {MIN_SCORE} to {MAX_SCORE}, "
                         "or nothing for none")
    return int(text.strip())


def name_problem(name: str, others: Iterable[str], what: str) -> str | None:
    """What keeps ``name`` (as typed) from naming a ``what`` (factor, candidate) beside ``others``; None if nothing."""
    name = tidy_name(name)
    if not name:
        return f"Give the {what} a name."
    if name_taken(name, others):
        return f"A {what} is already called {name!r}."
    return None


def comparison_name_problem(name: str, others: Iterable[str]) -> str | None:
    """What keeps ``name`` (as typed) from naming a comparison beside the ``others``' names; None if nothing."""
    name = tidy_name(name)
    if not name:
        return "Give the comparison a name."
    if len(name) > NAME_LENGTH:
        return f"The name is {len(name)} characters long; at most {NAME_LENGTH}."
    if name_taken(name, others):
        return f"Another comparison is already called {name!r}: choose another name."
    return None
