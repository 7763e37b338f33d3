"""Table layout shared by the three writers: column widths from content, orientation, type scale,
and the blocks a table is cut into so that it can split across pages and still read.

Why shared: the same table should look the same in Word, Excel and the PDF, and “an amount never
breaks” must hold in all three. Each writer gives its page geometry (`Page`: content widths, base
type size, cell padding) and gets back a `TableFit`; no writer measures text on its own.

Measuring. Text is cut into unbreakable tokens the way a line breaker sees them (a simplified
Unicode line-breaking algorithm): a run of digits, Latin letters and their punctuation (“3,488,570.00”,
“≥10000”, “2080505”, “100%”) is one token; every CJK character is a token of its own, with a
closing mark (，。）》 …) kept on the character before it and an opening mark (（《 “ …) on the
character after it. A column's narrowest width is its longest token (plus indent and padding) —
codes and amounts never break — but a wrapping text column keeps at least `NARROWEST_TEXT_EM`
characters a line (or its whole text when shorter); its widest is its longest line (column headers
wrap: they claim only their narrowest width). The widths
are then shared out like CSS automatic table layout: every column gets its narrowest width and the
rest goes to the columns in proportion to how much more they could use.

Widths are in em of the table's type size (character advances measured on the Noto CJK fonts,
a little generous so that 宋体 or 仿宋 fit too), so they scale with the type size; padding does not.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from ..tables.model import Cell, Kind, Row, RowKind, Table

NARROWEST_TEXT_EM = 4.0     # a wrapping text column keeps at least 4 characters a line
COMFORTABLE_TEXT_EM = 7.0   # … and should keep 7 (a name in two or three lines): a smaller type size
                            # or a landscape page is preferred to squeezing names below this
WIDEST_TEXT_EM = 24.0       # beyond this a cell's text wraps anyway: it claims no more room
FORM_LABEL_EM = 9.0         # a form's text up to this wide is a label: it keeps one line where the form has room
HEADER_LINE_EM = 6.0        # a column header longer than this wraps into balanced lines
COMFORTABLE_SCALE = 0.85    # a portrait table may shrink this far before it turns landscape
NOWRAP_KINDS = frozenset({Kind.money, Kind.percent, Kind.code})


def one_line(cell: Cell) -> bool:
    """A cell whose text never wraps: amounts, percentages and codes. A text marked `nowrap` (a table's title in
    the 目录) is not one: it claims its whole line as its comfortable width (`column_needs`), so it keeps one line
    where the page holds it, and wraps where it does not — a 24-character department name in 甘肃's 目录 ran over
    the next columns and off the page (trialC-s26 D1)."""
    return cell.kind in NOWRAP_KINDS
_CLOSING = set("，。、；：！？）》」』】〕〉”’%‰·…—～,.;:!?)]}、")   # no break before these
_OPENING = set("（《「『【〔〈“‘([{")                                    # no break after these


@dataclass(frozen=True)
class Page:
    """A writer's page geometry for tables (points)."""

    portrait_pt: float          # text width of a portrait page
    landscape_pt: float         # text width of a landscape page
    base_pt: float              # the table's type size at scale 1
    padding_pt: float           # left + right padding and rule of one cell
    min_scale: float = 0.7      # the profile's minimum: a table never shrinks below it
    portrait_room_pt: float = 0.0    # height a table's rows have on a page (after its title); 0: unknown
    landscape_room_pt: float = 0.0
    line_height: float = 1.3         # of table text, in em
    row_padding_pt: float = 2.4      # top + bottom padding and rule of a row


@dataclass(frozen=True)
class TableFit:
    landscape: bool
    scale: float                # type size / Page.base_pt (the Excel print scale)
    font_pt: float              # the table's type size
    widths_pt: tuple[float, ...]   # column widths at that scale, adding up to the text width
    fits: bool = True           # False: even at the minimum scale the longest tokens do not fit

    def fractions(self) -> tuple[float, ...]:
        total = sum(self.widths_pt) or 1.0
        return tuple(w / total for w in self.widths_pt)


# ----------------------------------------------------------------------------- measuring text


@lru_cache(maxsize=65536)
def char_em(ch: str) -> float:
    """Advance of one character in em (CJK fonts set ambiguous-width signs such as ≥ full width)."""
    if unicodedata.east_asian_width(ch) in "WFA":
        return 1.0
    if ch in ",.:;'!|il":
        return 0.35
    if ch == " ":
        return 0.3
    if ch in "%MW@":
        return 0.95
    if ch.isupper():
        return 0.75
    return 0.6


