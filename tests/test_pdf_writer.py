"""PDF writer: content, fonts, page geometry, bookmarks, reproducibility and resource isolation."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

pypdf = pytest.importorskip("pypdf")

from discloser.tables.model import Section  # noqa: E402
from discloser.tables.outline import with_outline  # noqa: E402
from discloser.writers import pdf  # noqa: E402
from discloser.writers.fonts import Fonts  # noqa: E402
from helpers import profile, province_template  # noqa: E402
from sample_document import sample_document  # noqa: E402

PROFILE = profile("shaanxi")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "package.pdf"
    pdf.write(sample_document(), PROFILE, out)
    return out


@pytest.fixture(scope="module")
def reader(rendered):
    return pypdf.PdfReader(str(rendered))


@pytest.fixture(scope="module")
def page_texts(reader) -> list[str]:
    return [p.extract_text() or "" for p in reader.pages]


# ----------------------------------------------------------------------------- content


def test_every_table_title_and_key_figures_are_printed(page_texts):
    doc = sample_document()
    text = _squash("\n".join(page_texts))
    for t in doc.tables:
        assert _squash(t.title) in text, t.title
        assert t.number in text
    for figure in ("3,488,570.00", "229,650.00", "129,320.00", "24,000.00"):
        assert figure in text
    assert _squash(doc.title) in text
    assert _squash(doc.tables_title) in text
    for line in doc.tables_preamble:
        assert _squash(line) in text
    assert "部门（单位）名称：麟游县医疗保障经办机构" in text
    assert "单位：元" in text


def test_empty_table_prints_header_and_reason(page_texts, reader):
    page = next(t for t in page_texts if "部门综合预算政府性基金收支表" in t and "表9" in t and "本单位无" in t)
    assert "本单位无政府性基金预算收支，故本表为空表。" in _squash(page)
    assert all(h in page for h in ("科目编码", "科目名称", "金额"))


def test_empty_table_html_is_one_merged_row():
    html = pdf.render_html(sample_document())
    block = html[html.index("部门综合预算政府性基金收支表</h2>"):]
    block = block[:block.index("</table>")]
    assert '<td colspan="3">本单位无政府性基金预算收支，故本表为空表。</td>' in block
    assert block.count("<tr") == 2   # the header row and the reason


def test_footer_on_every_page_but_the_cover(page_texts):
    total = len(page_texts)
    assert not re.search(r"第\s*\d+\s*页", page_texts[0])
    for number, text in enumerate(page_texts[1:], start=2):
        assert re.search(rf"第\s*{number}\s*页\s*共\s*{total}\s*页", text), (number, text[-80:])


def test_contents_page_lists_parts_and_tables_with_page_numbers(page_texts):
    contents = page_texts[1]
    assert "目" in contents and "录" in contents
    for entry in ("第一部分 单位概况", "一、主要职责及机构设置", "表4 部门综合预算财政拨款收支总表"):
        line = next(ln for ln in contents.splitlines() if entry in ln)
        assert re.search(r"\.{3,}\s*\d+$", line), line
    table_page = next(i for i, t in enumerate(page_texts, 1) if t.lstrip().startswith("表5"))
    line = next(ln for ln in contents.splitlines() if "表5" in ln)
    assert line.rstrip().endswith(str(table_page))


def test_header_rows_repeat_after_a_page_break(page_texts):
    pages = [t for t in page_texts if "2089999" in t]
    assert len(pages) >= 2, "表5 should need more than one page"
    for text in pages:
        assert "功能科目名称" in text and "人员经费支出" in text


def test_user_text_is_escaped_and_no_javascript(page_texts, reader, rendered):
    text = "\n".join(page_texts)
    assert "<script>alert(1)</script> & 测试" in text
    html = pdf.render_html(sample_document())
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; <span class=\"nb\">测试</span>" in html   # its end kept whole
    assert str(pdf.no_orphan("<b>一般公共支出")) == '&lt;b&gt;一般公共<span class="nb">支出</span>'
    assert "<script" not in html
    root = reader.trailer["/Root"]
    assert "/OpenAction" not in root and "/AA" not in root
    assert "/JavaScript" not in root.get("/Names", {})
    for page in reader.pages:
        for annot in page.get("/Annots", []) or []:
            assert "/JS" not in str(annot.get_object().get("/A", {}))
    assert b"/JavaScript" not in rendered.read_bytes()


# ----------------------------------------------------------------------------- fonts, pages, outline, metadata


def test_fonts_are_embedded_noto_cjk_subsets(reader):
    seen = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            seen.add(name)
            assert re.match(r"^/[A-Z]{6}\+", name), name           # subset tag
            assert "Noto" in name and "CJK" in name, name
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name
    assert any("Serif" in n for n in seen) and any("Sans" in n for n in seen)


def test_landscape_table_gets_landscape_pages(reader, page_texts):
    for page, text in zip(reader.pages, page_texts):
        box = page.mediabox
        if "部门综合预算财政拨款收支总表" in text and text.lstrip().startswith("表4"):
            assert box.width > box.height
        if text.lstrip().startswith("表5"):
            assert box.width < box.height
    assert pytest.approx(float(reader.pages[0].mediabox.width), abs=1) == 595.3     # A4 portrait


def test_outline_has_parts_and_every_table(reader):
    titles: list[tuple[int, str]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                titles.append((depth, item.title))

    walk(reader.outline, 0)
    labels = [t for _, t in titles]
    doc = sample_document()
    assert (0, "第一部分 单位概况") in titles
    assert (1, "一、主要职责及机构设置") in titles
    assert (2, "（一）收支预算总体情况") in titles
    assert (0, doc.tables_title) in titles
    start = labels.index(doc.tables_title)
    for t in doc.tables:
        assert (1, f"{t.number} {t.title}") in titles           # “表N 标题”
        assert labels.index(f"{t.number} {t.title}") > start
    assert (2, "机关事业单位住院医疗补助") in titles               # the project of a repeated table


def test_metadata(reader):
    meta = reader.metadata
    doc = sample_document()
    assert meta.title == doc.title
    assert meta.author == doc.organization
    assert meta.subject == doc.subtitle
    assert "部门预算" in meta["/Keywords"]
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20000101000000Z"


def test_two_runs_give_identical_bytes(tmp_path, rendered):
    again = tmp_path / "again.pdf"
    pdf.write(sample_document(), PROFILE, again)
    assert again.read_bytes() == rendered.read_bytes()


def test_serialising_faster_changes_only_how_streams_are_deflated(tmp_path, rendered, monkeypatch):
    """pdf_serialize keeps pydyf's tuple of page references until a page is added (the same references as pydyf's
    own property after every page) and deflates at level 6: every page's content is what pydyf's own writing gives."""
    import zlib

    import pydyf

    from discloser.writers import pdf_serialize

    original = pydyf.PDF.page_references
    pdf_serialize.install()
    try:
        made = pydyf.PDF()
        for _ in range(3):
            made.add_page(pydyf.Dictionary({"Type": "/Page"}))
            assert made.page_references == original.fget(made)
        assert len(made.page_references) == 3
    finally:
        pdf_serialize.uninstall()
    assert pydyf.PDF.page_references is original and pydyf.zlib is zlib
    monkeypatch.setattr(pdf_serialize, "install", lambda: None)
    plain = tmp_path / "plain.pdf"
    pdf.write(sample_document(), PROFILE, plain)
    ours, theirs = pypdf.PdfReader(str(rendered)), pypdf.PdfReader(str(plain))
    assert len(ours.pages) == len(theirs.pages) > 1
    for a, b in zip(ours.pages, theirs.pages):
        assert a.get_contents().get_data() == b.get_contents().get_data()
    assert rendered.read_bytes() != plain.read_bytes()
    assert plain.stat().st_size < rendered.stat().st_size < 1.05 * plain.stat().st_size


def test_the_scoped_user_agent_sheet_changes_no_byte():
    """ua_sheet keeps WeasyPrint's six universal pseudo-element rules off table internals: the sample package's
    pages come out the same as with WeasyPrint's own sheet (and the scoped sheet is the one in use)."""
    from weasyprint import HTML

    from discloser.writers import ua_sheet

    assert ua_sheet.stylesheet() is not ua_sheet.weasy_html.UA_STYLESHEET   # all six rules were found and scoped
    html = pdf.render_html(sample_document())
    base = pdf.default_template_dir().resolve().as_uri() + "/"
    fonts = Fonts()
    ours, theirs = (cls(string=html, base_url=base).render(font_config=fonts.config).write_pdf()
                    for cls in (ua_sheet.PackageHTML, HTML))
    assert ours == theirs


