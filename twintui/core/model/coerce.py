"""Turn what people and spreadsheets type into typed values.

Every parser takes whatever a form field, an Excel cell (openpyxl, calamine,
LibreOffice, Google Sheets) or a JSON document holds and returns the typed
value, or raises ``ValueError`` with a message a user can act on. Blank input
(None, '', whitespace) is ``None`` for every parser except text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..text import quoted
from .vocab import canonical

# Excel's day zero (its 1900 leap-year bug makes serials from 61 on count from here).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EPOCH_1904 = dt.date(1904, 1, 1)  # Excel for Mac's old date system (workbookPr date1904)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_QUARTER = re.compile(r"^\s*(\d{4})\s*[-/ ]?\s*q\s*([1-4])\s*$", re.I)
_QUARTER_REVERSED = re.compile(r"^\s*q\s*([1-4])\s*[-/ ]?\s*(\d{4})\s*$", re.I)
_EMAIL = re.compile(r"^[^@\s<>(),;:]+@[^@\s<>(),;:]+\.[A-Za-z]{2,}$")
_TRUE = {"yes", "y", "true", "1", "=true()", "true()", "x", "✓"}
_FALSE = {"no", "n", "false", "0", "=false()", "false()"}
LIST_SEPARATORS = re.compile(r"\s*[;\n]\s*")
# The largest number a field takes: above any funding amount in any currency, and every whole
# number up to it is exact in a float. 1.7e308 would parse, and make a report's totals 'inf'.
MAX_NUMBER = 10.0**15


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    """Text as typed, trimmed; spreadsheet numbers 12.0 read back as '12'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def date(value: Any) -> dt.date | None:
    """A date from a date, datetime, Excel serial number or ISO / day-first text."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a date")
    if isinstance(value, (int, float)):
        return _from_serial(float(value))
    raw = str(value).strip()
    if re.fullmatch(r"\d+(\.0+)?", raw):
        return _from_serial(float(raw))
    if _ISO_DATE.fullmatch(raw):
        # What strptime's %Y-%m-%d reads, read without it (strptime loads its locale machinery: ~13 ms).
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass  # 2026-02-30: no pattern below reads it either, and the message is theirs
    for pattern in ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(raw).date()
    except ValueError:
        pass
    raise ValueError(f"{quoted(raw)} is not a date; write it as 2026-07-31 or 31/07/2026")


def _from_serial(serial: float) -> dt.date:
    if not 1 <= serial < 2958466:  # 1900-01-01 .. 9999-12-31
        raise ValueError(f"{serial:g} is not a date")
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def date_1904(serial: float) -> dt.date:
    """The date of a serial number in a 1904-date-system workbook (day 0 is 1904-01-01)."""
    if not 0 <= serial < 2957003:  # 1904-01-01 .. 9999-12-31
        raise ValueError(f"{serial:g} is not a date")
    return _EPOCH_1904 + dt.timedelta(days=int(serial))


def boolean(value: Any) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    raw = str(value).strip().casefold()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ValueError(f"{quoted(text(value))} is not yes or no")


def number(value: Any) -> float | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, (int, float)):
        result = float(value)
    else:
        raw = str(value).strip().replace("\u00a0", "").replace(" ", "")
        # 1,500,000.50 and 1.500.000,50 both appear in returns; an amount never
        # has three decimals, so a single separator before three digits groups.
        if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", raw):
            raw = raw.replace(",", "")
        elif re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+(,\d+)?", raw):
            raw = raw.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"[-+]?\d+,\d{1,2}", raw):
            raw = raw.replace(",", ".")
        try:
            result = float(raw)
        except ValueError:
            raise ValueError(f"{quoted(text(value))} is not a number") from None
    if not math.isfinite(result):
        raise ValueError(f"{quoted(text(value))} is not a finite number")
    if abs(result) > MAX_NUMBER:
        raise ValueError(f"{quoted(text(value))} is too large: a number here is at most {MAX_NUMBER:,.0f}")
    return result


def whole(value: Any) -> int | None:
    """A whole number; spreadsheets send 3 as 3.0, which is fine, 3.5 is not."""
    result = number(value)
    if result is None:
        return None
    if not result.is_integer():
        raise ValueError(f"{quoted(text(value))} is not a whole number")
    return int(result)


def quarter(value: Any) -> str | None:
    """A reporting quarter as YYYY-Qn (accepts 2026Q3, 2026 q3, Q3 2026)."""
    if is_blank(value):
        return None
    raw = text(value)
    if match := _QUARTER.match(raw):
        return f"{match[1]}-Q{match[2]}"
    if match := _QUARTER_REVERSED.match(raw):
        return f"{match[2]}-Q{match[1]}"
    raise ValueError(f"{quoted(raw)} is not a quarter; write it as 2026-Q3")


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(value: str) -> tuple[dt.date, dt.date]:
    """First and last day of a YYYY-Qn quarter."""
    year, q = int(value[:4]), int(value[-1])
    first = dt.date(year, 3 * q - 2, 1)
    last = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
    return first, last


def email(value: Any) -> str | None:
    if is_blank(value):
        return None
    raw = text(value)
    if raw.casefold().startswith("mailto:"):
        raw = raw[7:]
    if not _EMAIL.match(raw):
        raise ValueError(f"{quoted(raw)} does not look like an e-mail address")
    return raw


def choice(value: Any, vocabulary: tuple[str, ...]) -> str | None:
    if is_blank(value):
        return None
    raw = text(value)
    found = canonical(raw, vocabulary)
    if found is None:
        raise ValueError(f"{quoted(raw)} is not one of: {', '.join(vocabulary)}")
    return found


def choices(value: Any, vocabulary: tuple[str, ...]) -> list[str]:
    """A '; '-separated list (or a list) of vocabulary entries, in the order given, without repeats."""
    if is_blank(value):
        return []
    items: Iterable[Any] = value if isinstance(value, (list, tuple)) else LIST_SEPARATORS.split(text(value))
    found: list[str] = []
    unknown: list[str] = []
    for item in items:
        if is_blank(item):
            continue
        entry = canonical(text(item), vocabulary)
        if entry is None:
            unknown.append(text(item))
        elif entry not in found:
            found.append(entry)
    if unknown:
        raise ValueError(
            f"{quoted(', '.join(unknown))} not in the list; use entries from the Lists sheet, separated by '; '"
        )
    return found


@lru_cache(maxsize=4096)
def country(value: str) -> str:
    """ISO 3166-1 alpha-3 code of a country name or code ('Norway', 'norway ', 'NO', 'nor')."""
    import pycountry  # loads its JSON on first use; keep it off the start-up path

    raw = " ".join(str(value).split())
    if not raw:
        raise ValueError("a country is required")
    try:
        found = pycountry.countries.lookup(raw)
    except LookupError:
        import difflib

        names = {getattr(c, "common_name", c.name).casefold(): c for c in pycountry.countries}
        names.update({c.name.casefold(): c for c in pycountry.countries})
        close = difflib.get_close_matches(raw.casefold(), list(names), n=1, cutoff=0.75)
        hint = f"; did you mean {names[close[0]].name} ({names[close[0]].alpha_3})?" if close else ""
        raise ValueError(f"{quoted(raw)} is not a country name or ISO 3166 code{hint}") from None
    return found.alpha_3


def country_code(value: Any) -> str | None:
    if is_blank(value):
        return None
    return country(text(value))


def country_name(code: str) -> str:
    import pycountry

    found = pycountry.countries.get(alpha_3=code)
    return getattr(found, "common_name", None) or (found.name if found else code)


@lru_cache(maxsize=512)
def country_words(code: str) -> str:
    """A country's code and names, for a search to find it by any of them ("CZE Czechia Czech Republic")."""
    if not code:
        return ""
    import pycountry

    found = pycountry.countries.get(alpha_3=code)
    if found is None:
        return code
    names = [code, found.name, getattr(found, "common_name", ""), getattr(found, "official_name", "")]
    return " ".join(dict.fromkeys(name for name in names if name))


@lru_cache(maxsize=512)
def _currency(raw: str) -> str:
    import pycountry

    found = pycountry.currencies.get(alpha_3=raw.upper())
    if found is None:
        try:
            found = pycountry.currencies.lookup(raw)
        except LookupError:
            raise ValueError(f"{quoted(raw)} is not an ISO 4217 currency code (e.g. EUR, NOK, USD)") from None
    return found.alpha_3


def currency(value: Any) -> str | None:
    if is_blank(value):
        return None
    raw = text(value)
    symbols = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY"}
    return _currency(symbols.get(raw, raw))
