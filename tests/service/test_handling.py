"""What the service holds for a caller between two requests (``handling.Held``): theirs alone, bounded, for a while."""

from __future__ import annotations

import pytest

from twintui.core.errors import NotFoundError
from twintui.service import handling
from twintui.service.handling import Held


def test_a_token_is_its_owners_alone_and_taken_once() -> None:
    held: Held[str] = Held("import preview", most=4, total=10)
    token = held.hold("nor", "preview of NOR")
    with pytest.raises(NotFoundError, match="the store service holds no such import preview for swe"):
        held.take("swe", token)
    assert held.take("nor", token) == "preview of NOR"
    with pytest.raises(NotFoundError, match="it keeps one for 15 minutes, never across a restart"):
        held.take("nor", token)
    for wrong in (None, 7, ["x"], ""):
        with pytest.raises(NotFoundError):
            held.take("nor", wrong)


def test_the_oldest_goes_first_past_what_one_owner_and_all_may_hold() -> None:
    held: Held[bytes] = Held("returned file", most=2, total=3, weight=len, heaviest=10)
    first, second = held.hold("nor", b"1"), held.hold("nor", b"2")
    third = held.hold("nor", b"3")  # nor's third: nor's first goes
    with pytest.raises(NotFoundError):
        held.take("nor", first)
    swe = held.hold("swe", b"s")
    held.hold("can", b"c")  # the fourth in all: the oldest of anyone's (nor's second) goes
    with pytest.raises(NotFoundError):
        held.take("nor", second)
    assert held.take("nor", third) == b"3" and held.take("swe", swe) == b"s"
    light = held.hold("swe", b"x" * 9)  # 9 and can's 1: 10, as much as may be held
    assert len(held) == 2
    heavy = held.hold("swe", b"y" * 10)  # 10 more: the oldest go until it fits
    assert len(held) == 1 and held.take("swe", heavy) == b"y" * 10
    with pytest.raises(NotFoundError):
        held.take("swe", light)


def test_what_is_held_is_dropped_when_its_time_is_up(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(handling.time, "monotonic", lambda: now[0])
    held: Held[str] = Held("import preview", most=4, total=10, seconds=60)
    token = held.hold("nor", "preview")
    now[0] += 59
    assert len(held) == 1
    now[0] += 2
    assert len(held) == 0
    with pytest.raises(NotFoundError):
        held.take("nor", token)
