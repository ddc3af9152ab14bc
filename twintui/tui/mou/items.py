"""The tables of the MoU sections made of rows (objectives, roles, activities) and the editor's keys on them.

Each table is a DataTable whose keys add, edit, remove and move rows; the forms
for one row are in ``forms``. ``ItemActions`` is what the editor does with those
keys: open the row's form, put the kept row into the working copy.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from ...core.mou.dates import iso
from ...core.mou.model import Activity, Objective, Role, Sections
from ...core.mou.smart import ObjectiveReview
from ...core.mou.versions import Document
from ...core.text import clip
from ..common.base import MainScreen
from ..common.confirm import ConfirmScreen
from .forms import ActivityForm, ItemForm, RoleForm
from .objective import ObjectiveForm


class ItemTable(DataTable[Text]):
    """Rows of a section: a adds, e or enter edits, x or delete removes, shift+up/down move.

    Column widths follow the table's width (the flexible column takes what the
    fixed ones leave), so the rows fit a narrow pane without scrolling sideways.
    """

    KIND: ClassVar[str] = ""
    NOUN: ClassVar[str] = ""
    # (key, header, width, shown only when the table is at least this wide); width 0 is the flexible column.
    COLUMNS: ClassVar[tuple[tuple[str, str, int, int], ...]] = ()

    # The rows are cut to the width, so never a sideways scrollbar: one that appeared with the vertical
    # one (2 columns wide by default, where the widths leave 1) took the last row's line, and the
    # cursor's row could stay under it.
    DEFAULT_CSS = """
    ItemTable { scrollbar-size-vertical: 1; overflow-x: hidden; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.add_item", "Add", id="mou.table.add", tooltip="Add a row to this section"),
        Binding("e,enter", "screen.edit_item", "Edit row", id="mou.table.edit", tooltip="Edit the highlighted row"),
        Binding("x,delete", "screen.remove_item", "Remove", id="mou.table.remove",
                tooltip="Remove the highlighted row (asks first)"),
        Binding("shift+up", "screen.move_item(-1)", "Move up", show=False, id="mou.table.up",
                tooltip="Move the highlighted row up"),
        Binding("shift+down", "screen.move_item(1)", "Move down", show=False, id="mou.table.down",
                tooltip="Move the highlighted row down"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.items: list[Any] = []
        self.extras: list[Any] = []
        self._width = 0

    @property
    def shown_columns(self) -> list[tuple[str, str, int, int]]:
        return [c for c in self.COLUMNS if self._width >= c[3]]

    def _flexible_width(self) -> int:
        shown = self.shown_columns
        fixed = sum(c[2] for c in shown)
        # Each cell has one space of padding on both sides; one column for a scrollbar.
        return max(self._width - fixed - 2 * len(shown) - 1, 8)

    def _build(self, row: int | None = None) -> None:
        row = self.cursor_row if row is None else row
        self.clear(columns=True)
        flexible = self._flexible_width()
        shown = self.shown_columns
        for key, label, width, _ in shown:
            self.add_column(label, key=key, width=width or flexible)
        keys = [c[0] for c in self.COLUMNS]
        for number, item in enumerate(self.items, 1):
            extra = self.extras[number - 1] if number - 1 < len(self.extras) else None
            cells = dict(zip(keys, self.cells(number, item, extra), strict=True))
            self.add_row(*(cells[c[0]] for c in shown), key=str(number))
        if self.items:
            self.move_cursor(row=max(0, min(row, len(self.items) - 1)))
            # Once more when the new rows are laid out: a scrollbar that appears with them (a form just
            # closed) leaves the cursor's row one line out of view (Textual #4524).
            self.call_after_refresh(self._cursor_in_view)

    def _cursor_in_view(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.cursor_row)

    def on_mount(self) -> None:
        self._build()

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            self._build()

    def cells(self, number: int, item: Any, extra: Any = None) -> list[Text]:
        return []

    @property
    def flexible(self) -> int:
        return self._flexible_width()

    def refresh_extras(self, extras: list[Any], key: str) -> None:
        """New review results for the same rows: only the cells of column ``key`` change."""
        self.extras = list(extras)
        if self.row_count != len(self.items) or key not in [c[0] for c in self.shown_columns]:
            return
        index = [c[0] for c in self.COLUMNS].index(key)
        for number, item in enumerate(self.items, 1):
            extra = extras[number - 1] if number - 1 < len(extras) else None
            self.update_cell(str(number), key, self.cells(number, item, extra)[index])

    def fill(self, items: list[Any], extras: list[Any] | None = None, cursor: int | None = None) -> None:
        self.items, self.extras = list(items), list(extras or [])
        self._build(cursor)


class ObjectiveTable(ItemTable):
    KIND = "objectives"
    NOUN = "objective"
    HELP = ("The objectives of section 3, with their SMART letters ('-' is a rule not met; the side panel and the "
            "objective form say why). a adds, e or enter edits, x removes, shift+up/down move a row.")
    COLUMNS = (("n", "#", 2, 0), ("smart", "SMART", 9, 0), ("text", "Objective", 0, 0), ("due", "Due", 10, 48))

    def cells(self, number: int, item: Objective, extra: ObjectiveReview | None = None) -> list[Text]:
        letters = extra.letters() if extra is not None else ""
        return [Text(str(number)), Text(letters, style="bold" if extra is not None and extra.ok else ""),
                Text(clip(item.text or "(no text)", self.flexible)), Text(clip(item.due, 10))]


class RoleTable(ItemTable):
    KIND = "roles"
    NOUN = "role"
    HELP = ("The roles of section 4: each partner and person with what they are responsible for; * marks overall "
            "responsibility. a adds, e or enter edits, x removes, shift+up/down move a row.")
    COLUMNS = (("overall", "*", 1, 0), ("party", "Partner", 0, 0), ("person", "Person", 14, 0))

    def cells(self, number: int, item: Role, extra: Any = None) -> list[Text]:
        return [Text("*" if item.overall else ""), Text(clip(item.party, self.flexible)),
                Text(clip(item.person, 14))]


class ActivityTable(ItemTable):
    KIND = "activities"
    NOUN = "activity"
    HELP = ("The implementation plan of section 5: what, start, end; ! marks an activity to check (outside the MoU "
            "period, no owner, no milestone, no dates). a adds, e or enter edits, x removes, shift+up/down move.")
    COLUMNS = (("flag", "!", 1, 0), ("n", "#", 2, 0), ("what", "Activity", 0, 0), ("start", "Start", 10, 0),
               ("end", "End", 10, 56))

    def cells(self, number: int, item: Activity, extra: bool | None = None) -> list[Text]:
        return [Text("!" if extra else ""), Text(str(number)), Text(clip(item.what or "(no name)", self.flexible)),
                Text(iso(item.start) or ""), Text(iso(item.end) or "")]


TABLES: dict[str, type[ItemTable]] = {"objectives": ObjectiveTable, "roles": RoleTable, "activities": ActivityTable}


# The form that edits one row of each table.
FORMS: dict[str, type[ItemForm]] = {"objectives": ObjectiveForm, "roles": RoleForm, "activities": ActivityForm}


class ItemActions(MainScreen):
    """The editor's answers to the tables' keys (a, e, x, shift+up/down): a base of ``MouEditor``.

    It changes the editor's working copy (``working``) and asks the editor to show it again
    (``_show_tables``, ``_refresh_review``); ``_frozen_note`` says when nothing may change.
    """

    working: Sections
    document: Document | None

    def _table(self) -> ItemTable | None:
        focused = self.focused
        return focused if isinstance(focused, ItemTable) else None

    def _names(self) -> list[str]:
        names = self.working.role_names()
        if self.document is not None:
            names += [p.name for p in self.document.partners]
        return names

    def _open_form(self, table: ItemTable, index: int | None) -> None:
        items: list[Any] = getattr(self.working, table.KIND)
        item = items[index] if index is not None else None
        number = (index + 1) if index is not None else len(items) + 1

        def kept(result: Any) -> None:
            if result is None:
                return
            if index is None:
                items.append(result)
                row = len(items) - 1
            else:
                items[index] = result
                row = index
            self._show_tables({table.KIND: row})  # type: ignore[attr-defined]
            self._refresh_review()  # type: ignore[attr-defined]
            table.focus()

        form = FORMS[table.KIND](item, number=number, names=self._names(), sections=self.working)
        self.app.push_screen(form, kept)

    def action_add_item(self) -> None:
        table = self._table()
        if table is None or self._frozen_note():  # type: ignore[attr-defined]
            return
        self._open_form(table, None)

    def action_edit_item(self) -> None:
        table = self._table()
        if table is None:
            return
        items = getattr(self.working, table.KIND)
        if not items:
            self.notify(f"No {table.NOUN} yet: press a to add one", markup=False)
            return
        if self._frozen_note():  # type: ignore[attr-defined]
            return
        self._open_form(table, min(table.cursor_row, len(items) - 1))

    def action_remove_item(self) -> None:
        table = self._table()
        if table is None:
            return
        items = getattr(self.working, table.KIND)
        if not items or self._frozen_note():  # type: ignore[attr-defined]
            return
        index = min(table.cursor_row, len(items) - 1)

        def answered(yes: bool | None) -> None:
            if yes:
                del items[index]
                self._show_tables({table.KIND: index})  # type: ignore[attr-defined]
                self._refresh_review()  # type: ignore[attr-defined]

        self.app.push_screen(ConfirmScreen(
            f"Remove {table.NOUN} {index + 1} from this version? It leaves the MoU when you save.",
            yes="Remove", no="Keep"), answered)

    def action_move_item(self, delta: int) -> None:
        table = self._table()
        if table is None or self._frozen_note():  # type: ignore[attr-defined]
            return
        items = getattr(self.working, table.KIND)
        index = table.cursor_row
        target = index + delta
        if not 0 <= index < len(items) or not 0 <= target < len(items):
            return
        items[index], items[target] = items[target], items[index]
        self._show_tables({table.KIND: target})  # type: ignore[attr-defined]
        self._refresh_review()  # type: ignore[attr-defined]
