"""`pip install .` ships the templates, profiles and catalogs: the tool runs from any folder."""
from __future__ import annotations

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
                    "preview/static/paged-hook.js", "preview/static/sheet.css", "preview/static/vendor/paged.polyfill.min.js"):
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
