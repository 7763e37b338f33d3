"""`discloser build`: validate, derive the Document once, then let each writer lay it out.

Output is written into a temporary folder beside the destination and moved into place only
when every requested format has been written, so a failure never leaves a partial package.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .package import build_document
from .problems import Problem
from .validate import Loaded, load

FORMATS = ("docx", "xlsx", "pdf")


@dataclass
class BuildResult:
    loaded: Loaded
    written: list[Path] = field(default_factory=list)
    refused: bool = False


def _writer(fmt: str):
    if fmt == "docx":
        from .writers import docx as mod
    elif fmt == "xlsx":
        from .writers import xlsx as mod
    else:
        from .writers import pdf as mod
    return mod.write


def _write_one(doc, fmt: str, target: Path) -> None:
    override = doc.templates.get(fmt)
    if override is None:
        _writer(fmt)(doc, target)
    elif fmt == "pdf":
        _writer(fmt)(doc, target, template_dir=Path(override))
    else:
        _writer(fmt)(doc, target, template=Path(override))


def _write_all(doc, jobs: list[tuple[str, Path]], progress: Callable[[str], None]) -> None:
    """Write every format; the PDF (the slow one) in a second process when there is a second core."""
    slow = [j for j in jobs if j[0] == "pdf"]
    fast = [j for j in jobs if j[0] != "pdf"]
    if slow and fast and (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            pending = pool.submit(_write_one, doc, *slow[0])
            for fmt, target in fast:
                _write_one(doc, fmt, target)
                progress(fmt)
            pending.result()   # re-raises a failure of the PDF writer here
            progress("pdf")
        return
    for fmt, target in jobs:
        _write_one(doc, fmt, target)
        progress(fmt)


def build(path: str | Path, out_dir: str | Path, formats: tuple[str, ...] = FORMATS, *, strict: bool = False,
          profile: str | None = None, catalog_dir: str | Path | None = None,
          progress: Callable[[str], None] | None = None) -> BuildResult:
    """Validate, derive, write. `progress` (for the command line's display) is called with "validate",
    "document" and each format's name as that step finishes."""
    progress = progress or (lambda step: None)
    loaded = load(path, profile, catalog_dir)
    progress("validate")
    blocking = loaded.errors + (loaded.warnings if strict else [])
    if blocking or loaded.budget is None:
        return BuildResult(loaded, refused=True)
    doc = build_document(loaded.budget, loaded.profile, loaded.catalog)
    progress("document")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    source = Path(path).resolve()
    stage = Path(tempfile.mkdtemp(prefix=".discloser-", dir=out))
    try:
        staged = [stage / f"{doc.filename}.{fmt}" for fmt in formats]
        _write_all(doc, list(zip(formats, staged)), progress)
        written = []
        for f in staged:
            final = out / f.name
            if final.resolve() == source:
                raise RuntimeError(f"输出文件 {final} 与输入文件相同，已停止（不会覆盖输入文件）")
            os.replace(f, final)
            written.append(final)
        return BuildResult(loaded, written)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


__all__ = ["build", "BuildResult", "FORMATS", "Problem"]
