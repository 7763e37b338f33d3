"""The PDF, read back: titles, figures, empty-table reasons, fonts, pages, bookmarks, safety, reproducibility."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from discloser.writers import pdf
from helpers import document, profile


@pytest.fixture(scope="module")
def shaanxi_pdf(shaanxi_build) -> Path:
    return shaanxi_build.path("pdf")


@lru_cache(maxsize=None)
def page_texts(path: Path) -> tuple[str, ...]:
    return tuple(p.extract_text() for p in PdfReader(path).pages)


def test_every_table_title_and_key_figures_are_in_the_pdf(shaanxi_pdf):
    text = "\n".join(page_texts(shaanxi_pdf))
    doc = document()
    for t in doc.tables:
        assert t.title in text.replace("\n", "") or t.title[:12] in text
    for figure in ("3,488,570.00", "1,289,710.00", "116,700.00", "2,082,160.00", "1,942,160.00", "2,932,680.00"):
        assert figure in text
    assert "本单位2024年无政府性基金预算收支，故本表为空表。" in text.replace("\n", "")
    assert "第 1 页" not in page_texts(shaanxi_pdf)[0]       # no footer on the cover
    assert "第 2 页 共" in page_texts(shaanxi_pdf)[1]


def test_fonts_are_embedded_cjk_subsets(shaanxi_pdf):
    reader = PdfReader(shaanxi_pdf)
    names = set()
    for page in reader.pages:
        for f in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(f.get_object()["/BaseFont"]))
    assert any("Noto" in n and "CJK" in n for n in names)
    assert all("+" in n for n in names)   # subset prefix: every font is subset-embedded


def test_wide_tables_get_landscape_pages(shaanxi_pdf):
    reader = PdfReader(shaanxi_pdf)
    texts = page_texts(shaanxi_pdf)
    seen = set()
    for page, text in zip(reader.pages, texts):
        box = page.mediabox
        first = text.strip().splitlines()[0] if text.strip() else ""
        if first == "表1":
            assert box.width > box.height
            seen.add(1)
        if first == "表5":
            assert box.width < box.height
            seen.add(5)
    assert seen == {1, 5}


def test_bookmarks_hold_parts_and_tables(shaanxi_pdf):
    reader = PdfReader(shaanxi_pdf)

    def titles(items):
        for it in items:
            if isinstance(it, list):
                yield from titles(it)
            else:
                yield it.title
    found = set(titles(reader.outline))
    assert "第一部分 单位概况" in found
    assert "表4 部门综合预算财政拨款收支总表" in found
    assert "表14 部门整体支出绩效目标表" in found
    assert {"机关事业单位住院医疗补助", "监测户参保县级配套", "经办能力建设经费"} <= found   # 表13, one per project


def test_user_text_is_escaped_and_cannot_fetch(tmp_path):
    import copy
    from discloser.tables.model import Section
    from discloser.tables.outline import with_outline
    from sample_document import sample_document

    doc = copy.copy(sample_document())
    doc.sections = [Section("测试", 1, ['<img src="file:///etc/passwd"> <script>alert(1)</script> & 说明'])]
    with_outline(doc)
    html = pdf.render_html(doc)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert '<img src="file:///etc/passwd">' not in html
    out = tmp_path / "x.pdf"
    pdf.write(doc, profile(), out)
    assert "<script>alert(1)</script>" in "".join("".join(page_texts(out)).split())   # printed as literal text


def test_fetcher_refuses_everything_outside_the_templates():
    from discloser.resources import templates_dir

    fetch = pdf.url_fetcher_for(templates_dir() / "html")
    for url in ("file:///etc/passwd", "http://example.com/x.png", "https://example.com/", "ftp://x/y"):
        with pytest.raises(ValueError):
            fetch.fetch(url)
    css = (templates_dir() / "html" / "package.css").resolve().as_uri()
    assert fetch.fetch(css) is not None


def test_henan_pdf_prints_wan_figures(henan_build):
    text = "\n".join(page_texts(henan_build.path("pdf")))
    assert "单位：万元" in text and "193.86" in text and "165.42" in text


def test_every_table_is_closed_at_every_page_break(shaanxi_build, henan_build):
    """No table on any page ends in open vertical rules: a row or a spanning label cut by a page break is
    closed by a rule at the bottom of the page and opens the next under one (trialC-s26 D7, D14)."""
    from helpers import open_table_edges

    for built in (shaanxi_build, henan_build):
        assert open_table_edges(built.path("pdf")) == [], built.source.name
