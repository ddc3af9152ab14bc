"""Annex A checklist, plan checks and funding-call rules on memoranda built in memory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from twintui.core.errors import NotFoundError
from twintui.core.model import Arrangement, Partner, Risk
from twintui.core.mou import QUESTIONS, answers, calls, check
from twintui.core.mou.demo import norway_sections
from twintui.core.mou.model import (
    Activity,
    Evaluation,
    Funding,
    Memorandum,
    Objective,
    Role,
    Sections,
)
from twintui.core.mou.plan import plan_problems
from twintui.core.mou.versions import Document

D = dt.date


def document(sections: Sections, partners: list[Partner] | None = None, risks: list[Risk] | None = None) -> Document:
    memo = Memorandum(id="MOU-1", arrangement="TW-NOR-0001", version=1).with_sections(sections)
    return Document(memo, Arrangement(id="TW-NOR-0001", reporting_state="NOR", title="Norway"), partners or [],
                    risks or [])


NORWAY_PARTNERS = [
    Partner(name="Norwegian Directorate of Immigration (UDI)", country="NOR", contact="Ingrid Hansen, i@udi.no"),
    Partner(name="Argentina, National Commission for Refugees", country="ARG", contact="conare@example.ar"),
    Partner(name="Brazil, National Committee for Refugees (CONARE)", country="BRA", contact="Ana Souza"),
    Partner(name="Chile, Department of Foreigners and Migration", country="CHL", contact="Diego Rojas"),
    Partner(name="Paraguay, National Commission for Refugees", country="PRY", contact="x@example.py"),
    Partner(name="Uruguay, Refugee Commission", country="URY", contact="y@example.uy"),
]
RISKS = [Risk(id="R-1", description="Budget cut", category="budget", owner="Ingrid Hansen",
              next_review=D(2026, 9, 30))]


# -- Annex A -----------------------------------------------------------------------------------
def test_the_twelve_questions_of_annex_a() -> None:
    assert len(QUESTIONS) == 12
    assert [q.number for q in QUESTIONS] == list(range(1, 13))
    assert QUESTIONS[2].text.startswith("Reciprocal learning")


def test_an_empty_memorandum_answers_nothing_and_says_where_each_answer_goes() -> None:
    found = answers(document(Sections()))
    assert [a.answered for a in found] == [False] * 12
    where = {a.question.number: a.where for a in found}
    assert where[1] == "3 Aims and objectives (objectives)"
    assert where[4] == "2 Introduction (MoU period)"
    assert where[11] == "9 Risks"
    assert where[12] == "8 Review and evaluation"
    assert found[3].detail == "no start or end date"


def test_the_demo_draft_misses_reciprocal_learning_and_dissemination_then_goes_green() -> None:
    s = norway_sections(NORWAY_PARTNERS)
    doc = document(s, NORWAY_PARTNERS, RISKS)
    missing = [a.question.number for a in answers(doc) if not a.answered]
    assert missing == [3, 12]
    s.learning = "Norway learns how civil society supports integration in Latin America."
    s.evaluation.dissemination = "Each state presents the findings to its national resettlement committee."
    assert all(a.answered for a in answers(doc, s))
    as_json = answers(doc, s)[0].to_json()
    assert as_json == {"question": QUESTIONS[0].text, "answered": True, "where": "3 Aims and objectives (objectives)"}


def test_each_question_and_what_answers_it() -> None:
    s = Sections(
        start=D(2025, 1, 1),
        objectives=[Objective(text="Train 20 caseworkers")],
        activities=[Activity("Training", "UDI", D(2025, 2, 1), D(2025, 2, 5), "20 caseworkers trained")],
        roles=[Role(party="Norwegian Directorate of Immigration (UDI)", person="Ingrid", responsibility="")],
        funding=Funding(source="national budget"),
        monitoring="Monthly call",
        evaluation=Evaluation(final="External evaluator"),
    )
    by_number = {a.question.number: a for a in answers(document(s, NORWAY_PARTNERS[:1], [
        Risk(id="R-1", description="Cut", category="budget", owner="", status="open")]))}
    assert by_number[1].answered
    assert by_number[2].answered and "milestone" in by_number[2].detail  # from the plan's milestones
    assert not by_number[3].answered
    assert not by_number[4].answered and by_number[4].detail == "the end date is missing"
    assert by_number[5].answered and by_number[5].detail == "source: national budget"
    assert not by_number[6].answered  # no period for the funds
    assert not by_number[7].answered and by_number[7].detail == "no role is marked as overall responsibility"
    assert not by_number[8].answered  # one partner, the same name twice does not count as two
    assert not by_number[9].answered and "no responsibility given for Norwegian" in by_number[9].detail
    assert by_number[10].answered
    assert not by_number[11].answered and "R-1" in by_number[11].detail
    assert not by_number[12].answered and by_number[12].detail == "national dissemination is not described"


# -- the plan -------------------------------------------------------------------------------------
def test_a_sound_plan_has_no_problems() -> None:
    assert plan_problems(norway_sections(NORWAY_PARTNERS)) == []


def test_plan_problems_name_the_activity_and_the_rule() -> None:
    s = Sections(start=D(2025, 1, 1), end=D(2025, 12, 31),
                 funding=Funding(available_from=D(2025, 3, 1), available_until=D(2025, 10, 31)),
                 activities=[
                     Activity("Kick-off", "UDI", D(2025, 2, 1), D(2025, 2, 3), "plan agreed"),
                     Activity("Mission", "", D(2025, 11, 1), D(2026, 2, 1), ""),
                     Activity("Seminar", "UDI", None, D(2025, 5, 1), "report"),
                     Activity("Typo", "UDI", D(2025, 6, 1), D(2025, 5, 1), "x"),
                 ])
    found = [(p.code, p.where) for p in plan_problems(s)]
    assert ("activity-no-owner", "5 Implementation plan (activity 2)") in found
    assert ("activity-no-milestone", "5 Implementation plan (activity 2)") in found
    assert ("activity-outside-period", "5 Implementation plan (activity 2)") in found
    assert ("activity-no-dates", "5 Implementation plan (activity 3)") in found
    assert ("activity-end-before-start", "5 Implementation plan (activity 4)") in found
    shorter = [p for p in plan_problems(s) if p.code == "funding-shorter-than-plan"]
    assert len(shorter) == 2 and shorter[0].where == "7 Funding arrangements (period available)"
    assert "available until 2025-10-31, but the plan runs until 2026-02-01" in shorter[1].message
    assert plan_problems(Sections())[0].code == "plan-empty"
    assert plan_problems(s)[0].to_json().keys() == {"code", "where", "message"}


def test_a_plan_problem_carries_its_activity_number_and_none_for_the_whole_plan() -> None:
    s = Sections(start=D(2025, 1, 1), end=D(2025, 12, 31),
                 funding=Funding(available_until=D(2025, 10, 31)),
                 activities=[Activity("Kick-off", "UDI", D(2025, 2, 1), D(2025, 2, 3), "plan agreed"),
                             Activity("Mission", "", D(2025, 11, 1), D(2025, 11, 5), "visit")])
    found = [(p.code, p.activity) for p in plan_problems(s)]
    assert found == [("activity-no-owner", 2), ("funding-shorter-than-plan", None)]
    assert plan_problems(Sections())[0].activity is None
    assert "activity" not in plan_problems(s)[0].to_json()  # the published JSON keeps its three keys


def test_an_activity_before_the_mou_starts() -> None:
    s = Sections(start=D(2025, 1, 1), end=D(2025, 12, 31),
                 activities=[Activity("Early", "UDI", D(2024, 12, 1), D(2025, 1, 5), "x")])
    (problem,) = plan_problems(s)
    assert problem.code == "activity-outside-period"
    assert problem.message == "activity 1 'Early' starts 2024-12-01, before the MoU starts (2025-01-01)"


# -- funding calls -------------------------------------------------------------------------------
EU_START, EU_END = D(2010, 3, 1), D(2011, 8, 31)


def eu_document(amount: float = 800_000, total: float | None = 1_000_000, currency: str = "EUR",
                start: dt.date = EU_START, end: dt.date = EU_END,
                partners: list[Partner] | None = None) -> Document:
    partners = partners if partners is not None else [
        Partner(name="Swedish Migration Board", type="state", country="SWE"),
        Partner(name="Finnish Ministry of the Interior", type="state", country="FIN"),
        Partner(name="UNHCR", type="UNHCR", country="CHE"),
    ]
    s = Sections(start=start, end=end, funding=Funding(source="ERF Community Action", amount=amount,
                                                        currency=currency, total_cost=total))
    return document(s, partners)


def results(doc: Document, call_id: str = "erf-2009") -> dict[str, tuple[str, str]]:
    call = calls.load_call(call_id)
    return {r.rule.id: (r.result, r.reason) for r in calls.check_call(call, doc)}


def test_the_erf_2009_call_is_data_with_six_rules() -> None:
    call = calls.load_call("erf-2009")
    assert call.currency == "EUR" and "DNK" not in call.eligible_countries and "SWE" in call.eligible_countries
    assert [r.kind for r in call.rules] == ["min_eligible_states", "start_before", "max_months", "amount_range",
                                           "max_share", "full_cost_note"]
    assert [c.id for c in calls.available_calls()] == ["erf-2009"]


def test_an_eligible_project_passes_every_rule() -> None:
    found = results(eu_document())
    assert {rule: result for rule, (result, _) in found.items()} == {
        "member-states": "pass", "start-date": "pass", "duration": "pass", "amount": "pass",
        "co-financing": "pass", "non-eu-states": "pass"}
    assert found["duration"][1] == "runs 18 months (at most 18)"
    assert found["co-financing"][1] == "the funds are 80% of the total cost (at most 90%)"


def test_each_rule_can_fail() -> None:
    danes = [Partner(name="Danish Immigration Service", type="state", country="DNK"),
             Partner(name="Swedish Migration Board", type="state", country="SWE"),
             Partner(name="Norwegian UDI", type="state", country="NOR")]
    found = results(eu_document(amount=1_600_000, total=1_700_000, start=D(2010, 8, 1), end=D(2012, 3, 31),
                                partners=danes))
    assert found["member-states"] == ("fail", "1 eligible state partner (SWE); the call needs 2")
    assert found["start-date"][0] == "fail"
    assert found["duration"] == ("fail", "runs 20 months; the call allows at most 18")
    assert found["amount"][0] == "fail"
    assert found["co-financing"][0] == "fail"
    assert found["non-eu-states"] == ("note", "DNK, NOR take part at full cost (not eligible for these funds)")


def test_the_lower_minimum_applies_when_ngos_take_part() -> None:
    partners = [Partner(name="A", type="state", country="SWE"), Partner(name="B", type="state", country="FIN"),
                Partner(name="Red Cross", type="NGO", country="SWE")]
    assert results(eu_document(amount=250_000, total=300_000, partners=partners))["amount"][0] == "pass"
    assert results(eu_document(amount=250_000, total=300_000))["amount"][0] == "fail"


def test_unknown_when_the_mou_lacks_what_a_rule_needs() -> None:
    found = results(eu_document(currency="NOK", total=None))
    assert found["amount"][0] == "unknown" and "in NOK" in found["amount"][1]
    assert found["co-financing"][0] == "unknown"


def test_a_call_file_of_ones_own(tmp_path: Path) -> None:
    path = tmp_path / "national-2026.toml"
    path.write_text('id = "national-2026"\ncurrency = "EUR"\neligible_countries = ["NOR"]\n'
                    '[[rules]]\nkind = "max_months"\nmonths = 12\ntext = "At most a year."\n', encoding="utf-8")
    call = calls.load_call(str(path))
    assert call.id == "national-2026" and call.rules[0].id == "rule-1"
    assert results(eu_document(), str(path)) == {"rule-1": ("fail", "runs 18 months; the call allows at most 12")}


@pytest.mark.parametrize("content,needle", [
    ("id = ", "not a valid TOML file"),
    ('id = "x"\n', "has no [[rules]]"),
    ('id = "x"\n[[rules]]\nkind = "lottery"\n', "unknown kind 'lottery'"),
    ('id = "x"\n[[rules]]\nkind = "max_months"\n', "needs 'months'"),
    ('id = "x"\n[[rules]]\nkind = "start_before"\ndate = "soon"\n', "must be a TOML date"),
    ('name = "x"\n', "needs 'id'"),
])
def test_bad_call_files_say_what_is_wrong(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(calls.CallError, match=None) as caught:
        calls.load_call(str(path))
    assert needle in caught.value.message and caught.value.exit_code == 2


def test_an_unknown_call_lists_the_known_ones() -> None:
    with pytest.raises(NotFoundError) as caught:
        calls.load_call("erf-2099")
    assert "known calls: erf-2009" in caught.value.message


# -- the whole report ---------------------------------------------------------------------------
def test_the_report_has_the_published_json_shape() -> None:
    doc = document(norway_sections(NORWAY_PARTNERS), NORWAY_PARTNERS, RISKS)
    report = check(doc)
    shape = report.to_json()
    assert list(shape) == ["smart", "checklist", "problems"]
    assert len(shape["smart"]) == 3 and len(shape["checklist"]) == 12 and shape["problems"] == []
    assert set(shape["smart"][0]) == {"objective", "specific", "measurable", "achievable", "realistic", "time_bound"}
    assert not report.ok and report.answered == 10
    with_call = check(doc, call=calls.load_call("erf-2009")).to_json()
    assert list(with_call) == ["smart", "checklist", "problems", "call"]
    assert with_call["call"]["id"] == "erf-2009" and len(with_call["call"]["rules"]) == 6


def test_what_is_still_open_before_agreeing_or_signing() -> None:
    """The question before a status change says what is still open: SMART, Annex A, the plan."""
    from twintui.core.mou.model import Memorandum
    from twintui.core.mou.versions import status_question

    s = norway_sections(NORWAY_PARTNERS)
    doc = document(s, NORWAY_PARTNERS, RISKS)
    points = check(doc).open_points()
    assert points == ["SMART: 2 of 3 objectives (not yet: 3)",
                      "Annex A: 10 of 12 answered (open: 3 Reciprocal learning, 12 Evaluation)"]
    memo = Memorandum(arrangement="TW-NOR-0001", version=1)
    question = status_question(memo, "agreed", points)
    assert question.startswith("Mark TW-NOR-0001 MoU version 1")
    assert "Still open in this version:\n  • SMART: 2 of 3 objectives" in question
    assert question.endswith("Mark it agreed all the same?")
    s.objectives = s.objectives[:2]
    s.learning = "Norway learns how civil society supports integration in Latin America."
    s.evaluation.dissemination = "Each state presents the findings to its national resettlement committee."
    assert check(doc, s).open_points() == []
    assert "Still open" not in status_question(memo, "signed", [])
