"""Spending against the funding period: the burn rate.

The figure: **burn rate = share of the funds spent ÷ share of the funding period gone by**, both at
the end of the latest quarter a return reported spending for. 1.0 is spending evenly over the
period; 1.5 is spending half as fast again as the period runs (at that pace the funds run out
before the period ends, on ``runs_out``); 0.5 is spending half as fast (funds left over, or work
behind). The funds and the period are those of the MoU's section 7 (amount, available from and
until), else the arrangement's funding amount and its start and end dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..mou.dates import iso
from ..mou.parts import figure
from .values import Reading, by_quarter, quarter_end


@dataclass(frozen=True)
class Burn:
    """The latest spending reported, against the funds and their period."""

    quarter: str
    spent: float
    amount: float | None  # the funds (None: not known)
    currency: str
    start: dt.date | None  # the funding period
    end: dt.date | None

    @property
    def day(self) -> dt.date:
        return quarter_end(self.quarter)

    @property
    def share_spent(self) -> float | None:
        return self.spent / self.amount if self.amount else None

    @property
    def share_elapsed(self) -> float | None:
        """How much of the funding period had gone by at the quarter's end (0 to 1)."""
        if self.start is None or self.end is None or self.end < self.start:
            return None
        whole = (self.end - self.start).days + 1
        gone = (min(max(self.day, self.start - dt.timedelta(days=1)), self.end) - self.start).days + 1
        return gone / whole

    @property
    def rate(self) -> float | None:
        spent, elapsed = self.share_spent, self.share_elapsed
        return spent / elapsed if spent is not None and elapsed else None

    @property
    def runs_out(self) -> dt.date | None:
        """At the average pace since the period began, the day the funds are spent, if before the period ends."""
        if not self.amount or self.start is None or self.end is None or self.spent <= 0 or self.day < self.start:
            return None
        per_day = self.spent / ((self.day - self.start).days + 1)
        day = self.start + dt.timedelta(days=max(0, int(self.amount / per_day) - 1))
        return day if day < self.end else None

    def text(self) -> str:
        """One line: 'NOK 1,200,000 of 3,500,000 spent (34%) by 2026-09-30, 58% of the period gone: burn rate 0.59'."""
        money = f"{self.currency} {figure(self.spent)}".strip()
        if self.amount is None:
            return f"{money} spent by {iso(self.day)} (the funds are not known)"
        spent, elapsed, rate = self.share_spent, self.share_elapsed, self.rate
        out = f"{money} of {figure(self.amount)} spent ({spent:.0%}) by {iso(self.day)}"
        if elapsed is None:
            return f"{out} (the funding period is not known)"
        out += f", {elapsed:.0%} of the period gone"
        if rate is not None:
            out += f": burn rate {rate:.2f}"
        if self.runs_out is not None:
            out += f", funds spent by {iso(self.runs_out)} at this pace"
        return out

    def to_json(self) -> dict[str, Any]:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {"quarter": self.quarter, "spent": self.spent, "amount": self.amount, "currency": self.currency,
                "period": [iso(self.start), iso(self.end)], "share_spent": rounded(self.share_spent),
                "share_elapsed": rounded(self.share_elapsed), "burn_rate": rounded(self.rate),
                "runs_out": iso(self.runs_out)}


def burn(readings: Iterable[Reading], amount: float | None, currency: str, start: dt.date | None,
         end: dt.date | None, as_of: dt.date | None = None) -> Burn | None:
    """The burn of the latest spending reported (None when none is)."""
    values = by_quarter(readings, as_of)
    if not values:
        return None
    latest = values[-1]
    return Burn(latest.quarter, latest.value, amount, currency, start, end)
