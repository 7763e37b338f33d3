"""Expected figures for every money cell of every table kind, recognized by key, header labels and
row codes / units / projects / labels — so the same checks hold for every profile's layout.

Each `check_<kind>` returns the cells it expects (`CellCheck`) and what it could not recognize
(`Finding`s: an unknown column label or row is a failure, never a silent skip).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Callable

from . import classes
from .figures import Atoms, Expect
from .grid import GCell, GridTable, norm
from .inputs import (ADMIN, CIVIL, CARRIED, CARRIED_IN, C_FISCAL, FISCAL, FISCAL_NOW, FUNDS, GENERAL, GENERAL_ANY, GOV,
                     GOV_ANY, OPS, OTHER, PERSONNEL, PROJECT, PUBLIC, SPECIAL, STATE, STATE_ANY, UNIT_FUNDS, BUSINESS, HIGHER,
                     SUBSIDIARY, Dept, Line)
from .report import Finding

ALL_FUNDS = frozenset(FUNDS)
THREE_PUBLIC_CODES = frozenset({"30212", "30217", "30231", "31013"})


@dataclass(frozen=True)
class Cond:
    """Which atoms a figure sums: line items matching every given constraint (and 结转下年 entries)."""

    funds: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    econ: str | None = None            # 部门经济分类 prefix
    econs: frozenset[str] | None = None
    fn: str | None = None              # 功能分类 prefix
    gecon: str | None = None           # 政府经济分类 prefix (by unit kind)
    units: frozenset[str] | None = None
    ptype: str | None = None
    projects: frozenset[str] | None = None   # project keys
    projects_only: bool = False
    blank: bool = False
    carry: bool = False                # include the 结转下年 entries of these units and funds
    lines: bool = True                 # include line items (False: 结转下年 only)

    def __and__(self, o: "Cond") -> "Cond":
        def meet(a, b):
            if a is None:
                return b
            if b is None:
                return a
            return a & b

        def prefix(a, b):
            if a is None or b is None:
                return a or b
            if a.startswith(b):
                return a
            if b.startswith(a):
                return b
            return "∅"
        return Cond(meet(self.funds, o.funds), meet(self.kinds, o.kinds), prefix(self.econ, o.econ),
                    meet(self.econs, o.econs), prefix(self.fn, o.fn), prefix(self.gecon, o.gecon),
                    meet(self.units, o.units), self.ptype or o.ptype, meet(self.projects, o.projects),
                    self.projects_only or o.projects_only, self.blank or o.blank, self.carry or o.carry,
                    self.lines and o.lines)

    def matches(self, x: Line, dept: Dept, ptypes: dict[str, str]) -> bool:
        if self.funds is not None and x.fund not in self.funds:
            return False
        if self.kinds is not None and x.kind not in self.kinds:
            return False
        if self.econ is not None and not x.economic.startswith(self.econ):
            return False
        if self.econs is not None and x.economic not in self.econs:
            return False
        if self.fn is not None and not x.function.startswith(self.fn):
            return False
        if self.units is not None and x.unit not in self.units:
            return False
        if (self.projects_only or self.ptype or self.projects is not None) and not x.project:
            return False
        if self.projects is not None and x.project not in self.projects:
            return False
        if self.ptype is not None and ptypes.get(x.project or "") != self.ptype:
            return False
        if self.gecon is not None and not classes.gov_econ(x.economic, dept.kind_of(x.unit)).startswith(self.gecon):
            return False
        return True

    def spending_only(self) -> bool:
        """结转下年 entries only match a figure constrained by unit and fund."""
        return any(v is not None for v in (self.kinds, self.econ, self.econs, self.fn, self.gecon, self.ptype,
                                           self.projects)) or self.projects_only


@dataclass
class CellCheck:
    table: GridTable
    cell: GCell
    expect: Expect
    row: str
    col: str
    failed: bool = False


class Ctx:
    """One department with its atoms, for the checks of one package."""

    def __init__(self, dept: Dept, profile: str):
        self.dept = dept
        self.atoms = Atoms(dept)
        self.profile = profile
        self.ptypes = {dept.project_key(p): p["type"] for p in dept.projects}
        self.unit_codes = {u.code for u in dept.units}
        self.state: dict = {}      # per package (e.g. which projects' performance tables were seen)
        self.slack = 0             # cents a figure may lie beyond a cent (see `check.check_document`)
        self._parts: dict[tuple, frozenset[int]] = {}

    _FIELDS = ("funds", "kinds", "econ", "econs", "fn", "gecon", "units", "ptype", "projects")

    def _lines(self, cond: Cond) -> list[int]:
        """The line items a condition selects: the intersection of what each of its constraints selects,
        each constraint matched against the lines once per package (a table asks thousands of them)."""
        chosen: frozenset[int] | None = None
        for key in [(f, getattr(cond, f)) for f in self._FIELDS] + [("projects_only", cond.projects_only or None)]:
            if key[1] is None:
                continue
            got = self._parts.get(key)
            if got is None:
                part = Cond(**dict([key]))
                got = self._parts[key] = frozenset(x.idx for x in self.dept.lines if part.matches(x, self.dept, self.ptypes))
            chosen = got if chosen is None else chosen & got
        return sorted(chosen) if chosen is not None else [x.idx for x in self.dept.lines]

    def selection(self, cond: Cond) -> list[str]:
        """The atoms a condition sums: line items, then 结转下年 entries."""
        atoms = [f"L{i}" for i in self._lines(cond)] if cond.lines else []
        if cond.carry and not cond.spending_only():
            atoms += self.atoms.carry(set(cond.units) if cond.units is not None else None, cond.funds)
        return atoms

    def expect(self, cond: Cond, what: str, *, grand: bool = False, cls: str = "") -> Expect:
        if cond.blank:
            return Expect(frozenset(), Decimal(0), what, blank=True, cls=cls)
        e = self.atoms.expect(self.selection(cond), what, grand=grand, cls=cls)
        if grand and e.atoms != self.atoms.grand_atoms:
            e = replace(e, grand=False)
        return e

    def revenue(self, units: frozenset[str] | None, sources: frozenset[str], what: str, *, grand: bool = False) -> Expect:
        """A revenue figure: the atoms it balances; the oracle checks the input identity on the way."""
        e = self.expect(Cond(funds=sources, units=units, carry=True), what, grand=grand)
        carried = (sources or CARRIED_IN) & CARRIED_IN
        if carried in (frozenset(), CARRIED_IN):   # typed revenue says 上年结转结余, not whose money it was
            typed = self.atoms.revenue_exact(set(units) if units is not None else None, sources)
            assert typed == e.exact, f"oracle: revenue {what} typed {typed} ≠ spending + 结转下年 {e.exact}"
        return e


# ------------------------------------------------------------------ labels

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+、|（[一二三四五六七八九十]+）|\(\d+\)|（\d+）|\d+\.)+")
_UNIT_SUFFIX = re.compile(r"（(?:万元|元)）$")


def label_key(text: str) -> str:
    """“（一）一般公共预算拨款” → “一般公共预算拨款”; “项目金额（万元）” → “项目金额”; “因公出国(境)费” →
    “因公出国（境）费” (half-width brackets read as full-width)."""
    t = norm(text).replace("(", "（").replace(")", "）")
    t = _NUMBERING.sub("", t)
    return _UNIT_SUFFIX.sub("", t)


_K = lambda *k: frozenset(k)  # noqa: E731
COLUMN = {
    **{k: Cond() for k in ("合计", "总计", "小计", "预算数", "金额", "资金总额", "预算金额", "当年金额")},
    "本年收入": Cond(funds=ALL_FUNDS - CARRIED_IN), "本年拨款": Cond(funds=ALL_FUNDS - CARRIED_IN),
    "基本支出": Cond(kinds=_K(PERSONNEL, PUBLIC)), "人员经费": Cond(kinds=_K(PERSONNEL)),
    "人员经费支出": Cond(kinds=_K(PERSONNEL)), "公用经费": Cond(kinds=_K(PUBLIC)), "公用经费支出": Cond(kinds=_K(PUBLIC)),
    "项目支出": Cond(kinds=_K(PROJECT)), "专项业务经费支出": Cond(kinds=_K(PROJECT)), "项目金额": Cond(kinds=_K(PROJECT)),
    "工资福利支出": Cond(econ="301"), "对个人和家庭的补助": Cond(econ="303"), "商品和服务支出": Cond(econ="302"),
    "资本性支出": Cond(econ="310"),
    "其他运转类": Cond(ptype="其他运转类"), "特定目标类": Cond(ptype="特定目标类"),
    # a fund's column counts its money this year and carried in (a revenue table keeps 本年 apart, see
    # `this_year_revenue`); 上年结转结余 is all carried-in money, 财政拨款结转结余 that of the fiscal funds
    "一般公共预算": Cond(funds=GENERAL_ANY), "一般公共预算拨款": Cond(funds=GENERAL_ANY),
    "一般公共预算拨款收入": Cond(funds=GENERAL_ANY),
    "其中：财政拨款": Cond(funds=GENERAL_ANY), "财政拨款": Cond(funds=FISCAL), "政府预算资金": Cond(funds=FISCAL),
    "财政拨款收入": Cond(funds=FISCAL),
    **{k: Cond(funds=GOV_ANY) for k in ("政府性基金", "政府性基金拨款", "政府性基金预算", "政府性基金预算拨款",
                                        "政府性基金预算拨款收入")},
    **{k: Cond(funds=STATE_ANY) for k in ("国有资本经营预算", "国有资本经营预算收入", "国有资本经营预算拨款",
                                          "国有资本经营预算拨款收入")},
    "财政专户管理资金": Cond(funds=_K(SPECIAL)), "财政专户管理资金收入": Cond(funds=_K(SPECIAL)),
    "事业收入": Cond(funds=_K(OPS)), "事业单位经营收入": Cond(funds=_K(BUSINESS)), "上级补助收入": Cond(funds=_K(HIGHER)),
    "附属单位上缴收入": Cond(funds=_K(SUBSIDIARY)), "其他收入": Cond(funds=_K(OTHER)), "上年结转结余": Cond(funds=CARRIED_IN),
    "单位资金": Cond(funds=UNIT_FUNDS),
    "财政拨款结转结余": Cond(funds=C_FISCAL),
    "本年一般公共预算基本支出": Cond(funds=GENERAL_ANY, kinds=_K(PERSONNEL, PUBLIC)),
    # group headers over a table's columns (上海): the table's whole selection, or its fund
    "收入预算": Cond(), "支出预算": Cond(), "一般公共预算支出": Cond(funds=GENERAL_ANY),
    "政府性基金预算支出": Cond(funds=GOV_ANY), "国有资本经营预算支出": Cond(funds=STATE_ANY),
    "一般公共预算基本支出": Cond(funds=GENERAL_ANY, kinds=_K(PERSONNEL, PUBLIC)),
}


def money_columns(t: GridTable, paths, findings: list[Finding]) -> dict[int, tuple[Cond, str]]:
    """Each money column's condition from its header labels; an unknown label is a finding."""
    cols: dict[int, tuple[Cond, str]] = {}
    for c, p in enumerate(paths):
        if t.money_columns[c]:
            cond, lab = column_cond(p)
            if cond is None:
                findings.append(Finding("0", where(t), f"未识别的列标题“{lab}”（列 {'/'.join(p)}）"))
            else:
                cols[c] = (cond, lab)
    cols = residual_other(cols, {c: paths[c] for c in cols}, ALL_FUNDS)
    if any(label_key(x) in _CARRIED_LABELS for c in cols for x in paths[c]):
        cols = this_year_revenue(cols, paths, revenue=False)   # columns by source
    return cols


