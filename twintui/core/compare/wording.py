"""The comparison in words, for the command line and the screens: totals, the verdict, `compare list`/`show`."""

from __future__ import annotations

from collections.abc import Iterable

from ..text import clip, printable
from .model import Comparison
from .ranking import Ranking, evaluate
from .sensitivity import Sensitivity, nearest_tipping, sensitivity


def format_weight(value: float, other: float | None = None) -> str:
    """A weight as the verdict writes it: up to two decimals, more only to tell it from `other`."""
    for digits in (2, 3, 4, 6, 9):
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
        if other is None or text != f"{other:.{digits}f}".rstrip("0").rstrip(".") or value == other:
            return text
    return repr(value)


def join_names(names: Iterable[str]) -> str:
    """'Canada', 'Canada and Norway', 'Canada, Norway and Sweden'."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def verdict(
    comparison: Comparison,
    evaluation: Ranking | None = None,
    sensitivities: list[Sensitivity] | None = None,
) -> str:
    """One line on how firm first place is, naming the factor nearest to tipping."""
    evaluation = evaluation or evaluate(comparison)
    nearest = nearest_tipping(sensitivity(comparison) if sensitivities is None else sensitivities)
    if not evaluation.leaders:
        return "no ranking: no candidate has a scored, weighted factor and passes the must-haves"
    if nearest is None or nearest.tipping_weight is None:
        if evaluation.tied:
            return (
                f"tied: {join_names(evaluation.leaders)} share first place; "
                "no single weight change in 0–5 gives first place to anyone else"
            )
        return "robust: no single weight change in 0–5 changes the first place"

    w0, t = nearest.current_weight, nearest.tipping_weight
    if t == w0:
        how = f"as soon as the weight of {nearest.factor!r} moves from {format_weight(w0)}"
    else:
        how = f"if the weight of {nearest.factor!r} goes from {format_weight(w0)} to {format_weight(t, w0)}"
    label = "new leader" if len(nearest.new_leaders) == 1 else "shared first place"
    change = f"first place changes {how} ({label}: {join_names(nearest.new_leaders)})"
    if evaluation.tied:
        return f"tied: {join_names(evaluation.leaders)} share first place; {change}"
    return f"fragile: {change}"


_EIGHTHS = " ▏▎▍▌▋▊▉"


def text_bar(total: float | None, width: int = 20) -> str:
    """A bar of `width` cells for a 0–100 score, in eighths of a cell; blank if unknown."""
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise ValueError(f"bar width must be a whole number >= 1, got {width!r}")
    if total is None:
        return " " * width
    share = min(max(total, 0.0), 100.0) / 100
    eighths = round(share * width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (_EIGHTHS[part] if part else "")
    return bar.ljust(width)


def fmt_weight(weight: float) -> str:
    return f"{weight:g}"


def fmt_total(total: float | None) -> str:
    return "—" if total is None else f"{total:.1f}"


def fmt_coverage(coverage: float) -> str:
    return f"{coverage:.0%}"


def leader_line(comparison: Comparison, evaluation: Ranking | None = None) -> str:
    """'Canada leads with 92.5, 14.5 ahead of Norway' and the like, in one line."""
    evaluation = evaluation or evaluate(comparison)
    ranked = [r for r in evaluation.ranked() if r.rank is not None]
    if not ranked:
        return "Nobody is ranked yet: score candidates on factors with a weight above 0."
    first = ranked[0]
    if evaluation.tied:
        return f"{join_names(evaluation.leaders)} share first place with {fmt_total(first.total)}."
    if len(ranked) == 1:
        return f"{first.name} leads with {fmt_total(first.total)} (the only candidate ranked)."
    second = ranked[1]
    return (f"{first.name} leads with {fmt_total(first.total)}, {evaluation.margin:.1f} ahead of "
            f"{second.name} ({fmt_total(second.total)}).")


def firmness(comparison: Comparison, evaluation: Ranking | None = None,
             sensitivities: list[Sensitivity] | None = None) -> str:
    """How firm first place is, in a word (the verdict's first): robust, fragile, tied, or — when nobody is ranked."""
    evaluation = evaluation or evaluate(comparison)
    if not evaluation.leaders:
        return "—"
    if evaluation.tied:
        return "tied"
    sensitivities = sensitivity(comparison) if sensitivities is None else sensitivities
    return "robust" if nearest_tipping(sensitivities) is None else "fragile"


def short_verdict(comparison: Comparison, evaluation: Ranking | None = None,
                  sensitivities: list[Sensitivity] | None = None) -> str:
    """Who is first, by how much, and the nearest weight that changes it, short enough for two lines."""
    evaluation = evaluation or evaluate(comparison)
    sensitivities = sensitivity(comparison) if sensitivities is None else sensitivities
    ranked = [r for r in evaluation.ranked() if r.rank is not None]
    if not ranked:
        return "No ranking yet: score candidates on factors with a weight above 0."
    first = ranked[0]
    if evaluation.tied:
        lead = f"{join_names(evaluation.leaders)} share first place ({fmt_total(first.total)})"
    elif len(ranked) == 1:
        lead = f"{first.name} is first ({fmt_total(first.total)}), the only one ranked"
    else:
        lead = (f"{first.name} is first ({fmt_total(first.total)}), {evaluation.margin:.1f} ahead of "
                f"{ranked[1].name}")
    nearest = nearest_tipping(sensitivities)
    if nearest is None or nearest.tipping_weight is None:
        return f"{lead}. Robust: no single weight change in 0–5 changes first place."
    w0, t = nearest.current_weight, nearest.tipping_weight
    move = (f"any change of its weight from {format_weight(w0)}" if t == w0
            else f"weight {format_weight(w0)} → {format_weight(t, w0)}")
    return (f"{lead}. Fragile: {clip(nearest.factor, 32)!r} at {move} puts "
            f"{join_names(nearest.new_leaders)} first.")


def list_text(comparisons: list[Comparison]) -> str:
    if not comparisons:
        return "No comparisons yet: open the terminal UI (screen 2, Compare partners) and press n."
    rows = [("NAME", "ORGANISATION", "CANDIDATES", "FIRST", "UPDATED")]
    for c in comparisons:
        ev = evaluate(c)
        # printable: for a terminal, so the data's control characters are shown, never run
        rows.append(tuple(printable(cell) for cell in (
            c.name, clip(c.organisation, 30), str(len(c.candidates)), " and ".join(ev.leaders) or "—",
            f"{c.updated_at[:10]} {c.updated_by}".strip())))
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
        tip = "—" if s.tipping_weight is None else format_weight(s.tipping_weight, s.current_weight)
        lines.append(f"{s.factor:<{sw}}  {fmt_weight(s.current_weight):>6}  {tip:>7}  {s.new_leader or ''}".rstrip())
    lines += ["", "Verdict: " + verdict(comparison, ev, sens)]
    return "\n".join(printable(line) for line in lines)  # a line break in the data is shown, not made
