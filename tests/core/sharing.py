"""A shared store for the access tests: two states' arrangements, a maintainer, two focal points, a reader."""

from __future__ import annotations

from pathlib import Path

from twintui.core import access
from twintui.core.model import Arrangement, Partner
from twintui.core.store import Store, current_user, policy

ME = current_user()  # the test process's own user: the store file's owner


def arrangement(state: str, title: str = "Exchange of selection officers") -> Arrangement:
    return Arrangement(reporting_state=state, title=title, status="planned")


def as_user(path: Path, user: str) -> Store:
    return Store.open(path, user=user)


def make_shared(store_path: Path) -> Path:
    """NOR and SWE arrangements (each with a partner), maintainer ME, focal points nor-fp and swe-fp, a reader."""
    owner = Store.open(store_path)
    for state in ("NOR", "SWE"):
        with owner.transaction("test") as tx:
            a = arrangement(state)
            tx.save(a)
            tx.save(Partner(name=f"{state} ministry", type="state", country=state, role="lead"), parent=a)
    access.grant(owner, ME, policy.MAINTAINER)
    access.grant(owner, "nor-fp", policy.FOCAL_POINT, ["NOR"])
    access.grant(owner, "swe-fp", policy.FOCAL_POINT, ["Sweden"])
    access.grant(owner, "reader", policy.READ_ONLY)
    return store_path
