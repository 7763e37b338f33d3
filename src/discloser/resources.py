"""Where shipped data lives: templates, profiles, catalogs.

In an installed wheel the top-level `templates/` folder is packaged as `discloser/templates`;
in a source checkout (editable install, tests) it is the repository's `templates/` folder.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def templates_dir() -> Path:
    packaged = _PACKAGE / "templates"
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent.parent / "templates"


def template(relative: str) -> Path:
    path = templates_dir() / relative
    if not path.exists():
        raise FileNotFoundError(f"找不到模板 {relative}（查找位置：{templates_dir()}）")
    return path
