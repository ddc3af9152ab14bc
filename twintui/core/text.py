"""Small text rules shared by the core, the command line and the screens.

``printable`` is how any value from the data reaches a terminal: the store and the
returns hold text typed by other people (a focal point's workbook, a partner's
name), and a control character in it would be executed by the reader's terminal
(``ESC[2K ESC[1A`` erases the line above: a change the maintainer never sees).
Bidirectional overrides reorder what is shown (a "Trojan Source" line). So every
such character is shown as a visible escape instead, and nothing else changes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_hidden(char: str) -> bool:
    """Whether a character acts on the terminal instead of showing: C0, DEL, C1 or a bidi control."""
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or char in BIDI_CONTROLS


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` safe to print: each control character becomes a visible ``\\x1b``-style escape.

    With ``keep_newlines`` a newline (and a tab) stays as it is, for multi-line values.
    """
    if not any(is_hidden(c) for c in text):
        return text
    kept = "\n\t" if keep_newlines else ""
    return "".join(c if c in kept or not is_hidden(c) else _escape(c) for c in text)


def hidden_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The names of the control characters in ``text`` (tab and newline allowed when ``multiline``)."""
    allowed = "\n\t\r" if multiline else ""
    found: list[str] = []
    for char in text:
        if is_hidden(char) and char not in allowed:
            name = unicodedata.name(char, "")  # C0 and C1 controls have none
            label = f"{name} ({_escape(char)})" if name else _escape(char)
            if label not in found:
                found.append(label)
    return found


_SPACES = re.compile(r"\s+")


def clip(text: str, width: int) -> str:
    """``text`` on one line in at most ``width`` characters, an ellipsis where it was cut."""
    line = _SPACES.sub(" ", text).strip()
    if width <= 0:
        return ""
    return line if len(line) <= width else line[: max(width - 1, 0)].rstrip() + "…"


def quoted(value: object, width: int = 60) -> str:
    """A value as a message quotes it: on one line, clipped, control characters escaped, in quotes.

    Messages put their reason first and the value after it, so a 5,000-character cell
    can never push the reason off the line.
    """
    return f"'{printable(clip(str(value), width))}'"


def when(stamp: str) -> str:
    """A store timestamp (ISO, UTC) as a reader wants it: '2026-05-01 10:20 UTC'."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return moment.strftime("%Y-%m-%d %H:%M") + (" UTC" if moment.utcoffset() == dt.timedelta(0) else "")


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 arrangement``, ``2 arrangements``, ``10,000 arrangements`` (``many`` for irregular plurals)."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


_WORDS = re.compile(r"[^\W_]+")


def name_key(name: str) -> str:
    """What a name is found and told apart by: case, spacing and punctuation aside.

    "Romania: partner for a first resettlement programme" and "romania partner for a
    first resettlement programme" are one name. A name of punctuation only keeps its
    characters (case and spacing aside), so it still differs from an empty one.
    """
    words = _WORDS.findall(name.casefold())
    return " ".join(words) if words else _SPACES.sub(" ", name).strip().casefold()


def spacing_key(text: str) -> str:
    """What a MoU's party and role names are matched by: case and spacing aside, punctuation kept.

    Not ``name_key``: a role is matched to a party by one name containing the other, and
    dropping punctuation there would make names match that match nowhere today.
    """
    return " ".join(text.casefold().split())


# -- text in documents and spreadsheets that other programs open ------------------------------------

# What makes a spreadsheet take a cell's text for a formula (or, with \t and \r, shift it).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(cell: object, value: object) -> object:
    """An openpyxl cell that holds ``value`` as typed: a text such as ``=HYPERLINK(…)`` is a string, never a
    live formula, and one that starts like a formula gets the quote prefix, so Excel and LibreOffice keep it
    text when the cell is edited. Returns the cell."""
    cell.value = value  # type: ignore[attr-defined]
    if isinstance(value, str):
        cell.data_type = "s"  # type: ignore[attr-defined]
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True  # type: ignore[attr-defined]
    return cell


# Characters that start Markdown (or raw HTML) anywhere in a line; and what starts a heading, quote,
# list or heading underline at the start of a line.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(?:([#>=])|([+-])(?=\s|$)|(\d+)([.)])(?=\s|$))")


def _line_start(match: re.Match[str]) -> str:
    indent, block, bullet, number, dot = match.groups()
    if number:
        return f"{indent}{number}\\{dot}"
    return f"{indent}\\{block or bullet}"


def markdown(value: object) -> str:
    """Data shown as text in a Markdown document, in a table cell or outside one: raw HTML and
    Markdown are escaped, so a title ``<script>…`` or a line ``# Not a heading`` reads as typed; line
    breaks become ``<br>``, so no line of the value starts a heading, a list, a quote or a table row."""
    text = "" if value is None else str(value)
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(_MARKDOWN_LINE_START.sub(_line_start, line) for line in lines)
