"""The progress gauges as text: a sparkline of the quarterly values and a bar toward the target."""

from __future__ import annotations

import pytest

from twintui.core.progress.gauge import BAR_EMPTY, bar, sparkline, toward


def test_a_sparkline_spans_the_baseline_to_the_target() -> None:
    # Scale 0..8 over the eight blocks ▁▂▃▄▅▆▇█ (0 to 7): 0 → ▁, 8 → █, 4 → 4/8 × 7 = 3.5 → 4: ▅.
    assert sparkline([0, 4, 8], low=0, high=8) == "▁▅█"
    # Values beyond the scale widen it: the baseline 3 and target 8, the values 4, 4, 5, 5 (the demo's
    # off-track objective) sit low: (4−3)/5 × 7 = 1.4 → ▂, (5−3)/5 × 7 = 2.8 → ▄.
    assert sparkline([4, 4, 5, 5], low=3, high=8) == "▂▂▄▄"
    assert sparkline([130], low=0, high=120) == "█"  # past the target: the top block
    assert sparkline([-5, 10], low=0, high=10) == "▁█"  # below the baseline widens the scale down


def test_a_sparkline_without_scale_or_range() -> None:
    assert sparkline([]) == ""
    assert sparkline([2, 2, 2]) == "▄▄▄"  # flat, nothing to scale by: the middle
    assert sparkline([1, 3]) == "▁█"  # the values' own range


def test_toward_the_target_rising_and_falling() -> None:
    assert toward(5, 3, 8) == pytest.approx(0.4)
    assert toward(130, 0, 120) == 1.0  # past it: done
    assert toward(-1, 0, 10) == 0.0  # below the baseline: nothing yet
    assert toward(30, 50, 10) == pytest.approx(0.5)  # falling: 50 → 10, at 30 half way
    assert toward(5, 5, 5) is None  # no distance to go: no share


def test_a_bar_fills_in_eighths() -> None:
    assert bar(0.0, 10) == BAR_EMPTY * 10
    assert bar(1.0, 10) == "█" * 10
    assert bar(0.4, 10) == "████" + BAR_EMPTY * 6
    # 0.45 × 10 = 4.5 cells: four full and a half block (4 eighths).
    assert bar(0.45, 10) == "████▌" + BAR_EMPTY * 5
    assert len(bar(0.123, 7)) == 7
    assert bar(None, 6) == BAR_EMPTY * 6
    with pytest.raises(ValueError):
        bar(0.5, 0)
