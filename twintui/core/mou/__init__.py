"""Memoranda of understanding: versions, the SMART review, Annex A, plan and funding-call checks, documents.

The ``Memorandum`` record is in ``model`` (the store's table list names it there).
It loads no jinja2 or docx library: ``render`` imports them when a document is
made (``from twintui.core.mou import render``). The names below are loaded from their
modules when first asked for: every read of the store imports ``model`` (its table list
names ``Memorandum``), and needs none of the calls (read from TOML files), checks or
versions, about 20 ms of every command's start.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .calls import Call, RuleResult, available_calls, check_call, load_call
    from .checklist import QUESTIONS, Answer, answers
    from .checks import CheckReport, check
    from .dates import due_date
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

_FROM = {
    "calls": ("Call", "RuleResult", "available_calls", "check_call", "load_call"),
    "checklist": ("QUESTIONS", "Answer", "answers"),
    "checks": ("CheckReport", "check"),
    "dates": ("due_date",),
    "model": ("SECTION_TITLES", "STATUSES", "Activity", "Evaluation", "Funding", "Memorandum", "Objective", "Role",
              "Sections", "where"),
    "plan": ("PlanProblem", "plan_problems"),
    "smart": ("RULES", "ObjectiveReview", "Verdict", "review"),
    "versions": ("NEXT_STATUSES", "Document", "MouError", "every_version", "first_draft", "latest", "load",
                 "new_version", "save", "set_status", "start", "versions_of"),
}
_MODULE_OF = {name: module for module, names in _FROM.items() for name in names}

__all__ = [
    "NEXT_STATUSES", "QUESTIONS", "RULES", "SECTION_TITLES", "STATUSES", "Activity", "Answer", "Call", "CheckReport",
    "Document", "Evaluation", "Funding", "Memorandum", "MouError", "Objective", "ObjectiveReview", "PlanProblem",
    "Role", "RuleResult", "Sections", "Verdict", "answers", "available_calls", "check", "check_call", "due_date",
    "every_version", "first_draft", "latest", "load", "load_call", "new_version", "plan_problems", "review", "save",
    "set_status", "start", "versions_of", "where",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # asked once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
