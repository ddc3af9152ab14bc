"""Screen 3: memoranda of understanding — pick an arrangement, write its MoU section by section, review it
against SMART and Annex A as you type, see the plan as a Gantt chart, render it, agree it, sign it.

Two views share the screen: the list of arrangements (with the state of each
one's MoU) and the editor of one version. The editor keeps a working copy of
the sections; every edit updates the side panel (SMART verdicts, Annex A,
plan checks) at once, and ctrl+s writes the copy as one store transaction in a
worker. A signed version is frozen (read-only); ``e`` starts the next version
as a draft. All store and rendering work runs in workers whose results arrive
in ``worker_done``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.markup import escape
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import (
    ContentSwitcher,
    DataTable,
    Input,
    Label,
    OptionList,
    Select,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from ...core.errors import ConflictError, TwintuiError, ValidationError
from ...core.model import coerce
from ...core.mou import calls as funding_calls
from ...core.mou import smart, versions
from ...core.mou.checklist import help_text as checklist_help
from ...core.mou.checks import CheckReport, check
from ...core.mou.model import SECTION_TITLES, Memorandum, Sections, iso
from ...core.mou.versions import ArrangementRow, Document, filter_rows, overview
from ...core.store.policy import change_refusal
from ..widgets.gantt import GanttChart
from ..widgets.mou_forms import (
    ActivityForm,
    ItemForm,
    ObjectiveForm,
    RenderForm,
    RoleForm,
    StatusForm,
)
from ..widgets.mou_review import ReviewPanel, review_summary
from ..widgets.mou_sections import SPECS, TABLES, ItemTable, SpecField, clip
from ..widgets.row_table import Column, RowTable
from .base import MainScreen, WhenActive
from .confirm import ConfirmScreen

SOURCE = versions.SOURCE_SCREEN

PICKER_COLUMNS = [
    Column("id", "ID", 11),
    Column("state", "State", 5),
    Column("title", "Title", 0),
    Column("mou", "MoU", 12),
]

# The editor's sections, in the order of the list on the left.
NAV: tuple[tuple[str, str], ...] = (
    ("1", "1 Partners"), ("2", "2 Introduction"), ("3", "3 Objectives"), ("4", "4 Roles"), ("5", "5 Plan"),
    ("6", "6 Monitoring"), ("7", "7 Funding"), ("8", "8 Review"), ("9", "9 Risks"), ("gantt", "Gantt chart"),
    ("versions", "Versions"),
)
FORMS: dict[str, type[ItemForm]] = {"objectives": ObjectiveForm, "roles": RoleForm, "activities": ActivityForm}
HINT = "a add · e/enter edit · x remove · shift+↑↓ move"


class SectionNav(OptionList):
    """The sections of the memorandum: up/down shows one, enter (or tab) goes into it."""

    HELP: ClassVar[str] = (
        "The nine sections of the memorandum (as in the guidelines), the Gantt chart of the plan and the versions. "
        "up/down shows a section, enter or tab goes into it, escape comes back here and, from here, to the list "
        "of arrangements. ctrl+s saves, r renders a document, s changes the status (draft → agreed → signed), e "
        "starts a new version of a signed one, p shows or hides the review panel.\n\n"
        + smart.help_text() + "\n\n" + checklist_help())

    # tab goes into the section shown (not to the next widget in the screen's order).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "screen.enter_pane", "Into the section", show=False, id="mou.nav.enter",
                tooltip="Go into the section shown"),
    ]


class VersionTable(DataTable[str]):
    """Every version of this MoU; enter opens one (older versions are read-only)."""

    HELP: ClassVar[str] = ("The versions of this memorandum, oldest first: status, when agreed and signed, who "
                           "changed it last. enter opens a version; only the latest can be edited or change status.")


@dataclass
class Opened:
    """What the open worker read: the document and every version of its memorandum."""

    document: Document
    versions: list[Memorandum]
    note: str = ""
    focus: bool = True
    sent: Sections | None = None  # what a save wrote: edits typed while it ran are kept
    refusal: str | None = None  # why this user may not change this MoU (the access file), or None


class MouScreen(WhenActive, MainScreen):
    MODE = "mou"
    TITLE = "MoU"
    CSS_PATH = "mou.tcss"
    HELP = ("Draft the memorandum of understanding section by section, review objectives against SMART and the "
            "Annex A checklist as you type, see the plan as a Gantt chart, render it as Word, HTML or Markdown, "
            "and take it from draft to agreed to signed. enter opens the arrangement under the cursor (or starts "
            "its first draft); '/' filters the list.\n\n" + smart.help_text())

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter", id="mou.filter", tooltip="Filter the arrangements as you type"),
        Binding("n", "new_mou", "New MoU", id="mou.new",
                tooltip="Start a draft MoU for the arrangement under the cursor"),
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
        Binding("escape", "back", "Back", id="mou.back",
                tooltip="Leave the field; from the section list, back to the arrangements"),
        # On a frozen version (signed, older, or not the user's to change) save and status are not
        # offered; pressed anyway, they say why and what to do instead.
        Binding("ctrl+s,s,a,x,delete,e", "frozen", "Frozen", show=False, id="mou.frozen",
                tooltip="Why this version is frozen, and what to do instead"),
    ]
    # The list takes the keys typed with the 3 that opened the screen; in the editor, the sections
    # (an instance's AUTO_FOCUS follows the mode, so focus never lands on a hidden widget).
    AUTO_FOCUS = "#mou-list"
    # Below this width the review panel gives its room to the sections (one line says how to show it).
    REVIEW_WIDTH = 100

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ArrangementRow] = []
        self.document: Document | None = None
        self.working = Sections()
        self.all_versions: list[Memorandum] = []
        self.editing = False
        self.seen_txn = -1
        self.call: funding_calls.Call | None = None
        self.calls: list[funding_calls.Call] = []
        self.report: CheckReport | None = None
        self.last_rendered: Path | None = None
        self.busy = False
        self.spec_fields: dict[str, SpecField] = {}
        self._heading = ""
        self._plan_text: str | None = None
        self._call_text: str | None = None
        self.refusal: str | None = None  # why the user may not change the MoU on screen (access file)
        self.access: Any = None  # the user's access, read with the list
        self.review_wanted: bool | None = None  # p: the user's choice; None: as wide as the screen allows

    # -- layout -------------------------------------------------------------------
    def body(self) -> ComposeResult:
        with ContentSwitcher(initial="mou-picker", id="mou-modes"):
            with Vertical(id="mou-picker"):
                with Horizontal(id="mou-filter-bar"):
                    yield Static("/", id="mou-filter-prompt")
                    yield Input(placeholder="filter: id, state, title, MoU status…", id="mou-filter")
                yield Static("Loading the arrangements…", id="mou-picker-status")
                yield RowTable(PICKER_COLUMNS, id="mou-list")
            with Vertical(id="mou-editor"):
                yield Static("", id="mou-heading", markup=False)
                yield Static("", id="mou-review-line", markup=False)
                with Horizontal(id="mou-main"):
                    yield SectionNav(*(Option(label, id=key) for key, label in NAV), id="mou-nav")
                    with ContentSwitcher(initial="pane-1", id="mou-panes"):
                        yield from self._panes()
                    yield ReviewPanel(id="mou-review")

    def _spec_fields(self, section: str) -> ComposeResult:
        for spec in SPECS.get(section, ()):
            field = SpecField(spec)
            self.spec_fields[spec.path] = field
            yield field

    def _title(self, key: str) -> Static:
        text = f"{key} {SECTION_TITLES[int(key)]}" if key.isdigit() else dict(NAV)[key]
        return Static(text, classes="pane-title", markup=False)

    def _panes(self) -> ComposeResult:
        with VerticalScroll(id="pane-1", classes="pane"):
            yield self._title("1")
            yield from self._spec_fields("1")
            yield Label("Partners (names and addresses; edited on the Register screen)", classes="spec-label")
            yield Static("", id="mou-partners", classes="readonly")
        with VerticalScroll(id="pane-2", classes="pane"):
            yield self._title("2")
            yield from self._spec_fields("2")
        with VerticalScroll(id="pane-3", classes="pane"):
            yield self._title("3")
            yield Static(HINT, classes="hint", markup=False)
            yield TABLES["objectives"](id="mou-objectives")
            yield from self._spec_fields("3")
        with VerticalScroll(id="pane-4", classes="pane"):
            yield self._title("4")
            yield Static(HINT + " · * overall", classes="hint", markup=False)
            yield TABLES["roles"](id="mou-roles")
            yield from self._spec_fields("4")
        with VerticalScroll(id="pane-5", classes="pane"):
            yield self._title("5")
            yield Static(HINT + " · ! to check", classes="hint", markup=False)
            yield TABLES["activities"](id="mou-activities")
            yield Static("", id="mou-plan-problems", markup=False)
        with VerticalScroll(id="pane-6", classes="pane"):
            yield self._title("6")
            yield from self._spec_fields("6")
        with VerticalScroll(id="pane-7", classes="pane"):
            yield self._title("7")
            yield from self._spec_fields("7")
            yield Label("Check against a funding call", classes="spec-label")
            yield Select([], prompt="(no call)", allow_blank=True, id="mou-call")
            yield Static("", id="mou-call-results", markup=False)
        with VerticalScroll(id="pane-8", classes="pane"):
            yield self._title("8")
            yield from self._spec_fields("8")
        with VerticalScroll(id="pane-9", classes="pane"):
            yield self._title("9")
            yield Static("", id="mou-risks", classes="readonly")
        with VerticalScroll(id="pane-gantt", classes="pane"):
            yield self._title("gantt")
            yield GanttChart(id="mou-gantt")
        with VerticalScroll(id="pane-versions", classes="pane"):
            yield self._title("versions")
            yield Static("enter opens a version · only the latest is edited", classes="hint", markup=False)
            yield VersionTable(id="mou-versions", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#mou-versions", VersionTable)
        for key, label in (("version", "Version"), ("status", "Status"), ("agreed", "Agreed"),
                           ("signed", "Signed"), ("changed", "Changed by")):
            table.add_column(label, key=key)
        self.query_one("#mou-list", RowTable).focus()
        self.load_overview()
        # Other officials write to the same store: look for their changes now and then.
        self.set_interval(3.0, self.poll_store)

    # -- state --------------------------------------------------------------------
    @property
    def memo(self) -> Memorandum | None:
        return self.document.memorandum if self.document else None

    @property
    def is_latest(self) -> bool:
        memo = self.memo
        return memo is not None and (not self.all_versions or memo.version >= self.all_versions[-1].version)

    @property
    def read_only(self) -> bool:
        memo = self.memo
        return memo is None or memo.status == "signed" or not self.is_latest or bool(self.refusal)

    @property
    def has_unsaved_changes(self) -> bool:
        """Whether the editor holds changes the store does not have (the app asks before quitting)."""
        memo = self.memo
        return self.editing and memo is not None and not self.read_only and not memo.same_sections(self.working)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("focus_filter", "new_mou"):
            return not self.editing
        if action in ("save", "render", "status", "new_version", "toggle_review", "show_pane"):
            if not self.editing:
                return False
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
            return self.editing and self.read_only
        return True

    # -- workers ------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="mou-overview", name="mou-overview")
    def load_overview(self) -> tuple[list[ArrangementRow], int, list[funding_calls.Call], Any]:
        txn = self.store.txn
        calls = self.calls or funding_calls.available_calls()
        return overview(self.store), txn, calls, self.store.access()

    @work(thread=True, exclusive=True, exit_on_error=False, group="mou-poll", name="mou-poll")
    def poll_store(self) -> int:
        return self.store.txn

    @work(thread=True, exclusive=True, exit_on_error=False, group="mou-open", name="mou-open")
    def open_document(self, arrangement_id: str, version: int | None = None, note: str = "",
                      focus: bool = True) -> Opened:
        document = versions.load(self.store, arrangement_id, version)
        return Opened(document, versions.versions_of(self.store, arrangement_id), note, focus,
                      refusal=self.store.access().refusal(document.memorandum))

    @work(thread=True, exclusive=True, exit_on_error=False, group="mou-write", name="mou-start")
    def start_mou(self, arrangement_id: str) -> Opened:
        memo = versions.start(self.store, arrangement_id, SOURCE)
        return Opened(versions.load(self.store, arrangement_id, memo.version),
                      versions.versions_of(self.store, arrangement_id),
                      f"Started a draft MoU for {arrangement_id} from the arrangement's details")

    @work(thread=True, exclusive=True, exit_on_error=False, group="mou-write", name="mou-save")
    def save_sections(self, memo: Memorandum, sections: Sections) -> Opened:
        stored = versions.save(self.store, memo, sections, SOURCE)
        if stored.version != memo.version:
            note = (f"Version {memo.version} is signed and stays as it was: your changes are version "
                    f"{stored.version}, a draft")
        elif memo.status == "agreed" and stored.status == "draft":
            note = f"Saved version {stored.version}: it is a draft again, to be agreed by the partners"
        else:
            note = f"Saved {memo.arrangement} MoU version {stored.version}"
        return Opened(versions.load(self.store, memo.arrangement, stored.version),
                      versions.versions_of(self.store, memo.arrangement), note, focus=False, sent=sections)

    @work(thread=True, exclusive=True, exit_on_error=False, group="mou-write", name="mou-status")
    def change_status(self, memo: Memorandum, status: str) -> Opened:
        stored = versions.set_status(self.store, memo, status, self.app.today, SOURCE)  # type: ignore[attr-defined]
        return Opened(versions.load(self.store, memo.arrangement, stored.version),
                      versions.versions_of(self.store, memo.arrangement),
                      f"{memo.arrangement} MoU version {stored.version} is now {stored.status}", focus=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="mou-write", name="mou-new-version")
    def start_version(self, memo: Memorandum) -> Opened:
        stored = versions.new_version(self.store, memo, source=SOURCE)
        return Opened(versions.load(self.store, memo.arrangement, stored.version),
                      versions.versions_of(self.store, memo.arrangement),
                      f"Started version {stored.version} (draft) from signed version {memo.version}")

    @work(thread=True, exclusive=True, exit_on_error=False, group="mou-render", name="mou-render")
    def render_document(self, document: Document, fmt: str, path: str) -> Path:
        from ...core.mou import render

        fresh = versions.refresh(self.store, document)  # today's partners and risks, unless signed
        return render.write(fresh, fmt, path, self.app.today)  # type: ignore[attr-defined]

    @on(Worker.StateChanged)
    def worker_done(self, event: Worker.StateChanged) -> None:
        """Results of this screen's workers arrive here, on the UI thread."""
        worker = event.worker
        if not worker.name.startswith("mou-"):
            return
        if worker.group == "mou-write" and event.state in (WorkerState.SUCCESS, WorkerState.ERROR,
                                                           WorkerState.CANCELLED):
            self.busy = False
            self.refresh_bindings()
        if event.state == WorkerState.ERROR:
            self._when_active(lambda: self._failed(worker.name, worker.error))
            return
        if event.state != WorkerState.SUCCESS:
            return
        result = worker.result
        if worker.name == "mou-overview":
            self.rows, self.seen_txn, self.calls, self.access = result
            self._show_rows()
            self._show_calls()
        elif worker.name == "mou-poll":
            if result != self.seen_txn and self.seen_txn >= 0:
                self.seen_txn = result
                self.load_overview()
                if self.editing and self.document and not self.has_unsaved_changes and not self.busy:
                    self.open_document(self.document.arrangement.id, self.memo.version if not self.is_latest
                                       else None, focus=False)  # type: ignore[union-attr]
        elif worker.name in ("mou-open", "mou-start", "mou-save", "mou-status", "mou-new-version"):
            self._show_document(result)
            if result.note:
                self.notify(result.note, markup=False)
            if worker.name != "mou-open":
                self.load_overview()
        elif worker.name == "mou-render":
            self.last_rendered = result
            self._show_heading()
            self.notify(f"Rendered to {result}", title="Document written", markup=False, timeout=10)



    def _failed(self, name: str, error: BaseException | None) -> None:
        if isinstance(error, ConflictError) and name == "mou-save":
            self._resolve(error)
        elif isinstance(error, ConflictError) and name in ("mou-status", "mou-new-version") and self.document:
            # Nothing of the user's is lost here: show what the store holds now, and let them decide again.
            self.notify(f"{error.message}. The MoU is shown as it is now; try again if you still want to.",
                        severity="warning", timeout=15, markup=False)
            self.open_document(self.document.arrangement.id, focus=False)
        elif isinstance(error, ValidationError):
            self.notify(error.message, severity="error", title="Not saved", timeout=15, markup=False)
        elif isinstance(error, TwintuiError):
            self.notify(error.message, severity="error", timeout=15, markup=False)
        elif name != "mou-poll":
            self.log.error(f"{name} failed", error)
            self.notify(f"{name.removeprefix('mou-')} failed: {error}", severity="error", timeout=15, markup=False)

    # -- the list of arrangements -------------------------------------------------
    def _show_rows(self) -> None:
        table = self.query_one("#mou-list", RowTable)
        current = table.current.id if table.current else None
        text = self.query_one("#mou-filter", Input).value
        shown = filter_rows(self.rows, text)
        table.set_rows(shown, keep=(lambda row: row.id == current) if current else None)
        with_mou = sum(1 for row in self.rows if row.version)
        status = f"{len(shown):,} of {len(self.rows):,} arrangements · {with_mou:,} with an MoU · enter opens"
        self.query_one("#mou-picker-status", Static).update(status)

    @on(Input.Changed, "#mou-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show_rows()

    @on(Input.Submitted, "#mou-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#mou-list", RowTable).focus()

    @on(RowTable.Selected, "#mou-list")
    def _row_selected(self, event: RowTable.Selected) -> None:
        self._open_row(event.row)

    def _open_row(self, row: ArrangementRow) -> None:
        if row.version:
            self.open_document(row.id)
            return
        refusal = self._start_refusal(row)
        if refusal:
            self.notify(refusal, title="Not allowed", severity="warning", timeout=8, markup=False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.busy = True
                self.start_mou(row.id)

        self.app.push_screen(ConfirmScreen(
            f"{row.id} “{clip(row.title, 60)}” has no MoU yet. Start a draft? Its title, objectives, outcomes, "
            "partners, dates and funding fill the first sections.", yes="Start a draft", no="Cancel"), answered)

    def _start_refusal(self, row: ArrangementRow) -> str | None:
        """Why this user may not start an MoU for ``row`` (its state is in the row: no store read here)."""
        if self.access is None:
            return None
        return change_refusal(self.access, "memoranda", None, {"arrangement": row.id},
                              lambda _: {"reporting_state": row.state})

    def action_focus_filter(self) -> None:
        self.query_one("#mou-filter", Input).focus()

    def action_new_mou(self) -> None:
        row = self.query_one("#mou-list", RowTable).current
        if row is None:
            return
        if row.version:
            self.notify(f"{row.id} already has an MoU ({row.mou}): enter opens it", markup=False)
            return
        self._open_row(row)

    # -- the editor ---------------------------------------------------------------
    def _show_document(self, opened: Opened) -> None:
        first = not self.editing
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
        self.editing = True
        self.AUTO_FOCUS = "#mou-nav"
        self.query_one("#mou-modes", ContentSwitcher).current = "mou-editor"
        self.query_one("#mou-call", Select).disabled = False
        self._show_tables()
        self._show_partners_and_risks()
        self._show_versions()
        self._refresh_review()
        self.refresh_bindings()
        same = previous is not None and previous.arrangement.id == opened.document.arrangement.id
        if opened.focus and (first or not same):
            nav = self.query_one("#mou-nav", SectionNav)
            if not same:
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
            target = "#mou-nav" if self.editing else "#mou-list"
            self.query_one(target).focus()

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
        reviews = smart.review(self.working)
        flags = self._activity_flags()
        self.query_one("#mou-objectives", ItemTable).fill(self.working.objectives, reviews,
                                                          (cursor or {}).get("objectives"))
        self.query_one("#mou-roles", ItemTable).fill(self.working.roles, None, (cursor or {}).get("roles"))
        self.query_one("#mou-activities", ItemTable).fill(self.working.activities, flags,
                                                          (cursor or {}).get("activities"))

    def _activity_flags(self) -> list[bool]:
        from ...core.mou.plan import plan_problems

        flagged = set()
        for problem in plan_problems(self.working):
            if "activity " in problem.where:
                flagged.add(int(problem.where.rsplit("activity ", 1)[1].rstrip(")")))
        return [n in flagged for n in range(1, len(self.working.activities) + 1)]

    def _show_partners_and_risks(self) -> None:
        document = self.document
        if document is None:
            return
        blocks = []
        for p in document.partners:
            lines = [f"[b]{escape(p.name)}[/b]"]
            facts = ", ".join(x for x in (p.country and coerce.country_name(p.country), p.role, p.type) if x)
            if facts:
                lines.append(f"  {escape(facts)}")
            if p.address:
                lines.append(f"  {escape(p.address)}")
            if p.contact:
                lines.append(f"  {escape(p.contact)}")
            blocks.append("\n".join(lines))
        self.query_one("#mou-partners", Static).update(
            "\n".join(blocks) or "[dim]No partners: add them on the Register screen (1), record, e.[/dim]")
        risks = []
        for r in sorted(document.risks, key=lambda r: (r.status != "open", -r.score)):
            review = iso(r.next_review) or "not set"
            risks.append(f"[b]{r.id}[/b] {r.band.upper()} {r.score} · {escape(r.description)} ({r.status})\n"
                         f"  owner: {escape(r.owner or '—')} · next review: {review}\n"
                         f"  {escape(r.treatment or 'no treatment')}: {escape(r.mitigation or '—')}")
        note = "\n\n[dim]The risk register is kept on the Risks screen (4); section 9 shows it as it is"
        note += " at signing.[/dim]" if self.memo and self.memo.status == "signed" else ".[/dim]"
        self.query_one("#mou-risks", Static).update(("\n\n".join(risks) or "[dim]No risks recorded.[/dim]") + note)

    def _show_versions(self) -> None:
        table = self.query_one("#mou-versions", VersionTable)
        table.clear()
        for memo in self.all_versions:
            marker = " ◂" if self.memo and memo.version == self.memo.version else ""
            table.add_row(f"{memo.version}{marker}", memo.status, iso(memo.agreed_on) or "",
                          iso(memo.signed_on) or "", f"{memo.updated_by} {memo.updated_at[:10]}",
                          key=str(memo.version))

    def _show_calls(self) -> None:
        select = self.query_one("#mou-call", Select)
        select.set_options([(f"{c.id}: {clip(c.name, 40)}", c.id) for c in self.calls])

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
        activities = self.query_one("#mou-activities", ItemTable)
        activities.refresh_extras(self._activity_flags(), "flag")
        problems = [p.message for p in self.report.problems]
        plan_text = "\n".join(f"! {m}" for m in problems) if problems else "No problems in the plan."
        if plan_text != self._plan_text:
            self._plan_text = plan_text
            self.query_one("#mou-plan-problems", Static).update(plan_text)
        self.query_one("#mou-gantt", GanttChart).show(self.working, self.app.today)  # type: ignore[attr-defined]
        results = self.report.call_results
        call_text = "\n".join(f"{r.result:<7} {r.rule.text}\n        {r.reason}" for r in results)
        if call_text != self._call_text:
            self._call_text = call_text
            self.query_one("#mou-call-results", Static).update(call_text)
        self._show_heading()

    # -- edits ----------------------------------------------------------------------
    def _field_of(self, widget: Widget) -> SpecField | None:
        for node in widget.ancestors_with_self:
            if isinstance(node, SpecField):
                return node
        return None

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
        if field is None or not self.editing:
            return
        event.stop()
        if self.read_only:
            return
        field.apply(self.working)
        self._refresh_review()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        field = self._field_of(event.widget)
        if field is not None and self.editing and not field.touched and self.is_active:
            field.touch()
            self._show_heading()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Into a text of the MoU, the cursor goes to its end: what one adds usually follows.
        widget = event.widget
        if isinstance(widget, TextArea) and not widget.read_only and self._field_of(widget) is not None:
            widget.move_cursor(widget.document.end)

    @on(OptionList.OptionHighlighted, "#mou-nav")
    def _section_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one("#mou-panes", ContentSwitcher).current = f"pane-{event.option.id}"

    @on(OptionList.OptionSelected, "#mou-nav")
    def _section_selected(self, event: OptionList.OptionSelected) -> None:
        self._enter_pane()

    def _enter_pane(self) -> None:
        nav = self.query_one("#mou-nav", SectionNav)
        switcher = self.query_one("#mou-panes", ContentSwitcher)
        if nav.highlighted is not None:
            switcher.current = f"pane-{NAV[nav.highlighted][0]}"
        pane = switcher.visible_content
        if pane is None:
            return
        for widget in pane.query("*"):
            if widget.focusable and not isinstance(widget, VerticalScroll):
                widget.focus()
                return
        pane.focus()

    def action_show_pane(self, key: str) -> None:
        nav = self.query_one("#mou-nav", SectionNav)
        nav.highlighted = [k for k, _ in NAV].index(key)
        self.query_one("#mou-panes", ContentSwitcher).current = f"pane-{key}"
        nav.focus()

    def action_toggle_review(self) -> None:
        self.review_wanted = not self.query_one(ReviewPanel).display
        self._layout_review()

    def on_resize(self, event: events.Resize) -> None:
        self._layout_review()

    def _layout_review(self) -> None:
        """At 80 columns the sections take the width and the review is one line; wider, its own panel."""
        shown = self.review_wanted if self.review_wanted is not None else self.size.width >= self.REVIEW_WIDTH
        self.query_one(ReviewPanel).display = shown
        self.query_one("#mou-review-line").display = not shown
        self._show_review_line()

    def _show_review_line(self) -> None:
        line = self.query_one("#mou-review-line", Static)
        if self.report is None or not line.display:
            return
        line.update(Text(f"Review hidden, p shows it: {review_summary(self.report)}", no_wrap=True,
                         overflow="ellipsis"))

    def action_back(self) -> None:
        focused = self.focused
        if not self.editing:
            if focused is self.query_one("#mou-filter", Input):
                self.query_one("#mou-list", RowTable).focus()
            return
        nav = self.query_one("#mou-nav", SectionNav)
        if focused is not None and focused is not nav:
            nav.focus()
            return
        self._leave_editor()

    def _leave_editor(self) -> None:
        def leave(yes: bool | None = True) -> None:
            if not yes:
                return
            self.editing = False
            self.AUTO_FOCUS = "#mou-list"
            self.document = None
            self.refusal = None
            self.last_rendered = None
            self.query_one("#mou-modes", ContentSwitcher).current = "mou-picker"
            self.query_one("#mou-list", RowTable).focus()
            self.refresh_bindings()
            self.load_overview()

        if self.has_unsaved_changes:
            self.app.push_screen(ConfirmScreen("Leave this MoU and discard your unsaved changes?", yes="Discard",
                                               no="Keep editing"), leave)
        else:
            leave()

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

    # -- rows of the tables -------------------------------------------------------------
    def _table(self) -> ItemTable | None:
        focused = self.focused
        return focused if isinstance(focused, ItemTable) else None

    def _frozen_note(self) -> bool:
        """Tell the user why nothing can change here; True when frozen."""
        memo = self.memo
        if memo is None:
            return True
        if self.refusal:
            self.notify(self.refusal, title="Not allowed", severity="warning", timeout=8, markup=False)
            return True
        if not self.is_latest:
            self.notify(f"Version {memo.version} is not the latest: open version {self.all_versions[-1].version} "
                        "under Versions to edit", severity="warning", markup=False)
            return True
        if memo.status == "signed":
            self.notify(f"Version {memo.version} is signed and frozen: press e to start version "
                        f"{memo.version + 1} as a draft", severity="warning", markup=False)
            return True
        return False

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
            self._show_tables({table.KIND: row})
            self._refresh_review()
            table.focus()

        form = FORMS[table.KIND](item, number=number, names=self._names(), sections=self.working)
        self.app.push_screen(form, kept)

    def action_add_item(self) -> None:
        table = self._table()
        if table is None or self._frozen_note():
            return
        self._open_form(table, None)

    def action_frozen(self) -> None:
        self._frozen_note()

    def action_edit_item(self) -> None:
        table = self._table()
        if table is None:
            return
        items = getattr(self.working, table.KIND)
        if not items:
            self.notify(f"No {table.NOUN} yet: press a to add one", markup=False)
            return
        if self._frozen_note():
            return
        self._open_form(table, min(table.cursor_row, len(items) - 1))

    def action_remove_item(self) -> None:
        table = self._table()
        if table is None:
            return
        items = getattr(self.working, table.KIND)
        if not items or self._frozen_note():
            return
        index = min(table.cursor_row, len(items) - 1)

        def answered(yes: bool | None) -> None:
            if yes:
                del items[index]
                self._show_tables({table.KIND: index})
                self._refresh_review()

        self.app.push_screen(ConfirmScreen(f"Remove {table.NOUN} {index + 1} from this version? It leaves the MoU "
                                           "when you save.", yes="Remove", no="Keep"), answered)

    def action_move_item(self, delta: int) -> None:
        table = self._table()
        if table is None or self._frozen_note():
            return
        items = getattr(self.working, table.KIND)
        index = table.cursor_row
        target = index + delta
        if not 0 <= index < len(items) or not 0 <= target < len(items):
            return
        items[index], items[target] = items[target], items[index]
        self._show_tables({table.KIND: target})
        self._refresh_review()

    # -- save, status, versions, render ----------------------------------------------
    def action_save(self) -> None:
        memo = self.memo
        if memo is None or self.busy:
            return
        if self._frozen_note():
            return
        bad = [f for f in self.spec_fields.values() if f.error]
        if bad:
            for field in bad:
                field.touch()
            self._show_heading()
            self._focus_field(bad[0])
            self.notify(f"Fix {bad[0].spec.label}: {bad[0].error}", severity="error", title="Not saved",
                        markup=False)
            return
        if not self.has_unsaved_changes:
            self.notify("Nothing to save: the store has this version as it is.", markup=False)
            return
        sections = self.working.copy()
        if memo.status == "agreed":
            def answered(yes: bool | None) -> None:
                if yes:
                    self._start_save(memo, sections)

            self.app.push_screen(ConfirmScreen(
                f"Version {memo.version} was agreed by the partners. Saving changes makes it a draft again, to be "
                "agreed again. Save?", yes="Save as draft", no="Keep editing"), answered)
            return
        self._start_save(memo, sections)

    def _start_save(self, memo: Memorandum, sections: Sections) -> None:
        self.busy = True
        self.refresh_bindings()
        self.save_sections(memo, sections)

    def _focus_field(self, field: SpecField) -> None:
        pane = next((node for node in field.ancestors if isinstance(node, VerticalScroll)
                     and (node.id or "").startswith("pane-")), None)
        if pane is not None:
            key = (pane.id or "").removeprefix("pane-")
            self.query_one("#mou-nav", SectionNav).highlighted = [k for k, _ in NAV].index(key)
            self.query_one("#mou-panes", ContentSwitcher).current = pane.id
        field.control.focus()

    def _resolve(self, error: ConflictError) -> None:
        from .conflict import ConflictScreen

        mine, theirs = error.mine, error.theirs
        if theirs is None or not isinstance(theirs, Memorandum) or not isinstance(mine, Memorandum):
            self.notify(f"{error.message}. Your changes are still on screen.", severity="error", timeout=15,
                        markup=False)
            return
        base = self.memo

        def chosen(merged: Any) -> None:
            if merged is None:
                self.notify("Not saved: your changes are still here; ctrl+s tries again.", markup=False)
                return
            assert isinstance(merged, Memorandum) and self.document is not None
            # Their version is now the one the store holds: the merge is saved on top of it.
            self.document = Document(theirs, self.document.arrangement, self.document.partners,
                                     self.document.risks)
            self.working = merged.sections()
            for field in self.spec_fields.values():
                field.load(self.working)
            self._show_tables()
            self._refresh_review()
            self._start_save(theirs, self.working.copy())

        self.app.push_screen(ConflictScreen(mine, theirs, base=base), chosen)

    def action_status(self) -> None:
        memo = self.memo
        if memo is None or self.busy or self._frozen_note():
            return
        if self.has_unsaved_changes:
            self.notify("Save your changes first (ctrl+s): the status applies to the saved text.",
                        severity="warning", markup=False)
            return
        from ..widgets.mou_forms import STATUS_CHOICES

        def confirmed(status: str) -> Callable[[bool | None], None]:
            def answered(yes: bool | None) -> None:
                if yes:
                    self.busy = True
                    self.refresh_bindings()
                    self.change_status(memo, status)
            return answered

        def chosen(status: str | None) -> None:
            if status in STATUS_CHOICES:
                points = self.report.open_points() if self.report is not None and status != "draft" else []
                question = versions.status_question(memo, status, points)
                self.app.push_screen(ConfirmScreen(question, yes=f"Mark {status}", no="Cancel"), confirmed(status))

        self.app.push_screen(StatusForm(f"{memo.arrangement} MoU {memo.label}", memo.status), chosen)

    def action_new_version(self) -> None:
        memo = self.memo
        if memo is None or memo.status != "signed" or not self.is_latest or self.busy:
            return
        if self.refusal:
            self._frozen_note()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.busy = True
                self.refresh_bindings()
                self.start_version(memo)

        self.app.push_screen(ConfirmScreen(
            f"Version {memo.version} is signed and frozen. Start version {memo.version + 1} as a draft with the same "
            "text, to edit it?", yes=f"Start version {memo.version + 1}", no="Cancel"), answered)

    def action_render(self) -> None:
        document = self.document
        if document is None:
            return
        if self.has_unsaved_changes:
            self.notify("Save first (ctrl+s): a document shows the saved version.", severity="warning",
                        markup=False)
            return
        from ...core.mou.render import FORMATS, suggested_name

        names = {fmt: suggested_name(document, fmt) for fmt in FORMATS}
        folder = self.last_rendered.parent if self.last_rendered else Path.cwd()

        def chosen(result: tuple[str, str] | None) -> None:
            if result is not None and self.document is not None:
                fmt, path = result
                self.render_document(self.document, fmt, path)

        self.app.push_screen(RenderForm(folder, names), chosen)

    def action_enter_pane(self) -> None:
        self._enter_pane()


__all__ = ["PICKER_COLUMNS", "MouScreen"]
