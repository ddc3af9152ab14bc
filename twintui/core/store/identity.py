"""Who acts on a store: the operating-system user, to whom every change is attributed."""

from __future__ import annotations

import os
import pwd

from ..errors import StoreError


def current_user() -> str:
    """The operating-system user: who a change is attributed to (never an env variable)."""
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return f"uid{os.getuid()}"


# Whether ``Store(user=...)`` may name someone other than the operating-system user. Only the
# tests set it (tests/conftest.py: one process stands in for several officials); root may anyway.
# Inside one Python process nothing is enforced against its own code: this keeps the API from
# offering what the command line and the screens never do (README: a shared server).
ACT_AS_OTHERS = False


def acting_user(user: str | None) -> str:
    """The user a Store acts as: the operating-system user, or ``user`` for root (and the tests)."""
    real = current_user()
    if user is None or user == real:
        return real
    if os.geteuid() == 0 or ACT_AS_OTHERS:
        return user
    raise StoreError(f"{real} may not open a store as {user}: changes are attributed to the operating-system "
                     "user (only root may act as another)")