def display_width(text: str) -> int:
    """Width in spreadsheet character units (Latin 1, CJK and full-width characters 2): column widths of
    plain worksheets such as the fill-in workbook."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_em(text: str, bold: bool = False) -> float:
    """Advance of `text` in em, a little generous (Noto CJK: digits 0.56, ',' '.' 0.3, CJK 1; bold +6 %)."""
    return sum(char_em(ch) for ch in text) * (1.08 if bold else 1.02)


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF" and ch not in _CLOSING and ch not in _OPENING


UNIT_CHARS = 2   # CJK characters that stay with the number before them: 10000份, 2.01万元, 4110人次


@lru_cache(maxsize=65536)
def tokens(line: str) -> tuple[str, ...]:
    """The unbreakable pieces of one line of text (spaces are break opportunities, not part of a token).

    A run of digits, Latin letters and their signs is one piece; so is a number with the (up to two)
    CJK characters of its unit right after it; other CJK characters are pieces of their own, with
    closing marks kept on the character before and opening marks on the character after."""
    out: list[str] = []
    current = ""
    glue_next = False      # the previous character was an opening mark: the next one sticks to it
    unit = 0               # CJK characters still allowed to join the number before them
    for ch in line:
        if ch.isspace():
            if current:
                out.append(current)
            current, glue_next, unit = "", False, 0
            continue
        if ch in _CLOSING:
            if not current and out:
                out[-1] += ch
            else:
                current += ch
            unit = 0
            continue
        if ch in _OPENING:
            if current and not glue_next:
                out.append(current)
                current = ""
            current += ch
            glue_next, unit = True, 0
            continue
        if _is_cjk(ch):
            if unit and current:
                current += ch
                unit -= 1
                continue
            if current and not glue_next:
                out.append(current)
                current = ""
            current += ch
            glue_next = False
            out.append(current)
            current = ""
            continue
        # Latin letters, digits and their signs: one run
        if current and not glue_next and _is_cjk(current[-1]):
            out.append(current)
            current = ""
        current += ch
        glue_next = False
        unit = UNIT_CHARS if ch.isdigit() else 0 if ch.isalpha() else unit
    if current:
        out.append(current)
    return tuple(out)


ORPHAN_TAIL_EM = 3.0   # the end kept on one line is at most this wide (a narrow column must still hold it)


def orphan_tail(line: str) -> int:
    """How many characters at the end of `line` to keep on one line so that a wrapped line never ends
    with one character alone (卫生健康支 / 出, a paragraph's last “年。”): the last two pieces, where the
    last is one full-width character (with its marks) and the two are short. 0: nothing to keep."""
    parts = tokens(line)
    if len(parts) < 3 or not line.endswith(parts[-1]) or text_em(line) <= NARROWEST_TEXT_EM:
        return 0     # a line no narrower than a text column's narrowest never wraps: no span (spans cost layout time)
    last = parts[-1]
    if sum(1 for ch in last if _is_cjk(ch)) != 1 or len(last.strip("".join(_CLOSING | _OPENING))) != 1:
        return 0
    tail = parts[-2] + last
    if text_em(tail.strip("".join(_CLOSING | _OPENING))) > ORPHAN_TAIL_EM or not line.endswith(tail):
        return 0     # (its marks aside: 体系。, 意见》 are kept too)
    if len(line) - len(tail) in _inside_words(line) and text_em(line[-len(tail) - 1:]) <= ORPHAN_TAIL_EM + 1:
        return len(tail) + 1     # nor does it start inside a word (…支出预 / 算表: 预算表 kept whole)
    return len(tail)


_BAND = tuple(0.84 + 0.02 * k for k in range(14))   # widths tried around a cell's: 0.84 … 1.10 of it
RENDER_BAND = tuple(0.88 + 0.02 * k for k in range(23))   # … 0.88 … 1.32: an office suite's (Excel is measured 10 %
                                                           # wide, and LibreOffice sets its columns wider still)


def _advances(line: str, bold: bool) -> list[float]:
    """Where each character of `line` starts, in em (and where the line ends): `text_em` of any slice by subtraction."""
    factor = 1.08 if bold else 1.02
    prefix = [0.0]
    for ch in line:
        prefix.append(prefix[-1] + char_em(ch) * factor)
    return prefix


def _last_line_alone(line: str, width_em: float, bold: bool) -> bool:
    """Does greedy breaking of `line` at `width_em` leave one full-width character alone on its last line? (Spaces
    inside a line take their width: a goal list “目标1：… 目标2：…” broke elsewhere than its pieces alone would.)"""
    spans = _spans(line)
    if not spans:
        return False
    prefix = _advances(line, bold)
    start = 0
    for k in range(1, len(spans)):
        if prefix[spans[k][1]] - prefix[spans[start][0]] > width_em:
            start = k
    last = line[spans[start][0]:spans[-1][1]]
    return start > 0 and start == len(spans) - 1 and _lone(last)


def may_orphan(block: "Block", fit: TableFit, page: Page) -> frozenset[int]:
    """The cells (by id, head and body) whose last line may hold one character alone at the fitted widths: only these get
    their end kept together (`orphan_tail`) — a span in every cell cost the PDF a sixth of its time. The breaks
    are estimated over a band of widths around the cell's (our measure is not WeasyPrint's to the point), so a
    cell that might end alone is not left out."""
    out = set()
    for header, rows in ((True, block.head), (False, block.rows)):
        out |= _may_orphan(rows, header, fit, page)
    return frozenset(out)


def _may_orphan(rows, header: bool, fit: TableFit, page: Page) -> set[int]:
    out = set()
    for r, col, cell in placed(rows):
        if not cell.text or one_line(cell) or col >= len(fit.widths_pt):
            continue
        room = (sum(fit.widths_pt[col:col + cell.colspan]) - page.padding_pt) / fit.font_pt - cell.indent
        bold = is_bold(cell, rows[r], header)
        if any(_last_line_alone(line, room * f, bold) for line in cell.text.split("\n") if orphan_tail(line)
               for f in _BAND):
            out.add(id(cell))
    return out


def longest_token_em(text: str, bold: bool = False) -> float:
    return max((text_em(t, bold) for line in text.split("\n") for t in tokens(line)), default=0.0)


def longest_line_em(text: str, bold: bool = False) -> float:
    return max((text_em(line, bold) for line in text.split("\n")), default=0.0)


# Words a column header is better not broken inside (功能科目 / 编码, not 功能科 / 目编码): a break between two of
# them is taken where the column holds it (`two_lines`). Two-character words of the tables' heads.
HEAD_WORDS = frozenset(("科目", "编码", "名称", "功能", "经济", "政府", "部门", "单位", "预算", "支出", "收入", "经费",
                        "资金", "项目", "基本", "合计", "财政", "拨款", "补助", "事业", "上级", "附属", "上缴", "经营",
                        "结转", "结余", "专项", "业务", "公用", "人员", "金额", "年度", "指标", "分类", "服务", "采购",
                        "公开", "空表", "理由", "是否", "基金", "国有", "资本", "上年", "其他", "总额", "大类",
                        "内容", "任务", "目标", "满意", "对象", "效益", "成本", "质量", "数量", "时效", "实施",
                        "机关", "工资", "福利", "商品", "社会", "保障", "一般", "公共", "管理", "运行", "建设",
                        "主要", "绩效", "总体", "整体", "一级", "二级", "三级"))


SHORT_BRACKET = 6   # a bracket holding at most this many characters is one phrase: （按大类）, （项）


def _inside_words(text: str) -> set[int]:
    """Character offsets that fall inside a word of HEAD_WORDS (read left to right), or inside a short bracket."""
    inside: set[int] = set()
    for m in re.finditer(r"[（(][^（）()]{1,%d}[）)]" % SHORT_BRACKET, text):
        inside.update(range(m.start() + 1, m.end()))
    i = 0
    while i < len(text) - 1:
        if text[i:i + 2] in HEAD_WORDS:
            inside.add(i + 1)
            i += 2
        else:
            i += 1
    return inside


def two_lines(text: str, bold: bool = False, width_em: float | None = None) -> tuple[str, str]:
    """`text` broken into two lines as evenly as its tokens allow (上级补助收入 → 上级补 / 助收入) — or between
    two words (功能科目编码 → 功能科目 / 编码, 上级补助 / 收入) where that is no wider than the even break or than
    `width_em`, the room its column has."""
    parts = tokens(text)
    widths = [text_em(t, bold) for t in parts]
    total = sum(widths)
    inside = _inside_words("".join(parts))
    best, cut, left, offset = total, len(parts), 0.0, 0
    word_best, word_cut = total, len(parts)
    for k, (part, w) in enumerate(zip(parts[:-1], widths[:-1]), 1):
        left += w
        offset += len(part)
        wide = max(left, total - left)
        if wide < best:
            best, cut = wide, k
        if offset not in inside and wide <= word_best:   # of two as wide, the longer first line (功能科目 / 编码)
            word_best, word_cut = wide, k
    if word_cut < len(parts) and word_best <= max(best, width_em or 0.0) + 1e-9:
        cut = word_cut
    return "".join(parts[:cut]), "".join(parts[cut:])


def two_lines_em(text: str, bold: bool = False) -> float:
    return max(text_em(line, bold) for line in two_lines(text, bold))


def line_count(text: str, width_em: float, bold: bool = False) -> int:
    """Lines `text` takes in a column `width_em` wide (greedy breaking at token boundaries)."""
    total = 0
    for line in text.split("\n"):
        lines, used = 1, 0.0
        for tok in tokens(line):
            w = text_em(tok, bold)
            if used and used + w > width_em + 1e-9:
                lines += 1
                used = 0.0
            used += w
            while used > width_em + 1e-9 and width_em > 0:   # a token wider than the column breaks
                lines += 1
                used -= width_em
        total += lines
    return max(total, 1)


_SENTENCE_END = re.compile(r"(?<=[。；;！？!?])")


def pieces(text: str, width_em: float, most_lines: int, bold: bool = False) -> list[str]:
    """`text` cut into pieces of at most `most_lines` lines at `width_em`, for a renderer that cannot make a cell
    tall enough (Excel's rows stop at 409 pt; a longer cell is clipped): between paragraphs where a whole one
    fits, else after a sentence (。；), else between the lines `break_line` cuts. Every character is in a piece: joined — with
    "\\n" where a cut fell between paragraphs, with "" inside one — they are `text` again."""
    def fits(piece: str) -> bool:
        return line_count(piece, width_em, bold) <= most_lines

    units: list[tuple[str, bool]] = []     # (text, starts a paragraph)
    for para in text.split("\n"):
        if fits(para):
            units.append((para, True))
            continue
        for i, sentence in enumerate(s for s in _SENTENCE_END.split(para) if s):
            parts = [sentence] if fits(sentence) else break_line(sentence, width_em, bold)
            units += [(part, i == 0 and k == 0) for k, part in enumerate(parts)]
    out: list[str] = []
    current = None
    for unit, paragraph in units:
        joined = unit if current is None else current + ("\n" if paragraph else "") + unit
        if current is not None and not fits(joined):
            out.append(current)
            current = unit
        else:
            current = joined
    out.append(current or "")
    return out


CONTENTS_NUMBER_EM = 3.0     # a 目录 line's last line keeps this room for its dot leader and page number


def contents_lines(label: str, width_em: float) -> int:
    """Lines a 目录 entry takes at `width_em`, its page number kept on its last line."""
    return len(break_line(label, width_em, last_em=width_em - CONTENTS_NUMBER_EM))


def contents_pitch(lines: int, room_pt: float, *, most: float, least: float) -> float:
    """The 目录's line pitch (points): `most` when its lines fit one page at that pitch, tighter (not below
    `least`) to keep them on one page — 30 entries spilling 1–8 lines onto a second page looked careless —
    and `most` again when even `least` needs two pages."""
    pitch = room_pt / max(lines, 1)
    if pitch >= most or pitch < least:
        return most
    return int(pitch * 10) / 10


def cover_title_lines(title: str, organization: str) -> list[str]:
    """The cover title in lines: broken after the organization's name when it starts with it, so
    that no line breaks inside a word (“麟游县医疗保障经办机构 / 2024年单位预算公开”)."""
    org = organization.strip()
    if org and title.startswith(org) and title[len(org):].strip():
        return [org, title[len(org):].strip()]
    return [title]


def cover_subtitle_lines(subtitle: str, organization: str, width_pt: float, size_pt: float) -> list[str]:
    """The cover's subtitle: one line where it fits at `size_pt`, else broken after the organization's name as the
    title is — Jiangxi's “…2025年部门整体支出和项目支出绩效目标” wrapped inside 支出 (trialY-s29 D8)."""
    if text_em(subtitle) * size_pt <= width_pt:
        return [subtitle]
    return cover_title_lines(subtitle, organization)