_CARRIED_LABELS = {"上年结转结余", "上年结转", "财政拨款结转结余"}


def this_year_revenue(cols: dict[int, tuple[Cond, str]], paths, revenue: bool = True) -> dict[int, tuple[Cond, str]]:
    """Columns by source: where carried-in money has columns of its own (上年结转结余, or 财政拨款结转结余
    split by fund as 河南 does), a fund's other column is its 本年 money. In a revenue table that holds
    for all carried-in money, with or without its column; a column of no fund is the whole."""
    carried_cols = [c for c in cols if any(label_key(x) in _CARRIED_LABELS for x in paths[c])]
    covered = CARRIED_IN if revenue else frozenset().union(*(cols[c][0].funds or CARRIED_IN for c in carried_cols))
    out = {}
    for c, (cond, lab) in cols.items():
        if cond.funds is not None and c not in carried_cols:
            cond = replace(cond, funds=cond.funds - covered)
        out[c] = (cond, lab)
    return out


def residual_other(items: dict, paths: dict, whole: frozenset[str]) -> dict:
    """“其他收入” beside other sources is, as every glossary defines it, the revenue “除上述以外”: the
    sources of `whole` that no other column (or row) of the table names. Where every source has its own
    column this is 其他收入 alone; where a province lists four sources (上海) the rest."""
    out = dict(items)
    for k, (cond, lab) in items.items():
        if label_key(paths[k][-1] if paths[k] else "") != "其他收入":
            continue
        named: set[str] = set()
        for j, (other, _) in items.items():
            if j != k and other.funds is not None and OTHER not in other.funds:
                named |= other.funds
        out[k] = (replace(cond, funds=frozenset(whole - named)), lab)
    return out


