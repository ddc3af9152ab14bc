"""The domain model: parsing what people and spreadsheets send, validation, records."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from twintui.core.model import Arrangement, Partner, Risk, build, coerce, errors, ids, validate, vocab


class TestCountries:
    @pytest.mark.parametrize("raw", ["Norway", "norway ", " NORWAY", "NO", "nor", "NOR", "Kingdom of Norway"])
    def test_names_and_codes_become_alpha3(self, raw: str) -> None:
        assert coerce.country(raw) == "NOR"

    def test_czech_republic_by_its_official_name(self) -> None:
        assert coerce.country("Czech Republic") == "CZE"
        assert coerce.country("Czechia") == "CZE"

    def test_unknown_country_is_a_clear_error(self) -> None:
        with pytest.raises(ValueError, match="'Narnia' is not a country"):
            coerce.country("Narnia")

    def test_a_misspelling_gets_a_suggestion(self) -> None:
        with pytest.raises(ValueError, match="did you mean"):
            coerce.country("Norwayy")


class TestDates:
    @pytest.mark.parametrize("raw", ["2026-07-31", "31/07/2026", "31.07.2026", dt.date(2026, 7, 31),
                                     dt.datetime(2026, 7, 31, 0, 0), 46234, 46234.0, "46234",
                                     "2026-07-31T00:00:00"])
    def test_every_form_spreadsheets_send(self, raw: object) -> None:
        assert coerce.date(raw) == dt.date(2026, 7, 31)

    @pytest.mark.parametrize("raw", [None, "", "  "])
    def test_blank_is_none(self, raw: object) -> None:
        assert coerce.date(raw) is None

    @pytest.mark.parametrize("raw", ["31/13/2026", "next week", True, -5])
    def test_nonsense_is_an_error_that_shows_the_format(self, raw: object) -> None:
        with pytest.raises(ValueError, match="not a date"):
            coerce.date(raw)


class TestOtherParsers:
    @pytest.mark.parametrize("raw,expected", [
        (True, True), ("TRUE", True), ("=TRUE()", True), ("yes", True), ("Y", True), (1, True), (1.0, True),
        (False, False), ("no", False), ("=FALSE()", False), (0, False), ("", None), (None, None),
    ])
    def test_booleans(self, raw: object, expected: bool | None) -> None:
        assert coerce.boolean(raw) == expected

    def test_bad_boolean(self) -> None:
        with pytest.raises(ValueError, match="not yes or no"):
            coerce.boolean("maybe")

    @pytest.mark.parametrize("raw,expected", [
        ("1,500,000", 1_500_000.0), ("1.500.000,50", 1_500_000.5), ("1500000.0", 1_500_000.0), (17.0, 17.0),
        ("12,5", 12.5), (" 200 000 ", 200_000.0),
    ])
    def test_numbers(self, raw: object, expected: float) -> None:
        assert coerce.number(raw) == expected

    def test_whole_numbers_accept_floats_from_spreadsheets(self) -> None:
        assert coerce.whole(3.0) == 3
        with pytest.raises(ValueError, match="not a whole number"):
            coerce.whole(3.5)

    @pytest.mark.parametrize("raw", ["2026-Q3", "2026Q3", "2026 q3", "Q3 2026", "q3-2026"])
    def test_quarters(self, raw: str) -> None:
        assert coerce.quarter(raw) == "2026-Q3"

    def test_bad_quarter(self) -> None:
        with pytest.raises(ValueError, match="2026-Q3"):
            coerce.quarter("2026-Q5")

    def test_quarter_bounds(self) -> None:
        assert coerce.quarter_bounds("2026-Q4") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
        assert coerce.quarter_bounds("2024-Q1") == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))

    def test_text_from_spreadsheet_numbers(self) -> None:
        assert coerce.text(12.0) == "12"
        assert coerce.text("  padded ") == "padded"
        assert coerce.text(None) == ""

    def test_email(self) -> None:
        assert coerce.email("mailto:a.b@udi.no") == "a.b@udi.no"
        with pytest.raises(ValueError, match="e-mail"):
            coerce.email("a.b at udi.no")

    def test_currency(self) -> None:
        assert coerce.currency("eur") == "EUR"
        assert coerce.currency("€") == "EUR"
        with pytest.raises(ValueError, match="ISO 4217"):
            coerce.currency("ZZZ")

    def test_choices_keep_order_drop_repeats_and_canonicalise(self) -> None:
        assert coerce.choices("Seminar; visit;  VISIT", vocab.ACTIVITY_TYPES) == ["seminar", "visit"]
        with pytest.raises(ValueError, match="'tourism'"):
            coerce.choices("visit; tourism", vocab.ACTIVITY_TYPES)


class TestArrangementRules:
    def base(self, **changes: object) -> dict[str, object]:
        raw: dict[str, object] = {"reporting_state": "Norway", "title": "Selection training", "status": "active",
                                  "activity_types": "training or skill-sharing event", "start": "2026-01-01",
                                  "objectives": "Strengthen selection capacity: 10 staff trained by 2026-12-31"}
        raw.update(changes)
        return raw

    def test_a_good_row_has_no_problems(self) -> None:
        record, problems = build(Arrangement, self.base())
        assert problems == []
        assert record.reporting_state == "NOR"
        assert record.start == dt.date(2026, 1, 1)

    def test_every_problem_is_reported_at_once_with_its_field(self) -> None:
        _, problems = build(Arrangement, self.base(title="", status="ongoing", end="2025-01-01",
                                                    contact_email="nobody", funding_amount="-5"))
        fields = {p.field for p in errors(problems)}
        assert fields == {"title", "status", "end", "contact_email", "funding_amount"}

    def test_title_at_most_200_characters(self) -> None:
        _, problems = build(Arrangement, self.base(title="x" * 201))
        assert [p.field for p in errors(problems)] == ["title"]
        assert "201 characters" in errors(problems)[0].message

    def test_familiarisation_visit_alone_is_a_warning_not_an_error(self) -> None:
        record, problems = build(Arrangement, self.base(activity_types="visit", objectives="Meet colleagues"))
        assert errors(problems) == []
        assert any("familiarisation visit" in p.message and p.severity == "warning" for p in problems)

    def test_a_visit_with_a_capacity_objective_is_fine(self) -> None:
        _, problems = build(Arrangement, self.base(activity_types="visit",
                                                    objectives="Develop the national resettlement programme"))
        assert problems == []

    def test_unparsable_fields_keep_the_base_value(self) -> None:
        base = Arrangement(reporting_state="NOR", title="t", status="active", start=dt.date(2026, 1, 1))
        record, problems = build(Arrangement, {"start": "soon"}, base)
        assert record.start == dt.date(2026, 1, 1)
        assert problems[0].field == "start"

    def test_values_set_in_code_are_checked_too(self) -> None:
        record = Arrangement(reporting_state="Norway", title="t", status="ACTIVE")
        fields = {p.field for p in errors(validate(record))}
        assert fields == {"reporting_state", "status"}


class TestRecords:
    def test_doc_round_trip(self) -> None:
        record, _ = build(Arrangement, {"reporting_state": "CZE", "title": "Policy paper", "status": "completed",
                                        "start": "2008-03-01", "end": "2009-06-30", "areas": "housing",
                                        "funding_amount": 45000, "currency": "EUR", "virtual": "no"})
        assert Arrangement.from_doc(record.to_doc()) == record

    def test_content_hash_follows_content_not_bookkeeping(self) -> None:
        record = Arrangement(reporting_state="NOR", title="t")
        assert record.content_hash() == record.replace(rev=9, updated_by="x").content_hash()
        assert record.content_hash() != record.replace(title="u").content_hash()

    def test_differences_name_old_and_new(self) -> None:
        old = Arrangement(reporting_state="NOR", title="t", lessons_learned="a")
        new = old.replace(lessons_learned="b")
        assert new.differences(old) == {"lessons_learned": ("a", "b")}

    def test_child_keys_include_the_arrangement(self) -> None:
        assert Partner(arrangement="TW-NOR-0001", id="P-2").key == "TW-NOR-0001/P-2"

    def test_risk_score_band_and_overdue(self) -> None:
        risk = Risk(description="Budget cut", category="budget", likelihood=3, impact=4,
                    residual_likelihood=2, residual_impact=2, next_review=dt.date(2026, 1, 1))
        assert (risk.score, risk.band, risk.residual_score, risk.residual_band) == (12, "high", 4, "medium")
        assert risk.overdue(dt.date(2026, 1, 2)) and not risk.overdue(dt.date(2026, 1, 1))
        assert not risk.replace(status="closed").overdue(dt.date(2027, 1, 1))

    @pytest.mark.parametrize("score,band", [(1, "low"), (3, "low"), (4, "medium"), (6, "medium"), (8, "high"),
                                            (12, "high"), (15, "critical"), (25, "critical")])
    def test_bands(self, score: int, band: str) -> None:
        assert vocab.band_for(score) == band

    def test_residual_above_inherent_is_flagged(self) -> None:
        risk = Risk(arrangement="TW-NOR-0001", description="x", category="budget", likelihood=1, impact=2,
                    residual_likelihood=3, residual_impact=3, owner="me")
        assert any("above the inherent" in p.message for p in validate(risk))

    def test_likelihood_out_of_range(self) -> None:
        _, problems = build(Risk, {"arrangement": "TW-NOR-0001", "description": "x", "category": "budget",
                                   "likelihood": 9, "impact": "3", "status": "open"})
        assert [(p.field, "above the maximum" in p.message) for p in errors(problems)] == [("likelihood", True)]

    def test_partner_type_is_canonicalised(self) -> None:
        partner, problems = build(Partner, {"arrangement": "TW-NOR-0001", "name": "Caritas", "type": "ngo"})
        assert partner.type == "NGO" and errors(problems) == []


def test_ids() -> None:
    assert ids.arrangement_id("NOR", 7) == "TW-NOR-0007"
    assert ids.arrangement_id("NOR", 12345) == "TW-NOR-12345"
    assert ids.is_arrangement_id("TW-NOR-0007") and not ids.is_arrangement_id("TW-NO-0007")
    assert ids.child_id("risks", 3) == "R-3"
    assert ids.number_of("TW-NOR-0012") == 12


def test_vocabularies_are_defined_once_and_lower_case_where_the_guidelines_are() -> None:
    assert len(vocab.DEFAULT_FACTORS) == 10
    assert "visit" in vocab.ACTIVITY_TYPES and len(vocab.AREAS) == 10
    for vocabulary in (vocab.STATUSES, vocab.ACTIVITY_TYPES, vocab.AREAS, vocab.RISK_CATEGORIES):
        assert len(set(vocabulary)) == len(vocabulary)


@pytest.mark.parametrize("value", [1.7e308, -1.7e308, "1.7e308", "1e16", 10.0**15 + 1])
def test_absurd_amounts_are_refused_and_the_limit_is_said(value: object) -> None:
    """Forms and returns parse numbers alike: 1.7e308 would make the report's totals 'inf'."""
    with pytest.raises(ValueError, match=r"at most 1,000,000,000,000,000"):
        coerce.number(value)
    record, problems = build(Arrangement, {"title": "x", "reporting_state": "NOR", "funding_amount": value})
    assert [p.field for p in errors(problems)] == ["funding_amount"] and record.funding_amount is None
    assert coerce.number(10.0**15) == 10.0**15


