"""The MoU editor's panes: the list of sections, one pane per section, and what the read-only panes show.

The panes are composed here in the order of the guidelines' sections; the
editor keeps them filled. Partners and risks are kept on their own screens, so
their panes are text; the versions pane is a table.
"""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import (
    ContentSwitcher,
    DataTable,
    Label,
    OptionList,
    Select,
    Static,
)

from ...core.model import coerce
from ...core.mou import smart
from ...core.mou.checklist import help_text as checklist_help
from ...core.mou.checks import CheckReport
from ...core.mou.dates import iso
from ...core.mou.model import SECTION_TITLES, Memorandum
from ...core.mou.versions import Document
from ..common.base import MainScreen
from .fields import SPECS, SpecField
from .gantt import GanttChart
from .items import TABLES
from .review import ReviewPanel, review_summary

# The editor's sections, in the order of the list on the left.
NAV: tuple[tuple[str, str], ...] = (
    ("1", "1 Partners"), ("2", "2 Introduction"), ("3", "3 Objectives"), ("4", "4 Roles"), ("5", "5 Plan"),
    ("6", "6 Monitoring"), ("7", "7 Funding"), ("8", "8 Review"), ("9", "9 Risks"), ("gantt", "Gantt chart"),
    ("versions", "Versions"),
)
KEYS = [key for key, _ in NAV]
HINT = "a add · e/enter edit · x remove · shift+↑↓ move"
VERSION_COLUMNS = (("version", "Version"), ("status", "Status"), ("agreed", "Agreed"), ("signed", "Signed"),
                   ("changed", "Changed by"))


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

    def on_mount(self) -> None:
        for key, label in VERSION_COLUMNS:
            self.add_column(label, key=key)

    def show(self, versions: list[Memorandum], current: Memorandum | None) -> None:
        self.clear()
        for memo in versions:
            marker = " ◂" if current and memo.version == current.version else ""
            self.add_row(f"{memo.version}{marker}", memo.status, iso(memo.agreed_on) or "",
                         iso(memo.signed_on) or "", f"{memo.updated_by} {memo.updated_at[:10]}",
                         key=str(memo.version))


def _title(key: str) -> Static:
    text = f"{key} {SECTION_TITLES[int(key)]}" if key.isdigit() else dict(NAV)[key]
    return Static(text, classes="pane-title", markup=False)


def compose_panes(spec_fields: dict[str, SpecField]) -> ComposeResult:
    """One scrolling pane per entry of ``NAV``; each section's fields are also put into ``spec_fields``."""

    def fields(section: str) -> ComposeResult:
        for spec in SPECS.get(section, ()):
            field = SpecField(spec)
            spec_fields[spec.path] = field
            yield field

    with VerticalScroll(id="pane-1", classes="pane"):
        yield _title("1")
        yield from fields("1")
        yield Label("Partners (names and addresses; edited on the Register screen)", classes="spec-label")
        yield Static("", id="mou-partners", classes="readonly")
    with VerticalScroll(id="pane-2", classes="pane"):
        yield _title("2")
        yield from fields("2")
    with VerticalScroll(id="pane-3", classes="pane"):
        yield _title("3")
        yield Static(HINT, classes="hint", markup=False)
        yield TABLES["objectives"](id="mou-objectives")
        yield from fields("3")
    with VerticalScroll(id="pane-4", classes="pane"):
        yield _title("4")
        yield Static(HINT + " · * overall", classes="hint", markup=False)
        yield TABLES["roles"](id="mou-roles")
        yield from fields("4")
    with VerticalScroll(id="pane-5", classes="pane"):
        yield _title("5")
        yield Static(HINT + " · ! to check", classes="hint", markup=False)
        yield TABLES["activities"](id="mou-activities")
        yield Static("", id="mou-plan-problems", markup=False)
    with VerticalScroll(id="pane-6", classes="pane"):
        yield _title("6")
        yield from fields("6")
    with VerticalScroll(id="pane-7", classes="pane"):
        yield _title("7")
        yield from fields("7")
        yield Label("Check against a funding call", classes="spec-label")
        yield Select([], prompt="(no call)", allow_blank=True, id="mou-call")
        yield Static("", id="mou-call-results", markup=False)
    with VerticalScroll(id="pane-8", classes="pane"):
        yield _title("8")
        yield from fields("8")
    with VerticalScroll(id="pane-9", classes="pane"):
        yield _title("9")
        yield Static("", id="mou-risks", classes="readonly")
    with VerticalScroll(id="pane-gantt", classes="pane"):
        yield _title("gantt")
        yield GanttChart(id="mou-gantt")
    with VerticalScroll(id="pane-versions", classes="pane"):
        yield _title("versions")
        yield Static("enter opens a version · only the latest is edited", classes="hint", markup=False)
        yield VersionTable(id="mou-versions", cursor_type="row", zebra_stripes=True)


def partners_markup(document: Document) -> str:
    """Section 1's partners as the Register has them (Rich markup; their text is escaped)."""
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
    return "\n".join(blocks) or "[dim]No partners: add them on the Register screen (1), record, e.[/dim]"


def risks_markup(document: Document) -> str:
    """Section 9: the arrangement's risks, open and worst first, as of today or as signed."""
    risks = []
    for r in sorted(document.risks, key=lambda r: (r.status != "open", -r.score)):
        review = iso(r.next_review) or "not set"
        risks.append(f"[b]{r.id}[/b] {r.band.upper()} {r.score} · {escape(r.description)} ({r.status})\n"
                     f"  owner: {escape(r.owner or '—')} · next review: {review}\n"
                     f"  {escape(r.treatment or 'no treatment')}: {escape(r.mitigation or '—')}")
    note = "\n\n[dim]The risk register is kept on the Risks screen (4); section 9 shows it as it is"
    note += " at signing.[/dim]" if document.memorandum.status == "signed" else ".[/dim]"
    return ("\n\n".join(risks) or "[dim]No risks recorded.[/dim]") + note


class PaneKeys(MainScreen):
    """A base of ``MouEditor``: the keys between the section list and the panes, and the review panel's place."""

    # Below this width the review panel gives its room to the sections (one line says how to show it).
    REVIEW_WIDTH = 100
    report: CheckReport | None
    review_wanted: bool | None  # p: the user's choice; None: as wide as the screen allows

    @on(OptionList.OptionHighlighted, "#mou-nav")
    def _section_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one("#mou-panes", ContentSwitcher).current = f"pane-{event.option.id}"

    @on(OptionList.OptionSelected, "#mou-nav")
    def _section_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_enter_pane()

    def action_enter_pane(self) -> None:
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
        nav.highlighted = KEYS.index(key)
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
