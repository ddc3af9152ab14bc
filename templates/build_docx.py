"""Build ``mou.docx``, the Word template of the memorandum (docxtpl: jinja2 tags inside a .docx).

Run ``python templates/build_docx.py`` after changing this file; the .docx is
committed so that twintui needs no build step. The file can also be edited in
Word or LibreOffice (styles, fonts, margins): keep each ``{%p ...%}`` tag alone
in its paragraph and each ``{%tr ...%}`` tag alone in its table row. The values
are those of ``twintui.core.mou.render.context()``, as in ``mou.md.j2``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
TODO_COLOUR = RGBColor(0x8A, 0x4B, 0x00)
TITLES = {
    1: "Title and partners", 2: "Introduction", 3: "Aims and objectives", 4: "Roles and responsibilities",
    5: "Implementation plan", 6: "Monitoring plan", 7: "Funding arrangements", 8: "Review and evaluation",
    9: "Risks",
}


class Builder:
    def __init__(self) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.0))
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.2)
        normal = self.doc.styles["Normal"]
        normal.font.name = "Liberation Serif"
        normal.font.size = Pt(11)
        self.doc.core_properties.title = "Memorandum of understanding"
        self.doc.core_properties.author = "twintui"
        footer = section.footer.paragraphs[0]
        run = footer.add_run("{{ doc.arrangement_id }} · MoU version {{ doc.version }} ({{ doc.status }}) · "
                             "made with twintui on {{ doc.generated }}")
        run.font.size = Pt(8)

    # -- pieces ------------------------------------------------------------------
    def tag(self, text: str) -> None:
        """A paragraph-level jinja2 tag ({%p ...%}): the paragraph disappears when rendered."""
        self.doc.add_paragraph(text)

    def text(self, text: str, *, bold: bool = False, style: str | None = None) -> None:
        paragraph = self.doc.add_paragraph(style=style)
        run = paragraph.add_run(text)
        run.bold = bold

    def todo(self, part: str) -> None:
        paragraph = self.doc.add_paragraph()
        run = paragraph.add_run(f"{{{{ {part}.todo }}}}")
        run.italic = True
        run.font.color.rgb = TODO_COLOUR

    def heading(self, text: str, level: int = 1) -> None:
        self.doc.add_heading(text, level=level)

    def paras(self, part: str) -> None:
        """A part's paragraphs, or what is still to be written."""
        self.tag(f"{{%p if {part}.answered %}}")
        self.tag(f"{{%p for para in {part}.paras %}}")
        self.text("{{ para }}")
        self.tag("{%p endfor %}")
        self.tag("{%p else %}")
        self.todo(part)
        self.tag("{%p endif %}")

    def labelled(self, label: str, part: str) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.add_run(f"{label}. ").bold = True
        paragraph.add_run(f"{{% if {part}.answered %}}{{{{ {part}.paras | join(' ') }}}}{{% else %}}")
        todo = paragraph.add_run(f"{{{{ {part}.todo }}}}")
        todo.italic = True
        todo.font.color.rgb = TODO_COLOUR
        paragraph.add_run("{% endif %}")

    def table(self, part: str, headers: list[str], loop: str, cells: list[str], widths: list[float],
              when: str | None = None) -> None:
        """A table with a header row and one row per item; when there are none, what is still to be written
        (``when``: shown only if this is true, and nothing otherwise)."""
        self.tag(f"{{%p if {when or part + '.answered'} %}}")
        table = self.doc.add_table(rows=4, cols=len(headers))
        table.style = "Table Grid"
        for i, header in enumerate(headers):
            cell = table.rows[0].cells[i]
            cell.text = ""
            run = cell.paragraphs[0].add_run(header)
            run.bold = True
            run.font.size = Pt(9)
        _repeat_header(table.rows[0])
        table.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
        for i, value in enumerate(cells):
            cell = table.rows[2].cells[i]
            cell.text = ""
            cell.paragraphs[0].add_run(value).font.size = Pt(9)
        table.rows[3].cells[0].text = "{%tr endfor %}"
        # Fixed widths in both places a reader looks: Word reads each cell's, LibreOffice the table's
        # grid; with only the cells' set, LibreOffice gives every column the same width.
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
        if when is None:
            self.tag("{%p else %}")
            self.todo(part)
        self.tag("{%p endif %}")

    def save(self, path: Path) -> None:
        self.doc.save(str(path))


