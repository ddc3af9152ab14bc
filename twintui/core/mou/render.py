"""The memorandum as a document: Markdown, printable HTML and Word (DOCX), from jinja2 templates.

``context()`` turns a version into plain values (strings, lists, dicts) that
all three templates in ``templates/`` share: ``mou.md.j2``, ``mou.html.j2`` and
``mou.docx`` (a Word file with jinja2 tags, filled by docxtpl). Tables hold the
roles, the implementation plan and the risks. In a draft, an unanswered part
says what is still to be written ("To be completed: ...") and blocks nothing;
an agreed version carries an empty signature block to sign, a signed version
the block with its date. Section 8 can show the progress so far (``progress``: the values
``core.progress.section.so_far`` gives, None to leave it out): it is reported, not agreed, and
the documents say so.

jinja2 and docxtpl are imported here only, when a document is made, so the
command line and the screens start without them.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from .. import files, templates
from ..errors import TwintuiError
from ..model import Partner, Risk, coerce
from ..text import markdown
from .checklist import answers
from .dates import iso, long_date, months_between
from .model import SECTION_TITLES, Activity, Role
from .plan import plan_problems
from .smart import review
from .versions import Document

FORMATS: tuple[str, ...] = ("md", "html", "docx")
TEMPLATES = {"md": "mou.md.j2", "html": "mou.html.j2", "docx": "mou.docx"}
BLANK = "________________________"


class RenderError(TwintuiError):
    """A document that cannot be made or written (bad usage or a path problem: exit code 2)."""


# -- where the templates are -----------------------------------------------------------
def templates_dir() -> Path:
    return templates.templates_dir(TEMPLATES["md"], RenderError)


# -- the values the templates show ------------------------------------------------------
def paragraphs(text: str) -> list[str]:
    """Text as paragraphs: blank lines separate them, single line breaks join."""
    blocks = [" ".join(block.split()) for block in text.replace("\r\n", "\n").split("\n\n")]
    return [b for b in blocks if b]


def _part(answered: bool, todo: str, draft: bool, **values: Any) -> dict[str, Any]:
    return {"answered": answered, "todo": f"To be completed: {todo}" if draft else "Not answered in this version.",
            **values}


def _text_part(text: str, todo: str, draft: bool) -> dict[str, Any]:
    paras = paragraphs(text)
    return _part(bool(paras), todo, draft, paras=paras)


def _partner(p: Partner) -> dict[str, str]:
    country = coerce.country_name(p.country) if p.country else ""
    what = ", ".join(x for x in (p.type, p.state_category) if x)
    kind = f"{p.role} ({what})" if p.role and what else p.role or what
    return {"name": p.name, "type": p.type or "", "country": country, "role": p.role or "",
            "category": p.state_category or "", "kind": kind, "address": p.address, "contact": p.contact}


def _role(r: Role) -> dict[str, Any]:
    return {"party": r.party, "person": r.person, "responsibility": r.responsibility,
            "overall": "yes" if r.overall else ""}


def _activity(n: int, a: Activity) -> dict[str, Any]:
    return {"n": n, "what": a.what, "who": a.who, "start": iso(a.start) or "", "end": iso(a.end) or "",
            "milestone": a.milestone}


def _risk(r: Risk) -> dict[str, Any]:
    residual = f"{r.residual_score} {r.residual_band}" if r.residual_score is not None else ""
    return {"id": r.id, "description": r.description, "category": r.category, "likelihood": r.likelihood,
            "impact": r.impact, "score": f"{r.score} {r.band}", "residual": residual,
            "treatment": r.treatment or "", "mitigation": r.mitigation, "owner": r.owner, "status": r.status,
            "next_review": iso(r.next_review) or ""}


def _signatory(party: str, roles: list[Role]) -> str:
    for role in roles:
        if role.party == party and role.person:
            return role.person
    return ""


def context(document: Document, today: dt.date | None = None,
            progress: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything the templates show, as plain values (``progress``: the progress so far, or None)."""
    today = today or dt.date.today()
    memo, s = document.memorandum, document.sections
    draft, agreed, signed = memo.status == "draft", memo.status == "agreed", memo.status == "signed"
    if signed:
        date_line = f"Signed on {long_date(memo.signed_on)}" if memo.signed_on else "Signed"
    elif agreed:
        date_line = f"Agreed on {long_date(memo.agreed_on)}; to be signed" if memo.agreed_on else "Agreed"
    else:
        date_line = f"Draft of {long_date(today)}: not agreed"
    period = ""
    if s.start and s.end:
        period = f"{long_date(s.start)} to {long_date(s.end)} ({months_between(s.start, s.end)} months)"
    elif s.start or s.end:
        period = f"from {long_date(s.start)}" if s.start else f"until {long_date(s.end)}"
    reviews = {r.number: r for r in review(s)}
    objectives = [{"n": n, "text": o.text, "indicator": o.indicator, "target": o.target_text(), "due": o.due,
                   "owner": o.owner, "resources": o.resources, "smart": reviews[n].letters()}
                  for n, o in enumerate(s.objectives, 1)]
    f = s.funding
    funding_period = " to ".join(x for x in (long_date(f.available_from), long_date(f.available_until)) if x)
    committed = {True: "yes", False: "no", None: ""}[f.committed]
    funding = _part(bool(f.source or f.amount or f.note or f.committed), "the source, amount and period of the "
                    "funds, or why none are needed", draft,
                    source=f.source, amount=f.amount_text(), total_cost=f.amount_text(f.total_cost)
                    if f.total_cost else "", period=funding_period, committed=committed, note=paragraphs(f.note))
    e = s.evaluation
    parts = {
        "partners": _part(bool(document.partners), "the partners, with their addresses (Register screen)", draft),
        "context": _text_part(s.context, "the context of the activity", draft),
        "period": _part(bool(period), "the start and end of the MoU (its duration)", draft, text=period),
        "objectives": _part(bool(objectives), "the objectives, each with indicator, target and date", draft),
        "outcomes": _text_part(s.outcomes, "what the partners expect to deliver", draft),
        "learning": _text_part(s.learning, "what each side expects to gain or learn (reciprocal learning)", draft),
        "roles": _part(bool(s.roles), "who is involved and who does what, at individual and overall level", draft),
        "roles_note": _text_part(s.roles_note, "", draft),
        "activities": _part(bool(s.activities), "the activities: what, who, start, end, milestone", draft),
        "monitoring": _text_part(s.monitoring, "how the activity will be monitored", draft),
        "funding": funding,
        "milestones": _text_part(e.milestones, "the reviews at key milestones", draft),
        "final": _text_part(e.final, "the final evaluation and lessons learned", draft),
        "reporting": _text_part(e.reporting, "who reports and who evaluates", draft),
        "dissemination": _text_part(e.dissemination, "how the findings will be disseminated nationally", draft),
        "risks": _part(bool(document.risks), "the risks and what minimises them (Risks screen)", draft),
    }
    open_points: list[str] = []
    if draft:
        open_points += [f"Objective {r.number} is not yet SMART: " + "; ".join(
            f"{rule.name}: {r.verdicts[rule.key].reason}" for rule in r.failed()) + "."
            for r in reviews.values() if not r.ok]
        open_points += [f"Annex A question {a.question.number} ({a.question.text}) is not answered: {a.detail}."
                        for a in answers(document) if not a.answered]
        open_points += [p.message[0].upper() + p.message[1:] + "." for p in plan_problems(s)]
    parties = [{"name": p.name, "signatory": _signatory(p.name, s.roles)} for p in document.partners]
    return {
        "doc": {
            "title": s.title or document.arrangement.title,
            "arrangement_id": document.arrangement.id,
            "arrangement_title": document.arrangement.title,
            "version": memo.version,
            "based_on": memo.based_on,
            "status": memo.status,
            "draft": draft, "agreed": agreed, "signed": signed,
            "date_line": date_line,
            "generated": iso(today),
        },
        "headings": {str(n): f"{n}. {title}" for n, title in SECTION_TITLES.items()},
        "p": parts,
        "partners": [_partner(p) for p in document.partners],
        "objectives": objectives,
        "roles": [_role(r) for r in s.roles],
        "activities": [_activity(n, a) for n, a in enumerate(s.activities, 1)],
        "funding": funding,
        "risks": [_risk(r) for r in document.risks],
        "signature": {"show": agreed or signed, "signed": signed,
                      "date": long_date(memo.signed_on) if signed else "", "parties": parties, "blank": BLANK},
        "open_points": open_points,
        "progress": progress,
    }


