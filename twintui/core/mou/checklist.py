"""Annex A of the guidelines: the twelve questions to answer before setting up a twinning activity.

Each question is answered or missing in the MoU, and each has a place there
(``where``): an answered question says where its answer is, a missing one
says where to write it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..text import plural, spacing_key
from .model import Sections, where
from .versions import Document


@dataclass(frozen=True)
class Question:
    number: int
    text: str  # as in GUIDELINES.md, Annex A
    where: str  # the section that answers it
    rule: str  # what counts as an answer
    short: str = ""  # a few words for a narrow panel


@dataclass(frozen=True)
class Answer:
    question: Question
    answered: bool
    detail: str  # what was found, or what is missing

    @property
    def where(self) -> str:
        return self.question.where

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question.text, "answered": self.answered, "where": self.where}


QUESTIONS: tuple[Question, ...] = (
    Question(1, "Your objectives: what do you hope to achieve?", where(3, "objectives"),
             "at least one objective", "Objectives"),
    Question(2, "Your outcomes: what do you expect to deliver?", where(3, "expected outcomes"),
             "the expected outcomes, or a milestone or outcome for the activities of the plan", "Outcomes"),
    Question(3, "Reciprocal learning: what do you expect to gain or learn?", where(3, "reciprocal learning"),
             "what each side expects to learn", "Reciprocal learning"),
    Question(4, "Timeframe: when do you start and end?", where(2, "MoU period"), "the start and end dates",
             "Timeframe"),
    Question(5, "Is your organisation committed to the resources? If not, what is the source of funding?",
             where(7), "own resources committed, or a source of funding, or a note", "Resources committed"),
    Question(6, "Have resources been identified for the duration of the activity?", where(7, "period available"),
             "the period the funds are available (from and until), or a note", "Resources, duration"),
    Question(7, "Who has overall responsibility?", where(4), "a role marked as overall responsibility",
             "Overall responsible"),
    Question(8, "Who will be involved (your organisation, other stakeholders)?", where(4),
             "two or more partners or people named in the roles or among the partners (section 1)",
             "Who is involved"),
    Question(9, "How will roles and responsibilities be assigned?", where(4),
             "every role says what its partner or person is responsible for", "Roles assigned"),
    Question(10, "How will the activity be monitored?", where(6), "a monitoring plan", "Monitoring"),
    Question(11, "How will risks that could affect the activity be monitored?", where(9),
             "a risk register whose open risks each have an owner and a next review date", "Risk monitoring"),
    Question(12, "How will you evaluate it, what are the lessons learned, how will findings be disseminated "
                 "nationally?", where(8), "the final evaluation and how findings are disseminated nationally",
             "Evaluation"),
)


def _objectives(doc: Document, s: Sections) -> tuple[bool, str]:
    count = sum(1 for o in s.objectives if o.text.strip())
    return (True, plural(count, "objective")) if count else (False, "no objectives yet")


def _outcomes(doc: Document, s: Sections) -> tuple[bool, str]:
    if s.outcomes.strip():
        return True, "expected outcomes given"
    milestones = sum(1 for a in s.activities if a.milestone.strip())
    if milestones:
        return True, f"{plural(milestones, 'milestone')} in {where(5)}"
    return False, "no expected outcomes and no milestones in the plan"


def _learning(doc: Document, s: Sections) -> tuple[bool, str]:
    return (True, "given") if s.learning.strip() else (False, "not said what each side expects to learn")


def _timeframe(doc: Document, s: Sections) -> tuple[bool, str]:
    if s.start and s.end:
        return True, f"{s.start.isoformat()} to {s.end.isoformat()}"
    if s.start or s.end:
        return False, f"the {'end' if s.start else 'start'} date is missing"
    return False, "no start or end date"


def _resources(doc: Document, s: Sections) -> tuple[bool, str]:
    f = s.funding
    if f.committed:
        return True, "own resources committed"
    if f.source.strip():
        return True, f"source: {f.source}"
    if f.note.strip():
        return True, "a note explains"
    return False, "no source of funding and no commitment of own resources"


def _duration(doc: Document, s: Sections) -> tuple[bool, str]:
    f = s.funding
    if f.available_from and f.available_until:
        return True, f"funds available {f.available_from.isoformat()} to {f.available_until.isoformat()}"
    if f.note.strip():
        return True, "a note explains"
    return False, "the period the funds are available is not given"


def _overall(doc: Document, s: Sections) -> tuple[bool, str]:
    leads = [r.person or r.party for r in s.roles if r.overall and (r.person or r.party).strip()]
    return (True, ", ".join(leads)) if leads else (False, "no role is marked as overall responsibility")


def _involved(doc: Document, s: Sections) -> tuple[bool, str]:
    names = {spacing_key(n) for n in [p.name for p in doc.partners] + [r.party for r in s.roles]
             if n.strip()}
    if len(names) >= 2:
        return True, f"{plural(len(doc.partners), 'partner')}, {plural(len(s.roles), 'role')}"
    return False, "fewer than two partners named"


def _assigned(doc: Document, s: Sections) -> tuple[bool, str]:
    if not s.roles:
        return False, "no roles yet"
    blank = [r.party or r.person or "?" for r in s.roles if not r.responsibility.strip()]
    if blank:
        return False, f"no responsibility given for {', '.join(blank[:3])}{'…' if len(blank) > 3 else ''}"
    return True, f"{plural(len(s.roles), 'role')}, each with its responsibility"


def _monitoring(doc: Document, s: Sections) -> tuple[bool, str]:
    return (True, "monitoring plan given") if s.monitoring.strip() else (False, "no monitoring plan")


def _risks(doc: Document, s: Sections) -> tuple[bool, str]:
    if not doc.risks:
        return False, "the risk register is empty (risks are kept on screen 4)"
    open_risks = [r for r in doc.risks if r.status == "open"]
    loose = [r.id for r in open_risks if not r.owner.strip() or r.next_review is None]
    if loose:
        return False, f"open risks without an owner or a next review date: {', '.join(loose)}"
    return True, f"{plural(len(doc.risks), 'risk')}, each open one with an owner and a review date"


def _evaluation(doc: Document, s: Sections) -> tuple[bool, str]:
    e = s.evaluation
    missing = [what for what, value in (("the final evaluation", e.final), ("national dissemination",
                                                                            e.dissemination)) if not value.strip()]
    if missing:
        return False, " and ".join(missing) + (" is" if len(missing) == 1 else " are") + " not described"
    return True, "final evaluation and dissemination described"


_ANSWERS: tuple[Callable[[Document, Sections], tuple[bool, str]], ...] = (
    _objectives, _outcomes, _learning, _timeframe, _resources, _duration, _overall, _involved, _assigned,
    _monitoring, _risks, _evaluation,
)


def answers(document: Document, sections: Sections | None = None) -> list[Answer]:
    """The twelve questions, each answered or missing (``sections`` overrides the stored ones)."""
    s = sections if sections is not None else document.sections
    return [Answer(question, *answer(document, s)) for question, answer in zip(QUESTIONS, _ANSWERS, strict=True)]


def help_text() -> str:
    lines = ["Annex A checklist: each question is answered when the MoU has"]
    lines += [f"{q.number:>2} {q.text} → {q.rule} ({q.where})" for q in QUESTIONS]
    return "\n".join(lines)
