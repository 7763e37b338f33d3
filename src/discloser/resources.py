"""Where shipped data lives: templates, profiles, catalogs, the examples and the documents.

In an installed wheel the top-level `templates/`, `examples/` and `docs/` folders are packaged as
`discloser/templates`, `discloser/examples` and `discloser/docs`; in a source checkout (editable install,
tests) they are the repository's own folders.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(folder: str) -> Path:
    packaged = _PACKAGE / folder
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent.parent / folder


def templates_dir() -> Path:
    return _shipped("templates")


def examples_dir() -> Path:
    """The examples (one department of each province's reference, `imports/` the budget-system exports)."""
    return _shipped("examples")


def docs_dir() -> Path:
    """The documents a clerk is pointed to (customizing.md, security.md)."""
    return _shipped("docs")


def template(relative: str) -> Path:
    path = templates_dir() / relative
    if not path.exists():
        raise FileNotFoundError(f"找不到模板 {relative}（查找位置：{templates_dir()}）")
    return path
