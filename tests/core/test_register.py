"""The register as a list (core/register.py): the stale rule, the "stale only" filter and the sort.

The stale rule is pinned by one table, checked against both places that apply it: the list's
rows (``row_from_doc``, the ``!`` column) and the record view (``is_stale``). A change of the
rule is a change of this table.
"""

from __future__ import annotations

import datetime as dt

import pytest

from twintui.core.model import Arrangement
from twintui.core.register import Filter, RegisterList, is_stale, row_from_doc

TODAY = dt.date(2026, 11, 20)  # in 2026-Q4
NEW_YEAR = dt.date(2027, 1, 5)  # in 2027-Q1, before 2026-Q4's return is due (2027-01-30)
PAST_DUE = dt.date(2027, 1, 31)  # 2026-Q4's return is past due

# (status, reported quarter, today, stale?): stale means still under way and not reported for the last
# quarter whose return is past due (core/reporting.py), so on TODAY 2026-Q3 (due 2026-10-30) is owed.
STALE_RULE = [
    ("active", "2026-Q4", TODAY, False),
    ("active", "2026-Q3", TODAY, False),  # the last quarter past due is reported
    ("active", "2026-Q2", TODAY, True),  # it is not: the boundary
    ("active", "2025-Q4", TODAY, True),
    ("active", "2026-Q4", NEW_YEAR, False),  # across a year
    ("active", "2026-Q3", NEW_YEAR, False),  # 2026-Q4 is not due yet
    ("active", "2026-Q3", PAST_DUE, True),
    ("active", "", TODAY, True),  # never reported
    ("planned", "2026-Q2", TODAY, True),
    ("suspended", "2026-Q3", TODAY, False),
    ("suspended", "", TODAY, True),
    ("completed", "2020-Q1", TODAY, False),  # no longer expected to report
    ("completed", "", TODAY, False),
    ("cancelled", "", TODAY, False),
]


def arrangement(status: str, quarter: str, key: str = "TW-NOR-0001", state: str = "NOR",
                title: str = "Selection missions") -> Arrangement:
    return Arrangement(id=key, rev=1, reporting_state=state, title=title, status=status,
                       start=dt.date(2024, 1, 1), reported_quarter=quarter)


@pytest.mark.parametrize("status,quarter,today,stale", STALE_RULE)
def test_the_list_marks_stale_rows(status: str, quarter: str, today: dt.date, stale: bool) -> None:
    assert row_from_doc(arrangement(status, quarter).to_doc(), [], today).stale is stale


@pytest.mark.parametrize("status,quarter,today,stale", STALE_RULE)
def test_the_record_view_applies_the_same_rule(status: str, quarter: str, today: dt.date, stale: bool) -> None:
    assert is_stale(arrangement(status, quarter), today) is stale


def rows(*arrangements: Arrangement) -> RegisterList:
    return RegisterList([row_from_doc(a.to_doc(), [], TODAY) for a in arrangements], TODAY)


def test_stale_only_keeps_exactly_the_stale_rows() -> None:
    register = rows(arrangement("active", "2026-Q4", "TW-NOR-0001"), arrangement("active", "", "TW-NOR-0002"),
                    arrangement("completed", "", "TW-NOR-0003"), arrangement("planned", "2026-Q1", "TW-NOR-0004"))
    assert [r.id for r in register.query(Filter(stale_only=True))] == ["TW-NOR-0002", "TW-NOR-0004"]
    assert len(register.query(Filter())) == 4
    # The facet counts follow the toggle too.
    assert register.facet_counts(Filter(stale_only=True))["statuses"] == {"active": 1, "planned": 1}
    assert "stale only" in Filter(stale_only=True).describe()


def test_sort_by_state_is_by_state_not_by_id() -> None:
    # Ids keep the state they were created in: a record moved to another state keeps its id,
    # so the id order and the state order differ here.
    register = rows(arrangement("active", "", "TW-ARG-0001", "SWE"), arrangement("active", "", "TW-NOR-0002", "CAN"),
                    arrangement("active", "", "TW-CAN-0001", "NOR"), arrangement("active", "", "TW-NOR-0001", "CAN"))
    by_state = register.query(Filter(), sort="state")
    assert [(r.state, r.id) for r in by_state] == [("CAN", "TW-NOR-0001"), ("CAN", "TW-NOR-0002"),
                                                   ("NOR", "TW-CAN-0001"), ("SWE", "TW-ARG-0001")]
    assert [r.id for r in register.query(Filter(), sort="state", descending=True)] == [
        "TW-ARG-0001", "TW-CAN-0001", "TW-NOR-0002", "TW-NOR-0001"]
    assert [r.id for r in register.query(Filter())] == ["TW-ARG-0001", "TW-CAN-0001", "TW-NOR-0001", "TW-NOR-0002"]


