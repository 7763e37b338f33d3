"""Publication lint: what inspections and third-party checkers flag in a published package.

Warnings with stable ids (``lint.*``), registered with `rules.rule` like every other rule, so a profile
switches any of them off with ``rules_off``. They read the clerk's texts (`prose`) and the exact derived
facts — `validate` never renders. One check needs the rendered 说明 and runs in `build` on the Document:
`check_document` (``lint.narrative-figures``).

What each flags, and the decisions the issue left open:

- ``lint.placeholder`` — template leftovers: XX / ×× / ＸＸ, 待填(写), an empty 【】 or one saying 填写 /
  此处, “此处”, 某某, a run of underscores. A text that is only “待填” is the gap marker and is reported
  by ``gap.value`` instead.
- ``lint.year`` — a year stated as a budget year (“2022年预算”, “2022年度”, “2022年部门收支”,
  “2022年工作任务”; also 二〇二二年度) other than the budget year and the year before: stale text copied
  from another year's package. A date in a history (“2020年医保整合后”) or in a document's title
  (《关于2019年……的报告》) is not checked, nor are fields that speak of several years by nature:
  long-term goals and indicators, 实施期限, 中期目标, 近两年指标值, 职能依据 and 职能变化.
- ``lint.doubled`` — a word of 2–6 Chinese characters written twice in a row (预算预算) and two
  sentence punctuation marks in a row (，， 。。 ，。). Single-character reduplication (认认真真) is fine.
- ``lint.unit-mix`` — amounts in 元 and in 万元 (or 亿元) in one text. A rate or standard (人均不低于1元,
  每人每年100元, 单价50万元以上) is not an amount of the budget and may keep its own unit.
- ``lint.change-reason`` — a sentence stating a change from last year (较上年增加/减少/增长/下降) with no
  reason (原因, 由于, 主要是, 用于 …), when the profile requires reasons (``prior.reason`` is on).
- ``lint.empty-reason`` — an `empty_table_reasons` entry for a table the profile does not have, one
  that does not say the table is empty (无, 没有, 未安排, 不涉及, 空表 …), or one that names a fund other
  than the table's (a 政府性基金 reason on the 国有资本经营 table): the fund words are read from the
  table's own title in the profile.
- ``lint.scope-naming`` — a package naming itself by the other kind: 本部门 or “2024年部门预算” in a 单位
  package, 本单位预算 or “2024年单位预算” in a 部门 package (主管部门, 部门预算管理, 所属单位预算 name
  something else); and a 单位 package listing several units.
- ``lint.three-public`` — the prior-year 三公经费 ≠ 因公出国（境）费 + 公务接待费 + 公务用车购置及运行费
  (and 公务用车购置及运行费 ≠ 购置费 + 运行维护费) when all are given; a text stating a 三公 total and its
  three parts that do not add up.
- ``lint.running-costs`` — a text stating 机关运行经费 (this year's, or 上年 …) with an amount other than
  the figure (to the precision the text writes: 12.34万元 within 0.01 万元).
- ``lint.narrative-figures`` (build) — every amount (元/万元) and percentage of the 说明 is a table
  figure, a prior-year figure, a change between the two, or a share / rate of change of such figures
  (allowing the rounding of the display unit); the clerk's own texts quoted in the 说明 are skipped.
"""
from __future__ import annotations

import bisect
import re
from decimal import Decimal
from typing import Iterator

from .model import Budget, per_budget
from .problems import Location, Problem
from .rules import Context, rule
from . import safety   # the module, not its names: safety imports rules, which imports this module

# Fields that hold identifiers, not prose (codes, references, contact details).
IDENTIFIERS = frozenset({"code", "unit", "project", "profile", "scope", "function", "economic", "function_name",
                         "economic_name", "phone", "person", "long_term_until", "comparator"})
# Fields that speak of several years by nature: not checked by lint.year.
MULTI_YEAR = frozenset({"long_term_goals", "long_term_goal", "long_term_indicators", "long_term_until", "period",
                        "medium_term", "history", "past_values", "mandate_basis", "mandate_change"})


