"""Named comparisons in the store: the record, load/save helpers, JSON, workbook export, demo.

``twintui.core.matrix`` holds the pure model (``Comparison``) and the arithmetic;
this module keeps comparisons in the store like any other record: an id
(``COM-0001``), a revision bumped on every save, the audit log, and a
``ConflictError`` carrying both versions when someone else saved first. It also
renders a comparison as the JSON of ``twintui compare show --json``, writes
the workbook of ``twintui compare export`` (live formulas; openpyxl is imported
only there) and offers what a conflict screen needs: the differences between
two versions item by item, and a merge of chosen items.

Importing this module registers the record type with the store.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from . import matrix
from .errors import NotFoundError, ValidationError
from .matrix import Candidate, Cell, Comparison, Factor, evaluate, sensitivity, verdict
from .model import Arrangement, Field, Partner, Problem, Record, coerce, ids, register
from .model.fields import check_fields
from .model.validate import VALIDATORS

# The audit log's names for changes made here.
SOURCE_SCREEN = "screen:compare"
SOURCE_DEMO = "demo"

# Keys of ``Comparison.to_doc()`` that are bookkeeping, not content.
_META = ("id", "rev", "created_at", "created_by", "updated_at", "updated_by")


@register
@dataclass(kw_only=True)
class ComparisonRecord(Record):
    """A comparison as the store keeps it: the text fields, then factors, candidates and cells as data."""

    TABLE: ClassVar[str] = "comparisons"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("name", "Comparison", "#meta+name", required=True, max_length=200,
              help="A name that tells this comparison from the others, e.g. 'Partner for the 2027 programme'"),
        Field("organisation", "Organisation", "#org+name", max_length=200,
              help="The organisation that is choosing a partner"),
        Field("learning_gap", "Learning / skills gap", "#description+gap",
              help="Which area (advocacy, settlement and integration support, technical expertise) and timeframe"),
        Field("end_goal", "End goal", "#description+goal",
              help="e.g. set up a resettlement programme in country X within 18 months"),
        # Kept as documents, one field each, so the audit log says which part changed.
        Field("factors", "Factors", "#meta+factors", "data"),
        Field("candidates", "Candidates", "#meta+candidates", "data"),
        Field("cells", "Scores and notes", "#meta+cells", "data"),
    )

    name: str = ""
    organisation: str = ""
    learning_gap: str = ""
    end_goal: str = ""
    factors: list[dict[str, Any]] | None = field(default_factory=list)
    candidates: list[dict[str, Any]] | None = field(default_factory=list)
    cells: list[dict[str, Any]] | None = field(default_factory=list)

    @classmethod
    def of(cls, comparison: Comparison) -> ComparisonRecord:
        doc = comparison.to_doc()
        return cls(**{k: doc[k] for k in (*_META, "name", "organisation", "learning_gap", "end_goal",
                                           "factors", "candidates", "cells")})

    def comparison(self) -> Comparison:
        """The matrix model of this record (raises ValueError when the stored shape is unreadable)."""
        doc = self.to_doc()
        for key in ("factors", "candidates", "cells"):
            doc[key] = doc.get(key) or []
        return Comparison.from_doc(doc)


def validate_record(record: ComparisonRecord) -> list[Problem]:
    """Field rules plus the matrix's own: what the store checks before every save."""
    problems = check_fields(ComparisonRecord.FIELDS, record)
    try:
        comparison = record.comparison()
    except ValueError as error:
        return [*problems, Problem("factors", None, str(error))]
    for message in matrix.validate(comparison):
        if message.startswith("comparison:"):
            continue  # name and bookkeeping: the field rules above and the store cover them
        where = "cells" if message.startswith("cell") else "candidates" if message.startswith("candidate") \
            else "factors"
        problems.append(Problem(where, None, message))
    return problems


# The store validates every record through the model's table of validators.
VALIDATORS[ComparisonRecord] = validate_record  # type: ignore[index]


def content(comparison: Comparison) -> dict[str, Any]:
    """What the user made: the document without id, revision and who-when (what "unsaved" compares)."""
    doc = comparison.to_doc()
    for key in _META:
        doc.pop(key, None)
    return doc


def copy(comparison: Comparison) -> Comparison:
    """An independent copy (a worker saves the copy while the screen goes on editing)."""
    return Comparison.from_doc(comparison.to_doc())


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


# --------------------------------------------------------------------------
# Reading and writing
# --------------------------------------------------------------------------


