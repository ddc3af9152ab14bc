"""The rendered MoU's review and evaluation section with the progress so far: per objective its values and
verdict, the plan's activities, the spending; left out when nothing has been reported."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from twintui.core import demo
from twintui.core.demo.synthetic import TODAY
from twintui.core.model import Arrangement
from twintui.core.model.progress import ObjectiveProgress
from twintui.core.mou import render, versions
from twintui.core.mou.model import Memorandum, Objective, Sections
from twintui.core.progress.section import so_far
from twintui.core.store import Store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.open(tmp_path_factory.mktemp("progress") / "register.json", user="focal.point")
    demo.fill(store)
    return store


def canada(store: Store) -> versions.Document:
    return versions.load(store, "TW-CAN-0001")


def test_the_progress_so_far_in_markdown(store: Store) -> None:
    document = canada(store)
    progress = so_far(store, document, TODAY)
    text = render.render_text(document, "md", TODAY, progress)
    section = text.split("## 8. Review and evaluation", 1)[1].split("## 9. Risks", 1)[0]
    assert "### Progress so far" in section
    assert "As reported in the quarterly returns, as of 1 November 2026" in section
    assert "| # | Objective | Values by quarter | Target | Verdict |" in section
    assert ("| 1 | Emerging resettlement states of the Americas name a resettlement focal point who takes part in "
            "the quarterly network calls | 2025-Q4 4 · 2026-Q1 4 · 2026-Q2 5 · 2026-Q3 5 | 8 states (baseline 3) "
            "by 2026-12-31 | ! off track: +0.40 a quarter, 5.5 "
            "projected for 2026-12-31: reaches 8 on 2028-07-21, more than two quarters after 2026-12-31 |") \
        in section
    assert "| 4 |" in section and "! late: not done; due 2026-06-30, 124 days ago" in section
    assert "| 5 | Writing and translating the integration practice notes | 2026-06-30 | in progress, late |" in section
    assert "**Spending.** CAD 190,000 of 250,000 spent (76%) by 2026-09-30" in section
    assert "**Plan.** 3 of 6 done" in section


def test_nothing_reported_nothing_shown_and_none_asked_for_none_shown(store: Store, tmp_path: Path) -> None:
    norway = versions.load(store, "TW-NOR-0001")
    assert "### Progress so far" not in render.render_text(canada(store), "md", TODAY)  # not asked for
    fresh = Store.open(tmp_path / "r.json", user="test")
    arrangement = fresh.save(Arrangement(reporting_state="SWE", title="Exchange"), "test")
    sections = Sections(objectives=[Objective(text="Train 10 officers", kind="number", target_value=10,
                                              due="2027-Q2")])
    fresh.save(Memorandum(id="MOU-1", arrangement=arrangement.id, version=1).with_sections(sections), "test")
    document = versions.load(fresh, arrangement.id)
    assert so_far(fresh, document, TODAY) is None  # an MoU, but no return has reported on it
    assert so_far(store, norway, TODAY) is not None


def test_a_version_that_is_not_in_force_says_which_one_the_figures_belong_to(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "r.json", user="test")
    arrangement = store.save(Arrangement(reporting_state="SWE", title="Exchange"), "test")
    first = Sections(objectives=[Objective(text="Run | two <missions>", kind="number", baseline=0, target_value=2,
                                           due="2026-Q4")])
    signed = Memorandum(id="MOU-1", arrangement=arrangement.id, version=1, status="signed",
                        signed_on=dt.date(2026, 1, 5))
    store.save(signed.with_sections(first), "test")
    store.save(Memorandum(id="MOU-2", arrangement=arrangement.id, version=2).with_sections(first), "test")
    store.save(ObjectiveProgress(arrangement=arrangement.id, objective=1, quarter="2026-Q2", value=2), "test")
    draft = versions.load(store, arrangement.id, 2)
    progress = so_far(store, draft, TODAY)
    text = render.render_text(draft, "md", TODAY, progress)
    assert "reported against version 1 (signed), the MoU in force" in text
    assert r"| 1 | Run \| two \<missions\> | 2026-Q2 2 |" in text  # the data's Markdown is text
    html = render.render_text(draft, "html", TODAY, progress)
    assert "Run | two &lt;missions&gt;" in html and "achieved: 2 in 2026-Q2" in html


def test_html_and_docx_have_it_too_and_the_docx_reads_in_libreoffice(store: Store, tmp_path: Path) -> None:
    from docx import Document as Docx

    document = canada(store)
    progress = so_far(store, document, TODAY)
    html = render.render_text(document, "html", TODAY, progress)
    assert '<h3 id="progress">Progress so far</h3>' in html
    assert "<td>2025-Q4 4 · 2026-Q1 4 · 2026-Q2 5 · 2026-Q3 5</td>" in html
    assert "! off track" in html and "in progress, late" in html
    path = tmp_path / "mou.docx"
    path.write_bytes(render.render(document, "docx", TODAY, progress))
    word = Docx(str(path))
    paragraphs = [p.text for p in word.paragraphs]
    assert "Progress so far" in paragraphs and not any("{{" in p or "{%" in p for p in paragraphs)
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in word.tables]
    progress_table = next(t for t in tables if t[0][:3] == ["#", "Objective", "Values by quarter"])
    assert progress_table[1][2] == "2025-Q4 4 · 2026-Q1 4 · 2026-Q2 5 · 2026-Q3 5"
    assert progress_table[4][4].startswith("! late")
    without = Docx(_write(tmp_path / "plain.docx", render.render(document, "docx", TODAY)))
    assert "Progress so far" not in [p.text for p in without.paragraphs]
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(path)], capture_output=True, timeout=180, check=True)
    pdf = subprocess.run(["pdftotext", "-layout", str(tmp_path / "mou.pdf"), "-"], capture_output=True, text=True,
                         check=True).stdout
    assert "Progress so far" in pdf and "off track" in pdf and "CAD 190,000 of 250,000 spent" in pdf


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)