def column_cond(path: tuple[str, ...], skip_top: int = 0) -> tuple[Cond | None, str]:
    cond = Cond()
    for lab in path[skip_top:]:
        k = label_key(lab)
        if k not in COLUMN:
            return None, lab
        cond = cond & COLUMN[k]
    return cond, "/".join(path)


def cell_value(cell: GCell) -> Decimal:
    if cell.value is not None:
        return Decimal(cell.value)
    t = cell.text.replace(",", "").strip()
    return Decimal(t) if t else Decimal(0)


def where(t: GridTable, r: int | None = None, extra: str = "") -> str:
    loc = f"{t.source}:{t.name}"
    if r is not None:
        loc += f" 行{r + 1}"
    return loc + (f" {extra}" if extra else "")


# ------------------------------------------------------------------ function / economic tables

BASE = {
    "expenditure": Cond(), "economic_summary": Cond(),
    "general_by_function": Cond(funds=GENERAL_ANY), "general_by_economic": Cond(funds=GENERAL_ANY),
    "general_basic_by_function": Cond(funds=GENERAL_ANY, kinds=_K(PERSONNEL, PUBLIC)),
    "general_basic_by_economic": Cond(funds=GENERAL_ANY, kinds=_K(PERSONNEL, PUBLIC)),
    "gov_fund": Cond(funds=GOV_ANY), "state_capital": Cond(funds=STATE_ANY),
}
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")


def _left_roles(t: GridTable, paths) -> tuple[dict[int, tuple], list[Finding]]:
    roles: dict[int, tuple] = {}
    bad = []
    for c, p in enumerate(paths):
        if t.money_columns[c]:
            continue
        leaf = p[-1] if p else ""
        gov = any("政府" in x for x in p)
        if leaf in ("类", "款", "项"):
            roles[c] = ("gpart" if gov else "part", "类款项".index(leaf))
        elif leaf.endswith("编码") or leaf.endswith("代码"):
            roles[c] = ("unit",) if leaf.startswith("单位") else ("gcode",) if gov else ("code",)
        elif "名称" in leaf or leaf == "预算科目":
            roles[c] = ("gname",) if gov else ("name",)
        elif leaf in ("备注", ""):
            roles[c] = ("remark",)
        else:
            bad.append(Finding("0", where(t), f"未识别的左侧列“{'/'.join(p)}”"))
    return roles, bad


