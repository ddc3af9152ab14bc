"""The small register the report tests (and the experts and CLI tests) share, built by hand."""

from __future__ import annotations

import datetime as dt

from twintui.core.model import Arrangement, Partner
from twintui.core.store import Store
from twintui.core.workbook.returns import QuarterlyReturn

TODAY = dt.date(2026, 11, 28)  # the last quarter that has ended: 2026-Q3, due 2026-10-30
D = dt.date


def fill(store: Store) -> None:
    """Five arrangements of NOR, SWE and DNK, with partners and three tracked returns."""
    with store.transaction("test") as tx:
        a1 = Arrangement(reporting_state="NOR", title="Selection missions with Sweden", status="active",
                         activity_types=["staff exchange", "seminar"], areas=["selection missions"],
                         start=D(2024, 2, 1), funding_source="national budget", funding_amount=1000, currency="NOK",
                         best_practices="Shadow a <full> mission", lessons_learned="Agree indicators first",
                         reported_quarter="2026-Q3", contact_name="Ingrid")
        a2 = Arrangement(reporting_state="NOR", title="Housing practice", status="completed", activity_types=["visit"],
                         areas=["housing"], start=D(2020, 1, 1), end=D(2021, 6, 30),
                         funding_source="national budget", funding_amount=500, currency="NOK",
                         lessons_learned="=1+1 is text", reported_quarter="2021-Q2")
        a3 = Arrangement(reporting_state="SWE", title="Cancelled seminar", status="cancelled",
                         activity_types=["seminar"], areas=["selection missions"], start=D(2025, 1, 1),
                         end=D(2025, 3, 1), funding_source="ERF Community Action", funding_amount=2000,
                         currency="EUR")
        a4 = Arrangement(reporting_state="SWE", title="Planned secondment", status="planned",
                         activity_types=["secondment"], areas=["housing", "selection missions"], start=D(2027, 1, 1))
        a5 = Arrangement(reporting_state="DNK", title="Danish housing", status="completed", areas=["housing"],
                         start=D(2024, 7, 1), end=D(2025, 6, 30), contact_name="Anna Berg",
                         contact_email="anna@example.dk")
        for arrangement in (a1, a2, a3, a4, a5):
            tx.save(arrangement)
        for parent, partner in (
            (a1, Partner(name="Norwegian Directorate of Immigration", type="state", country="NOR", role="lead",
                         contact="Ingrid, ingrid@udi.example.no")),
            (a1, Partner(name="Swedish Migration Agency", type="state", country="SWE", role="partner",
                         contact="Sven")),
            (a1, Partner(name="Red Cross", type="NGO", country="NOR", role="partner", contact="Kari")),
            (a2, Partner(name="UNHCR", type="UNHCR", role="facilitator", contact="resettlement unit")),
            (a2, Partner(name="Norwegian Directorate of Immigration", type="state", country="NOR", role="lead")),
        ):
            tx.save(partner, parent=parent)
        tx.save(QuarterlyReturn(id="NOR-2026-Q2", state="NOR", quarter="2026-Q2", exported_at="2026-07-01T08:00:00+00:00",
                                received_at="2026-07-20T09:00:00+00:00"))
        tx.save(QuarterlyReturn(id="NOR-2026-Q1", state="NOR", quarter="2026-Q1",
                                received_at="2026-05-15T09:00:00+00:00"))
        tx.save(QuarterlyReturn(id="SWE-2026-Q2", state="SWE", quarter="2026-Q2",
                                exported_at="2026-07-01T08:00:00+00:00"))
