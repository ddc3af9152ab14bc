"""One arrangement opened from the register: every field, its partners, risks and history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from ...core.model import Arrangement, Partner, Risk, coerce
from ...core.progress import ArrangementProgress
from ...core.progress.assess import assess_one
from ...core.register import is_stale, received_returns
from ...core.reporting import due_date, last_due_quarter
from ...core.store import Entry, Store
from ...core.text import clip, printable
from ..typed_app import OfTwintui
from ..common.footer import Footer
from ..common.tasks import Tasks, task
from . import progress as panel

SECTIONS = (("details", ""), ("progress", "Progress"), ("partners", "Partners"), ("risks", "Risks"),
            ("history", "History"))


@dataclass
class RecordView:
    """Everything the screen shows, read in one go off the UI thread."""

    arrangement: Arrangement
    partners: list[Partner]
    risks: list[Risk]
    history: list[Entry]
    received: bool = False  # its state's return for the last quarter past due came back


# The texts below are built as styled Text, never as markup: the register's own words
# ("[draft]", a path with a backslash) must show as typed, not be read as tags.
BOLD, DIM = Style(bold=True), Style(dim=True)
LONG_FIELDS = ("learning_gap", "objectives", "outcomes", "best_practices", "lessons_learned")


def _value(field_name: str, value: Any) -> str:
    field = Arrangement.field(field_name)
    if field.kind == "country" and value:
        return f"{value} ({coerce.country_name(value)})"
    return field.display(value)


def _lines(*parts: Text | str) -> Text:
    return Text("\n").join(part if isinstance(part, Text) else Text(part) for part in parts)


def details_text(a: Arrangement, today: dt.date, received: bool = False) -> Text:
    lines: list[Text | str] = [
        Text(a.title, style=BOLD),
        Text(f"{a.id} · revision {a.rev} · created {a.created_at} by {a.created_by} · last changed "
             f"{a.updated_at} by {a.updated_by}", style=DIM),
    ]
    if is_stale(a, today, received):
        quarter = last_due_quarter(today)
        lines.append(Text(f"! not reported for {quarter} (due {due_date(quarter).isoformat()})", style=BOLD))
    lines.append("")
    for field in Arrangement.FIELDS:
        if field.name == "title":
            continue
        value = _value(field.name, getattr(a, field.name))
        shown = Text(value) if value else Text("—", style=DIM)
        if field.name in LONG_FIELDS:
            lines += ["", Text(field.label, style=BOLD), shown]
        else:
            lines.append(Text.assemble((f"{field.label}: ", BOLD), shown))
    return _lines(*lines)


def partners_text(partners: list[Partner]) -> Text:
    if not partners:
        return Text("No partners recorded.", style=DIM)
    blocks = []
    for p in partners:
        facts = ", ".join(x for x in (p.type, p.country and f"{p.country} ({coerce.country_name(p.country)})",
                                      p.role, p.state_category and f"{p.state_category} state") if x)
        block: list[Text | str] = [Text.assemble((p.name, BOLD), "  ", (p.id, DIM)), f"  {facts}"]
        if p.address:
            block.append(f"  address: {p.address}")
        if p.contact:
            block.append(f"  contact: {p.contact}")
        blocks.append(_lines(*block))
    return Text("\n\n").join(blocks)


def risks_text(risks: list[Risk], today: dt.date) -> Text:
    if not risks:
        return Text("No risks recorded. Risks are edited on the Risks screen (4).", style=DIM)
    blocks = []
    for r in sorted(risks, key=lambda r: (r.status != "open", -r.score)):
        residual = f" → residual {r.residual_score} {r.residual_band}" if r.residual_score is not None else ""
        review = r.next_review.isoformat() if r.next_review else "not set"
        blocks.append(_lines(
            Text.assemble((r.id, BOLD), f" [{r.band.upper()} {r.score}{residual}] {r.description} ({r.status})"),
            Text.assemble(f"  {r.category} · L{r.likelihood} × I{r.impact} · owner: {r.owner or '—'} · "
                          f"next review: {review}", (" OVERDUE" if r.overdue(today) else "", BOLD)),
            f"  {r.treatment or 'no treatment'}: {r.mitigation or '—'}",
        ))
    return Text("\n\n").join(blocks)


def history_text(entries: list[Entry]) -> RenderableType:
    """Newest first: who, when, what; each changed field with its old and new value on lines of their own."""
    if not entries:
        return Text("No history.", style=DIM)
    blocks: list[RenderableType] = []
    for e in reversed(entries):  # newest first
        head = Text.assemble((e.at, BOLD), f" {e.user} · {e.action} · {e.source}")
        if e.record and "/" in e.record:
            head.append(f" · {e.record.partition('/')[2]}")
        if blocks:
            blocks.append(Text(""))
        blocks.append(head)
        if e.changes:
            # A grid, so a long value wraps under itself, not under the field's name.
            grid = Table.grid(padding=(0, 1))
            grid.add_column(width=1)
            grid.add_column(no_wrap=True)
            grid.add_column(ratio=1, overflow="fold")
            for name, (old, new) in e.changes.items():
                grid.add_row("", Text(_label(name, e.record), style=BOLD), "")
                grid.add_row("", Text("  was", style=DIM), Text(_short(old)))
                grid.add_row("", Text("  now", style=DIM), Text(_short(new)))
            blocks.append(grid)
    return Group(*blocks)


def _label(name: str, record: str) -> str:
    """A field's label as the form shows it (an arrangement's), else its name in words."""
    if "/" not in record and name in ARRANGEMENT_FIELDS:
        return Arrangement.field(name).label
    return name.replace("_", " ").capitalize()


ARRANGEMENT_FIELDS = frozenset(f.name for f in Arrangement.FIELDS)


def _short(value: Any, width: int = 400) -> str:
    """A value on the screen: lists joined, newlines as " / ", very long text cut (the log keeps it all)."""
    if value in (None, "", []):
        return "∅"
    if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)):
        return "(changed)"  # a structured section (an MoU's plan, a comparison's matrix)
    text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    return clip(printable(text.replace("\n", " / ")), width)


class ArrangementScreen(Tasks, OfTwintui, Screen[None]):
    """An arrangement with everything recorded about it. escape goes back to the list."""

    @dataclass
    class Loaded(Message):
        view: RecordView

    @dataclass
    class ProgressRead(Message):
        """Where the arrangement's objectives will land (None: no MoU and nothing reported)."""

        progress: ArrangementProgress | None

    @dataclass
    class EditChecked(Message):
        """Whether the user may change the arrangement: ``refusal`` says why not (the access file)."""

        refusal: str | None

    HELP_TITLE = "Arrangement"

    HELP = ("One arrangement: its fields; its progress (each MoU objective's values as a bar toward the target "
            "and a sparkline by quarter, the verdict in words with '!' where it needs acting on: off track, "
            "late; the plan's activities; the spending against the funding period); partners (with addresses "
            "and contacts), risks (read-only here; edit them on the Risks screen) and its history from the "
            "audit log: who changed what, when. o, p, r and h jump to progress, partners, risks and history, "
            "t back to the top; up/down/pageup/pagedown scroll.")

    DEFAULT_CSS = """
    ArrangementScreen .section-title { background: $panel; text-style: bold; padding: 0 1; margin-top: 1; }
    ArrangementScreen .section { padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="record.back", tooltip="Back to the register"),
        Binding("e", "edit", "Edit", id="record.edit", tooltip="Edit this arrangement and its partners"),
        Binding("c", "copy_id", "Copy ID", id="record.copy_id", tooltip="Copy the record ID (works over SSH)"),
        Binding("m", "copy_email", "Copy e-mail", id="record.copy_email",
                tooltip="Copy the contact e-mail (works over SSH)"),
        Binding("o", "section('progress')", "Progress", id="record.progress",
                tooltip="Jump to the progress: the objectives' verdicts, the plan, the spending"),
        Binding("p", "section('partners')", "Partners", id="record.partners", tooltip="Jump to the partners"),
        Binding("r", "section('risks')", "Risks", show=False, id="record.risks", tooltip="Jump to the risks"),
        Binding("h", "section('history')", "History", id="record.history", tooltip="Jump to the change history"),
        Binding("t", "section('details')", "Top", show=False, id="record.top", tooltip="Back to the top"),
    ]

    def __init__(self, arrangement_id: str):
        super().__init__()
        self.arrangement_id = arrangement_id
        self.view: RecordView | None = None

    @property
    def store(self) -> Store:
        return self.twintui.store

    def compose(self) -> ComposeResult:
        yield Header()
        # One scroll with four sections (lighter to open than tabs; p/r/h jump to a section).
        with VerticalScroll(id="record-body"):
            for section, label in SECTIONS:
                if label:
                    yield Static(label, id=f"{section}-title", classes="section-title")
                yield Static("Loading…" if section in ("details", "progress") else "", id=f"{section}-text",
                             classes="section")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.arrangement_id
        # Keys typed at once (e, h) wait for the record: there is nothing to edit before it is read.
        self.twintui.hold_keys(self.load())
        # And for its progress: o typed at once jumps to the panel as it will be, not as it was loading.
        self.twintui.hold_keys(self.read_progress())

    def not_opened(self, failure: str | None) -> None:
        if failure is not None:  # (said already; a read superseded by the next one is not a failure)
            self.dismiss(None)

    @task("opening the arrangement", group="record-load", reset=not_opened)
    def load(self) -> Loaded:
        store = self.store
        arrangement = store.require(Arrangement, self.arrangement_id)
        received = arrangement.reporting_state in received_returns(store, self.twintui.today)
        return self.Loaded(RecordView(arrangement, store.children(Partner, self.arrangement_id),
                                      store.children(Risk, self.arrangement_id),
                                      store.history(self.arrangement_id, children=True), received))

    @task("reading the progress", group="record-progress")
    def read_progress(self) -> ProgressRead:
        # Its own task: the record shows at once, the verdicts follow (the first read indexes the progress).
        return self.ProgressRead(assess_one(self.store, self.arrangement_id, self.twintui.today))

    @on(ProgressRead)
    def show_progress(self, event: ProgressRead) -> None:
        self.query_one("#progress-text", Static).update(panel.progress_text(event.progress, self.twintui.today))
        self.query_one("#progress-title", Static).update(panel.title(event.progress))

    @on(Loaded)
    def show(self, event: Loaded) -> None:
        self.view = view = event.view
        today = self.twintui.today
        history = view.history
        self.query_one("#details-text", Static).update(details_text(view.arrangement, today, view.received))
        self.query_one("#partners-text", Static).update(partners_text(view.partners))
        self.query_one("#risks-text", Static).update(risks_text(view.risks, today))
        self.query_one("#history-text", Static).update(history_text(history))
        self.query_one("#partners-title", Static).update(f"Partners ({len(view.partners)})")
        self.query_one("#risks-title", Static).update(f"Risks ({len(view.risks)})")
        self.query_one("#history-title", Static).update(f"History ({len(history)})")

    def action_back(self) -> None:
        self.dismiss(None)

    def action_section(self, section: str) -> None:
        target = self.query_one(f"#{section}-title" if section != "details" else "#details-text", Static)
        # After the next layout: texts just read change the sections' heights.
        self.call_after_refresh(lambda: self.query_one("#record-body", VerticalScroll).scroll_to_widget(
            target, top=True, animate=False))

    def action_edit(self) -> None:
        if self.view is None:
            return
        # The access file first, as on the list: a focal point learns before any form opens that the
        # record is not theirs. Keys typed meanwhile wait for the form.
        self.twintui.hold_keys(self.check_edit(self.view.arrangement))

    @task("checking your access", group="record-edit")
    def check_edit(self, arrangement: Arrangement) -> EditChecked:
        return self.EditChecked(self.store.access().refusal(arrangement))

    @on(EditChecked)
    def open_editor(self, event: EditChecked) -> None:
        if event.refusal:
            self.notify(event.refusal, title="Not allowed", severity="warning", timeout=8, markup=False)
            return
        assert self.view is not None
        from .form import ArrangementEditor

        def saved(result: Arrangement | None) -> None:
            if result is not None:  # the form has said so: one message per save
                self.load()
                self.read_progress()

        self.app.push_screen(ArrangementEditor(self.store, self.view.arrangement, self.view.partners), saved)

    def action_copy_id(self) -> None:
        self.app.copy_to_clipboard(self.arrangement_id)
        self.notify(f"copied {self.arrangement_id}")

    def action_copy_email(self) -> None:
        email = self.view.arrangement.contact_email if self.view else None
        if email:
            self.app.copy_to_clipboard(email)
            self.notify(f"copied {email}")
        else:
            self.notify("this arrangement has no contact e-mail", severity="warning")
