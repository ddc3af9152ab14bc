"""A conflicting save of a comparison: the common merge screen, with the comparison's help.

What differs (a score, a note, a weight, a minimum, the factors, the candidates, the details) and the merge
are ``core.compare.merge.conflict``; the screen, its keys and its layout are ``tui.common.conflict``'s.
"""

from __future__ import annotations

from typing import ClassVar

from ...core.compare import Comparison
from ...core.compare.merge import ItemKey
from ..common.conflict import ChoiceTable, ConflictScreen


class ConflictItems(ChoiceTable):
    """One row per item of the comparison that differs; left/right (or m/t) choose which version to keep."""

    HELP: ClassVar[str] = ("One row per item that differs: a score, a note, a weight, a must-have minimum, the "
                           "list of factors or candidates, the details. m or left keeps yours, t or right takes "
                           "theirs, space switches. The full values of the row are shown below.")


class ComparisonConflictScreen(ConflictScreen[ItemKey, Comparison]):
    """Your version of a comparison and theirs side by side; choose per item, then save the merge."""

    HELP: ClassVar[str] = ("Someone else saved this comparison after you opened it. Only the items that differ "
                           "are listed, with both values. Choose per item, then ctrl+s saves the merge; escape "
                           "goes back to your version, unsaved.")
    TABLE = ConflictItems
