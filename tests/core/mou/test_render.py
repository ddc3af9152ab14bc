"""Documents from the templates: Markdown, printable HTML and a DOCX that opens in LibreOffice."""

from __future__ import annotations

import datetime as dt
import html.parser
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import ClassVar

import pytest

from twintui.core import demo
from twintui.core.model import Arrangement, Partner
from twintui.core.mou import render, versions
from twintui.core.mou.model import Objective
from twintui.core.store import Store

TODAY = dt.date(2026, 11, 20)
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.open(tmp_path_factory.mktemp("render") / "register.json", user="focal.point")
    demo.fill(store)
    return store


@pytest.fixture(scope="module")
def norway_id(store: Store) -> str:
    return next(a.id for a in store.all(Arrangement) if a.reporting_state == "NOR")


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> versions.Document:
    """The Norway MoU fixed, agreed and signed, in a store of its own."""
    store = Store.open(tmp_path_factory.mktemp("signed") / "register.json", user="focal.point")
    demo.fill(store)
    arrangement = next(a for a in store.all(Arrangement) if a.reporting_state == "NOR")
    memo = versions.latest(store, arrangement.id)
    assert memo is not None
    s = memo.sections()
    s.objectives[-1] = Objective(text="Set up a network of municipal integration officers", indicator="meetings",
                                 target="8", due="2027-Q4", owner="UDI")
    s.learning = "Norway learns how civil society supports integration in Latin America."
    s.evaluation.dissemination = "Each state presents the findings to its national resettlement committee."
    memo = versions.save(store, memo, s)
    memo = versions.set_status(store, versions.set_status(store, memo, "agreed", TODAY), "signed", TODAY)
    return versions.load(store, arrangement.id, memo.version)


def test_the_draft_in_markdown(store: Store, norway_id: str) -> None:
    text = render.render_text(versions.load(store, norway_id), "md", TODAY)
    assert text.startswith("# General agreement for cooperation and exchange on the selection and integration")
    assert "**DRAFT**" in text and "Draft of 20 November 2026: not agreed" in text
    for number, title in (("1", "Title and partners"), ("2", "Introduction"), ("3", "Aims and objectives"),
                          ("4", "Roles and responsibilities"), ("5", "Implementation plan"), ("6", "Monitoring plan"),
                          ("7", "Funding arrangements"), ("8", "Review and evaluation"), ("9", "Risks")):
        assert f"\n## {number}. {title}\n" in text
    # Unanswered parts say so, and block nothing.
    assert "_To be completed: what each side expects to gain or learn (reciprocal learning)_" in text
    assert "**National dissemination.** _To be completed: how the findings will be disseminated nationally_" in text
    # Tables: the plan, the roles, the risks, with the weak objective's SMART letters.
    assert "| # | Activity | Who | Start | End | Milestone / outcome |" in text
    assert "| 4 | Staff exchange of municipal integration officers |" in text
    assert "| Partner | Person | Responsibility | Overall |" in text
    assert "| R-1 | Unexpected budget cuts in a partner state stop its selection mission | budget | 3×4 = 12 high |" \
        in text
    assert "| 3 | Improve cooperation |  |  |  |  | - - - R - |" in text
    assert "## Open points in this draft" in text and "Objective 3 is not yet SMART: Specific:" in text
    assert "Signatures" not in text
    assert "**Duration:** 1 January 2025 to 31 December 2027 (36 months)" in text


def test_the_signed_version_has_the_signature_block(signed: versions.Document) -> None:
    text = render.render_text(signed, "md", TODAY)
    assert "**SIGNED** · Signed on 20 November 2026" in text
    assert "## Signatures\n\nSigned on 20 November 2026." in text
    assert "**For Norwegian Directorate of Immigration (UDI)**  \nName and position: Ingrid Hansen" in text
    assert "**For Paraguay, National Commission for Refugees**  \nName and position: ____" in text
    assert text.count("Date: 20 November 2026") == 6
    assert "To be completed" not in text and "Open points" not in text and "SMART" not in text
    assert "DRAFT" not in text


