"""SMART review of a memorandum's objectives: the documented rules, in one place.

The guidelines ask that objectives be reviewed against SMART principles
(Specific, Measurable, Achievable, Realistic, Time). twintui turns each
principle into a rule it can check on what the MoU says; ``RULES`` holds their
wording, which the help screens and the README show as it is written here.
Each rule gives a verdict (ok or not) and the reason, so the user sees what to
change, not only that something is wrong.

Since indicators have a kind (issue 18), Measurable reads it first: a number
indicator passes with its target value (and fails without one, whatever the text
says: a count without a target cannot say whether it is met), a milestone passes
with its date (its own, or the objective's due date). A text indicator, what every
objective was before there were kinds, is reviewed exactly as before, so nothing
that passed fails now. Time-bound also takes a number's or milestone's target date
when the objective has no due date of its own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..text import spacing_key
from .dates import add_months, due_date, iso, last_day
from .model import Funding, Objective, Sections, figure, where

# -- the rules' wording -------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    key: str  # the JSON key of ``twintui mou check``
    letter: str
    name: str
    question: str  # the guidelines' own question
    rule: str  # how twintui checks it


RULES: tuple[Rule, ...] = (
    Rule("specific", "S", "Specific", "Does the objective specify what it wants to achieve?",
         "After the general verbs (strengthen, enhance, improve, support, develop, promote, ...) and general "
         "nouns (cooperation, capacity, relations, knowledge, ...) are set aside, at least two words must "
         "remain that name what will change, e.g. 'shadow a selection mission', 'integration plan'."),
    Rule("measurable", "M", "Measurable", "Can you measure whether you are meeting the objective?",
         "A number indicator has a target value; a milestone has a date (its own or the objective's due "
         "date). An indicator in words: the objective or its target has a number or a percentage ('five "
         "states', '80%'), or the objective has an indicator together with a target. A year or a date is not "
         "a measure."),
    Rule("achievable", "A", "Achievable", "Is the objective achievable and attainable?",
         "The objective has an owner who is named in section 4 (roles and responsibilities), as a partner or "
         "as a person."),
    Rule("realistic", "R", "Realistic", "Can you realistically achieve it with the resources you have?",
         "Section 7 names a source with an amount or says your organisation commits its own resources, or a "
         "note (in section 7 or on the objective) says what it needs or why no funds are needed."),
    Rule("time_bound", "T", "Time-bound", "When do you want to achieve it?",
         "The objective has a due date or quarter (2027-06-30, 2027-Q2), or its indicator a target date, or its "
         "text gives one ('by the end of 2027', 'by March 2027', 'within 18 months'), and it falls within the "
         "MoU period of section 2."),
)

KEYS: tuple[str, ...] = tuple(rule.key for rule in RULES)


def help_text() -> str:
    """The rules as the help screen shows them."""
    lines = ["SMART review: each objective against five rules."]
    for rule in RULES:
        lines.append(f"{rule.letter} {rule.name}: {rule.rule}")
    return "\n".join(lines)


# -- verdicts -------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str
    short: str = ""  # a few words for a narrow panel

    def __post_init__(self) -> None:
        if not self.short:
            object.__setattr__(self, "short", "ok" if self.ok else self.reason.split(":")[0])

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "reason": self.reason}


@dataclass(frozen=True)
class ObjectiveReview:
    """The five verdicts on one objective (``number`` counts from 1 in section 3)."""

    number: int
    objective: Objective
    verdicts: dict[str, Verdict]

    @property
    def ok(self) -> bool:
        return all(v.ok for v in self.verdicts.values())

    def failed(self) -> list[Rule]:
        return [rule for rule in RULES if not self.verdicts[rule.key].ok]

    def letters(self) -> str:
        """'S M A R T' with a failing letter shown as '-': reads without colour."""
        return " ".join(rule.letter if self.verdicts[rule.key].ok else "-" for rule in RULES)

    def to_json(self) -> dict[str, Any]:
        return {"objective": self.objective.text, **{key: self.verdicts[key].to_json() for key in KEYS}}


def review(sections: Sections) -> list[ObjectiveReview]:
    """Every objective of section 3 against the five rules."""
    return [ObjectiveReview(n, objective, {rule.key: CHECKS[rule.key](objective, sections) for rule in RULES})
            for n, objective in enumerate(sections.objectives, 1)]


def review_one(objective: Objective, sections: Sections, number: int = 1) -> ObjectiveReview:
    """One objective as the objective form holds it (not yet in the sections)."""
    return ObjectiveReview(number, objective, {rule.key: CHECKS[rule.key](objective, sections) for rule in RULES})


# -- words --------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]*")

VAGUE_VERBS: tuple[str, ...] = (
    "strengthen", "enhance", "improve", "support", "develop", "promote", "increase", "build", "foster",
    "facilitate", "encourage", "boost", "advance", "ensure", "reinforce", "better", "continue", "explore",
    "work", "contribute", "maintain", "expand", "deepen", "intensify", "optimise", "optimize", "upgrade",
)
VAGUE_NOUNS: tuple[str, ...] = (
    "cooperation", "co-operation", "collaboration", "relations", "relation", "relationship", "relationships",
    "links", "ties", "partnership", "partnerships", "capacity", "capacities", "knowledge", "understanding",
    "awareness", "dialogue", "exchange", "exchanges", "communication", "work", "things", "quality", "skills",
    "efforts", "contacts", "networking", "practice", "practices", "situation", "activities", "area", "areas",
    "field", "fields", "matters", "issues", "level", "levels", "performance", "results", "outcomes",
)
FILLER: tuple[str, ...] = (
    "the", "a", "an", "of", "to", "and", "or", "in", "on", "for", "with", "between", "among", "our", "their",
    "its", "his", "her", "them", "they", "we", "us", "it", "this", "that", "these", "those", "all", "more",
    "further", "overall", "general", "mutual", "both", "partners", "partner", "each", "other", "existing",
    "current", "greater", "closer", "stronger", "good", "effective", "efficient", "as", "much", "possible",
    "at", "by", "from", "into", "through", "within", "across", "well", "very", "new", "also", "be", "is",
    "are", "will", "can", "should", "so", "such", "any", "some", "way", "ways", "general", "twinning",
)


def _stem(word: str) -> str:
    """A crude stem, enough to match improve/improves/improved/improvement/improving."""
    changed = True
    while changed:
        changed = False
        for suffix in ("ments", "ment", "ing", "ed", "es", "s", "e"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                changed = True
                break
    return word


_VAGUE = {_stem(w) for w in (*VAGUE_VERBS, *VAGUE_NOUNS)} | set(VAGUE_VERBS) | set(VAGUE_NOUNS)
_FILLER = set(FILLER)


def _words(text: str) -> list[str]:
    return [w.lower().strip("'’-") for w in _WORD.findall(text)]


def _content_words(text: str) -> tuple[list[str], list[str]]:
    """(words that name something, general words found) of an objective's text."""
    content, general = [], []
    for word in _words(text):
        if not word or word in _FILLER:
            continue
        if word in _VAGUE or _stem(word) in _VAGUE:
            general.append(word)
        elif word not in _NUMBER_WORDS:  # a number says how much, not what
            content.append(word)
    return content, general


