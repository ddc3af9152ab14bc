"""Screens 2-5 until their issues land: each says what it will hold, not an error."""

from __future__ import annotations

from .base import PlaceholderScreen


class CompareScreen(PlaceholderScreen):
    MODE = "compare"
    TITLE = "Compare partners"
    HELP = ("Compare candidate partners on the guidelines' ten factors: weights, scores, ranking, "
            "and how robust the ranking is.")
    COMING = "The partner-factor matrix arrives with issue 5."


class ReturnsScreen(PlaceholderScreen):
    MODE = "returns"
    TITLE = "Returns"
    HELP = ("Quarterly returns per state: exported, received, overdue; export a state's workbook and "
            "import returned files with a preview.")
    COMING = "The returns tracker arrives with issue 4."