# ----------------------------------------------------------------------------- the grid


def placed(rows: list[Row] | tuple[Row, ...]):
    """(row index, column index, cell) for every cell, following HTML grid semantics."""
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        col = 0
        for cell in row.cells:
            while (r, col) in covered:
                col += 1
            yield r, col, cell
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    covered.add((r + dr, col + dc))
            col += cell.colspan


def is_bold(cell: Cell, row: Row, header: bool = False) -> bool:
    return header or cell.bold or row.kind is RowKind.total or cell.kind is Kind.label


@dataclass(frozen=True)
class ColumnNeed:
    narrowest_em: float
    widest_em: float
    comfortable_em: float = 0.0    # narrowest width that does not squeeze the column's text
    head_bound: bool = False       # its header alone sets narrowest (two balanced lines) and widest (one)
    nowrap: bool = False           # it holds amounts or codes: never narrower than they are
    head_em: tuple[float, float] | None = None   # its wrapping header on two lines, on one
    content_em: float = 0.0        # the narrowest its body cells (of this column alone) allow




def column_needs(table: Table) -> list[ColumnNeed]:
    """Narrowest, comfortable and widest useful width of each column, in em (padding excluded)."""
    n = len(table.columns)
    lo, co, hi = [0.0] * n, [0.0] * n, [0.0] * n
    spanning: list[tuple[int, int, float, float, float]] = []
    heads: dict[int, tuple[float, float]] = {}    # column → its wrapping header's (two lines, one line) em
    fixed: set[int] = set()                        # columns with a cell that never wraps
    content = [0.0] * n                            # narrowest of the body cells of one column
    header = list(table.header)
    rows = header + list(table.body)
    for r, col, cell in placed(rows):
        if col >= n or not cell.text:
            continue
        row = rows[r]
        bold = is_bold(cell, row, r < len(header))
        nowrap = one_line(cell) or (r >= len(header) and table.columns[col].kind in NOWRAP_KINDS
                                               and cell.kind is not Kind.label)
        indent = cell.indent * 1.0
        span = min(cell.colspan, n - col)
        if nowrap and span == 1 and r >= len(header):
            fixed.add(col)
        token = longest_token_em(cell.text, bold)
        line = longest_line_em(cell.text, bold)
        if nowrap:
            narrowest = comfortable = widest = line
        elif r < len(header):    # a column header wraps to the width its column's content needs,
            lines = 1 if line <= HEADER_LINE_EM + 1 else math.ceil(line / HEADER_LINE_EM)   # balanced lines
            widest = max(token, line / lines + 0.3)
            # … and in a tight table into two balanced lines, before a name beside it goes to four
            # (a trial's 表7: 科目名称 four characters wide beside empty 上级补助收入 columns held by their heads)
            narrowest = comfortable = two_lines_em(cell.text, bold) + 0.3 if lines == 1 and line >= 4 else widest
            if span == 1 and narrowest < widest:
                heads[col] = (narrowest, widest)
        else:
            narrowest = max(token, min(line, NARROWEST_TEXT_EM))
            comfortable = max(token, min(line, COMFORTABLE_TEXT_EM))
            widest = min(line, max(WIDEST_TEXT_EM, token))
            if table.form and cell.kind is Kind.label and cell.rowspan > 1:
                # a form's label beside several rows (年度主要任务 over the tasks) has the height for two lines: the
                # room goes to the texts beside it (主要内容 was 6–7 characters wide in a trial's 表14)
                comfortable = max(token, min(comfortable, two_lines_em(cell.text, bold) + 0.3))
            elif table.form and "\n" not in cell.text and " " not in cell.text and line <= FORM_LABEL_EM:
                comfortable = line      # … and a form's short text reads on one line (实施期资金总 / 额：)
            elif cell.nowrap:
                comfortable = widest = line   # … and a text marked to keep one line does, where the page has room
        need = (narrowest + indent, comfortable + indent, widest + indent)
        if span == 1 and r >= len(header):
            content[col] = max(content[col], need[0])
        if span == 1:
            lo[col], co[col], hi[col] = (max(a, b) for a, b in zip((lo[col], co[col], hi[col]), need))
        else:
            spanning.append((col, span, *need))
    for col, span, narrowest, comfortable, widest in sorted(spanning, key=lambda s: s[1]):
        _spread(lo, col, span, narrowest, weights=hi)
        _spread(co, col, span, comfortable, weights=hi)
        _spread(hi, col, span, widest, weights=hi)
    co = [max(c, l) for c, l in zip(co, lo)]
    hi = [max(h, c) for h, c in zip(hi, co)]
    return [ColumnNeed(l, h, c, heads.get(k) == (l, h), k in fixed, heads.get(k), content[k])
            for k, (l, h, c) in enumerate(zip(lo, hi, co))]


