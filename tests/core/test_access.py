"""Administering access (issue 8): the first grant, grants and revokes audited, the access file written."""

from __future__ import annotations

from pathlib import Path

import pytest

from twintui.core import access
from twintui.core.check import check_store
from twintui.core.errors import AccessError
from twintui.core.store import Store, policy

from .sharing import ME, arrangement, as_user

def test_only_the_owner_grants_the_first_maintainer_and_it_must_be_a_maintainer(store: Store) -> None:
    before = store.path.read_bytes()
    with pytest.raises(AccessError, match="single-user mode: the first grant must make a maintainer"):
        access.grant(store, "nor-fp", policy.FOCAL_POINT, ["NOR"])
    with pytest.raises(AccessError, match="only the owner of .* or root may grant the first maintainer"):
        access.grant(as_user(store.path, "mallory"), "mallory", policy.MAINTAINER)
    assert store.path.read_bytes() == before and not policy.default_path(store.path).exists()
    access.grant(store, "amina", policy.MAINTAINER)
    assert policy.load(policy.default_path(store.path)).maintainers == ["amina"]
    assert as_user(store.path, "amina").access().can_manage


def test_grants_and_revokes_are_audited_and_the_last_maintainer_stays(shared: Path) -> None:
    boss = as_user(shared, ME)
    with pytest.raises(AccessError, match="only maintainers"):
        access.grant(as_user(shared, "nor-fp"), "nor-fp", policy.MAINTAINER)
    with pytest.raises(AccessError, match="last maintainer"):
        access.revoke(boss, ME)
    access.revoke(boss, "nor-fp")
    with pytest.raises(AccessError, match="not in the access file"):
        as_user(shared, "nor-fp").save(arrangement("NOR"), "test")
    grants = [(e.action, e.record, e.changes["role"]) for e in boss.history("access", children=True)]
    assert grants[-1] == ("revoke", "access/nor-fp", ["focal point", None])
    assert ("grant", "access/swe-fp", [None, "focal point"]) in grants


def test_an_access_file_others_can_write_is_warned_about(shared: Path) -> None:
    path = policy.default_path(shared)
    assert path.stat().st_mode & 0o777 == 0o640
    path.chmod(0o660)
    assert any("could make themselves a maintainer" in w for w in check_store(shared).warnings)


def test_twintui_access_places_the_file_before_the_first_grant(store: Store, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "etc" / "access.toml"
    monkeypatch.setenv(policy.ENV, str(elsewhere))
    access.grant(store, "amina", policy.MAINTAINER)
    assert policy.load(elsewhere).maintainers == ["amina"]
    assert store.storage.header[policy.HEADER_KEY] == str(elsewhere)
