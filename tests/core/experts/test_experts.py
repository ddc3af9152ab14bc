"""The inventory of expertise: term matching, who counts, the strength rule, suggestions for a comparison."""

from __future__ import annotations

import pytest

from tests.core.reports.examples import TODAY, D, fill
from twintui.core import experts
from twintui.core.experts import Topic, UnknownTopic
from twintui.core.store import Store

SELECTION = Topic("area", "selection missions")
HOUSING = Topic("area", "housing")


@pytest.fixture
def small(store: Store) -> Store:
    fill(store)
    return store


@pytest.mark.parametrize(("term", "topic"), [
    ("selection missions", SELECTION),
    ("  SELECTION   Missions ", SELECTION),
    ("selection", SELECTION),  # the only name starting so
    ("hous", HOUSING),
    ("skill-sharing", Topic("activity type", "training or skill-sharing event")),  # the only fragment
    ("area:cultural", Topic("area", "pre-departure and cultural orientation")),
    ("activity: cultural", Topic("activity type", "pre-departure cultural orientation")),
    ("staff exchange", Topic("activity type", "staff exchange")),
])
def test_terms_resolve(term: str, topic: Topic) -> None:
    assert experts.resolve(term) == topic


def test_an_ambiguous_term_lists_what_it_matches() -> None:
    with pytest.raises(UnknownTopic, match="matches several") as caught:
        experts.resolve("orientation")
    assert len(caught.value.matches) == 3 and caught.value.exit_code == 1


def test_an_unknown_term_lists_close_matches() -> None:
    with pytest.raises(UnknownTopic, match="did you mean") as caught:
        experts.resolve("selecton")
    assert SELECTION in caught.value.matches
    with pytest.raises(UnknownTopic, match="not a resettlement area"):
        experts.resolve("zzzz")


def test_who_has_experience_strongest_first(small: Store) -> None:
    found = experts.find(small, SELECTION, TODAY)
    # Only the active NOR arrangement counts (SWE's are cancelled and planned): NOR led (2), the others took part (1).
    assert [(e.name, e.kind, e.strength) for e in found] == [
        ("Norway", "state", 2.0), ("Red Cross", "organisation", 1.0), ("Sweden", "state", 1.0)]
    norway = found[0]
    assert norway.evidence == ["TW-NOR-0001"] and norway.led == 1 and norway.active == 1
    assert norway.latest_text == "ongoing" and norway.contact == "Ingrid, ingrid@udi.example.no"
    assert norway.bodies == ["Norwegian Directorate of Immigration"]
    assert found[2].partner_ref == "TW-NOR-0001/P-2"
    assert norway.learned[0].lessons_learned == "Agree indicators first"


def test_recency_and_the_reporting_state(small: Store) -> None:
    found = experts.find(small, HOUSING, TODAY)
    # DNK reported it and has no partner row: it counts as leading; ended 2025-06-30, within 2 years: 2 x 1.
    # NOR led one that ended 2021-06-30, more than 5 years ago: 2 x 0.25; UNHCR took part: 1 x 0.25.
    assert [(e.name, e.strength, e.latest_text) for e in found] == [
        ("Denmark", 2.0, "2025-06-30"), ("Norway", 0.5, "2021-06-30"), ("UNHCR", 0.25, "2021-06-30")]
    assert found[0].contact == "Anna Berg, anna@example.dk" and found[0].partner_ref is None
    assert experts.recency_weight(TODAY.replace(year=2023), False, TODAY) == 0.5


def test_several_terms_need_experience_of_all(small: Store) -> None:
    topics, found = experts.experts(small, ["selection", "housing"], TODAY)
    assert topics == [SELECTION, HOUSING]
    assert [(e.name, e.strength, e.evidence) for e in found] == [("Norway", 2.5, ["TW-NOR-0001", "TW-NOR-0002"])]


def test_nothing_found(small: Store) -> None:
    assert experts.find(small, Topic("area", "dossier processing"), TODAY) == []


def test_suggest_candidates_for_a_comparison(small: Store) -> None:
    suggested = experts.suggest_candidates(small, "selection missions", exclude=["norway"], today=TODAY)
    assert [(s.name, s.partner_ref, s.evidence, s.strength) for s in suggested] == [
        ("Red Cross", "TW-NOR-0001/P-3", ["TW-NOR-0001"], 1.0), ("Sweden", "TW-NOR-0001/P-2", ["TW-NOR-0001"], 1.0)]
    # Excluded by partner reference or by a state body's name too.
    assert [s.name for s in experts.suggest_candidates(
        small, SELECTION, exclude=["TW-NOR-0001/P-3", "Norwegian Directorate of Immigration"], today=TODAY)] == ["Sweden"]