def check_classified(t: GridTable, ctx: Ctx, revenue: bool = False) -> tuple[list[CellCheck], list[Finding]]:
    """功能 / 经济分类 rows (类, 款, 项; units; 合计) × measure columns. A revenue table laid out by 功能分类
    (上海 收入预算总表: revenue by the function it pays for) has the same rows; its 合计 is the whole
    revenue, so the revenue that funds 结转下年 (no function) must be in it, on a 结转下年 row of its own."""
    dept = ctx.dept
    base = Cond() if revenue else BASE[t.key]
    paths = t.col_paths()
    roles, findings = _left_roles(t, paths)
    cols = money_columns(t, paths, findings)
    if revenue:
        cols = this_year_revenue(cols, paths)
    unit_names = {}
    for u in dept.units:
        unit_names.setdefault(u.name, u.code)
    rows: list[tuple[int, str, object]] = []        # (r, type, payload)
    for r, row in enumerate(t.body):
        parts: dict[int, str] = {}
        gparts: dict[int, str] = {}
        code = gcode = unit = name = gname = ""
        for cell in row:
            role = roles.get(cell.c)
            if not role:
                continue
            txt = cell.text.strip()
            if role[0] == "part":
                parts[role[1]] = txt
            elif role[0] == "gpart":
                gparts[role[1]] = txt
            elif role[0] == "code":
                code = txt
            elif role[0] == "gcode":
                gcode = txt
            elif role[0] == "unit":
                unit = txt
            elif role[0] == "name":
                name = txt
            elif role[0] == "gname":
                gname = txt
        dcode = "".join(parts[i] for i in sorted(parts)) or code
        gc = "".join(gparts[i] for i in sorted(gparts)) or gcode
        if norm(name) == "合计" and not dcode:
            rows.append((r, "total", None))
        elif revenue and label_key(name) == "结转下年" and not dcode:
            rows.append((r, "carry", None))
        # a code is a unit's (or the department's) only beside its name: 310 资本性支出 is a class even in
        # a department coded 310
        elif unit in ctx.unit_codes or (dcode in ctx.unit_codes and norm(name) in ("", norm(dept.unit_of[dcode].name))):
            rows.append((r, "unit", unit if unit in ctx.unit_codes else dcode))
        elif unit == dept.code or (dcode == dept.code and norm(name) in ("", norm(dept.name))):
            rows.append((r, "total", None))
        elif _CODE.match(dcode):
            rows.append((r, "class", (dcode, gc, name, gname)))
        elif not dcode and name in unit_names:
            prev = rows[-1] if rows else None
            if name == dept.name and dept.listed_units and not (prev and prev[1] == "org"):
                nxt = t.body[r + 1] if r + 1 < len(t.body) else []
                if any(c.text.strip() == name for c in nxt):
                    rows.append((r, "org", None))
                    continue
            rows.append((r, "unit", unit_names[name]))
        else:
            findings.append(Finding("0", where(t, r), f"未识别的行（编码“{dcode}”，名称“{name}”）"))
    types = [x[1] for x in rows]
    unit_positions = [i for i, x in enumerate(types) if x == "unit"]
    nested = any("class" in types[a:b] for a, b in zip(unit_positions, unit_positions[1:]))
    checks: list[CellCheck] = []
    scope_unit: str | None = None
    leaf_rows: dict[str | None, list[Expect]] = {}
    max_len = max((len(p[0]) for _, ty, p in rows if ty == "class"), default=0)
    for r, ty, payload in rows:
        gov_row = False
        if ty in ("total", "org"):
            rc, label = Cond(carry=revenue), "合计"
        elif ty == "carry":
            rc, label = Cond(carry=True, lines=False), "结转下年"
        elif ty == "unit":
            scope_unit = payload if nested else None
            rc, label = Cond(units=frozenset({payload})), f"单位 {payload}"
        else:
            dcode, gc, name, gname = payload
            rc = Cond(fn=dcode) if dcode.startswith("2") else Cond(econ=dcode)
            label = dcode
            if gc:
                gov_row = True
                rc = rc & Cond(gecon=gc)
                label += f"→{gc}"
                want = classes.GOV_ECON_NAMES.get(gc)
                if want and gname and norm(gname) != norm(want):
                    findings.append(Finding("1", where(t, r), f"政府经济科目 {gc} 印作“{gname}”，应为“{want}”"))
            if scope_unit:
                rc = rc & Cond(units=frozenset({scope_unit}))
            findings += _name_check(t, r, dcode, name, dept)
            if len(dcode) == max_len:
                leaf_rows.setdefault(scope_unit, []).append(ctx.expect(base & rc, label))
        for cell in t.body[r]:
            if cell.c in cols:
                cc, clab = cols[cell.c]
                cls = "1" if gov_row else ""
                checks.append(CellCheck(t, cell, ctx.expect(base & rc & cc, f"{label} × {clab}", cls=cls,
                                                             grand=revenue and ty == "total"), label, clab))
    # every line item of the table's selection is in some leaf row of its scope
    if rows and max_len and not t.empty:
        scopes = {None: None} if not nested else {u: u for u in leaf_rows}
        for scope in scopes:
            want = ctx.expect(base & (Cond(units=frozenset({scope})) if scope else Cond()), "")
            got = frozenset().union(*(e.atoms for e in leaf_rows.get(scope, [])))
            missing = want.atoms - got
            if missing:
                lines = [ctx.dept.lines[int(a[1:])] for a in sorted(missing, key=lambda a: int(a[1:]))]
                sample = "；".join(f"{x.unit} {x.function}/{x.economic} {x.fund} {x.amount}" for x in lines[:3])
                findings.append(Finding("1" if any("政府" in "".join(p) for p in paths) else "0", where(t),
                                        f"{len(lines)} 条明细不在任何末级行中（按单位性质应有的行缺失或归错），如 {sample}"))
    return checks, findings


def _name_check(t: GridTable, r: int, code: str, name: str, dept: Dept) -> list[Finding]:
    """A 项 / 款 row prints the name the input gave for that code (when it gave one)."""
    given = {x.function_name for x in dept.lines if x.function == code and x.function_name} | \
            {x.economic_name for x in dept.lines if x.economic == code and x.economic_name}
    if given and norm(name) not in {norm(g) for g in given}:
        return [Finding("0", where(t, r), f"科目 {code} 印作“{name}”，输入给出的名称是“{'、'.join(sorted(given))}”")]
    if "目录中无此科目" in name:
        return [Finding("0", where(t, r), f"科目 {code} 名称印作“{name}”")]
    return []


# ------------------------------------------------------------------ 收支总表 family

