"""The shared text rules: what reaches a terminal, clipping, plurals."""

from __future__ import annotations

from twintui.core.text import clip, hidden_characters, name_key, plural, printable, spacing_key, when


def test_control_and_bidi_characters_are_shown_as_escapes() -> None:
    assert printable("3,500,000\x1b[2K\x1b[1A") == "3,500,000\\x1b[2K\\x1b[1A"
    assert printable("abc\u202edef") == "abc\\u202edef"
    assert printable("\x85next") == "\\x85next"  # C1 NEL
    assert printable("line\nnext") == "line\\x0anext"
    assert printable("line\nnext\tcol", keep_newlines=True) == "line\nnext\tcol"
    assert printable("Ålesund — 5 €") == "Ålesund — 5 €"


def test_hidden_characters_are_named_once_each() -> None:
    assert hidden_characters("a\x1bb\x1b\u202e") == ["\\x1b", "RIGHT-TO-LEFT OVERRIDE (\\u202e)"]
    assert hidden_characters("two\nlines\tand a tab", multiline=True) == []
    assert hidden_characters("two\nlines") == ["\\x0a"]


def test_clip_and_plural() -> None:
    assert clip("General agreement\nfor cooperation", 20) == "General agreement f…"
    assert clip("short", 20) == "short"
    assert plural(1, "arrangement") == "1 arrangement"
    assert plural(2, "arrangement") == "2 arrangements"
    assert plural(0, "entry", "entries") == "0 entries"


def test_names_are_found_case_spacing_and_punctuation_aside() -> None:
    assert name_key("Romania: partner for a first  resettlement programme.") == \
        name_key("romania partner for a first resettlement programme")
    assert name_key("Partner-for 2027") == "partner for 2027"
    assert name_key("Ærø, Å") == "ærø å"  # letters of every script are words
    assert name_key("Norway") != name_key("Norway 2")
    assert name_key("—") == "—"  # a name of punctuation only still has a key


def test_the_two_name_rules_differ_by_punctuation_only() -> None:
    assert spacing_key("  Ministry of\tJustice ") == spacing_key("ministry of justice") == "ministry of justice"
    assert spacing_key("Ministry (Justice)") != spacing_key("Ministry Justice")
    assert name_key("Ministry (Justice)") == name_key("Ministry Justice")


def test_a_store_timestamp_is_read_to_the_minute_and_says_utc() -> None:
    assert when("2026-05-01T10:20:59+00:00") == "2026-05-01 10:20 UTC"
    assert when("2026-05-01T10:20:00+02:00") == "2026-05-01 10:20"  # not UTC: no zone claimed
    assert when("not a time") == "not a time"  # a damaged stamp is shown as it is, never an error
