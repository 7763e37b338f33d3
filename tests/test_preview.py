"""`discloser preview` over HTTP: what the page is given, what it may fetch, and how it follows saves.

The server runs as the user starts it (a subprocess); the browser side is in test_preview_browser.py.
"""
from __future__ import annotations

import io
import re
import shutil
import socket
import time
import urllib.parse

from helpers import SHAANXI, YONGAN, document
from previewing import ROOT, get, running_preview, state, wait_for_state

NAME = "麟游县医疗保障经办机构"
TOTAL = "amount: 3488570"


def raised(text: str) -> str:
    """The example with 200 元 more 公用经费 (revenue, expenditure and 任务1 all raised: still valid)."""
    out = (text.replace(TOTAL, "amount: 3488770")
               .replace('economic: "30207", kind: 公用经费, amount: 1500}', 'economic: "30207", kind: 公用经费, amount: 1700}')
               .replace("amounts: {财政拨款: 1546410}", "amounts: {财政拨款: 1546610}"))
    assert out.count("3488770") == 1 and "amount: 1700}" in out and "1546610" in out
    return out


def test_page_render_contents_and_the_files_it_may_fetch(tmp_path):
    data = tmp_path / "数据.yaml"
    shutil.copy(SHAANXI, data)
    with running_preview(data) as base:
        s = state(base)
        assert s["render"] == 1 and [p for p in s["problems"] if p["severity"] != "notice"] == [] and s["title"] == f"{NAME}2024年单位预算公开"
        captions = {t.caption for t in document().tables}
        listed = {e["text"] for e in s["toc"] if e["table"]}
        assert captions <= listed and len(captions) >= 15
        assert all(e["href"].startswith("#") for e in s["toc"])

        status, headers, body = get(base + "render/1/")
        page = body.decode()
        assert status == 200 and "script-src 'self'" in headers["content-security-policy"]
        assert NAME in page and "file://" not in page and "/static/vendor/paged.polyfill.min.js" in page
        for entry in s["toc"]:
            assert f'id="{entry["href"][1:]}"' in page          # every contents entry jumps somewhere
        css = re.search(r'href="(/files/[^"]+\.css)"', page).group(1)
        status, headers, body = get(base + css.lstrip("/"))
        assert status == 200 and headers["content-type"].startswith("text/css") and b"@page" in body
        assert get(base + "files/etc/passwd")[0] == 404                        # outside the template folders
        assert get(base + "files" + urllib.parse.quote(str(data)))[0] == 404    # the input is not a template file
        assert get(base + "files/" + css[7:] + "/../../../pyproject.toml")[0] == 404
        assert get(base + "static/../cli.py")[0] == 404
        assert get(base, {"Host": "evil.example:80"})[0] == 400                 # no DNS rebinding
        status, headers, body = get(base)
        assert status == 200 and "default-src 'none'" in headers["content-security-policy"]


def test_saves_refresh_invalid_input_keeps_the_last_good_render_and_downloads(tmp_path):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    data = tmp_path / "数据.yaml"
    text = SHAANXI.read_text(encoding="utf-8")
    data.write_text(text, encoding="utf-8")
    with running_preview(data) as base:
        status, headers, body = get(base + "download/pdf")
        assert status == 200 and headers["content-type"] == "application/pdf"
        assert urllib.parse.quote(f"{NAME}2024年单位预算公开.pdf") in headers["content-disposition"]
        pdf = PdfReader(io.BytesIO(body))
        assert len(pdf.pages) > 30 and NAME in pdf.pages[0].extract_text()

        saved = time.monotonic()
        data.write_text(raised(text), encoding="utf-8")
        s = wait_for_state(base, lambda s: s["render"] == 2)
        assert time.monotonic() - saved < 2
        assert "3,488,770.00" in get(base + "render/2/")[2].decode()
        assert get(base + "render/1/")[0] in (200, 307) and "3,488,770.00" in get(base + "render/1/")[2].decode()

        bad = raised(text).replace("amount: 3488770", "amount: 3488000")
        data.write_text(bad, encoding="utf-8")
        s = wait_for_state(base, lambda s: s["errors"] > 0)
        assert s["render"] == 2 and s["stale"] is True
        first = s["problems"][0]
        assert first["rule"] == "balance.total"
        where = first["locations"][0]
        line = bad.splitlines().index("revenues:") + 1
        assert where["line"] == line and where["where"].startswith(f"{data}:{line}:")
        excerpt = where["excerpt"]
        assert excerpt["line"] == line and excerpt["lines"][line - excerpt["first"]] == "revenues:"
        amount = next(loc for p in s["problems"] for loc in p["locations"] if loc["field"] == "revenues[0].amount")
        assert amount["excerpt"]["lines"][amount["line"] - amount["excerpt"]["first"]].strip() == "amount: 3488000"
        assert "3,488,770.00" in get(base + "render/2/")[2].decode()      # the last good render stays
        status, headers, body = get(base + "download/xlsx")               # … and so do the downloads
        book = load_workbook(io.BytesIO(body))
        cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
        assert status == 200 and any(v.startswith("3488770") for v in cells) and not any(v.startswith("3488000") for v in cells)

        data.write_text(text, encoding="utf-8")
        s = wait_for_state(base, lambda s: s["errors"] == 0)
        assert s["render"] == s["version"] and s["stale"] is False


