"""What the MoU editor writes: saving the sections, the status, the next version, a rendered document.

Each write asks first where the guidelines make it matter (saving an agreed
version makes it a draft again; signing freezes it), then runs in a task of the
``mou-write`` group; its outcome comes back as a message (``Written``: the
version as stored, with the core's note on it). ``_frozen_note`` says why nothing
may be written, when so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import ContentSwitcher

from ...core.errors import ConflictError, ValidationError
from ...core.mou import render, versions
from ...core.mou.checks import CheckReport
from ...core.model.merge import of_records
from ...core.mou.model import Memorandum, Sections
from ...core.mou.versions import Document
from ..common.base import MainScreen
from ..common.confirm import ConfirmScreen
from ..common.conflict import ConflictScreen
from ..common.tasks import task
from .dialogs import STATUS_CHOICES, RenderForm, StatusForm
from .fields import SpecField
from .opened import Opened, read
from .panes import KEYS, SectionNav

SOURCE = versions.SOURCE_SCREEN


class Writes(MainScreen):
    """A base of ``MouEditor``: the version on screen, what may be written to it, and its writes."""

    @dataclass
    class VersionRead(Message):
        """A version as stored, opened to show."""

        opened: Opened

    @dataclass
    class Written(Message):
        """A version as a write left it, with the core's note on the write."""

        opened: Opened

    @dataclass
    class Conflict(Message):
        """Someone else changed the MoU meanwhile: nothing was written. ``saving``: the sections
        were being saved (a merge is offered), else the status or a new version."""

        conflict: ConflictError
        saving: bool

    @dataclass
    class Invalid(Message):
        """The store's own check found errors in the sections: nothing was saved."""

        refusal: ValidationError

    @dataclass
    class Rendered(Message):
        path: Path

    document: Document | None
    working: Sections
    all_versions: list[Memorandum]
    spec_fields: dict[str, SpecField]
    report: CheckReport | None
    last_rendered: Path | None
    refusal: str | None
    busy: bool

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
        return memo is not None and not self.read_only and not memo.same_sections(self.working)

    # -- the tasks ---------------------------------------------------------------------------
    def write_ended(self, failure: str | None = None) -> None:
        """A write is over (Tasks says why when it failed): the keys that write are offered again."""
        self.busy = False
        self.refresh_bindings()

    @task("saving the MoU", group="mou-write", reset=write_ended)
    def save_sections(self, memo: Memorandum, sections: Sections) -> Written | Conflict | Invalid:
        try:
            stored = versions.save(self.store, memo, sections, SOURCE)
        except ConflictError as conflict:
            return self.Conflict(conflict, saving=True)
        except ValidationError as refusal:
            return self.Invalid(refusal)
        return self.Written(read(self.store, memo.arrangement, stored.version,
                                 note=versions.save_note(memo, stored), focus=False, sent=sections))

    @task("changing the status", group="mou-write", reset=write_ended)
    def change_status(self, memo: Memorandum, status: str) -> Written | Conflict:
        try:
            stored = versions.set_status(self.store, memo, status, self.twintui.today, SOURCE)
        except ConflictError as conflict:
            return self.Conflict(conflict, saving=False)
        return self.Written(read(self.store, memo.arrangement, stored.version, focus=False,
                                 note=f"{memo.arrangement} MoU version {stored.version} is now {stored.status}"))

    @task("starting the next version", group="mou-write", reset=write_ended)
    def start_version(self, memo: Memorandum) -> Written | Conflict:
        try:
            stored = versions.new_version(self.store, memo, source=SOURCE)
        except ConflictError as conflict:
            return self.Conflict(conflict, saving=False)
        return self.Written(read(self.store, memo.arrangement, stored.version,
                                 note=f"Started version {stored.version} (draft) from signed version {memo.version}"))

    @task("rendering the MoU", group="mou-render")
    def render_document(self, document: Document, fmt: str, path: str) -> Rendered:
        # As stored now, with today's partners and risks unless signed (through the store service: made there).
        desk = self.twintui.desk
        made = desk.document_bytes(document.arrangement.id, document.memorandum.version, fmt, self.twintui.today)
        return self.Rendered(desk.write_document(made, fmt, path))

    @on(Conflict)
    def write_conflicted(self, event: Conflict) -> None:
        self.write_ended()
        self._when_active(lambda: self._conflicted(event.conflict, event.saving))  # type: ignore[attr-defined]

    def _conflicted(self, error: ConflictError, saving: bool) -> None:
        if saving:
            self._resolve(error)
        elif self.document:
            # Nothing of the user's is lost here: show what the store holds now, and let them decide again.
            self.notify(f"{error.message}. The MoU is shown as it is now; try again if you still want to.",
                        severity="warning", timeout=15, markup=False)
            self.open_document(self.document.arrangement.id, focus=False)  # type: ignore[attr-defined]

    @on(Invalid)
    def save_refused(self, event: Invalid) -> None:
        self.write_ended()
        self.notify(event.refusal.message, severity="error", title="Not saved", timeout=15, markup=False)

    @on(Rendered)
    def rendered(self, event: Rendered) -> None:
        self.last_rendered = event.path
        self._show_heading()  # type: ignore[attr-defined]
        self.notify(f"Rendered to {event.path}", title="Document written", markup=False, timeout=10)

    # -- why not -------------------------------------------------------------------------
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

    def action_frozen(self) -> None:
        self._frozen_note()

    # -- save ----------------------------------------------------------------------------
    def action_save(self) -> None:
        memo = self.memo
        if memo is None or self.busy or self._frozen_note():
            return
        bad = [f for f in self.spec_fields.values() if f.error]
        if bad:
            for field in bad:
                field.touch()
            self._show_heading()  # type: ignore[attr-defined]
            self._focus_field(bad[0])
            self.notify(f"Fix {bad[0].spec.label}: {bad[0].error}", severity="error", title="Not saved",
                        markup=False)
            return
        if not self.has_unsaved_changes:
            self.notify("Nothing to save: the store has this version as it is.", markup=False)
            return
        sections = self.working.copy()
        if memo.status == "agreed":
            self.app.push_screen(ConfirmScreen(
                f"Version {memo.version} was agreed by the partners. Saving changes makes it a draft again, to be "
                "agreed again. Save?", yes="Save as draft", no="Keep editing"),
                lambda yes: self._start_save(memo, sections) if yes else None)
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
            self.query_one("#mou-nav", SectionNav).highlighted = KEYS.index(key)
            self.query_one("#mou-panes", ContentSwitcher).current = pane.id
        field.control.focus()

    @work(exclusive=True, exit_on_error=False, group="mou-conflict", name="resolving the conflict")
    async def _resolve(self, error: ConflictError) -> None:
        mine, theirs = error.mine, error.theirs
        if theirs is None or not isinstance(theirs, Memorandum) or not isinstance(mine, Memorandum):
            self.notify(f"{error.message}. Your changes are still on screen.", severity="error", timeout=15,
                        markup=False)
            return
        merged = await self.app.push_screen_wait(ConflictScreen(of_records(mine, theirs, base=self.memo)))
        if merged is None:
            self.notify("Not saved: your changes are still here; ctrl+s tries again.", markup=False)
            return
        assert isinstance(merged, Memorandum) and self.document is not None
        # Their version is now the one the store holds: the merge is saved on top of it.
        self.document = Document(theirs, self.document.arrangement, self.document.partners, self.document.risks)
        self.working = merged.sections()
        for field in self.spec_fields.values():
            field.load(self.working)
        self._show_tables()  # type: ignore[attr-defined]
        self._refresh_review()  # type: ignore[attr-defined]
        self._start_save(theirs, self.working.copy())

    # -- status, next version, render ------------------------------------------------------------
    def action_status(self) -> None:
        memo = self.memo
        if memo is None or self.busy or self._frozen_note():
            return
        if self.has_unsaved_changes:
            self.notify("Save your changes first (ctrl+s): the status applies to the saved text.",
                        severity="warning", markup=False)
            return

        # The keys typed after s choose the status and answer "are you sure?".
        self.twintui.hold_keys(self.ask_status(memo))

    @work(exclusive=True, exit_on_error=False, group="mou-ask", name="changing the status")
    async def ask_status(self, memo: Memorandum) -> None:
        status = await self.app.push_screen_wait(StatusForm(f"{memo.arrangement} MoU {memo.label}", memo.status))
        if status not in STATUS_CHOICES:
            return
        points = self.report.open_points() if self.report is not None and status != "draft" else []
        question = versions.status_question(memo, status, points)
        if await self.app.push_screen_wait(ConfirmScreen(question, yes=f"Mark {status}", no="Cancel")):
            self.busy = True
            self.refresh_bindings()
            self.change_status(memo, status)

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
        names = {fmt: render.suggested_name(document, fmt) for fmt in render.FORMATS}
        folder = self.last_rendered.parent if self.last_rendered else Path.cwd()

        def chosen(result: tuple[str, str] | None) -> None:
            if result is not None and self.document is not None:
                fmt, path = result
                self.render_document(self.document, fmt, path)

        self.app.push_screen(RenderForm(folder, names), chosen)
