"""`discloser build`: validate first, write all formats or nothing, never touch the input."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from discloser.build import build
from helpers import SHAANXI

NAME = "麟游县医疗保障经办机构2024年单位预算公开"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "discloser.cli", *args], capture_output=True, text=True)


def test_build_writes_the_three_files_named_after_the_department(shaanxi_build):
    """The shared build is `discloser build FILE -o DIR` with no --formats (its JSON export is a sub-folder)."""
    files = sorted(p.name for p in shaanxi_build.folder.iterdir() if p.is_file())
    assert files == [f"{NAME}.docx", f"{NAME}.pdf", f"{NAME}.xlsx"]


def test_formats_subset(tmp_path):
    r = run("build", str(SHAANXI), "-o", str(tmp_path), "--formats", "json,xlsx")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{NAME}.json", f"{NAME}.xlsx"]
    r = run("build", str(SHAANXI), "-o", str(tmp_path / "b"), "--formats", "pdf,odt")
    assert r.returncode == 2 and "odt" in r.stderr and not (tmp_path / "b").exists()


def test_validation_errors_write_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SHAANXI.read_text(encoding="utf-8").replace("amount: 3488570", "amount: 3488000"), encoding="utf-8")
    out = tmp_path / "out"
    r = run("build", str(bad), "-o", str(out))
    assert r.returncode == 1 and "未生成任何文件" in r.stderr and "balance.total" in r.stderr
    assert re.search(r"：有 \d+ 个错误，\d+ 个警告，未生成任何文件。", r.stderr)
    assert not out.exists() or not any(out.iterdir())


def test_strict_turns_warnings_into_errors(tmp_path):
    warn = tmp_path / "warn.yaml"
    warn.write_text(SHAANXI.read_text(encoding="utf-8").replace('"2089999": {amount: 1510, reason: 新招录一人}', '"2089999": {amount: 1510}'),
                    encoding="utf-8")
    assert run("build", str(warn), "-o", str(tmp_path / "a"), "--formats", "json").returncode == 0
    r = run("build", str(warn), "-o", str(tmp_path / "b"), "--formats", "pdf", "--strict")
    assert r.returncode == 1 and "prior.reason" in r.stderr
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").iterdir())


def test_a_failing_writer_leaves_no_partial_package(tmp_path, monkeypatch):
    import discloser.build as b

    def boom(doc, profile, path, options=None):
        Path(path).write_bytes(b"half")
        raise RuntimeError("disk full")

    monkeypatch.setitem(b.WRITERS, "pdf", boom)
    try:
        build(SHAANXI, tmp_path, ("docx", "xlsx", "pdf"))
    except RuntimeError:
        pass
    assert list(tmp_path.iterdir()) == []


def test_the_same_narrative_in_word_and_pdf(shaanxi_build):
    """Every paragraph of the 说明 appears in the .docx and in the PDF's text."""
    from docx import Document as read_docx
    from pypdf import PdfReader

    from helpers import document

    word = {p.text for p in read_docx(shaanxi_build.path("docx")).paragraphs}
    import re

    pages = [p.extract_text() for p in PdfReader(shaanxi_build.path("pdf")).pages]
    pdf_text = re.sub(r"第\d+页共\d+页", "", "".join("".join(pages).split()))   # page footers split paragraphs
    paragraphs = [p for s in document().sections for p in s.paragraphs]
    assert len(paragraphs) > 40
    for p in paragraphs:
        assert p in word
        assert "".join(p.split()) in pdf_text, p[:30]
