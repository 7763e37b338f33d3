"""Shared fixtures."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


class Built:
    """One example built into a folder (every format the build can write), read by many tests."""

    def __init__(self, folder: Path, source: Path):
        self.folder = folder
        self.source = source

    def path(self, fmt: str) -> Path:
        return next(self.folder.glob(f"*.{fmt}"))


def build_example(source: Path, folder: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "discloser.cli", "build", str(source), "-o", str(folder),
                           "--formats", "docx,xlsx,pdf,json", *extra], capture_output=True, text=True, env=env)


@pytest.fixture(scope="session")
def shaanxi_build(tmp_path_factory) -> Built:
    from helpers import SHAANXI

    folder = tmp_path_factory.mktemp("shaanxi-build")
    r = build_example(SHAANXI, folder)
    assert r.returncode == 0, r.stderr
    built = Built(folder, SHAANXI)
    built.stderr = r.stderr
    return built


@pytest.fixture(scope="session")
def henan_build(tmp_path_factory) -> Built:
    from helpers import HENAN

    folder = tmp_path_factory.mktemp("henan-build")
    r = build_example(HENAN, folder)
    assert r.returncode == 0, r.stderr
    built = Built(folder, HENAN)
    built.stderr = r.stderr
    return built


def libreoffice_pdf(document: Path, out: Path) -> Path:
    """`document` converted to PDF by LibreOffice (what a reader without Word/Excel sees)."""
    out.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["soffice", f"-env:UserInstallation={(out / 'lo').as_uri()}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), str(document)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return out / f"{document.stem}.pdf"


# The slow tests: a real office suite (LibreOffice), a real browser, page images, every example ×
# every profile through all three writers. `scripts/test --fast` leaves them out for the edit loop;
# CI (`scripts/test`) runs everything.
SLOW_MODULES = {"test_visual", "test_preview_browser", "test_oracle_outputs"}


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
