"""The verdicts as ``twintui progress`` prints them: text 80 columns wide, or a stable JSON list (and, for
the Register's marks, each arrangement's verdicts).

Made here, from a store, so that the command prints the same bytes whether it reads the store file or
asks the store service, which holds the shared register in memory and works the verdicts out there.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson

from ..errors import NotFoundError
from ..model import Arrangement
from ..mou.model import figure
from ..text import plural, printable
from . import plan
from .assess import ArrangementProgress, Kept, ObjectiveOutlook, assess
from .standing import standing_of
from .verdicts import ACT_ON, VERDICTS

if TYPE_CHECKING:
    from ..store import Store

# text and json: the command's; standings: the screens' marks, {arrangement: [its verdicts, each once]}.
FORMATS = ("text", "json", "standings")
WIDTH = 80


def listing(store: Store, state: str | None, as_of: dt.date, fmt: str,
            keep: Callable[[list[ArrangementProgress]], None] | None = None, kept: Kept | None = None) -> bytes:
    """Every objective's verdict as of ``as_of`` (of ``state``'s arrangements only, when given) in ``fmt``,
    as UTF-8 ending in a newline; NotFoundError when the register has no arrangement of ``state``.
    ``keep`` is given the verdicts worked out: a command that ends next holds them to its end rather than
    free 100,000s of objects one by one (``cli.common.hold_to_exit``). ``kept``: the verdicts of an earlier
    call on this store, reused where nothing changed (``assess.Kept``: the store service's)."""
    if fmt not in FORMATS:
        raise ValueError(f"'{fmt}' is not a progress format ({', '.join(FORMATS)})")
    found = assess(store, state, as_of, kept)
    if keep is not None:
        keep(found)
    if state and not found and not any(d.get("reporting_state") == state for d in store.docs(Arrangement)):
        raise NotFoundError(f"there is no arrangement of {state} in {store.path}")
    if fmt == "json":
        return _json(found, kept)
    if fmt == "standings":
        return orjson.dumps({a.id: standing_of(a).verdicts for a in found}) + b"\n"
    return ("\n".join(printable(line) for line in lines(found, as_of, state)) + "\n").encode()


def _json(found: list[ArrangementProgress], kept: Kept | None) -> bytes:
    if kept is None:
        return _dumped([o for a in found for o in a.objectives]) + b"\n"
    # Each arrangement's part written once and kept with its verdicts: after a commit, only the arrangements
    # worked out again are written again. A part is what orjson writes between "[\n  " and "\n]" for that
    # arrangement's objectives, so the parts joined as it joins objects are the very same bytes.
    parts, written = [], {}
    for arrangement in found:
        if arrangement.objectives:
            known = kept.json.get(arrangement.id)
            part = known[1] if known is not None and known[0] is arrangement else _dumped(arrangement.objectives)[4:-2]
            written[arrangement.id] = (arrangement, part)
            parts.append(part)
    # What is still of the verdicts kept (a state's listing keeps the other states' parts).
    kept.json = {key: entry for key, entry in {**kept.json, **written}.items()
                 if (kept.by_id.get(key) or (None, None))[1] is entry[0]}
    return b"[\n  " + b",\n  ".join(parts) + b"\n]\n" if parts else b"[]\n"


def _dumped(objectives: list[ObjectiveOutlook]) -> bytes:
    # Each objective made into its JSON object as orjson reaches it, and dropped once written: not
    # 30,000 objects built first, then written, then freed.
    return orjson.dumps(objectives, default=_json_of, option=orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATACLASS)


def _json_of(value: Any) -> dict[str, Any]:
    if isinstance(value, ObjectiveOutlook):
        return value.to_json()
    raise TypeError(f"{type(value).__name__} is not in the progress JSON")


def _wrap(text: str, first: str, rest: str) -> list[str]:
    if len(first) + len(text) <= WIDTH and text.isprintable() and text == text.strip(" "):
        return [first + text]  # what textwrap makes of a line that fits, without its cost (100,000s of lines)
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False) or [first]


def lines(found: list[ArrangementProgress], as_of: dt.date, state: str | None = None) -> list[str]:
    """The verdicts as text, 80 columns wide: ``!`` marks what needs acting on (off track, late)."""
    objectives = [o for a in found for o in a.objectives]
    counts = Counter(o.verdict for o in objectives)
    where = f" of {state}" if state else ""
    out = [f"Progress as of {as_of.isoformat()}{where}: {plural(len(objectives), 'objective')} in "
           f"{plural(len(found), 'arrangement')}"]
    if not found:
        return [*out, "", "No arrangement has an MoU or reported progress yet."]
    out += _wrap(", ".join(f"{counts[v]} {v}" for v in VERDICTS if counts[v]), "", "")
    for arrangement in found:
        out += ["", *_wrap(f"{arrangement.id}  {arrangement.title}", "", " " * 13)]
        out.append(f"  MoU {arrangement.mou}" if arrangement.mou else "  no MoU: objectives are not known")
        for item in arrangement.objectives:
            out += _objective(item)
        if arrangement.spending is not None:
            out += _wrap(arrangement.spending.text(), "  Spending: ", " " * 12)
        if arrangement.activities:
            out += _wrap(plan.summary(arrangement.activities), "  Plan: ", " " * 8)
    return [*out, "", *_wrap("! marks what to act on. A trend is the least-squares line through the values at "
                               "each quarter's end; at risk: it reaches the target within two quarters after its "
                               "date (README: Progress).", "", "")]


def _objective(item: ObjectiveOutlook) -> list[str]:
    objective = item.objective
    mark = "!" if item.verdict in ACT_ON else " "
    head = f"  {item.number:>2} {mark}{item.verdict:<16} "
    indent = " " * len(head)
    said = objective.indicator or objective.text
    out = _wrap(said, head, indent)
    if item.values:
        values = " · ".join(f"{r.quarter} {figure(r.value)}" for r in item.values)
        out += _wrap(f"{values}; target {objective.target_text()}", indent, indent)
    elif objective.kind != "text":
        out += _wrap(f"target {objective.target_text()}", indent, indent)
    out += _wrap(item.outlook.reason, indent, indent)
    return out
