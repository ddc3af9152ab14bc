"""The implementation plan as a text Gantt chart that follows the widget's width."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

from ...core.mou.gantt import chart
from ...core.mou.model import Sections


class GanttChart(Widget, can_focus=True):
    """One row per activity, the MoU period on top; '!' flags an activity to check."""

    HELP: ClassVar[str] = ("The implementation plan as a Gantt chart: one bar per activity from its start to its "
                           "end, the MoU period above them, years and quarters on top. ▒ marks the part of a bar "
                           "outside the MoU period and ! an activity to check (outside the period, or without "
                           "owner or milestone). Edit the activities in section 5.")

    DEFAULT_CSS = """
    GanttChart { height: auto; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sections = Sections()
        self.today: dt.date | None = None
        self._plan: object = None

    def show(self, sections: Sections, today: dt.date | None = None) -> None:
        plan = (sections.start, sections.end, [(a.what, a.who, a.start, a.end, a.milestone)
                                                for a in sections.activities], today)
        if plan == self._plan:
            return
        self._plan = plan
        self.sections = Sections(start=sections.start, end=sections.end,
                                 activities=[a.__class__(**vars(a)) for a in sections.activities])
        self.today = today
        self.refresh(layout=True)

    def lines(self, width: int | None = None) -> list[str]:
        return chart(self.sections, max(width or self.size.width or 60, 30), self.today)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        return Text("\n".join(line.rstrip() for line in self.lines()), no_wrap=True, overflow="crop")