def load_all(store: Any, unreadable: list[str] | None = None) -> list[Comparison]:
    """Every comparison in the store, by name (case aside).

    A stored document that cannot be read is left out (``twintui check`` names it);
    its id and the reason go to ``unreadable`` when given.
    """
    found = []
    for doc in store.docs(ComparisonRecord):
        try:
            found.append(ComparisonRecord.from_doc(doc).comparison())
        except (ValueError, TypeError) as error:
            if unreadable is not None:
                unreadable.append(f"{doc.get('id', '?')}: {error}")
    return sorted(found, key=lambda c: (_key(c.name), c.id))


def load(store: Any, comparison_id: str) -> Comparison:
    record = store.get(ComparisonRecord, comparison_id)
    if record is None:
        raise NotFoundError(f"there is no comparison {comparison_id} in the store (deleted by someone?)")
    return record.comparison()


def find(store: Any, name: str) -> Comparison:
    """The comparison called ``name`` (case and spacing aside) or with that id; a clear error otherwise."""
    every = load_all(store)
    wanted = _key(name)
    hits = [c for c in every if _key(c.name) == wanted] or [c for c in every if c.id == name.strip()]
    if len(hits) == 1:
        return hits[0]
    if hits:
        listed = ", ".join(c.id for c in hits)
        raise NotFoundError(f"{len(hits)} comparisons are named {name!r} ({listed}); give the id instead")
    names = ", ".join(repr(c.name) for c in every)
    known = f"the comparisons are: {names}" if every else "there are no comparisons yet"
    raise NotFoundError(f"there is no comparison named {name!r}; {known}")


def check_name_free(store: Any, comparison: Comparison) -> None:
    """Names are how people (and ``twintui compare show NAME``) find a comparison: one per name."""
    wanted = _key(comparison.name)
    for doc in store.docs(ComparisonRecord):
        if doc.get("id") != comparison.id and _key(str(doc.get("name", ""))) == wanted:
            raise ValidationError(ComparisonRecord.of(comparison), [Problem(
                "name", comparison.name, f"another comparison is already called {doc.get('name')!r}")])


def save(store: Any, comparison: Comparison, source: str = SOURCE_SCREEN) -> Comparison:
    """Save (create when it has no id); returns it as stored, with its id and new revision.

    Raises ConflictError (both versions) when someone saved or deleted it since
    it was read, ValidationError when it is not sound or its name is taken.
    """
    check_name_free(store, comparison)
    stored = store.save(ComparisonRecord.of(comparison), source)
    return stored.comparison()


def delete(store: Any, comparison: Comparison, source: str = SOURCE_SCREEN) -> None:
    """Delete the comparison at the revision it was read (a newer one raises ConflictError)."""
    store.delete(ComparisonRecord.of(comparison), source)


def of_conflict(record: Record | None) -> Comparison | None:
    """A ``ConflictError``'s mine/theirs as comparisons."""
    if record is None:
        return None
    assert isinstance(record, ComparisonRecord)
    return record.comparison()


# --------------------------------------------------------------------------
# Candidates from the register
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerChoice:
    """A partner of the register offered as a candidate; ``ref`` is ``TW-XXX-NNNN/P-n``."""

    ref: str
    name: str  # the candidate name proposed: the country for a state, else the partner's name
    partner: str
    country: str
    arrangement: str

    @property
    def label(self) -> str:
        shown = self.partner if self.partner == self.name else f"{self.name} — {self.partner}"
        return f"{shown} · {self.ref}"

    def matches(self, text: str) -> bool:
        """Every typed word in the name, the partner's name or country (or the reference, typed as TW-...)."""
        words = text.casefold().split()
        haystack = f"{self.name} {self.partner} {self.country}".casefold()
        return all(w in haystack or (w.startswith("tw-") and w in self.ref.casefold()) for w in words)


def partner_choices(store: Any) -> list[PartnerChoice]:
    """Every partner in the register, once per name, for the candidate picker (by proposed name)."""
    titles = {doc.get("id"): str(doc.get("title", "")) for doc in store.docs(Arrangement)}
    seen: set[str] = set()
    choices = []
    docs = sorted(store.docs(Partner), key=lambda d: (str(d.get("arrangement")), ids.number_of(str(d.get("id")))))
    for doc in docs:
        partner = Partner.from_doc(doc)
        if _key(partner.name) in seen or not partner.name:
            continue
        seen.add(_key(partner.name))
        country = partner.country or ""
        name = partner.name
        if partner.type == "state" and country:
            name = coerce.country_name(country)
        choices.append(PartnerChoice(partner.key, name, partner.name, country,
                                     titles.get(partner.arrangement, "")))
    return sorted(choices, key=lambda c: (_key(c.name), _key(c.partner)))


# --------------------------------------------------------------------------
# JSON of `twintui compare show --json` (scripts rely on this shape: keep it stable)
# --------------------------------------------------------------------------


