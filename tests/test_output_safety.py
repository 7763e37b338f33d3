"""Output safety (issue 16) beyond the corpus: outputs never over the input nor outside their folder,
the narrative sandbox, template placeholders filled once, WeasyPrint pinned past its published
URL-fetcher bypasses and resources an attachment link asks for refused."""
from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path

import pytest
import pypdf

from discloser.build import build
from discloser.validate import load
from helpers import ROOT, province_template

BASE = (ROOT / "tests" / "corpus" / "base.yaml").read_text(encoding="utf-8")


def write(folder: Path, text: str = BASE, name: str = "budget.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_output_named_like_the_input_is_refused_and_the_input_kept(tmp_path):
    """A JSON input in the output folder, named as the package would be: build stops before writing."""
    out = tmp_path / "out"
    source = write(out, json.dumps(load(write(tmp_path)).source.data, ensure_ascii=False, default=str),
                   "示例县档案馆2026年单位预算.json")
    before = source.read_bytes()
    result = build(source, out, ("xlsx", "json"))
    assert result.refused and not result.written
    [p] = [p for p in result.loaded.problems if p.rule == "build.output"]
    assert "就是输入文件" in p.message and p.locations[0].file == str(source)
    assert source.read_bytes() == before and sorted(f.name for f in out.iterdir()) == [source.name]


def test_an_output_folder_that_is_a_file_is_a_located_problem(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("not a folder", encoding="utf-8")
    result = build(write(tmp_path), blocker, ("json",))
    assert result.refused
    [p] = [p for p in result.loaded.problems if p.rule == "build.output"]
    assert "是一个文件，不是文件夹" in p.message and blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_name_with_path_separators_is_printed_but_not_followed(tmp_path):
    text = BASE.replace("  name: 示例县档案馆", "  name: ../../示例县/档案馆\\局")
    result = build(write(tmp_path / "in", text), tmp_path / "out", ("json",))
    [written] = result.written
    assert written.parent == tmp_path / "out" and written.name == "_.._示例县_档案馆_局2026年单位预算.json"
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == \
        ["in/budget.yaml", f"out/{written.name}"]
    document = json.loads(written.read_text(encoding="utf-8"))
    assert document["organization"] == "../../示例县/档案馆\\局"   # printed as typed


def test_placeholders_in_the_organization_name_are_not_filled(tmp_path):
    """{org} is filled once: a name that itself says {year}/{scope} prints as typed."""
    text = BASE.replace("  name: 示例县档案馆", '  name: "{year}{scope}{table_scope}局"')
    result = build(write(tmp_path, text), tmp_path / "out", ("json",))
    document = json.loads(result.written[0].read_text(encoding="utf-8"))
    assert document["title"] == "{year}{scope}{table_scope}局2026年单位预算"
    assert all(t["department"] == "{year}{scope}{table_scope}局" for t in document["tables"])


@pytest.mark.parametrize("source", ["{{ n.__class__.__mro__ }}", "{{ ''.__class__.__mro__[1].__subclasses__() }}",
                                    "{{ n.f.budget.__init__.__globals__ }}"])
def test_a_narrative_template_cannot_reach_python(tmp_path, source):
    """The sandbox refuses, and the refusal is a located Chinese problem in the template (build writes nothing)."""
    from discloser.profile import load_profile

    folder = tmp_path / "tpl" / "narrative" / "national"
    folder.mkdir(parents=True)
    (folder / "overall.j2").write_text(f"## 总体情况\n{source}\n", encoding="utf-8")
    (tmp_path / "mine.yaml").write_text("extends: national\nname: mine\ntemplates: tpl\n", encoding="utf-8")
    load_profile.cache_clear()
    result = build(write(tmp_path), tmp_path / "out", ("json",), profile=str(tmp_path / "mine.yaml"))
    assert result.refused and not (tmp_path / "out").exists()
    [p] = result.loaded.errors
    assert p.rule == "template.unsafe" and "模板不能访问 __" in p.message
    assert (p.locations[0].file, p.locations[0].line) == (str(folder / "overall.j2"), 2)


def test_weasyprint_is_pinned_past_the_url_fetcher_bypasses():
    """WeasyPrint < 70 has published URL-fetcher bypasses (see docs/security.md); the fetcher is our
    security boundary, so the pin also stops at the next major version, whose fetcher API must be re-checked."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"weasyprint>=70(\.0)?,<71"', pyproject)
    major = int(version("weasyprint").split(".")[0])
    assert major == 70


def test_an_attachment_link_in_a_province_template_fetches_nothing(tmp_path, monkeypatch):
    """<link rel=attachment> made WeasyPrint 61.0–61.1 embed any file despite the fetcher: the PDF
    carries only the input file, and the fetcher saw and refused the request."""
    from discloser.writers import pdf

    folder = province_template(tmp_path, "<head>", '<link rel="attachment" href="file:///etc/hostname" title="leak">'
                                                   '<link rel="attachment" href="http://169.254.169.254/latest/meta-data/">')
    seen, original = [], pdf.url_fetcher_for
    monkeypatch.setattr(pdf, "url_fetcher_for", lambda f: seen.append(original(f)) or seen[-1])
    loaded = load(write(tmp_path))
    from discloser.package import build_document
    import dataclasses

    doc = dataclasses.replace(build_document(loaded.budget, loaded.profile, loaded.catalog),
                              source_name="budget.yaml", source_bytes=BASE.encode("utf-8"), templates={"pdf": str(folder)})
    out = tmp_path / "p.pdf"
    pdf.write(doc, loaded.profile, out)
    assert {"file:///etc/hostname", "http://169.254.169.254/latest/meta-data/"} <= set(seen[0].refused)
    names = list(pypdf.PdfReader(str(out)).attachments)
    assert names == ["budget.yaml"]


# ----------------------------------------------------------------------------- a province's templates (trial T s24)

SECRET = "SECRET-OUTSIDE-FOLDER"


def _profile(tmp_path: Path, body: str = "") -> Path:
    """A profile extending national with its own templates folder `tpl/` (made here)."""
    from discloser.profile import load_profile

    (tmp_path / "tpl" / "narrative" / "national").mkdir(parents=True, exist_ok=True)
    (tmp_path / "tpl" / "html").mkdir(exist_ok=True)
    mine = tmp_path / "mine.yaml"
    mine.write_text("extends: national\nname: mine\ntemplates: tpl\n" + body, encoding="utf-8")
    load_profile.cache_clear()
    return mine


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET + "\n", encoding="utf-8")
    return secret


def _everything_written(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file()) if folder.exists() else b""


def test_a_section_template_linked_outside_its_folder_is_refused_at_its_line(tmp_path):
    """A narrative .j2 that is a symlink to a file elsewhere is never read: the profile names it at its line."""
    from discloser.profile import ProfileError, load_profile

    mine = _profile(tmp_path, "narrative:\n  - '# 概况'\n  - national/leak.j2\n")
    (tmp_path / "tpl" / "narrative" / "national" / "leak.j2").symlink_to(_secret(tmp_path))
    with pytest.raises(ProfileError) as e:
        load_profile(str(mine))
    [p] = e.value.problems
    assert p.rule == "profile.schema" and (p.locations[0].file, p.locations[0].line, p.locations[0].column) == (str(mine), 6, 5)
    assert "national/leak.j2 指向模板文件夹以外的文件" in p.message
    result = build(write(tmp_path), tmp_path / "out", ("json",), profile=str(mine))
    assert result.refused and not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind", ["narrative", "html"])
def test_an_include_of_a_file_linked_outside_the_folder_is_refused(tmp_path, kind):
    """{% include %} of a symlink that leads out of the template folder: a located error in validate and build,
    and the secret is in no output (the loader resolves real paths, as the PDF's fetcher does)."""
    from discloser.writers import pdf

    mine = _profile(tmp_path)
    if kind == "narrative":
        template = tmp_path / "tpl" / "narrative" / "national" / "overall.j2"
        template.write_text("## 总体情况\n{% include 'national/leak.txt' %}\n", encoding="utf-8")
        (template.parent / "leak.txt").symlink_to(_secret(tmp_path))
        line = 2
    else:
        template = tmp_path / "tpl" / "html" / pdf.TEMPLATE
        source = (pdf.default_template_dir() / pdf.TEMPLATE).read_text(encoding="utf-8")
        template.write_text(source.replace("<body>", "<body>{% include 'leak.txt' %}", 1), encoding="utf-8")
        (template.parent / "leak.txt").symlink_to(_secret(tmp_path))
        line = source[:source.index("<body>")].count("\n") + 1
    loaded = load(write(tmp_path), str(mine))
    [p] = loaded.errors
    assert p.rule == "template.include" and "指向模板文件夹以外的文件" in p.message
    assert (p.locations[0].file, p.locations[0].line) == (str(template), line)
    result = build(write(tmp_path), tmp_path / "out", ("json", "pdf"), profile=str(mine))
    assert result.refused and SECRET.encode() not in _everything_written(tmp_path / "out")


def _hostile_reference(path: Path) -> None:
    """The shipped reference.docx as a county might leave it after editing it in Word: sample text and an
    INCLUDETEXT field in the body, a header and a footer with fields and a linked picture, an attached template
    on a server — and the looks it means: Heading 1 in red, a 400-twip line grid."""
    from docx import Document as open_docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import RGBColor

    from discloser.resources import template

    ATTACHED_TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
    d = open_docx(str(template("docx/reference.docx")))
    d.add_paragraph("TEMPLATE-BODY-TEXT 模板里的示例文字")
    field = ('<w:p {w}><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> INCLUDETEXT '
             '"http://127.0.0.1:9/inc.txt" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
             '<w:r><w:t>INC</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>').format(w=nsdecls("w"))
    d.element.body.find(qn("w:sectPr")).addprevious(parse_xml(field))
    section = d.sections[0]
    header = section.header.paragraphs[0]
    header.text = "HEADER-TEXT"
    header._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=\' INCLUDEPICTURE "http://127.0.0.1:9/p.png" \\d \'>'
                               '<w:r><w:t>P</w:t></w:r></w:fldSimple>'))
    section.header.part.relate_to("http://127.0.0.1:9/linked.png", RT.IMAGE, is_external=True)
    footer = section.footer.paragraphs[0]
    footer.text = "FOOTER-TEXT"
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=\' HYPERLINK "http://127.0.0.1:9/x" \'>'
                               '<w:r><w:t>L</w:t></w:r></w:fldSimple>'))
    rid = d.part.part_related_by(RT.SETTINGS).relate_to("http://127.0.0.1:9/remote.dotm", ATTACHED_TEMPLATE,
                                                       is_external=True)
    d.settings.element.insert(0, parse_xml(f'<w:attachedTemplate {nsdecls("w", "r")} r:id="{rid}"/>'))
    d.styles["Heading 1"].font.color.rgb = RGBColor(0xFF, 0x00, 0x00)
    section._sectPr.find(qn("w:docGrid")).set(qn("w:linePitch"), "400")
    d.save(str(path))


