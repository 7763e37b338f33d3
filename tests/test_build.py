"""`discloser build`: validate first, write all formats or nothing, never touch the input."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from discloser.build import build
from helpers import ROOT, SHAANXI

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
    for parallel in (True, False):   # the PDF in its own process (its failure raised where Word waits for its pages) or here
        with pytest.raises(RuntimeError, match="disk full"):
            build(SHAANXI, tmp_path, ("docx", "xlsx", "pdf"), parallel=parallel)
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


# ---------------------------------------------------------------------------- stopped from outside

def _ours(marker: str) -> list[int]:
    """The live processes whose command line names `marker` (a build's output folder)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if marker in cmd and int(proc.name) != os.getpid():
                found.append(int(proc.name))
    return found


def test_a_terminated_build_leaves_nothing_and_no_worker(tmp_path):
    """Trial A D5: SIGTERM (timeout, a CI's cancel, docker stop) 7 s into a build left out/.discloser-…/ with the
    finished .xlsx in it, and the PDF's worker process running on, holding the caller's terminal. Terminated, the
    build unwinds as from Ctrl+C: exit 143, the output folder it made is gone, no process of it is left."""
    import signal
    import time

    out = tmp_path / "terminated-out"
    proc = subprocess.Popen([sys.executable, "-m", "discloser.cli", "build", str(SHAANXI), "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    deadline = time.monotonic() + 60
    while not any(out.glob(".discloser-*")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.5)                        # the writers are at work (the PDF in its own process)
    assert proc.poll() is None, "the build finished before it could be stopped"
    assert len(_ours(str(out))) >= 2       # the build and its PDF worker
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143 and "已终止" in err and "Traceback" not in err, err
    assert not out.exists()                # the build made it: nothing of it stays, staging folder included
    deadline = time.monotonic() + 10
    while _ours(str(out)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _ours(str(out)) == []


def test_a_staging_folder_of_a_dead_build_is_swept(tmp_path):
    """A build killed outright (SIGKILL, a power cut) cannot clean up: the next build into the folder removes a
    staging folder whose process is gone, never one of a build still running."""
    out = tmp_path / "out"
    dead = out / ".discloser-999999999-abc"        # beyond any pid this machine hands out
    alive = out / f".discloser-{os.getppid()}-xyz"  # a live process (the test runner's parent)
    for stage in (dead, alive):
        stage.mkdir(parents=True)
        (stage / "半成品.xlsx").write_bytes(b"partial")
    r = subprocess.run([sys.executable, "-m", "discloser.cli", "build", str(SHAANXI), "-o", str(out), "--formats", "xlsx"],
                       capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert r.returncode == 0, r.stderr
    assert not dead.exists() and (alive / "半成品.xlsx").exists()
    assert [p.suffix for p in out.iterdir() if not p.name.startswith(".")] == [".xlsx"]


def test_stopped_while_starting_prints_no_traceback(tmp_path):
    """Trial A D6: Ctrl+C while the command's modules load (a second or more on a busy machine) printed a Python
    traceback. It says 已中断 and exits 130 (or the interpreter, not yet started, dies of the signal)."""
    import signal
    import time

    proc = subprocess.Popen([sys.executable, "-m", "discloser.cli", "validate", str(SHAANXI)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    time.sleep(0.25)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err, err
    assert proc.returncode in (130, -signal.SIGINT, 0), (proc.returncode, err)