def _spread(values: list[float], col: int, span: int, need: float, weights: list[float]) -> None:
    """Widen columns col..col+span-1 so that together they are at least `need` (the em of a spanning
    cell, minus the padding the inner rules give back)."""
    have = sum(values[col:col + span])
    missing = need - have
    if missing <= 0:
        return
    w = [max(weights[c], 0.0) for c in range(col, col + span)]
    total = sum(w)
    for i, c in enumerate(range(col, col + span)):
        values[c] += missing * (w[i] / total if total else 1 / span)


# ----------------------------------------------------------------------------- fitting


def _share(lo: list[float], hi: list[float], width_pt: float) -> list[float]:
    """CSS automatic layout: every column its `lo`, the rest in proportion to what more it could use."""
    room = width_pt - sum(lo)
    give = [h - l for h, l in zip(hi, lo)]
    total = sum(give) or 1.0
    return [l + room * g / total for l, g in zip(lo, give)]


def _widths(needs: list[ColumnNeed], font_pt: float, pad_pt: float, width_pt: float) -> tuple[float, ...]:
    hi = [c.widest_em * font_pt + pad_pt for c in needs]
    if sum(hi) <= width_pt:
        extra = width_pt - sum(hi)
        total = sum(hi) or 1.0
        return tuple(h + extra * h / total for h in hi)
    lo = [c.narrowest_em * font_pt + pad_pt for c in needs]
    co = [c.comfortable_em * font_pt + pad_pt for c in needs]
    if sum(lo) > width_pt:
        return tuple(_squeezed(needs, lo, font_pt, pad_pt, width_pt))
    widths = _share(lo, hi, width_pt)
    # then lift the columns left below their comfortable width, at the expense of those above theirs
    deficit = sum(max(0.0, c - w) for c, w in zip(co, widths))
    surplus = [max(0.0, w - c) for c, w in zip(co, widths)]
    if deficit > 0:
        if sum(surplus) >= deficit:
            ratio = deficit / sum(surplus)
            widths = [max(w, c) - s * ratio for w, c, s in zip(widths, co, surplus)]
        else:
            widths = _share(co, hi, width_pt) if sum(co) <= width_pt else widths
    return tuple(_longer_heads_wrap(_snap_heads(list(widths), needs, lo, hi), needs, font_pt, pad_pt))