_REVENUE_ROWS = {
    "财政拨款": FISCAL_NOW, "财政拨款收入": FISCAL_NOW, "本年收入": None, "一般公共预算": _K(GENERAL), "一般公共预算拨款": _K(GENERAL),
    "一般公共预算拨款收入": _K(GENERAL), "一般公共预算资金": _K(GENERAL), "其中：财政拨款": _K(GENERAL),
    "政府性基金": _K(GOV), "国有资本经营预算": _K(STATE),
    **{k: _K(GOV) for k in ("政府性基金拨款", "政府性基金预算拨款收入", "政府性基金预算拨款", "政府性基金预算收入")},
    **{k: _K(STATE) for k in ("国有资本经营预算收入", "国有资本经营预算拨款收入", "国有资本经营预算拨款")},
    "财政专户管理资金": _K(SPECIAL), "财政专户管理资金收入": _K(SPECIAL), "事业收入": _K(OPS),
    "事业单位经营收入": _K(BUSINESS), "上级补助收入": _K(HIGHER), "附属单位上缴收入": _K(SUBSIDIARY), "其他收入": _K(OTHER),
}


def check_summary(t: GridTable, ctx: Ctx) -> tuple[list[CellCheck], list[Finding]]:
    fiscal = t.key == "fiscal_summary"
    base_funds = FISCAL if fiscal else ALL_FUNDS
    paths = t.col_paths()
    findings: list[Finding] = []
    checks: list[CellCheck] = []
    label_col: dict[int, int] = {}
    last_text = None
    for c in range(t.width):
        if t.money_columns[c]:
            if last_text is None:
                findings.append(Finding("0", where(t), f"金额列 {c + 1} 左侧没有项目列"))
                continue
            label_col[c] = last_text
        else:
            last_text = c
    blocks: dict[int, str] = {}
    for c in set(label_col.values()):
        head = "".join(paths[c])
        blocks[c] = ("revenue" if "收" in (paths[c][0] if paths[c] else "") else
                     "function" if "功能" in head else "gov" if "政府" in head else
                     "dept" if "部门" in head or "经济" in head else "any")
    group: dict[int, Cond | None] = {c: None for c in blocks}
    carry_section = False
    # 其他收入 is the 本年收入 of every source no other revenue row names (see `residual_other`)
    named: set[str] = set()
    for row in t.body:
        for cell in row:
            if cell.c in blocks and blocks[cell.c] == "revenue":
                funds = _REVENUE_ROWS.get(label_key(cell.text))
                if funds is not None and OTHER not in funds:
                    named |= funds
    other = frozenset(ALL_FUNDS - CARRIED_IN - named)
    for r, row in enumerate(t.body):
        texts = {cell.c: cell.text for cell in row if not t.money_columns[cell.c]}
        for cell in row:
            c = cell.c
            if c not in label_col:
                continue
            lc = label_col[c]
            raw = texts.get(lc, "")
            key = label_key(raw)
            kind = blocks[lc]
            if kind == "revenue":
                e, carry_section = _revenue_row(ctx, key, raw, base_funds, fiscal, carry_section, other)
                if e is None:
                    findings.append(Finding("0", where(t, r), f"未识别的收入行“{raw}”"))
                    continue
                checks.append(CellCheck(t, cell, e, raw, "收入"))
                continue
            col_cond, clab = column_cond(paths[c], skip_top=1)
            if col_cond is None:
                findings.append(Finding("0", where(t), f"未识别的列标题“{clab}”"))
                continue
            rc, cls, grand, group[lc] = _spending_row(key, kind, group[lc], fiscal)
            if rc is None:
                findings.append(Finding("0", where(t, r), f"未识别的支出行“{raw}”（{kind}）"))
                continue
            cond = Cond(funds=base_funds) & rc & col_cond
            checks.append(CellCheck(t, cell, ctx.expect(cond, f"{raw} × {clab}", grand=grand, cls=cls), raw, clab))
    # 结转下年 (and, beside all funds, 上年结转结余) are printed as rows of their own when there are any
    labels = {label_key(c.row) for c in checks}
    if ctx.expect(Cond(funds=base_funds, carry=True, lines=False), "").atoms and not labels & {"结转下年", "年终结转结余"}:
        findings.append(Finding("3", where(t), "有结转下年，表中却没有“结转下年”行"))
    if ctx.expect(Cond(funds=CARRIED_IN & base_funds), "").atoms and not labels & {"上年结转结余", "上年结转"}:
        findings.append(Finding("3", where(t), "有上年结转结余收入，表中却没有“上年结转结余”行"))
    return checks, findings


def _revenue_row(ctx: Ctx, key: str, raw: str, base_funds, fiscal: bool, carry_section: bool, other: frozenset[str]):
    if not key:
        return Expect(frozenset(), Decimal(0), "（空行）", blank=True), carry_section
    if key in ("收入总计", "收入合计"):
        return ctx.revenue(None, base_funds, raw, grand=not fiscal), carry_section
    if key in ("本年收入合计", "本年收入"):
        return ctx.revenue(None, base_funds - CARRIED_IN, raw), False
    if key in ("上年结转结余", "上年结转", "上年结转结余收入"):
        return ctx.revenue(None, base_funds & CARRIED_IN, raw, ), True
    if key == "其中：专项资金列入部门预算的项目":
        return Expect(frozenset(), Decimal(0), raw, blank=True), carry_section
    if key in _REVENUE_ROWS:
        if carry_section:   # （一）一般公共预算拨款 … under 二、上年结转: that fund's carried-in money
            carried = frozenset(CARRIED[f] for f in (_REVENUE_ROWS[key] or FISCAL_NOW) if f in CARRIED)
            return ctx.revenue(None, carried & base_funds, f"{raw}（上年结转）"), carry_section
        sources = other if key == "其他收入" else _REVENUE_ROWS[key] or base_funds - CARRIED_IN
        return ctx.revenue(None, frozenset(sources) & base_funds, raw), carry_section
    return None, carry_section


_GROUPS = {"人员经费和公用经费支出": Cond(kinds=_K(PERSONNEL, PUBLIC)), "基本支出": Cond(kinds=_K(PERSONNEL, PUBLIC)),
           "专项业务经费支出": Cond(kinds=_K(PROJECT)), "项目支出": Cond(kinds=_K(PROJECT))}
