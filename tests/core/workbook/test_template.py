"""The blank template: the committed file in sheets/ is exactly what the code makes, and has the layout of SPEC §3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from twintui.cli import main
from twintui.core.workbook import write_template
from twintui.core.workbook.layout import LAYOUTS, PROPERTY_EXPORT_ID, PROPERTY_VERSION, SHEET_ORDER, TEMPLATE_VERSION

COMMITTED = Path(__file__).resolve().parents[3] / "sheets" / "twintui-quarterly-return.xlsx"


def describe(path: Path) -> dict[str, Any]:
    """Everything a user or another program sees in a workbook, sheet by sheet."""
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    sheets = {}
    for sheet in workbook.worksheets:
        sheets[sheet.title] = {
            "state": sheet.sheet_state,
            "freeze": sheet.freeze_panes,
            "protection": {k: getattr(sheet.protection, k) for k in (
                "sheet", "formatColumns", "formatRows", "insertRows", "deleteRows", "sort", "autoFilter")},
            "columns": {k: (d.width, d.protection.locked, d.number_format) for k, d in sheet.column_dimensions.items()},
            "validations": sorted((str(v.sqref), v.type, v.formula1, v.formula2, v.errorStyle, v.allow_blank,
                                   v.showErrorMessage, v.prompt) for v in sheet.data_validations.dataValidation),
            "cells": {c.coordinate: (c.value, c.data_type, c.number_format, c.protection.locked, c.font.b)
                      for row in sheet.iter_rows() for c in row if c.value is not None},
        }
    props = workbook.properties
    return {
        "order": workbook.sheetnames,
        "sheets": sheets,
        "names": {name: d.attr_text for name, d in workbook.defined_names.items()},
        "custom": {p.name: p.value for p in workbook.custom_doc_props.props},
        "core": (props.creator, props.lastModifiedBy, props.created, props.modified, props.title, props.subject),
    }


def test_the_committed_template_is_what_the_code_makes(tmp_path: Path) -> None:
    assert COMMITTED.exists(), "run: twintui template -o sheets/twintui-quarterly-return.xlsx"
    made = describe(write_template(tmp_path / "template.xlsx"))
    shipped = describe(COMMITTED)
    assert shipped["order"] == made["order"]
    for name in made["order"]:
        for part in ("state", "freeze", "protection", "columns", "validations"):
            assert shipped["sheets"][name][part] == made["sheets"][name][part], (name, part)
        shipped_cells, made_cells = shipped["sheets"][name]["cells"], made["sheets"][name]["cells"]
        for coordinate in sorted(set(shipped_cells) | set(made_cells)):
            assert shipped_cells.get(coordinate) == made_cells.get(coordinate), f"{name}!{coordinate}"
    assert shipped["names"] == made["names"]
    assert shipped["custom"] == made["custom"]
    assert shipped["core"] == made["core"]


def test_the_template_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    first = write_template(tmp_path / "a.xlsx").read_bytes()
    assert write_template(tmp_path / "b.xlsx").read_bytes() == first


def test_template_command_writes_it(tmp_path: Path) -> None:
    assert main(["template", "-o", str(tmp_path / "t.xlsx")]) == 0
    assert describe(tmp_path / "t.xlsx") == describe(write_template(tmp_path / "u.xlsx"))


def test_the_layout_of_spec_3(tmp_path: Path) -> None:
    info = describe(write_template(tmp_path / "t.xlsx"))
    assert info["order"] == list(SHEET_ORDER)
    sheets = info["sheets"]
    assert sheets["_meta"]["state"] == "hidden"
    assert info["custom"][PROPERTY_VERSION] == str(TEMPLATE_VERSION)
    assert info["custom"][PROPERTY_EXPORT_ID] in ("", None)  # a blank template is no export
    assert info["core"][0] == "twintui" and info["core"][2] == info["core"][3]  # fixed creator and times
    for name, sheet_layout in LAYOUTS.items():
        sheet = sheets[name]
        assert sheet["freeze"] == "A3"
        assert sheet["protection"]["sheet"] is True
        assert sheet["protection"]["insertRows"] is False and sheet["protection"]["sort"] is False
        for number, column in enumerate(sheet_layout.columns, start=1):
            from openpyxl.utils import get_column_letter

            letter = get_column_letter(number)
            assert sheet["cells"][f"{letter}1"][0] == column.header
            assert sheet["cells"][f"{letter}2"][0] == column.hxl
            width, locked, number_format = sheet["columns"][letter]
            assert width == column.width
            assert locked is column.locked, (name, column.header)
            if column.kind == "date":
                assert number_format == "yyyy-mm-dd"
            if column.key == "id":
                assert number_format == "@" and locked  # ids are text, filled by twintui
    register = sheets["Register"]
    lists = {v[2] for v in register["validations"] if v[1] == "list"}
    assert {"list_status", "list_activity_types", "list_areas", "list_yes_no"} <= lists
    assert info["names"]["list_status"] == "Lists!$A$2:$A$6"
    assert [sheets["Lists"]["cells"][f"A{n}"][0] for n in range(2, 7)] == [
        "planned", "active", "completed", "suspended", "cancelled"]
    status = next(v for v in register["validations"] if v[2] == "list_status")
    assert status[0] == "E3:E1048576" and status[4] == "stop" and status[6] is True
    meta = sheets["_meta"]["cells"]
    assert (meta["A2"][0], meta["B2"][0]) == ("app", "twintui")
    assert (meta["A3"][0], meta["B3"][0]) == ("template_version", str(TEMPLATE_VERSION))


@pytest.mark.parametrize("name", ["Register", "Partners", "Risks"])
def test_data_columns_are_editable_and_id_columns_locked(tmp_path: Path, name: str) -> None:
    columns = describe(write_template(tmp_path / "t.xlsx"))["sheets"][name]["columns"]
    locked = [letter for letter, (_, is_locked, _) in columns.items() if is_locked]
    # Register: Record ID and Revision; Partners and Risks: their own ID and Revision (the Record ID
    # link stays open for new rows, and is locked cell by cell on exported rows).
    assert locked == ["A", "B"] if name == "Register" else locked == ["C", "D"]
