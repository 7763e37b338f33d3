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
    from jinja2.exceptions import SecurityError

    from discloser.package import build_document
    from discloser.profile import load_profile

    folder = tmp_path / "tpl" / "narrative" / "national"
    folder.mkdir(parents=True)
    (folder / "overall.j2").write_text(f"## 总体情况\n{source}\n", encoding="utf-8")
    (tmp_path / "mine.yaml").write_text("extends: national\nname: mine\ntemplates: tpl\n", encoding="utf-8")
    load_profile.cache_clear()
    loaded = load(write(tmp_path), str(tmp_path / "mine.yaml"))
    with pytest.raises(SecurityError):
        build_document(loaded.budget, loaded.profile, loaded.catalog)


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
