"""The edits of one comparison: scores, weights, minimums, notes, factors, candidates, details.

Each action asks what it needs in a small form (``forms.py``), checked there with
the core's words, and changes the screen's working copy through ``edit``; nothing
is saved before ``ctrl+s``. ``ComparisonScreen`` mixes these in; the grid's keys
call them (``screen.score(3)``, ``screen.weight``...).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...core.compare.checks import (
    DEFAULT_WEIGHT, MIN_WEIGHT, SCORE_RANGE, WEIGHT_RANGE, parse_minimum, parse_weight, tidy_details, tidy_name,
)
from ...core.compare.wording import format_weight
from ...core.text import plural
from ..common.confirm import ConfirmScreen
from .forms import Ask, AskScreen, CandidateScreen, details_asks, details_check, name_check, problem_of

if TYPE_CHECKING:
    from .screen import ComparisonScreen


def changes(action: Callable[..., None]) -> Callable[..., None]:
    """An action that changes the comparison: refused with the reason (the access file's), before any form."""

    @functools.wraps(action)
    def guarded(self: ComparisonScreen, *args: Any) -> None:
        if self.refusal:
            self.notify(self.refusal, title="Not allowed", severity="warning", timeout=8, markup=False)
            return
        action(self, *args)

    return guarded


class ComparisonEdits:
    """The editing actions of ``ComparisonScreen`` (a mixin: they use its working copy and grid)."""

    def edit(self: ComparisonScreen, change: Callable[[], None], *, factor: str | None = None,
             candidate: str | None = None) -> bool:
        """Apply one change to the working copy; a refused change says why and changes nothing."""
        try:
            change()
        except ValueError as error:
            self.notify(str(error), severity="error", markup=False)
            return False
        self.edits += 1
        self.changed()
        if factor is not None or candidate is not None:
            self.grid.move_to(factor, candidate)
        return True

    def _cell(self: ComparisonScreen) -> tuple[str, str] | None:
        factor, candidate = self.grid.factor, self.grid.candidate
        if factor is None:
            self.notify("There are no factors: press a to add one.", severity="warning")
            return None
        if candidate is None:
            self.notify("There are no candidates: press c to add one.", severity="warning")
            return None
        return factor, candidate

    @changes
    def action_score(self: ComparisonScreen, score: int | None) -> None:
        cell = self._cell()
        if cell is not None:
            self.edit(lambda: self.comparison.set_score(*cell, score))

    def action_score_out_of_range(self: ComparisonScreen) -> None:
        self.notify(f"Scores go from {SCORE_RANGE} (backspace: unknown). escape leaves the grid if you meant to "
                    "switch screens.", severity="warning")

    def _factor(self: ComparisonScreen) -> str | None:
        factor = self.grid.factor
        if factor is None:
            self.notify("There are no factors: press a to add one.", severity="warning")
        return factor

    @changes
    def action_weight(self: ComparisonScreen) -> None:
        factor = self._factor()
        if factor is None:
            return

        def answered(values: dict[str, str] | None) -> None:
            if values is not None:
                self.edit(lambda: self.comparison.set_weight(factor, parse_weight(values["weight"])))

        self.app.push_screen(AskScreen(
            f"Weight of {factor}", [Ask("weight", f"Weight ({WEIGHT_RANGE}; {MIN_WEIGHT:g}: not counted)",
                                        format_weight(self.comparison.factor(factor).weight))],
            help="How much this factor counts in the total, from 0 (not at all) to 5.",
            check=problem_of(parse_weight, "weight")), answered)

    @changes
    def action_must_have(self: ComparisonScreen) -> None:
        factor = self._factor()
        if factor is None:
            return
        current = self.comparison.factor(factor).must_have_min

        def answered(values: dict[str, str] | None) -> None:
            if values is not None:
                self.edit(lambda: self.comparison.set_must_have(factor, parse_minimum(values["minimum"])))

        self.app.push_screen(AskScreen(
            f"Must-have minimum of {factor}",
            [Ask("minimum", f"Minimum score ({SCORE_RANGE}; empty: not a must-have)",
                 "" if current is None else str(current))],
            help="A candidate scored below this minimum is excluded from the ranking, with the reason. "
                 "An unknown score does not exclude but is flagged.",
            check=problem_of(parse_minimum, "minimum")), answered)

    @changes
    def action_note(self: ComparisonScreen) -> None:
        cell = self._cell()
        if cell is None:
            return
        factor, candidate = cell

        def answered(values: dict[str, str] | None) -> None:
            if values is not None:
                self.edit(lambda: self.comparison.set_note(factor, candidate, values["note"].strip()))

        self.app.push_screen(AskScreen(
            f"Note: {candidate} on {factor}",
            [Ask("note", "Note (empty removes it)", self.comparison.cell(factor, candidate).note,
                 "where the score comes from, what to check")]), answered)

    @changes
    def action_add_factor(self: ComparisonScreen) -> None:
        c = self.comparison
        index = self.grid.row + 1 if c.factors else 0

        def answered(values: dict[str, str] | None) -> None:
            if values is not None:
                name = tidy_name(values["name"])
                self.edit(lambda: c.add_factor(name, parse_weight(values["weight"]), index=index), factor=name)

        self.app.push_screen(AskScreen(
            "Add a factor", [Ask("name", "Factor", "", "e.g. Costs and timeframe"),
                             Ask("weight", f"Weight ({WEIGHT_RANGE})", str(DEFAULT_WEIGHT))],
            help="It is added below the current factor; every candidate starts unknown on it.",
            check=name_check([f.name for f in c.factors], "factor")), answered)

    @changes
    def action_rename_factor(self: ComparisonScreen) -> None:
        factor = self._factor()
        if factor is None:
            return

        def answered(values: dict[str, str] | None) -> None:
            if values is not None:
                name = tidy_name(values["name"])
                self.edit(lambda: self.comparison.rename_factor(factor, name), factor=name)

        others = [f.name for f in self.comparison.factors if f.name != factor]
        self.app.push_screen(AskScreen(f"Rename the factor {factor}", [Ask("name", "Factor", factor)],
                                       check=name_check(others, "factor")), answered)

    @changes
    def action_remove_factor(self: ComparisonScreen) -> None:
        factor = self._factor()
        if factor is None:
            return
        scored = sum(1 for (f, _), cell in self.comparison.cells.items() if f == factor and cell.score is not None)

        def answered(yes: bool | None) -> None:
            if yes:
                self.edit(lambda: self.comparison.remove_factor(factor))

        self.app.push_screen(ConfirmScreen(
            f"Remove the factor “{factor}” with its {plural(scored, 'score')} and notes? (Nothing is saved before "
            "ctrl+s.)",
            yes="Remove", no="Keep"), answered)

    @changes
    def action_move_factor(self: ComparisonScreen, step: int) -> None:
        factor = self._factor()
        if factor is None:
            return
        index = self.comparison.factor_index(factor) + step
        if 0 <= index < len(self.comparison.factors):
            self.edit(lambda: self.comparison.move_factor(factor, index), factor=factor)

    @changes
    def action_add_candidate(self: ComparisonScreen) -> None:
        c = self.comparison

        def answered(result: tuple[str, str | None] | None) -> None:
            if result is not None:
                name, ref = result
                self.edit(lambda: c.add_candidate(name, ref), candidate=name)

        self.app.push_screen(CandidateScreen(self.partner_choices, [x.name for x in c.candidates]), answered)

    def _candidate(self: ComparisonScreen) -> str | None:
        candidate = self.grid.candidate
        if candidate is None:
            self.notify("There are no candidates: press c to add one.", severity="warning")
        return candidate

    @changes
    def action_rename_candidate(self: ComparisonScreen) -> None:
        candidate = self._candidate()
        if candidate is None:
            return

        def answered(values: dict[str, str] | None) -> None:
            if values is not None:
                name = tidy_name(values["name"])
                self.edit(lambda: self.comparison.rename_candidate(candidate, name), candidate=name)

        others = [x.name for x in self.comparison.candidates if x.name != candidate]
        self.app.push_screen(AskScreen(f"Rename the candidate {candidate}", [Ask("name", "Candidate", candidate)],
                                       check=name_check(others, "candidate")), answered)

    @changes
    def action_remove_candidate(self: ComparisonScreen) -> None:
        candidate = self._candidate()
        if candidate is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.edit(lambda: self.comparison.remove_candidate(candidate))

        self.app.push_screen(ConfirmScreen(
            f"Remove the candidate “{candidate}” with its scores and notes? (Nothing is saved before ctrl+s.)",
            yes="Remove", no="Keep"), answered)

    @changes
    def action_move_candidate(self: ComparisonScreen, step: int) -> None:
        candidate = self._candidate()
        if candidate is None:
            return
        names = [x.name for x in self.comparison.candidates]
        index = names.index(candidate) + step
        if 0 <= index < len(names):
            self.edit(lambda: self.comparison.move_candidate(candidate, index), candidate=candidate)

    @changes
    def action_details(self: ComparisonScreen) -> None:
        c = self.comparison

        def answered(values: dict[str, str] | None) -> None:
            if values is None:
                return

            def change() -> None:
                for key, value in tidy_details(values).items():
                    setattr(c, key, value)

            self.edit(change)

        self.app.push_screen(AskScreen("Details of the comparison", details_asks(c),
                                       help="Kept with your other changes until ctrl+s saves the comparison.",
                                       check=details_check(self.others)), answered)
