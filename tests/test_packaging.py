"""`pip install .` ships the templates, profiles, catalogs, examples and documents: the tool runs from any folder,
and what its help and README point a clerk to is there (trialH-s28 D2: the examples and docs/customizing.md were not)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from helpers import HENAN, ROOT


def test_installed_package_runs_from_another_folder(tmp_path):
    target = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(ROOT)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    for shipped in ("templates/html/package.css", "templates/narrative/henan/overall.j2", "profiles/henan.yaml",
                    "catalog/data/2024.yaml", "preview/templates/page.html.j2", "preview/static/preview.js",
                    "preview/static/paged-hook.js", "preview/static/sheet.css", "preview/static/vendor/paged.polyfill.min.js",
                    "examples/shaanxi-linyou-2024.yaml", "examples/imports/other-system.map.yaml", "docs/customizing.md"):
        assert (target / "discloser" / shipped).is_file(), shipped
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    r = subprocess.run([sys.executable, "-c", "import discloser.resources as r; print(r.templates_dir())"],
                       cwd=work, env=env, capture_output=True, text=True)
    assert r.stdout.strip() == str(target / "discloser" / "templates")
    r = subprocess.run([sys.executable, "-m", "discloser.cli", "build", str(HENAN), "-o", "out", "--formats", "pdf"],
                       cwd=work, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (work / "out" / "平顶山市石龙区医疗保障局2023年部门预算公开.pdf").stat().st_size > 10000
    # the examples come out of the installed package, as `build --help` tells: copied, validated
    r = subprocess.run([sys.executable, "-m", "discloser.cli", "examples", "shaanxi-linyou-2024", "imports"],
                       cwd=work, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    copied = (work / "shaanxi-linyou-2024.yaml").read_text(encoding="utf-8").split("\n", 1)
    shipped = (ROOT / "examples" / "shaanxi-linyou-2024.yaml").read_text(encoding="utf-8").split("\n", 1)
    assert copied[0] == "# yaml-language-server: $schema=budget.schema.json"                           # VS Code's schema
    assert "../shared/reference" in shipped[1] and copied[1] == shipped[1].replace(    # no path into the source tree
        "按 ../shared/reference/shaanxi-linyou-2024-unit-budget.txt 誊录", "按该地公开的预算文件誊录（参考文件 shaanxi-linyou-2024-unit-budget）")
    assert json.loads((work / "budget.schema.json").read_text(encoding="utf-8"))["title"]          # beside the copy
    assert (work / "imports" / "other-system.map.yaml").is_file()
    r = subprocess.run([sys.executable, "-m", "discloser.cli", "validate", "shaanxi-linyou-2024.yaml"],
                       cwd=work, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run([sys.executable, "-m", "discloser.cli", "profile", "new", "我县", "--from", "henan"],
                       cwd=work, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    guide = (target / "discloser" / "docs" / "customizing.md")
    assert f"详见 {guide}" in (work / "我县.yaml").read_text(encoding="utf-8")
