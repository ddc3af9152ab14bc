"""The MoU editor's objective form: what it will achieve, its indicator and target, the SMART review beside it.

The indicator has a kind (``core.mou.parts.Objective``): in words (``text``: a target in words),
a ``number`` (unit, baseline, target value, target date) or a ``milestone`` (its date). The kind
chooses the fields shown; what it does not show is not kept, so no stale numbers hide behind a
milestone (they stay typed while the form is open, to switch back). A blank target date is the
objective's due date, and the field's placeholder says which day that is. The five SMART verdicts
beside the fields follow every key, so the user sees why an objective is not SMART while fixing it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from ...core.model import vocab
from ...core.mou import smart
from ...core.mou.dates import due_date, iso
from ...core.mou.model import Objective
from .forms import ItemField, ItemForm

KIND_CHOICES = (("in words", "text"), ("number", "number"), ("milestone", "milestone"))
assert tuple(value for _, value in KIND_CHOICES) == vocab.INDICATOR_KINDS
# The fields of one kind of indicator only (the others are every kind's).
FOR_KINDS: dict[str, tuple[str, ...]] = {
    "target": ("text",), "unit": ("number",), "baseline": ("number",), "target_value": ("number",),
    "target_date": ("number", "milestone"),
}


class ObjectiveForm(ItemForm):
    """One objective of section 3, with its SMART review beside it."""

    ITEM = Objective
    NOUN = "objective"
    HELP = ("One objective: what it will achieve, the indicator that shows it is met and its kind, the date or "
            "quarter it is due, its owner (a partner or person of section 4) and the resources it needs. An "
            "indicator in words has a target in words; a number has its unit, baseline (blank: 0), target value "
            "and target date; a milestone its date. A blank target date is the objective's due date. The SMART "
            "review beside the fields follows every key.\n\n" + smart.help_text())
    FIELDS: ClassVar[tuple[ItemField, ...]] = (
        ItemField("text", "Objective", "long", "What it will achieve, for whom, e.g. 'each state runs one "
                                               "selection mission with shadowing'", required=True),
        ItemField("indicator", "Indicator", help="What is counted or observed, e.g. 'missions run with shadowing'",
                  row="indicator"),
        ItemField("kind", "Kind", "choice", "In words (a target in words), a number (unit, baseline, target "
                                            "value, date) or a milestone (done by its date)",
                  row="indicator", options=KIND_CHOICES),
        ItemField("target", "Target", help="The value that means 'met', in words, e.g. 5 or 80%"),
        ItemField("unit", "Unit", help="What the number counts, e.g. missions, officials trained, %", row="from"),
        ItemField("baseline", "Baseline", "number", "Its value when the work starts (blank counts as 0)",
                  row="from"),
        ItemField("target_value", "Target value", "number", "The value that means 'met'; below the baseline for "
                                                            "a falling indicator (days to decide a dossier)",
                  row="to"),
        ItemField("target_date", "Target date", "date", "By when; blank: the objective's due date", row="to"),
        ItemField("due", "Due (date or quarter)", "due", "e.g. 2027-06-30 or 2027-Q2, within the MoU period"),
        ItemField("owner", "Owner", help="A partner or person named in section 4 (suggested as you type)",
                  suggest=True),
        ItemField("resources", "Resources", help="What it needs, or why it needs no funds"),
    )

    def side(self) -> ComposeResult:
        with VerticalScroll(id="item-smart"):
            yield Static("", id="item-smart-text")

    def on_mount(self) -> None:
        super().on_mount()
        self._show_kind(self.raw()["kind"])
        # At once, not on the Changed message: the tab typed right after choosing a kind (one burst over SSH)
        # must find the fields of that kind, as the key queue hands it on once the drop-down is done.
        self.watch(self.controls["kind"], "value", lambda value: self._show_kind(str(value)), init=False)

    def applies(self, name: str, raw: dict[str, str]) -> bool:
        return raw.get("kind", "text") in FOR_KINDS.get(name, vocab.INDICATOR_KINDS)

    def extra_problems(self, item: Any, raw: dict[str, str]) -> dict[str, str]:
        o: Objective = item
        problems: dict[str, str] = {}
        if o.kind == "number":
            if o.target_value is None and raw["target_value"].strip() == "":
                problems["target_value"] = "a number indicator needs its target value"
            elif o.target_value is not None and o.target_value == o.start:
                problems["target_value"] = "the target equals the baseline: nothing would change"
        if o.kind != "text" and o.by is None and raw["target_date"].strip() == "" and self._due(raw) is None:
            what = "a milestone needs a date" if o.kind == "milestone" else "a number indicator needs a target date"
            problems["target_date"] = f"{what}: give it here or as the objective's due date"
        return problems

    @staticmethod
    def _due(raw: dict[str, str]) -> Any:
        try:
            return due_date(raw["due"].strip())
        except ValueError:
            return None

    def _show_kind(self, kind: str) -> None:
        shown = False
        for name, kinds in FOR_KINDS.items():
            field = self.query_one(f"#item-field-{name}")
            shown |= kind in kinds and not field.display
            field.display = kind in kinds
        # A row whose fields are all hidden takes no line.
        for row in self.query(".item-row"):
            row.display = any(child.display for child in row.children)
        hold = getattr(self.app, "hold_for_layout", None)
        if shown and hold is not None:
            hold()  # the tab typed next must find the fields just shown (they have no place until laid out)

    def changed(self) -> None:
        if not self.query("#item-smart-text"):
            return
        raw = self.raw()
        self._show_kind(raw["kind"])
        due = self._due(raw)
        date_field = self.controls["target_date"]
        assert isinstance(date_field, Input)
        # In brackets: a hint, never read as a value typed (placeholders are not dimmed without colour).
        date_field.placeholder = f"(due {iso(due)})" if due else "(no due date yet)"
        objective, _ = self.build()
        review = smart.review_one(objective, self.sections, self.number)
        lines = [f"SMART review: {review.letters()}", ""]
        for rule in smart.RULES:
            verdict = review.verdicts[rule.key]
            lines.append(f"{'✓' if verdict.ok else '✗'} {rule.name}")
            lines.append(f"  {verdict.reason}")
        self.query_one("#item-smart-text", Static).update("\n".join(lines))

    @property
    def review_text(self) -> str:
        return str(self.query_one("#item-smart-text", Static).render())
