"""Shared fixtures."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

if os.environ.get("DISCLOSER_HYPOTHESIS") == "ci":      # .ci/run: the same draw every run, reproducible
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, database=None)
    settings.load_profile("ci")


class Built:
    """One example built by the command line, read by many tests: the default build's files in `folder`
    (and what it printed in `stdout`/`stderr`), the JSON export beside them in `folder/json`."""

    def __init__(self, folder: Path, source: Path, stdout: str = "", stderr: str = ""):
        self.folder = folder
        self.source = source
        self.stdout = stdout
        self.stderr = stderr

    def path(self, fmt: str) -> Path:
        return next(self.folder.rglob(f"*.{fmt}"))


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "discloser.cli", *args], capture_output=True, text=True, env=env)


def build_example(source: Path, folder: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_cli("build", str(source), "-o", str(folder), "--formats", "docx,xlsx,pdf,json", *extra)


def shared_build(tmp_path_factory, name: str, source: Path, *extra: str) -> Built:
    """One build per test run, shared by every pytest-xdist worker: the first worker to ask builds it
    under a file lock in the run's common temporary folder; the others read the same files."""
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent   # the run's folder, shared by the workers
    folder = root / f"shared-{name}"
    printed = root / f"shared-{name}.json"
    with FileLock(str(folder) + ".lock"):
        if not printed.exists():
            folder.mkdir(parents=True, exist_ok=True)
            r = run_cli("build", str(source), "-o", str(folder), *extra)
            assert r.returncode == 0, r.stderr
            json_export = run_cli("build", str(source), "-o", str(folder / "json"), "--formats", "json", *extra)
            assert json_export.returncode == 0, json_export.stderr
            printed.write_text(json.dumps({"stdout": r.stdout, "stderr": r.stderr}), encoding="utf-8")
    return Built(folder, source, **json.loads(printed.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def shaanxi_build(tmp_path_factory) -> Built:
    from helpers import SHAANXI

    return shared_build(tmp_path_factory, "shaanxi", SHAANXI)


@pytest.fixture(scope="session")
def henan_build(tmp_path_factory) -> Built:
    from helpers import HENAN

    return shared_build(tmp_path_factory, "henan", HENAN)


def libreoffice_pdf(document: Path, out: Path) -> Path:
    """`document` converted to PDF by LibreOffice (what a reader without Word/Excel sees)."""
    out.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["soffice", f"-env:UserInstallation={(out / 'lo').as_uri()}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), str(document)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return out / f"{document.stem}.pdf"


# The slow tests: a real office suite (LibreOffice), a real browser, page images, every example ×
# every profile through all three writers, installing the package with pip. `scripts/test --fast` leaves them out for the edit loop;
# CI (`scripts/test`) runs everything.
SLOW_MODULES = {"test_visual", "test_preview_browser", "test_oracle_outputs", "test_packaging"}


def pytest_collection_modifyitems(config, items):
    import inspect

    for item in items:
        module = getattr(item, "module", None)
        name = module.__name__ if module else ""
        try:
            source = inspect.getsource(item.function) if hasattr(item, "function") else ""
        except (OSError, TypeError):
            source = ""
        if name in SLOW_MODULES or "soffice" in source or "libreoffice_pdf" in source or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
