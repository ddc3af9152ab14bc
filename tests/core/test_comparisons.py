"""Comparisons in the store: revisions, audit, conflicts, names, register partners, JSON, export, demo."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from twintui.core import comparisons, demo
from twintui.core.comparisons import ComparisonRecord
from twintui.core.errors import ConflictError, NotFoundError, ValidationError
from twintui.core.matrix import Comparison, evaluate, sensitivity
from twintui.core.model import Partner
from twintui.core.store import Store

FUNDING = "Funding for the twinning activity"
POLICY = "Policy and procedures (dossier or mission based selection)"


def small(name: str = "Partner for 2027") -> Comparison:
    c = Comparison.new(name, organisation="Ministry of the Interior", candidates=["Norway", "Canada"])
    c.set_score(FUNDING, "Norway", 4)
    c.set_score(FUNDING, "Canada", 2)
    c.set_note(FUNDING, "Canada", "full-cost basis only")
    return c


# ---------------------------------------------------------------- persistence


def test_save_assigns_an_id_and_bumps_the_revision(store: Store) -> None:
    saved = comparisons.save(store, small())
    assert (saved.id, saved.rev) == ("COM-0001", 1)
    assert saved.created_by == store.user and saved.updated_at
    again = comparisons.load(store, saved.id)
    assert again == saved
    again.set_score(FUNDING, "Canada", 3)
    second = comparisons.save(store, again)
    assert second.rev == 2 and second.score(FUNDING, "Canada") == 3
    # Saving what the store already has changes nothing: no new revision.
    assert comparisons.save(store, second).rev == 2
    assert comparisons.save(store, small("Another")).id == "COM-0002"


def test_every_save_is_audited_with_the_part_that_changed(store: Store) -> None:
    saved = comparisons.save(store, small())
    saved.set_weight(FUNDING, 5)
    comparisons.save(store, saved)
    history = store.history(saved.id)
    assert [e.action for e in history] == ["create", "update"]
    assert history[-1].table == "comparisons"
    assert set(history[-1].changes) == {"factors"}  # a weight is part of the factors, not the cells
    comparisons.delete(store, comparisons.load(store, saved.id))
    assert store.history(saved.id)[-1].action == "delete"
    with pytest.raises(NotFoundError, match="COM-0001"):
        comparisons.load(store, saved.id)


def test_a_stale_save_raises_a_conflict_with_both_versions(store_path: Path) -> None:
    mine_store = Store.open(store_path, user="amina")
    theirs_store = Store.open(store_path, user="lars")
    base = comparisons.save(mine_store, small())
    theirs = comparisons.load(theirs_store, base.id)
    theirs.set_score(FUNDING, "Norway", 5)
    comparisons.save(theirs_store, theirs)
    mine = comparisons.copy(base)
    mine.set_weight(FUNDING, 1)
    with pytest.raises(ConflictError) as caught:
        comparisons.save(mine_store, mine)
    error = caught.value
    assert "changed (revision 1 → 2) by lars" in error.message
    assert comparisons.of_conflict(error.theirs).score(FUNDING, "Norway") == 5
    assert comparisons.of_conflict(error.mine).factor(FUNDING).weight == 1
    assert comparisons.load(mine_store, base.id).factor(FUNDING).weight == 3  # nothing overwritten
    # Deleting a version someone changed meanwhile is refused too.
    with pytest.raises(ConflictError):
        comparisons.delete(mine_store, base)


def test_a_save_after_someone_deleted_it_is_a_conflict_without_theirs(store: Store) -> None:
    base = comparisons.save(store, small())
    comparisons.delete(store, base)
    with pytest.raises(ConflictError) as caught:
        comparisons.save(store, base)
    assert caught.value.theirs is None


def test_names_are_unique_case_and_spacing_aside(store: Store) -> None:
    comparisons.save(store, small("Partner for 2027"))
    with pytest.raises(ValidationError, match="already called 'Partner for 2027'"):
        comparisons.save(store, small("  partner FOR 2027 "))
    assert len(comparisons.load_all(store)) == 1


def test_the_store_refuses_an_unsound_matrix(store: Store) -> None:
    record = ComparisonRecord.of(small())
    record.cells = [{"factor": FUNDING, "candidate": "Nobody", "score": 9, "note": ""}]
    with pytest.raises(ValidationError, match="unknown candidate: 'Nobody'"):
        store.save(record, "test")
    record.cells = "not a list"  # type: ignore[assignment]
    with pytest.raises(ValidationError, match="must be a list"):
        store.save(record, "test")
    assert store.count(ComparisonRecord) == 0


def test_find_by_name_or_id_and_a_clear_message_otherwise(store: Store) -> None:
    with pytest.raises(NotFoundError, match="there are no comparisons yet"):
        comparisons.find(store, "anything")
    saved = comparisons.save(store, small("Partner for 2027"))
    assert comparisons.find(store, "partner for  2027").id == saved.id
    assert comparisons.find(store, "COM-0001").name == "Partner for 2027"
    with pytest.raises(NotFoundError) as caught:
        comparisons.find(store, "Partner for 2028")
    assert caught.value.exit_code == 1
    assert caught.value.message == (
        "there is no comparison named 'Partner for 2028'; the comparisons are: 'Partner for 2027'")


def test_an_unreadable_stored_comparison_is_left_out_and_named(store: Store) -> None:
    comparisons.save(store, small())
    tables = store.storage.read()
    doc = next(iter(tables["comparisons"].values()))
    doc["factors"] = "broken"
    with store.storage.transaction():
        store.storage.write(tables)
    problems: list[str] = []
    assert comparisons.load_all(store, problems) == []
    assert problems and problems[0].startswith("COM-0001:")


# ---------------------------------------------------------------- candidates from the register


def test_partner_choices_offer_register_partners_with_their_reference(demo_store: Store) -> None:
    choices = comparisons.partner_choices(demo_store)
    by_name = {c.name: c for c in choices}
    norway = by_name["Norway"]
    assert norway.partner == "Norwegian Directorate of Immigration (UDI)"
    assert demo_store.get(Partner, norway.ref).name == norway.partner  # TW-NOR-0001/P-1
    assert norway.ref.startswith("TW-NOR-") and "/P-" in norway.ref
    # Organisations keep their own name; every partner name is offered once.
    assert "UNHCR Americas Bureau" in by_name
    assert len({c.partner.casefold() for c in choices}) == len(choices)
    assert [c.name for c in choices if c.matches("norw")] == ["Norway"]
    assert [c.name for c in choices if c.matches("swedish")] == ["Sweden"]


def test_a_candidate_picked_from_the_register_keeps_its_reference(demo_store: Store) -> None:
    choice = next(c for c in comparisons.partner_choices(demo_store) if c.name == "Canada")
    c = Comparison.new("Choice")
    c.add_candidate(choice.name, choice.ref)
    saved = comparisons.save(demo_store, c)
    assert comparisons.load(demo_store, saved.id).candidate("Canada").partner_ref == choice.ref


# ---------------------------------------------------------------- JSON and text


def test_json_has_exactly_the_published_shape() -> None:
    c = comparisons.demo_comparison()
    doc = comparisons.to_json(c)
    assert list(doc) == ["name", "factors", "candidates", "sensitivity"]
    assert all(list(f) == ["name", "weight", "must_have_min"] for f in doc["factors"])
    assert all(list(x) == ["name", "scores", "total", "rank", "coverage", "excluded"] for x in doc["candidates"])
    assert all(list(s) == ["factor", "tipping_weight", "new_leader"] for s in doc["sensitivity"])
    json.dumps(doc)  # plain JSON
    ev = evaluate(c)
    netherlands = next(x for x in doc["candidates"] if x["name"] == "Netherlands")
    assert netherlands["total"] == pytest.approx(ev.result("Netherlands").total)
    assert netherlands["rank"] == 1 and netherlands["excluded"] is None
    sweden = next(x for x in doc["candidates"] if x["name"] == "Sweden")
    assert sweden["scores"][FUNDING] is None  # unknown is null, not 0
    policy = next(s for s in doc["sensitivity"] if s["factor"] == POLICY)
    assert policy["tipping_weight"] == pytest.approx(2.46, abs=0.01) and policy["new_leader"] == "Sweden"


def test_json_of_an_excluded_candidate() -> None:
    c = small()
    c.set_must_have(FUNDING, 3)
    canada = next(x for x in comparisons.to_json(c)["candidates"] if x["name"] == "Canada")
    assert canada["rank"] is None
    assert canada["excluded"] == f"below must-have minimum 3 on {FUNDING!r} (scored 2)"


def test_show_text_lists_matrix_totals_and_sensitivity() -> None:
    text = comparisons.show_text(comparisons.demo_comparison())
    assert "* Netherlands" in text and "81.3" in text
    assert "Check: Sweden: not yet scored on must-have" in text
    assert "Verdict: fragile:" in text and "2.46" in text


def test_short_verdict_names_the_nearest_tipping_weight() -> None:
    text = comparisons.short_verdict(comparisons.demo_comparison())
    assert text.startswith("Netherlands is first (81.3), 3.5 ahead of Sweden.")
    assert "5 → 2.46 puts Sweden first" in text


# ---------------------------------------------------------------- conflicts: items and merge


def test_differences_default_choices_and_merge() -> None:
    base = small()
    base.id, base.rev = "COM-0001", 1
    mine, theirs = comparisons.copy(base), comparisons.copy(base)
    theirs.rev = 2
    mine.set_score(FUNDING, "Norway", 5)  # only mine
    theirs.set_weight(FUNDING, 1)  # only theirs
    mine.set_note(FUNDING, "Canada", "mine")  # both
    theirs.set_note(FUNDING, "Canada", "theirs")
    theirs.add_candidate("Sweden")  # only theirs
    keys = comparisons.differences(mine, theirs)
    assert keys == [("weight", FUNDING), ("candidates",), ("cell", FUNDING, "Norway"), ("cell", FUNDING, "Canada")]
    choices, both = comparisons.default_choices(base, mine, theirs, keys)
    assert choices == {("weight", FUNDING): "theirs", ("candidates",): "theirs",
                       ("cell", FUNDING, "Norway"): "mine", ("cell", FUNDING, "Canada"): "mine"}
    assert both == {("cell", FUNDING, "Canada")}
    merged = comparisons.merge(mine, theirs, [k for k, v in choices.items() if v == "mine"])
    assert (merged.id, merged.rev) == ("COM-0001", 2)  # their revision: the next save goes through
    assert merged.score(FUNDING, "Norway") == 5
    assert merged.factor(FUNDING).weight == 1
    assert merged.cell(FUNDING, "Canada").note == "mine"
    assert [x.name for x in merged.candidates] == ["Norway", "Canada", "Sweden"]
    assert comparisons.item_label(("cell", FUNDING, "Canada")) == f"Canada on {FUNDING}"
    assert comparisons.item_text(("cell", FUNDING, "Canada"), (2, "mine")) == "2 · mine"


def test_merge_keeping_a_factor_only_i_added_takes_its_weight_and_cells() -> None:
    base = small()
    mine, theirs = comparisons.copy(base), comparisons.copy(base)
    mine.add_factor("Costs and timeframe", weight=4)
    mine.set_score("Costs and timeframe", "Norway", 3)
    keys = comparisons.differences(mine, theirs)
    merged = comparisons.merge(mine, theirs, keys)
    assert merged.factor("Costs and timeframe").weight == 4
    assert merged.score("Costs and timeframe", "Norway") == 3
    assert comparisons.merge(mine, theirs, []) == theirs


# ---------------------------------------------------------------- demo


def test_demo_has_one_comparison_linked_to_the_register(demo_store: Store) -> None:
    [c] = comparisons.load_all(demo_store)
    assert c.name == comparisons.DEMO_NAME
    assert [x.name for x in c.candidates] == ["Norway", "Canada", "Netherlands", "Sweden"]
    assert len(c.factors) == 10
    unknown = [k for k in ((f.name, x.name) for f in c.factors for x in c.candidates) if c.score(*k) is None]
    assert len(unknown) >= 2
    assert sum(1 for cell in c.cells.values() if cell.note) >= 8
    assert any("Mexico Plan of Action" in cell.note for cell in c.cells.values())
    assert any("MOST" in cell.note for cell in c.cells.values())
    for candidate in c.candidates:
        partner = demo_store.get(Partner, candidate.partner_ref)
        assert partner is not None and partner.country, candidate
    ev = evaluate(c)
    assert ev.leader == "Netherlands"
    assert any(s.tipping_weight is not None for s in sensitivity(c))  # the sensitivity panel has a story


def test_demo_again_with_force_replaces_the_demo_comparison(demo_store: Store) -> None:
    comparisons.save(demo_store, small("Our own"))
    demo.fill(demo_store, force=True)
    found = comparisons.load_all(demo_store)
    assert sorted(c.name for c in found) == sorted([comparisons.DEMO_NAME, "Our own"])
    demo_one = comparisons.find(demo_store, comparisons.DEMO_NAME)
    # The arrangements got new ids; the candidates follow them.
    assert all(demo_store.get(Partner, x.partner_ref) is not None for x in demo_one.candidates)


# ---------------------------------------------------------------- export


def test_export_writes_live_formulas(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    c = comparisons.demo_comparison()
    path = tmp_path / "matrix.xlsx"
    comparisons.export_xlsx(c, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Matrix", "Notes", "Sensitivity"]
    ws = wb["Matrix"]
    first = comparisons.FIRST_FACTOR_ROW
    assert [ws.cell(first - 1, col).value for col in range(1, 8)] == [
        "Factor", "Weight", "Must-have min", "Norway", "Canada", "Netherlands", "Sweden"]
    assert ws.cell(first + 5, 3).value == 2  # the must-have minimum of funding
    assert ws.cell(first + 5, 7).value is None  # Sweden's unknown funding stays blank, not 0
    total_row = first + len(c.factors) + 1
    assert ws.cell(total_row, 1).value == "Weighted score (0-100)"
    formula = ws.cell(total_row, 4).value
    assert formula.startswith("=IF(") and "SUMPRODUCT($B$7:$B$16,D7:D16)" in formula
    assert str(ws.cell(total_row + 3, 4).value).startswith("=IF(")  # rank
    notes = [row for row in wb["Notes"].iter_rows(min_row=2, values_only=True)]
    assert any("Mexico Plan of Action" in row[3] for row in notes)


def _recalculated(path: Path, out: Path) -> list[list[str]]:
    """The Matrix sheet as LibreOffice computes it (headless, own profile, CSV)."""
    profile = out / "profile"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "csv",
         "--outdir", str(out), str(path)], capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr
    with open(out / (path.stem + ".csv"), newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_recalculates_the_same_totals_and_ranks(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    c = comparisons.demo_comparison()
    c.add_candidate("Atlantis")  # nothing scored: blank total, no rank
    path = tmp_path / "matrix.xlsx"
    comparisons.export_xlsx(c, path)
    # Change a cell by hand, as a reader of the workbook would: Sweden below the funding minimum.
    wb = load_workbook(path)
    first = comparisons.FIRST_FACTOR_ROW
    wb["Matrix"].cell(first + 5, 7).value = 1
    wb.save(path)
    c.set_score(FUNDING, "Sweden", 1)

    rows = _recalculated(path, tmp_path)
    by_label = {row[0]: row[3:3 + len(c.candidates)] for row in rows if row}
    ev = evaluate(c)
    for name, total in zip([x.name for x in c.candidates], by_label["Weighted score (0-100)"], strict=True):
        expected = ev.result(name).total
        if expected is None:
            assert total == ""
        else:
            assert float(total) == pytest.approx(expected, abs=1e-6), name
    excluded = dict(zip([x.name for x in c.candidates], by_label["Excluded (below a must-have minimum)"]))
    assert excluded["Sweden"] == "excluded" and excluded["Norway"] == ""
    ranks = dict(zip([x.name for x in c.candidates], by_label["Rank"]))
    assert ranks == {r.name: ("" if r.rank is None else str(r.rank)) for r in ev.results}


# ---------------------------------------------------------------- hygiene


def test_comparisons_module_imports_no_ui_or_openpyxl() -> None:
    code = ("import sys, twintui.core.comparisons\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich', 'openpyxl', 'pandas'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