def _quote(text: str, width: int = 60) -> str:
    line = " ".join(text.split())
    return f"'{line if len(line) <= width else line[: width - 1] + '…'}'"


# -- S ------------------------------------------------------------------------------


def specific(objective: Objective, sections: Sections) -> Verdict:
    text = objective.text.strip()
    if not text:
        return Verdict(False, "the objective has no text: say what it wants to achieve", "no text")
    content, general = _content_words(text)
    if len(content) >= 2:
        return Verdict(True, f"names what will change: {', '.join(content[:4])}")
    said = ", ".join(general) or "nothing in particular"
    return Verdict(False, f"{_quote(text)} gives only a general aim ({said}): say what will change and for "
                          "whom, e.g. 'each state runs one selection mission with shadowing'", "only a general aim")


# -- M ------------------------------------------------------------------------------

_NUMBER_WORDS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "fifteen", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "dozen", "half", "double", "twice",
)
_DATES = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b(?:19|20)\d\d\s*-?\s*q[1-4]\b"
    r"|\bq[1-4]\s*-?\s*(?:19|20)\d\d\b|\b(?:19|20)\d\d\b",
    re.IGNORECASE,
)
_MEASURE = re.compile(r"\d|%|\bper ?cent\b|\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_RELATIVE = re.compile(r"\bwithin\s+(\d+|" + "|".join(_NUMBER_WORDS) + r")\s+(months?|years?)\b", re.IGNORECASE)


def _measure_in(text: str) -> str | None:
    """The first number or percentage in ``text``, dates and periods ('within 18 months') set aside."""
    plain = _RELATIVE.sub(" ", _DATES.sub(" ", text))
    found = _MEASURE.search(plain)
    if found is None:
        return None
    # The few words around it, so the reason shows what was counted.
    words = plain[found.start():].split()
    return " ".join(words[:3]).strip(",.;:")


def _counted(objective: Objective) -> Verdict:
    """Measurable for a number indicator: it has a target value."""
    what = _quote(objective.indicator.strip() or objective.unit.strip() or "the number", 40)
    if objective.target_value is None:
        return Verdict(False, f"the number indicator {what} has no target value: say which value means the "
                              "objective is met", "number without target")
    return Verdict(True, f"indicator {what} counted from {figure(objective.start)} to "
                         f"{_quote(objective.target_text(), 40)}")


def _milestone(objective: Objective) -> Verdict:
    """Measurable for a milestone: it has a date, so one can tell whether it was done by then."""
    what = _quote(objective.indicator.strip() or objective.text.strip() or "the milestone", 40)
    if objective.by is None:
        return Verdict(False, f"the milestone {what} has no date: give it a target date, or the objective a due "
                              "date, so one can tell whether it was done in time", "milestone without date")
    return Verdict(True, f"milestone {what} done or not by {iso(objective.by)}")


def measurable(objective: Objective, sections: Sections) -> Verdict:
    if objective.kind == "number":
        return _counted(objective)
    if objective.kind == "milestone":
        return _milestone(objective)
    indicator, target = objective.indicator.strip(), objective.target.strip()
    if indicator and target:
        return Verdict(True, f"indicator {_quote(indicator, 40)} with target {_quote(target, 30)}")
    if indicator:
        return Verdict(False, f"the indicator {_quote(indicator, 40)} has no target: say which value means the "
                              "objective is met", "indicator without target")
    for source, text in (("target", target), ("objective", objective.text)):
        found = _measure_in(text)
        if found:
            return Verdict(True, f"the {source} gives a quantity: {_quote(found, 30)}")
    return Verdict(False, "no number, percentage or indicator with a target: add an indicator (what is counted) "
                          "and a target (how many, how much)", "no number or target")


# -- A ------------------------------------------------------------------------------


def match_role(name: str, sections: Sections) -> str | None:
    """The section 4 name that ``name`` refers to (the same, or one contains the other), or None."""
    wanted = spacing_key(name)
    if not wanted:
        return None
    names = sections.role_names()
    for candidate in names:
        if spacing_key(candidate) == wanted:
            return candidate
    for candidate in names:
        known = spacing_key(candidate)
        if len(wanted) >= 3 and len(known) >= 3 and (wanted in known or known in wanted):
            return candidate
    return None


def achievable(objective: Objective, sections: Sections) -> Verdict:
    owner = objective.owner.strip()
    if not owner:
        return Verdict(False, f"no owner: name the partner or person responsible, one from {where(4)}", "no owner")
    if not sections.role_names():
        return Verdict(False, f"owner {_quote(owner, 40)} cannot be checked: {where(4)} names nobody yet",
                       "no roles yet")
    found = match_role(owner, sections)
    if found is None:
        known = ", ".join(dict.fromkeys(sections.role_names()))
        return Verdict(False, f"owner {_quote(owner, 40)} is not in {where(4)}: add them there, or choose one of "
                              f"{_quote(known, 80)}", "owner not in the roles")
    return Verdict(True, f"owner {_quote(owner, 40)} is in {where(4)}")


# -- R ------------------------------------------------------------------------------


def _funding_text(funding: Funding) -> str:
    return f"{funding.source}, {funding.amount_text()}"


def realistic(objective: Objective, sections: Sections) -> Verdict:
    funding = sections.funding
    if objective.resources.strip():
        return Verdict(True, f"resources: {_quote(objective.resources, 50)}")
    if funding.funded:
        return Verdict(True, f"funded in {where(7)}: {_quote(_funding_text(funding), 50)}")
    if funding.committed:
        return Verdict(True, f"your organisation commits its own resources ({where(7)})")
    if funding.note.strip():
        return Verdict(True, f"{where(7)} explains: {_quote(funding.note, 50)}")
    return Verdict(False, f"no resources: {where(7)} names no source with an amount, and no note (there or on the "
                          "objective) says what it needs or why no funds are needed", "no resources")


# -- T ------------------------------------------------------------------------------

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_ISO_IN_TEXT = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_QUARTER_IN_TEXT = re.compile(r"\b((?:19|20)\d\d)\s*-?\s*q([1-4])\b|\bq([1-4])\s*-?\s*((?:19|20)\d\d)\b", re.IGNORECASE)
_YEAR_IN_TEXT = re.compile(
    r"\b(?:by|before|until|in|during|end of|the end of|by the end of)\s+(?:(" + "|".join(_MONTHS)
    + r")\s+)?((?:19|20)\d\d)\b", re.IGNORECASE)


def date_in_text(text: str, start: dt.date | None) -> tuple[dt.date, str] | None:
    """A deadline written in an objective's text, and the words it was read from."""
    if match := _ISO_IN_TEXT.search(text):
        try:
            return dt.date.fromisoformat(match[1]), match[0]
        except ValueError:
            pass
    if match := _QUARTER_IN_TEXT.search(text):
        year, quarter = (match[1], match[2]) if match[1] else (match[4], match[3])
        return last_day(int(year), 3 * int(quarter)), match[0]
    if match := _YEAR_IN_TEXT.search(text):
        month = _MONTHS.index(match[1].lower()) + 1 if match[1] else 12
        return last_day(int(match[2]), month), match[0]
    if start is not None and (match := _RELATIVE.search(text)):
        count = match[1].lower()
        number = int(count) if count.isdigit() else _NUMBER_WORDS.index(count) + 1 if count in _NUMBER_WORDS[:12] \
            else None
        if number is not None:
            months = number * (12 if match[2].lower().startswith("year") else 1)
            return add_months(start, months) - dt.timedelta(days=1), match[0]
    return None


def time_bound(objective: Objective, sections: Sections) -> Verdict:
    due_text = objective.due.strip()
    if due_text:
        try:
            due = due_date(due_text)
        except ValueError as error:
            return Verdict(False, str(error), "due is not a date")
        assert due is not None
        said = f"due {due_text}"
    elif objective.kind != "text" and objective.target_date is not None:
        due, said = objective.target_date, f"target date {iso(objective.target_date)}"
    else:
        found = date_in_text(objective.text, sections.start)
        if found is None:
            return Verdict(False, "no date: give a due date or quarter (e.g. 2027-06-30 or 2027-Q2)", "no date")
        due, words = found
        said = f"due {iso(due)} (from {_quote(words, 30)})"
    start, end = sections.start, sections.end
    if start is None and end is None:
        return Verdict(False, f"{said}, but the MoU period ({where(2)}) is not set, so it cannot be checked",
                       "no MoU period")
    if end is not None and due > end:
        return Verdict(False, f"{said} is after the MoU ends ({iso(end)}): bring it forward or extend the period",
                       "after the MoU ends")
    if start is not None and due < start:
        return Verdict(False, f"{said} is before the MoU starts ({iso(start)})", "before the MoU starts")
    period = " to ".join(x or "?" for x in (iso(start), iso(end)))
    own = objective.target_date if objective.kind != "text" and due_text else None
    if own is not None and ((end is not None and own > end) or (start is not None and own < start)):
        return Verdict(False, f"{said}, but the indicator's target date {iso(own)} is outside the MoU period "
                              f"({period})", "target date outside the MoU")
    return Verdict(True, f"{said}, within the MoU period ({period})")


CHECKS: dict[str, Callable[[Objective, Sections], Verdict]] = {
    "specific": specific,
    "measurable": measurable,
    "achievable": achievable,
    "realistic": realistic,
    "time_bound": time_bound,
}
