"""Who may change what (issue 8): the access file as read, and the rule every commit enforces."""

from __future__ import annotations

from pathlib import Path

import pytest

from twintui.core import access
from twintui.core.check import check_store
from twintui.core.errors import AccessError
from twintui.core.model import Arrangement, Partner, Risk
from twintui.core.store import Store, policy

from ..sharing import ME, arrangement, as_user

def test_without_an_access_file_the_store_is_single_user_and_says_so(store: Store) -> None:
    who = store.access()
    assert who.single_user and not who.read_only and who.can_edit(arrangement("SWE"))
    assert "single-user mode" in who.describe()
    assert "single-user mode" in check_store(store.path).access


def test_the_access_file_round_trips_and_bad_files_are_refused_clearly(tmp_path: Path) -> None:
    file = policy.AccessFile(tmp_path / "a.toml").granted("amina", policy.MAINTAINER) \
        .granted("o'brien", policy.FOCAL_POINT, ["NOR", "SWE"]).granted("reader", policy.READ_ONLY)
    file.path.write_text(file.dumps())
    again = policy.load(file.path)
    assert again.users() == file.users() == [("amina", "maintainer", ()), ("o'brien", "focal point", ("NOR", "SWE")),
                                             ("reader", "read-only", ())]
    (tmp_path / "bad.toml").write_text("maintainers = amina\n")
    with pytest.raises(AccessError, match="not valid TOML"):
        policy.load(tmp_path / "bad.toml")
    (tmp_path / "bad2.toml").write_text('[focal_points]\nx = ["Atlantis"]\n')
    with pytest.raises(AccessError, match="focal point x: 'Atlantis' is not a country"):
        policy.load(tmp_path / "bad2.toml")


def test_focal_points_change_only_their_states_records(shared: Path) -> None:
    nor = as_user(shared, "nor-fp")
    mine, theirs = nor.require(Arrangement, "TW-NOR-0001"), nor.require(Arrangement, "TW-SWE-0001")
    nor.save(mine.replace(title="Changed by the NOR focal point"), "test")
    nor.save(Risk(arrangement="TW-NOR-0001", description="Staff turnover", category="staffing", likelihood=3,
                  impact=2), "test")
    made = nor.save(arrangement("NOR", "A new one"), "test")
    assert made.id == "TW-NOR-0002" and made.created_by == "nor-fp"
    before = shared.read_bytes()
    log_before = shared.with_name(shared.stem + ".audit.jsonl").read_bytes()
    refusals = [
        lambda: nor.save(theirs.replace(title="Not mine"), "test"),
        lambda: nor.save(arrangement("SWE", "A new SWE one"), "test"),
        lambda: nor.save(nor.require(Arrangement, "TW-NOR-0001").replace(reporting_state="SWE"), "test"),  # away
        lambda: nor.delete(theirs, "test"),
        lambda: nor.save(Partner(arrangement="TW-SWE-0001", name="X", type="NGO", country="SWE", role="partner"),
                         "test"),
        lambda: nor.delete(nor.children(Partner, "TW-SWE-0001")[0], "test"),
    ]
    for refuse in refusals:
        with pytest.raises(AccessError, match="nor-fp may not change .*SWE.*nothing was changed"):
            refuse()
    # A transaction with one allowed and one refused change writes nothing at all.
    with pytest.raises(AccessError), nor.transaction("test") as tx:
        tx.save(nor.require(Arrangement, "TW-NOR-0001").replace(title="Would be fine"))
        tx.save(theirs.replace(title="Not fine"))
    assert shared.read_bytes() == before
    assert shared.with_name(shared.stem + ".audit.jsonl").read_bytes() == log_before
    # What an import asks before it reads a state's return.
    who = nor.access()
    assert who.can_edit_state("NOR") and not who.can_edit_state("SWE") and not who.can_edit_state(None)


def test_the_refusal_names_the_user_and_the_state(shared: Path) -> None:
    nor = as_user(shared, "nor-fp")
    with pytest.raises(AccessError) as caught:
        nor.save(nor.require(Arrangement, "TW-SWE-0001").replace(title="x"), "test")
    assert str(caught.value) == ("nor-fp may not change arrangement TW-SWE-0001 of SWE: nor-fp is the focal point "
                                 "for NOR and does not answer for SWE; nothing was changed")
    assert caught.value.exit_code == 1


def test_read_only_and_unknown_users_change_nothing_but_may_record_an_export(shared: Path, tmp_path: Path) -> None:
    from twintui.core.workbook import QuarterlyReturn, export_return

    for user, reason in (("reader", "read-only access"), ("stranger", "not in the access file")):
        other = as_user(shared, user)
        assert other.access().read_only
        with pytest.raises(AccessError, match=reason):
            other.save(other.require(Arrangement, "TW-NOR-0001").replace(title="x"), "test")
        with pytest.raises(AccessError):
            access.grant(other, user, policy.MAINTAINER)
    reader = as_user(shared, "reader")
    export_return(reader, "NOR", "2026-Q2", tmp_path / "nor.xlsx")
    assert reader.require(QuarterlyReturn, "NOR-2026-Q2").exported_by == "reader"


def test_maintainers_do_everything_and_screens_can_ask_first(shared: Path) -> None:
    boss = as_user(shared, ME)
    boss.save(boss.require(Arrangement, "TW-SWE-0001").replace(title="Changed by the maintainer"), "test")
    nor = as_user(shared, "nor-fp").access()
    swe_record = boss.require(Arrangement, "TW-SWE-0001")
    assert nor.can_edit(boss.require(Arrangement, "TW-NOR-0001")) and not nor.can_edit(swe_record)
    assert not nor.can_edit(boss.children(Partner, "TW-SWE-0001")[0])
    assert nor.can_edit(arrangement("NOR")) and not nor.can_edit(arrangement("SWE"))
    assert nor.describe() == "nor-fp: focal point for NOR" and not nor.read_only and not nor.can_manage
    assert as_user(shared, "swe-fp").access().states == ("SWE",)


def test_a_shared_store_cannot_fall_back_to_single_user_mode(shared: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    nor = as_user(shared, "nor-fp")
    # TWINTUI_ACCESS pointing at a file of one's own is ignored: the store recorded its access file.
    own = tmp_path / "mine.toml"
    own.write_text('maintainers = ["nor-fp"]\n')
    monkeypatch.setenv(policy.ENV, str(own))
    with pytest.raises(AccessError, match="does not answer for SWE"):
        nor.save(nor.require(Arrangement, "TW-SWE-0001").replace(title="x"), "test")
    assert any("TWINTUI_ACCESS is ignored" in w for w in check_store(shared).warnings)
    monkeypatch.delenv(policy.ENV)
    # A deleted access file refuses every change instead of opening everything up.
    policy.default_path(shared).unlink()
    with pytest.raises(AccessError, match="access file .* is missing"):
        as_user(shared, ME).save(arrangement("NOR"), "test")
    assert not check_store(shared).ok


def test_identity_comes_from_the_operating_system(monkeypatch: pytest.MonkeyPatch, store_path: Path) -> None:
    for name in ("USER", "LOGNAME", "TWINTUI_USER"):
        monkeypatch.setenv(name, "somebody-else")
    assert Store.open(store_path).user == ME
    assert Store.open(store_path).access().user == ME
