"""Two costs of pydyf's serialisation of the laid-out PDF, cut without changing what the file says.

Page references, read once. pydyf's `PDF.page_references` is a property that builds the tuple of every page's
reference each time it is read, and WeasyPrint's tagging (`weasyprint.pdf.tags`) reads it for every marked-content
item it tags, to take one page's reference: time grew with pages × tagged items (at 4,000 items, 270 pages, writing
took 22–25 s instead of 18). The replacement keeps the tuple until a page is added (pages are only ever appended:
`PDF.add_page`), so the bytes are the same.

Streams deflated at zlib's default level (6), not 9. pydyf compresses every stream at level 9: a fifth of writing a
long department's PDF (0.85 s of 4 at 1,000 items; 0.12 of 0.74 s at Shaanxi) for a file 1 % smaller (Shaanxi's
800 KB is 791 KB at level 9). What the pages show is the same, and the file as reproducible as before (deflate's
output depends on its input and level only).

`install()` applies both; idempotent; `uninstall()` restores pydyf. Checked against the pydyf WeasyPrint 70 uses
(0.11–0.13); `tests/test_pdf_writer.py` compares the references with pydyf's own after every page.
"""
from __future__ import annotations

import zlib

import pydyf

_ORIGINAL_REFERENCES = pydyf.PDF.page_references
_ORIGINAL_ZLIB = pydyf.zlib
LEVEL = 6


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    count = len(pdf.pages["Kids"])
    kept = pdf.__dict__.get("_discloser_page_references")
    if kept is None or kept[0] != count:
        kept = (count, _ORIGINAL_REFERENCES.fget(pdf))
        pdf.__dict__["_discloser_page_references"] = kept
    return kept[1]


class _DefaultLevel:
    """What pydyf sees as `zlib`: its compressobj(level=9) made at LEVEL, everything else zlib's own."""

    @staticmethod
    def compressobj(level: int = LEVEL, *args, **kwargs):
        return zlib.compressobj(LEVEL, *args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(zlib, name)


def install() -> None:
    pydyf.PDF.page_references = property(_page_references)
    pydyf.zlib = _DefaultLevel()


def uninstall() -> None:
    pydyf.PDF.page_references = _ORIGINAL_REFERENCES
    pydyf.zlib = _ORIGINAL_ZLIB
