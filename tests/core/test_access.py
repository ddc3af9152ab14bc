"""Who may change what (issue 8): the access file, the rules in Store.commit, restore, the log's chain."""

from __future__ import annotations

from pathlib import Path

import pytest

from twintui.core import access
from twintui.core.check import check_store
from twintui.core.errors import AccessError
from twintui.core.model import Arrangement, Partner, Risk
from twintui.core.store import Store, backups

ME = Store.open.__globals__["current_user"]()  # the test process's own user: the store file's owner


def arrangement(state: str, title: str = "Exchange of selection officers") -> Arrangement:
    return Arrangement(reporting_state=state, title=title, status="planned")


@pytest.fixture
def shared(store_path: Path) -> Path:
    """A store with a NOR and a SWE arrangement (each with a partner), maintainer ME, two focal points, a reader."""
    owner = Store.open(store_path)
    for state in ("NOR", "SWE"):
        with owner.transaction("test") as tx:
            a = arrangement(state)
            tx.save(a)
            tx.save(Partner(name=f"{state} ministry", type="state", country=state, role="lead"), parent=a)
    access.grant(owner, ME, access.MAINTAINER)
    access.grant(owner, "nor-fp", access.FOCAL_POINT, ["NOR"])
    access.grant(owner, "swe-fp", access.FOCAL_POINT, ["Sweden"])
    access.grant(owner, "reader", access.READ_ONLY)
    return store_path


def as_user(path: Path, user: str) -> Store:
    return Store.open(path, user=user)


def test_without_an_access_file_the_store_is_single_user_and_says_so(store: Store) -> None:
    who = access.current(store)
    assert who.single_user and not who.read_only and who.can_edit(arrangement("SWE"))
    assert "single-user mode" in who.describe()
    assert "single-user mode" in check_store(store.path).access


def test_only_the_owner_grants_the_first_maintainer_and_it_must_be_a_maintainer(store: Store) -> None:
    before = store.path.read_bytes()
    with pytest.raises(AccessError, match="single-user mode: the first grant must make a maintainer"):
        access.grant(store, "nor-fp", access.FOCAL_POINT, ["NOR"])
    with pytest.raises(AccessError, match="only the owner of .* or root may grant the first maintainer"):
        access.grant(as_user(store.path, "mallory"), "mallory", access.MAINTAINER)
    assert store.path.read_bytes() == before and not access.default_path(store.path).exists()
    access.grant(store, "amina", access.MAINTAINER)
    assert access.load(access.default_path(store.path)).maintainers == ["amina"]
    assert access.current(as_user(store.path, "amina")).can_manage


def test_the_access_file_round_trips_and_bad_files_are_refused_clearly(tmp_path: Path) -> None:
    file = access.AccessFile(tmp_path / "a.toml").granted("amina", access.MAINTAINER) \
        .granted("o'brien", access.FOCAL_POINT, ["NOR", "SWE"]).granted("reader", access.READ_ONLY)
    file.path.write_text(file.dumps())
    again = access.load(file.path)
    assert again.users() == file.users() == [("amina", "maintainer", ()), ("o'brien", "focal point", ("NOR", "SWE")),
                                             ("reader", "read-only", ())]
    (tmp_path / "bad.toml").write_text("maintainers = amina\n")
    with pytest.raises(AccessError, match="not valid TOML"):
        access.load(tmp_path / "bad.toml")
    (tmp_path / "bad2.toml").write_text('[focal_points]\nx = ["Atlantis"]\n')
    with pytest.raises(AccessError, match="focal point x: 'Atlantis' is not a country"):
        access.load(tmp_path / "bad2.toml")


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
        lambda: nor.save(mine.replace(reporting_state="SWE"), "test"),  # moving it away
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
        assert access.current(other).read_only
        with pytest.raises(AccessError, match=reason):
            other.save(other.require(Arrangement, "TW-NOR-0001").replace(title="x"), "test")
        with pytest.raises(AccessError):
            access.grant(other, user, access.MAINTAINER)
    reader = as_user(shared, "reader")
    export_return(reader, "NOR", "2026-Q2", tmp_path / "nor.xlsx")
    assert reader.require(QuarterlyReturn, "NOR-2026-Q2").exported_by == "reader"


def test_maintainers_do_everything_and_screens_can_ask_first(shared: Path) -> None:
    boss = as_user(shared, ME)
    boss.save(boss.require(Arrangement, "TW-SWE-0001").replace(title="Changed by the maintainer"), "test")
    nor = access.current(as_user(shared, "nor-fp"))
    swe_record = boss.require(Arrangement, "TW-SWE-0001")
    assert nor.can_edit(boss.require(Arrangement, "TW-NOR-0001")) and not nor.can_edit(swe_record)
    assert not nor.can_edit(boss.children(Partner, "TW-SWE-0001")[0])
    assert nor.can_edit(arrangement("NOR")) and not nor.can_edit(arrangement("SWE"))
    assert nor.describe() == "nor-fp: focal point for NOR" and not nor.read_only and not nor.can_manage
    assert access.current(as_user(shared, "swe-fp")).states == ("SWE",)