_NONE_ROWS = {"上缴上级支出", "事业单位经营支出", "对附属单位补助支出"}


def _spending_row(key: str, kind: str, group: Cond | None, fiscal: bool):
    """(condition, defect class, grand, group) for a 支出 label of a 收支总表 block."""
    if not key:
        return Cond(blank=True), "", False, group
    if key in ("本年支出合计", "本年支出", "财政拨款"):
        return Cond(), "", False, group
    if key in ("结转下年", "年终结转结余"):
        return Cond(carry=True, lines=False), "3", False, group
    if key in ("支出总计", "支出合计"):
        return Cond(carry=True), "3", not fiscal, group
    if kind in ("dept", "any") and key in _GROUPS:
        return _GROUPS[key], "", False, _GROUPS[key]
    if key in _NONE_ROWS:
        return Cond(blank=True), "", False, group
    if kind in ("function", "any"):
        code = classes.function_class_by_name(key)
        if code:
            return Cond(fn=code), "", False, group
    if kind in ("dept", "any"):
        code = classes.class_by_name(classes.DEPT_ECON_CLASSES, key)
        if code:
            return Cond(econ=code) & (group or Cond()), "", False, group
    if kind in ("gov", "any"):
        code = classes.class_by_name(classes.GOV_ECON_CLASSES, key)
        if code:
            return Cond(gecon=code), "1", False, group
    return None, "", False, group


# ------------------------------------------------------------------ 收入总表

def check_revenue(t: GridTable, ctx: Ctx) -> tuple[list[CellCheck], list[Finding]]:
    """收入总表: one row per unit (and the department's) × revenue sources — or, laid out by 功能分类
    (上海), `check_classified` with revenue columns."""
    paths = t.col_paths()
    if any(p and (p[-1] in ("类", "款", "项") or "功能" in "".join(p)) for c, p in enumerate(paths) if not t.money_columns[c]):
        return check_classified(t, ctx, revenue=True)
    dept = ctx.dept
    findings: list[Finding] = []
    checks: list[CellCheck] = []
    conds: dict[int, tuple[Cond, str]] = {}
    for c, p in enumerate(paths):
        if t.money_columns[c]:
            cond, lab = column_cond(p)
            if cond is None or cond.kinds or cond.econ or cond.ptype:
                findings.append(Finding("0", where(t), f"未识别的收入列“{'/'.join(p)}”"))
                continue
            conds[c] = (cond, lab)
    cols = {c: (cond.funds if cond.funds is not None else ALL_FUNDS, lab)
            for c, (cond, lab) in this_year_revenue(residual_other(conds, {c: paths[c] for c in conds}, ALL_FUNDS), paths).items()}
    seen_units = set()
    for r, row in enumerate(t.body):
        texts = [cell.text.strip() for cell in row if not t.money_columns[cell.c]]
        code = next((x for x in texts if re.fullmatch(r"\d+", x)), "")
        name = next((x for x in texts if x and not re.fullmatch(r"\d+", x)), "")
        if code in ctx.unit_codes and not (code == dept.code and dept.listed_units):
            units, label = frozenset({code}), f"单位 {code}"
            seen_units.add(code)
        elif norm(name) == "合计" or code == dept.code or (not code and name == dept.name and dept.listed_units):
            units, label = None, "合计"
        else:
            findings.append(Finding("0", where(t, r), f"未识别的行“{code} {name}”"))
            continue
        for cell in row:
            if cell.c in cols:
                funds, clab = cols[cell.c]
                grand = units is None and funds == ALL_FUNDS
                checks.append(CellCheck(t, cell, ctx.revenue(units, funds, f"{label} × {clab}", grand=grand), label, clab))
    with_revenue = {x.unit for x in dept.revenues if x.amount}
    if not t.empty and with_revenue - seen_units:
        findings.append(Finding("0", where(t), f"有收入的单位没有行：{sorted(with_revenue - seen_units)}"))
    return checks, findings


# ------------------------------------------------------------------ 三公经费

RUNNING = "机关运行经费"
THREE_PUBLIC_COLUMNS = {
    **{k: THREE_PUBLIC_CODES for k in ("“三公”经费合计", "三公经费", "“三公”经费", "三公经费合计")},
    "因公出国（境）费": _K("30212"), "因公出国（境）费用": _K("30212"), "公务接待费": _K("30217"),
    "公务用车购置及运行费": _K("30231", "31013"), "公务用车购置和运行费": _K("30231", "31013"),
    "公务用车购置费": _K("31013"), "公务用车运行维护费": _K("30231"), "公务用车运行费": _K("30231"),
    "购置费": _K("31013"), "运行费": _K("30231"),   # under 公务用车购置及运行费 (上海)
    "会议费": _K("30215"), "培训费": _K("30216"),
    # a group label, or 合计 / 小计: the sum of the columns beside it under the same header
    "小计": None, "合计": None, "“三公”经费预算数": None,
    RUNNING: RUNNING, "机关运行经费预算数": RUNNING,
}


def three_public_codes(path: tuple[str, ...]) -> frozenset[str] | str | None:
    """The 部门经济分类 款 a “三公” column sums (the intersection along its header path; None for a
    合计 / 小计 / group label alone), `RUNNING` for 机关运行经费; KeyError for an unknown label."""
    codes: frozenset[str] | None = None
    for lab in path:
        got = THREE_PUBLIC_COLUMNS[label_key(lab)]
        if got == RUNNING:
            return RUNNING
        if got is not None:
            codes = got if codes is None else codes & got
    return codes


def three_public_funds(title: str) -> frozenset[str]:
    """A table (or sentence) that says 一般公共预算 is about 一般公共预算 money; otherwise 财政拨款."""
    return GENERAL_ANY if "一般公共预算" in title else FISCAL