# -- making the documents -------------------------------------------------------------------
def _environment(folder: Path, fmt: str):
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=fmt == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    # The data's text, escaped: in Markdown by these filters, in HTML and DOCX by autoescape.
    env.filters["cell"] = env.filters["md"] = lambda value: markdown(coerce.text(value))
    return env


def render_text(document: Document, fmt: str, today: dt.date | None = None,
                progress: dict[str, Any] | None = None) -> str:
    """The Markdown or HTML document."""
    if fmt not in ("md", "html"):
        raise RenderError(f"'{fmt}' is not a text format (md or html)")
    import jinja2

    folder = templates_dir()
    try:
        template = _environment(folder, fmt).get_template(TEMPLATES[fmt])
        return template.render(**context(document, today, progress))
    except jinja2.TemplateError as error:
        raise RenderError(f"the template {folder / TEMPLATES[fmt]} is broken: {error}") from None


def render_docx(document: Document, today: dt.date | None = None, progress: dict[str, Any] | None = None) -> bytes:
    """The Word document, from ``templates/mou.docx``."""
    import io

    import jinja2
    from docxtpl import DocxTemplate

    path = templates_dir() / TEMPLATES["docx"]
    try:
        template = DocxTemplate(str(path))
        template.render(context(document, today, progress), jinja_env=_environment(path.parent, "docx"), autoescape=True)
    except (jinja2.TemplateError, KeyError, ValueError) as error:
        raise RenderError(f"the template {path} is broken: {error}") from None
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def render(document: Document, fmt: str, today: dt.date | None = None,
           progress: dict[str, Any] | None = None) -> bytes:
    """The document in ``fmt`` (md, html or docx) as bytes."""
    if fmt not in FORMATS:
        raise RenderError(f"'{fmt}' is not a document format; choose one of {', '.join(FORMATS)}")
    if fmt == "docx":
        return render_docx(document, today, progress)
    return render_text(document, fmt, today, progress).encode("utf-8")


