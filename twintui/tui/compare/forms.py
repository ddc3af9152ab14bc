"""Small modal inputs of the Compare screens: a value or a few, a candidate, a three-way question.

Each is answered from the keyboard alone: enter moves to the next input and
accepts on the last, ctrl+s accepts from anywhere, escape cancels. Input is
checked before the modal closes, and the problem is shown inside it, so the
user fixes it in place instead of starting over. As in every form of twintui, a
message appears when a field is left or the form accepted, and from then on
follows every key: it goes as soon as the value is valid.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...core.compare.candidates import PartnerChoice
from ...core.compare import Comparison
from ...core.compare.checks import comparison_name_problem, name_problem, name_taken, parse_weight, tidy_name
from ..common.footer import Footer

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 72; max-width: 100%; height: auto; max-height: 100%;
    border: round $accent; background: $surface; padding: 0 1;
}}
{name} .ask-title {{ text-style: bold; }}
{name} .ask-help {{ color: $text-muted; }}
{name} .ask-label {{ margin-top: 1; }}
{name} Input {{ width: 1fr; background: $boost; }}
{name} Input:focus {{ background: $accent 30%; }}
{name} .ask-error {{ color: $error; text-style: bold; height: auto; }}
"""


@dataclass(frozen=True)
class Ask:
    """One input of an ``AskScreen``."""

    key: str
    label: str
    value: str = ""
    placeholder: str = ""


class AskScreen(ModalScreen[dict[str, str] | None]):
    """A few labelled inputs; the result is their text by key, or None when cancelled."""

    DEFAULT_CSS = MODAL_CSS.format(name="AskScreen")
    HELP: ClassVar[str] = "Type the value. enter goes to the next input and accepts on the last; escape cancels."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "accept", "OK", id="ask.accept", tooltip="Accept the values"),
        Binding("escape", "cancel", "Cancel", id="ask.cancel", tooltip="Close without changing anything"),
    ]

    def __init__(self, title: str, asks: Sequence[Ask], *, help: str = "",
                 check: Callable[[dict[str, str]], str | None] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.asks = list(asks)
        self.help_text = help
        self.check = check
        self.checking = False  # a field was left or accept tried: the message follows every key

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="ask-title", markup=False)
            if self.help_text:
                yield Static(self.help_text, classes="ask-help", markup=False)
            for ask in self.asks:
                yield Label(ask.label, classes="ask-label", markup=False)
                # Compact (no border): four inputs and their labels fit in 24 lines.
                yield Input(ask.value, placeholder=ask.placeholder, id=f"ask-{ask.key}", select_on_focus=True,
                            compact=True)
            yield Static("", id="ask-error", classes="ask-error", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def values(self) -> dict[str, str]:
        return {ask.key: self.query_one(f"#ask-{ask.key}", Input).value for ask in self.asks}

    def problem(self) -> str | None:
        """What is wrong with the values now (shown under the inputs), or None."""
        problem = self.check(self.values()) if self.check else None
        self.query_one("#ask-error", Static).update(problem or "")
        return problem

    @on(Input.Changed)
    def _changed(self) -> None:
        if self.checking:
            self.problem()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, Input) and self.is_active:
            self.checking = True
            self.problem()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self.action_accept()

    def action_accept(self) -> None:
        self.checking = True
        if self.problem():
            return
        self.dismiss(self.values())

    def action_cancel(self) -> None:
        self.dismiss(None)


