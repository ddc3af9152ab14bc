"""Everything twintui checks on a memorandum, in one report: SMART, Annex A, the plan, a funding call.

This is what ``twintui mou check`` prints (``to_json`` is its published JSON
shape) and what the MoU screen's side panel shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..text import plural
from .calls import Call, RuleResult, check_call
from .checklist import Answer, answers
from .model import Sections
from .plan import PlanProblem, plan_problems
from .smart import ObjectiveReview, review
from .versions import Document


@dataclass(frozen=True)
class CheckReport:
    smart: list[ObjectiveReview]
    checklist: list[Answer]
    problems: list[PlanProblem]
    call: Call | None = None
    call_results: tuple[RuleResult, ...] = ()

    @property
    def answered(self) -> int:
        return sum(1 for a in self.checklist if a.answered)

    @property
    def smart_ok(self) -> bool:
        return all(r.ok for r in self.smart)

    @property
    def ok(self) -> bool:
        """Every objective SMART, every question answered, no plan problem, no failed call rule."""
        return (self.smart_ok and self.answered == len(self.checklist) and not self.problems
                and all(r.ok for r in self.call_results))

    def open_points(self) -> list[str]:
        """What is still open, one short line per part, for the question before agreeing or signing."""
        points: list[str] = []
        weak = [r for r in self.smart if not r.ok]
        if weak:
            numbers = ", ".join(str(r.number) for r in weak)
            points.append(f"SMART: {len(self.smart) - len(weak)} of {len(self.smart)} objectives "
                          f"(not yet: {numbers})")
        elif not self.smart:
            points.append("SMART: no objectives yet")
        missing = [a.question for a in self.checklist if not a.answered]
        if missing:
            listed = ", ".join(f"{q.number} {q.short or q.text}" for q in missing)
            points.append(f"Annex A: {self.answered} of {len(self.checklist)} answered (open: {listed})")
        if self.problems:
            points.append(f"Plan: {plural(len(self.problems), 'point')} to check")
        failed = [r for r in self.call_results if not r.ok]
        if failed and self.call is not None:
            points.append(f"Funding call {self.call.id}: {plural(len(failed), 'rule')} not met")
        return points

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "smart": [r.to_json() for r in self.smart],
            "checklist": [a.to_json() for a in self.checklist],
            "problems": [p.to_json() for p in self.problems],
        }
        if self.call is not None:
            # Only with --call: the default shape stays as published.
            out["call"] = {"id": self.call.id, "name": self.call.name,
                           "rules": [r.to_json() for r in self.call_results]}
        return out


def check(document: Document, sections: Sections | None = None, call: Call | None = None) -> CheckReport:
    """The report on ``document`` (or on ``sections`` as the editor holds them)."""
    s = sections if sections is not None else document.sections
    target = document if sections is None else document.with_sections(sections)
    results = tuple(check_call(call, target)) if call is not None else ()
    return CheckReport(review(s), answers(target), plan_problems(s), call, results)
