"""discloser init: the annotated starter validates as written for every profile, lists what to replace,
comments every field, and builds."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from discloser.profile import available_profiles, load_profile
from discloser.validate import load
from helpers import ROOT


def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "discloser.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"})


@pytest.mark.parametrize("profile", available_profiles())
def test_starter_validates_as_written(tmp_path, profile):
    out = tmp_path / "数据.yaml"
    r = cli("init", out, "--profile", profile, "--year", "2025")
    assert r.returncode == 0, r.stderr
    assert "下一步" in r.stderr
    loaded = load(out)
    assert loaded.errors == []
    assert loaded.budget.year == 2025 and loaded.budget.profile == profile
    todo = [p for p in loaded.warnings if p.rule == "gap.todo"]
    # what the clerk attests before publishing (Shaanxi's 保密审查, 审签) is 否, never an example 是: a warning at its
    # own field until answered — a starter saying 是 would print “已审查” for a review nobody made
    attested = sorted(load_profile(profile).attestations())
    pending = sorted(p.locations[0].field for p in loaded.warnings if p.rule == "review.pending")
    assert pending == attested and (profile == "shaanxi") == bool(attested)
    assert todo and {p.rule for p in loaded.warnings} - {"review.pending"} == {"gap.todo", "lint.placeholder"}
    # every example value init wrote (“（示例）…”, the phone of zeros) is flagged by the publication lint until it
    # is replaced — each at its own field, read off the written file
    assert {p.locations[0].line for p in loaded.warnings if p.rule == "lint.placeholder"} == _example_lines(out)
    # only the asset counts the profile's 说明 prints (Henan's has no planned purchases, Gansu's no assets at all)
    assert not [p.message for p in loaded.problems if p.rule == "facts.unused"]
    assert cli("validate", out).returncode == 0
    assert cli("validate", "--strict", out).returncode == 1          # the 待填 marks keep it unfinished


def _example_lines(path) -> set[int]:
    """The lines of a YAML file holding an example value: “（示例）” in a value, or a phone of zeros."""
    return {n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if not line.lstrip().startswith("#") and ("（示例）" in line.split("#")[0] or re.search(r"phone: ['\"]?0000-0000000", line))}


@pytest.mark.parametrize("profile", ["gansu", "shaanxi"])
def test_a_starter_with_only_its_name_changed_is_not_publishable(tmp_path, profile):
    """Trial D D4: an `init --xlsx` workbook whose 单位名称 alone was changed passed --strict and built a PDF
    with 12 lines of “（示例）张三 / 0000-0000000 / （示例）负责……”. Every example cell is a warning at its cell."""
    from openpyxl import load_workbook

    book = tmp_path / "填报.xlsx"
    assert cli("init", book, "--xlsx", "--profile", profile, "--year", "2025").returncode == 0
    wb = load_workbook(book)
    ws = wb["基本情况"]
    name = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "单位名称")
    ws.cell(name, 2).value = "安平县档案馆"
    wb.save(book)
    examples = {f"{ws.title}!{c.coordinate}" for ws in load_workbook(book).worksheets for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and ("（示例）" in c.value or c.value == "0000-0000000")
                and not (ws.title == "绩效指标" and ws.cell(1, c.column).value == "项目")    # a reference to the project's name
                and ws.title != "填表说明"}                                                  # the help saying what （示例） means
    assert examples
    flagged = {p.locations[0].file.split("!", 1)[1] for p in load(book).warnings if p.rule == "lint.placeholder"}
    assert {f.split(" ")[0] for f in flagged} == examples
    assert cli("validate", "--strict", book).returncode == 1


def test_every_field_has_a_chinese_comment(tmp_path):
    out = tmp_path / "数据.yaml"
    assert cli("init", out).returncode == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines):
        m = re.match(r"^\s*(?:- )?([a-z_]+):", line)
        if not m or line.lstrip().startswith("#"):
            continue
        commented = "  # " in line or lines[n - 1].lstrip().startswith("#")
        assert commented, f"第 {n + 1} 行的 {m.group(1)} 没有注释：{line}"
    for n, line in enumerate(lines):     # flow records: each of their fields is described above the list
        if re.match(r"^\s*- \{", line):
            top = n
            while re.match(r"^\s*- \{", lines[top - 1]):
                top -= 1
            above = []
            k = top - 2                      # lines[top - 1] is the list's key
            while k >= 0 and lines[k].lstrip().startswith("#"):
                above.append(lines[k])
                k -= 1
            fields = re.findall(r"([a-z_0-9]+): ", line.split("{", 1)[1])
            fields = [f for f in fields if not f.isdigit()]
            assert all(any(f"# {f}：" in a.replace("  ", " ") or f"#   {f}：" in a for a in above) for f in fields), line


def test_department_starter_with_units_and_workbook(tmp_path):
    out = tmp_path / "部门.yaml"
    assert cli("init", out, "--profile", "henan", "--units", "3", "--year", "2025").returncode == 0
    b = load(out).budget
    assert b.scope == "部门" and [u.code for u in b.organization.units] == ["000001", "000002", "000003"]
    assert {e.unit for e in b.expenditures} == {"000001", "000002", "000003"}
    assert load(out).errors == []
    xlsx = tmp_path / "填报.xlsx"
    r = cli("init", xlsx, "--xlsx", "--profile", "shaanxi", "--year", "2025")
    assert r.returncode == 0, r.stderr
    assert load(xlsx).errors == []
    r = cli("build", out, "-o", tmp_path / "包", "--formats", "xlsx")
    assert r.returncode == 0, r.stderr


def test_init_never_overwrites(tmp_path):
    out = tmp_path / "数据.yaml"
    out.write_text("year: 2025\n", encoding="utf-8")
    r = cli("init", out)
    assert r.returncode == 1 and "--force" in r.stderr and out.read_text(encoding="utf-8") == "year: 2025\n"
    assert cli("init", out, "--force").returncode == 0
    assert cli("init", tmp_path / "x.yaml", "--profile", "nowhere").returncode == 2


def test_written_files_are_readable_like_any_other(tmp_path):
    """`init` and `workbook` wrote owner-only files (0600, from the temporary file) while build outputs are
    0644: a clerk's colleague could not open the starter. Now the umask decides, as for any file."""
    import os
    import stat

    old = os.umask(0o022)
    try:
        r = cli("init", str(tmp_path / "新部门.yaml"))
        assert r.returncode == 0, r.stderr
        r = cli("workbook", str(tmp_path / "新部门.yaml"), "-o", str(tmp_path / "新部门.xlsx"))
        assert r.returncode == 0, r.stderr
    finally:
        os.umask(old)
    for name in ("新部门.yaml", "新部门.xlsx"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name
