"""'f' on the register: narrow the list by state, status, activity type, area and quarter."""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, SelectionList, Static, TabbedContent, TabPane

from ...core.model import vocab
from ...core.register import FACETS, Filter
from ..widgets.ticks import TickBox, TickList

_ORDER = {"statuses": vocab.STATUSES, "activity_types": vocab.ACTIVITY_TYPES, "areas": vocab.AREAS}


def _ordered(facet: str, counts: Counter[str], chosen: frozenset[str]) -> list[str]:
    values = set(counts) | set(chosen)
    if facet in _ORDER:
        return [v for v in _ORDER[facet] if v in values]
    if facet == "quarters":
        return sorted(values, reverse=True)
    return sorted(values, key=lambda v: (-counts[v], v))


class FacetScreen(ModalScreen[Filter | None]):
    """Tick the values to keep; the number beside each is how many records it would show."""

    HELP = ("Tick values to narrow the register: within one facet any ticked value matches, across facets all "
            "must. space toggles a value, tab moves on, ctrl+s applies, x clears everything, escape cancels.")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "Apply", id="facets.apply", tooltip="Apply the chosen facets"),
        Binding("x", "clear", "Clear all", id="facets.clear", tooltip="Untick every value"),
        Binding("escape", "cancel", "Cancel", id="facets.cancel", tooltip="Close without changing the filter"),
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

    def __init__(self, counts: dict[str, Counter[str]], current: Filter):
        super().__init__()
        self.counts = counts
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            with TabbedContent():
                for facet, label in FACETS:
                    chosen = getattr(self.current, facet)
                    counts = self.counts.get(facet, Counter())
                    with TabPane(label, id=f"tab-{facet}"):
                        yield TickList(
                            *[(f"{value} ({counts[value]:,})", value, value in chosen)
                              for value in _ordered(facet, counts, chosen)],
                            id=f"facet-{facet}",
                        )
            yield TickBox("Only records not reported for more than one quarter (!)", self.current.stale_only,
                           id="stale-only")
            yield Static("space tick · tab next · left/right other facet · ctrl+s apply · x clear · esc cancel",
                         id="facet-hint")
            with Horizontal(id="facet-buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Cancel", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_apply() if event.button.id == "apply" else self.action_cancel()

    def chosen(self) -> Filter:
        result = self.current
        for facet, _ in FACETS:
            result = result.with_facet(facet, self.query_one(f"#facet-{facet}", SelectionList).selected)
        from dataclasses import replace

        return replace(result, stale_only=self.query_one("#stale-only", Checkbox).value)

    def action_apply(self) -> None:
        self.dismiss(self.chosen())

    def action_clear(self) -> None:
        for facet, _ in FACETS:
            self.query_one(f"#facet-{facet}", SelectionList).deselect_all()
        self.query_one("#stale-only", Checkbox).value = False

    def action_cancel(self) -> None:
        self.dismiss(None)