def to_json(comparison: Comparison) -> dict[str, Any]:
    evaluation = evaluate(comparison)
    return {
        "name": comparison.name,
        "factors": [{"name": f.name, "weight": f.weight, "must_have_min": f.must_have_min}
                    for f in comparison.factors],
        "candidates": [
            {
                "name": r.name,
                "scores": dict(r.scores),
                "total": r.total,
                "rank": r.rank,
                "coverage": r.coverage,
                "excluded": r.excluded,
            }
            for r in evaluation.results
        ],
        "sensitivity": [{"factor": s.factor, "tipping_weight": s.tipping_weight, "new_leader": s.new_leader}
                        for s in sensitivity(comparison)],
    }


def summary(comparison: Comparison) -> dict[str, Any]:
    """One entry of `twintui compare list --json`."""
    evaluation = evaluate(comparison)
    return {
        "name": comparison.name,
        "id": comparison.id,
        "rev": comparison.rev,
        "organisation": comparison.organisation,
        "factors": len(comparison.factors),
        "candidates": [c.name for c in comparison.candidates],
        "leaders": list(evaluation.leaders),
        "updated_at": comparison.updated_at,
        "updated_by": comparison.updated_by,
    }


def fmt_weight(weight: float) -> str:
    return f"{weight:g}"


def fmt_total(total: float | None) -> str:
    return "—" if total is None else f"{total:.1f}"


def fmt_coverage(coverage: float) -> str:
    return f"{coverage:.0%}"


def leader_line(comparison: Comparison, evaluation: matrix.Evaluation | None = None) -> str:
    """'Canada leads with 92.5, 14.5 ahead of Norway' and the like, in one line."""
    evaluation = evaluation or evaluate(comparison)
    ranked = [r for r in evaluation.ranked() if r.rank is not None]
    if not ranked:
        return "Nobody is ranked yet: score candidates on factors with a weight above 0."
    first = ranked[0]
    if evaluation.tied:
        return f"{matrix.join_names(evaluation.leaders)} share first place with {fmt_total(first.total)}."
    if len(ranked) == 1:
        return f"{first.name} leads with {fmt_total(first.total)} (the only candidate ranked)."
    second = ranked[1]
    return (f"{first.name} leads with {fmt_total(first.total)}, {evaluation.margin:.1f} ahead of "
            f"{second.name} ({fmt_total(second.total)}).")


def short_verdict(comparison: Comparison, evaluation: matrix.Evaluation | None = None,
                  sensitivities: list[matrix.Sensitivity] | None = None) -> str:
    """Who is first, by how much, and the nearest weight that changes it, short enough for two lines."""
    evaluation = evaluation or evaluate(comparison)
    sensitivities = sensitivity(comparison) if sensitivities is None else sensitivities
    ranked = [r for r in evaluation.ranked() if r.rank is not None]
    if not ranked:
        return "No ranking yet: score candidates on factors with a weight above 0."
    first = ranked[0]
    if evaluation.tied:
        lead = f"{matrix.join_names(evaluation.leaders)} share first place ({fmt_total(first.total)})"
    elif len(ranked) == 1:
        lead = f"{first.name} is first ({fmt_total(first.total)}), the only one ranked"
    else:
        lead = (f"{first.name} is first ({fmt_total(first.total)}), {evaluation.margin:.1f} ahead of "
                f"{ranked[1].name}")
    tipping = [s for s in sensitivities if s.tipping_weight is not None]
    nearest = min(tipping, key=lambda s: abs(s.tipping_weight - s.current_weight),  # type: ignore[operator]
                  default=None)
    if nearest is None or nearest.tipping_weight is None:
        return f"{lead}. Robust: no single weight change in 0–5 changes first place."
    w0, t = nearest.current_weight, nearest.tipping_weight
    move = (f"any change of its weight from {matrix.format_weight(w0)}" if t == w0
            else f"weight {matrix.format_weight(w0)} → {matrix.format_weight(t, w0)}")
    return (f"{lead}. Fragile: {_clip(nearest.factor, 32)!r} at {move} puts "
            f"{matrix.join_names(nearest.new_leaders)} first.")


# --------------------------------------------------------------------------
# Conflicts: the differences between two versions, item by item, and a merge
# --------------------------------------------------------------------------

ItemKey = tuple[str, ...]


