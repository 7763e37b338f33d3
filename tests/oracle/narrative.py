"""The 说明 read like a checker reads it: every amount next to its concept words, every change
against the prior-year figure of *that* concept, every share against its whole.

A paragraph is scanned left to right. Each “<words><number>元/万元” is recognized by the words just
before the number (after the last comma, enumeration comma, colon or semicolon). Words that name a
fund (一般公共预算…支出, 财政拨款支出, 支出合计 …) set the scope that bare words (基本支出, 项目支出,
人员经费, 公用经费, 类/项 lines) take. A change (“较上年增加 X”, “收入增长 X”) belongs to its own
concept word when it has one, else to the first amount of its sentence; a share (“占 P%”) is of the
paragraph's first amount (“占预算总额的 P%”: of the total spending).

Every amount must be recognized — an amount the oracle cannot pair with a concept is a finding, so
a new template is read by the oracle before it is trusted. Amounts inside texts the clerk typed
(functions, tasks, reasons, notes) are the clerk's, and are skipped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from . import classes
from .figures import Expect, allowed, bounds, to_unit
from .inputs import (CARRY, CARRIED, CARRIED_IN, FISCAL, FISCAL_NOW, FUNDS, GENERAL, GENERAL_ANY, GOV, GOV_ANY, PERSONNEL, PROJECT,
                     PUBLIC, STATE, STATE_ANY, BUSINESS,
                     HIGHER, OPS, OTHER, SPECIAL, SUBSIDIARY)
from .grid import norm
from .report import Finding
from .tables import THREE_PUBLIC_CODES, Cond, Ctx, running_costs

ALL = frozenset(FUNDS)
_K = lambda *k: frozenset(k)  # noqa: E731
NUM = re.compile(r"(?<!不足)(?<![\d.,])(\d[\d,]*(?:\.\d+)?)(万元|元)")   # “不足0.01万元” is a bound, not a figure (an empty table's reason)
PCT = re.compile(r"(增长|下降|增加|减少|占(?:预算总额的)?)(\d+(?:\.\d+)?)%")
DELIMS = "，。；：、,;:"
FILLER = r"(?:年初预算为|预算安排|预算支出|支出预算|预算数为|预算数|预算为|预算|安排|共|为|是)?"
SOURCE_WORDS = {
    "一般公共预算": GENERAL, "一般公共预算拨款": GENERAL, "政府性基金预算拨款": GOV, "政府性基金拨款": GOV,
    "国有资本经营预算拨款": STATE, "财政专户管理资金": SPECIAL, "事业收入": OPS, "事业单位经营收入": BUSINESS,
    "上级补助收入": HIGHER, "附属单位上缴收入": SUBSIDIARY, "其他收入": OTHER, "上年结转结余": CARRY,
}
ECON_BY_NAME = {}
for _code, _name in classes.DEPT_ECON_NAMES.items():
    ECON_BY_NAME.setdefault(_name, set()).add(_code)
ITEM = re.compile(r"(\d+)[.．、]\s*")
ITEM_PATHS = [re.compile(r"(?P<cls>[^（]+?)（类）(?P<kuan>.+?)（款）(?P<xiang>.+?)（项）"),          # 全国：类（类）款（款）项（项）
              re.compile(r"“(?P<cls>[^-”]+)-(?P<kuan>[^-”]+)-(?P<xiang>[^”]+)”科目")]          # 上海：“类-款-项”科目
NAMED_SOURCES = [("财政拨款", FISCAL_NOW), ("一般公共预算", _K(GENERAL)), ("政府性基金", _K(GOV)), ("国有资本经营", _K(STATE)),
                 ("财政专户管理资金", _K(SPECIAL)), ("事业收入", _K(OPS)), ("事业单位经营收入", _K(BUSINESS)),
                 ("上级补助收入", _K(HIGHER)), ("附属单位上缴收入", _K(SUBSIDIARY))]
PRIOR_CONCEPTS = {"total": Cond(carry=True), "fiscal": Cond(funds=FISCAL, carry=True), "general": Cond(funds=GENERAL_ANY)}
# A fund named in a spending sentence is its money this year and carried in; in a revenue sentence, this year's.
SPENT = {GENERAL: GENERAL_ANY, GOV: GOV_ANY, STATE: STATE_ANY}
PRIOR_WHAT = {"total": "收支总计", "fiscal": "财政拨款收支", "general": "一般公共预算拨款支出"}
# A total broken down by fund (“…，其中 …”) and the fund figures its list may hold (see `_lists`).
LIST_WHOLES = {"财政拨款收入（本年）", "财政拨款支出", "本年收入（不含上年结转结余）", "收入总计", "收入合计（含上年结转结余）",
               "财政拨款收支总计", "财政拨款上年结转"}
FUND_PARTS = ({"一般公共预算收入", "政府性基金收入", "国有资本经营预算收入", "其他收入（除上述以外的收入）", "一般公共预算支出",
               "政府性基金支出", "国有资本经营预算支出", "财政拨款收入（本年）", "财政拨款支出", "财政拨款上年结转"}
              | {f"{w}收入" for w in SOURCE_WORDS} | {f"{w}支出" for w in SOURCE_WORDS} | {f"{f}上年结转" for f in (GENERAL, GOV, STATE)})
PRIOR_ITEMS = {"三公经费", "因公出国（境）费", "公务接待费", "公务用车购置及运行费", "会议费", "培训费", "公用经费", "机关运行经费"}


@dataclass
class Concept:
    name: str
    expect: Expect
    prior: str | None = None      # key for Atoms.prior (total, fiscal, general, function:CODE, items:NAME …)
    cls: str = ""                 # defect class when printed wrong (default: 3 with 结转下年 in it, else 7)


@dataclass
class Amount:
    para: int
    text: str
    value: Decimal
    concept: Concept


class _Para:
    def __init__(self):
        self.mode = None            # "rev" | "spend"
        self.funds: frozenset[str] | None = None
        self.head: Concept | None = None
        self.sentence_head: Concept | None = None
        self.running = False
        self.three: frozenset[str] | None = None
        self.last: Concept | None = None      # the last amount of the current sentence
        self.totals: dict[str, Concept] = {}  # 收入 / 支出: the paragraph's first revenue / spending total
        self.text = ""                        # the paragraph
        self.kinds: frozenset[str] | None = None   # 基本支出 named last: its classes follow
        self.project: str | None = None       # the project a 项目经费情况说明 section is about
        self.printed: dict[str, Decimal] = {}  # concept name → the amount printed for it in this sentence
        self.earlier: dict[tuple, Decimal] = {}  # (concept name, its atoms) → printed earlier in the paragraph


def _user_texts(ctx: Ctx) -> list[str]:
    """Texts the clerk typed: amounts inside them are not the package's figures."""
    out: list[str] = []

    def walk(x):
        if isinstance(x, str):
            if len(x) >= 4 and re.search(r"[\u4e00-\u9fff]", x):
                out.append(x)
        elif isinstance(x, dict):
            for k, v in x.items():
                if k not in ("amount", "year", "code", "unit", "function", "economic"):
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    raw = ctx.dept.raw
    for key in ("organization", "notes", "special_transfer", "prior_year", "performance", "projects", "assets"):
        walk(raw.get(key))
    return out