@per_budget
def prose(budget: Budget) -> Iterator[tuple[tuple, str]]:
    """The texts a clerk wrote as words (names too), with their paths; not map keys, codes or references."""
    for path, text, is_key in safety.texts(budget):
        if is_key or not text.strip():
            continue
        last = path[-1] if path and type(path[-1]) is str else next((p for p in reversed(path) if isinstance(p, str)), "")
        if last in IDENTIFIERS:
            continue
        yield path, text


def _quote(text: str, start: int, end: int, width: int = 8) -> str:
    """The found words with a little context: “…较上年增加12万元。”."""
    a, b = max(0, start - width), min(len(text), end + width)
    quoted = text[a:start] + _short(text[start:end], 20) + text[end:b]    # a 300-character match, shortened
    return ("…" if a else "") + quoted.replace("\n", " ") + ("…" if b < len(text) else "")


# ------------------------------------------------------------------ placeholders

PLACEHOLDER = re.compile(r"(?<![A-Za-z])[Xx]{2,}(?![A-Za-z])|[×Ｘｘ]{2,}|待填写?|【\s*】|【[^】]*(?:填写|此处)[^】]*】"
                         r"|此处|某某|_{3,}|＿{2,}")


# What `init` writes as an example (“（示例）张三”, “0000-0000000”): in names and the contact too, which `prose`
# leaves out — a starter whose “# 待填” lines were deleted (a workbook has none) published 12 lines of them.
EXAMPLE = re.compile(r"[（(]\s*示例\s*[）)]")
ZERO_PHONE = re.compile(r"[0\s\-－]*0[0\s\-－]*")


@rule("lint.placeholder", "warning", "文字中不应留有占位符（XX、××、待填写、【】、此处、某某、init 写的“（示例）”）")
def placeholder(c: Context) -> Iterator[Problem]:
    for path, text, is_key in safety.texts(c.budget):
        if is_key or ("示例" not in text and not text.startswith("0")):   # most texts: one look (20,000 lines' codes)
            continue
        last = next((p for p in reversed(path) if isinstance(p, str)), "")
        if EXAMPLE.search(text) or (last == "phone" and ZERO_PHONE.fullmatch(text)):
            yield Problem("lint.placeholder", "warning",
                          f"“{_short(text, 20)}”是 discloser init 写的示例：请换成本单位的实际内容（没有的删去）", (c.at(*path),))
    for path, text in prose(c.budget):
        if EXAMPLE.search(text):
            continue    # said above
        if text.strip() == "待填":
            continue   # the gap marker: gap.value reports it
        found = list(PLACEHOLDER.finditer(text))
        if found:
            words = "、".join(dict.fromkeys(f"“{_short(m.group())}”" for m in found))   # 300 X's once, not in full
            yield Problem("lint.placeholder", "warning",
                          f"文字中有占位符{words}（{_quote(text, found[0].start(), found[0].end())}）：请换成实际内容",
                          (c.at(*path),))


def _short(text: str, limit: int = 12) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# ------------------------------------------------------------------ years

# A year that names a budget year: “2022年预算”, “2022年度”, “2022年部门收支”, “2022年工作任务” — the
# words of a package copied from another year. A date in a history (“2020年医保整合后”) is not one.
_BUDGET_CONTEXT = r"\s*年(?:度|[^，。；、,;《》]{0,4}?(?:预算|决算|收入|支出|收支|任务|目标|工作))"
YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?=" + _BUDGET_CONTEXT + r")|([〇零一二三四五六七八九]{4})(?=" + _BUDGET_CONTEXT + ")")
TITLE = re.compile(r"《[^《》]*》")   # a document's title: its year is part of the name
_CN_DIGITS = {ch: str(i) for i, ch in enumerate("〇一二三四五六七八九")} | {"零": "0"}


