"""Screen 2, Compare partners: the comparisons, and one comparison opened.

* ``list``     the comparisons list (``CompareScreen``)
* ``screen``   one comparison: the grid, side by side, sensitivity (``ComparisonScreen``)
* ``edits``    its editing actions (scores, weights, minimums, notes, factors, candidates, details)
* ``saving``   saving it, and keeping it in step with the store
* ``merge``    a conflicting save: both versions, item by item
* ``suggest``  candidates suggested from the register's inventory of expertise
* ``grid``     the partner-factor grid widget
* ``views``    the side-by-side and sensitivity texts, and the candidate picker
* ``forms``    the small modal forms, with the core's checks

The rules (ranges, names, ranking, merge) are the core's: ``twintui.core.compare``.
"""

from .list import CompareScreen
from .screen import ComparisonScreen

__all__ = ["CompareScreen", "ComparisonScreen"]
