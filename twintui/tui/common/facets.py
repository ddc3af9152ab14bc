"""'f' on a list: narrow it by facets (one tab each) and a few on/off choices.

The screen knows nothing of registers or risks: it gets the facets with their
values, counts and current choice, and gives back what the user ticked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TabbedContent, TabPane

from .ticks import TickBox, TickList


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    counts: Counter[str]  # value -> how many records it would show
    chosen: frozenset[str]
    order: Sequence[str] | None = None  # a fixed order (a vocabulary); else by count

    def values(self) -> list[str]:
        present = set(self.counts) | set(self.chosen)
        if self.order is not None:
            return [v for v in self.order if v in present] + sorted(present - set(self.order))
        return sorted(present, key=lambda v: (-self.counts[v], v))


@dataclass(frozen=True)
class Toggle:
    name: str
    label: str
    value: bool


@dataclass(frozen=True)
class FacetChoice:
    """What the user applied: ticked values per facet, and each toggle."""

    facets: dict[str, frozenset[str]]
    toggles: dict[str, bool]


class FacetScreen(ModalScreen[FacetChoice | None]):
    """Tick the values to keep; the number beside each is how many records it would show."""

    HELP_TITLE = "Facets"

    HELP = ("Tick values to narrow the list: within one facet any ticked value matches, across facets all "
            "must. space toggles a value, tab moves on, left/right switch facets, ctrl+s applies, x clears "
            "everything, escape cancels.")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "Apply", id="facets.apply", tooltip="Apply the chosen facets"),
        Binding("x", "clear", "Clear all", id="facets.clear", tooltip="Untick every value"),
        Binding("escape", "cancel", "Cancel", id="facets.cancel", tooltip="Close without changing the filter"),
        Binding("left", "facet(-1)", "Previous facet", show=False, id="facets.previous",
                tooltip="Show the previous facet's values"),
        Binding("right", "facet(1)", "Next facet", show=False, id="facets.next", tooltip="Show the next facet's values"),
    ]

    DEFAULT_CSS = """
    FacetScreen { align: center middle; }
    FacetScreen > Vertical { width: 76; max-width: 100%; height: 22; max-height: 100%;
                             border: round $accent; background: $surface; }
    FacetScreen TabbedContent { height: 1fr; }
    FacetScreen TabPane { height: 1fr; padding: 0; }
    FacetScreen TickList { height: 1fr; border: none; }
    FacetScreen TickBox { border: none; height: 1; padding: 0 1; }
    FacetScreen #facet-hint { height: 1; color: $text-muted; padding: 0 1; }
    FacetScreen #facet-buttons { height: 3; align-horizontal: right; }
    FacetScreen #facet-buttons Button { margin: 0 1; min-width: 10; }
    """

    def __init__(self, facets: Sequence[Facet], toggles: Sequence[Toggle] = ()):
        super().__init__()
        self.facets = list(facets)
        self.toggles = list(toggles)

    def compose(self) -> ComposeResult:
        with Vertical():
            with TabbedContent():
                for facet in self.facets:
                    with TabPane(facet.label, id=f"tab-{facet.name}"):
                        values = TickList(
                            *[(f"{value} ({facet.counts[value]:,})", value, value in facet.chosen)
                              for value in facet.values()],
                            id=f"facet-{facet.name}",
                        )
                        values.FIELD_LABEL = facet.label  # the help's title: "State (tick list)"
                        yield values
            for toggle in self.toggles:
                yield TickBox(toggle.label, toggle.value, id=f"toggle-{toggle.name}")
            yield Static("space tick · tab next · left/right other facet · ctrl+s apply · x clear · esc cancel",
                         id="facet-hint")
            with Horizontal(id="facet-buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # Straight onto the first facet's values: space ticks at once (the tab strip above only switches).
        self.query_one(f"#facet-{self.facets[0].name}", TickList).focus()

    def action_facet(self, step: int) -> None:
        """Show the previous or next facet, with its values focused."""
        tabs = self.query_one(TabbedContent)
        names = [f.name for f in self.facets]
        current = (tabs.active or f"tab-{names[0]}").removeprefix("tab-")
        name = names[(names.index(current) + step) % len(names)]
        tabs.active = f"tab-{name}"
        self.query_one(f"#facet-{name}", TickList).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_apply() if event.button.id == "apply" else self.action_cancel()

    def chosen(self) -> FacetChoice:
        return FacetChoice(
            {f.name: frozenset(self.query_one(f"#facet-{f.name}", TickList).selected) for f in self.facets},
            {t.name: self.query_one(f"#toggle-{t.name}", TickBox).value for t in self.toggles},
        )

    def action_apply(self) -> None:
        self.dismiss(self.chosen())

    def action_clear(self) -> None:
        for facet in self.facets:
            self.query_one(f"#facet-{facet.name}", TickList).deselect_all()
        for toggle in self.toggles:
            self.query_one(f"#toggle-{toggle.name}", TickBox).value = False

    def action_cancel(self) -> None:
        self.dismiss(None)