def years_in(text: str) -> list[tuple[int, re.Match]]:
    """The years `text` states as budget years (outside document titles 《…》)."""
    out = []
    titles = [(t.start(), t.end()) for t in TITLE.finditer(text)]
    for m in YEAR.finditer(text):
        if any(a <= m.start() < b for a, b in titles):
            continue
        digits = m.group(1) or "".join(_CN_DIGITS[ch] for ch in m.group(2))
        out.append((int(digits), m))
    return out


@rule("lint.year", "warning", "文字中作为预算年度的年份应为本年或上一年度")
def year_in_text(c: Context) -> Iterator[Problem]:
    allowed = {c.budget.year, c.budget.year - 1}
    for path, text in prose(c.budget):
        if any(p in MULTI_YEAR for p in path if isinstance(p, str)):
            continue
        odd = [(y, m) for y, m in years_in(text) if y not in allowed]
        if odd:
            shown = "、".join(dict.fromkeys(f"{m.group()}年" for _, m in odd))
            yield Problem("lint.year", "warning",
                          f"文字中的年份 {shown} 不是预算年度 {c.budget.year} 年或上一年度（{_quote(text, odd[0][1].start(), odd[0][1].end() + 1)}）："
                          "是否沿用了往年的文字？", (c.at(*path),))


# ------------------------------------------------------------------ doubled words and punctuation

DOUBLED_WORD = re.compile(r"([\u4e00-\u9fff]{2,6})\1")
DOUBLED_PUNCT = re.compile(r"[，。、；：！？,;:!?]{2,}")


@rule("lint.doubled", "warning", "不应有重复的词（预算预算）或重复的标点（，，）")
def doubled(c: Context) -> Iterator[Problem]:
    for path, text in prose(c.budget):
        found = list(DOUBLED_WORD.finditer(text)) + list(DOUBLED_PUNCT.finditer(text))
        if found:
            first = min(found, key=lambda m: m.start())
            words = "、".join(dict.fromkeys(f"“{m.group()}”" for m in sorted(found, key=lambda m: m.start())))
            yield Problem("lint.doubled", "warning",
                          f"文字中有重复的词或标点{words}（{_quote(text, first.start(), first.end())}）：请删去多余的部分",
                          (c.at(*path),))


MERGED_ITEM = re.compile(r"[。；;！？!?]\s+-\s+\S")


@rule("lint.merged-item", "warning", "一条文字中间不应有“。 - ”：多缩进了一格的列表项会并进上一条")
def merged_item(c: Context) -> Iterator[Problem]:
    """YAML reads a “- 开展……” indented one space deeper than its list as the end of the item above (a folded
    line): the task printed “……应管尽管。 - 开展农业实用技术培训……” and the next task was gone (trial A D8)."""
    for path, text in prose(c.budget):
        m = MERGED_ITEM.search(text)
        if m:
            yield Problem("lint.merged-item", "warning",
                          f"这一条里有“{m.group().strip()[:3]}…”（{_quote(text, m.start(), m.end())}）：像是下一条并了进来——"
                          "列表的每一条“- ”要和上一条对齐（缩进相同）", (c.at(*path),))


# ------------------------------------------------------------------ amounts in texts

AMOUNT = re.compile(r"(?<![0-9.,])([0-9][0-9,]*(?:\.[0-9]+)?)\s*(亿元|万元|元)")
UNIT_YUAN = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
CLAUSE_END = re.compile(r"[。；;！？!?\n]")
CHANGE_WORD = re.compile(r"增加|减少|增长|下降|增减|持平|上升|降低")


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except ArithmeticError:
        return None


def amount_after(text: str, label: re.Pattern) -> tuple[Decimal, Decimal, bool, re.Match] | None:
    """The first amount stated for `label` in `text`: (value in 元, the precision written in 元, whether
    the clause says 上年, the label's match). None when the clause has no amount, or the first amount
    after the label is a change (增加 X 元) rather than the figure."""
    m = label.search(text)
    if m is None:
        return None
    end = CLAUSE_END.search(text, m.end())
    clause = text[m.end(): end.start() if end else len(text)]
    a = AMOUNT.search(clause)
    if a is None or CHANGE_WORD.search(clause, 0, a.start()):
        return None
    value = _number(a.group(1))
    if value is None:
        return None
    unit = UNIT_YUAN[a.group(2)]
    decimals = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0   # type: ignore[operator]
    before = text[max(0, text.rfind("。", 0, m.start()) + 1): m.start()] + clause[: a.start()]
    return value * unit, unit / (10 ** decimals), "上年" in before, m


