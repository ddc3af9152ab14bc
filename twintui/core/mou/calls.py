"""Funding calls as data: a call's rules in a TOML file, checked against a memorandum.

The guidelines' example is the European Refugee Fund's Community Action call of
2009 (``calls/erf-2009.toml``): two or more EU Member States (Denmark
excluded), start before 31 July 2010, at most 18 months, EUR 500,000 to
1,500,000 (200,000 with NGOs), up to 90% co-financing, non-EU states at full
cost. A new call is a new file, not new code: each rule names one of the
generic ``KINDS`` below and gives its numbers. ``load_call`` takes the id of a
shipped call or the path of such a file.

Each rule gives one result: ``pass``, ``fail``, ``unknown`` (the MoU lacks what
the rule needs, e.g. the total cost) or ``note`` (information, not a condition).
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import files
from ..errors import NotFoundError, TwintuiError
from ..text import plural
from .dates import iso, months_between
from .model import where
from .versions import Document

CALLS_DIR = Path(__file__).with_name("calls")


class CallError(TwintuiError):
    """A rule-set file that cannot be used (bad usage: exit code 2)."""


@dataclass(frozen=True)
class CallRule:
    id: str
    kind: str
    text: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Call:
    id: str
    name: str
    source: str
    currency: str
    eligible_countries: tuple[str, ...]
    rules: tuple[CallRule, ...]


@dataclass(frozen=True)
class RuleResult:
    rule: CallRule
    result: str  # pass, fail, unknown, note
    reason: str

    @property
    def ok(self) -> bool:
        return self.result in ("pass", "note")

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule.id, "text": self.rule.text, "result": self.result, "reason": self.reason}


# -- the rule kinds ---------------------------------------------------------------------
Check = Callable[[Call, CallRule, Document], tuple[str, str]]


def _state_partners(document: Document) -> list[str]:
    return list(dict.fromkeys(p.country for p in document.partners if p.type == "state" and p.country))


def _min_eligible_states(call: Call, rule: CallRule, document: Document) -> tuple[str, str]:
    minimum = int(rule.params["minimum"])
    states = _state_partners(document)
    eligible = [c for c in states if c in call.eligible_countries]
    listed = ", ".join(eligible) or "none"
    if len(eligible) >= minimum:
        return "pass", f"{len(eligible)} eligible state partners: {listed}"
    return "fail", f"{plural(len(eligible), 'eligible state partner')} ({listed}); the call needs {minimum}"


def _start_before(call: Call, rule: CallRule, document: Document) -> tuple[str, str]:
    limit: dt.date = rule.params["date"]
    start = document.sections.start
    if start is None:
        return "unknown", f"the MoU has no start date ({where(2)})"
    if start < limit:
        return "pass", f"starts {iso(start)}, before {iso(limit)}"
    return "fail", f"starts {iso(start)}; the call needs a start before {iso(limit)}"


def _max_months(call: Call, rule: CallRule, document: Document) -> tuple[str, str]:
    limit = int(rule.params["months"])
    s = document.sections
    if s.start is None or s.end is None:
        return "unknown", f"the MoU period is not complete ({where(2)})"
    months = months_between(s.start, s.end)
    if months <= limit:
        return "pass", f"runs {months} months (at most {limit})"
    return "fail", f"runs {months} months; the call allows at most {limit}"


def _amount_range(call: Call, rule: CallRule, document: Document) -> tuple[str, str]:
    funding = document.sections.funding
    with_ngo = any(p.type in rule.params.get("ngo_types", ["NGO"]) for p in document.partners)
    minimum = float(rule.params["minimum_with_ngo"] if with_ngo and "minimum_with_ngo" in rule.params
                    else rule.params["minimum"])
    maximum = float(rule.params["maximum"])
    if funding.amount is None:
        return "unknown", f"no amount in {where(7)}"
    if funding.currency and funding.currency.upper() != call.currency:
        return "unknown", (f"the amount is in {funding.currency}; the call counts in {call.currency}: give the "
                           f"amount in {call.currency} to check it")
    amount = funding.amount
    bounds = f"{call.currency} {minimum:,.0f} to {maximum:,.0f}" + (" (NGOs involved)" if with_ngo else "")
    if minimum <= amount <= maximum:
        return "pass", f"{call.currency} {amount:,.0f} is within {bounds}"
    return "fail", f"{call.currency} {amount:,.0f} is outside {bounds}"


def _max_share(call: Call, rule: CallRule, document: Document) -> tuple[str, str]:
    share = float(rule.params["share"])
    funding = document.sections.funding
    if funding.amount is None or not funding.total_cost:
        return "unknown", f"give the amount and the total cost in {where(7)} to check the {share:.0%} ceiling"
    asked = funding.amount / funding.total_cost
    if asked <= share + 1e-9:
        return "pass", f"the funds are {asked:.0%} of the total cost (at most {share:.0%})"
    return "fail", f"the funds are {asked:.0%} of the total cost; the call funds at most {share:.0%}"


def _full_cost_note(call: Call, rule: CallRule, document: Document) -> tuple[str, str]:
    outside = [c for c in _state_partners(document) if c not in call.eligible_countries]
    if outside:
        return "note", f"{', '.join(outside)} take part at full cost (not eligible for these funds)"
    return "pass", "every state partner is eligible"


# Parameters that are numbers (months and a count of states are whole numbers).
NUMBERS = frozenset({"minimum", "maximum", "minimum_with_ngo", "months", "share"})

KINDS: dict[str, tuple[tuple[str, ...], Check]] = {
    # kind: (required parameters, check)
    "min_eligible_states": (("minimum",), _min_eligible_states),
    "start_before": (("date",), _start_before),
    "max_months": (("months",), _max_months),
    "amount_range": (("minimum", "maximum"), _amount_range),
    "max_share": (("share",), _max_share),
    "full_cost_note": ((), _full_cost_note),
}


# -- loading ------------------------------------------------------------------------------
def parse_call(data: dict[str, Any], origin: str) -> Call:
    """A call from its TOML document; CallError names what is wrong and where."""
    def need(key: str, kind: type, where_: dict[str, Any], what: str) -> Any:
        value = where_.get(key)
        if not isinstance(value, kind):
            raise CallError(f"{origin}: {what} needs '{key}' ({kind.__name__})")
        return value

    call_id = need("id", str, data, "the call")
    rules = []
    for number, raw in enumerate(data.get("rules") or [], 1):
        if not isinstance(raw, dict):
            raise CallError(f"{origin}: rule {number} is not a table")
        kind = need("kind", str, raw, f"rule {number}")
        if kind not in KINDS:
            raise CallError(f"{origin}: rule {number} has the unknown kind '{kind}' (known: {', '.join(KINDS)})")
        for key in KINDS[kind][0]:
            if key not in raw:
                raise CallError(f"{origin}: rule {number} ({kind}) needs '{key}'")
        if kind == "start_before" and not isinstance(raw["date"], dt.date):
            raise CallError(f"{origin}: rule {number}: 'date' must be a TOML date such as 2010-07-31")
        for key in NUMBERS & raw.keys():
            value, whole = raw[key], key == "months" or (kind == "min_eligible_states" and key == "minimum")
            if isinstance(value, bool) or not isinstance(value, int if whole else int | float) \
                    or not math.isfinite(value) or value < 0:
                raise CallError(f"{origin}: rule {number} ({kind}): '{key}' must be a {'whole ' if whole else ''}"
                                f"number of 0 or more, not {value!r}")
        params = {k: v for k, v in raw.items() if k not in ("id", "kind", "text")}
        rules.append(CallRule(str(raw.get("id") or f"rule-{number}"), kind, str(raw.get("text") or kind), params))
    if not rules:
        raise CallError(f"{origin}: the call has no [[rules]]")
    countries = data.get("eligible_countries") or []
    return Call(call_id, str(data.get("name") or call_id), str(data.get("source") or ""),
                str(data.get("currency") or "EUR").upper(), tuple(str(c).upper() for c in countries), tuple(rules))


def read_call(path: Path) -> Call:
    try:
        data = tomllib.loads(files.read_bytes(path, limit=1 << 20).decode("utf-8"))
    except files.FileError as error:
        raise CallError(error.message) from None
    except OSError as error:
        raise CallError(f"cannot read {path}: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CallError(f"{path} is not a valid TOML file: {error}") from None
    return parse_call(data, str(path))


def available_calls() -> list[Call]:
    """The calls shipped with twintui."""
    return [read_call(path) for path in sorted(CALLS_DIR.glob("*.toml"))]


def load_call(name: str) -> Call:
    """A shipped call by its id, or a call file by its path."""
    path = Path(name).expanduser()
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise CallError(f"there is no call file {path}")
        return read_call(path)
    calls = available_calls()
    for call in calls:
        if call.id == name.strip():
            return call
    raise NotFoundError(f"there is no funding call '{name}'; known calls: {', '.join(c.id for c in calls)} "
                        "(or give the path of a call's .toml file)")


def check_call(call: Call, document: Document) -> list[RuleResult]:
    """Each rule of the call on the document, in the call's order."""
    results = []
    for rule in call.rules:
        result, reason = KINDS[rule.kind][1](call, rule, document)
        results.append(RuleResult(rule, result, reason))
    return results