def three_public_columns(t: GridTable, ctx: Ctx) -> tuple[dict[int, tuple[Cond, str]], list[Finding]]:
    """The condition of each money column of a “三公” table (and 机关运行经费 beside it)."""
    findings: list[Finding] = []
    funds = three_public_funds(t.title)
    cols: dict[int, tuple[Cond, str]] = {}
    paths = t.col_paths()
    found: dict[int, frozenset[str] | str | None] = {}
    for c, p in enumerate(paths):
        if not t.money_columns[c]:
            continue
        try:
            found[c] = three_public_codes(p)
        except KeyError:
            findings.append(Finding("0", where(t), f"未识别的三公列“{'/'.join(p)}”"))
    for c, codes in found.items():
        if codes is None:   # 合计 / 小计: the columns beside it (a deeper header's columns through their group)
            beside = [v for j, v in found.items() if j != c and isinstance(v, frozenset)
                      and paths[j][:len(paths[c]) - 1] == paths[c][:-1]]
            codes = frozenset().union(*beside) if beside else None
        if codes is None:
            findings.append(Finding("0", where(t), f"未识别的三公列“{'/'.join(paths[c])}”"))
        elif codes == RUNNING:
            cols[c] = (running_costs(ctx), "/".join(paths[c]))
        else:
            cols[c] = (Cond(econs=codes, funds=funds), "/".join(paths[c]))
    return cols, findings


def check_three_public(t: GridTable, ctx: Ctx) -> tuple[list[CellCheck], list[Finding]]:
    checks: list[CellCheck] = []
    cols, findings = three_public_columns(t, ctx)
    unit_rows: set[str] = set()
    for r, row in enumerate(t.body):
        texts = [cell.text.strip() for cell in row if not t.money_columns[cell.c]]
        code = next((x for x in texts if re.fullmatch(r"\d+", x)), "")
        name = next((x for x in texts if x and not re.fullmatch(r"\d+", x)), "")
        if code in ctx.unit_codes:
            rc, label = Cond(units=frozenset({code})), f"单位 {code}"
            unit_rows.add(code)
        elif not texts or norm(name) == "合计" or code == ctx.dept.code:
            rc, label = Cond(), "合计"
        else:
            findings.append(Finding("0", where(t, r), f"未识别的行“{code} {name}”"))
            continue
        for cell in row:
            if cell.c in cols:
                cc, clab = cols[cell.c]
                checks.append(CellCheck(t, cell, ctx.expect(rc & cc, f"{label} × {clab}"), label, clab))
    # a table of a row per unit has a row for each unit with money in its columns, and none for the others
    # (no reference prints a unit's row of blanks; a trial found one per unit without 三公 money)
    if unit_rows and cols:
        with_money = {u for u in ctx.unit_codes
                      if any(ctx.expect(Cond(units=frozenset({u})) & cc, "").exact for cc, _ in cols.values())}
        for u in sorted(unit_rows - with_money):
            findings.append(Finding("0", where(t), f"单位 {u} 在本表各栏都没有钱，却有一行"))
        for u in sorted(with_money - unit_rows):
            findings.append(Finding("0", where(t), f"单位 {u} 在本表有钱，却没有行"))
    return checks, findings


def running_costs(ctx: Ctx) -> Cond:
    """机关运行经费: the 公用经费 of 行政单位 and 参照公务员法管理的事业单位 paid from 一般公共预算拨款 — the
    definition the national and Shanghai 名词解释 print (财政部: “用一般公共预算财政拨款安排的基本支出中的日常公用经费”)."""
    units = frozenset(u.code for u in ctx.dept.units if u.kind in (ADMIN, CIVIL))
    return Cond(funds=GENERAL_ANY, kinds=_K(PUBLIC), units=units)


# ------------------------------------------------------------------ project tables

class _Projects:
    """Match printed project names to the input's projects (several may share a name: in order)."""

    def __init__(self, dept: Dept, only: Callable[[dict], bool] | None = None):
        self.dept = dept
        self.used: set[int] = {n for n, p in enumerate(dept.projects) if only and not only(p)}

    def take(self, name: str = "", code: str = "", unit: str | None = None, within: dict | None = None) -> dict | None:
        """The first unused project with that code (or name, in that unit); `within` narrows a tree's
        rows to the 类别 / 项目组 opened above them (same-named projects may sit in different groups)."""
        for n, p in enumerate(self.dept.projects):
            if n in self.used:
                continue
            if code and p.get("code") != code:
                continue
            if not code and p["name"] != name.strip():
                continue
            if unit and p["unit"] != unit:
                continue
            if within and any(p.get(k) != v for k, v in within.items()):
                continue
            self.used.add(n)
            return p
        return None


def _project_cond(ctx: Ctx, p: dict) -> Cond:
    return Cond(projects=frozenset({ctx.dept.project_key(p)}))