_RATE_BEFORE = re.compile(r"(?:人均|每人|每|单价|标准为?|/)[^，。；]{0,4}$")
_RATE_AFTER = re.compile(r"^\s*(?:/|每|标准|（含）以上|以上|以下)")


def _is_rate(text: str, m: re.Match) -> bool:
    """A per-capita or unit standard (人均不低于1元标准, 单价50万元以上): a rate, not an amount of the budget."""
    return bool(_RATE_BEFORE.search(text[max(0, m.start() - 8): m.start()]) or _RATE_AFTER.match(text[m.end(): m.end() + 5]))


@rule("lint.unit-mix", "warning", "同一段文字中的金额单位应一致（不要元与万元混用）")
def unit_mix(c: Context) -> Iterator[Problem]:
    for path, text in prose(c.budget):
        units = {m.group(2) for m in AMOUNT.finditer(text) if not _is_rate(text, m)}
        if "元" in units and units & {"万元", "亿元"}:
            shown = "、".join(f"“{m.group()}”" for m in AMOUNT.finditer(text))
            yield Problem("lint.unit-mix", "warning", f"同一段文字中元与万元混用（{shown}）：请统一为一种单位",
                          (c.at(*path),))


# ------------------------------------------------------------------ changes without a reason

CHANGE = re.compile(r"(?:较|比|与|同)(?:上年|上一年|去年|上年度|[0-9]{4}年)[^。；;!?！？\n]*?(?:增加|减少|增长|下降)")
REASON = re.compile(r"原因|由于|因为|主要是|主要用于|用于|系因|所致|导致|因素")


@rule("lint.change-reason", "warning", "文字中写了较上年增加或减少，应同时写明原因（版式要求写原因时）")
def change_reason(c: Context) -> Iterator[Problem]:
    if "prior.reason" in c.profile.rules_off:
        return   # this profile's 说明 states no reasons for changes
    for path, text in prose(c.budget):
        if path and path[0] == "prior_year":
            continue   # the reasons themselves
        if any(part in ("indicators", "long_term_indicators") for part in path):
            continue   # a target (“较上年下降”) is what is to happen, not a change to explain
        for sentence in re.split(r"[。；;!?！？\n]", text):
            m = CHANGE.search(sentence)
            if m and not REASON.search(sentence):
                yield Problem("lint.change-reason", "warning",
                              f"写了较上年的变化却没有写原因（“{sentence.strip()}”）：请补充“主要原因是……”",
                              (c.at(*path),))
                break


# ------------------------------------------------------------------ empty-table reasons

EMPTY_WORDS = re.compile(r"空表|为空|无|没有|未安排|不涉及|未发生|为零|为0|0元|不存在|未编制|不单独")
FUND_WORDS = ("一般公共预算", "政府性基金", "国有资本经营", "财政专户", "三公", "政府采购", "项目支出", "机关运行经费")


@rule("lint.empty-reason", "warning", "空表理由应说明本表为空，且说的是本表的资金")
def empty_reason(c: Context) -> Iterator[Problem]:
    from .tables.common import fill

    specs = {t.key: t for t in c.profile.tables}
    for key, reason in c.budget.empty_table_reasons.items():
        where = (c.at("empty_table_reasons", key),)
        spec = specs.get(key)
        if spec is None:
            yield Problem("lint.empty-reason", "warning",
                          f"版式“{c.profile.label}”没有标识为“{key}”的表，这条空表理由不会印出（可用：{'、'.join(specs)}）", where)
            continue
        title = fill(spec.title, c.facts)
        if not EMPTY_WORDS.search(reason):
            yield Problem("lint.empty-reason", "warning",
                          f"“{title}”的空表理由没有说明为什么是空表（“{reason}”）：如“本单位无……，故本表为空表”", where)
            continue
        own = [w for w in FUND_WORDS if w in title]
        other = [w for w in FUND_WORDS if w in reason and w not in title]
        if own and other:
            yield Problem("lint.empty-reason", "warning",
                          f"“{title}”的空表理由说的是“{'、'.join(other)}”，不是本表的“{'、'.join(own)}”（“{reason}”）：是否抄错了表？",
                          where)


