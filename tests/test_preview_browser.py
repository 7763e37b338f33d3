"""The preview in a real browser: Debian's Chromium, driven by Playwright (system browser, no download).

Start the preview of the Shaanxi example copied to a temporary folder, load the page, save changes to
the file and see them in the paged package; save an invalid file and see the located error above the
last good render. Marked `browser` (select with ``-m browser``); part of the normal suite and CI.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from helpers import SHAANXI
from previewing import launch_chromium, running_preview
from test_preview import NAME, raised

pytestmark = pytest.mark.browser
RENAMED = "麟游县医疗保障服务中心"


@pytest.fixture()
def page():
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            yield browser.new_page(viewport={"width": 1400, "height": 1000})
        finally:
            browser.close()


def package(page):
    """The visible package frame (the one swapped in after Paged.js laid it out)."""
    return page.frame_locator("iframe.shown")


def in_view(locator) -> bool:
    """The element's top is inside the frame's viewport (and the frame is scrolled, not at the cover)."""
    return locator.evaluate("e => { const r = e.getBoundingClientRect();"
                            " return window.scrollY > 1000 && r.top > -50 && r.top < window.innerHeight / 2; }")


def test_edits_show_up_and_an_invalid_edit_shows_the_located_error(tmp_path, page):
    data = tmp_path / "shaanxi.yaml"
    text = SHAANXI.read_text(encoding="utf-8")
    data.write_text(text, encoding="utf-8")
    with running_preview(data) as base:
        page.goto(base)
        expect(page.locator("body")).to_have_attribute("data-paged", "1", timeout=30_000)
        frame = package(page)
        expect(frame.locator(".pagedjs_page").first).to_contain_text(NAME)
        assert frame.locator(".pagedjs_page").count() > 30               # laid out as printed pages
        third = frame.locator(".pagedjs_page").nth(2)
        expect(third).to_have_attribute("data-page-number", "3")
        expect(third.locator(".pagedjs_margin-bottom-center")).to_have_class(re.compile("hasContent"))  # 第 3 页 共 N 页
        expect(page.locator("#problems")).to_be_hidden()
        wide = frame.locator(".pagedjs_landscape_page").first                 # 表1 is printed landscape
        assert wide.evaluate("e => e.offsetWidth > e.offsetHeight")
        assert frame.locator(".pagedjs_page").first.evaluate("e => e.offsetWidth < e.offsetHeight")
        expect(page.locator("#toc a", has_text="表1 部门综合预算收支总表")).to_have_count(1)

        # the organization name: the cover and every table header follow the save
        data.write_text(text.replace(f"name: {NAME}", f"name: {RENAMED}", 1), encoding="utf-8")
        expect(page.locator("body")).to_have_attribute("data-paged", "2", timeout=10_000)
        expect(frame.locator(".pagedjs_page").first).to_contain_text(RENAMED)
        expect(frame.locator("body")).not_to_contain_text(NAME + "2024")

        # an amount: jump to 表1 through the contents, its total follows the save
        link = page.locator("#toc a", has_text="表1 部门综合预算收支总表")
        link.click()
        table1 = frame.locator(link.get_attribute("href"))
        assert in_view(table1)
        expect(table1).to_contain_text("3,488,570.00")
        data.write_text(raised(text), encoding="utf-8")
        expect(page.locator("body")).to_have_attribute("data-paged", "3", timeout=10_000)
        expect(table1).to_contain_text("3,488,770.00")
        expect(frame.locator("body")).not_to_contain_text("3,488,570.00")
        assert in_view(table1)                                           # the reader stays at 表1

        # an invalid edit: located error on top, the last good render stays
        bad = raised(text).replace("amount: 3488770", "amount: 3488000")
        data.write_text(bad, encoding="utf-8")
        problems = page.locator("#problems")
        expect(problems).to_be_visible(timeout=10_000)
        line = bad.splitlines().index("revenues:") + 1
        first = problems.locator("li.problem").first
        expect(first).to_contain_text("balance.total")
        expect(first).to_contain_text(f"{data}:{line}:")
        expect(first.locator("pre.excerpt .hit").first).to_have_text(re.compile(rf"^{line}\s*revenues:"))
        expect(page.locator("#stale")).to_be_visible()
        expect(page.locator("#status")).to_contain_text("最后有效版本")
        expect(page.locator("body")).to_have_attribute("data-render", "3")
        expect(frame.locator("body")).to_contain_text("3,488,770.00")     # the last good render is still shown
        expect(page.locator("a.download")).to_have_count(3)

        # fixed again: the problems go away and the new render comes in
        data.write_text(text, encoding="utf-8")
        expect(problems).to_be_hidden(timeout=10_000)
        expect(page.locator("body")).to_have_attribute("data-paged", "5", timeout=10_000)
        expect(frame.locator("body")).to_contain_text("3,488,570.00")


def test_a_download_link_gives_the_current_package(tmp_path, page):
    data = tmp_path / "shaanxi.yaml"
    data.write_text(SHAANXI.read_text(encoding="utf-8"), encoding="utf-8")
    with running_preview(data) as base:
        page.goto(base)
        expect(page.locator("a.download")).to_have_count(3, timeout=30_000)
        with page.expect_download() as got:
            page.locator("a.download", has_text="Word").click()
        download = got.value
        assert download.suggested_filename == f"{NAME}2024年单位预算公开.docx"
        from docx import Document

        word = Document(download.path())
        assert any(NAME in p.text for p in word.paragraphs) and len(word.tables) > 15
