"""Every table of the store file and the record class it holds: the one list the store reads.

The store creates a new file with these tables, checks each document's shape against its class,
deletes an arrangement's children with it, restores and audits by it; ``twintui check`` and the
audit history read it too. So the store knows every table whether or not a program imported the
feature that keeps it: nothing is registered by importing a module.

A feature's record class lives in a module that needs no store (``mou.model`` with the MoU's
sections, ``compare`` with the matrix): the store names it here without loading the
feature's work. The import contracts in pyproject.toml keep those modules so.
"""

from __future__ import annotations

from ..compare.records import ComparisonRecord
from ..model import Arrangement, Partner, Record, Risk
from ..model.progress import ActivityProgress, ObjectiveProgress, Spending
from ..model.returns import QuarterlyReturn, ReturnExport
from ..mou.model import Memorandum

# Table name -> record class, in the order a new store file lists them.
TABLES: dict[str, type[Record]] = {cls.TABLE: cls for cls in (
    Arrangement, Partner, Risk, ComparisonRecord, Memorandum, QuarterlyReturn, ReturnExport, ObjectiveProgress,
    ActivityProgress, Spending)}