# ------------------------------------------------------------------ 部门 / 单位

# The package naming itself: 本部门 / 本部门预算 / 2024年部门预算 in a 单位 package, 本单位预算 / 2024年单位预算
# in a 部门 package. Other uses (主管部门, 部门预算管理, 所属单位预算) name something else.
UNIT_SAYS_DEPARTMENT = re.compile(r"本部门|[0-9]{4}年度?部门预算")
DEPARTMENT_SAYS_UNIT = re.compile(r"本单位预算|[0-9]{4}年度?单位预算")


@rule("lint.scope-naming", "warning", "部门预算与单位预算的说法应与包的类型一致")
def scope_naming(c: Context) -> Iterator[Problem]:
    scope = c.budget.scope
    units = c.budget.organization.units
    if scope == "单位" and len(units) > 1:
        yield Problem("lint.scope-naming", "warning",
                      f"单位预算（scope: 单位）列了 {len(units)} 个所属单位：汇总多个单位的应是部门预算（scope: 部门）",
                      (c.at("scope"), c.at("organization", "units")))
    pattern = UNIT_SAYS_DEPARTMENT if scope == "单位" else DEPARTMENT_SAYS_UNIT
    wrong = "部门" if scope == "单位" else "单位"
    for path, text in prose(c.budget):
        m = pattern.search(text)
        if m:
            yield Problem("lint.scope-naming", "warning",
                          f"这是{scope}预算，文字却说“{m.group()}”（{_quote(text, m.start(), m.end())}）："
                          f"请统一为“本{scope}”“{scope}预算”（或把 scope 改为 {wrong}）", (c.at(*path),))


# ------------------------------------------------------------------ 三公经费

THREE_PARTS = ("因公出国（境）费", "公务接待费", "公务用车购置及运行费")
CAR_PARTS = ("公务用车购置费", "公务用车运行维护费")
_LABELS = {
    "三公经费": re.compile(r"[“\"]?三公[”\"]?经费"),
    "因公出国（境）费": re.compile(r"因公出国[（(]境[）)]费"),
    "公务接待费": re.compile(r"公务接待费"),
    "公务用车购置及运行费": re.compile(r"公务用车购置及运行(?:维护)?费"),
}


def _yuan(v: Decimal) -> str:
    return f"{v.quantize(Decimal('0.01')):f}".removesuffix(".00") + " 元"


@rule("lint.three-public", "warning", "“三公”经费合计应等于因公出国（境）费、公务接待费、公务用车购置及运行费之和")
def three_public(c: Context) -> Iterator[Problem]:
    items = c.budget.prior_year.items
    for total, parts in (("三公经费", THREE_PARTS), ("公务用车购置及运行费", CAR_PARTS)):
        if total in items and all(p in items for p in parts):
            whole, sum_parts = items[total].amount, sum((items[p].amount for p in parts), Decimal(0))
            if whole != sum_parts:
                yield Problem("lint.three-public", "warning",
                              f"上年{total} {_yuan(whole)} ≠ {'、'.join(parts)}之和 {_yuan(sum_parts)}，相差 {_yuan(abs(whole - sum_parts))}",
                              (c.src.locate(("prior_year", "items", total), key=True),
                               *(c.src.locate(("prior_year", "items", p), key=True) for p in parts)))
    for path, text in prose(c.budget):
        if "三公" not in text:
            continue
        found = {name: amount_after(text, label) for name, label in _LABELS.items()}
        if all(found.values()):
            whole = found["三公经费"][0]
            sum_parts = sum((found[p][0] for p in THREE_PARTS), Decimal(0))
            slack = max(f[1] for f in found.values()) * 2
            if abs(whole - sum_parts) > slack:
                yield Problem("lint.three-public", "warning",
                              f"文字中的“三公”经费 {_yuan(whole)} ≠ 三项之和 {_yuan(sum_parts)}（{'、'.join(THREE_PARTS)}），"
                              f"相差 {_yuan(abs(whole - sum_parts))}", (c.at(*path),))


