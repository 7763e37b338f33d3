"""Named page sizes for the paged view.

Paged.js lays every page out at the size of the unnamed ``@page`` rule; a named page's own ``size``
(``@page landscape { size: A4 landscape }``, the wide tables) is ignored. WeasyPrint honours it, so
the preview reads each named page's size from the package's stylesheets and gives those pages their
own dimensions (Paged.js marks them ``pagedjs_<name>_page`` and reads the size from CSS variables).
"""
from __future__ import annotations

import re

import tinycss2

# CSS Paged Media <page-size> keywords, portrait (width, height)
PAGE_SIZES = {
    "a5": ("148mm", "210mm"), "a4": ("210mm", "297mm"), "a3": ("297mm", "420mm"),
    "b5": ("176mm", "250mm"), "b4": ("250mm", "353mm"), "jis-b5": ("182mm", "257mm"), "jis-b4": ("257mm", "364mm"),
    "letter": ("8.5in", "11in"), "legal": ("8.5in", "14in"), "ledger": ("11in", "17in"),
}
NAME = re.compile(r"[A-Za-z_][\w-]*")


def _size(tokens) -> tuple[str, str] | None:
    words = [t for t in tokens if t.type not in ("whitespace", "comment")]
    lengths = [f"{t.representation}{t.unit}" for t in words if t.type == "dimension"]
    idents = [t.lower_value for t in words if t.type == "ident"]
    if lengths:
        width, height = (lengths * 2)[:2]
    else:
        named = [PAGE_SIZES[i] for i in idents if i in PAGE_SIZES]
        if not named and not {"landscape", "portrait"} & set(idents):
            return None
        width, height = named[0] if named else PAGE_SIZES["a4"]
    if "landscape" in idents and not lengths:
        width, height = height, width
    return width, height


def named_page_sizes(css: str) -> dict[str, tuple[str, str]]:
    """``{"landscape": ("297mm", "210mm")}`` for every ``@page NAME { size: … }`` in `css`."""
    found: dict[str, tuple[str, str]] = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "at-rule" or rule.lower_at_keyword != "page" or rule.content is None:
            continue
        name = tinycss2.serialize(rule.prelude).strip()
        if not NAME.fullmatch(name):
            continue   # the unnamed page and :first/:left/… are Paged.js's own business
        for decl in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
            if decl.type == "declaration" and decl.lower_name == "size" and (size := _size(decl.value)):
                found[name] = size
    return found


def size_rules(sizes: dict[str, tuple[str, str]]) -> str:
    """CSS giving Paged.js's pages of each named page their own size."""
    rules = []
    for name, (w, h) in sizes.items():
        props = [f"--pagedjs-{v}{side}:{size}" for side in ("", "-left", "-right") for v, size in (("width", w), ("height", h))]
        props += [f"--pagedjs-pagebox-width:{w}", f"--pagedjs-pagebox-height:{h}"]
        rules.append(f".pagedjs_{name}_page{{{';'.join(props)}}}")
    return "".join(rules)
