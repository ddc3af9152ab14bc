"""Saving one comparison, and keeping it in step with the store.

``ctrl+s`` saves the working copy in a worker; edits made while it runs stay
unsaved. A save that meets someone else's newer revision opens the merge screen
(``merge.py``) and never overwrites silently; one that finds the comparison
deleted offers to save it as new. A poll notices other users' revisions: they are
shown at once when nothing here is unsaved, else the title line says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from ...core.compare import Comparison, merge, records
from ...core.compare.candidates import PartnerChoice, partner_choices
from ...core.compare.records import ComparisonRecord
from ...core.errors import ConflictError, TwintuiError, ValidationError
from ..common.confirm import ConfirmScreen
from .edits import changes
from .merge import ComparisonConflictScreen

if TYPE_CHECKING:
    from .screen import ComparisonScreen


class ComparisonSaving:
    """The save and store-watching side of ``ComparisonScreen`` (a mixin: it uses the screen's state)."""

    @work(thread=True, exclusive=True, exit_on_error=False, group="comparison-context", name="load-context")
    def load_context(self: ComparisonScreen) -> tuple[list[PartnerChoice], set[str], int]:
        """The register's partners (for the candidate picker) and the other comparisons' names."""
        names = {c.name for c in records.load_all(self.store) if c.id != self.comparison.id}
        return partner_choices(self.store), names, self.store.txn

    @work(thread=True, exclusive=True, exit_on_error=False, group="comparison-reread", name="reread-comparison")
    def reread(self: ComparisonScreen, txn: int) -> tuple[int, ComparisonRecord | None]:
        """The comparison as stored now (the store has moved to ``txn``)."""
        return txn, self.store.get(ComparisonRecord, self.known.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="comparison-save", name="save-comparison")
    def save_worker(self: ComparisonScreen, snapshot: Comparison) -> Comparison:
        return records.save(self.store, snapshot, records.SOURCE_SCREEN)

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

    def saved(self: ComparisonScreen, stored: Comparison) -> None:
        c = self.comparison
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

    def save_failed(self: ComparisonScreen, error: BaseException | None) -> None:
        self.close_after_save = False
        self.save_again = False
        self.show_title()
        if isinstance(error, ConflictError):
            self.resolve(error)
        elif isinstance(error, TwintuiError):
            hint = " Press d to change the name." if isinstance(error, ValidationError) and any(
                p.field == "name" for p in error.problems) else ""
            self.notify(error.message + hint, severity="error", title="Not saved", timeout=12, markup=False)
        else:
            self.log.error(f"save failed: {error!r}")
            self.notify(f"Could not save: {error}. Your changes are still here; ctrl+s tries again.",
                        severity="error", title="Not saved", timeout=15, markup=False)

    def resolve(self: ComparisonScreen, error: ConflictError) -> None:
        theirs = records.of_conflict(error.theirs)
        if theirs is None:
            def answered(as_new: bool | None) -> None:
                if as_new:
                    self.comparison.id, self.comparison.rev = "", 0
                    self.known = Comparison(self.comparison.name)
                    self.gone = False
                    self.action_save()
                else:
                    self.gone = True
                    self.show_title()
                    self.notify("Not saved: your version is still here.", markup=False)

            self.app.push_screen(ConfirmScreen(
                f"Someone deleted “{self.comparison.name}” after you opened it. Save your version as a new "
                "comparison? (No keeps it here, unsaved.)", yes="Save as new", no="Cancel"), answered)
            return

        def merged_chosen(merged: Comparison | None) -> None:
            if merged is None:
                self.newer = ComparisonRecord.of(theirs)
                self.show_title()
                self.notify("Not saved: your version is still here; ctrl+s shows both versions again.",
                            markup=False)
                return
            # Their revision is what the store holds now: the merge is a change on top of it.
            self.known = theirs
            self.comparison = merged
            self.newer = None
            self.changed()
            self.action_save()

        differences = merge.conflict(self.known, self.comparison, theirs)
        self.app.push_screen(ComparisonConflictScreen(differences), merged_chosen)

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