def test_a_province_reference_docx_gives_its_looks_and_nothing_else(tmp_path):
    """Only the styles and the section settings of a province's reference.docx reach the package: not its body
    text, its header or footer, its fields (only TOC, TC, PAGEREF, and PAGE / NUMPAGES in the writer's footer)
    nor any external relationship — Word updates fields on opening and would fetch what they name."""
    import zipfile

    from docx import Document as read_docx
    from docx.shared import RGBColor

    mine = _profile(tmp_path)
    (tmp_path / "tpl" / "docx").mkdir()
    _hostile_reference(tmp_path / "tpl" / "docx" / "reference.docx")
    result = build(write(tmp_path), tmp_path / "out", ("docx",), profile=str(mine))
    [docx] = result.written
    with zipfile.ZipFile(docx) as z:
        parts = {name: z.read(name).decode("utf-8", "replace") for name in z.namelist() if name.endswith((".xml", ".rels"))}
    everything = "".join(parts.values())
    for planted in ("TEMPLATE-BODY-TEXT", "HEADER-TEXT", "FOOTER-TEXT", "127.0.0.1", "INCLUDE", "HYPERLINK", "attachedTemplate"):
        assert planted not in everything, planted
    assert not [name for name, text in parts.items() if name.endswith(".rels") and 'TargetMode="External"' in text]
    instructions = re.findall(r'w:instr="([^"]*)"', everything) + re.findall(r"<w:instrText[^>]*>([^<]*)<", everything)
    assert {i.split()[0] for i in instructions} == {"TOC", "TC", "PAGEREF", "PAGE", "NUMPAGES"}
    read = read_docx(str(docx))
    assert read.paragraphs[0].text == "" and "示例县档案馆" in "".join(p.text for p in read.paragraphs[:8])
    assert read.styles["Heading 1"].font.color.rgb == RGBColor(0xFF, 0x00, 0x00)   # the looks are the province's
    assert re.search(r'<w:docGrid [^>]*w:linePitch="400"', parts["word/document.xml"])


