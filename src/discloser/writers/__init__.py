"""Writers: each lays out the format-neutral Document; none computes a figure.

`WRITERS` maps a format name to its writer. Every writer has the same signature,

    write(doc: Document, profile: Profile, path: Path, options: WriteOptions | None = None) -> Written

and returns its warnings (the build prints them; writers never print), how many pages, tables or sheets it
wrote (the command line says it of each file) and, for the PDF, the page each outline entry landed on (the build hands those to the Word writer, whose TOC field is
pre-filled with the PDF's page numbers). Modules are imported on first use: WeasyPrint is slow to
import and a build that only writes Excel should not pay for it.
"""
from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class WriteOptions:
    font_dirs: tuple[Path, ...] = ()                              # --font-dir: extra fonts for the PDF
    page_numbers: Mapping[str, int] = field(default_factory=dict)   # outline id -> page in the PDF
    laid_out: Callable[[dict[str, int]], None] | None = None        # PDF: told the pages once laid out, before writing


@dataclass
class Written:
    warnings: list[str] = field(default_factory=list)
    page_numbers: dict[str, int] = field(default_factory=dict)     # outline id -> page (PDF writer)
    count: int | None = None    # the PDF's pages, Word's tables (by their titles), Excel's worksheets


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then move it into place: a failure never
    leaves a half-written file under the final name."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class _Lazy:
    """A writer whose module is imported when it is first called."""

    def __init__(self, module: str):
        self.module = module

    def __call__(self, doc, profile, path, options: WriteOptions | None = None) -> Written:
        write = importlib.import_module(f"{__name__}.{self.module}").write
        return write(doc, profile, Path(path), options or WriteOptions())

    def __repr__(self) -> str:
        return f"<writer {self.module}>"


WRITERS = {"docx": _Lazy("docx"), "xlsx": _Lazy("xlsx"), "pdf": _Lazy("pdf"), "json": _Lazy("jsondoc")}