class CandidateScreen(ModalScreen[tuple[str, str | None] | None]):
    """A candidate: a partner of the register (with its reference) or a name typed here.

    The result is ``(name, partner_ref or None)``, or None when cancelled.
    """

    DEFAULT_CSS = MODAL_CSS.format(name="CandidateScreen") + """
    CandidateScreen OptionList { height: auto; max-height: 14; }
    """
    HELP: ClassVar[str] = ("Type to search the partners of the register (name, country, arrangement). down moves "
                           "into the list and enter takes the highlighted partner, linked to its register "
                           "entry; enter in the input adds the typed name as a new candidate instead.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="candidate.cancel", tooltip="Close without adding anyone"),
    ]
    SHOWN = 50  # matches listed at most; typing narrows them

    def __init__(self, choices: Sequence[PartnerChoice], taken: Sequence[str] = (), *, title: str = "Add a candidate",
                 value: str = "") -> None:
        super().__init__()
        self.choices = list(choices)
        self.taken = list(taken)
        self.title_text = title
        self.value = value
        self.shown: list[PartnerChoice] = []
        self.shown_problem = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="ask-title", markup=False)
            yield Static("Type a name, or search the register and press down to pick a partner.",
                         classes="ask-help", markup=False)
            yield Input(self.value, placeholder="e.g. Norway, UDI, Swedish Migration Board", id="candidate-name",
                        compact=True)
            yield Static("", id="candidate-count", classes="ask-help", markup=False)
            yield OptionList(id="candidate-options")
            yield Static("", id="ask-error", classes="ask-error", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._filter(self.value)
        self.query_one(Input).focus()

    @on(Input.Changed, "#candidate-name")
    def _typed(self, event: Input.Changed) -> None:
        self._filter(event.value)
        # A message shown stays while it is still true, and goes as soon as the name is free.
        if self.shown_problem and not self._taken(tidy_name(event.value)):
            self._problem("")

    def _filter(self, text: str) -> None:
        hits = [c for c in self.choices if c.matches(text)]
        self.shown = hits[: self.SHOWN]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(c.label) for c in self.shown])
        more = f" (first {self.SHOWN}; type to narrow)" if len(hits) > self.SHOWN else ""
        if not self.choices:
            count = "The register has no partners yet: type the candidate's name."
        elif hits:
            count = f"{len(hits)} partner{'s' if len(hits) != 1 else ''} of the register match{more}:"
        else:
            count = "No partner of the register matches: enter adds the typed name as a new candidate."
        self.query_one("#candidate-count", Static).update(count)

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.focused is self.query_one(Input) and self.shown:
            event.stop()
            options = self.query_one(OptionList)
            options.focus()
            options.highlighted = 0
        elif event.key == "up" and self.focused is self.query_one(OptionList) and \
                self.query_one(OptionList).highlighted == 0:
            event.stop()
            self.query_one(Input).focus()

    @on(Input.Submitted, "#candidate-name")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = tidy_name(event.value)
        if not name:
            self._problem("Type a name, or press down and pick a partner of the register.")
            return
        self._take(name, None)

    @on(OptionList.OptionSelected, "#candidate-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = self.shown[event.option_index]
        name = choice.name
        if self._taken(name) and not self._taken(choice.partner):
            name = choice.partner  # "Norway" is taken by another Norwegian partner: use the full name
        self._take(name, choice.ref)

    def _taken(self, name: str) -> bool:
        return name_taken(name, self.taken)

    def _take(self, name: str, ref: str | None) -> None:
        if self._taken(name):
            self._problem(f"A candidate is already called {name!r}: choose another name.")
            return
        self.dismiss((name, ref))

    def _problem(self, text: str) -> None:
        self.shown_problem = text
        self.query_one("#ask-error", Static).update(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceScreen(ModalScreen[str | None]):
    """A question with a few answers, each with its own key; escape answers None."""

    DEFAULT_CSS = MODAL_CSS.format(name="ChoiceScreen") + """
    ChoiceScreen > Vertical { border: thick $warning; padding: 1 2; width: 64; }
    ChoiceScreen Horizontal { height: auto; margin-top: 1; }
    ChoiceScreen Button { margin-right: 1; }
    """
    HELP: ClassVar[str] = "Answer with the key shown on each button; escape goes back without doing anything."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(None)", "Back", id="choice.back", tooltip="Go back without doing anything"),
    ]

    def __init__(self, question: str, answers: Sequence[tuple[str, str, str]]) -> None:
        """``answers``: (key, label, result) in button order; the first is focused."""
        super().__init__()
        self.question = question
        self.answers = list(answers)
        self.keys = {key: result for key, _, result in self.answers}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            with Horizontal():
                for key, label, result in self.answers:
                    yield Button(f"{label} ({key})", id=f"choice-{result}")
        yield Footer()

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_key(self, event: events.Key) -> None:
        if event.key in self.keys:
            event.stop()
            self.dismiss(self.keys[event.key])

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_answer(self, result: str | None) -> None:
        self.dismiss(result)


# -- what the forms ask, and the core's word on it ---------------------------------
Check = Callable[[dict[str, str]], str | None]


def problem_of(parse: Callable[[str], Any], key: str) -> Check:
    """A form check from a core parser: its ValueError's words are the form's message."""
    def check(values: dict[str, str]) -> str | None:
        try:
            parse(values[key])
        except ValueError as error:
            return str(error)
        return None

    return check


def details_check(taken: set[str]) -> Check:
    return lambda values: comparison_name_problem(values["name"], taken)


def name_check(taken: list[str], what: str) -> Check:
    """A factor's or candidate's name (and a factor's weight, when the form asks it)."""
    def check(values: dict[str, str]) -> str | None:
        problem = name_problem(values["name"], taken, what)
        if problem:
            return problem
        if "weight" in values:
            try:
                parse_weight(values["weight"])
            except ValueError as error:
                return str(error)
        return None

    return check


def details_asks(c: Comparison | None = None) -> list[Ask]:
    return [
        Ask("name", "Name *", c.name if c else "", "e.g. Partner for the 2027 resettlement programme"),
        Ask("organisation", "Organisation that is choosing", c.organisation if c else "",
            "e.g. Ministry of the Interior"),
        Ask("learning_gap", "Learning / skills gap", c.learning_gap if c else "",
            "area (advocacy, integration support, technical expertise) and timeframe"),
        Ask("end_goal", "End goal", c.end_goal if c else "",
            "e.g. set up a resettlement programme within 18 months"),
    ]


__all__ = ["Ask", "AskScreen", "CandidateScreen", "ChoiceScreen", "details_asks", "details_check", "name_check",
           "problem_of"]
