"""Command-line conventions: help with examples everywhere, --version, --quiet/--verbose, Chinese
usage errors with documented exit codes, no traceback unless --debug, colours only on a terminal,
and `build` saying where each file went and how many pages it has."""
from __future__ import annotations

import argparse
import os
import pty
import re
import socket
import subprocess
import sys
from importlib.metadata import version

import pytest

from helpers import EXAMPLES, ROOT, SHAANXI

NAME = "麟游县医疗保障经办机构2024年单位预算公开"
ANSI = re.compile(r"\x1b\[")


def run(*args: str, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, "-m", "discloser.cli", *args], capture_output=True, text=True, env=env, **kw)


def leaf_commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(path, parser) of every runnable command, nested ones included (`catalog import` …)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
    for action in subs:
        for name, sub in action.choices.items():
            yield from leaf_commands(sub, (*path, name))


def test_every_command_has_help_with_an_example_and_the_common_options():
    from discloser.cli import parser

    commands = list(leaf_commands(parser()))
    assert {" ".join(p) for p, _ in commands} >= {"validate", "build", "schema", "preview"}
    for path, sub in commands:
        text = sub.format_help()
        name = " ".join(path)
        assert "示例" in text and re.search(rf"^  discloser {re.escape(name)}\b", text, re.M), name
        for option in ("--quiet", "--verbose", "--debug", "--help"):
            assert option in text, (name, option)
        assert sub.description, name


def test_help_and_version_from_the_shell():
    top = run("--help")
    assert top.returncode == 0 and "退出码" in top.stdout and "用法" in top.stdout
    for code in ("0", "1", "2", "3", "130", "141"):
        assert re.search(rf"^  {code}\s", top.stdout, re.M), code
    r = run("build", "--help")
    assert r.returncode == 0 and "discloser build shaanxi-linyou-2024.yaml -o" in r.stdout
    assert "discloser examples shaanxi-linyou-2024" in r.stdout    # where that file comes from, installed (trialH-s28 D2)
    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"discloser {version('discloser')}"