def test_a_user_profile_and_its_templates_are_watched_too(tmp_path):
    data = tmp_path / "数据.yaml"
    shutil.copy(SHAANXI, data)
    (tmp_path / "tpl" / "html").mkdir(parents=True)
    profile = tmp_path / "我省.yaml"
    profile.write_text('extends: shaanxi\nname: mine\nlabel: 测试\ntitle: "{org}{year}年预算公开（试行）"\ntemplates: tpl\n',
                       encoding="utf-8")
    with running_preview(data, "--profile", str(profile)) as base:
        s = state(base)
        assert s["title"] == f"{NAME}2024年预算公开（试行）"
        profile.write_text(profile.read_text(encoding="utf-8").replace("（试行）", "（修订）"), encoding="utf-8")
        s = wait_for_state(base, lambda s: s["title"].endswith("（修订）"))
        css = tmp_path / "tpl" / "html" / "package.css"
        css.write_text("@page { size: A4; } body { color: #123456; }", encoding="utf-8")
        s = wait_for_state(base, lambda s: s["render"] > 2)
        page = get(base + f"render/{s['render']}/")[2].decode()
        served = f"/files{css.resolve()}"
        assert served in page
        assert b"#123456" in get(base + served.lstrip("/"))[2]


def test_user_text_is_escaped_in_the_page(tmp_path):
    data = tmp_path / "<b>数据&.yaml"
    data.write_text(SHAANXI.read_text(encoding="utf-8").replace(f"name: {NAME}", 'name: "<script>alert(1)</script>&局"', 1),
                    encoding="utf-8")
    with running_preview(data) as base:
        s = state(base)
        assert s["render"] == 1, s["problems"]
        page = get(base + "render/1/")[2].decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;局" in page and "<script>alert(1)" not in page
        shell = get(base)[2].decode()
        assert "&lt;b&gt;数据&amp;.yaml" in shell and "<b>数据" not in shell


def test_events_stream_announces_each_new_state(tmp_path):
    data = tmp_path / "数据.yaml"
    text = SHAANXI.read_text(encoding="utf-8")
    data.write_text(text, encoding="utf-8")
    with running_preview(data) as base:
        port = int(base.rsplit(":", 1)[1].strip("/"))
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
            stream = conn.makefile("rb")
            seen: list[str] = []

            def next_event() -> str:
                while True:
                    line = stream.readline().decode()
                    if line.startswith("data: "):
                        return line
            first = next_event()
            assert '"version": 1' in first
            data.write_text(raised(text), encoding="utf-8")
            seen.append(next_event())
        assert '"version": 2' in seen[0]


def test_named_page_sizes_for_the_paged_view():
    from discloser.preview.pages import named_page_sizes, size_rules
    from discloser.resources import template

    shipped = named_page_sizes(template("html/package.css").read_text(encoding="utf-8"))
    assert shipped == {"landscape": ("297mm", "210mm")}
    css = "@page { size: A4 } @page :first { size: A3 } @page wide { margin: 1cm; size: 420mm 297mm } @page x { size: letter landscape }"
    assert named_page_sizes(css) == {"wide": ("420mm", "297mm"), "x": ("11in", "8.5in")}
    assert "--pagedjs-width-right:420mm" in size_rules({"wide": ("420mm", "297mm")})


