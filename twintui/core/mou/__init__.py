"""Memoranda of understanding: versions, the SMART review, Annex A, plan and funding-call checks, documents.

The ``Memorandum`` record is in ``model`` (the store's table list names it there).
It loads no jinja2 or docx library: ``render`` imports them when a document is
made (``from twintui.core.mou import render``).
"""

from .calls import Call, RuleResult, available_calls, check_call, load_call
from .checklist import QUESTIONS, Answer, answers
from .checks import CheckReport, check
from .model import (
    SECTION_TITLES,
    STATUSES,
    Activity,
    Evaluation,
    Funding,
    Memorandum,
    Objective,
    Role,
    Sections,
    where,
)
from .dates import due_date
from .plan import PlanProblem, plan_problems
from .smart import RULES, ObjectiveReview, Verdict, review
from .versions import (
    NEXT_STATUSES,
    Document,
    MouError,
    every_version,
    first_draft,
    latest,
    load,
    new_version,
    save,
    set_status,
    start,
    versions_of,
)

__all__ = [
    "NEXT_STATUSES", "QUESTIONS", "RULES", "SECTION_TITLES", "STATUSES", "Activity", "Answer", "Call", "CheckReport",
    "Document", "Evaluation", "Funding", "Memorandum", "MouError", "Objective", "ObjectiveReview", "PlanProblem",
    "Role", "RuleResult", "Sections", "Verdict", "answers", "available_calls", "check", "check_call", "due_date",
    "every_version", "first_draft", "latest", "load", "load_call", "new_version", "plan_problems", "review", "save",
    "set_status", "start", "versions_of", "where",
]