def items(comparison: Comparison) -> dict[ItemKey, Any]:
    """The comparison as independent items a user can choose between (cells, weights, ...)."""
    out: dict[ItemKey, Any] = {
        ("name",): comparison.name,
        ("organisation",): comparison.organisation,
        ("learning_gap",): comparison.learning_gap,
        ("end_goal",): comparison.end_goal,
        ("factors",): tuple(f.name for f in comparison.factors),
        ("candidates",): tuple((c.name, c.partner_ref) for c in comparison.candidates),
    }
    for f in comparison.factors:
        out[("weight", f.name)] = f.weight
        out[("minimum", f.name)] = f.must_have_min
    for (fk, ck), cell in comparison.cells.items():
        out[("cell", fk, ck)] = (cell.score, cell.note)
    return out


_LABELS = {"name": "Name", "organisation": "Organisation", "learning_gap": "Learning gap", "end_goal": "End goal",
           "factors": "Factors (which, in order)", "candidates": "Candidates (which, in order)"}


def item_label(key: ItemKey) -> str:
    if key[0] == "weight":
        return f"Weight of {key[1]}"
    if key[0] == "minimum":
        return f"Must-have minimum of {key[1]}"
    if key[0] == "cell":
        return f"{key[2]} on {key[1]}"
    return _LABELS[key[0]]


def item_text(key: ItemKey, value: Any, present: bool = True) -> str:
    """How an item's value reads in the conflict view."""
    if not present:
        return "(none)" if key[0] == "cell" else "(not there)"
    if key[0] == "factors":
        return ", ".join(value) or "(none)"
    if key[0] == "candidates":
        return ", ".join(name for name, _ in value) or "(none)"
    if key[0] == "weight":
        return fmt_weight(value)
    if key[0] == "minimum":
        return "none" if value is None else f"at least {value}"
    if key[0] == "cell":
        score, note = value
        shown = "unknown" if score is None else str(score)
        return f"{shown} · {note}" if note else shown
    return str(value) or "(blank)"


def _order(key: ItemKey) -> tuple[int, ...]:
    return (["name", "organisation", "learning_gap", "end_goal", "factors", "weight", "minimum",
             "candidates", "cell"].index(key[0]),)


def differences(mine: Comparison, theirs: Comparison) -> list[ItemKey]:
    """The items that differ between two versions, in a reading order."""
    a, b = items(mine), items(theirs)
    keys = [k for k in dict.fromkeys([*b, *a]) if a.get(k, _MISSING) != b.get(k, _MISSING)]
    factor_pos = {f.name: i for i, f in enumerate([*theirs.factors, *mine.factors])}
    cand_pos = {c.name: i for i, c in enumerate([*theirs.candidates, *mine.candidates])}

    def position(k: ItemKey) -> tuple[Any, ...]:
        if k[0] == "cell":
            return (*_order(k), factor_pos.get(k[1], 0), cand_pos.get(k[2], 0))
        if k[0] in ("weight", "minimum"):
            return (*_order(k), factor_pos.get(k[1], 0))
        return _order(k)

    return sorted(keys, key=position)


_MISSING = object()


def default_choices(base: Comparison | None, mine: Comparison, theirs: Comparison,
                    keys: Iterable[ItemKey]) -> tuple[dict[ItemKey, str], set[ItemKey]]:
    """Per item "mine" or "theirs" as a three-way merge would pick, and the items both changed.

    Without the version both started from, every item keeps mine.
    """
    choices = {k: "mine" for k in keys}
    both: set[ItemKey] = set()
    if base is None:
        return choices, both
    was, a, b = items(base), items(mine), items(theirs)
    for k in choices:
        mine_changed = a.get(k, _MISSING) != was.get(k, _MISSING)
        theirs_changed = b.get(k, _MISSING) != was.get(k, _MISSING)
        if theirs_changed and not mine_changed:
            choices[k] = "theirs"
        elif theirs_changed and mine_changed:
            both.add(k)
    return choices, both


def merge(mine: Comparison, theirs: Comparison, keep_mine: Iterable[ItemKey]) -> Comparison:
    """Their version (id, revision) with the items in ``keep_mine`` taken from mine."""
    a, b = items(mine), items(theirs)
    chosen = dict(b)
    for k in keep_mine:
        if k in a:
            chosen[k] = a[k]
        else:
            chosen.pop(k, None)
    merged = Comparison(
        name=chosen[("name",)], organisation=chosen[("organisation",)],
        learning_gap=chosen[("learning_gap",)], end_goal=chosen[("end_goal",)],
        id=theirs.id, rev=theirs.rev, created_at=theirs.created_at, created_by=theirs.created_by,
        updated_at=theirs.updated_at, updated_by=theirs.updated_by,
    )
    for name in chosen[("factors",)]:
        # A factor only one side has keeps that side's weight and minimum.
        weight = chosen.get(("weight", name), a.get(("weight", name), b.get(("weight", name))))
        minimum = chosen.get(("minimum", name), a.get(("minimum", name), b.get(("minimum", name))))
        merged.factors.append(Factor(name, matrix.DEFAULT_WEIGHT if weight is None else weight, minimum))
    merged.candidates = [Candidate(name, ref) for name, ref in chosen[("candidates",)]]
    factor_names = {f.name for f in merged.factors}
    candidate_names = {c.name for c in merged.candidates}
    for k, value in chosen.items():
        if k[0] == "cell" and k[1] in factor_names and k[2] in candidate_names:
            merged.cells[(k[1], k[2])] = Cell(*value)
    return merged


