"""Keep a table's repeated foot when WeasyPrint moves a page break back into the table.

Our forms that can be cut inside a cell carry an empty `<tfoot>` whose only job is the rule that closes the
cut at the page's foot (`package.css`, `.rule`). WeasyPrint repeats it on every page — except on the page
where it had to look for an earlier break: when what follows the table (its notes, `break-before: avoid`)
does not fit, `find_earlier_page_break` cuts the table between two row groups and returns the rows before
the cut without the foot (it puts the foot back only when it cuts inside a row group). The label column
then ran open off the page (陕西 表14 of a long department, trialW-s27 D2).

`install()` wraps that function: when the boxes it cut are a table's, ending in a foot it left out, the foot
is put back right under the last kept row group. Idempotent; `uninstall()` restores the original. Checked
against the WeasyPrint the project pins (pyproject: ``weasyprint>=70,<71``); `tests/test_pdf_writer.py`
reads the drawn rules of a page cut that way.
"""
from __future__ import annotations

from weasyprint.formatting_structure import boxes
from weasyprint.layout import block

_ORIGINAL = block.find_earlier_page_break


def find_earlier_page_break(context, children, absolute_boxes, fixed_boxes):
    result = _ORIGINAL(context, children, absolute_boxes, fixed_boxes)
    if not result or not children:
        return result
    foot = children[-1]
    kept, resume_at = result
    if not (isinstance(foot, boxes.TableRowGroupBox) and foot.is_footer) or not kept or any(c is foot for c in kept):
        return result
    last = kept[-1]
    foot.translate(dy=last.position_y + last.height - foot.position_y)
    return [*kept, foot], resume_at


def install() -> None:
    block.find_earlier_page_break = find_earlier_page_break


def uninstall() -> None:
    block.find_earlier_page_break = _ORIGINAL
