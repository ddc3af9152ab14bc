"""When the arrangement form's save meets someone else's change: the merge screen for the
arrangement or a partner, or, for a record deleted meanwhile, saving it again as a new one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.widgets import Static

from ...core.errors import ConflictError
from ...core.model import Arrangement, Partner, Record
from ...core.model.merge import of_records
from ...core.text import clip, when
from ..common.confirm import ConfirmScreen
from ..common.conflict import ConflictScreen
from ..common.fields import raw_of
from .partners import PartnerRow

if TYPE_CHECKING:
    from .form import ArrangementEditor


def fresh(record: Record) -> Record:
    """A copy without identity, revision or history: saved, it becomes a new record."""
    return record.replace(id="", rev=0, created_at="", created_by="", updated_at="", updated_by="")


class SaveConflicts:
    """A mixin of ``ArrangementEditor``: its state (fields, rows, what the store had) is the form's.

    One question at a time, each awaited (``push_screen_wait``) in a worker; an answer that saves
    again starts the form's save, which may meet the next conflict (a partner's)."""

    @work(exclusive=True, exit_on_error=False, group="editor-conflict", name="resolving the conflict")
    async def _resolve(self: ArrangementEditor, error: ConflictError) -> None:
        mine, theirs = error.mine, error.theirs
        if isinstance(mine, Arrangement):
            await self._resolve_arrangement(mine, theirs)
        elif isinstance(mine, Partner):
            await self._resolve_partner(mine, theirs)
        else:
            self.notify(error.message, severity="error", title="Not saved", markup=False)

    async def _resolve_arrangement(self: ArrangementEditor, mine: Arrangement, theirs: Record | None) -> None:
        if theirs is None:
            if await self.app.push_screen_wait(ConfirmScreen(
                    f"Someone deleted {mine.key} ({clip(mine.title, 60)}) after you opened it. Save your version "
                    "as a new arrangement, with a new id? (No keeps the form open, unsaved.)",
                    yes="Save as new", no="Cancel")):
                self._save_as_new()
            else:
                self.notify("Not saved: the form is as you left it.", markup=False)
            return
        merged = await self.app.push_screen_wait(ConflictScreen(of_records(mine, theirs, base=self._known)))
        if merged is None:
            self.notify("Not saved: the form is as you left it; ctrl+s tries again.", markup=False)
            return
        assert isinstance(merged, Arrangement) and isinstance(theirs, Arrangement)
        # Their revision is now the one the store holds: the merge is a change on top of it.
        self._known = theirs
        self._clean = raw_of(Arrangement.FIELDS, theirs)
        self.fields.load(merged)
        self.sub_title = self._title()
        self.query_one("#editor-heading", Static).update(Text(self._heading()))
        self.action_save()

    def _save_as_new(self: ArrangementEditor) -> None:
        new = fresh(self.arrangement_base)
        assert isinstance(new, Arrangement)
        self.fields.base = new
        self._known = None
        self._clean = raw_of(Arrangement.FIELDS, Arrangement())
        # The old partners went with the deleted arrangement: the form's partners become new ones.
        for row in self._rows:
            partner = fresh(row.record)
            assert isinstance(partner, Partner)
            row.record = partner.replace(arrangement="")
        self._stored_partners = {}
        self.sub_title = self._title()
        self.query_one("#editor-heading", Static).update(Text(self._heading()))
        self._show_partners()
        self.action_save()

    async def _resolve_partner(self: ArrangementEditor, mine: Partner, theirs: Record | None) -> None:
        row = next((r for r in self._rows if r.record.id and r.record.id == mine.id), None)
        name = mine.name or mine.id
        if row is None and theirs is None:
            # Removed here and gone there too: nothing left to delete.
            self._stored_partners.pop(mine.id, None)
            self.action_save()
            return
        if row is None:
            # A partner removed in this form that someone changed meanwhile.
            assert isinstance(theirs, Partner)
            stamp = f" at {when(theirs.updated_at)}" if theirs.updated_at else ""
            remove_anyway = await self.app.push_screen_wait(ConfirmScreen(
                f"{theirs.updated_by or 'Someone'} changed the partner {name}{stamp} after you opened the form. "
                "Remove it anyway?", yes="Remove anyway", no="Keep it"))
            self._stored_partners[theirs.id] = theirs
            if remove_anyway:
                self.action_save()
            else:
                self._rows.append(PartnerRow(next(self._keys), theirs))
                self._show_partners()
                self.notify(f"Kept {name} (their version); nothing saved yet.", markup=False)
            return
        if theirs is None:
            add_back = await self.app.push_screen_wait(ConfirmScreen(
                f"Someone removed the partner {name} after you opened the form. Add your version back as a "
                "new partner?", yes="Add it back", no="Leave it out"))
            self._stored_partners.pop(mine.id, None)
            if add_back:
                partner = fresh(row.record)
                assert isinstance(partner, Partner)
                row.record = partner
                self._show_partners(row.key)
                self.action_save()
            else:
                self._rows.remove(row)
                self._show_partners()
                self.notify(f"{name} is no longer in the form; nothing saved yet.", markup=False)
            return
        base = self._stored_partners.get(mine.id)
        merged = await self.app.push_screen_wait(ConflictScreen(of_records(mine, theirs, base=base)))
        if merged is None:
            self.notify("Not saved: the form is as you left it; ctrl+s tries again.", markup=False)
            return
        assert isinstance(merged, Partner) and isinstance(theirs, Partner)
        self._stored_partners[theirs.id] = theirs
        row.record = merged
        self._show_partners(row.key)
        self.action_save()
