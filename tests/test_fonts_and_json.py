"""Fonts by role (the first installed one, a warning once per role when it falls back, --font-dir),
and the json writer: the Document itself, as every writer receives it."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from conftest import build_example
from discloser.writers import WRITERS
from discloser.writers.fonts import ROLES, Fonts
from helpers import ROOT, SHAANXI, document, profile

ROLE_NAMES = [label for label, _, _ in ROLES.values()]


def pdf_fonts(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_build_warns_once_per_role_that_falls_back(shaanxi_build):
    lines = [ln for ln in shaanxi_build.stderr.splitlines() if "PDF 字体" in ln]
    installed = Fonts().installed
    wanted = {role: spec.split(",")[0].strip() for role, spec in profile().fonts.items()}
    missing = {role for role, name in wanted.items() if name not in installed}
    assert len(lines) == len(missing) == 4                       # none of 方正小标宋简体 / 黑体 / 仿宋_GB2312 / 宋体 here
    for role in missing:
        label = ROLES[role][0]
        assert sum(f"{label}字体“{wanted[role]}”未安装" in ln for ln in lines) == 1
    assert all("--font-dir" in ln for ln in lines)


def _renamed_font(source: Path, family: str, postscript: str, target: Path) -> Path:
    font = TTFont(source)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 4, 16):
            names.removeNames(nameID=record.nameID)
    for lang in (0x409, 0x804):
        names.setName(family, 1, 3, 1, lang)
        names.setName(family, 4, 3, 1, lang)
    names.removeNames(nameID=6)
    names.setName(postscript, 6, 3, 1, 0x409)
    font.save(target)
    return target


def test_font_dir_adds_the_profiles_font_to_the_pdf(tmp_path):
    folder = tmp_path / "fonts"
    folder.mkdir()
    _renamed_font(Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"), "仿宋_GB2312", "FangSongGB2312-Test",
                  folder / "fangsong.ttf")
    out = tmp_path / "out"
    r = build_example(SHAANXI, out, "--font-dir", str(folder))
    assert r.returncode == 0, r.stderr
    warned = [ln for ln in r.stderr.splitlines() if "PDF 字体" in ln]
    assert len(warned) == 3 and not any("正文" in ln for ln in warned)   # the body font was found
    assert "仿宋_GB2312" in pdf_fonts(next(out.glob("*.pdf")))      # and used (Latin glyphs; CJK from Noto)


def test_font_dir_must_exist_and_an_empty_one_is_reported(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    r = subprocess.run([sys.executable, "-m", "discloser.cli", "build", str(SHAANXI), "-o", str(tmp_path / "o"),
                        "--font-dir", str(tmp_path / "nope")], capture_output=True, text=True, env=env)
    assert r.returncode == 2 and "字体文件夹不存在" in r.stderr and not (tmp_path / "o").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    fonts = Fonts((empty,))
    assert any("没有字体文件" in w for w in fonts.warnings)


def test_pdf_uses_the_first_installed_family_of_each_role():
    fonts = Fonts()
    css = fonts.css("No Such Font, Noto Sans CJK SC, Noto Serif CJK SC", "body")
    assert css.startswith('"Noto Sans CJK SC"')
    assert fonts.warnings == ["PDF 字体：正文字体“No Such Font”未安装，改用“Noto Sans CJK SC”（可用 --font-dir 指定含该字体的文件夹）"]
    fonts.css("Noto Serif CJK SC", "title")
    assert len(fonts.warnings) == 1                              # the first choice is installed: no warning


# ----------------------------------------------------------------------------- json


@pytest.fixture(scope="module")
def native(shaanxi_build):
    return json.loads(shaanxi_build.path("json").read_text(encoding="utf-8"))


def test_json_holds_every_table_cell_as_the_writers_receive_it(native):
    doc = document()
    assert native["format"] == "discloser-document" and native["title"] == doc.title
    assert len(native["tables"]) == len(doc.tables)
    for jt, t in zip(native["tables"], doc.tables):
        assert (jt["number"], jt["title"], jt["empty"], jt["form"], jt["subject"]) == (t.number, t.title, t.empty, t.form, t.subject)
        for jrows, rows in ((jt["header"], t.header), (jt["body"], t.body)):
            assert len(jrows) == len(rows)
            for jr, r in zip(jrows, rows):
                assert jr["kind"] == r.kind.value
                for jc, c in zip(jr["cells"], r.cells, strict=True):
                    assert (jc["text"], jc["kind"], jc.get("colspan", 1), jc.get("rowspan", 1)) == \
                        (c.text, c.kind.value, c.colspan, c.rowspan)
                    assert (Decimal(jc["value"]) if "value" in jc else None) == c.value
    assert [s["title"] for s in native["sections"]] == [s.title for s in doc.sections]
    assert native["sections"][3]["paragraphs"] == doc.sections[3].paragraphs
    assert [(e["id"], e["kind"], e["level"], e["label"]) for e in native["outline"]] == \
        [(e.id, e.kind.value, e.level, e.label) for e in doc.outline]


def test_json_has_no_float_and_names_its_source(native, shaanxi_build):
    def walk(value):
        if isinstance(value, dict):
            for k, v in value.items():
                if k != "columns":             # relative column widths are layout hints, not figures
                    yield from walk(v)
        elif isinstance(value, list):
            for v in value:
                yield from walk(v)
        else:
            yield value
    assert [v for v in walk(native) if isinstance(v, float)] == []
    source = shaanxi_build.source.read_bytes()
    assert native["source"] == {"name": shaanxi_build.source.name, "size": len(source),
                                "sha256": hashlib.sha256(source).hexdigest()}
    values = [c["value"] for t in native["tables"] for r in t["body"] for c in r["cells"] if "value" in c]
    assert values and all(isinstance(v, str) for v in values) and "3488570.00" in values


def test_json_writer_through_the_registry(tmp_path):
    out = tmp_path / "doc.json"
    written = WRITERS["json"](document(), profile(), out)
    assert written.warnings == [] and json.loads(out.read_text(encoding="utf-8"))["year"] == 2024
