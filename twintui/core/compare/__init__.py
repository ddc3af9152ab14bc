"""The partner-factor comparison: the matrix, its weighted ranking and how firm first place is.

An organisation weighs candidate partners (columns) against factors (rows, the
guidelines' ten by default). This package is the pure core behind the "Compare
partners" screens and the `twintui compare` commands: it holds the comparison,
ranks the candidates and says how firm the first place is. It imports no textual;
openpyxl only when a workbook is exported.

One module per concern:

* ``checks``      the ranges of scores, weights and minimums, and when two names clash
* ``model``       the matrix records: ``Comparison`` with its factors, candidates and cells
* ``validate``    every problem of a comparison read from outside
* ``ranking``     totals, coverage, must-have exclusions and ranks (its docstring: the rules)
* ``sensitivity`` the tipping weight of every factor
* ``wording``     the comparison in words: the verdict, `compare list` and `compare show`
* ``records``     the comparison in the store (its table is in core/store/tables.py)
* ``candidates``  partners of the register offered as candidates
* ``merge``       the items of two versions and a merge of chosen ones (a conflicting save's ``Differences``)
* ``export``      the workbook with live formulas
* ``json_shape``  the published JSON of `compare show --json` and `compare list --json`
* ``demo``        the demo's comparison
"""

from .checks import DEFAULT_WEIGHT, MAX_SCORE, MAX_WEIGHT, MIN_SCORE, MIN_WEIGHT
from .model import Candidate, Cell, Comparison, Factor
from .ranking import Ranking, Standing, evaluate
from .sensitivity import Sensitivity, sensitivity

__all__ = [
    "DEFAULT_WEIGHT", "MAX_SCORE", "MAX_WEIGHT", "MIN_SCORE", "MIN_WEIGHT", "Candidate", "Cell", "Comparison",
    "Factor", "Ranking", "Sensitivity", "Standing", "evaluate", "sensitivity",
]
