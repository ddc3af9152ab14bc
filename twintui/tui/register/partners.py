"""The arrangement form's partners: the list of them, a row, and the form for one partner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from ...core.model import Partner
from ..common.record_form import RecordForm


class PartnerForm(RecordForm[Partner]):
    """Add or edit one partner; it is stored with the arrangement when the form is saved."""

    HELP_TITLE = "Partner form"

    HELP: ClassVar[str] = ("One partner of the arrangement. ctrl+s keeps it in the arrangement form; it is "
                           "written to the register when the arrangement is saved.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "done", "Keep partner", id="partner.done",
                tooltip="Check the partner and keep it in the arrangement form"),
        Binding("escape", "cancel", "Cancel", id="partner.cancel",
                tooltip="Close without keeping these changes; asks first when something changed"),
    ]
    NOUN = "partner"
    DONE_LABEL = "Keep partner"

    def __init__(self, partner: Partner | None = None, *, arrangement_id: str = "") -> None:
        title = "New partner" if partner is None else f"Partner {partner.id or '(new)'}"
        super().__init__(Partner, partner or Partner(arrangement=arrangement_id), skip=("arrangement",),
                         heading=f"{title}: * required; saved with the arrangement", first_field="name",
                         id_prefix="partner")
        self.partner = partner


class PartnerTable(DataTable[str]):
    """The arrangement's partners: a adds, e or enter edits, x or delete removes."""

    HELP_NAME = "partners"
    HELP: ClassVar[str] = ("The partners of this arrangement. a adds one, e or enter edits the highlighted one, "
                           "x or delete removes it (after asking). Changes are saved with the arrangement.")

    # Replaces DataTable's own enter (select cursor): enter edits the partner.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.add_partner", "Add partner", id="editor.partner.add",
                tooltip="Add a partner to this arrangement"),
        Binding("e,enter", "screen.edit_partner", "Edit partner", id="editor.partner.edit",
                tooltip="Edit the highlighted partner"),
        Binding("x,delete", "screen.remove_partner", "Remove partner", id="editor.partner.remove",
                tooltip="Remove the highlighted partner (asks first)"),
        # In a list of rows, home and end go to the first and last row (DataTable scrolls sideways).
        Binding("home", "scroll_top", "First partner", show=False, id="editor.partner.first",
                tooltip="Go to the first partner"),
        Binding("end", "scroll_bottom", "Last partner", show=False, id="editor.partner.last",
                tooltip="Go to the last partner"),
    ]


@dataclass
class PartnerRow:
    """A partner in the form; ``key`` tells rows apart before a new partner has an id."""

    key: str
    record: Partner