def _repeat_header(row) -> None:
    """The header row repeats on every page a long table runs over."""
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def build(path: Path) -> None:
    b = Builder()
    b.doc.add_paragraph("{{ doc.title }}", style="Title")
    b.text("{{ doc.arrangement_id }} · {{ doc.arrangement_title }}", bold=True)
    b.text("Memorandum of understanding, version {{ doc.version }}{% if doc.based_on %} (follows version "
           "{{ doc.based_on }}){% endif %} · {{ doc.status | upper }} · {{ doc.date_line }}")
    b.tag("{%p if doc.draft %}")
    b.text("DRAFT. This version has not been agreed by the partners. Parts marked “To be completed” are still "
           "open.", bold=True)
    b.tag("{%p endif %}")

    b.heading(f"1. {TITLES[1]}")
    b.table("p.partners", ["Partner", "Country", "Address", "Contact", "Role"], "x in partners",
            ["{{ x.name }}", "{{ x.country }}", "{{ x.address }}", "{{ x.contact }}", "{{ x.kind }}"],
            [4.5, 2.2, 3.8, 3.8, 2.7])

    b.heading(f"2. {TITLES[2]}")
    paragraph = b.doc.add_paragraph()
    paragraph.add_run("Duration: ").bold = True
    paragraph.add_run("{% if p.period.answered %}{{ p.period.text }}{% else %}")
    todo = paragraph.add_run("{{ p.period.todo }}")
    todo.italic = True
    todo.font.color.rgb = TODO_COLOUR
    paragraph.add_run("{% endif %}")
    b.paras("p.context")

    b.heading(f"3. {TITLES[3]}")
    b.heading("Objectives", 2)
    b.table("p.objectives", ["#", "Objective", "Indicator", "Target", "Due", "Owner"], "o in objectives",
            ["{{ o.n }}", "{{ o.text }}", "{{ o.indicator }}", "{{ o.target }}", "{{ o.due }}", "{{ o.owner }}"],
            [0.8, 5.5, 3.4, 1.8, 2.2, 3.3])
    b.tag("{%p if doc.draft and objectives %}")
    b.text("SMART review of this draft: {% for o in objectives %}objective {{ o.n }}: {{ o.smart }}"
           "{% if not loop.last %}; {% endif %}{% endfor %} (a letter is a rule met, “-” one not yet met).")
    b.tag("{%p endif %}")
    b.heading("Expected outcomes", 2)
    b.paras("p.outcomes")
    b.heading("Reciprocal learning", 2)
    b.paras("p.learning")

    b.heading(f"4. {TITLES[4]}")
    b.table("p.roles", ["Partner", "Person", "Responsibility", "Overall"], "r in roles",
            ["{{ r.party }}", "{{ r.person }}", "{{ r.responsibility }}", "{{ r.overall }}"], [4.5, 3.2, 7.6, 1.7])
    b.tag("{%p for para in p.roles_note.paras %}")
    b.text("{{ para }}")
    b.tag("{%p endfor %}")

    b.heading(f"5. {TITLES[5]}")
    b.table("p.activities", ["#", "Activity", "Who", "Start", "End", "Milestone / outcome"], "a in activities",
            ["{{ a.n }}", "{{ a.what }}", "{{ a.who }}", "{{ a.start }}", "{{ a.end }}", "{{ a.milestone }}"],
            [0.8, 4.4, 3.9, 2.2, 2.2, 3.5])

    b.heading(f"6. {TITLES[6]}")
    b.paras("p.monitoring")

    b.heading(f"7. {TITLES[7]}")
    b.tag("{%p if funding.answered %}")
    for label, key in (("Source", "source"), ("Amount", "amount"), ("Total cost", "total_cost"),
                       ("Available", "period"), ("Own resources committed", "committed")):
        b.tag(f"{{%p if funding.{key} %}}")
        paragraph = b.doc.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(f"{{{{ funding.{key} }}}}")
        b.tag("{%p endif %}")
    b.tag("{%p for para in funding.note %}")
    b.text("{{ para }}")
    b.tag("{%p endfor %}")
    b.tag("{%p else %}")
    b.todo("funding")
    b.tag("{%p endif %}")

    b.heading(f"8. {TITLES[8]}")
    b.labelled("Milestone reviews", "p.milestones")
    b.labelled("Final evaluation and lessons learned", "p.final")
    b.labelled("Who reports and evaluates", "p.reporting")
    b.labelled("National dissemination", "p.dissemination")
    b.tag("{%p if progress %}")
    b.heading("Progress so far", 2)
    b.text("As reported in the quarterly returns, as of {{ progress.as_of }}: not part of the agreed text."
           "{% if progress.against %} {{ progress.against }}{% endif %} “!” marks what to act on.")
    b.tag("{%p if progress.objectives %}")
    b.text("Objectives (section 3)", bold=True)
    b.tag("{%p endif %}")
    b.table("progress", ["#", "Objective", "Values by quarter", "Target", "Verdict"], "o in progress.objectives",
            ["{{ o.n }}", "{{ o.text }}", "{{ o.reported }}", "{{ o.target }}", "{{ o.outlook }}"],
            [0.8, 4.6, 3.6, 3.0, 5.0], when="progress.objectives")
    b.tag("{%p if progress.activities %}")
    b.text("Activities (section 5)", bold=True)
    b.tag("{%p endif %}")
    b.table("progress", ["#", "Activity", "End", "State"], "a in progress.activities",
            ["{{ a.n }}", "{{ a.what }}", "{{ a.end }}", "{{ a.state }}"], [0.8, 8.6, 2.4, 5.2],
            when="progress.activities")
    b.tag("{%p if progress.activities %}")
    paragraph = b.doc.add_paragraph()
    paragraph.add_run("Plan. ").bold = True
    paragraph.add_run("{{ progress.plan }}")
    b.tag("{%p endif %}")
    b.tag("{%p if progress.spending %}")
    paragraph = b.doc.add_paragraph()
    paragraph.add_run("Spending. ").bold = True
    paragraph.add_run("{{ progress.spending }}")
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")

    b.heading(f"9. {TITLES[9]}")
    b.table("p.risks", ["ID", "Risk", "Category", "Score (L×I)", "Residual", "Mitigation", "Owner", "Next review"],
            "r in risks",
            ["{{ r.id }}", "{{ r.description }}", "{{ r.category }}",
             "{{ r.likelihood }}×{{ r.impact }} = {{ r.score }}", "{{ r.residual }}",
             "{{ r.treatment }}{% if r.treatment and r.mitigation %}: {% endif %}{{ r.mitigation }}",
             "{{ r.owner }}", "{{ r.next_review }}"],
            [1.0, 3.6, 1.9, 2.0, 1.6, 3.6, 1.8, 2.0])

    b.tag("{%p if open_points %}")
    b.heading("Open points in this draft")
    b.tag("{%p for point in open_points %}")
    b.text("{{ point }}", style="List Bullet")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")

    b.tag("{%p if signature.show %}")
    b.heading("Signatures")
    b.tag("{%p if signature.signed %}")
    b.text("Signed on {{ signature.date }}.")
    b.tag("{%p else %}")
    b.text("To be signed by each partner.")
    b.tag("{%p endif %}")
    b.tag("{%p for party in signature.parties %}")
    b.text("For {{ party.name }}", bold=True)
    b.text("Name and position: {{ party.signatory or signature.blank }}")
    b.text("Signature: {{ signature.blank }}")
    b.text("Date: {{ signature.date or signature.blank }}")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.save(path)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "mou.docx"
    build(target)
    print(f"wrote {target}")