def _squeezed(needs: list[ColumnNeed], lo: list[float], font_pt: float, pad_pt: float, width_pt: float) -> list[float]:
    """Widths when even the longest tokens do not fit (a 100-letter name, a 300-character indicator): the
    columns of such tokens give up room down to a few characters a line (their texts then break anywhere);
    amounts, codes and short texts keep theirs — a trial's 表2 printed “1,170.” / “00” under a long name."""
    floor = NARROWEST_TEXT_EM * font_pt + pad_pt
    give = [not n.nowrap and l > floor for n, l in zip(needs, lo)]
    base = [min(l, floor) if g else l for l, g in zip(lo, give)]
    room = width_pt - sum(base)
    want = sum(l - b for l, b in zip(lo, base))
    if room < 0 or want <= 0:
        return [l * width_pt / sum(lo) for l in lo]
    return [b + room * (l - b) / want for l, b in zip(lo, base)]


def _longer_heads_wrap(widths: list[float], needs: list[ColumnNeed], font_pt: float, pad_pt: float) -> list[float]:
    """Of the column headers that must wrap, the longer ones: a short header wrapped (基本 / 支出, over an empty
    column of a trial's 表9) takes the room it needs for one line from a column whose longer header sits on one
    line only by that room (功能科目编码 over seven-digit codes), which then wraps (功能科目 / 编码) — the head
    keeps its number of lines, and no text column loses room."""
    def em(w: float) -> float:
        return (w - pad_pt) / font_pt

    for k in sorted(range(len(needs)), key=lambda c: needs[c].head_em[1] if needs[c].head_em else 0.0):
        head = needs[k].head_em
        if head is None or em(widths[k]) >= head[1] - 1e-6 or em(widths[k]) < head[0] - 1e-6:
            continue
        want = (head[1] - em(widths[k])) * font_pt
        donors = [j for j, n in enumerate(needs) if j != k and n.head_em and n.head_em[1] > head[1] + 1e-6
                  and n.head_em[1] >= n.content_em and em(widths[j]) >= n.head_em[1] - 1e-6
                  and widths[j] - (max(n.content_em, n.head_em[0]) * font_pt + pad_pt) >= want - 1e-6]
        if donors:
            j = max(donors, key=lambda c: needs[c].head_em[1])
            widths[j] -= want
            widths[k] += want
    return widths


def _snap_heads(widths: list[float], needs: list[ColumnNeed], lo: list[float], hi: list[float]) -> list[float]:
    """A column whose header wraps gets no use from room short of one line (上级补助 / 收入 is no better than
    上级补 / 助收入): it keeps its two balanced lines, and the room goes to the columns that can use it."""
    short = [k for k, n in enumerate(needs) if n.head_bound and lo[k] < widths[k] < hi[k] - 0.01]
    freed = sum(widths[k] - lo[k] for k in short)
    takers = [k for k in range(len(needs)) if k not in short and not needs[k].head_bound and widths[k] < hi[k] - 0.01]
    want = sum(hi[k] - widths[k] for k in takers)
    if not short or want <= 0:
        return widths
    give = min(freed, want)
    for k in short:
        widths[k] = lo[k] + (freed - give) * (widths[k] - lo[k]) / freed
    for k in takers:
        widths[k] += give * (hi[k] - widths[k]) / want
    return widths


def _spans(line: str) -> list[tuple[int, int]] | None:
    """(start, end) of each token of `line` in it; None where a token is not verbatim in the line (a closing mark
    after a space, kept on the token before it): such a line is left to the renderer."""
    out, at = [], 0
    for tok in tokens(line):
        k = line.find(tok, at)
        if k < 0:
            return None
        out.append((k, k + len(tok)))
        at = k + len(tok)
    return out


def _lone(piece: str) -> bool:
    return len(piece.strip("".join(_CLOSING | _OPENING) + " ")) == 1


def break_line(line: str, width_em: float, bold: bool = False, *, balanced: bool = False,
               last_em: float | None = None) -> list[str]:
    """`line` cut into lines no wider than `width_em` (the last no wider than `last_em`), for the writers whose
    renderer breaks where it likes (Word, Excel: 功能科目编 / 码, 一般公共服务支 / 出): as few lines as the width
    allows, then no line of one character alone, then as few breaks inside a word (HEAD_WORDS) as can be, then
    even lines (`balanced`, a column header: 部门预算支出 / 经济分类科目 / （按大类）) or full lines with the
    rest on the last (a name). Breaks fall between tokens, so amounts and codes stay whole; a token wider than
    the column keeps a line of its own."""
    spans = _spans(line)
    if not spans or text_em(line, bold) <= min(width_em, last_em if last_em is not None else width_em) + 1e-9:
        return [line]
    prefix = _advances(line, bold)
    inside = _inside_words(line)
    n = len(spans)
    best: list[tuple | None] = [None] * (n + 1)
    cut: list[int] = [n] * (n + 1)
    best[n] = (0, 0, 0, 0.0)
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n + 1):
            room = width_em if j < n or last_em is None else last_em
            w = prefix[spans[j - 1][1]] - prefix[spans[i][0]]
            if w > room + 1e-9 and j > i + 1:
                if w > width_em + 1e-9:
                    break
                continue
            rest = best[j]
            if rest is None:
                continue
            shape = w * w if balanced else (max(room - w, 0.0) ** 2 if j < n else 0.0)
            cost = (rest[0] + 1, rest[1] + _lone(line[spans[i][0]:spans[j - 1][1]]),
                    rest[2] + (j < n and spans[j][0] in inside), rest[3] + shape)
            if best[i] is None or cost <= best[i]:     # of two as good, the longer first line (功能科目 / 编码)
                best[i], cut[i] = cost, j
    if best[0] is None:
        return [line]
    out, i = [], 0
    while i < n:     # a space at a break stays at the end of its line: the lines joined are the text again
        j = cut[i]
        out.append(line[0 if i == 0 else spans[i][0]:spans[j][0] if j < n else len(line)])
        i = j
    return out


def broken(text: str, width_em: float, bold: bool = False, *, balanced: bool = False,
           last_em: float | None = None) -> str:
    """`text` with its lines cut by `break_line` at explicit line breaks ("\\n"); without them it is `text` again."""
    return "\n".join("\n".join(break_line(line, width_em, bold, balanced=balanced, last_em=last_em))
                     for line in text.split("\n"))


