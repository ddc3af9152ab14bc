"""Memoranda in the store: versions, draft → agreed → signed, frozen signed versions, conflicts, the demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from twintui.core import demo
from twintui.core.check import check_store
from twintui.core.errors import ConflictError, NotFoundError, ValidationError
from twintui.core.model import Arrangement, Partner
from twintui.core.mou import Memorandum, MouError, gantt, versions
from twintui.core.mou.dates import due_date, months_between
from twintui.core.mou.model import (
    Activity,
    Objective,
    Sections,
)
from twintui.core.store import Store
from twintui.core.store.tables import TABLES

D = dt.date
TODAY = D(2026, 11, 20)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "register.json", user="focal.point")
    demo.fill(store)
    return store


def norway(store: Store) -> Arrangement:
    return next(a for a in store.all(Arrangement) if a.reporting_state == "NOR")


# -- the record ---------------------------------------------------------------------------
def test_memoranda_are_a_record_type_of_the_store() -> None:
    assert TABLES["memoranda"] is Memorandum
    assert Memorandum.PARENT == "arrangement"


def test_sections_survive_the_store_unchanged(store: Store) -> None:
    memo = versions.latest(store, norway(store).id)
    assert memo is not None and memo.key == f"{norway(store).id}/MOU-1"
    again = Memorandum.from_doc(memo.to_doc())
    assert again.sections() == memo.sections()
    assert memo.sections().to_fields() == again.sections().copy().to_fields()


def test_the_demo_has_a_draft_for_norway_with_a_full_plan_and_a_weak_objective(store: Store) -> None:
    document = versions.load(store, norway(store).id)
    memo, s = document.memorandum, document.sections
    assert (memo.version, memo.status) == (1, "draft")
    assert len(s.activities) == 8 and all(a.who and a.milestone and a.start and a.end for a in s.activities)
    assert [o.text for o in s.objectives][-1] == "Improve cooperation"
    assert {p.country for p in document.partners} >= {"ARG", "BRA", "CHL", "PRY", "URY"}
    assert len(document.risks) == 3
    assert check_store(store.path).ok
    assert "unknown table" not in " ".join(check_store(store.path).warnings)


# -- starting and saving --------------------------------------------------------------------
def test_a_first_draft_is_filled_from_the_arrangement(store: Store) -> None:
    czech = next(a for a in store.all(Arrangement) if a.reporting_state == "CZE")
    memo = versions.start(store, czech.id)
    s = memo.sections()
    assert (memo.id, memo.version, memo.status, memo.rev) == ("MOU-1", 1, "draft", 1)
    assert s.title.endswith(czech.title) and (s.start, s.end) == (czech.start, czech.end)
    assert [o.text for o in s.objectives] == [part.strip() for part in czech.objectives.split(";")]
    assert {r.party for r in s.roles} == {p.name for p in store.children(Partner, czech.id)}
    assert [r.overall for r in s.roles].count(True) == 1 and s.roles[0].person == "Jana Novakova"
    assert (s.funding.source, s.funding.amount, s.funding.currency) == ("national budget", 45000, "EUR")
    with pytest.raises(MouError, match="already has an MoU"):
        versions.start(store, czech.id)
    with pytest.raises(NotFoundError, match="no arrangement TW-XXX-0009"):
        versions.start(store, "TW-XXX-0009")


def test_saving_a_draft_bumps_its_revision_and_the_audit_names_the_section(store: Store) -> None:
    memo = versions.latest(store, norway(store).id)
    assert memo is not None
    s = memo.sections()
    s.learning = "Norway learns how dossier selection works in an emerging programme."
    saved = versions.save(store, memo, s)
    assert (saved.version, saved.rev, saved.status) == (1, memo.rev + 1, "draft")
    assert saved.sections().learning.startswith("Norway learns")
    last = store.history(saved.key)[-1]
    assert last.action == "update" and list(last.changes) == ["objectives"]


def test_draft_agreed_signed_and_a_signed_version_is_frozen(store: Store) -> None:
    arrangement = norway(store)
    memo = versions.latest(store, arrangement.id)
    assert memo is not None
    with pytest.raises(MouError, match="must be agreed before it is signed"):
        versions.set_status(store, memo, "signed", TODAY)
    agreed = versions.set_status(store, memo, "agreed", TODAY)
    assert (agreed.status, agreed.agreed_on) == ("agreed", TODAY)
    signed = versions.set_status(store, agreed, "signed", TODAY)
    assert (signed.status, signed.signed_on) == ("signed", TODAY)
    assert signed.frozen["partners"][0]["name"].startswith("Norwegian Directorate")
    with pytest.raises(MouError, match="signed and frozen"):
        versions.set_status(store, signed, "draft", TODAY)

    # A partner renamed after signing: the signed document still shows the name as signed.
    udi = store.children(Partner, arrangement.id)[0]
    store.save(udi.replace(name="UDI (renamed)"), "test")
    assert versions.load(store, arrangement.id, 1).partners[0].name.startswith("Norwegian Directorate")

    # Editing a signed version starts the next version as a draft; the signed one stays as it was.
    s = signed.sections()
    s.objectives[-1] = Objective(text="Set up a network of municipal integration officers", indicator="meetings",
                                 target="8", due="2027-Q4", owner="UDI")
    draft = versions.save(store, signed, s)
    assert (draft.id, draft.version, draft.status, draft.based_on) == ("MOU-2", 2, "draft", 1)
    assert versions.load(store, arrangement.id, 2).partners[0].name == "UDI (renamed)"  # today's partners
    stored_signed = store.require(Memorandum, f"{arrangement.id}/MOU-1")
    assert stored_signed.rev == signed.rev and stored_signed.sections().objectives[-1].text == "Improve cooperation"
    assert [m.version for m in versions.versions_of(store, arrangement.id)] == [1, 2]
    with pytest.raises(ConflictError):  # version 2 exists: a merge, not a second version 2
        versions.new_version(store, stored_signed)
    with pytest.raises(MouError, match="followed by version 2"):
        versions.set_status(store, stored_signed.replace(status="agreed"), "signed", TODAY)


def test_changing_an_agreed_version_makes_it_a_draft_again(store: Store) -> None:
    memo = versions.latest(store, norway(store).id)
    agreed = versions.set_status(store, memo, "agreed", TODAY)  # type: ignore[arg-type]
    unchanged = versions.save(store, agreed, agreed.sections())
    assert unchanged.status == "agreed" and unchanged.rev == agreed.rev
    s = agreed.sections()
    s.monitoring = "Weekly calls."
    saved = versions.save(store, agreed, s)
    assert (saved.status, saved.agreed_on) == ("draft", None)
    reopened = versions.set_status(store, versions.set_status(store, saved, "agreed", TODAY), "draft", TODAY)
    assert reopened.status == "draft"


def test_the_note_after_a_save_says_what_the_save_did(store: Store) -> None:
    memo = versions.latest(store, norway(store).id)
    assert memo is not None
    s = memo.sections()
    s.monitoring = "Weekly calls."
    saved = versions.save(store, memo, s)
    assert versions.save_note(memo, saved) == f"Saved {memo.arrangement} MoU version 1"
    agreed = versions.set_status(store, saved, "agreed", TODAY)
    s.monitoring = "Monthly calls."
    again = versions.save(store, agreed, s)
    assert versions.save_note(agreed, again) == "Saved version 1: it is a draft again, to be agreed by the partners"
    signed = versions.set_status(store, versions.set_status(store, again, "agreed", TODAY), "signed", TODAY)
    s.monitoring = "Quarterly calls."
    draft = versions.save(store, signed, s)
    assert versions.save_note(signed, draft) == ("Version 1 is signed and stays as it was: your changes are "
                                                 "version 2, a draft")


def test_a_stale_save_is_a_conflict_carrying_both_versions(store: Store) -> None:
    memo = versions.latest(store, norway(store).id)
    assert memo is not None
    mine, theirs = memo.sections(), memo.sections()
    theirs.monitoring = "Theirs"
    versions.save(store, memo, theirs)
    mine.monitoring = "Mine"
    with pytest.raises(ConflictError) as caught:
        versions.save(store, memo, mine)
    assert caught.value.mine.monitoring == "Mine" and caught.value.theirs.monitoring == "Theirs"


def test_two_officials_starting_the_same_new_version_conflict(store: Store, tmp_path: Path) -> None:
    memo = versions.latest(store, norway(store).id)
    signed = versions.set_status(store, versions.set_status(store, memo, "agreed", TODAY), "signed", TODAY)  # type: ignore[arg-type]
    other = Store.open(store.path, user="other.official")
    versions.new_version(other, signed)
    with pytest.raises(ConflictError) as caught:
        versions.new_version(store, signed)
    assert caught.value.theirs.updated_by == "other.official"


def test_the_store_refuses_a_memorandum_that_ends_before_it_starts(store: Store) -> None:
    memo = versions.latest(store, norway(store).id)
    s = memo.sections()  # type: ignore[union-attr]
    s.end = D(2024, 1, 1)
    with pytest.raises(ValidationError, match="the MoU ends"):
        versions.save(store, memo, s)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="must have the id MOU-3"):
        store.save(Memorandum(id="MOU-2", arrangement=norway(store).id, version=3), "test")


def test_deleting_the_arrangement_deletes_its_memoranda(store: Store) -> None:
    arrangement = norway(store)
    store.delete(arrangement, "test")
    assert versions.versions_of(store, arrangement.id) == []
    assert store.count(Memorandum) == 1  # Canada's, of another arrangement, stays
    assert store.history(f"{arrangement.id}/MOU-1")[-1].action == "delete"


def test_load_says_what_is_missing(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no arrangement TW-ZZZ-0001"):
        versions.load(store, "TW-ZZZ-0001")
    czech = next(a for a in store.all(Arrangement) if a.reporting_state == "CZE")
    with pytest.raises(NotFoundError, match="has no memorandum of understanding yet"):
        versions.load(store, czech.id)
    with pytest.raises(NotFoundError, match=r"no MoU version 4 \(versions: 1\)"):
        versions.load(store, norway(store).id, 4)


def test_overview_lists_arrangements_with_an_mou_first(store: Store) -> None:
    rows = versions.overview(store)
    canada = next(a for a in store.all(Arrangement) if a.reporting_state == "CAN" and a.status == "active")
    assert [(r.id, r.mou) for r in rows[:2]] == [(canada.id, "v1 agreed"), (norway(store).id, "v1 draft")]
    assert {r.mou for r in rows[2:]} == {"—"}
    assert [r.id for r in versions.filter_rows(rows, "nor draft")] == [norway(store).id]
    assert len(versions.filter_rows(rows, "")) == len(rows)


def test_the_picker_rows_sort_by_any_column_ties_by_id(store: Store) -> None:
    rows = versions.overview(store)
    assert versions.filter_rows(rows, "") == rows  # by MoU: the order the overview reads them in
    assert [r.id for r in versions.filter_rows(rows, "", "id")] == sorted(r.id for r in rows)
    by_state = versions.filter_rows(rows, "", "state", descending=True)
    assert [r.state for r in by_state] == sorted((r.state for r in rows), reverse=True)
    # Equal by the column: by id, the same way whichever way the column runs.
    without = [r.id for r in versions.filter_rows(rows, "", "mou", descending=True) if not r.version]
    assert without == sorted(without)


# -- small pieces -----------------------------------------------------------------------------
@pytest.mark.parametrize("start,end,months", [
    (D(2025, 1, 1), D(2027, 12, 31), 36), (D(2010, 1, 1), D(2011, 6, 30), 18), (D(2010, 1, 15), D(2011, 7, 14), 18),
    (D(2010, 1, 15), D(2011, 7, 20), 19), (D(2025, 1, 1), D(2025, 1, 1), 1),
])
def test_months_between(start: dt.date, end: dt.date, months: int) -> None:
    assert months_between(start, end) == months


def test_due_dates_read_dates_quarters_and_years() -> None:
    assert due_date("2027-Q2") == D(2027, 6, 30)
    assert due_date("Q4 2027") == D(2027, 12, 31)
    assert due_date("2027") == D(2027, 12, 31)
    assert due_date("30/06/2027") == D(2027, 6, 30)
    assert due_date("") is None
    with pytest.raises(ValueError, match="not a date or a quarter"):
        due_date("45000")


def test_the_gantt_chart_marks_the_period_and_what_runs_outside_it() -> None:
    s = Sections(start=D(2025, 1, 1), end=D(2025, 12, 31), activities=[
        Activity("Inside", "UDI", D(2025, 2, 1), D(2025, 5, 31), "x"),
        Activity("Overruns", "UDI", D(2025, 10, 1), D(2026, 3, 31), "y"),
        Activity("Undated", "UDI", None, None, "z"),
    ])
    lines = gantt.chart(s, 70, today=D(2025, 6, 15))
    assert all(len(line) == 70 for line in lines)
    assert "2025" in lines[0] and "2026" in lines[0] and gantt.TODAY in lines[1]
    period = next(line for line in lines if line.startswith("MoU period"))
    assert "├" in period and "┤" in period
    inside = next(line for line in lines if line.startswith("1 Inside"))
    over = next(line for line in lines if line.startswith("2 Overruns"))
    assert gantt.INSIDE in inside and gantt.OUTSIDE not in inside and not inside.rstrip().endswith("!")
    assert gantt.OUTSIDE in over and over.rstrip().endswith("!")
    assert "(no dates)" in next(line for line in lines if line.startswith("3 Undated"))
    assert gantt.chart(Sections(), 40)[0].startswith("No activities")