def test_full_collections_wait_while_a_pdf_renders_and_resume_after_the_last():
    import gc

    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []

    def inner(pages):
        seen.append(gc.get_threshold())

    def outer(pages):
        seen.append(gc.get_threshold())
        pdf.render_pdf(sample_document(), laid_out=inner)
        seen.append(gc.get_threshold())     # the inner render ended, this one still holds them

    pdf.render_pdf(sample_document(), laid_out=outer)
    assert len(seen) == 3
    assert all(t[:2] == before[:2] and t[2] > 10 ** 6 for t in seen)
    assert gc.get_threshold() == before


def test_source_date_epoch_sets_the_dates(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert pdf.fixed_timestamp() == "2023-11-14T22:13:20Z"
    out = tmp_path / "dated.pdf"
    pdf.write(sample_document(), PROFILE, out)
    assert pypdf.PdfReader(str(out)).metadata["/CreationDate"] == "D:20231114221320Z"


# ----------------------------------------------------------------------------- resource isolation


def test_fetcher_serves_template_files_only(tmp_path):
    folder = pdf.default_template_dir()
    fetcher = pdf.TemplateDirFetcher(folder)
    css = fetcher.fetch((folder / "package.css").resolve().as_uri())
    assert b"@page" in css.read()
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    refused = [
        "file:///etc/passwd",
        secret.as_uri(),
        folder.resolve().as_uri() + "/../../pyproject.toml",
        folder.resolve().as_uri() + "/%2e%2e/%2e%2e/pyproject.toml",
        folder.resolve().as_uri() + "/no-such-file.css",
        "http://127.0.0.1:9/x.png",
        "https://example.com/font.woff",
        "ftp://example.com/x",
        "file://otherhost/etc/passwd",
        "javascript:alert(1)",
        "file:///etc/%00passwd",
        "not a url",
    ]
    for url in refused:
        with pytest.raises(pdf.RefusedURL):
            fetcher.fetch(url)
    assert fetcher.refused == refused


def test_fetcher_does_not_follow_symlinks_out_of_the_folder(tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (tmp_path / "outside.txt").write_text("secret")
    (folder / "inside.css").symlink_to(tmp_path / "outside.txt")
    with pytest.raises(pdf.RefusedURL):
        pdf.TemplateDirFetcher(folder).fetch((folder / "inside.css").as_uri())


def _with_paragraph(text: str):
    doc = sample_document()
    doc.sections = doc.sections + [Section("二、注入测试", 2, [text])]
    return with_outline(doc)


def test_markup_in_paragraph_is_text_not_an_image(tmp_path):
    payload = '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
    doc = _with_paragraph(payload)
    html = pdf.render_html(doc)
    assert "<img" not in html and "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    out = tmp_path / "inject.pdf"
    pdf.write(doc, PROFILE, out)
    reader = pypdf.PdfReader(str(out))
    assert _squash(payload) in _squash("".join(p.extract_text() for p in reader.pages))
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        assert not any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.values())


def test_a_template_reference_outside_the_folder_is_refused(tmp_path, monkeypatch):
    """Even a province template that asks for outside files gets nothing: the fetcher refuses."""
    folder = province_template(tmp_path, "<body>", '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
                                                   '<link rel="stylesheet" href="file:///etc/hostname">')
    seen: list[pdf.TemplateDirFetcher] = []

    class Recording(pdf.TemplateDirFetcher):
        def __init__(self, *roots):
            super().__init__(*roots)
            seen.append(self)

    monkeypatch.setattr(pdf, "url_fetcher_for", lambda folder: Recording(folder, pdf.default_template_dir()))
    out = tmp_path / "province.pdf"
    doc = sample_document()
    doc.templates = {"pdf": str(folder)}
    pdf.write(doc, PROFILE, out)
    refused = seen[0].refused
    assert "file:///etc/passwd" in refused and "http://127.0.0.1:9/x.png" in refused
    reader = pypdf.PdfReader(str(out))
    assert "部门综合预算财政拨款收支总表" in reader.pages[4].extract_text()


@pytest.mark.parametrize("source", ["{{ doc.__class__.__mro__ }}", "{{ ''.__class__.__mro__[1].__subclasses__() }}",
                                    "{{ doc.tables.append(1) }}", "{{ doc.fonts.clear() }}"])
def test_sandbox_blocks_python_internals_and_mutation(tmp_path, source):
    from discloser.templating import TemplateFailure

    (tmp_path / pdf.TEMPLATE).write_text("\n" + source, encoding="utf-8")
    doc = sample_document()
    with pytest.raises(TemplateFailure) as e:
        pdf.render_html(doc, tmp_path)
    assert len(doc.tables) == 4 and doc.fonts
    [p] = e.value.problems   # located in Chinese: the template and its line
    assert p.rule == "template.unsafe" and p.message.startswith(("模板不能访问", "模板不能调用"))
    assert (p.locations[0].file, p.locations[0].line) == (str(tmp_path / pdf.TEMPLATE), 2)


# ----------------------------------------------------------------------------- templates, fonts, layout helpers


def test_province_stylesheet_override_and_template_fallback(tmp_path):
    (tmp_path / pdf.STYLESHEET).write_text("@page { size: A5 }", encoding="utf-8")
    html = pdf.render_html(sample_document(), tmp_path)   # no template there: the packaged one is used
    assert (tmp_path / pdf.STYLESHEET).resolve().as_uri() in html
    out = tmp_path / "a5.pdf"
    doc = sample_document()
    doc.templates = {"pdf": str(tmp_path)}
    pdf.write(doc, PROFILE, out)
    assert round(float(pypdf.PdfReader(str(out)).pages[0].mediabox.width)) == 420   # A5


def test_font_families_are_sanitized_and_end_in_noto():
    fonts = Fonts()
    css = fonts.css('仿宋_GB2312, "x"; } </style><script>, Noto Serif CJK SC', "body")
    assert "<" not in css and ";" not in css and "}" not in css
    assert css.endswith('"Noto Serif CJK SC", "Discloser Marks", serif')      # the shipped ☑ last
    assert "仿宋_GB2312" not in css or "仿宋_GB2312" in fonts.installed
    assert fonts.css("", "heading").endswith('"Noto Sans CJK SC", "Discloser Marks", sans-serif')
    assert "Discloser Marks" in fonts.installed
    assert set(fonts.families_css(sample_document().fonts)) == {"title", "heading", "body", "table"}


def test_nothing_is_written_when_rendering_fails(tmp_path):
    (tmp_path / pdf.TEMPLATE).write_text("{% for %}", encoding="utf-8")
    out = tmp_path / "out.pdf"
    out.write_bytes(b"previous")
    doc = sample_document()
    doc.templates = {"pdf": str(tmp_path)}
    with pytest.raises(Exception):
        pdf.write(doc, PROFILE, out)
    assert out.read_bytes() == b"previous"
    assert {p.name for p in tmp_path.iterdir()} == {pdf.TEMPLATE, "out.pdf"}   # no temporary left


def _detail(i: int):
    from discloser.tables.model import Cell, Kind, Row, RowKind
    from sample_document import money

    return Row((Cell(f"20805{i:02d}", Kind.code), Cell(f"明细{i:03d}号"), money("100")), RowKind.detail)


def _one_table_pages(tmp_path, rows: list, notes: list[str] = ()) -> list[str]:
    """The pages (pdftotext -layout) of a package whose only table has a 合计 over `rows`, then `notes`."""
    import subprocess
    from dataclasses import replace

    from discloser.tables.model import Cell, Column, Kind, Row, RowKind, Table
    from sample_document import money

    body = [Row((Cell(""), Cell("合计", bold=True), money("1000")), RowKind.total), *rows]
    table = Table(key="general_by_function", number="表3", title="一般公共预算支出表", department="某部门", unit_label="单位：元",
                  columns=[Column(10, Kind.code), Column(30), Column(12, Kind.money)],
                  header=[Row((Cell("科目编码"), Cell("科目名称"), Cell("金额")), RowKind.header)], body=body, notes=list(notes))
    doc = with_outline(replace(sample_document(), tables=[table]))
    out = tmp_path / "one-table.pdf"
    pdf.write(doc, PROFILE, out)
    return subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout.split("\f")


def _rows_on_the_first_page(tmp_path) -> int:
    first = next(p for p in _one_table_pages(tmp_path, [_detail(i) for i in range(120)]) if "明细000号" in p)
    return max(int(n) for n in re.findall(r"明细(\d{3})号", first)) + 1


def test_a_unit_row_never_ends_a_page_without_its_rows(tmp_path):
    """A unit's row (“401003 安平县畜牧兽医服务中心 414.63 …”) ended a page and all its rows were on the next
    (trialC-s26 D5). Placed where it would be a page's last row, it moves to the next page with its first row."""
    from discloser.tables.model import Cell, Kind, Row, RowKind
    from sample_document import money

    name = "安平县畜牧兽医服务中心"
    before = _rows_on_the_first_page(tmp_path) - 1                       # the unit's row the first page's last
    rows = [_detail(i) for i in range(before)]
    rows += [Row((Cell("401003", Kind.code), Cell(name, bold=True), money("300")), RowKind.subtotal)]
    rows += [Row((Cell(f"21011{i:02d}", Kind.code), Cell(f"下属{i}号"), money("100")), RowKind.detail) for i in range(3)]
    at = next(p for p in _one_table_pages(tmp_path, rows) if name in p)
    assert "下属0号" in at, at[-300:]


def test_a_tables_notes_stay_together_and_with_its_last_row(tmp_path):
    """Shaanxi 表14's last note was alone on a page under “（续）”, the first under the table on the page before
    (trialC-s26 D6). Wherever the table ends on its page, the notes are on one page with a row of the table."""
    notes = ["注：1、年度绩效指标可选择填写。", "2、部门应公开本部门整体预算绩效。"]
    full = _rows_on_the_first_page(tmp_path)
    for count in range(full - 4, full + 1):          # the table's end a row further down each time: one leaves
        pages = _one_table_pages(tmp_path, [_detail(i) for i in range(count)], notes)   # room for one note only
        at = next(p for p in pages if notes[1] in p)
        assert notes[0] in at and "明细" in at, (count, at[-300:])


def test_justified_lines_read_as_words_in_the_text_layer(tmp_path):
    """A justified 说明 line's slack is spread over all its characters, digits too: keeping numbers whole gave the
    rest of a line with long numbers more spacing a character, and pdftotext read it “主 要 原 因 是 …” — the
    published PDF could not be searched for 主要原因 (trial V N1, on 柳湾镇's rolled-over 2026 file)."""
    import re
    import subprocess

    from helpers import ROOT, built_with

    source = ROOT / "tests" / "departments" / "liuwan-town-2026.yaml"
    loaded, doc = built_with(source, "shaanxi")
    out = tmp_path / "liuwan.pdf"
    out.write_bytes(pdf.render_pdf(doc)[0])
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    spaced = [line for line in text.splitlines() if re.search(r"(?:[\u4e00-\u9fff] ){6,}", line)]
    assert not spaced, spaced[:3]
    assert "主要原因" in text


def test_a_row_taller_than_a_third_of_a_page_starts_where_it_falls(tmp_path):
    """A 职能概述 of ten paragraphs moved whole to the next page and left its table's first page mostly blank
    (the title and four rows), then broke anyway (trialC-s26 D7). A row that tall starts on the page where the
    table starts, continues on the next, and the cut is closed by a rule on both pages."""
    import subprocess
    from dataclasses import replace

    from helpers import open_table_edges
    from sample_document import tall_form_table

    doc = with_outline(replace(sample_document(), tables=[tall_form_table()]))
    out = tmp_path / "tall.pdf"
    pdf.write(doc, PROFILE, out)
    pages = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout.split("\f")
    first = next(i for i, p in enumerate(pages) if "王敏" in p)
    assert "负责全县教育事业" in pages[first], pages[first]
    last = next(i for i, p in enumerate(pages) if "完成县委交办的其他任务" in p)
    assert last > first and "保障单位正常运转" in pages[last]
    assert open_table_edges(out) == []


def test_a_group_taller_than_a_page_starts_under_its_unit_row(tmp_path):
    """A project whose one 指标值 fills more than a page, bound by its name's row span to its other indicators,
    went whole to the next page — and its unit's row, kept with it, to the page before that: Henan/Hubei 表14
    printed the 合计 then white, the unit row then white, then the project (trialW-s27 D1). It starts under its unit
    row on the table's first page and continues; every cut is closed."""
    import subprocess
    from dataclasses import replace

    from helpers import open_table_edges
    from sample_document import tall_group_table

    table = tall_group_table()
    doc = with_outline(replace(sample_document(), tables=[table]))
    out = tmp_path / "tall-group.pdf"
    pdf.write(doc, PROFILE, out)
    pages = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout.split("\f")
    first = next(i for i, p in enumerate(pages) if "合计" in p and "300.00" in p)
    assert "401001 " in pages[first] and "带动周边农户增收" in pages[first], pages[first][:900]
    assert any("亩均产量提高5%" in p for p in pages[first + 1:])
    assert open_table_edges(out) == []


@pytest.mark.parametrize("filler", [13, 16, 19, 22])
def test_a_table_part_starting_near_a_page_foot_moves_on_whole_with_its_first_row(tmp_path, filler):
    """Jiangxi 表1 after a 职能 of 5,751 characters: its 年度主要任务 sub-grid began near a page's foot, and WeasyPrint
    cut the first task row there (“教职工工资福利、社会” | “保障经费…” on the next page) and left the cut open
    (trialV-s28 D2) — it lays out a first row group that avoids breaks as if the page were empty. Swept over the
    filler above it (16 and 19 put the head at the foot on this layout), the head and the whole first row share a page,
    and every cut is closed."""
    import subprocess
    from dataclasses import replace

    from helpers import open_table_edges
    from sample_document import tasks_form_table

    doc = with_outline(replace(sample_document(), tables=[tasks_form_table(filler)]))
    out = tmp_path / "tasks.pdf"
    pdf.write(doc, PROFILE, out)
    pages = [re.sub(r"\s+", "", p) for p in
             subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout.split("\f")]
    head = next(i for i, p in enumerate(pages) if "年度主要任务名称" in p)
    assert "保障教育系统正常运转" in pages[head] and "学校日常公用经费。" in pages[head], pages[head][-300:]
    assert open_table_edges(out) == []


@pytest.mark.parametrize("groups", [16, 17])
def test_a_label_column_cut_where_the_notes_moved_the_break_is_closed(tmp_path, groups):
    """The notes stay with the table's end; when they do not fit, WeasyPrint moves the break back between the
    label block's row groups and, that way, dropped the table's repeated foot: the 年度绩效指标 column ran open at
    the page's foot (陕西 表14, trialW-s27 D2; with these rows, 16 groups take that path on this layout, 17 break as
    usual). Every cut is closed, and the notes print under the table's last row."""
    import subprocess
    from dataclasses import replace

    from helpers import open_table_edges
    from sample_document import noted_indicator_table

    doc = with_outline(replace(sample_document(), tables=[noted_indicator_table(groups)]))
    out = tmp_path / "noted.pdf"
    pdf.write(doc, PROFILE, out)
    pages = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout.split("\f")
    last = next(i for i, p in enumerate(pages) if f"产出指标{groups - 1}" in p)
    assert "注：1、年度绩效指标可选择填写。" in pages[last] and "产出指标0" not in pages[last]
    assert open_table_edges(out) == []


def test_what_the_stylesheet_ignores_is_said(tmp_path):
    """trialZ-s29 D13: a misspelt property appended to a county's html/package.css built silently (WeasyPrint drops it);
    a selector it cannot read was said with no place (trialV2-s29 D3).
    It is said as one warning naming the stylesheet, the place and the rule; the shipped stylesheet has nothing ignored."""
    doc = with_outline(sample_document())
    said: list[str] = []
    pdf.render_pdf(doc, warnings=said)
    assert said == []
    folder = tmp_path / "html"
    folder.mkdir()
    shipped = (pdf.default_template_dir() / "package.css").read_text(encoding="utf-8")
    (folder / "package.css").write_text(shipped + "\n.cover-title { colr: red; }\n@@@ bad { color: red; }\n", encoding="utf-8")
    line = shipped.count("\n") + 2
    pdf.render_pdf(doc, folder, warnings=said)
    [warning] = said
    assert warning.startswith(f"PDF 样式（{folder / 'package.css'}）中有写法不被支持，已忽略：") and \
        f"第 {line} 行第 16 列“colr: red”（不认识的属性）；第 {line + 1} 行选择器“@@@ bad”（无效或不支持" in warning, warning
