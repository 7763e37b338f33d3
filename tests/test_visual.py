"""Visual regression: every page of every example, in every format, against committed references.

The references (tests/visual/<example>/<format>-NNN.png) are made on purpose with
`scripts/update-visual-references`; a page that changed beyond the budget fails the test and its
diff image (changes in red) is saved under tests/visual/_failures/. See tests/visual_pages.py.
"""
from __future__ import annotations

import shutil

import pytest
from PIL import Image

import visual_pages as vp


@pytest.fixture(scope="module")
def rendered():
    work = vp.work_dir()
    try:
        yield {example: vp.render(example, work) for example in vp.examples()}
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.parametrize("example", vp.examples(), ids=lambda p: p.stem)
def test_pages_match_their_references(rendered, example):
    assert all(vp.reference_paths(example, fmt) for fmt in vp.FORMATS), \
        f"没有 {example.stem} 的参考图：运行 scripts/update-visual-references"
    problems = vp.compare(example, rendered[example])
    assert not problems, "页面与参考图不同（若是有意的改动，运行 scripts/update-visual-references）：\n" + \
        "\n".join(map(str, problems))


def test_the_comparison_sees_a_moved_table_and_ignores_noise(tmp_path):
    """The budget is not a rubber stamp: a shifted block of text fails, a few changed pixels pass."""
    page = Image.new("L", (200, 280), 255)
    for y in range(40, 200, 8):                      # lines of "text"
        page.paste(0, (20, y, 180, y + 2))
    few = page.copy()
    few.paste(0, (100, 250, 104, 254))               # a changed digit: 16 pixels
    assert vp.changed_share(page, few) <= vp.BUDGET
    moved = Image.new("L", page.size, 255)
    moved.paste(page.crop((0, 0, 200, 270)), (0, 10))   # the same content 10 px lower
    assert vp.changed_share(page, moved) > vp.BUDGET
    diff = vp.diff_image(page, moved)
    assert diff.getpixel((30, 40))[0] > 200 and diff.getpixel((30, 40))[1] < 50   # changes drawn in red
    assert vp.changed_share(page, page.resize((100, 140))) == 1.0                # other size: all changed
