"""The comparison in words: bars, `compare show`, the short verdict."""

from __future__ import annotations

import pytest

from twintui.core.compare import demo
from twintui.core.compare.wording import short_verdict, show_text, text_bar


def test_text_bar() -> None:
    assert text_bar(47.5) == "█████████▌          "
    assert text_bar(100) == "█" * 20
    assert text_bar(0) == " " * 20
    assert text_bar(None, width=5) == "     "
    assert text_bar(150, width=4) == "████"
    assert text_bar(12.5, width=1) == "▏"
    assert all(len(text_bar(t / 7)) == 20 for t in range(0, 701))
    with pytest.raises(ValueError, match="width"):
        text_bar(50, width=0)


def test_show_text_lists_matrix_totals_and_sensitivity() -> None:
    text = show_text(demo.demo_comparison())
    assert "* Netherlands" in text and "81.3" in text
    assert "Check: Sweden: not yet scored on must-have" in text
    assert "Verdict: fragile:" in text and "2.46" in text


def test_short_verdict_names_the_nearest_tipping_weight() -> None:
    text = short_verdict(demo.demo_comparison())
    assert text.startswith("Netherlands is first (81.3), 3.5 ahead of Sweden.")
    assert "5 → 2.46 puts Sweden first" in text


def test_the_short_verdict_keeps_a_long_or_broken_factor_name_on_one_line() -> None:
    c = demo.demo_comparison()
    c.rename_factor("Policy and procedures (dossier or mission based selection)",
                    "Policy\nand\tprocedures   (dossier or mission based selection)")
    text = short_verdict(c)
    assert "Fragile: 'Policy and procedures (dossier…' at weight 5" in text and "\n" not in text