# --------------------------------------------------------------------------
# Text of `twintui compare list` / `show`
# --------------------------------------------------------------------------


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def list_text(comparisons: list[Comparison]) -> str:
    if not comparisons:
        return "No comparisons yet: open the terminal UI (screen 2, Compare partners) and press n."
    rows = [("NAME", "ORGANISATION", "CANDIDATES", "FIRST", "UPDATED")]
    for c in comparisons:
        ev = evaluate(c)
        rows.append((c.name, _clip(c.organisation, 30), str(len(c.candidates)),
                     " and ".join(ev.leaders) or "—", f"{c.updated_at[:10]} {c.updated_by}".strip()))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


def show_text(comparison: Comparison) -> str:
    """The matrix as plain text: factors down, candidates across, then totals, ranks and sensitivity."""
    ev = evaluate(comparison)
    sens = sensitivity(comparison)
    lines = [f"{comparison.name}  ({comparison.id or 'not saved'}, revision {comparison.rev})"]
    for label, value in (("Organisation", comparison.organisation), ("Learning gap", comparison.learning_gap),
                         ("End goal", comparison.end_goal)):
        if value:
            lines.append(f"{label}: {value}")
    lines.append("")
    names = [("* " if r.name in ev.leaders else "") + r.name for r in ev.results]
    fw = max([len("Factor"), *(len(f.name) for f in comparison.factors)], default=6)
    cw = [max(len(n), 6) for n in names]
    head = f"{'Factor':<{fw}}  {'Weight':>6}  {'Min':>3}  " + "  ".join(n.rjust(w) for n, w in zip(names, cw))
    lines += [head.rstrip(), "-" * len(head.rstrip())]
    for f in comparison.factors:
        scores = ["?" if r.scores[f.name] is None else str(r.scores[f.name]) for r in ev.results]
        minimum = "" if f.must_have_min is None else str(f.must_have_min)
        row = f"{f.name:<{fw}}  {fmt_weight(f.weight):>6}  {minimum:>3}  " + \
            "  ".join(s.rjust(w) for s, w in zip(scores, cw))
        lines.append(row.rstrip())
    lines.append("-" * len(head.rstrip()))
    for label, values in (
        ("Total (0-100)", [fmt_total(r.total) for r in ev.results]),
        ("Coverage", [fmt_coverage(r.coverage) for r in ev.results]),
        ("Rank", ["excluded" if r.excluded else "—" if r.rank is None else str(r.rank) for r in ev.results]),
    ):
        lines.append(f"{label:<{fw + 15}}" + "  ".join(v.rjust(w) for v, w in zip(values, cw)))
    lines.append("(* first place; ? not scored yet: left out of the total, see coverage)")
    for r in ev.results:
        if r.excluded:
            lines.append(f"Excluded: {r.name}: {r.excluded}")
        for warning in r.warnings:
            lines.append(f"Check: {r.name}: {warning}")
    lines += ["", leader_line(comparison, ev), "", "Sensitivity (the weight at which first place changes hands)"]
    sw = max([len("Factor"), *(len(s.factor) for s in sens)], default=6)
    lines.append(f"{'Factor':<{sw}}  {'Weight':>6}  {'Tips at':>7}  New leader")
    for s in sens:
        tip = "—" if s.tipping_weight is None else matrix.format_weight(s.tipping_weight, s.current_weight)
        lines.append(f"{s.factor:<{sw}}  {fmt_weight(s.current_weight):>6}  {tip:>7}  {s.new_leader or ''}".rstrip())
    lines += ["", "Verdict: " + verdict(comparison, ev, sens)]
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Workbook export (openpyxl, imported here only)
# --------------------------------------------------------------------------

MATRIX_SHEET = "Matrix"
FIRST_FACTOR_ROW = 7  # rows 1-5: title and context, row 6: headers


