"""The MoU editor: one version of an arrangement's memorandum, written section by section, reviewed
against SMART and Annex A as you type, seen as a Gantt chart, rendered, agreed and signed.

Pushed over the list of arrangements (``picker``) when one is opened. It keeps a
working copy of the sections; every edit updates the side panel (SMART verdicts,
Annex A, plan checks) at once, and ctrl+s writes the copy as one store
transaction in a task. A signed version is frozen (read-only); ``e`` starts
the next version as a draft. All store and rendering work runs in tasks whose
outcomes come back as messages (``VersionRead``, ``Written``...); saving, the
status and rendering are in ``writes``, the rows of the tables in ``items``.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import (
    ContentSwitcher,
    DataTable,
    Input,
    Select,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from ...core.mou import calls as funding_calls
from ...core.mou import smart
from ...core.mou.checks import CheckReport, check
from ...core.mou.dates import iso
from ...core.mou.model import Memorandum, Sections
from ...core.mou.plan import plan_problems
from ...core.mou.versions import Document
from ...core.text import clip
from ..common.base import WhenActive
from ..common.confirm import ConfirmScreen
from ..common.tasks import task
from ..store_watch import StoreChanged
from .fields import SpecField
from .gantt import GanttChart
from .items import ItemActions, ItemTable
from .opened import Opened, open_with_refusal
from .panes import (
    NAV,
    PaneKeys,
    SectionNav,
    VersionTable,
    compose_panes,
    partners_markup,
    risks_markup,
)
from .review import ReviewPanel
from .writes import Writes

# The list of arrangements and the editor are one screen to the user (3): one help for both.
HELP = ("Draft the memorandum of understanding section by section, review objectives against SMART and the "
        "Annex A checklist as you type, see the plan as a Gantt chart, render it as Word, HTML or Markdown, "
        "and take it from draft to agreed to signed. enter opens the arrangement under the cursor (or starts "
        "its first draft); '/' filters the list.\n\n" + smart.help_text())
BACK_TOOLTIP = "Leave the field; from the section list, back to the arrangements"


class MouEditor(WhenActive, ItemActions, Writes, PaneKeys):
    MODE = "mou"
    TITLE = "MoU"
    CSS_PATH = "mou.tcss"
    HELP = HELP

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="mou.save", tooltip="Save the sections of this version"),
        Binding("r", "render", "Render", id="mou.render", tooltip="Write this version as DOCX, HTML or Markdown"),
        Binding("s", "status", "Status", id="mou.status",
                tooltip="Change the status: draft → agreed → signed (asks to confirm)"),
        Binding("e", "new_version", "New version", id="mou.new_version",
                tooltip="Edit a signed version: start the next version as a draft"),
        Binding("p", "toggle_review", "Panel", id="mou.panel", tooltip="Show or hide the review panel"),
        Binding("g", "show_pane('gantt')", "Gantt", show=False, id="mou.gantt",
                tooltip="Show the Gantt chart of the implementation plan"),
        Binding("v", "show_pane('versions')", "Versions", show=False, id="mou.versions",
                tooltip="Show the versions of this MoU"),
        Binding("escape", "back", "Back", id="mou.back", tooltip=BACK_TOOLTIP),
        # On a frozen version (signed, older, or not the user's to change) save and status are not
        # offered; pressed anyway, they say why and what to do instead.
        Binding("ctrl+s,s,a,x,delete,e", "frozen", "Frozen", show=False, id="mou.frozen",
                tooltip="Why this version is frozen, and what to do instead"),
    ]
    AUTO_FOCUS = "#mou-nav"

    def __init__(self, opened: Opened, calls: list[funding_calls.Call]) -> None:
        super().__init__()
        self.opened = opened
        self.document: Document | None = None
        self.working = Sections()
        self.all_versions: list[Memorandum] = []
        self.seen_txn = opened.txn
        self.call: funding_calls.Call | None = None
        self.calls = calls
        self.report: CheckReport | None = None
        self.last_rendered: Path | None = None
        self.busy = False
        self.spec_fields: dict[str, SpecField] = {}
        self._heading = ""
        self._plan_text: str | None = None
        self._call_text: str | None = None
        self.refusal: str | None = None  # why the user may not change the MoU on screen (access file)
        self.review_wanted: bool | None = None  # p: the user's choice; None: as wide as the screen allows

    # -- layout -------------------------------------------------------------------
    def body(self) -> ComposeResult:
        with Vertical(id="mou-editor"):
            yield Static("", id="mou-heading", markup=False)
            yield Static("", id="mou-review-line", markup=False)
            with Horizontal(id="mou-main"):
                yield SectionNav(*(Option(label, id=key) for key, label in NAV), id="mou-nav")
                with ContentSwitcher(initial="pane-1", id="mou-panes"):
                    yield from compose_panes(self.spec_fields)
                yield ReviewPanel(id="mou-review")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#mou-call", Select).set_options([(f"{c.id}: {clip(c.name, 40)}", c.id) for c in self.calls])
        self._layout_review()
        # Filled once laid out: a text wrapped before it has its width keeps the scrollbar of that first wrap.
        self.call_after_refresh(self._show_opened)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new_version":
            memo = self.memo
            return memo is not None and memo.status == "signed" and self.is_latest
        if action in ("save", "status"):
            if self.read_only:
                return False  # not offered on a frozen version (the hidden "frozen" binding says why)
            return None if self.busy else True  # greyed out while a write is under way
        if action in ("add_item", "edit_item", "remove_item", "move_item"):
            return not self.read_only  # a frozen version's rows: e starts the next version instead
        if action == "frozen":
            return self.read_only
        return True

    def _show_opened(self) -> None:
        self._show_document(self.opened)
        if self.opened.note:
            self.notify(self.opened.note, markup=False)

    # -- tasks --------------------------------------------------------------------
    @on(StoreChanged)
    def follow_store(self, event: StoreChanged) -> None:
        """Another official's change (the app's store watcher): show the version again, unless the
        user has unsaved work or a write is under way (their own save then shows it)."""
        if event.txn != self.seen_txn and self.seen_txn >= 0:
            self.seen_txn = event.txn
            if self.document and not self.has_unsaved_changes and not self.busy:
                self.open_document(self.document.arrangement.id, self.memo.version if not self.is_latest
                                   else None, focus=False)  # type: ignore[union-attr]

    @task("opening the MoU", group="mou-open")
    def open_document(self, arrangement_id: str, version: int | None = None,
                      focus: bool = True) -> Writes.VersionRead:
        return self.VersionRead(open_with_refusal(self.store, arrangement_id, version, focus=focus))

    @on(Writes.VersionRead)
    @on(Writes.Written)
    def version_read(self, event: Writes.VersionRead | Writes.Written) -> None:
        """A version opened, or as a write left it: shown, with the core's note on the write."""
        if isinstance(event, Writes.Written):
            self.write_ended()
        self.seen_txn = max(self.seen_txn, event.opened.txn)
        self._show_document(event.opened)
        if event.opened.note:
            self.notify(event.opened.note, markup=False)

    # -- showing the version ------------------------------------------------------------
    def _show_document(self, opened: Opened) -> None:
        previous = self.document
        typed_meanwhile = opened.sent is not None and self.working.to_fields() != opened.sent.to_fields()
        self.document = opened.document
        self.all_versions = opened.versions
        self.refusal = opened.refusal  # (a write that succeeded was allowed: None)
        frozen = self.read_only
        if not typed_meanwhile or frozen:
            self.working = opened.document.sections.copy()
            for field in self.spec_fields.values():
                field.load(self.working)
        for field in self.spec_fields.values():
            field.freeze(frozen)
        self._show_tables()
        self.query_one("#mou-partners", Static).update(partners_markup(opened.document))
        self.query_one("#mou-risks", Static).update(risks_markup(opened.document))
        self.query_one("#mou-versions", VersionTable).show(self.all_versions, self.memo)
        self._refresh_review()
        self.refresh_bindings()
        if opened.focus and previous is None:
            nav = self.query_one("#mou-nav", SectionNav)
            nav.highlighted = 0
            self.query_one("#mou-panes", ContentSwitcher).current = "pane-1"
            nav.focus()
        # A field frozen under the cursor (signing from inside a section) cannot keep the focus:
        # it goes back to the sections, never to nothing (where no key would answer).
        self.call_after_refresh(self._keep_focus)
        self._layout_review()

    def _keep_focus(self) -> None:
        focused = self.focused
        hidden = focused is not None and not all(node.display for node in focused.ancestors_with_self
                                                 if node is not self)
        if focused is None or hidden or not focused.focusable:
            self.query_one("#mou-nav").focus()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        self.call_after_refresh(self._keep_focus)

    def _show_heading(self) -> None:
        document, memo = self.document, self.memo
        if document is None or memo is None:
            return
        parts = [f"{document.arrangement.id} · MoU {memo.label}"]
        if memo.status == "signed":
            when = f" {iso(memo.signed_on)}" if memo.signed_on else ""
            parts.append(f"signed{when}: frozen" + (f", e starts version {memo.version + 1}" if self.is_latest else ""))
        elif memo.status == "agreed" and memo.agreed_on:
            parts.append(f"agreed {iso(memo.agreed_on)}")
        if not self.is_latest:
            parts.append(f"read-only: version {self.all_versions[-1].version} is the latest")
        if self.refusal:
            parts.append(f"read-only: {self.refusal}")
        if self.has_unsaved_changes:
            parts.append("● unsaved (ctrl+s)")
        bad = [f.spec.label for f in self.spec_fields.values() if f.error and f.touched]
        if bad:
            parts.append("error in " + ", ".join(bad))
        text = " · ".join(parts)
        if self.last_rendered is not None:
            # A long path keeps its end (the file's name) on the one line it has.
            room = max(20, self.size.width - 2 - len("rendered: "))
            path = str(self.last_rendered)
            text += "\nrendered: " + (path if len(path) <= room else "…" + path[-(room - 1):])
        if text != self._heading:
            self._heading = text
            self.query_one("#mou-heading", Static).update(Text(text, overflow="ellipsis"))

    def _show_tables(self, cursor: dict[str, int] | None = None) -> None:
        cursor = cursor or {}
        self.query_one("#mou-objectives", ItemTable).fill(self.working.objectives, smart.review(self.working),
                                                          cursor.get("objectives"))
        self.query_one("#mou-roles", ItemTable).fill(self.working.roles, None, cursor.get("roles"))
        self.query_one("#mou-activities", ItemTable).fill(self.working.activities, self._activity_flags(),
                                                          cursor.get("activities"))

    def _activity_flags(self) -> list[bool]:
        flagged = {problem.activity for problem in plan_problems(self.working)}
        return [n in flagged for n in range(1, len(self.working.activities) + 1)]

    def _refresh_review(self) -> None:
        document = self.document
        if document is None:
            return
        self.report = check(document, self.working, self.call)
        self.query_one(ReviewPanel).show(self.report)
        self._show_review_line()
        letters = {r.number: r for r in self.report.smart}
        objectives = self.query_one("#mou-objectives", ItemTable)
        objectives.refresh_extras([letters.get(n) for n in range(1, len(self.working.objectives) + 1)], "smart")
        self.query_one("#mou-activities", ItemTable).refresh_extras(self._activity_flags(), "flag")
        problems = [p.message for p in self.report.problems]
        plan_text = "\n".join(f"! {m}" for m in problems) if problems else "No problems in the plan."
        if plan_text != self._plan_text:
            self._plan_text = plan_text
            self.query_one("#mou-plan-problems", Static).update(plan_text)
        self.query_one("#mou-gantt", GanttChart).show(self.working, self.twintui.today)
        call_text = "\n".join(f"{r.result:<7} {r.rule.text}\n        {r.reason}" for r in self.report.call_results)
        if call_text != self._call_text:
            self._call_text = call_text
            self.query_one("#mou-call-results", Static).update(call_text)
        self._show_heading()

    # -- edits ----------------------------------------------------------------------
    def _field_of(self, widget: Widget) -> SpecField | None:
        return next((node for node in widget.ancestors_with_self if isinstance(node, SpecField)), None)

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _edited(self, event: Input.Changed | TextArea.Changed | Select.Changed) -> None:
        if event.control.id == "mou-call":
            event.stop()
            value = event.value  # type: ignore[union-attr]
            self.call = next((c for c in self.calls if c.id == value), None)
            self._refresh_review()
            return
        field = self._field_of(event.control)
        if field is None:
            return
        event.stop()
        if self.read_only:
            return
        field.apply(self.working)
        self._refresh_review()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        field = self._field_of(event.widget)
        if field is not None and not field.touched and self.is_active:
            field.touch()
            self._show_heading()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Into a text of the MoU, the cursor goes to its end: what one adds usually follows.
        widget = event.widget
        if isinstance(widget, TextArea) and not widget.read_only and self._field_of(widget) is not None:
            widget.move_cursor(widget.document.end)

    # -- leaving, other versions -----------------------------------------------------------
    def action_back(self) -> None:
        nav = self.query_one("#mou-nav", SectionNav)
        if self.focused is not None and self.focused is not nav:
            nav.focus()
        elif self.has_unsaved_changes:
            self.app.push_screen(ConfirmScreen("Leave this MoU and discard your unsaved changes?", yes="Discard",
                                               no="Keep editing"), self._leave)
        else:
            self._leave()

    def _leave(self, yes: bool | None = True) -> None:
        if yes:
            self.dismiss()  # back to the list of arrangements, which reads them again

    @on(DataTable.RowSelected, "#mou-versions")
    def _version_selected(self, event: DataTable.RowSelected) -> None:
        if self.document is None or event.row_key.value is None:
            return
        version = int(event.row_key.value)
        if self.memo and version == self.memo.version:
            return

        def go(yes: bool | None = True) -> None:
            if yes and self.document is not None:
                self.open_document(self.document.arrangement.id, version, focus=False)

        if self.has_unsaved_changes:
            self.app.push_screen(ConfirmScreen(f"Open version {version} and discard your unsaved changes?",
                                               yes="Discard", no="Keep editing"), go)
        else:
            go()


__all__ = ["HELP", "MouEditor"]