def explicit_breaks(block: "Block", fit: TableFit, page: Page, *, narrower: float = 1.0) -> "Block":
    """The block with explicit line breaks where a head wraps at its column's width: column headers in two or more
    even lines broken between words (功能科目 / 编码, 事业 / 收入, never 事业收 / 入), and a form's label beside
    several rows (年度主要任务, 年度绩效指标), a head of its rows (年度主要 / 任务, not 年度主 / 要任务) — every writer.
    Only the table's own heads: a body cell (a 科目, unit or project name, a row label, a description, an
    indicator's value) keeps its value as typed — it is copied, searched and looked up, and a break computed for
    our measure split 养 / 老 and 1.2 万 / 亩 where the office suite drew a wider column (trialV2-s24). Word and
    Excel wrap those themselves. `narrower` divides the room a line is given: a renderer whose font may set
    wider than our measure."""
    def fixed(rows, header: bool):
        changed: dict[tuple[int, int], Cell] = {}
        for r, col, cell in placed(rows):
            if not cell.text or col >= len(fit.widths_pt) or (not header and one_line(cell)):
                continue
            tall_label = not header and cell.kind is Kind.label and cell.rowspan > 1
            if not header and not tall_label:
                continue
            bold = is_bold(cell, rows[r], header)
            room = ((sum(fit.widths_pt[col:col + cell.colspan]) - page.padding_pt) / fit.font_pt
                    - (0 if header else cell.indent)) / narrower
            if room <= 0 or all(text_em(line, bold) <= room * narrower + 1e-9 for line in cell.text.split("\n")):
                continue     # it fits as measured: set on one line (备注 over a narrow column stays whole)
            text = broken(cell.text, room, bold, balanced=True)
            if text != cell.text:
                changed[(r, id(cell))] = replace(cell, text=text)
        if not changed:
            return tuple(rows)
        return tuple(Row(tuple(changed.get((r, id(c)), c) for c in row.cells), row.kind, row.level)
                     for r, row in enumerate(rows))

    return replace(block, head=fixed(block.head, True), rows=fixed(block.rows, False))


def _max_scale(needs: list[ColumnNeed], page: Page, width_pt: float, comfortable: bool = False) -> float:
    ems = sum(c.comfortable_em if comfortable else c.narrowest_em for c in needs)
    room = width_pt - page.padding_pt * len(needs)
    if ems <= 0:
        return 1.0
    return room / (ems * page.base_pt)


def fit(table: Table, page: Page, *, step: float = 0.05) -> TableFit:
    """Orientation, type scale and column widths for `table` on `page`.

    First choice: the largest type size down to `COMFORTABLE_SCALE` at which no text column is
    squeezed below `COMFORTABLE_TEXT_EM`, portrait before landscape (a table the profile marks
    landscape is only tried landscape, one marked `portrait` — the 目录 of tables, in the front matter — only
    portrait: its landscape widths were set on the portrait page, 20.9 cm on 15.6, trialC-s26 D1). Else: the largest size at which the longest tokens fit,
    portrait down to `COMFORTABLE_SCALE`, landscape down to the profile's minimum, never below —
    if even that fails, `fits` is False and the columns are squeezed (the writers then let the
    longest tokens wrap rather than overflow)."""
    needs = column_needs(table)
    options = [True] if table.landscape else [False] if table.portrait else [False, True]
    best: tuple[float, bool] | None = None
    for comfortable in (True, False):     # first without squeezing names, else at any rate fitting the tokens
        for landscape in options:
            width = page.landscape_pt if landscape else page.portrait_pt
            scale = min(1.0, _max_scale(needs, page, width, comfortable))
            threshold = page.min_scale if landscape else max(page.min_scale, COMFORTABLE_SCALE)
            if scale >= threshold:
                best = (scale, landscape)
                break
            if not comfortable and (best is None or scale > best[0]):
                best = (scale, landscape)
        if best is not None:
            break
    assert best is not None
    raw, landscape = best
    fits = raw >= page.min_scale - 1e-9
    scale = 1.0 if raw >= 1 else max(page.min_scale, math.floor(raw / step + 1e-9) * step)
    width = page.landscape_pt if landscape else page.portrait_pt
    widths = _widths(needs, page.base_pt * scale, page.padding_pt, width)
    return TableFit(landscape, round(scale, 4), round(page.base_pt * scale, 2), widths, fits)


def as_siblings(tables: list[Table], page: Page) -> list[Table]:
    """The tables with one orientation per table that repeats (a 项目支出绩效目标表 per project): where one
    instance needs landscape, all of them take it — a trial's 表15 turned the page for two projects of eight."""
    wide = {t.key for t in tables if sum(1 for o in tables if o.key == t.key) > 1 and not t.landscape
            and fit(t, page).landscape}
    return [replace(t, landscape=True) if t.key in wide else t for t in tables]


# ----------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Block:
    """A run of rows laid out as one table: `head` repeats at the top of every page the block
    continues on; `groups` are row ranges [start, end) of `rows` bound by row spans, kept on one
    page. When `label` is set, the head's first cell labels the whole block (e.g. 年度绩效指标):
    it heads the first column of the head rows, and under it every group starts with an empty
    cell spanning the group — the writers draw these without rules between them, so the column
    reads as one merged cell that still breaks cleanly between groups."""

    head: tuple[Row, ...]
    rows: tuple[Row, ...]
    groups: tuple[tuple[int, int], ...]
    label: bool = False
    breakable: frozenset[int] = frozenset()   # starts of the row groups that may break across pages (`paginate`)
    tall_rows: frozenset[int] = frozenset()   # of their rows, those that may break inside (taller than half a page)

    def joint(self, row: int, cell: int) -> bool:
        """Is this body cell one of the empty cells continuing the block's label column?"""
        return self.label and cell == 0 and any(start == row for start, _ in self.groups)