def check_target(path: str | os.PathLike[str], suggested: str) -> Path:
    """The full path to write a document at; RenderError for a folder (``suggested``: a name to give) or a
    folder that does not exist."""
    target = Path(path).expanduser().absolute()
    if target.is_dir():
        raise RenderError(f"{target} is a folder; give a file name, e.g. {target / suggested}")
    if not target.parent.is_dir():
        raise RenderError(f"cannot write {target}: the folder {target.parent} does not exist")
    return target


def suggested_name(document: Document, fmt: str) -> str:
    """'TW-NOR-0001-MoU-v2-draft.docx'."""
    memo = document.memorandum
    return f"{document.arrangement.id}-MoU-v{memo.version}-{memo.status}.{fmt}"


def format_of(path: str | os.PathLike[str]) -> str | None:
    """The format a file name asks for (.md, .markdown, .html, .htm, .docx), or None."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return {"markdown": "md", "htm": "html"}.get(suffix, suffix) if suffix else None


def write(document: Document, fmt: str, path: str | os.PathLike[str], today: dt.date | None = None,
          progress: dict[str, Any] | None = None) -> Path:
    """Render and write to ``path`` in one step (a reader never sees half a file); returns the full path."""
    target = check_target(path, suggested_name(document, fmt))
    data = render(document, fmt, today, progress)
    files.replace(target, data)  # a temporary file renamed into place, never through a link
    return target