def test_ctrl_c_with_open_pages_and_bad_requests_ends_with_only_our_chinese_line(tmp_path):
    """Ctrl+C while pages hold their event streams open ends those streams (no waiting for the
    browser, no cancelled-task traceback of uvicorn); a malformed request is not reported in the
    library's English. stderr holds only our Chinese lines; the exit is 130 (README: Command line)."""
    import os
    import signal
    import subprocess
    import sys

    data = tmp_path / "数据.yaml"
    shutil.copy(YONGAN, data)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "discloser.cli", "preview", str(data)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    pages = []
    try:
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", proc.stdout.readline()).group(1))
        for _ in range(3):                              # three open pages, each with its event stream
            conn = socket.create_connection(("127.0.0.1", port), timeout=10)
            conn.sendall(b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
            stream = conn.makefile("rb")
            while not stream.readline().startswith(b"data: "):
                pass
            pages.append((conn, stream))
        with socket.create_connection(("127.0.0.1", port), timeout=10) as bad:
            bad.sendall(b"\x16\x03\x01 not http\r\n\r\n")     # e.g. https:// typed for the http address
            assert bad.recv(1000).startswith(b"HTTP/1.1 400")
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        for conn, stream in pages:                      # the server ends every stream itself: the last chunk
            rest = stream.read()                        # (a cancelled response is cut off without it)
            assert rest.endswith(b"0\r\n\r\n"), rest
        out, err = proc.communicate(timeout=20)
        assert time.monotonic() - started < 5
    finally:
        for conn, _ in pages:
            conn.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    assert err.strip().splitlines() == ["保存数据文件后页面会自动刷新；按 Ctrl+C 停止。", "discloser：已中断。"], err


def test_a_failure_of_the_preview_itself_is_said_once_in_chinese():
    import asyncio
    import logging

    from discloser.preview import _ClerkLog

    said: list[str] = []
    log = _ClerkLog(said.append)

    def record(exc, msg="Exception in ASGI application\n", level=logging.ERROR):
        return logging.LogRecord("uvicorn.error", level, __file__, 1, msg, (), (type(exc), exc, None) if exc else None)

    log.handle(record(None, "Invalid HTTP request received.", logging.WARNING))
    log.handle(record(asyncio.CancelledError()))
    assert said == []
    log.handle(record(ValueError("坏了")))
    log.handle(record(ValueError("又坏了")))
    assert said == ["discloser：预览内部错误（ValueError: 坏了），页面可能显示不全。这不是数据的问题；请把这一行附在问题报告里。"]


def test_template_problems_carry_the_lines_of_the_template_around_them(tmp_path):
    """README (Preview): each location has an expander with the lines around it — a template's too."""
    from discloser.preview.render import CONTEXT_LINES, render

    narrative = tmp_path / "tpl" / "narrative" / "national"
    narrative.mkdir(parents=True)
    shipped = (ROOT / "templates" / "narrative" / "national" / "duties.j2").read_text(encoding="utf-8").splitlines()
    profile = tmp_path / "我县.yaml"
    profile.write_text("extends: national\nname: 我县\nlabel: 测试\ntemplates: tpl\n", encoding="utf-8")
    for broken, rule in (("{{ n.no_such_fact.x }}", "template"), ("{% if %}", "template.syntax")):
        lines = shipped[:3] + [broken] + shipped[3:]
        (narrative / "duties.j2").write_text("\n".join(lines) + "\n", encoding="utf-8")
        made = render(str(YONGAN), str(profile))
        problem = next(p for p in made.problems if p.rule.startswith(rule))
        where = problem.locations[0]
        assert where.file.endswith("duties.j2") and where.line == 4, problem
        shown = made.excerpts[where]
        assert shown.line == 4 and shown.first == 4 - CONTEXT_LINES
        assert list(shown.lines) == lines[4 - CONTEXT_LINES - 1:4 + CONTEXT_LINES]