def test_grants_and_revokes_are_audited_and_the_last_maintainer_stays(shared: Path) -> None:
    boss = as_user(shared, ME)
    with pytest.raises(AccessError, match="only maintainers"):
        access.grant(as_user(shared, "nor-fp"), "nor-fp", access.MAINTAINER)
    with pytest.raises(AccessError, match="last maintainer"):
        access.revoke(boss, ME)
    access.revoke(boss, "nor-fp")
    with pytest.raises(AccessError, match="not in the access file"):
        as_user(shared, "nor-fp").save(arrangement("NOR"), "test")
    grants = [(e.action, e.record, e.changes["role"]) for e in boss.history("access", children=True)]
    assert grants[-1] == ("revoke", "access/nor-fp", ["focal point", None])
    assert ("grant", "access/swe-fp", [None, "focal point"]) in grants


def test_a_shared_store_cannot_fall_back_to_single_user_mode(shared: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    nor = as_user(shared, "nor-fp")
    # TWINTUI_ACCESS pointing at a file of one's own is ignored: the store recorded its access file.
    own = tmp_path / "mine.toml"
    own.write_text('maintainers = ["nor-fp"]\n')
    monkeypatch.setenv(access.ENV, str(own))
    with pytest.raises(AccessError, match="does not answer for SWE"):
        nor.save(nor.require(Arrangement, "TW-SWE-0001").replace(title="x"), "test")
    assert any("TWINTUI_ACCESS is ignored" in w for w in check_store(shared).warnings)
    monkeypatch.delenv(access.ENV)
    # A deleted access file refuses every change instead of opening everything up.
    access.default_path(shared).unlink()
    with pytest.raises(AccessError, match="access file .* is missing"):
        as_user(shared, ME).save(arrangement("NOR"), "test")
    assert not check_store(shared).ok


def test_an_access_file_others_can_write_is_warned_about(shared: Path) -> None:
    path = access.default_path(shared)
    assert path.stat().st_mode & 0o777 == 0o640
    path.chmod(0o660)
    assert any("could make themselves a maintainer" in w for w in check_store(shared).warnings)


def test_twintui_access_places_the_file_before_the_first_grant(store: Store, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "etc" / "access.toml"
    monkeypatch.setenv(access.ENV, str(elsewhere))
    access.grant(store, "amina", access.MAINTAINER)
    assert access.load(elsewhere).maintainers == ["amina"]
    assert store.storage.header[access.HEADER_KEY] == str(elsewhere)


# -- restore -------------------------------------------------------------------------------------

def test_restore_shows_what_changes_keeps_a_backup_and_is_audited(store: Store) -> None:
    a = store.save(arrangement("NOR", "Kept"), "test")
    b = store.save(arrangement("NOR", "Will be deleted"), "test")
    backup = backups.make(store.path, "test")
    store.save(store.require(Arrangement, a.id).replace(title="Changed after the backup"), "test")
    store.delete(store.require(Arrangement, b.id), "test")
    c = store.save(arrangement("SWE", "Added after the backup"), "test")
    plan = store.restore_plan(backup.path)
    assert plan.added == {"arrangements": [b.id]} and plan.removed == {"arrangements": [c.id]}
    assert plan.changed == {"arrangements": [a.id]}
    assert plan.counts() == {"added": 1, "removed": 1, "changed": 1}
    result = store.restore(backup.path, expected=plan)
    assert store.require(Arrangement, a.id).title == "Kept" and store.get(Arrangement, c.id) is None
    assert store.require(Arrangement, a.id).rev == 3  # a new revision: open screens see a conflict
    assert result.safety_backup is not None and "before-restore" in result.safety_backup.name
    assert Store.open(result.safety_backup).get(Arrangement, c.id) is not None
    assert [e.action for e in store.history(a.id)][-1] == "restore"
    assert store.history()[-1].record == backup.path.name
    # Ids are never used twice: the counter does not go back with the backup.
    assert store.save(arrangement("SWE", "Next"), "test").id == "TW-SWE-0002"
    assert check_store(store.path).ok


def test_restore_is_for_maintainers_and_refuses_a_changed_store(shared: Path) -> None:
    boss = as_user(shared, ME)
    backup = backups.make(shared, "test")
    boss.save(boss.require(Arrangement, "TW-NOR-0001").replace(title="Later"), "test")
    plan = boss.restore_plan(backup.path)
    before = shared.read_bytes()
    with pytest.raises(AccessError, match="only maintainers"):
        as_user(shared, "nor-fp").restore(backup.path, expected=plan)
    boss.save(boss.require(Arrangement, "TW-SWE-0001").replace(title="Meanwhile"), "test")
    before = shared.read_bytes()
    with pytest.raises(Exception, match="changed since the restore was previewed"):
        boss.restore(backup.path, expected=plan)
    assert shared.read_bytes() == before


# -- the audit log ----------------------------------------------------------------------------------

def test_a_cut_or_altered_log_is_detected(shared: Path) -> None:
    log = shared.with_name(shared.stem + ".audit.jsonl")
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:-1]))  # cut
    assert not check_store(shared).ok
    at = next(n for n, line in enumerate(lines) if b"nor-fp" in line)
    log.write_bytes(b"".join(lines[:at]) + lines[at].replace(b"nor-fp", b"mallory") + b"".join(lines[at + 1:]))
    report = check_store(shared)
    assert any("edited" in e or "altered" in e for e in report.errors)
    log.write_bytes(b"".join(lines))
    assert check_store(shared).ok


def test_identity_comes_from_the_operating_system(monkeypatch: pytest.MonkeyPatch, store_path: Path) -> None:
    for name in ("USER", "LOGNAME", "TWINTUI_USER"):
        monkeypatch.setenv(name, "somebody-else")
    assert Store.open(store_path).user == ME
    assert access.current(Store.open(store_path)).user == ME
