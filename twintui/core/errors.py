"""Errors a user can act on. Each carries the message to show and the exit code."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Problem, Record


class TwintuiError(Exception):
    """An error with a message meant for the user (never shown with a traceback)."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class StoreError(TwintuiError):
    """The store cannot be opened, read or written."""


class ConflictError(TwintuiError):
    """Someone else saved (or deleted) the record since it was read.

    Carries both versions so the screen can show them side by side; ``theirs``
    is None when the record was deleted meanwhile. ``base`` is the version the user
    started from, when the one who saved knows it (the store does not keep it): the
    merge screen then picks per field the side that changed.
    """

    exit_code = 1

    def __init__(self, mine: Record, theirs: Record | None, base: Record | None = None):
        who = f"{theirs.updated_by} at {theirs.updated_at}" if theirs else "someone"
        what = "deleted" if theirs is None else f"changed (revision {mine.rev} → {theirs.rev})"
        super().__init__(f"{mine.key} was {what} by {who} since you opened it; nothing was saved")
        self.mine = mine
        self.theirs = theirs
        self.base = base


class ValidationError(TwintuiError):
    """A record has errors; nothing was saved."""

    exit_code = 1

    def __init__(self, record: Record, problems: list[Problem]):
        listed = "; ".join(str(p) for p in problems)
        super().__init__(f"{record.key or 'new ' + type(record).__name__.lower()}: {listed}")
        self.record = record
        self.problems = problems


class NotFoundError(TwintuiError):
    exit_code = 1


class AccessError(TwintuiError):
    """The user may not make this change on a shared server (see the access file); nothing was changed."""

    exit_code = 1