def test_an_unreadable_reference_docx_is_a_located_error(tmp_path):
    mine = _profile(tmp_path)
    (tmp_path / "tpl" / "docx").mkdir()
    (tmp_path / "tpl" / "docx" / "reference.docx").write_text("not a zip", encoding="utf-8")
    result = build(write(tmp_path), tmp_path / "out", ("docx",), profile=str(mine))
    [p] = result.loaded.errors
    assert result.refused and p.rule == "template.docx" and "不是可读的 .docx 文件" in p.message
    assert p.locations[0].file == str(tmp_path / "tpl" / "docx" / "reference.docx") and not (tmp_path / "out").exists()


def test_a_province_template_that_is_a_zip_bomb_is_refused_before_it_is_opened(tmp_path):
    """The clerk's workbooks are checked for what they unpack to (trialT-s24 D5); a province's template.xlsx is a
    zip as well, opened by the Excel writer: refused at the file the same way, nothing written."""
    from discloser.resources import template as packaged
    from discloser.unpack_limits import MAX_UNPACKED
    from helpers import xlsx_bomb

    mine = _profile(tmp_path)
    (tmp_path / "tpl" / "xlsx").mkdir()
    bomb = xlsx_bomb(Path(packaged("xlsx/template.xlsx")), tmp_path / "tpl" / "xlsx" / "template.xlsx",
                     MAX_UNPACKED // 2**20 + 1)
    result = build(write(tmp_path), tmp_path / "out", ("xlsx",), profile=str(mine))
    [p] = result.loaded.errors
    assert result.refused and p.rule == "template.file" and "xlsx/template.xlsx" in p.message and "解压后" in p.message
    assert p.locations[0].file == str(bomb) and not (tmp_path / "out").exists()


@pytest.mark.parametrize("existing", [False, True])
def test_a_failing_pdf_leaves_no_folder_that_was_not_there(tmp_path, existing):
    """The PDF's template fails (after the output folder was made): the folders the build created are removed,
    one that was there before stays, empty."""
    from discloser.writers import pdf

    mine = _profile(tmp_path)
    source = (pdf.default_template_dir() / pdf.TEMPLATE).read_text(encoding="utf-8")
    (tmp_path / "tpl" / "html" / pdf.TEMPLATE).write_text(source.replace("<body>", "<body>{{ doc.__class__ }}", 1),
                                                          encoding="utf-8")
    out = tmp_path / "out" / "deeper"
    if existing:
        out.mkdir(parents=True)
    result = build(write(tmp_path), out, ("docx", "xlsx", "pdf"), profile=str(mine))
    assert result.refused and [p.rule for p in result.loaded.errors] == ["template.unsafe"]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if "out" in p.parts) == \
        (["out", "out/deeper"] if existing else [])