# ------------------------------------------------------------------ 机关运行经费

RUNNING = re.compile(r"机关运行经费")


@rule("lint.running-costs", "warning", "文字中写的机关运行经费应等于按支出明细计算的数")
def running_costs(c: Context) -> Iterator[Problem]:
    figure = c.facts.yuan(c.facts.running_costs())
    prior = c.budget.prior_year.items.get("机关运行经费")
    for path, text in prose(c.budget):
        if path and path[0] == "prior_year":
            continue
        found = amount_after(text, RUNNING)
        if found is None:
            continue
        stated, precision, last_year, m = found
        target, what = (prior.amount if prior else None, "上年机关运行经费") if last_year else (figure, "机关运行经费")
        if target is not None and abs(stated - target) >= precision:
            yield Problem("lint.running-costs", "warning",
                          f"文字中的{what} {_yuan(stated)} ≠ 按{'上年数（prior_year.items）' if last_year else '支出明细（行政单位和参公单位的财政拨款公用经费）'}"
                          f"计算的 {_yuan(target)}（{_quote(text, m.start(), m.end() + 12)}）", (c.at(*path),))


# ------------------------------------------------------------------ the 说明 after rendering

PERCENT = re.compile(r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?)\s*%")


def _table_unit(unit_label: str, default: Decimal) -> Decimal:
    """A table's amounts are in the unit its label names; a form table says it in its labels (“（万元）”)
    and prints the profile's unit."""
    if "万元" in unit_label:
        return Decimal(10000)
    return Decimal(1) if "元" in unit_label else default


def _figures(doc, default: Decimal) -> tuple[list[Decimal], set[Decimal]]:
    """Every money figure of the tables in 元 (sorted), and every printed percentage."""
    money: set[Decimal] = {Decimal(0)}
    percents: set[Decimal] = set()
    from .tables.model import Kind

    for t in doc.tables:
        unit = _table_unit(t.unit_label, default)
        for row in t.body:
            for cell in row.cells:
                if cell.value is None:
                    continue
                if cell.kind is Kind.money:
                    money.add(cell.value * unit)
                elif cell.kind is Kind.percent:
                    percents.add(cell.value)
    return sorted(money), percents


def _prior_figures(budget: Budget) -> list[Decimal]:
    py = budget.prior_year
    out = [f.amount for f in (py.total, py.fiscal, py.general) if f is not None]
    for group in (py.function, py.economic_dept, py.economic_gov, py.items):
        out += [f.amount for f in group.values()]
    out += [v for v in (py.adjusted, py.actual, py.balance) if v is not None]
    return sorted(set(out))


def _near(sorted_values: list[Decimal], low: Decimal, high: Decimal) -> bool:
    i = bisect.bisect_left(sorted_values, low)
    return i < len(sorted_values) and sorted_values[i] <= high


def _amount_ok(v: Decimal, half: Decimal, money: list[Decimal], prior: list[Decimal]) -> bool:
    """`v` (元, printed to ±`half`) is a table figure, a prior-year figure, or the change between them."""
    slack = half * 3   # the printed figure, the table figure and the change are each rounded once
    if _near(money, v - slack, v + slack) or _near(prior, v - slack, v + slack):
        return True
    return any(_near(money, p + v - slack, p + v + slack) or _near(money, p - v - slack, p - v + slack) for p in prior)


