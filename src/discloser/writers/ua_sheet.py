"""WeasyPrint's user-agent stylesheet, with its universal pseudo-element rules kept off the tables' own elements.

WeasyPrint's `html5_ua.css` styles six pseudo-elements of every element (``::marker``, ``::footnote-call``,
``::footnote-marker``, ``::note-call``, ``::note-marker``, ``::note-callback``), and the cascade computes a style
for each of them on each element: at 1,000 items, 127,000 pseudo-element styles for 25,000 elements, most of them
table cells. Scoping those six rules to every element but a table's own (the table, its row groups, rows, cells,
columns and caption) cut the cascade from 3.0 to 1.3 s there, and laying the package out from 9.1 to 6.9 s. A
marker needs a list item, a footnote or note call a float, and the package's tables have neither; a province
stylesheet that made a cell a list item would get its marker unstyled by these three UA touches (tabular figures,
`white-space: pre`, no text transform). Everything else is WeasyPrint's own text, and the pages are the same,
byte for byte (`tests/test_pdf_writer.py` compares them).

`PackageHTML` is `weasyprint.HTML` with that sheet as its user-agent stylesheet (`HTML._ua_stylesheets`, checked
against the WeasyPrint the project pins: ``weasyprint>=70,<71``; another whose sheet reads otherwise keeps its own).
"""
from __future__ import annotations

import re
from functools import lru_cache

from weasyprint import CSS, HTML
from weasyprint import html as weasy_html

PSEUDO = ("marker", "footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback")
TABLE_INTERNALS = "table, thead, tbody, tfoot, tr, td, th, col, colgroup, caption"


@lru_cache(maxsize=1)
def stylesheet() -> CSS:
    """WeasyPrint's UA stylesheet, its universal pseudo-element rules scoped (parsed once per process)."""
    text, count = re.subn(rf"^::({'|'.join(PSEUDO)}) ", rf":not({TABLE_INTERNALS})::\1 ", weasy_html.UA, flags=re.M)
    if count != len(PSEUDO):   # another WeasyPrint: its own sheet, unchanged
        return weasy_html.UA_STYLESHEET
    return CSS(string=text, counter_style=weasy_html.UA_COUNTER_STYLE)


class PackageHTML(HTML):
    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [stylesheet(), weasy_html.UA_FORM_STYLESHEET] if forms else [stylesheet()]