def check_projects(t: GridTable, ctx: Ctx) -> tuple[list[CellCheck], list[Finding]]:
    """项目支出表 in any layout: 合计 / 主管部门 / 单位 / 类别 / 项目组 / 项目 rows × measure columns."""
    dept = ctx.dept
    paths = t.col_paths()
    findings: list[Finding] = []
    checks: list[CellCheck] = []
    cols = money_columns(t, paths, findings)
    code_cols = [c for c, p in enumerate(paths) if p and ("编码" in p[-1] or "类型" == p[-1])]
    name_cols = [c for c, p in enumerate(paths) if p and "名称" in p[-1]]
    unit_name_cols = [c for c, p in enumerate(paths) if p and p[-1] == "项目单位"]
    matcher = _Projects(dept)
    unit: str | None = None
    opened: set[tuple] = set()
    unit_by_name = {u.name: u.code for u in dept.units}
    seen_projects: set[str] = set()
    parent = dept.parent or {}
    within: dict = {}     # the 类别 / 项目组 rows opened above (a tree's grouping)
    for r, row in enumerate(t.body):
        if not any(cell.c in cols for cell in row):
            continue   # continuation rows (indicators of the project above)
        by_c = {cell.c: cell.text.strip() for cell in row}
        code = next((by_c[c] for c in code_cols if by_c.get(c)), "")
        name = next((by_c[c] for c in name_cols if by_c.get(c)), "")
        uname = next((by_c[c] for c in unit_name_cols if by_c.get(c)), "")
        if not code and name in ctx.unit_codes:   # Henan's unit row: its code under 项目名称, its name under 项目单位
            code, name = name, uname
        if norm(name) == "合计":
            rc, label = Cond(projects_only=True), "合计"
        elif code in ctx.unit_codes and (not dept.listed_units or code != dept.code):
            unit = code
            is_tree = not any(p and (p[-1] == "类型" or "项目编码" in p[-1]) for p in paths)
            within = {"category": None, "group": None} if is_tree else {}   # ungrouped projects come first
            rc, label = Cond(projects_only=True, units=frozenset({code})), f"单位 {code}"
        elif code and (code == str(parent.get("code", "")) or code == dept.code):
            rc, label = Cond(projects_only=True), f"主管部门 {code}"
        else:
            proj_unit = unit_by_name.get(uname) or unit
            p = None
            if code and code not in ("其他运转类", "特定目标类"):
                p = matcher.take(code=code)
            in_unit = [q for q in dept.projects if q["unit"] == proj_unit] if proj_unit else dept.projects
            # only a tree (no 类型 column, no 项目编码 column) has 类别 / 项目组 rows
            tree = not any(p and (p[-1] == "类型" or "项目编码" in p[-1]) for p in paths)
            cats = {q.get("category") for q in in_unit if q.get("category")} if tree else set()
            groups = {q.get("group") for q in in_unit if q.get("group")} if tree else set()
            if p is None and name in cats and ("cat", proj_unit, name) not in opened:
                opened.add(("cat", proj_unit, name))
                keys = frozenset(ctx.dept.project_key(q) for q in in_unit if q.get("category") == name)
                rc, label = Cond(projects=keys), f"类别 {name}"
                within = {"category": name}
            elif p is None and name in groups and ("grp", proj_unit, name) not in opened:
                opened.add(("grp", proj_unit, name))
                keys = frozenset(ctx.dept.project_key(q) for q in in_unit if q.get("group") == name)
                rc, label = Cond(projects=keys), f"项目组 {name}"
                within = {**{k: v for k, v in within.items() if k == "category"}, "group": name}
            else:
                p = (p or matcher.take(name=name, unit=proj_unit, within=within) or matcher.take(name=name, unit=proj_unit)
                     or matcher.take(name=name))
                if p is None:
                    findings.append(Finding("0", where(t, r), f"未识别的行“{code} {name}”"))
                    continue
                if code in ("其他运转类", "特定目标类") and code != p["type"]:
                    findings.append(Finding("0", where(t, r), f"项目“{p['name']}”类型印作“{code}”，应为“{p['type']}”"))
                rc, label = _project_cond(ctx, p), f"项目 {p['name']}"
                seen_projects.add(ctx.dept.project_key(p))
        for cell in row:
            if cell.c in cols:
                cc, clab = cols[cell.c]
                checks.append(CellCheck(t, cell, ctx.expect(rc & cc, f"{label} × {clab}"), label, clab))
    spent = {x.project for x in dept.lines if x.project and x.amount}
    if not t.empty and spent - seen_projects:
        findings.append(Finding("0", where(t), f"有支出的项目没有行：{sorted(spent - seen_projects)}"))
    return checks, findings


# ------------------------------------------------------------------ procurement

def check_procurement(t: GridTable, ctx: Ctx) -> tuple[list[CellCheck], list[Finding]]:
    dept = ctx.dept
    findings: list[Finding] = []
    checks: list[CellCheck] = []
    atoms = ctx.atoms
    n = 0
    names = {u.code: u.name for u in dept.units}
    # the items grouped by unit in code order (an item without `unit` is the 本级's), each unit's in file order
    order = sorted(range(len(dept.procurement)), key=lambda k: dept.procurement[k]["unit"] or dept.benji)
    for r, row in enumerate(t.body):
        money = [cell for cell in row if cell.money]
        texts = [cell.text.strip() for cell in row if not cell.money]
        if not money:
            continue
        if norm(texts[0] if texts else "") == "合计":
            e = atoms.expect([f"P{k}" for k in range(len(dept.procurement))], "政府采购合计")
            checks += [CellCheck(t, m, e, "合计", "预算金额") for m in money]
            continue
        if n >= len(dept.procurement):
            findings.append(Finding("0", where(t, r), "采购明细行多于输入"))
            continue
        k = order[n]
        p = dept.procurement[k]
        want_unit = names.get(p["unit"] or "", dept.name) if p["unit"] else dept.name
        for label, want in (("单位", want_unit), ("类别", p["category"]), ("品目", p["item"])):
            if want not in texts:
                findings.append(Finding("0", where(t, r), f"采购第{k + 1}项（输入顺序）的{label}应为“{want}”，行内为 {texts}"))
        checks += [CellCheck(t, m, atoms.expect([f"P{k}"], f"采购 {p['item']}"), f"采购{k + 1}", "预算金额") for m in money]
        n += 1
    if not t.empty and n != len(dept.procurement):
        findings.append(Finding("0", where(t), f"采购明细 {n} 行，输入 {len(dept.procurement)} 项"))
    return checks, findings