def _percent_ok(v: Decimal, half: Decimal, money: list[Decimal], prior: list[Decimal], percents: set[Decimal]) -> bool:
    """`v` % is a printed percentage, a share a / b of table figures, or a change (a − p) / p."""
    if v in percents:
        return True
    lo, hi = (v - Decimal("0.015")) / 100, (v + Decimal("0.015")) / 100   # printed to 0.01 %, shares apportioned
    for b in money:
        if b <= 0:
            continue
        if _near(money, lo * (b - half) - half, hi * (b + half) + half):
            return True
    for p in prior:
        if p <= 0:
            continue
        for sign in (1, -1):
            target_lo, target_hi = p + sign * lo * p, p + sign * hi * p
            if _near(money, min(target_lo, target_hi) - half, max(target_lo, target_hi) + half):
                return True
    return False


class _RunSums:
    """Sums of consecutive detail figures of one table column — a group of rows the 说明 states as one
    figure (the 服务 items of a procurement list, the items under a heading). Only runs of consecutive
    rows: sums of arbitrary subsets would match almost any figure of a long column."""

    def __init__(self, doc, default: Decimal):
        from .tables.model import Kind, RowKind
        from .writers.layout import placed

        self.sums: set[Decimal] = set()
        for t in doc.tables:
            unit = _table_unit(t.unit_label, default)
            by_col: dict[int, list[tuple[int, Decimal]]] = {}
            for r, col, cell in placed(t.body):
                if cell.kind is Kind.money and cell.value is not None and t.body[r].kind is RowKind.detail:
                    by_col.setdefault(col, []).append((r, cell.value))
            for cells in by_col.values():
                runs: list[list[Decimal]] = []
                for k, (r, v) in enumerate(cells):
                    if k and r == cells[k - 1][0] + 1:
                        runs[-1].append(v)
                    else:
                        runs.append([v])
                for run in runs:
                    for i in range(len(run)):
                        total = Decimal(0)
                        for v in run[i:]:
                            total += v
                            self.sums.add(total * unit)

    def contains(self, yuan: Decimal) -> bool:
        return yuan in self.sums


def _without_quotes(paragraph: str, quoted: list[str]) -> str:
    """The paragraph with the clerk's own texts (reasons, notes …) blanked: they are not derived figures."""
    for text in quoted:
        if text in paragraph:
            paragraph = paragraph.replace(text, " ")
    return paragraph


def _quoted_texts(budget: Budget) -> list[str]:
    from .narrative import tidy

    out = set()
    for _, text, _ in safety.texts(budget):
        if any(ch.isdigit() for ch in text) and len(text) >= 4 and re.search(r"[\u4e00-\u9fff]", text):
            for variant in (text, text.rstrip("。；;，,"), tidy(text), tidy(text.rstrip("。；;，,"))):
                out.add(variant.strip())
    return sorted((t for t in out if t), key=len, reverse=True)


@rule("lint.narrative-figures", "warning", "生成后自查：说明中的金额和百分比都能在表中找到，或由表中数字算出（在 build 中运行）")
def narrative_figures(c: Context) -> Iterator[Problem]:
    """Registered for its id (profiles switch it off like any rule); the check itself needs the rendered
    说明 and runs in `build` (`check_document`) — `validate` never renders."""
    return iter(())


@rule("lint.rounding", "warning", "生成后自查：万元舍入后每个印出的数都在精确值上下一分之内（在 build 中运行）")
def rounding_bounds(c: Context) -> Iterator[Problem]:
    """Registered for its id; the rounding is chosen in `build`, which reports it (`check_document`)."""
    return iter(())


def check_document(doc, budget: Budget, path: str, profile=None) -> list[Problem]:
    """The build's self-checks of the derived package: what deriving found (`doc.warnings`: a 万元 rounding
    that cannot keep every figure within a cent, ``lint.rounding``), the prior-year items typed but used
    by no section of this profile's 说明 (``prior.unused``, a notice) and the 说明's figures (below)."""
    off = profile.rules_off if profile is not None else ()
    found = [] if "lint.rounding" in off else [Problem("lint.rounding", "warning", w, (Location(path),)) for w in doc.warnings]
    if "prior.unused" not in off:
        found += _unused_priors(doc, budget, path, profile)
    return found + _narrative_figures(doc, budget, path, profile)