def export_xlsx(comparison: Comparison, path: str | os.PathLike[str], *,
                clock: Callable[[], str] | None = None) -> None:
    """Write the matrix with live formulas: totals, coverage, exclusion and rank recalculate when a
    score or weight is changed in Excel or LibreOffice. Notes and sensitivity (computed by twintui at
    export time) are on sheets of their own."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ev = evaluate(comparison)
    sens = sensitivity(comparison)
    wb = Workbook()
    ws = wb.active
    ws.title = MATRIX_SHEET
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDDDDD")

    ws["A1"] = comparison.name
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"Organisation: {comparison.organisation}"
    ws["A3"] = f"Learning / skills gap: {comparison.learning_gap}"
    ws["A4"] = f"End goal: {comparison.end_goal}"
    stamp = clock() if clock else ""
    ws["A5"] = ("Scores 0-5 (blank = not known yet: left out of the total; see coverage). Weights 0-5. "
                "Change a score or weight and the totals, coverage and ranks below recalculate."
                + (f" Exported {stamp}." if stamp else ""))

    header = FIRST_FACTOR_ROW - 1
    n_f, n_c = len(comparison.factors), len(comparison.candidates)
    first, last = FIRST_FACTOR_ROW, FIRST_FACTOR_ROW + max(n_f, 1) - 1
    for col, title in enumerate(("Factor", "Weight", "Must-have min"), start=1):
        cell = ws.cell(header, col, title)
        cell.font, cell.fill = bold, head_fill
    for j, cand in enumerate(comparison.candidates):
        cell = ws.cell(header, 4 + j, cand.name)
        cell.font, cell.fill = bold, head_fill
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for i, f in enumerate(comparison.factors):
        row = first + i
        ws.cell(row, 1, f.name)
        ws.cell(row, 2, f.weight)
        if f.must_have_min is not None:
            ws.cell(row, 3, f.must_have_min)
        for j, cand in enumerate(comparison.candidates):
            score = comparison.cells.get((f.name, cand.name), Cell()).score
            cell = ws.cell(row, 4 + j, score)
            cell.alignment = Alignment(horizontal="center")

    weights = f"$B${first}:$B${last}"
    minimums = f"$C${first}:$C${last}"
    total_row, coverage_row, excluded_row, rank_row = last + 2, last + 3, last + 4, last + 5
    labels = {total_row: "Weighted score (0-100)", coverage_row: "Coverage (share of weight scored)",
              excluded_row: "Excluded (below a must-have minimum)", rank_row: "Rank"}
    for row, label in labels.items():
        ws.cell(row, 1, label).font = bold
    if n_c:
        last_col = get_column_letter(3 + n_c)
        totals = f"$D${total_row}:${last_col}${total_row}"
        flags = f"$D${excluded_row}:${last_col}${excluded_row}"
    for j in range(n_c):
        col = get_column_letter(4 + j)
        scores = f"{col}{first}:{col}{last}"
        scored_weight = f"SUMPRODUCT({weights},--({scores}<>\"\"))"
        # 100 × Σ w·s / (5 × Σ w over scored factors); blank when nothing weighted is scored.
        ws[f"{col}{total_row}"] = (f"=IF({scored_weight}=0,\"\","
                                   f"ROUND(100*SUMPRODUCT({weights},{scores})/(5*{scored_weight}),9))")
        ws[f"{col}{coverage_row}"] = f"=IF(SUM({weights})=0,0,{scored_weight}/SUM({weights}))"
        ws[f"{col}{coverage_row}"].number_format = "0%"
        ws[f"{col}{excluded_row}"] = (f"=IF(SUMPRODUCT(--({minimums}<>\"\"),--({scores}<>\"\"),"
                                      f"--({scores}<{minimums}))>0,\"excluded\",\"\")")
        # Competition rank among the candidates with a total that are not excluded (ties share a rank).
        ws[f"{col}{rank_row}"] = (f"=IF(OR({col}{total_row}=\"\",{col}{excluded_row}<>\"\"),\"\","
                                  f"1+SUMPRODUCT(({totals}<>\"\")*({flags}=\"\")*({totals}>{col}{total_row})))")
        for row in (total_row, coverage_row, excluded_row, rank_row):
            ws[f"{col}{row}"].alignment = Alignment(horizontal="center")
            ws[f"{col}{row}"].font = bold
        ws[f"{col}{total_row}"].number_format = "0.0"

    validation = DataValidation(type="whole", operator="between", formula1="0", formula2="5", allow_blank=True,
                                showErrorMessage=True, error="A score is a whole number from 0 to 5, or blank",
                                errorTitle="Score")
    weight_check = DataValidation(type="decimal", operator="between", formula1="0", formula2="5",
                                  showErrorMessage=True, error="A weight is a number from 0 to 5",
                                  errorTitle="Weight")
    ws.add_data_validation(validation)
    ws.add_data_validation(weight_check)
    if n_c and n_f:
        validation.add(f"D{first}:{get_column_letter(3 + n_c)}{last}")
        validation.add(f"C{first}:C{last}")
    if n_f:
        weight_check.add(f"B{first}:B{last}")
    ws.column_dimensions["A"].width = 50
    ws.column_dimensions["B"].width = 8
    ws.column_dimensions["C"].width = 13
    for j in range(n_c):
        ws.column_dimensions[get_column_letter(4 + j)].width = max(12, min(len(comparison.candidates[j].name) + 2,
                                                                           24))
    ws.freeze_panes = ws.cell(first, 4)

    notes = wb.create_sheet("Notes")
    notes.append(["Factor", "Candidate", "Score", "Note"])
    for f in comparison.factors:
        for cand in comparison.candidates:
            cell = comparison.cells.get((f.name, cand.name))
            if cell and cell.note:
                notes.append([f.name, cand.name, cell.score, cell.note])
    for col, width in zip("ABCD", (50, 20, 8, 80)):
        notes.column_dimensions[col].width = width
    for cell in notes[1]:
        cell.font, cell.fill = bold, head_fill

    sheet = wb.create_sheet("Sensitivity")
    sheet.append(["Computed by twintui when exported; it does not recalculate in the spreadsheet."])
    sheet.append(["Verdict", verdict(comparison, ev, sens)])
    sheet.append([])
    sheet.append(["Factor", "Weight", "Tipping weight", "New leader"])
    for cell in sheet[4]:
        cell.font, cell.fill = bold, head_fill
    for s in sens:
        sheet.append([s.factor, s.current_weight, s.tipping_weight, s.new_leader])
    sheet.append([])
    sheet.append(["Candidate", "Total", "Rank", "Coverage", "Excluded", "Check"])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = bold, head_fill
    for r in ev.results:
        sheet.append([r.name, r.total, r.rank, r.coverage, r.excluded, "; ".join(r.warnings) or None])
    for col, width in zip("ABCDEF", (50, 10, 14, 20, 40, 40)):
        sheet.column_dimensions[col].width = width

    wb.calculation.fullCalcOnLoad = True  # no cached values: ask the spreadsheet to compute on open
    wb.properties.title = comparison.name
    wb.properties.creator = "twintui"
    wb.save(os.fspath(path))


# --------------------------------------------------------------------------
# Demo: an emerging resettlement state choosing its twinning partner
# --------------------------------------------------------------------------

DEMO_NAME = "Romania: partner for a first resettlement programme"

# (factor, weight, must-have minimum), in the guidelines' order.
_DEMO_FACTORS: tuple[tuple[str, float, int | None], ...] = (
    ("Geopolitical and socioeconomic considerations", 2, None),
    ("Similarity of asylum system", 4, None),
    ("Size and structure of the resettlement programme", 3, None),
    ("Policy and procedures (dossier or mission based selection)", 5, None),
    ("Interest in specific refugee populations", 2, None),
    ("Funding for the twinning activity", 4, 2),
    ("Role of NGOs and service providers", 3, None),
    ("Initial reception and orientation arrangements", 3, None),
    ("Integration arrangements", 4, None),
    ("Successful cooperation in other areas", 1, None),
)

# candidate -> (partner name in the demo register, scores in factor order; None = not known yet)
_DEMO_CANDIDATES: dict[str, tuple[str, tuple[int | None, ...]]] = {
    "Norway": ("Norwegian Directorate of Immigration (UDI)", (3, 3, 4, 5, 4, 3, 4, 4, 4, 5)),
    "Canada": ("Immigration, Refugees and Citizenship Canada", (2, 2, 5, 4, None, 2, 5, 3, 5, 5)),
    "Netherlands": ("Ministry of Justice of the Netherlands (IND/COA)", (4, 4, 3, 5, 4, 4, 4, 4, 4, 4)),
    "Sweden": ("Swedish Migration Board", (4, 4, 3, 3, 4, None, 4, 5, 5, 2)),
}

_DEMO_NOTES: dict[tuple[str, str], str] = {
    ("Policy and procedures (dossier or mission based selection)", "Norway"):
        "Competence-building cooperation with Argentina, Brazil, Chile, Paraguay and Uruguay on the selection "
        "of quota refugees: selection missions we could shadow.",
    ("Interest in specific refugee populations", "Norway"):
        "Quota refugees from the same regions we plan to take.",
    ("Successful cooperation in other areas", "Canada"):
        "Shared experience with officials from the Americas and NGOs (solidarity resettlement, Mexico Plan of "
        "Action); staff exchanges and visits with Japan to develop a new programme.",
    ("Integration arrangements", "Canada"):
        "Government-sponsored and private sponsorship side by side.",
    ("Funding for the twinning activity", "Canada"):
        "Not an EU state: could join an ERF Community Action project only on a full-cost basis.",
    ("Interest in specific refugee populations", "Canada"):
        "Not known yet: ask at the ATCR working group.",
    ("Policy and procedures (dossier or mission based selection)", "Netherlands"):
        "Mission-based selection; Czech officials shadowed a full Dutch selection mission and wrote a "
        "resettlement policy paper with Dutch help.",
    ("Funding for the twinning activity", "Netherlands"):
        "ERF Community Action: two or more EU member states, up to 90% for multilateral programmes.",
    ("Integration arrangements", "Sweden"):
        "MOST (with Finland, Ireland and Spain): models for quicker and better integration of refugees coming "
        "directly from crises or camps.",
    ("Initial reception and orientation arrangements", "Sweden"):
        "MOST orientation and training models; straight to municipalities.",
    ("Funding for the twinning activity", "Sweden"):
        "Not known yet: ask whether an ERF co-funded project with Sweden is possible before 31 July.",
}


def demo_comparison(refs: dict[str, str] | None = None) -> Comparison:
    """The demo comparison; ``refs`` maps partner names of the register to their ``TW-XXX-NNNN/P-n``."""
    refs = refs or {}
    comparison = Comparison(
        name=DEMO_NAME,
        organisation="Ministry of Internal Affairs of Romania, General Inspectorate for Immigration",
        learning_gap="Settlement and integration support capacity and technical expertise: selection missions, "
                     "dossier processing and reception, within 18 months.",
        end_goal="Set up a resettlement programme in Romania within 18 months, with a first group resettled by "
                 "the end of the second year.",
        factors=[Factor(name, weight, minimum) for name, weight, minimum in _DEMO_FACTORS],
    )
    for candidate, (partner, scores) in _DEMO_CANDIDATES.items():
        comparison.add_candidate(candidate, refs.get(partner))
        for (factor, _, _), score in zip(_DEMO_FACTORS, scores):
            comparison.set_score(factor, candidate, score)
    for (factor, candidate), note in _DEMO_NOTES.items():
        comparison.set_note(factor, candidate, note)
    return comparison


def _planned_partner_refs(store: Any, tx: Any) -> dict[str, str]:
    """The ``TW-XXX-NNNN/P-n`` the partners saved so far in ``tx`` will get when it commits.

    The store hands out ids from its counters in the order records are saved, so
    the demo can link its candidates to register partners in the same transaction.
    """
    counters: dict[str, int] = dict(store.storage.header.get("counters", {}))
    arrangement_ids: dict[int, str] = {}
    refs: dict[str, str] = {}
    for op in tx.ops:
        record = op.record
        if op.kind != "save":
            continue
        if isinstance(record, Arrangement) and not record.id:
            counter = f"TW-{record.reporting_state}"
            counters[counter] = counters.get(counter, 0) + 1
            arrangement_ids[id(record)] = ids.arrangement_id(record.reporting_state, counters[counter])
        elif isinstance(record, Partner) and not record.id and op.parent is not None:
            arrangement = arrangement_ids.get(id(op.parent))
            if arrangement is None:
                continue
            counter = f"P@{arrangement}"
            counters[counter] = counters.get(counter, 0) + 1
            refs.setdefault(record.name, f"{arrangement}/{ids.child_id('partners', counters[counter])}")
    return refs


def demo_record(store: Any, tx: Any) -> ComparisonRecord:
    """The demo comparison as a record to save in the demo's transaction ``tx``.

    Run again (``demo --force``), it replaces the demo comparison of the same name
    instead of adding a second one; other comparisons are left alone.
    """
    comparison = demo_comparison(_planned_partner_refs(store, tx))
    for doc in store.docs(ComparisonRecord):
        if _key(str(doc.get("name", ""))) == _key(DEMO_NAME):
            comparison.id, comparison.rev = str(doc.get("id")), int(doc.get("rev", 0))
            break
    return ComparisonRecord.of(comparison)


__all__ = [
    "DEMO_NAME", "SOURCE_SCREEN", "ComparisonRecord", "ItemKey", "PartnerChoice", "check_name_free", "content",
    "copy", "default_choices", "delete", "demo_comparison", "demo_record", "differences", "export_xlsx", "find",
    "item_label", "item_text", "items", "leader_line", "list_text", "load", "load_all", "merge", "of_conflict",
    "partner_choices", "save", "short_verdict", "show_text", "summary", "to_json", "validate_record",
]
