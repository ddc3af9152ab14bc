"""Suggested candidates for a comparison, from the inventory of expertise (issue 9).

``i`` on the comparison screen finds them in a task (``experts.suggest_for_gap``
on the learning gap) and shows them in ``SuggestScreen``, strongest first, each with
its country, strength and evidence (arrangement IDs); enter adds the highlighted
one to the matrix. Keys typed after ``i`` wait for the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core import experts
from ...core.compare.checks import name_problem
from ...core.experts import Suggestion, Topic
from ..common.base import MainScreen
from ..common.footer import Footer
from ..common.tasks import task
from .edits import changes
from .forms import MODAL_CSS

if TYPE_CHECKING:
    from .screen import ComparisonScreen


def suggestion_text(s: Suggestion, with_topics: bool = False) -> Text:
    """Two lines: who, where and how strong; then the evidence (and which of the gap's topics it is for)."""
    text = Text()
    text.append(s.name, style="bold")
    text.append(f" ({s.country})" if s.country and s.country != s.name else "")
    text.append(f" · {s.kind} · strength {s.strength:g}")
    if s.latest:
        text.append(f" · latest {s.latest}")
    text.append("\n  evidence: " + ", ".join(s.evidence), style="dim")
    if with_topics:
        text.append(" · " + "; ".join(t.name for t in s.topics), style="dim")
    return text


class SuggestScreen(ModalScreen[Suggestion | None]):
    """Organisations and states with experience of the learning gap; enter adds one as a candidate."""

    DEFAULT_CSS = MODAL_CSS.format(name="SuggestScreen") + """
    SuggestScreen > Vertical { width: 90; }
    SuggestScreen OptionList { height: auto; max-height: 14; }
    """
    HELP: ClassVar[str] = ("Candidates from the inventory of expertise: organisations and states that led or took "
                           "part in active or completed arrangements of the comparison's learning gap, strongest "
                           "first (strength: 2 per arrangement led, 1 per one taken part in, less for older ones). "
                           "The evidence is the arrangements' IDs. enter adds the highlighted one to the matrix, "
                           "linked to its partner entry; escape closes.")
    AUTO_FOCUS = "OptionList"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="suggest.cancel", tooltip="Close without adding anyone"),
    ]

    def __init__(self, suggestions: Sequence[Suggestion], topics: Sequence[Topic]) -> None:
        super().__init__()
        self.suggestions = list(suggestions)
        self.topics = list(topics)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Suggest candidates from the register", classes="ask-title", markup=False)
            named = "; ".join(t.name for t in self.topics)
            yield Static(f"Experience of {named}; enter adds the highlighted one.", classes="ask-help",
                         markup=False)
            # With several topics in the gap, each says which of them it has experience of.
            several = len(self.topics) > 1
            yield OptionList(*(Option(suggestion_text(s, several)) for s in self.suggestions), id="suggest-options")
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.suggestions:
            options.highlighted = 0

    @on(OptionList.OptionSelected, "#suggest-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.suggestions[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class CandidateSuggestions(MainScreen):
    """The ``i`` key of ``ComparisonScreen`` (a base of it): suggest, then add the chosen one as a candidate."""

    @dataclass
    class Suggested(Message):
        """The inventory's candidates for the learning gap, with the topics it names."""

        answer: experts.GapSuggestions

    @changes
    def action_suggest(self: ComparisonScreen) -> None:
        c = self.comparison
        if not c.learning_gap.strip():
            self.notify("The comparison has no learning gap yet: press d and say which area or activity it is "
                        "about (e.g. selection missions).", severity="warning", markup=False)
            return
        exclude = [c.organisation, *(x.name for x in c.candidates),
                   *(x.partner_ref for x in c.candidates if x.partner_ref)]
        # Keys typed after i (down, enter) belong in the list of suggestions.
        # Keys typed after i (down, enter) belong in the list of suggestions.
        self.twintui.hold_keys(self.suggest_worker(c.learning_gap, exclude))

    @task("suggesting candidates", group="comparison-suggest")
    def suggest_worker(self: ComparisonScreen, gap: str, exclude: list[str]) -> Suggested:
        """The inventory's candidates for the gap, with the topics it names (for the heading)."""
        return self.Suggested(experts.suggest_for_gap(self.store, gap, exclude=exclude, today=self.twintui.today))

    @on(Suggested)
    def suggestions_found(self: ComparisonScreen, event: Suggested) -> None:
        self._when_active(lambda: self.suggested(event.answer))

    def suggested(self: ComparisonScreen, answer: experts.GapSuggestions) -> None:
        named, found = answer.topics, answer.suggestions
        topics = "; ".join(t.name for t in named)
        if not topics:
            self.notify("The learning gap names no resettlement area or activity type of the register (e.g. "
                        "selection missions, dossier processing): press d to say which.", severity="warning",
                        timeout=8, markup=False)
            return
        if not found:
            self.notify(f"No one else in the register has experience of {topics} yet.", markup=False)
            return

        def chosen(suggestion: experts.Suggestion | None) -> None:
            if suggestion is None:
                return
            name = suggestion.name
            taken = name_problem(name, [x.name for x in self.comparison.candidates], "candidate")
            if taken:
                self.notify(taken, severity="warning", markup=False)
                return
            if self.edit(lambda: self.comparison.add_candidate(name, suggestion.partner_ref), candidate=name):
                self.notify(f"{name} added (evidence: {', '.join(suggestion.evidence)}); score it in the grid.",
                            markup=False)

        self.app.push_screen(SuggestScreen(found, named), chosen)
