"""Inter-character justification of Chinese text in WeasyPrint.

WeasyPrint justifies a line only by widening its spaces. Chinese has (almost) no spaces: a justified
Chinese paragraph came out ragged, and the one space a line did hold (before a figure, “收入 3488570
元”) was stretched into a gap. Chinese typesetting justifies by spreading the slack evenly between
all characters (CSS `text-justify: inter-character`, which WeasyPrint does not implement).

`install()` replaces WeasyPrint's line justification with one that, for lines whose language is
Chinese (``lang="zh…"``), spreads the slack as letter spacing over every character of the line;
other lines keep WeasyPrint's behaviour. Layout and drawing both read a text box's style, so the
spacing is given to a copy of the box's style and its Pango layout is rebuilt, as WeasyPrint itself
does for word spacing. Idempotent; `uninstall()` restores the original.
"""
from __future__ import annotations

import unicodedata

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline

_ORIGINAL = inline.justify_line
MAX_SPREAD_EM = 0.3      # more slack than this per character is not justified (it would read as letter-spaced)


def _is_chinese(style) -> bool:
    return str(style["lang"] or "").lower().startswith("zh")


def _text_boxes(box):
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


def _spread(context, box, spacing: float, x_advance: float) -> float:
    """Add `spacing` after every character of the text boxes in `box`; shift what follows."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        if not box.text:
            return x_advance
        style = box.style.copy()
        current = style["letter_spacing"]
        style["letter_spacing"] = (0 if current == "normal" else current) + spacing
        box.style = style      # drawing re-activates the box's Pango layout with its style: the spacing applies
        extra = spacing * len(box.text)
        box.width += extra
        return x_advance + extra
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _spread(context, child, spacing, x_advance)
        box.width += x_advance - before
        return x_advance
    box.translate(x_advance, 0)   # an atomic inline box
    return x_advance


def justify_line(context, line, extra_width):
    if not _is_chinese(line.style):
        return _ORIGINAL(context, line, extra_width)
    characters = sum(len(b.text.rstrip()) if i == 0 else len(b.text)
                     for i, b in enumerate(reversed(list(_text_boxes(line)))))
    if characters < 2 or extra_width <= 0:
        return None
    text = "".join(b.text for b in _text_boxes(line))
    if not any(unicodedata.east_asian_width(ch) in "WF" for ch in text) or extra_width / characters > MAX_SPREAD_EM * line.style["font_size"]:
        # a line of a URL or Latin text (a trial's URL spread letter by letter across the line), or one left
        # short by a long unbreakable word: set ragged, as WeasyPrint sets a line it cannot fill by its spaces
        return _ORIGINAL(context, line, extra_width)
    # the last character gets no spacing after it in effect: the line ends at the box edge
    _spread(context, line, extra_width / characters, 0.0)
    return None


def install() -> None:
    inline.justify_line = justify_line


def uninstall() -> None:
    inline.justify_line = _ORIGINAL