def test_markdown_table_cells_keep_pipes_and_line_breaks(store: Store, norway_id: str) -> None:
    document = versions.load(store, norway_id)
    s = document.sections
    s.activities[0].what = "Seminar | Oslo\nday one"
    text = render.render_text(document.with_sections(s), "md", TODAY)
    assert "| 1 | Seminar \\| Oslo<br>day one |" in text


class _Checker(html.parser.HTMLParser):
    """Collects tags and checks that every opened element of these kinds is closed."""

    PAIRED: ClassVar[set[str]] = {
        "html", "head", "body", "table", "thead", "tbody", "tr", "td", "th", "section", "h1", "h2", "h3", "p", "ul",
        "li", "dl", "dt", "dd", "style", "footer", "header", "div", "span", "strong", "title"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.count: dict[str, int] = {}
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.count[tag] = self.count.get(tag, 0) + 1
        if tag in self.PAIRED:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.PAIRED:
            assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_printable_html_is_well_formed_escaped_and_has_print_css(store: Store, norway_id: str) -> None:
    document = versions.load(store, norway_id)
    partners = [*document.partners, Partner(name="<script>alert(1)</script> & Co", type="NGO")]
    page = render.render_text(versions.Document(document.memorandum, document.arrangement, partners,
                                                document.risks), "html", TODAY)
    checker = _Checker()
    checker.feed(page)
    assert checker.stack == []
    assert checker.count["table"] == 5  # partners, objectives, roles, plan, risks
    assert "@media print" in page and "@page" in page and "break-inside: avoid" in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    text = " ".join(checker.text)
    assert "To be completed: how the findings will be disseminated nationally" in text
    assert 'class="signatures"' not in page


def test_the_signed_html_has_signature_lines(signed: versions.Document) -> None:
    page = render.render_text(signed, "html", TODAY)
    assert 'class="signatures"' in page and page.count('class="party"') == 6
    assert "Signed on 20 November 2026." in page


def _docx_text(data: bytes, tmp_path: Path) -> tuple[list[str], list[list[list[str]]]]:
    import docx

    path = tmp_path / "doc.docx"
    path.write_bytes(data)
    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return paragraphs, tables


def test_the_docx_has_the_sections_and_tables(store: Store, norway_id: str, tmp_path: Path) -> None:
    paragraphs, tables = _docx_text(render.render_docx(versions.load(store, norway_id), TODAY), tmp_path)
    assert paragraphs[0].startswith("General agreement for cooperation and exchange")
    assert "1. Title and partners" in paragraphs and "9. Risks" in paragraphs
    assert "To be completed: what each side expects to gain or learn (reciprocal learning)" in paragraphs
    assert not any("{%" in p or "{{" in p for p in paragraphs)  # every tag was rendered
    assert [len(t) for t in tables] == [7, 4, 8, 9, 4]  # header + rows: partners, objectives, roles, plan, risks
    assert tables[3][0] == ["#", "Activity", "Who", "Start", "End", "Milestone / outcome"]
    assert tables[3][8][1] == "Final evaluation and regional conference, Santiago"
    assert tables[4][1][0] == "R-1"
    assert "Signatures" not in paragraphs


def test_the_signed_docx_has_the_signature_block(signed: versions.Document, tmp_path: Path) -> None:
    paragraphs, _ = _docx_text(render.render_docx(signed, TODAY), tmp_path)
    assert "Signatures" in paragraphs and "Signed on 20 November 2026." in paragraphs
    assert "For Norwegian Directorate of Immigration (UDI)" in paragraphs
    assert "Name and position: Ingrid Hansen" in paragraphs
    assert not any(p.startswith("To be completed") for p in paragraphs)


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
def test_the_docx_opens_in_libreoffice(signed: versions.Document, tmp_path: Path) -> None:
    source = render.write(signed, "docx", tmp_path / "mou.docx", TODAY)
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), str(source)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    pdf = tmp_path / "pdf" / "mou.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    pages = re.findall(rb"/Type\s*/Page\b", data)
    assert len(pages) >= 3  # several pages: the whole document, signature block included
    # As laid out by LibreOffice: the objective gets the wide column, not the short indicator, target, due
    # date and owner (the column widths must be in the table's grid, not only in its cells).
    if shutil.which("pdftotext"):
        words = _pdf_words(pdf)
        header = next(y for x, y, word in words if word == "Indicator")
        x = {word: left for left, y, word in words if y == header}
        assert x["Indicator"] - x["Objective"] > 1.4 * (x["Target"] - x["Indicator"]), x
        assert x["Due"] - x["Target"] < x["Indicator"] - x["Objective"]