class NarrativeChecker:
    def __init__(self, ctx: Ctx, wan: bool):
        self.ctx = ctx
        self.wan = wan
        self.unit = "万元" if wan else "元"
        self.findings: list[Finding] = []
        self.amounts: list[Amount] = []
        self.user = _user_texts(ctx)

    # ------------------------------------------------------------------ concepts
    def _spend(self, cond: Cond, name: str, prior: str | None = None, grand=False) -> Concept:
        return Concept(name, self.ctx.expect(cond, f"说明 {name}", grand=grand), prior)

    def _rev(self, funds, name: str, prior: str | None = None, grand=False) -> Concept:
        return Concept(name, self.ctx.revenue(None, frozenset(funds), f"说明 {name}", grand=grand), prior)

    def recognize(self, tail: str, st: _Para, sentence: str) -> Concept | None:
        ctx = self.ctx

        def end(pattern: str) -> re.Match | None:
            return re.search(f"(?:{pattern}){FILLER}$", tail)

        code = re.search(r"（(\d{3}|\d{5}|\d{7})）$", tail)
        if code:
            c = code.group(1)
            scope = st.funds if st.funds is not None else GENERAL_ANY
            if c[0] == "2":
                return self._spend(Cond(funds=scope, fn=c), f"功能科目 {c}", f"function:{c}" if scope == GENERAL_ANY else None)
            if c[0] == "3":
                return self._spend(Cond(funds=scope, econ=c), f"部门经济科目 {c}", f"economic_dept:{c}" if scope == GENERAL_ANY else None)
            if c[0] == "5":
                got = self._spend(Cond(funds=scope, gecon=c), f"政府经济科目 {c}", f"economic_gov:{c}" if scope == GENERAL_ANY else None)
                got.cls = "1"
                return got
        if end("(?<!财政拨款)(?:收入总计|收支(?:预算)?总计)"):
            st.mode = "rev"
            return self._rev(ALL, "收入总计", "total", grand=True)
        if end("(?:本年|当年预算|当年)收入(?:合计)?"):
            st.mode = "rev"
            got = self._rev(ALL - CARRIED_IN, "本年收入（不含上年结转结余）", "total")
            got.cls = "7"
            return got
        if end("收入合计|收入预算总额"):
            st.mode = "rev"
            return self._rev(ALL, "收入合计（含上年结转结余）", "total", grand=True)
        if end("支出总计"):
            st.mode, st.funds = "spend", ALL
            return self._spend(Cond(carry=True), "支出总计（含结转下年）", "total", grand=True)
        if end("(?:本年|当年预算|当年)?支出(?:合计|预算总额)|当年预算支出|(?:部门|单位)预算支出"):
            st.mode, st.funds = "spend", ALL
            return self._spend(Cond(), "本年支出", "total")
        if end("财政拨款收支(?:预算)?(?:总计)?"):
            st.mode, st.funds = "rev", FISCAL
            return self._rev(FISCAL, "财政拨款收支总计", "fiscal")
        if end("财政拨款收入"):
            st.mode, st.funds = "rev", FISCAL
            got = self._rev(FISCAL_NOW, "财政拨款收入（本年）", "fiscal")
            got.cls = "7"
            return got
        if end("财政拨款上年结转|上年结转(?:结余)?(?:中的)?财政拨款"):
            st.mode = "rev"
            return self._rev(FISCAL - FISCAL_NOW, "财政拨款上年结转")
        carried = end("(一般公共预算|政府性基金预算?|国有资本经营预算)(?:拨款)?上年结转")
        if carried:     # one fiscal fund's money carried in from last year (its `carried_from`)
            st.mode = "rev"
            fund = {"一般公共预算": GENERAL, "国有资本经营预算": STATE}.get(carried.group(1), GOV)
            return self._rev(_K(CARRIED[fund]), f"{fund}上年结转")
        if end("财政拨款支出"):
            st.mode, st.funds = "spend", FISCAL
            return self._spend(Cond(funds=FISCAL), "财政拨款支出", "fiscal")
        if end("一般公共预算(?:拨款)?收入"):
            st.mode = "rev"
            return self._rev(_K(GENERAL), "一般公共预算收入")
        if end("一般公共预算基本支出"):
            st.mode, st.funds = "spend", GENERAL_ANY
            return self._spend(Cond(funds=GENERAL_ANY, kinds=_K(PERSONNEL, PUBLIC)), "一般公共预算基本支出")
        if end("一般公共预算(?:拨款)?(?:收支预算|支出)"):
            st.mode, st.funds = "spend", GENERAL_ANY
            return self._spend(Cond(funds=GENERAL_ANY), "一般公共预算支出", "general")
        if end("政府性基金(?:预算)?(?:拨款)?收入"):
            return self._rev(_K(GOV), "政府性基金收入")
        if end("政府性基金(?:预算)?(?:拨款)?(?:安排的)?支出"):
            return self._spend(Cond(funds=GOV_ANY), "政府性基金支出", "items:政府性基金预算拨款支出")
        if end("国有资本经营预算(?:拨款)?收入"):
            return self._rev(_K(STATE), "国有资本经营预算收入")
        if end("国有资本经营预算(?:拨款)?(?:安排的)?支出"):
            return self._spend(Cond(funds=STATE_ANY), "国有资本经营预算支出", "items:国有资本经营预算拨款支出")
        own = end("(财政专户管理资金|事业收入|事业单位经营收入|上级补助收入|附属单位上缴收入|其他收入|单位资金上年结转)安排的支出")
        if own:         # spending from one non-fiscal source (Shaanxi's 当年预算支出 “其中”)
            fund = CARRY if own.group(1) == "单位资金上年结转" else own.group(1)
            return self._spend(Cond(funds=_K(fund)), f"{own.group(1)}安排的支出")
        three = st.three if st.three is not None else (GENERAL_ANY if "一般公共预算" in sentence else FISCAL)
        if end("“三公”经费|三公经费"):
            st.three = three
            return self._spend(Cond(funds=three, econs=THREE_PUBLIC_CODES), "三公经费", "items:三公经费")
        if st.running:
            for name, codes in sorted(ECON_BY_NAME.items(), key=lambda kv: -len(kv[0])):
                if re.fullmatch(f"(?:其中)?{re.escape(name)}{FILLER}", tail):
                    return self._spend(self._running() & Cond(econs=frozenset(codes)), f"机关运行经费 {name}")
        if end("因公出国（境）(?:费|经费|费用)"):
            return self._spend(Cond(funds=three, econs=_K("30212")), "因公出国（境）费", "items:因公出国（境）费")
        if end("公务用车购置(?:及|和)运行(?:维护)?费"):
            return self._spend(Cond(funds=three, econs=_K("30231", "31013")), "公务用车购置及运行费", "items:公务用车购置及运行费")
        if end("公务用车购置费"):
            return self._spend(Cond(funds=three, econs=_K("31013")), "公务用车购置费", "items:公务用车购置费")
        if end("公务用车运行(?:维护)?费"):
            return self._spend(Cond(funds=three, econs=_K("30231")), "公务用车运行维护费", "items:公务用车运行维护费")
        if end("公务接待费"):
            return self._spend(Cond(funds=three, econs=_K("30217")), "公务接待费", "items:公务接待费")
        if end("会议费"):
            return self._spend(Cond(funds=three, econs=_K("30215")), "会议费", "items:会议费")
        if end("培训费"):
            return self._spend(Cond(funds=three, econs=_K("30216")), "培训费", "items:培训费")
        if end("机关运行经费(?:支出)?"):
            st.running = True
            return self._spend(self._running(), "机关运行经费", "items:机关运行经费")
        if end("机构运转经费(?:支出)?"):
            # Henan's glossary: 行政（事业）单位机构运转经费 — for administrative *and* institutional units
            return self._spend(Cond(funds=FISCAL, kinds=_K(PUBLIC)), "机构运转经费（行政和事业单位）", "items:机关运行经费")
        scope = st.funds if st.funds is not None else None
        if end("公用经费(?:支出)?"):
            if scope is None:
                # No fund named: “公用经费” is every fund's (表3's 公用经费支出), and it is the 一般公共预算 figure
                # (whose prior year is given) only when the two are one amount — “一般公共预算拨款安排的公用经费”
                # names its fund, and a bare name over the 一般公共预算 part alone is a wrong figure.
                general = self._spend(Cond(funds=GENERAL_ANY, kinds=_K(PUBLIC)), "公用经费", "items:公用经费")
                every = self._spend(Cond(kinds=_K(PUBLIC)), "公用经费（各项资金）")
                named = re.search(r"一般公共预算(?:拨款)?(?:安排的)?公用经费", tail)
                return general if named or general.expect.exact == every.expect.exact else every
            return self._spend(Cond(funds=scope, kinds=_K(PUBLIC)), "公用经费", "items:公用经费" if scope == GENERAL_ANY else None)
        if end("人员经费(?:支出)?"):
            return self._spend(Cond(funds=scope, kinds=_K(PERSONNEL)), "人员经费")
        if end("基本(?:保障)?支出"):
            st.kinds = _K(PERSONNEL, PUBLIC)    # “基本支出 X，其中工资福利支出 Y …”: the classes of 基本支出
            return self._spend(Cond(funds=scope, kinds=_K(PERSONNEL, PUBLIC)), "基本支出")
        if end("项目支出|项目经费"):
            st.kinds = None
            return self._spend(Cond(funds=scope, kinds=_K(PROJECT)), "项目支出")
        econ = classes.class_by_name(classes.DEPT_ECON_CLASSES, re.sub(f"^(?:其中){FILLER}|{FILLER}$", "", tail))
        if econ:
            return self._spend(Cond(funds=scope, econ=econ, kinds=st.kinds), f"部门经济分类 {econ}（{'基本支出' if st.kinds else '支出'}）")
        proc = end("政府采购(货物|工程|服务)?预算|(货物|工程|服务)类采购预算|政府采购")
        if proc:
            cat = proc.group(1) or proc.group(2)
            ids = [f"P{n}" for n, p in enumerate(ctx.dept.procurement) if cat is None or p["category"] == cat]
            return Concept(f"政府采购{cat or ''}", ctx.atoms.expect(ids, f"说明 政府采购{cat or ''}"))
        if end("财政拨款结转下年"):
            return self._spend(Cond(funds=FISCAL, carry=True, lines=False), "财政拨款结转下年")
        if end("结转下年"):
            return self._spend(Cond(carry=True, lines=False), "结转下年")
        if end("(?:涉及)?项目预算资金"):    # the projects with performance targets (and spending this year)
            keys = frozenset(ctx.dept.project_key(p) for p in ctx.dept.projects if p.get("performance"))
            return self._spend(Cond(projects=keys), "编制绩效目标的项目的预算资金")
        # this year's totals named plainly (after every fund's “…收入预算” / “…支出预算”)
        if end("收入预算"):
            st.mode = "rev"
            got = self._rev(ALL - CARRIED_IN, "本年收入（不含上年结转结余）", "total")
            got.cls = "7"
            return got
        if end("支出预算"):
            st.mode, st.funds = "spend", ALL
            return self._spend(Cond(), "本年支出", "total")
        if st.project and end("(?:年度)?项目预算"):
            return self._spend(Cond(projects=frozenset({st.project})), f"项目 {st.project} 本年预算")
        for word, fund in sorted(SOURCE_WORDS.items(), key=lambda kv: -len(kv[0])):
            if end(re.escape(word) + ("" if word.endswith("收入") else "(?:收入)?")):   # 财政专户管理资金收入 …
                if st.mode == "rev" and fund == OTHER:
                    return self._rev(self._other(st.text), "其他收入（除上述以外的收入）")
                if st.mode == "rev":
                    return self._rev(CARRIED_IN if fund == CARRY else _K(fund), f"{word}收入")
                return self._spend(Cond(funds=SPENT.get(fund, _K(fund))), f"{word}支出")
        fn = classes.function_class_by_name(re.sub(f"{FILLER}$", "", tail))
        if fn:
            return self._spend(Cond(funds=scope if scope is not None else GENERAL_ANY, fn=fn), f"功能分类 {fn}")
        return None

    @staticmethod
    def _other(text: str) -> frozenset[str]:
        """其他收入 in a list of revenue sources: every 本年 source the paragraph does not name (the
        glossaries' “除上述以外的收入”; 上海 lists four sources, the national set all nine)."""
        named: set[str] = set()
        for word, funds in NAMED_SOURCES:
            if word in text:
                named |= funds
        return frozenset(ALL - CARRIED_IN - {OTHER} - named) | {OTHER}

    def _prior_concept(self, key: str) -> Expect:
        """This year's figure of the concept a prior-year key names: prior_year.total is the 收支总计 (with
        上年结转结余 / 结转下年), fiscal the 财政拨款收支 total, general the 一般公共预算拨款支出."""
        return self.ctx.expect(PRIOR_CONCEPTS[key], f"本年 {key}")

    def _same_concept(self, c: Concept) -> bool:
        """A change compares one concept: the amount printed must be the prior-year key's own concept."""
        return c.prior not in PRIOR_CONCEPTS or c.expect.atoms == self._prior_concept(c.prior).atoms

    def _running(self) -> Cond:
        return running_costs(self.ctx)

    # ------------------------------------------------------------------ scanning
    def check(self, sections) -> None:
        project = None
        for s_index, section in enumerate(sections):
            # a section that speaks of 一般公共预算“三公”经费 counts the 三公 items of its later paragraphs
            # (（一）因公出国（境）费 …) from the same funds
            three = GENERAL_ANY if re.search(r"一般公共预算(?:拨款)?“三公”", "".join(section.paragraphs)) else None
            if getattr(section, "level", 1) <= 2:   # 上海 项目经费情况说明: “XX项目经费情况说明” over its parts
                named = re.fullmatch(r"(?:[一二三四五六七八九十]+、)?(.+)项目经费情况说明", section.title)
                project = self._project_key(named.group(1)) if named else None
            listing: list[str] | None = None      # the 项 codes of a numbered list (“…如下：” then “1. …”)
            funds: frozenset[str] = ALL
            for p_index, para in enumerate(section.paragraphs):
                where = f"说明“{section.title}”第{p_index + 1}段"
                item = None
                numbered = ITEM.match(para)
                if listing is not None and numbered and any(pat.match(para[numbered.end():]) for pat in ITEM_PATHS):
                    item = self._list_item(where, para[numbered.end():], int(numbered.group(1)), listing, funds)
                elif para.endswith("如下："):
                    funds = FISCAL if "财政拨款" in para else GENERAL_ANY if "一般公共预算" in para + section.title else ALL
                    listing = sorted({x.function for x in self.ctx.dept.lines if x.fund in funds})
                else:
                    listing = None
                self._paragraph(where, para, (s_index, p_index), three, project, item)

    def _list_item(self, where: str, text: str, n: int, codes: list[str], funds: frozenset[str]) -> Concept | None:
        """The n-th line of a list of 功能分类 项 (in code order, as a clerk reads the table): its 类
        named right, its 款 by code or name, its 项 by the name the input gave (when it gave one)."""
        if n > len(codes):
            self.findings.append(Finding("7", where, f"列出的第{n}项多于应列的 {len(codes)} 个科目"))
            return None
        code = codes[n - 1]
        m = next(pat.match(text) for pat in ITEM_PATHS if pat.match(text))
        cls, kuan, xiang = (norm(m.group(k)) for k in ("cls", "kuan", "xiang"))
        if classes.function_class_by_name(cls) != code[:3]:
            self.findings.append(Finding("7", where, f"第{n}项应为科目 {code}，类印作“{cls}”"))
        if kuan.isdigit() and kuan != code[:5]:
            self.findings.append(Finding("7", where, f"第{n}项应为科目 {code}，款印作“{kuan}”"))
        given = {x.function_name for x in self.ctx.dept.lines if x.function == code and x.function_name}
        if given and xiang not in {norm(g) for g in given}:
            self.findings.append(Finding("7", where, f"第{n}项应为科目 {code}（{'、'.join(sorted(given))}），项印作“{xiang}”"))
        prior = f"function:{code}" if funds == GENERAL_ANY else None
        return self._spend(Cond(funds=funds, fn=code), f"功能科目 {code}", prior)

    def _project_key(self, name: str) -> str | None:
        dept = self.ctx.dept
        return next((dept.project_key(p) for p in dept.projects if p["name"] == name), None)

    def _skip_spans(self, text: str) -> list[tuple[int, int]]:
        spans = [m.span() for m in re.finditer(r"单(?:价|位价值)\d+(?:\.\d+)?万?元(?:（含）)?以上", text)]   # an asset threshold, not a figure
        for u in self.user:
            start = text.find(u)
            while start >= 0:
                spans.append((start, start + len(u)))
                start = text.find(u, start + 1)
        return spans

    def _paragraph(self, where: str, text: str, key, three: frozenset[str] | None = None,
                   project: str | None = None, item: Concept | None = None) -> None:
        st = _Para()
        st.three = three
        st.text = text
        st.project = project
        seen: list[tuple[int, Concept]] = []
        skip = self._skip_spans(text)
        last_end = 0
        sentence_start = 0
        for m in NUM.finditer(text):
            if any(a <= m.start() < b for a, b in skip):
                continue
            prefix = text[last_end:m.start()]
            boundary = max(prefix.rfind("。"), prefix.rfind("；"))
            if boundary >= 0:
                sentence_start = last_end + boundary + 1
                st.sentence_head = None
                st.last = None
                st.printed = {}
            tail = prefix
            cut = max(tail.rfind(d) for d in DELIMS)
            if cut >= 0:
                tail = tail[cut + 1:]
            last_end = m.end()
            value = Decimal(m.group(1).replace(",", ""))
            if m.group(2) != self.unit:
                self.findings.append(Finding("7", where, f"“{tail}{m.group(0)}”的单位应为{self.unit}"))
                continue
            change = re.search(r"(较上年|比上年|与上年相比)?(增加|减少|增长|下降)$", tail)
            if change:
                self._change(where, text, m, tail[:change.start()], change.group(2), value, st, sentence_start)
                continue
            concept = item if item is not None and st.head is None else self.recognize(tail, st, text[sentence_start:m.start()])
            if concept is None:
                self.findings.append(Finding("7", where, f"无法对应概念的金额“…{text[max(0, m.start() - 16):m.end()]}”"))
                continue
            self._amount(where, m.group(0), value, concept, key)
            st.printed[concept.name] = value
            st.earlier[(concept.name, concept.expect.atoms)] = value
            seen.append((m.start(), concept))
            if st.head is None:
                st.head = concept
            if st.sentence_head is None:
                st.sentence_head = concept
            st.last = concept
            if concept.prior == "total":
                st.totals.setdefault("收入" if "收入" in concept.name else "支出", concept)
            self._share(where, text, m, concept, st)
        self._level(where, text, seen)
        self._lists(where, text, seen)

    def _lists(self, where: str, text: str, seen: list[tuple[int, Concept]]) -> None:
        """“财政拨款收入 X，其中一般公共预算拨款收入 Y、政府性基金拨款收入 Z”: a total broken down by fund
        names every fund that has money — the parts that fall within the total add up to it (a list that
        leaves out 国有资本经营预算拨款 when there is some is a wrong figure a reader computes)."""
        for m in re.finditer("其中", text):
            end = text.find("。", m.end())
            end = len(text) if end < 0 else end
            before = [(pos, c) for pos, c in seen if pos < m.start() and "。" not in text[pos:m.start()]]
            if not before or before[-1][1].name not in LIST_WHOLES:
                continue
            whole = before[-1][1]
            spend = "支出" in whole.name
            parts = []
            for pos, c in seen:             # the list runs to the sentence's end or to a figure of the other side
                if m.end() <= pos < end:
                    if ("支出" in c.name) != spend:
                        break
                    if c.expect.atoms <= whole.expect.atoms:
                        parts.append(c)
            if not parts or not all(c.name in FUND_PARTS for c in parts):
                continue
            listed = frozenset().union(*(c.expect.atoms for c in parts))
            left = self.ctx.atoms.expect(whole.expect.atoms - listed, "")
            if left.exact:
                self.findings.append(Finding("7", where, f"“{whole.name}”其中所列的{'、'.join(c.name for c in parts)}之和"
                                             f"少于总数 {left.exact} 元（漏列了有数的资金来源）"))

    def _amount(self, where: str, printed: str, value: Decimal, concept: Concept, key) -> None:
        ok = allowed(concept.expect, self.wan, self.ctx.slack)
        if value not in ok:
            lo, hi = bounds(concept.expect.exact, self.wan)
            near = self.wan and lo - Decimal("0.03") <= value <= hi + Decimal("0.03")
            cls = concept.cls or ("4" if near else "3" if any(a[0] == "C" for a in concept.expect.atoms) else "7")
            concept = Concept(concept.name, concept.expect, concept.prior, "failed")
            self.findings.append(Finding(cls, where, f"{concept.name}印作 {printed}，应为 {' 或 '.join(f'{v:.2f}' for v in sorted(ok))}{self.unit}"
                                         f"（{to_unit(concept.expect.exact, self.wan):.4f}）"))
        self.amounts.append(Amount(key[0], printed, value, concept))

    def _share(self, where: str, text: str, m: re.Match, concept: Concept, st: _Para) -> None:
        """“X，占 P%”: X's share of the paragraph's first amount; “…，占预算总额的 P%”: the sentence's
        first amount's share of this year's spending — the 支出预算总额 the 说明 prints, without 结转下年 (of
        支出总计 with it, a reader dividing the printed figures got another share: trialE-s27)."""
        after = text[m.end():m.end() + 16]
        pm = re.match(r"[，,]?占(预算总额的)?(\d+(?:\.\d+)?)%", after)
        if not pm:
            return
        printed = Decimal(pm.group(2))
        if pm.group(1):
            part_concept = st.sentence_head or concept
            wholes = [self.ctx.expect(Cond(), "").exact]
        else:
            part_concept = concept
            wholes = [st.head.expect.exact] if st.head else []
        part = part_concept.expect.exact
        if not any(_pct_ok(printed, part, w) for w in wholes):
            self.findings.append(Finding("4", where, f"{part_concept.name}占比印作 {printed}%，按元计算应为 "
                                         f"{', '.join(f'{part * 100 / w:.4f}%' for w in wholes if w)}"))

    def _change(self, where, text, m, word, verb, value, st: _Para, sentence_start: int) -> None:
        word = re.sub(r"^(?:与\d{4}年(?:预算)?相比|比\d{4}年(?:预算)?)", "", word)
        concept = None
        if word in ("收入", "支出"):     # “收入增长 X；支出增长 X”: the paragraph's revenue / spending total
            concept = st.totals.get(word)
        elif word:
            concept = self.recognize(word, _Para(), text[sentence_start:m.start()])
        gone = re.search(r"(?:（|科目)(\d{3}|\d{5}|\d{7})）?本年未安排[，,]?(?:较上年|比上年)?(?:增加|减少)?$", text[sentence_start:m.start()])
        if not concept and gone:       # “行政运行（2010101）本年未安排，较上年减少 X”: a code with no spending this year
            concept = self.recognize(f"（{gone.group(1)}）", _Para(), text[sentence_start:m.start()])
            if concept is not None and concept.expect.exact != 0:
                self.findings.append(Finding("7", where, f"{concept.name}印作“本年未安排”，输入本年为 {concept.expect.exact} 元"))
        candidates = [concept] if concept else [c for c in (st.sentence_head, st.last) if c]
        if not candidates:
            self.findings.append(Finding("7", where, f"变化额“{word}{verb}{m.group(0)}”找不到所比较的概念"))
            return
        with_prior = [c for c in candidates if c.prior and self.ctx.atoms.prior(c.prior) is not None]
        if not with_prior:
            c = candidates[-1]
            self.findings.append(Finding("7", where, f"“{verb}{m.group(0)}”跟在“{c.name}”后面，但输入没有"
                                         f"{c.name}的上年数{f'（{c.prior}）' if c.prior else ''}"))
            return
        same = [c for c in with_prior if self._same_concept(c)]
        if not same:
            c = with_prior[0]
            self.findings.append(Finding("7", where, f"“{verb}{m.group(0)}”把{c.name}与上年的“{PRIOR_WHAT[c.prior]}”"
                                         f"相比，不是同一概念（本年应为 {self._prior_concept(c.prior).exact} 元）"))
            return
        with_prior = same
        up = verb in ("增加", "增长")

        def fits(c: Concept) -> bool:
            """Within a cent of the exact change — or, in 万元, exactly what a reader gets subtracting last
            year's figure rounded half up from this year's as printed (controlled rounding may print this
            year's 0.01 below or above its half-up value, so the two can differ by a cent)."""
            prior = self.ctx.atoms.prior(c.prior)
            diff = c.expect.exact - prior
            if (diff > 0) != up:
                return False
            if value in bounds(abs(diff), self.wan):
                return True
            shown = _shown(st, c)
            before = (prior / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            return self.wan and shown is not None and value == abs(shown - before)

        def subtracts(c: Concept) -> bool:
            """`fits`, and in 万元 also what a reader gets subtracting the printed figures — of two concepts
            printed alike (本年收入 and 财政拨款收入, both 581.29), the change belongs to the one whose last
            year's figure gives it (a generated department: 10,049.99 and 10,050.01 元)."""
            shown = _shown(st, c)
            if not fits(c) or not self.wan or shown is None:
                return fits(c)
            before = (self.ctx.atoms.prior(c.prior) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            return value == abs(shown - before)

        concept = next((c for c in with_prior if subtracts(c)), next((c for c in with_prior if fits(c)), with_prior[0]))
        prior = self.ctx.atoms.prior(concept.prior)
        diff = concept.expect.exact - prior
        lo, hi = bounds(abs(diff), self.wan)
        if not fits(concept):
            near = (diff > 0) == up and lo - Decimal("0.03") <= value <= hi + Decimal("0.03")
            self.findings.append(Finding("4" if near else "7", where, f"{concept.name}“{verb}{m.group(0)}”，按元计算为"
                                         f"{'增加' if diff > 0 else '减少'}{to_unit(abs(diff), self.wan):.4f}{self.unit}"
                                         f"（本年 {concept.expect.exact} 元，上年 {prior} 元）"))
        shown = _shown(st, concept)
        if self.wan and shown is not None and fits(concept):
            # A reader subtracts the printed figures: this year's as printed, last year's rounded half up.
            before = (prior / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if value != abs(shown - before):
                self.findings.append(Finding("4", where, f"{concept.name}“{verb}{m.group(0)}”，但印出的本年数 {shown} 与上年数 "
                                             f"{before}（{prior} 元）相差 {abs(shown - before)}"))
        reason = self.ctx.atoms.prior_reason(concept.prior)
        after = text[m.end():]
        rm = re.match(r"[，,]?(?:增长|下降|增加|减少)\d+(?:\.\d+)?%", after)
        if rm:
            pct = Decimal(re.search(r"(\d+(?:\.\d+)?)%", rm.group(0)).group(1))
            if prior and not _pct_ok(pct, abs(diff), prior):
                self.findings.append(Finding("4", where, f"{concept.name}变化率印作 {pct}%，按元计算应为 {abs(diff) * 100 / prior:.4f}%"))
            after = after[rm.end():]
        got = re.match(r"[，,]?主要原因(?:是|：|:)(.*?)(?:[；。]|$)", after)
        if got and reason and got.group(1) != reason.rstrip("。；"):
            self.findings.append(Finding("7", where, f"{concept.name}的原因印作“{got.group(1)}”，输入为“{reason}”"))
        if got and not reason:
            self.findings.append(Finding("7", where, f"{concept.name}的原因“{got.group(1)}”不是该概念的上年原因（输入未写）"))

    def _level(self, where: str, text: str, seen: list[tuple[int, Concept]]) -> None:
        """“与上年持平” belongs to its sentence's first amount or to the amount just before it (as a
        change does); the 元 figures of one of them must equal the prior year's."""
        for m in re.finditer("与上年持平", text):
            start = max(text.rfind("。", 0, m.start()), text.rfind("；", 0, m.start())) + 1
            in_sentence = [c for pos, c in seen if start <= pos < m.start()]
            if not in_sentence:
                continue
            candidates = [c for c in (in_sentence[0], in_sentence[-1]) if c.prior and self.ctx.atoms.prior(c.prior) is not None]
            if not candidates:
                self.findings.append(Finding("7", where, f"“{in_sentence[-1].name}”后印“与上年持平”，但输入没有其上年数"))
            elif not any(bounds(abs(c.expect.exact - self.ctx.atoms.prior(c.prior)), self.wan)[1] == 0 for c in candidates):
                c = candidates[0]
                self.findings.append(Finding("7", where, f"{c.name}印“与上年持平”，按元计算相差 {c.expect.exact - self.ctx.atoms.prior(c.prior)} 元"))
        for m in re.finditer(r"与(?:上年|\d{4}年预算)基本持平", text):
            # Equal as printed (this year's figure, last year's rounded half up), different in 元.
            start = max(text.rfind("。", 0, m.start()), text.rfind("；", 0, m.start())) + 1
            printed = [(c, Decimal(NUM.match(text, pos).group(1).replace(",", ""))) for pos, c in seen if start <= pos < m.start()]
            in_sentence = [c for c, _ in printed]
            if not in_sentence:
                continue
            candidates = [(c, v) for c, v in (printed[0], printed[-1]) if c.prior and self.ctx.atoms.prior(c.prior) is not None]

            def nearly(c: Concept, shown: Decimal) -> bool:
                prior = self.ctx.atoms.prior(c.prior)
                if not self.wan or c.expect.exact == prior:
                    return False
                return shown == (prior / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

            if not any(nearly(c, v) for c, v in candidates):
                c = in_sentence[0]
                self.findings.append(Finding("7", where, f"{c.name}印“{m.group(0)}”，但按元计算不是“印出相同而元不同”"))


def _shown(st: _Para, c: Concept) -> Decimal | None:
    """This year's figure of `c` as printed: in the change's own sentence, else earlier in the paragraph
    (“…一般公共预算拨款支出 158.99 万元。与上年相比，一般公共预算拨款支出增长 142.82 万元”)."""
    return st.printed.get(c.name, st.earlier.get((c.name, c.expect.atoms)))


def _pct_ok(printed: Decimal, part: Decimal, whole: Decimal) -> bool:
    if not whole:
        return False
    exact = part * 100 / whole
    return printed in (exact.quantize(Decimal("0.01"), ROUND_FLOOR), exact.quantize(Decimal("0.01"), ROUND_CEILING))
