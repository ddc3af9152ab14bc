"""Progress monitoring: where each objective will land, from the values the quarterly returns report.

Pure: ``values`` (one value per quarter), ``trend`` (the least-squares line and why), ``verdicts``
(the rule: achieved, on track, at risk, off track, not enough data; done, done late, due, late),
``spending`` (the burn rate against the funding period), ``plan`` (the activities as reported);
``assess`` reads them from a store. The records the returns fill are in ``twintui.core.model.progress``.
"""

from .assess import ArrangementProgress, ObjectiveOutlook, assess
from .spending import Burn
from .trend import METHOD, Line, fit
from .values import Reading, by_quarter
from .verdicts import ACT_ON, MILESTONE_VERDICTS, NUMBER_VERDICTS, VERDICTS, Outlook, Projection, Report

__all__ = [
    "ACT_ON", "METHOD", "MILESTONE_VERDICTS", "NUMBER_VERDICTS", "VERDICTS", "ArrangementProgress", "Burn", "Line",
    "ObjectiveOutlook", "Outlook", "Projection", "Reading", "Report", "assess", "by_quarter", "fit",
]