def _hostile_workbook(path: Path) -> None:
    """The shipped template.xlsx with what a county could leave in it: a sheet with text, a workbook-level name
    holding a formula, and a link to a workbook on a server (an externalLink part, TargetMode External)."""
    import io
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.workbook.defined_name import DefinedName

    from discloser.resources import template

    wb = load_workbook(template("xlsx/template.xlsx"))
    wb.create_sheet("样表")["A1"] = "TEMPLATE-CELL-TEXT"
    wb.defined_names["leak"] = DefinedName("leak", attr_text='HYPERLINK("http://127.0.0.1:9/x")')
    buffer = io.BytesIO()
    wb.save(buffer)
    ns = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(buffer) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</sheets>", f'</sheets><externalReferences><externalReference xmlns:r="{r}" r:id="rIdX"/></externalReferences>'.encode())
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", f'<Relationship Id="rIdX" Type="{r}/externalLink" Target="externalLinks/externalLink1.xml"/>'
                             f'</Relationships>'.encode())
    parts["xl/externalLinks/externalLink1.xml"] = (
        f'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{r}">'
        '<externalBook r:id="rId1"><sheetNames><sheetName val="S"/></sheetNames></externalBook></externalLink>').encode()
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        f'<Relationships {ns}><Relationship Id="rId1" Type="{r}/externalLinkPath" Target="http://127.0.0.1:9/book.xlsx" '
        'TargetMode="External"/></Relationships>').encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/externalLinks/externalLink1.xml" '
                     b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>')
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_a_province_template_workbook_gives_its_styles_and_nothing_else(tmp_path):
    """A province's template.xlsx gives the named styles; its sheets, workbook names and links to other
    workbooks do not reach the published .xlsx (Excel would offer to update such a link, fetching the URL)."""
    import zipfile

    from openpyxl import load_workbook

    mine = _profile(tmp_path)
    (tmp_path / "tpl" / "xlsx").mkdir()
    _hostile_workbook(tmp_path / "tpl" / "xlsx" / "template.xlsx")
    assert "leak" in load_workbook(tmp_path / "tpl" / "xlsx" / "template.xlsx", keep_links=True).defined_names
    result = build(write(tmp_path), tmp_path / "out", ("xlsx",), profile=str(mine))
    [xlsx] = result.written
    with zipfile.ZipFile(xlsx) as z:
        everything = b"".join(z.read(name) for name in z.namelist())
        names = z.namelist()
    for planted in (b"TEMPLATE-CELL-TEXT", b"127.0.0.1", b"HYPERLINK", b"externalReference", b'TargetMode="External"'):
        assert planted not in everything, planted
    assert not [n for n in names if "externalLink" in n]
    book = load_workbook(xlsx)
    assert "样表" not in book.sheetnames and "dc_text" in book.named_styles   # the template's styles are used


def test_a_writer_that_crashes_leaves_no_folder_that_was_not_there(tmp_path, monkeypatch):
    """Not only a template's mistake: any failing writer (here a disk that fills up) leaves no new folder."""
    import discloser.build as b

    def boom(doc, profile, path, options=None):
        Path(path).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(b.WRITERS, "pdf", boom)
    with pytest.raises(OSError):
        build(write(tmp_path / "in"), tmp_path / "out" / "deeper", ("xlsx", "pdf"), parallel=False)
    assert not (tmp_path / "out").exists()