def _unused_priors(doc, budget: Budget, path: str, profile=None) -> list[Problem]:
    """``prior.unused``: typed prior-year figures this profile prints nowhere (its 说明 has no sentence for
    them, or the line is gone this year), and reasons typed for a change the 说明 states without one (or
    states no change for) — so neither vanishes unannounced. Which reasons were printed is recorded by the
    phrase that printed them (`Document.reasons`), not searched for in the text: Shanghai's 一般公共预算
    reason was a part of its printed 财政拨款 reason and went unnamed. Notices: another province's 说明 may
    use them."""
    from .rules import prior_figures

    asked, said_reasons = set(doc.priors), set(doc.reasons)
    unused, unsaid = [], []
    for where, what, fig in prior_figures(budget.prior_year):
        if ".".join(where[1:]) not in asked:
            unused.append(what)
        elif fig.reason and ".".join(where[1:]) not in said_reasons:
            unsaid.append(what)
    which = f"（版式：{profile.label}）" if profile is not None else ""
    where = (Location(path, None, None, "prior_year"),)
    said = [(unused, "（及其原因）此版式不用"), (unsaid, " 的增减原因此版式的说明不写")]
    return [Problem("prior.unused", "notice", f"上年数 {'、'.join(names)}{why}，不会印出{which}", where) for names, why in said if names]


def _narrative_figures(doc, budget: Budget, path: str, profile=None) -> list[Problem]:
    """``lint.narrative-figures``: each 说明 amount or percentage that is neither a figure of the package (a
    table figure, or a sum of entries the 说明 printed as a `Figure`: `doc.stated`), a prior-year figure, nor
    a change or share computed from them — a number typed into a template or computed there by hand —
    one warning per paragraph that has any."""
    if profile is not None and "lint.narrative-figures" in profile.rules_off:
        return []
    default = Decimal(10000) if profile is not None and profile.unit == "wan" else Decimal(1)
    money, percents = _figures(doc, default)
    money = sorted(set(money) | {v * default for v in doc.stated})
    prior = _prior_figures(budget)
    quoted = _quoted_texts(budget)
    sums = _RunSums(doc, default)
    problems = []
    for section in doc.sections:
        for paragraph in [section.title, *section.paragraphs]:
            text = _without_quotes(paragraph, quoted)
            odd = []
            for m in AMOUNT.finditer(text):
                value = _number(m.group(1))
                if value is None or _is_rate(text, m):   # a threshold or standard (单价20万元以上), not a figure
                    continue
                unit = UNIT_YUAN[m.group(2)]
                decimals = max(-value.as_tuple().exponent, 0)   # type: ignore[operator]
                half = unit / (10 ** decimals) / 2
                if not _amount_ok(value * unit, half, money, prior) and not sums.contains(value * unit):
                    odd.append(m.group())
            for m in PERCENT.finditer(text):
                value = _number(m.group(1))
                half = max(_units_of(doc, default)) / 200
                if value is not None and not _percent_ok(value, half, money, prior, percents):
                    odd.append(m.group())
            if odd:
                problems.append(Problem(
                    "lint.narrative-figures", "warning",
                    f"说明中的 {'、'.join(dict.fromkeys(odd))} 在表中找不到，也不是由表中数字算出的增减或占比"
                    f"（“{paragraph[:60]}{'…' if len(paragraph) > 60 else ''}”）：请核对说明与表是否一致",
                    (Location(path, None, None, f"说明 {section.title}".strip()),)))
    return problems


def _units_of(doc, default: Decimal) -> set[Decimal]:
    return {default} | {_table_unit(t.unit_label, default) for t in doc.tables}


__all__ = ["prose", "check_document", "amount_after", "years_in"]