def test_usage_errors_are_chinese_with_exit_2_and_no_traceback(tmp_path):
    cases = {
        ("build", str(SHAANXI)): "缺少参数：-o/--output",
        ("validate", "--format", "xml", str(SHAANXI)): "参数 --format 的取值 'xml' 无效",
        ("validate", "--frobnicate", str(SHAANXI)): "无法识别的参数：--frobnicate",
        ("nosuch",): "参数 命令 的取值 'nosuch' 无效",
        ("build", str(SHAANXI), "-o", str(tmp_path), "--formats", "odt"): "不支持的格式 odt",
        ("build", str(SHAANXI), "-o", str(tmp_path), "--profile", "atlantis"): "找不到版式配置“atlantis”",
        ("preview", str(SHAANXI), "--port", "http"): "端口应为 0–65535 的整数",
        ("preview", str(SHAANXI), "--profile", "atlantis"): "找不到版式配置“atlantis”",
    }
    for args, message in cases.items():
        r = run(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert message in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
        assert re.search(r"（查看帮助：discloser( \w+)? --help）", r.stderr), (args, r.stderr)   # as the README's exit-code table promises
    assert not any(tmp_path.iterdir())
    r = run("build", str(SHAANXI), "-o", str(tmp_path), "--profile", "atlantis")
    assert "（查看帮助：discloser build --help）" in r.stderr
    r = run("codes", " ")
    assert r.returncode == 2 and "（查看帮助：discloser codes --help）" in r.stderr


def test_preview_on_a_port_in_use_says_so(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = run("preview", str(SHAANXI), "--port", str(port), timeout=60)
    assert r.returncode == 2 and f"无法使用端口 {port}（端口已被占用" in r.stderr and "Traceback" not in r.stderr
    assert "Errno" not in r.stderr and "Address" not in r.stderr          # the OS's English reason, in words
    assert "（查看帮助：discloser preview --help）" in r.stderr


def test_the_common_reasons_a_port_cannot_be_had_are_said_in_chinese():
    """Root may bind port 80 here, so the refusal of a low port is the OS error itself."""
    import errno

    from discloser.commands.preview import _why
    from discloser.preview import PortInUse

    for code, words in ((errno.EADDRINUSE, "端口已被占用"), (errno.EACCES, "没有权限"), (errno.EADDRNOTAVAIL, "本机没有这个地址")):
        assert words in _why(PortInUse(code, "English words")) and "English" not in _why(PortInUse(code, "English words"))


@pytest.mark.parametrize("args", [("schema",), ("codes", "养老"), ("codes", "2050201", "--format", "json"),
                                  ("validate", "--format", "json", str(SHAANXI))])
def test_a_reader_that_closes_the_pipe_ends_it_quietly(args):
    """`discloser schema | head -1`: the reader's choice, not a defect — no message, exit 141 (128 + SIGPIPE).
    The read end is closed before discloser writes, so every write meets the closed pipe."""
    read, write = os.pipe()
    os.close(read)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    try:
        r = subprocess.run([sys.executable, "-m", "discloser.cli", *args], stdout=write, stderr=subprocess.PIPE,
                           text=True, env=env, timeout=120)
    finally:
        os.close(write)
    assert r.returncode == 141 and r.stderr == "", (args, r.returncode, r.stderr)


def test_a_pipe_into_head_ends_quietly():
    """The same through a shell, as a clerk types it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    r = subprocess.run(f"{sys.executable} -m discloser.cli schema | head -c 1 >/dev/null; echo ${{PIPESTATUS[0]}}",
                       shell=True, executable="/bin/bash", capture_output=True, text=True, env=env, timeout=120)
    assert r.stdout.strip() in ("0", "141") and "内部错误" not in r.stderr and "Exception" not in r.stderr, r


def test_a_defect_is_an_internal_error_exit_3_with_the_traceback_only_under_debug(monkeypatch, capsys):
    from discloser import cli
    from discloser.commands import schema

    def broken(args):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(schema, "run", broken)
    assert cli.main(["schema"]) == 3
    err = capsys.readouterr().err
    assert "内部错误（ZeroDivisionError: boom）" in err and "--debug" in err and "Traceback" not in err
    assert cli.main(["schema", "--debug"]) == 3
    assert "Traceback" in capsys.readouterr().err
    assert cli.main(["--debug", "schema"]) == 3                 # before or after the command name
    assert "Traceback" in capsys.readouterr().err


def test_build_says_where_each_file_went_and_its_size(shaanxi_build):
    """What `discloser build FILE -o DIR` printed (the shared build, piped like here)."""
    from docx import Document
    from openpyxl import load_workbook
    from pypdf import PdfReader

    lines = shaanxi_build.stdout.splitlines()
    assert len(lines) == 3 and not ANSI.search(shaanxi_build.stdout + shaanxi_build.stderr)       # plain lines when piped
    pdf, docx, xlsx = (shaanxi_build.folder / f"{NAME}.{ext}" for ext in ("pdf", "docx", "xlsx"))
    assert f"{pdf}（PDF，{len(PdfReader(pdf).pages)} 页）" in lines
    titles = [p.text for p in Document(str(docx)).paragraphs if p.style.name == "Table Title"]
    sheets = load_workbook(xlsx).sheetnames
    assert f"{docx}（Word，{len(titles) - 1} 张表）" in lines and titles[0] == "目录" and sheets[0] == "目录"
    assert f"{xlsx}（Excel，{len(sheets)} 个工作表）" in lines
    assert len(titles) == len(sheets)           # the 目录 and each table printed: a title and a worksheet each
    assert len(PdfReader(pdf).pages) > 30
    assert "已生成 3 个文件" in shaanxi_build.stderr


def test_quiet_and_verbose(tmp_path):
    r = run("build", str(SHAANXI), "-o", str(tmp_path / "q"), "--formats", "docx", "--quiet")
    assert r.returncode == 0 and r.stdout == "" and r.stderr == ""
    assert (tmp_path / "q" / f"{NAME}.docx").is_file()
    jiangxi = EXAMPLES / "jiangxi-chaisang-2025.yaml"     # the smallest PDF; its profile's fonts are not installed here
    loud = run("build", str(jiangxi), "-o", str(tmp_path / "p"), "--formats", "pdf")
    assert loud.returncode == 0 and "警告：PDF 字体" in loud.stderr
    r = run("build", str(jiangxi), "-o", str(tmp_path / "pq"), "--formats", "pdf", "--quiet")
    assert r.returncode == 0 and r.stdout == "" and r.stderr == ""      # the writer's warnings are warnings too
    r = run("-v", "build", str(SHAANXI), "-o", str(tmp_path / "v"), "--formats", "docx,xlsx")
    assert r.returncode == 0
    for step in ("校验数据", "生成表格与说明", "写出 Word", "写出 Excel"):
        assert re.search(rf"{step}（累计 \d+\.\d\d 秒）", r.stderr), step
    ok = run("validate", "-q", str(SHAANXI))
    assert ok.returncode == 0 and ok.stdout == "" and ok.stderr == ""
    bad = tmp_path / "bad.yaml"
    bad.write_text(SHAANXI.read_text(encoding="utf-8").replace("amount: 3488570", "amount: 3488000"), encoding="utf-8")
    r = run("validate", "--quiet", str(bad))
    assert r.returncode == 1 and "balance.total" in r.stderr and r.stdout == ""   # errors still shown


def run_on_terminal(*args: str, **env_extra: str) -> tuple[int, str]:
    """Run with stdout and stderr on a pseudo-terminal, as in a clerk's console window."""
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TERM": "xterm-256color", "COLUMNS": "120", **env_extra}
    if "NO_COLOR" not in env_extra:
        env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "discloser.cli", *args], stdout=follower, stderr=follower,
                            stdin=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:   # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return proc.wait(60), b"".join(chunks).decode("utf-8", errors="replace")


@pytest.mark.parametrize("env", [{}, {"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_colours_only_on_a_terminal_that_wants_them(tmp_path, env):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SHAANXI.read_text(encoding="utf-8").replace("amount: 3488570", "amount: 3488000"), encoding="utf-8")
    code, shown = run_on_terminal("validate", str(bad), **env)
    assert code == 1 and "balance.total" in shown and "未通过" in shown
    assert bool(ANSI.search(shown)) is (not env), shown[:300]


def test_build_on_a_terminal_shows_colours_and_the_same_facts(tmp_path):
    code, shown = run_on_terminal("build", str(SHAANXI), "-o", str(tmp_path), "--formats", "docx")
    assert code == 0 and ANSI.search(shown)
    assert f"{NAME}.docx" in shown and re.search(r"Word，\d+ 张表", shown) and "已生成 1 个文件" in shown



def test_the_build_says_what_each_file_holds_as_a_reader_of_it_counts(shaanxi_build):
    """The counts the build prints come from its writers (reading the files back took 0.8 s of a 4-second build,
    and a 20,000-item PDF's streams were past pypdf's decompression limit): each is what an independent reader
    of the written file counts — pypdf's pages, openpyxl's worksheets, python-docx's titled tables."""
    from docx import Document
    from docx.oxml.ns import qn
    from openpyxl import load_workbook
    from pypdf import PdfReader

    pdf, docx, xlsx = (shaanxi_build.path(f) for f in ("pdf", "docx", "xlsx"))
    titles = [p for p in Document(str(docx)).paragraphs
              if p.style.name == "Table Title" and p._p.find(".//" + qn("w:bookmarkStart")) is not None]
    shown = shaanxi_build.stdout
    assert f"{pdf.name}（PDF，{len(PdfReader(pdf).pages)} 页）" in shown, shown
    assert f"{xlsx.name}（Excel，{len(load_workbook(xlsx, read_only=True).sheetnames)} 个工作表）" in shown, shown
    assert f"{docx.name}（Word，{len(titles)} 张表）" in shown and len(titles) > 10, shown


def test_validating_a_data_file_loads_no_spreadsheet_library():
    """openpyxl (and the numpy it imports) took ≈ 0.2 s of every `validate`, a third of a small file's: it
    is loaded only for a workbook. `-X importtime` lists every module the run imported."""
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "discloser.cli", "validate", "-q", str(SHAANXI)],
                       capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert r.returncode == 0, r.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")}
    assert "discloser.rules" in imported and "pydantic" in imported       # the run is read as it happened
    assert not {m for m in imported if m.split(".")[0] in ("openpyxl", "numpy", "docx", "weasyprint")}


@pytest.mark.parametrize("command, name", [(("validate",), "填报.xlsx"), (("import",), "导出.xlsx"), (("import",), "导出.xls"),
                                           (("catalog", "import", "--year", "2025"), "目录.xlsx")])
def test_a_file_that_is_not_a_workbook_is_told_in_words(tmp_path, command, name):
    """Trial A D13: “无法作为 Excel 工作簿（.xlsx）读取：文件已损坏，或不是 .xlsx（BadZipFile）” — the library's
    exception name is no reason a clerk can act on."""
    fake = tmp_path / name
    fake.write_text("这是一个改了扩展名的文本文件\n", encoding="utf-8")
    args = [*command, str(fake)] + (["-o", str(tmp_path / "x.yaml")] if command == ("import",) else
                                    ["-o", str(tmp_path / "cat")] if command[0] == "catalog" else [])
    r = subprocess.run([sys.executable, "-m", "discloser.cli", *args], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert name in r.stderr and "Traceback" not in r.stderr
    assert not re.search(r"[A-Z][a-z]+[A-Z][A-Za-z]+|Error\b|Exception", r.stderr), r.stderr     # BadZipFile, XLRDError …
    assert not (tmp_path / "x.yaml").exists() and not (tmp_path / "cat").exists()


@pytest.mark.parametrize("example, profile", [("shanghai-putuo-2025", "shanghai"), ("henan-shilong-2023", "henan")])
def test_the_word_line_counts_the_tables_the_contents_list(tmp_path, example, profile):
    """Shanghai's Word line said 10 tables (its 目录's title counted) where `profiles` and the 目录 say 9, Henan's 14
    (its 目录 has no such title) beside 15 worksheets (trialV-s28 D3): it counts the tables the Document prints."""
    from docx import Document
    from docx.oxml.ns import qn

    from helpers import EXAMPLES, built_with, write

    _, doc = built_with(EXAMPLES / f"{example}.yaml", profile)
    out = tmp_path / "p.docx"
    assert write("docx", doc, out, profile_name=profile).count == len(doc.tables)
    titled = [p for p in Document(str(out)).paragraphs
              if p.style.name == "Table Title" and p._p.find(".//" + qn("w:bookmarkStart")) is not None]
    assert len(titled) == len(doc.tables)