def _groups(rows: tuple[Row, ...]) -> tuple[tuple[int, int], ...]:
    """Row ranges kept on one page: the rows a row span binds, and a group's heading row (a unit's, a 类's or a
    款's subtotal above its rows) with the row under it — a heading never ends a page, as the 合计 never opens
    one alone (“401003 安平县畜牧兽医服务中心 414.63” ended a page, its rows on the next: trialC-s26 D5)."""
    reach = [r + 1 for r in range(len(rows))]   # reach[r]: rows r..reach[r]-1 must stay together
    for r, _, cell in placed(rows):
        reach[r] = max(reach[r], min(len(rows), r + cell.rowspan))
    for r, row in enumerate(rows[:-1]):
        if row.kind is RowKind.subtotal:
            reach[r] = max(reach[r], r + 2)
    out: list[tuple[int, int]] = []
    start, end = 0, 0
    for r in range(len(rows)):
        if r >= end and r > start:
            out.append((start, r))
            start = r
        end = max(end, reach[r])
    if rows:
        out.append((start, len(rows)))
    return tuple(out)


def _is_label_row(row: Row) -> bool:
    return len(row.cells) >= 2 and all(c.kind is Kind.label for c in row.cells)


def blocks(table: Table) -> list[Block]:
    """The table cut into blocks. A normal table is one block headed by its header rows. A form
    table (performance 申报表) is cut where a row of labels heads a sub-grid (一级指标 | 二级指标 …,
    任务名称 | 主要内容 …): that row (and following label rows) become the block's head, and the
    sub-grid runs to the end of the label cell spanning it, or else to the next sub-grid's head or the end
    of the table (`_sub_grid`)."""
    body = tuple(table.body)
    if not table.form or table.empty:   # an empty form still prints its frame with the reason
        return [Block(tuple(table.header), body, _groups(body))]
    out: list[Block] = []
    plain: list[Row] = []
    i = 0

    def flush_plain() -> None:
        if plain:
            rows = tuple(plain)
            out.append(Block((), rows, _groups(rows)))
            plain.clear()

    open_until = 0   # a cell of a plain row spanning rows below: those rows stay in its block
    while i < len(body):
        row = body[i]
        grid = _sub_grid(body, i) if i >= open_until else None
        if grid is None:
            plain.append(row)
            open_until = max([open_until] + [i + c.rowspan for c in row.cells])
            i += 1
            continue
        head_end, end, label = grid
        lead = row.cells[0]
        # a grid's title heads it with its column heads, on every page it runs to: it ended the grid before
        # (or stood alone) at a page foot, and a continued page did not say which grid it was
        title = [plain.pop()] if not label and plain and _is_title_row(plain[-1]) else []
        flush_plain()
        head_rows = title + [Row((_replace_span(lead, head_end - i), *row.cells[1:]), row.kind, row.level) if label else row]
        head_rows += list(body[i + 1:head_end])
        rest = list(body[head_end:end])
        groups = _groups(tuple(rest))
        if label:
            for start, end_ in groups:
                first = rest[start]
                rest[start] = Row((Cell("", colspan=lead.colspan, rowspan=end_ - start), *first.cells), first.kind, first.level)
        out.append(Block(tuple(head_rows), tuple(rest), groups, label))
        i = end
    flush_plain()
    return out


def _sub_grid(body: tuple[Row, ...], i: int, *, nested: bool = False) -> tuple[int, int, bool] | None:
    """(end of its head, end of its rows, whether a label spans it) of the sub-grid headed at row `i`, or
    None. A head is a row of labels (with the label rows right under it); the sub-grid runs to the end of
    its first cell when that spans rows (绩效指标), else to the next row heading a sub-grid (江西's 绩效指标
    under its 年度主要任务, whose head repeated over it) or the end of the table."""
    row = body[i]
    if not _is_label_row(row) or i + 1 >= len(body):
        return None
    head_end = i + 1
    while head_end < len(body) and _is_label_row(body[head_end]):
        head_end += 1
    # a first cell spanning only the head's own rows (湖北 表15's 目标名称 over 指标值's 前年 | 上年 | 预计当年实现)
    # heads a column, it labels no block: taken for a label, the annual grid was no sub-grid and ran on under
    # the long-term grid's head, whose one 指标值 column then headed its three on every page after
    label = row.cells[0].rowspan > head_end - i
    if label:
        end = min(len(body), i + row.cells[0].rowspan)
    elif nested:
        end = len(body)
    else:
        end = next((j for j in range(head_end + 1, len(body))
                    if not _is_label_row(body[j - 1]) and _sub_grid(body, j, nested=True)), len(body))
        if end < len(body) and end - 1 > head_end and _is_title_row(body[end - 1]):
            end -= 1   # the next grid's title (年度绩效目标表) goes with it (`blocks`)
    return (head_end, end, label) if head_end < end else None   # nothing under the labels: not a sub-grid


def _is_title_row(row: Row) -> bool:
    """A row of one label across the form (湖北 表15's 长期绩效目标, 年度绩效目标表): the title of the grid under it."""
    return len(row.cells) == 1 and row.cells[0].kind is Kind.label


def _replace_span(cell: Cell, rowspan: int) -> Cell:
    from dataclasses import replace

    return replace(cell, rowspan=rowspan)


def row_heights(rows, fit: TableFit, page: Page, header: bool = False) -> list[float]:
    """Estimated height of each row (points) at the fitted widths and type size."""
    font = fit.font_pt
    one = page.line_height * font + page.row_padding_pt
    heights = [one] * len(rows)
    for r, col, cell in placed(rows):
        if cell.rowspan != 1 or not cell.text:
            continue
        room = (sum(fit.widths_pt[col:col + cell.colspan]) - page.padding_pt) / font - cell.indent
        lines = line_count(cell.text, max(room, 1.0), is_bold(cell, rows[r], header))
        heights[r] = max(heights[r], lines * page.line_height * font + page.row_padding_pt)
    return heights