def _pdf_words(pdf: Path) -> list[tuple[float, float, str]]:
    """Every word of a PDF with its left edge and top, as pdftotext -bbox reads them."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [(float(x), float(y), word) for x, y, word in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)]


def test_write_refuses_paths_it_cannot_use(store: Store, norway_id: str, tmp_path: Path) -> None:
    document = versions.load(store, norway_id)
    with pytest.raises(render.RenderError, match="does not exist"):
        render.write(document, "md", tmp_path / "missing" / "x.md", TODAY)
    with pytest.raises(render.RenderError, match="is a folder"):
        render.write(document, "md", tmp_path, TODAY)
    with pytest.raises(render.RenderError, match="not a document format"):
        render.render(document, "pdf", TODAY)
    path = render.write(document, "md", tmp_path / "x.md", TODAY)
    assert path.read_text(encoding="utf-8").startswith("# General agreement")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert render.suggested_name(document, "docx") == f"{norway_id}-MoU-v1-draft.docx"
    assert render.format_of("a/b.MARKDOWN") == "md" and render.format_of("x.htm") == "html"


def test_templates_can_be_pointed_at(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("mou.md.j2", "mou.html.j2", "mou.docx"):
        shutil.copy(ROOT / "templates" / name, tmp_path / name)
    monkeypatch.setenv("TWINTUI_TEMPLATES", str(tmp_path))
    assert render.templates_dir() == tmp_path
    monkeypatch.setenv("TWINTUI_TEMPLATES", str(tmp_path / "nowhere"))
    assert render.templates_dir() == ROOT / "templates"


def test_the_committed_docx_template_matches_its_builder(tmp_path: Path) -> None:
    """templates/mou.docx is made by templates/build_docx.py; rebuild it after changing the builder."""
    import runpy

    builder = runpy.run_path(str(ROOT / "templates" / "build_docx.py"))
    builder["build"](tmp_path / "mou.docx")
    with zipfile.ZipFile(tmp_path / "mou.docx") as fresh, zipfile.ZipFile(ROOT / "templates" / "mou.docx") as kept:
        assert fresh.read("word/document.xml") == kept.read("word/document.xml"), \
            "templates/mou.docx is out of date: run python templates/build_docx.py"


def test_the_readme_example_is_a_rendered_memorandum(store: Store, norway_id: str) -> None:
    """docs/mou-example.md is what the demo's Norway draft renders to today (after its comment)."""
    kept = (ROOT / "docs" / "mou-example.md").read_text(encoding="utf-8")
    comment, body = kept.split("-->\n", 1)
    assert comment.startswith("<!--") and "mou render TW-NOR-0001 --format md" in comment
    from twintui.core.progress.section import so_far

    document = versions.load(store, norway_id)
    rendered = render.render_text(document, "md", TODAY, so_far(store, document, TODAY))
    assert "### Progress so far" in rendered  # the command shows the demo's returns in section 8
    assert body.lstrip("\n") == rendered, "docs/mou-example.md is out of date: render it again (see its comment)"
    assert "## 5. Implementation plan" in rendered and "Improve cooperation" in rendered
