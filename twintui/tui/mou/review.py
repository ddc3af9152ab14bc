"""The MoU editor's side panel: SMART verdicts, the Annex A checklist and the plan checks, live.

Every state reads without colour: ✓ and ✗ marks, 'S M A R T' letters with '-'
for a rule not met, counts in words.
"""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...core.mou import smart
from ...core.mou.checklist import help_text as checklist_help
from ...core.mou.checks import CheckReport
from ...core.mou.plan import PlanProblem

OK, NOT_OK = "✓", "✗"

# Plan problems in a few words (the full message is in section 5 and in `twintui mou check`).
SHORT_PROBLEMS: dict[str, str] = {
    "plan-empty": "no activities yet",
    "activity-no-owner": "nobody assigned",
    "activity-no-milestone": "no milestone",
    "activity-no-dates": "no dates",
    "activity-end-before-start": "ends before it starts",
    "activity-outside-period": "outside the MoU period",
    "funding-shorter-than-plan": "funds end too soon",
}


def _subject(problem: PlanProblem) -> str:
    """What a plan problem is about, in a word or two: 'activity 3', 'funding' or 'plan'."""
    if problem.activity is not None:
        return f"activity {problem.activity}"
    return "funding" if problem.where.startswith("7") else "plan"


def review_summary(report: CheckReport) -> str:
    """The review in one line, for a screen too narrow for the panel: the panel's three headings."""
    good = sum(1 for r in report.smart if r.ok)
    smart_part = f"SMART {good} of {len(report.smart)}" if report.smart else "SMART: no objectives"
    plan = f"plan: {len(report.problems)} to check" if report.problems else "plan: no problems"
    return f"{smart_part} · Annex A {report.answered} of {len(report.checklist)} · {plan}"


def review_markup(report: CheckReport) -> str:
    """The panel's text (Rich markup); user text is escaped."""
    lines: list[str] = []
    good = sum(1 for r in report.smart if r.ok)
    lines.append(f"[b]SMART[/b] {good} of {len(report.smart)} objectives" if report.smart
                 else "[b]SMART[/b] no objectives yet")
    for review in report.smart:
        mark = OK if review.ok else NOT_OK
        lines.append(f" {mark} {review.number} [b]{review.letters()}[/b]")
        for rule in review.failed():
            lines.append(f"   {rule.letter}: {escape(review.verdicts[rule.key].short)}")
    if any(not r.ok for r in report.smart):
        lines.append(" [dim]why: see section 3[/dim]")
    lines.append("")
    total = len(report.checklist)
    complete = " complete" if report.answered == total else ""
    lines.append(f"[b]Annex A[/b] {report.answered} of {total} answered{complete}")
    for answer in report.checklist:
        mark = OK if answer.answered else NOT_OK
        lines.append(f" {mark} {answer.question.number:>2} {answer.question.short}")
        if not answer.answered:
            lines.append(f"      → section {answer.where.split()[0]}")
    lines.append("")
    if report.problems:
        lines.append(f"[b]Plan[/b] {len(report.problems)} to check")
        lines += [f" ! {_subject(p)}: {SHORT_PROBLEMS.get(p.code, escape(p.message))}"
                  for p in report.problems]
    else:
        lines.append("[b]Plan[/b] no problems")
    return "\n".join(lines)


class ReviewPanel(VerticalScroll, can_focus=True):
    """Follows every edit: which objectives are SMART and why not, which Annex A questions are answered."""

    HELP: ClassVar[str] = (
        "The review of the version on screen, updated as you type.\n\n" + smart.help_text() + "\n\n"
        + checklist_help() + "\n\nPlan checks: activities outside the MoU period, without an owner (who) or a "
        "milestone, without dates, and funds available for a shorter period than the plan runs.")

    DEFAULT_CSS = """
    ReviewPanel { height: 1fr; }
    ReviewPanel > Static { width: 1fr; }
    """

    def compose(self):
        yield Static("", id="mou-review-text")

    _shown: str | None = None

    def show(self, report: CheckReport) -> None:
        markup = review_markup(report)
        if markup != self._shown:  # most keystrokes change nothing here: spare the layout
            self._shown = markup
            self.query_one("#mou-review-text", Static).update(markup)

    @property
    def text(self) -> str:
        return str(self.query_one("#mou-review-text", Static).render())
