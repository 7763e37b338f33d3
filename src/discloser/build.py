"""`discloser build`: validate, derive the Document once, then let each writer lay it out.

Output is written into a temporary folder beside the destination and moved into place only
when every requested format has been written, so a failure never leaves a partial package.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .package import build_document
from .problems import Problem
from .profile import load_profile
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


def build(path: str | Path, out_dir: str | Path, formats: tuple[str, ...] = FORMATS, *, strict: bool = False,
          profile: str | None = None) -> BuildResult:
    loaded = load(path)
    blocking = loaded.errors + (loaded.warnings if strict else [])
    if blocking or loaded.budget is None:
        return BuildResult(loaded, refused=True)
    prof = load_profile(profile or loaded.budget.profile)
    doc = build_document(loaded.budget, prof)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    source = Path(path).resolve()
    stage = Path(tempfile.mkdtemp(prefix=".discloser-", dir=out))
    try:
        staged = []
        for fmt in formats:
            target = stage / f"{doc.filename}.{fmt}"
            _writer(fmt)(doc, target)
            staged.append(target)
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
