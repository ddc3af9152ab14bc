"""The arrangement form: create or edit one arrangement with its partners.

Every widget is generated from the record's ``FIELDS`` (one description per
field, shared with the workbook and the validation), so a field added to the
model shows up here with its label, its vocabulary and its checks. The form
holds text as typed; ``build()`` turns it into a typed record and lists every
problem, which is shown under its field ("error:" blocks saving, "warning:" is
saved). Saving runs in a task as one store transaction (arrangement, new and
changed partners, removed partners): all of it lands or none. When someone else
saved the same record meanwhile, the store refuses and the user resolves the
conflict field by field (``ConflictScreen``) before the form saves again.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Button,
    Header,
    Label,
    Static,
)

from ...core.arrangement import Saved as Stored
from ...core.arrangement import save_with_partners
from ...core.errors import ConflictError, ValidationError
from ...core.model import Arrangement, Partner, Problem, errors
from ...core.text import clip, plural
from ..common.fields import (
    FieldEditor,
    RecordFields,
    raw_of,
    same_raw,
)
from ..common.footer import Footer
from ..common.base import WhenActive
from ..common.confirm import ConfirmScreen
from ..common.tasks import Tasks, task
from .conflicts import SaveConflicts
from .partners import PartnerForm, PartnerRow, PartnerTable

if TYPE_CHECKING:
    from ...core.store import Store

# The audit log's name for changes made in this form.
SOURCE = "screen:register"
FIELD_NAMES = frozenset(f.name for f in Arrangement.FIELDS)


class ArrangementEditor(WhenActive, SaveConflicts, Tasks, Screen[Arrangement | None]):
    """Create (``arrangement=None``) or edit an arrangement with its partners.

    The result is the arrangement as stored, or None when the user cancels.
    """

    @dataclass
    class Saved(Message):
        """The arrangement and its partners as stored (ids, revisions)."""

        stored: Stored

    @dataclass
    class Conflict(Message):
        """Someone else saved (or deleted) the arrangement or a partner meanwhile: nothing was saved."""

        conflict: ConflictError

    @dataclass
    class Invalid(Message):
        """The store's own check under its lock found errors: nothing was saved."""

        refusal: ValidationError

    HELP_TITLE = "Arrangement form"

    CSS_PATH = "../common/edit.tcss"
    HELP: ClassVar[str] = ("Every field of the arrangement, then its partners. tab and shift+tab move between "
                           "fields; ctrl+s checks and saves; escape closes (asking first when something changed). "
                           "Fields marked * are required; problems are shown under their field.")
    # Focused in on_mount instead: focusing before the first layout scrolls the heading away.
    AUTO_FOCUS = None

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="editor.save",
                tooltip="Check the form and save the arrangement with its partners"),
        Binding("escape", "cancel", "Cancel", id="editor.cancel",
                tooltip="Close the form; asks first when there are unsaved changes"),
        Binding("f2", "partners", "Partners", id="editor.partners",
                tooltip="Jump to the list of partners"),
    ]

    def __init__(self, store: Store, arrangement: Arrangement | None, partners: list[Partner],
                 *, start: Arrangement | None = None) -> None:
        """``start``: what a new arrangement's form starts with (a focal point's own state)."""
        super().__init__()
        self.store = store
        base = arrangement or start or Arrangement()
        # The version last read from the store: what "unsaved" and a three-way merge compare with.
        self._known: Arrangement | None = arrangement
        self._clean = raw_of(Arrangement.FIELDS, base)
        self._keys = (f"row-{n}" for n in itertools.count(1))
        self._rows = [PartnerRow(next(self._keys), p) for p in partners]
        self._stored_partners: dict[str, Partner] = {p.id: p for p in partners if p.id}
        self.fields = RecordFields(Arrangement, base, id="arrangement-fields")
        self._saving = False
        self._warnings: list[Problem] = []  # of the save under way, shown when it lands

    # -- layout -------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="editor-form"):
            yield Static(self._heading(), id="editor-heading", markup=False)
            yield Static("", id="editor-status", markup=False)
            yield self.fields
            with Vertical(id="editor-partners"):
                yield Label("Partners", classes="section-title")
                yield Static("a add · e or enter edit · x or delete remove · saved with the arrangement",
                             classes="hint", markup=False)
                yield PartnerTable(id="partner-table", cursor_type="row", zebra_stripes=True)
                yield Static("No partners yet: press a in the list above, or the button, to add one.",
                             id="partners-empty", markup=False)
                yield Button("Add partner", id="partner-add")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self._title()
        table = self.query_one(PartnerTable)
        table.add_column("Name", key="name")
        table.add_column("Type", key="type")
        table.add_column("Country", key="country")
        table.add_column("Role", key="role")
        self._show_partners()
        first = self.fields.editors[self.fields.fields[0].name]
        first.control.focus(scroll_visible=False)

    def _title(self) -> str:
        base = self.arrangement_base
        return f"Edit {base.id}" if base.id else "New arrangement"

    def _heading(self) -> str:
        base = self.arrangement_base
        if not base.id:
            return "New arrangement · * required"
        return f"{base.id} · revision {base.rev} · * required"

    @property
    def arrangement_base(self) -> Arrangement:
        base = self.fields.base
        assert isinstance(base, Arrangement)
        return base

    def _status(self, text: str) -> None:
        status = self.query_one("#editor-status", Static)
        status.update(Text(text))
        status.display = bool(text)

    # -- state --------------------------------------------------------------
    @property
    def partners(self) -> list[Partner]:
        """The partners as the form holds them now (new ones without an id)."""
        return [row.record for row in self._rows]

    def _partner_changes(self) -> tuple[list[Partner], list[Partner]]:
        """Partners to save (new or changed) and to delete (removed from the form)."""
        save = []
        for row in self._rows:
            before = self._stored_partners.get(row.record.id) if row.record.id else None
            if before is None or row.record.differences(before):
                save.append(row.record)
        kept = {row.record.id for row in self._rows if row.record.id}
        delete = [p for key, p in self._stored_partners.items() if key not in kept]
        return save, delete

    @property
    def has_unsaved_changes(self) -> bool:
        """Whether the form holds anything the store does not: the app asks before quitting."""
        if not self.is_mounted:
            return False
        save, delete = self._partner_changes()
        return bool(save or delete) or not same_raw(self.fields.raw(), self._clean)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a save runs the form is frozen: shown greyed out, not hidden.
        if self._saving and action in {"save", "cancel", "add_partner", "edit_partner", "remove_partner"}:
            return None
        return True

    # -- partners -----------------------------------------------------------
    def _show_partners(self, cursor_key: str | None = None) -> None:
        table = self.query_one(PartnerTable)
        row_before = table.cursor_row
        table.clear()
        for row in self._rows:
            p = row.record
            # Clipped so the four columns fit in 80 columns without scrolling sideways.
            table.add_row(clip(p.name, 30), clip(p.type or "", 18), p.country or "", p.role or "", key=row.key)
        self.query_one("#partners-empty").display = not self._rows
        if not self._rows:
            return
        keys = [row.key for row in self._rows]
        target = keys.index(cursor_key) if cursor_key in keys else min(row_before, len(keys) - 1)
        table.move_cursor(row=target)

    def _current_row(self) -> PartnerRow | None:
        if not self._rows:
            return None
        table = self.query_one(PartnerTable)
        return self._rows[min(table.cursor_row, len(self._rows) - 1)]

    def action_partners(self) -> None:
        table = self.query_one(PartnerTable)
        table.focus()
        table.scroll_visible()

    def action_add_partner(self) -> None:
        def added(partner: Partner | None) -> None:
            if partner is None:
                return
            row = PartnerRow(next(self._keys), partner)
            self._rows.append(row)
            self._show_partners(row.key)
            self.query_one(PartnerTable).focus()

        self.app.push_screen(PartnerForm(None, arrangement_id=self.arrangement_base.id), added)

    def action_edit_partner(self) -> None:
        row = self._current_row()
        if row is None:
            self.notify("There is no partner to edit: press a to add one.", severity="warning")
            return

        def edited(partner: Partner | None) -> None:
            if partner is not None:
                row.record = partner
                self._show_partners(row.key)

        self.app.push_screen(PartnerForm(row.record, arrangement_id=self.arrangement_base.id), edited)

    def action_remove_partner(self) -> None:
        row = self._current_row()
        if row is None:
            self.notify("There is no partner to remove.", severity="warning")
            return

        def answered(remove: bool | None) -> None:
            if remove and row in self._rows:
                self._rows.remove(row)
                self._show_partners()

        self.app.push_screen(ConfirmScreen(f"Remove the partner {row.record.name or '(no name)'} from this "
                                           "arrangement? It leaves the register when you save.",
                                           yes="Remove", no="Keep"), answered)

    @on(Button.Pressed, "#partner-add")
    def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_add_partner()

    # -- cancel -------------------------------------------------------------
    def action_cancel(self) -> None:
        if not self.has_unsaved_changes:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard your changes?", yes="Discard", no="Keep editing"), answered)

    # -- save ---------------------------------------------------------------
    def action_save(self) -> None:
        if self._saving:
            return
        record, problems = self.fields.check()
        bad = errors(problems)
        leftover = self.fields.unshown(problems)
        self._status("\n".join(f"{p.severity}: {p}" for p in leftover))
        if bad:
            first = self.fields.first_bad(bad)
            if first is not None:
                first.focus_control()
            self.notify(f"{plural(len(bad), 'problem')}: fix the marked fields", severity="error",
                        title="Not saved", markup=False)
            return
        assert isinstance(record, Arrangement)
        self._warnings = [p for p in problems if not p.is_error]
        save, delete = self._partner_changes()
        self._saving = True
        self.refresh_bindings()
        self._status("Saving…")
        self._save(record, save, delete)

    def _unfreeze(self, failure: str | None = None) -> None:
        # (A failure is said by Tasks; the form and its contents stay, and ctrl+s tries again.)
        self._saving = False
        self.refresh_bindings()
        self._status("")

    @task("saving the arrangement", group="editor-save", reset=_unfreeze)
    def _save(self, arrangement: Arrangement, save: list[Partner], delete: list[Partner]
              ) -> Saved | Conflict | Invalid:
        try:
            return self.Saved(save_with_partners(self.store, arrangement, save=save, delete=delete, source=SOURCE))
        except ConflictError as conflict:
            return self.Conflict(conflict)
        except ValidationError as refusal:
            return self.Invalid(refusal)

    # A save can land while the user looks at another screen: the form answers when they are back.
    @on(Saved)
    def _stored(self, event: Saved) -> None:
        self._when_active(lambda: self._saved(event.stored))

    @on(Conflict)
    def _conflicted(self, event: Conflict) -> None:
        self._when_active(lambda: self._met_conflict(event.conflict))

    @on(Invalid)
    def _invalid(self, event: Invalid) -> None:
        self._when_active(lambda: self._refused(event.refusal))

    def _saved(self, outcome: Stored) -> None:
        self._unfreeze()
        saved = outcome.arrangement
        # The one message of a save: what was saved and, when there are any, the warnings themselves.
        note = f"{saved.id} saved (revision {saved.rev})"
        if self._warnings:
            lines = [f"warning: {Arrangement.field(p.field).label if p.field in FIELD_NAMES else p.field}: "
                     f"{p.message}" for p in self._warnings]
            note += f" with {plural(len(self._warnings), 'warning')}:\n" + "\n".join(lines)
        self.notify(note, title="Saved", severity="warning" if self._warnings else "information",
                    timeout=12 if self._warnings else 5, markup=False)
        self.dismiss(saved)

    def _met_conflict(self, conflict: ConflictError) -> None:
        self._unfreeze()
        self._resolve(conflict)

    def _refused(self, error: ValidationError) -> None:
        self._unfreeze()
        # The store checks again under its lock: show what it found where it belongs.
        if isinstance(error.record, Arrangement):
            self.fields.show(error.problems)
            first = self.fields.first_bad(errors(error.problems))
            if first is not None:
                first.focus_control()
        self.notify(error.message, severity="error", title="Not saved", markup=False)


__all__ = [
    "SOURCE", "ArrangementEditor", "FieldEditor", "PartnerForm", "PartnerRow", "PartnerTable", "RecordFields",
]
