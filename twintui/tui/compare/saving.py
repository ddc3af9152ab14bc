"""Saving one comparison, and keeping it in step with the store.

``ctrl+s`` saves the working copy in a task; edits made while it runs stay
unsaved. A save that meets someone else's newer revision opens the merge screen
(``merge.py``) and never overwrites silently; one that finds the comparison
deleted offers to save it as new. The app's store watcher tells of other users'
revisions: they are shown at once when nothing here is unsaved, else the title
line says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message

from ...core.compare import Comparison, merge, records
from ...core.compare.candidates import PartnerChoice, partner_choices
from ...core.compare.records import ComparisonRecord
from ...core.errors import ConflictError, ValidationError
from ..common.base import MainScreen
from ..common.confirm import ConfirmScreen
from ..common.tasks import task
from .edits import changes
from .merge import ComparisonConflictScreen

if TYPE_CHECKING:
    from .screen import ComparisonScreen


class ComparisonSaving(MainScreen):
    """The save and store-watching side of ``ComparisonScreen`` (a base of it: it uses the screen's state)."""

    @dataclass
    class ContextRead(Message):
        """The register's partners (for the candidate picker) and the other comparisons' names, at ``txn``."""

        partner_choices: list[PartnerChoice]
        names: set[str]
        txn: int

    @dataclass
    class Reread(Message):
        """The comparison as stored when the store was at ``txn``; None: deleted."""

        txn: int
        record: ComparisonRecord | None

    @dataclass
    class Saved(Message):
        stored: Comparison

    @dataclass
    class Refused(Message):
        """The store refused the save: someone else's revision (a conflict), or a name taken meanwhile."""

        refusal: ConflictError | ValidationError

    @task("reading the register's partners", group="comparison-context")
    def load_context(self: ComparisonScreen) -> ContextRead:
        names = {c.name for c in records.load_all(self.store) if c.id != self.comparison.id}
        return self.ContextRead(partner_choices(self.store), names, self.store.txn)

    @on(ContextRead)
    def context_read(self: ComparisonScreen, event: ContextRead) -> None:
        self.partner_choices, self.seen_txn = event.partner_choices, event.txn
        self.others |= event.names

    @task("reading the comparison again", group="comparison-reread")
    def reread(self: ComparisonScreen, txn: int) -> Reread | None:
        """The comparison as stored now (the store has moved to ``txn``)."""
        try:
            return self.Reread(txn, self.store.get(ComparisonRecord, self.known.id))
        except Exception:  # noqa: BLE001 - the app's store watcher says when the store cannot be read
            return None

    @on(Reread)
    def reread_done(self: ComparisonScreen, event: Reread) -> None:
        self.seen_txn = event.txn
        self.someone_saved(event.record)

    def save_stopped(self: ComparisonScreen, failure: str | None = None) -> None:
        """The save ended without storing (Tasks says why when it failed): the working copy stays."""
        self.saving = self.close_after_save = self.save_again = False
        self.show_title()

    @task("saving the comparison", group="comparison-save", reset=save_stopped)
    def save_worker(self: ComparisonScreen, snapshot: Comparison) -> Saved | Refused:
        try:
            return self.Saved(records.save(self.store, snapshot, records.SOURCE_SCREEN))
        except (ConflictError, ValidationError) as refusal:
            return self.Refused(refusal)

    @changes
    def action_save(self: ComparisonScreen) -> None:
        if self.saving:
            self.save_again = True
            return
        if not self.dirty and self.comparison.id and not self.gone:
            self.notify("Nothing to save: the store has this version.", timeout=3)
            if self.close_after_save:
                self.close_after_save = False
                self.dismiss(self.comparison.id)
            return
        self.saving = True
        self.edits_saving = self.edits
        self.show_title()
        self.save_worker(records.copy(self.comparison))

    @on(Saved)
    def saved(self: ComparisonScreen, event: Saved) -> None:
        self.saving = False
        stored, c = event.stored, self.comparison
        # Edits made while the save ran stay in the working copy, still unsaved.
        c.id, c.rev = stored.id, stored.rev
        c.created_at, c.created_by, c.updated_at, c.updated_by = (stored.created_at, stored.created_by,
                                                                  stored.updated_at, stored.updated_by)
        self.known = stored
        self.edits = max(0, self.edits - self.edits_saving)
        self.newer = None
        self.gone = False
        self.notify(f"Saved {stored.name} (revision {stored.rev})", markup=False, timeout=3)
        self.refresh_all()
        if self.save_again and self.dirty:
            self.save_again = False
            self.action_save()
            return
        self.save_again = False
        if self.close_after_save:
            self.close_after_save = False
            self._when_active(lambda: self.dismiss(stored.id))

    @on(Refused)
    def save_refused(self: ComparisonScreen, event: Refused) -> None:
        self.save_stopped()
        refusal = event.refusal
        if isinstance(refusal, ConflictError):
            self._when_active(lambda: self.resolve(refusal))
            return
        hint = " Press d to change the name." if any(p.field == "name" for p in refusal.problems) else ""
        self.notify(refusal.message + hint, severity="error", title="Not saved", timeout=12, markup=False)

    @work(exclusive=True, exit_on_error=False, group="comparison-conflict", name="resolving the conflict")
    async def resolve(self: ComparisonScreen, error: ConflictError) -> None:
        theirs = records.of_conflict(error.theirs)
        if theirs is None:
            if await self.app.push_screen_wait(ConfirmScreen(
                    f"Someone deleted “{self.comparison.name}” after you opened it. Save your version as a new "
                    "comparison? (No keeps it here, unsaved.)", yes="Save as new", no="Cancel")):
                self.comparison.id, self.comparison.rev = "", 0
                self.known = Comparison(self.comparison.name)
                self.gone = False
                self.action_save()
            else:
                self.gone = True
                self.show_title()
                self.notify("Not saved: your version is still here.", markup=False)
            return
        merged = await self.app.push_screen_wait(
            ComparisonConflictScreen(merge.conflict(self.known, self.comparison, theirs)))
        if merged is None:
            self.newer = ComparisonRecord.of(theirs)
            self.show_title()
            self.notify("Not saved: your version is still here; ctrl+s shows both versions again.", markup=False)
            return
        # Their revision is what the store holds now: the merge is a change on top of it.
        self.known = theirs
        self.comparison = merged
        self.newer = None
        self.changed()
        self.action_save()

    def someone_saved(self: ComparisonScreen, record: ComparisonRecord | None) -> None:
        """Someone else wrote to the store: take their version if nothing here is unsaved, else say so."""
        if self.saving:
            return
        if record is None:
            if self.known.id and not self.gone:
                self.gone = True
                self.show_title()
            return
        if record.rev <= self.known.rev:
            return
        theirs = record.comparison()
        if self.dirty:
            self.newer = record
            self.show_title()
            return
        factor, candidate = self.grid.factor, self.grid.candidate
        self.comparison = theirs
        self.known = records.copy(theirs)
        self.edits = 0
        self.changed()
        self.grid.move_to(factor, candidate)
        self.notify(f"{record.updated_by} saved revision {record.rev}: it is shown now.", markup=False)