def paginate(block: Block, fit: TableFit, page: Page) -> Block:
    """Cut row groups taller than a page into page-sized chunks, repeating the labels that span them.

    A group is held on one page (its rows are bound by a row span: 投入管理指标 over all its
    indicators). When it cannot fit on any page it would be cut anyway, and the continuation would
    lose its label; instead it is cut between its inner groups (一级指标 …, and inside one still taller
    than a page between its own: 二级指标 …) into chunks that fit, and each chunk gets its own copy of
    every cell spanning it (`_cut`) — so every page shows its labels.

    A row standing alone that is taller than half a page (a 职能概述 of ten paragraphs) is
    `breakable`: held whole, it moved to the next page and left the one it was due on mostly blank —
    the title and four rows, then white (trialC-s26 D7) — and one taller than a page broke anyway. A shorter
    row is held whole: at a third of a page, a unit's row whose 60-character name wraps to a dozen lines in 收入总表's
    narrow name column broke, and the name's tail opened the next page as a row of its own, without code or
    figures (trialW-s30 D2); moved on, it leaves less than half a page. So is a
    group still taller than a page (a project whose one 指标值 of 380 characters fills more than a page,
    bound to its other indicators: Henan/Hubei 表14 left two pages nearly blank, trialW-s27 D1). A group
    with one such row is not cut into chunks at all: it breaks in that row whatever the chunks, and each
    chunk's label printed the block's label twice on a page (甘肃 表1's 部门（单位）职能, trialW-s27 D6) —
    it keeps one label over its rows, as the reference prints it, and breaks."""
    room = _room(fit, page)
    if room <= 0 or not block.rows:
        return block
    room -= sum(row_heights(block.head, fit, page, header=True))
    heights = row_heights(block.rows, fit, page)
    rows = list(block.rows)

    def atoms(start: int, end: int, spans: tuple[Row, ...]) -> list[tuple[int, int]]:
        """The group's smallest pieces bound by their own spans: a piece taller than a page is opened in turn
        (年度绩效目标 → 产出指标 → 数量指标), so a 产出指标 of 40 indicators is cut between its 二级指标."""
        if end - start < 2 or sum(heights[start:end]) <= room:
            return [(start, end)]
        first = spans[0]
        loose = (Row(tuple(_replace_span(c, 1) if c.rowspan == end - start else c for c in first.cells), first.kind, first.level),
                 *spans[1:])
        inner = _groups(loose)
        if len(inner) == 1:
            return [(start, end)]
        return [piece for a, b in inner for piece in atoms(a + start, b + start, loose[a:b])]

    groups: list[tuple[int, int]] = []
    for start, end in block.groups:
        pieces = atoms(start, end, tuple(rows[start:end]))
        if any(sum(heights[a:b]) > room for a, b in pieces):
            groups.append((start, end))   # breaks inside anyway: one label over it all (甘肃 表1 printed 部门（单位）职能 twice on a page)
            continue
        chunks: list[tuple[int, int]] = []
        chunk_start, used = start, 0.0
        for a, b in pieces:
            h = sum(heights[a:b])
            if used and used + h > room:
                chunks.append((chunk_start, a))
                chunk_start, used = a, 0.0
            used += h
        chunks.append((chunk_start, end))
        if len(chunks) > 1:
            rows[start:end] = _cut(block.rows[start:end], [a - start for a, _ in chunks[1:]])
        groups += chunks
    tall = frozenset(a for a, b in groups if (heights[a] > room / 2 if b - a == 1 else sum(heights[a:b]) > room))
    # a group taller than a page breaks between its rows, each held whole unless it is itself taller than half a
    # page: a project's 30 indicators broke inside a 12-line indicator, its text's tail opening the next page alone
    # (Hubei 表15, trialW2-s30 D1)
    tall_rows = frozenset(r for a, b in groups if a in tall for r in range(a, b) if heights[r] > room / 2)
    return Block(block.head, tuple(rows), tuple(groups), block.label, tall, tall_rows)


def named(blocks: list[Block]) -> list[bool]:
    """Which blocks are grids under the one-row block naming them (湖北 表13's “长期目标3：” over its indicators):
    every writer keeps that row with its grid — it ended pages alone (trialR-s32 D3)."""
    return [i > 0 and bool(b.head) and not blocks[i - 1].head and len(blocks[i - 1].rows) == 1 for i, b in enumerate(blocks)]


def bound_rows(block: Block, fit: TableFit, page: Page) -> frozenset[int]:
    """The rows of the block's first group kept each with the next (all but its last), so that the group is held
    whole by its rows rather than as a group: WeasyPrint lays a table's first group that avoids breaks out as if the
    page were empty, so 湖北 表13's first 产出指标 was cut at a page foot, its rows opening the next page under a blank
    一级指标 (trialR-s32 D1); rows kept with the next move the table on instead. Only for a group of several rows
    that may not break anyway, in a block with a head or foot (that path is only theirs), its head and rows at most
    a page by the estimate `paginate` cuts by (which errs high), as every other group is held: one taller than the
    page it opens would leave that page blank. At three quarters, a first chunk of 40 indicators was still cut, its
    tail under blank labels (trialV3-s32 item 3). None otherwise."""
    if not block.groups or not (block.head or block.breakable or block.label):
        return frozenset()
    start, end = block.groups[0]
    if end - start < 2 or start in block.breakable:
        return frozenset()
    room = _room(fit, page)
    height = sum(row_heights(block.head, fit, page, header=True)) + sum(row_heights(block.rows[start:end], fit, page))
    return frozenset(range(start, end - 1)) if 0 < room and height <= room else frozenset()


def _room(fit: TableFit, page: Page) -> float:
    """The height a table's rows have on a page of its orientation (points)."""
    return page.landscape_room_pt if fit.landscape else page.portrait_room_pt


def _cut(rows: tuple[Row, ...], cuts: list[int]) -> list[Row]:
    """The rows cut before each of `cuts`: a cell spanning a cut ends there and a copy of it spans on from
    the cut (to the next cut or its own end), so every chunk carries all the labels over it."""
    at: list[list[tuple[int, Cell]]] = [[] for _ in rows]
    for r, col, cell in placed(rows):
        inside = [c for c in cuts if r < c < r + cell.rowspan]
        ends = inside + [r + cell.rowspan]
        at[r].append((col, _replace_span(cell, ends[0] - r) if inside else cell))
        for c, stop in zip(inside, ends[1:]):
            at[c].append((col, _replace_span(cell, stop - c)))
    return [Row(tuple(cell for _, cell in sorted(cells, key=lambda x: x[0])), row.kind, row.level)
            for row, cells in zip(rows, at)]