@pytest.mark.parametrize("value", [float("inf"), float("nan"), "inf", "-Infinity", "nan", "1e999"])
def test_non_finite_numbers_are_refused(value: object) -> None:
    with pytest.raises(ValueError, match="not a finite number"):
        coerce.number(value)


def test_a_long_value_is_clipped_in_the_message() -> None:
    with pytest.raises(ValueError) as raised:
        coerce.choice("x" * 5000, vocab.STATUSES)
    assert len(str(raised.value)) < 200 and str(raised.value).endswith(", ".join(vocab.STATUSES))
    with pytest.raises(ValueError) as raised:
        coerce.date("\x1b[2K" + "9" * 300)
    assert "\x1b" not in str(raised.value) and "\\x1b" in str(raised.value) and len(str(raised.value)) < 200


def test_a_number_reads_with_grouping_whatever_its_type() -> None:
    from twintui.core.model import Field

    amount = Arrangement.field("funding_amount")
    assert isinstance(amount, Field)
    assert [amount.display(v) for v in (3500000, 3500000.0, 3600000.5, 0)] == [
        "3,500,000", "3,500,000", "3,600,000.5", "0"]


def test_a_record_brings_its_own_rules_whatever_else_was_imported() -> None:
    # A program of its own: validation, then each feature's record class, nothing else; the validation
    # module keeps no table that importing a feature fills in.
    code = """
import importlib
checking = importlib.import_module("twintui.core.model.validate")  # the package's validate() hides the module
before = {name: repr(value) for name, value in vars(checking).items() if not name.startswith("__")}
from twintui.core.compare.records import ComparisonRecord
from twintui.core.mou.model import Memorandum
assert {name: repr(value) for name, value in vars(checking).items() if not name.startswith("__")} == before
memo = Memorandum(id="MOU-2", arrangement="TW-NOR-0001", version=1, status="signed")
matrix = ComparisonRecord(name="Partner for 2027", factors=[{"name": "Language", "weight": 1}],
                          candidates=[{"name": "Norway"}], cells=[{"factor": "Language", "candidate": "Norway",
                                                                   "score": 9}])
for record in (memo, matrix):
    print([(p.field, p.severity) for p in checking.validate(record)])
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["[('version', 'error'), ('signed_on', 'warning')]",
                                          "[('cells', 'error')]"]
