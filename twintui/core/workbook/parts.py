"""What python-calamine does not tell about a returned workbook, read from its XML parts.

python-calamine gives each cell's cached value and nothing else: a formula without a
calculated value reads as an empty cell, and so does an error value (``#DIV/0!``).
An import that took those for what the focal point meant would clear fields. So the
parts are read here (with defusedxml) for what the import must know:

- which part holds which sheet (``xl/_rels/workbook.xml.rels``), to name the sheet,
  never ``xl/worksheets/sheet2.xml``, in a refusal;
- the date system (``workbookPr date1904``): a bare serial number in a 1904 workbook
  counts from 1904-01-01, four years and a day later than in a 1900 one;
- whether the writer asked for every formula to be recalculated on opening
  (``calcPr fullCalcOnLoad``). openpyxl writes formulas without a value and xlsxwriter
  with a placeholder 0 unless told otherwise, and both set that flag: their cached values
  are not calculated ones. (xlsxwriter's ``docProps/app.xml`` names "Microsoft Excel", so
  the application property cannot tell it from Excel; the flag can.) Excel and
  LibreOffice calculate before saving and do not set it. A LibreOffice re-save keeps
  the placeholder of an xlsxwriter file as if calculated (it does not recalculate on
  load by default): that case cannot be told from a real 0;
- the formula and error cells of a data sheet, parsed only when the streaming scan of
  the part saw a formula or an error value in it;
- the custom document properties (the export id is kept there as well as in _meta).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

# A formula element or an error-typed cell: the streaming scan flags the part for a full parse.
FORMULA_OR_ERROR = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?f[\s>/]|\st="e"')
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


@dataclass(frozen=True, slots=True)
class FormulaCell:
    """A cell that holds a formula or an error value, as written in the sheet's XML."""

    formula: str | None  # the formula without '=' ('' for a shared one); None for an error typed as a value
    error: str  # the error value ('#DIV/0!'), or ''
    calculated: bool  # whether the file carries a value a spreadsheet calculated

    def describe(self) -> str:
        if self.formula is None:
            return self.error
        return f"={self.formula}" if self.formula else "a shared formula"


@dataclass(frozen=True, slots=True)
class WorkbookParts:
    """What workbook.xml and its relationships say."""

    sheet_parts: dict[str, str]  # part name (xl/worksheets/sheet2.xml) -> sheet name (Register)
    date1904: bool
    recalculate: bool  # calcPr fullCalcOnLoad: the writer's cached formula values are placeholders

    def sheet_of(self, part: str) -> str:
        return self.sheet_parts.get(part, "")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attribute(element: Any, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace (r:id, Strict OOXML's prefixes)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


def _true(value: str | None) -> bool:
    return (value or "").strip().casefold() in ("1", "true", "on")


def workbook_parts(workbook_xml: bytes, rels_xml: bytes | None) -> tuple[list[str], WorkbookParts]:
    """(sheet names in order, WorkbookParts) from workbook.xml and its .rels (raises on bad XML)."""
    from defusedxml import ElementTree

    root = ElementTree.fromstring(workbook_xml)
    targets: dict[str, str] = {}
    if rels_xml:
        for rel in ElementTree.fromstring(rels_xml).iter():
            if _local(rel.tag) == "Relationship" and rel.get("Id") and rel.get("Target"):
                target = rel.get("Target", "")
                # Targets are relative to xl/, or absolute from the package root.
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                targets[rel.get("Id", "")] = part
    names: list[str] = []
    parts: dict[str, str] = {}
    date1904 = recalculate = False
    for element in root.iter():
        tag = _local(element.tag)
        if tag == "sheet":
            name = element.get("name", "")
            names.append(name)
            rid = _attribute(element, "id")
            if rid and rid in targets:
                parts[targets[rid]] = name
        elif tag == "workbookPr":
            date1904 = _true(element.get("date1904"))
        elif tag == "calcPr":
            recalculate = _true(element.get("fullCalcOnLoad"))
    return names, WorkbookParts(parts, date1904, recalculate)


def custom_properties(xml: bytes) -> dict[str, str]:
    """The custom document properties as text (LibreOffice turns numbers into floats; we keep strings)."""
    from defusedxml import ElementTree

    found: dict[str, str] = {}
    for prop in ElementTree.fromstring(xml):
        if _local(prop.tag) == "property" and prop.get("name"):
            found[prop.get("name", "")] = "".join(prop.itertext()).strip()
    return found


def _column_index(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


def formula_cells(open_part: Callable[[], Any], recalculate: bool) -> dict[tuple[int, int], FormulaCell]:
    """(row number, zero-based column) -> FormulaCell for every formula or error cell of a sheet part.

    A cached value counts as calculated when there is one (``<v>`` with text, or a
    string result ``t="str"`` that may be empty) and the writer did not ask for a
    recalculation on load.
    """
    from defusedxml import ElementTree

    found: dict[tuple[int, int], FormulaCell] = {}
    row_number, column = 0, -1
    with open_part() as handle:
        for event, element in ElementTree.iterparse(handle, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if tag == "row":
                    row_number = int(element.get("r") or row_number + 1)
                    column = -1
                continue
            if tag != "c":
                if tag == "row":
                    element.clear()
                continue
            match = _CELL_REF.match(element.get("r") or "")
            if match:
                column, row_number = _column_index(match[1]), int(match[2])
            else:
                column += 1
            kind = element.get("t") or "n"
            formula = value = None
            for child in element:
                name = _local(child.tag)
                if name == "f":
                    formula = child.text or ""
                elif name == "v":
                    value = child.text or ""
            if formula is not None or kind == "e":
                error = (value or "").strip() if kind == "e" else ""
                has_value = bool(value) or (value is not None and kind == "str")
                found[(row_number, column)] = FormulaCell(
                    formula.strip() if formula is not None else None, error,
                    has_value and not recalculate and not error)
            element.clear()
    return found


def sheet_parts_to_parse(archive: zipfile.ZipFile, parts: WorkbookParts, sheets: set[str],
                         flagged: set[str]) -> Iterator[tuple[str, str]]:
    """(sheet name, part name) of the wanted sheets whose part the scan flagged."""
    for part, name in parts.sheet_parts.items():
        if name in sheets and part in flagged and part in archive.NameToInfo:
            yield name, part