def test_suggest_from_a_learning_gap_text(small: Store) -> None:
    gap = "Technical expertise in Selection Missions and housing within 18 months."
    assert experts.topics_in(gap) == [SELECTION, HOUSING]
    suggested = experts.suggest_candidates(small, gap, today=TODAY)
    norway = next(s for s in suggested if s.name == "Norway")
    assert norway.strength == 2.5 and norway.evidence == ["TW-NOR-0001", "TW-NOR-0002"]
    assert suggested[0].name == "Norway" and {s.name for s in suggested} == {
        "Norway", "Denmark", "Red Cross", "Sweden", "UNHCR"}
    assert experts.suggest_candidates(small, "nothing to do with it", today=TODAY) == []


def test_a_suggestion_carries_the_topics_of_the_gap_it_has_experience_of(small: Store) -> None:
    """What the comparison screen heads its suggestions with, and what each one knows, from the core."""
    gap = "Technical expertise in housing and Selection Missions within 18 months."
    assert experts.topics_named(gap) == [SELECTION, HOUSING]  # in the vocabulary's order
    assert experts.topics_named("hous") == [HOUSING]  # a term: the one topic it resolves to
    assert experts.topics_named("orientation") == []  # ambiguous as a term, and no whole name in it
    assert experts.topics_named("nothing to do with it") == []
    topics = {s.name: s.topics for s in experts.suggest_candidates(small, gap, today=TODAY)}
    assert topics == {"Norway": (SELECTION, HOUSING), "Denmark": (HOUSING,), "Red Cross": (SELECTION,),
                      "Sweden": (SELECTION,), "UNHCR": (HOUSING,)}
    assert [s.topics for s in experts.suggest_candidates(small, SELECTION, today=TODAY)] == [(SELECTION,)] * 3


def test_suggestions_for_a_gap_say_which_topics_it_matched(small: Store) -> None:
    """The comparison screen's one question: the gap's topics and the candidates, in one answer."""
    gap = "Technical expertise in housing and Selection Missions within 18 months."
    answer = experts.suggest_for_gap(small, gap, exclude=["Norway"], today=TODAY)
    assert answer.topics == [SELECTION, HOUSING]
    assert answer.suggestions == experts.suggest_candidates(small, gap, exclude=["Norway"], today=TODAY)
    assert "Norway" not in {s.name for s in answer.suggestions}
    nothing = experts.suggest_for_gap(small, "nothing to do with it", today=TODAY)
    assert (nothing.topics, nothing.suggestions) == ([], [])


def test_learners_and_arrangements_not_yet_started_are_not_experience(small: Store) -> None:
    """An emerging state learning in an arrangement has no experience to share yet; nor has anyone from an
    arrangement that has not started (whatever its status says)."""
    from twintui.core.model import Arrangement, Partner

    with small.transaction("test") as tx:
        # Led by an emerging state: it was learning, its established partner was the one with experience.
        learning = Arrangement(reporting_state="ROU", title="Romania learns", status="completed",
                               areas=["selection missions"], start=D(2023, 1, 1), end=D(2025, 12, 31))
        early = Arrangement(reporting_state="FIN", title="Starts next year", status="active",
                            areas=["selection missions"], start=D(2027, 3, 1))
        tx.save(learning)
        tx.save(early)
        tx.save(Partner(name="Romanian Immigration Inspectorate", type="state", country="ROU", role="lead",
                        state_category="emerging"), parent=learning)
        tx.save(Partner(name="Netherlands IND", type="state", country="NLD", role="partner",
                        state_category="established"), parent=learning)
        tx.save(Partner(name="Argentina, CONARE", type="state", country="ARG", role="partner",
                        state_category="emerging"), parent=early)
    found = {e.name: e for e in experts.find(small, SELECTION, TODAY)}
    assert "Romania" not in found  # the learner, though it led and reported it
    assert found["Netherlands"].evidence == ["TW-ROU-0001"]
    assert "Finland" not in found and "Argentina" not in found  # not started on TODAY
    assert all("TW-FIN-0001" not in e.evidence for e in found.values())
    suggested = [s.name for s in experts.suggest_candidates(small, "selection missions", today=TODAY)]
    assert "Romania" not in suggested and "Argentina" not in suggested and "Finland" not in suggested


def test_the_demo_suggests_no_learner_for_its_comparison() -> None:
    """The demo's comparison (Romania choosing a partner) is offered experienced partners, not the emerging
    states that took part as learners (Argentina, Brazil, Chile, Paraguay, Uruguay, Japan, Czechia)."""
    import tempfile
    from pathlib import Path

    from twintui.core import demo
    from twintui.core.compare.demo import demo_comparison

    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "demo.json", user="test")
        demo.fill(store)
        gap = demo_comparison().learning_gap
        names = {s.name for s in experts.suggest_candidates(store, gap, today=TODAY, limit=None)}
    assert names, "the demo's learning gap finds someone"
    assert not names & {"Argentina", "Brazil", "Chile", "Paraguay", "Uruguay", "Japan", "Czechia", "Spain"}