def test_sort_by_id_puts_numbers_in_order_whatever_their_width() -> None:
    register = rows(*(arrangement("active", "", key) for key in ("TW-NOR-10000", "TW-NOR-9999", "TW-CAN-0002")))
    assert [r.id for r in register.query(Filter())] == ["TW-CAN-0002", "TW-NOR-9999", "TW-NOR-10000"]


def test_the_filter_needs_every_word_and_searches_partners_practices_and_contacts() -> None:
    a = arrangement("active", "", "TW-NOR-0001", title="Selection missions").replace(
        best_practices="Shadow a full mission", contact_email="ingrid@udi.example.no")
    b = arrangement("active", "", "TW-NOR-0002", title="Housing").replace(lessons_learned="Start with the mission")
    register = RegisterList([row_from_doc(a.to_doc(), [], TODAY),
                             row_from_doc(b.to_doc(), [{"name": "Red Cross", "contact": "Kari"}], TODAY)], TODAY)
    assert [r.id for r in register.query(Filter(text="MISSION"))] == ["TW-NOR-0001", "TW-NOR-0002"]
    assert [r.id for r in register.query(Filter(text="mission shadow"))] == ["TW-NOR-0001"]
    assert [r.id for r in register.query(Filter(text="udi.example"))] == ["TW-NOR-0001"]
    assert [r.id for r in register.query(Filter(text="red kari"))] == ["TW-NOR-0002"]
    assert register.query(Filter(text="mission atlantis")) == []


def test_facet_counts_show_what_each_choice_would_leave() -> None:
    register = rows(arrangement("active", "", "TW-NOR-0001"), arrangement("planned", "", "TW-NOR-0002"),
                    arrangement("active", "", "TW-SWE-0001", "SWE"))
    counts = register.facet_counts(Filter(states=frozenset({"NOR"})))
    # A facet's own choice does not narrow its counts (SWE can still be ticked), the others' do.
    assert counts["states"] == {"NOR": 2, "SWE": 1}
    assert counts["statuses"] == {"active": 1, "planned": 1}
    assert counts["quarters"] == {"never": 2}


def test_sort_by_title_ignores_case_and_by_dates_puts_undated_last() -> None:
    a = arrangement("active", "", "TW-NOR-0001", title="housing")
    b = arrangement("active", "", "TW-NOR-0002", title="Arrival").replace(start=dt.date(2025, 1, 1))
    c = arrangement("active", "", "TW-NOR-0003", title="cultural orientation").replace(start=None)
    register = rows(a, b, c)
    assert [r.title for r in register.query(Filter(), sort="title")] == ["Arrival", "cultural orientation", "housing"]
    assert [r.id for r in register.query(Filter(), sort="dates")] == ["TW-NOR-0001", "TW-NOR-0002", "TW-NOR-0003"]


def test_remove_drops_one_row() -> None:
    register = rows(arrangement("active", "", "TW-NOR-0001"), arrangement("active", "", "TW-NOR-0002"))
    register.remove("TW-NOR-0001")
    assert [r.id for r in register.rows] == ["TW-NOR-0002"] and len(register) == 1


def test_the_progress_facet_and_behind_only_follow_the_standings() -> None:
    from twintui.core.progress.standing import Standing

    register = rows(arrangement("active", "", "TW-NOR-0001"), arrangement("active", "", "TW-NOR-0002"),
                    arrangement("active", "", "TW-NOR-0003"), arrangement("active", "", "TW-NOR-0004"))
    assert register.standings is None and not register.behind(register.rows[0])  # not read yet
    register.standings = {"TW-NOR-0001": Standing(("on track", "off track")), "TW-NOR-0002": Standing(("late",)),
                          "TW-NOR-0003": Standing(("at risk",))}
    assert [r.id for r in register.query(Filter(behind_only=True))] == ["TW-NOR-0001", "TW-NOR-0002"]
    assert [register.behind(r) for r in register.rows] == [True, True, False, False]
    # An arrangement counts once for each verdict its objectives have; one without an MoU as "no objectives".
    assert register.facet_counts(Filter())["progress"] == {"on track": 1, "off track": 1, "late": 1, "at risk": 1,
                                                           "no objectives": 1}
    assert [r.id for r in register.query(Filter(progress=frozenset({"at risk", "no objectives"})))] == \
        ["TW-NOR-0003", "TW-NOR-0004"]
    assert register.facet_counts(Filter(behind_only=True))["progress"] == {"on track": 1, "off track": 1, "late": 1}
    assert Filter(progress=frozenset({"late"}), behind_only=True).describe() == "Progress: late · behind only"
