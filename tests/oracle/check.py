"""Run every check of the oracle on one package (a Document, or the tables read from a workbook)."""
from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from . import perf, tables
from .figures import allowed, bounds, fmt_table, to_unit
from .grid import GridTable, from_table, norm
from .inputs import Dept, read
from .narrative import NarrativeChecker
from .report import Finding
from .roundability import printable_within_a_cent
from .tables import BASE, CellCheck, Cond, Ctx, cell_value, where

CLASSIFIED = set(BASE)
CHECKERS = {
    **{k: tables.check_classified for k in CLASSIFIED},
    "summary": tables.check_summary, "summary_unit": tables.check_summary, "fiscal_summary": tables.check_summary,
    "revenue": tables.check_revenue,
    "three_public": tables.check_three_public, "projects": tables.check_projects, "project_list": tables.check_projects,
    "project_performance_summary": tables.check_projects, "procurement": tables.check_procurement,
    "project_performance": perf.check_project_performance, "special_fund_performance": perf.check_special_fund,
    "department_performance": None,   # by shape: 申报表 (Hubei) or 整体支出绩效目标表
}
SUBJECT = {   # words an empty table's reason must contain: it says *what* is absent
    "gov_fund": "政府性基金", "state_capital": "国有资本经营", "procurement": "政府采购", "projects": "项目|专项业务经费",
    "project_list": "项目", "project_performance_summary": "项目", "project_performance": "项目|专项业务经费",
    "three_public": "三公",
    "special_fund_performance": "专项资金", "department_performance": "绩效", "general_by_function": "一般公共预算",
    "general_by_economic": "一般公共预算", "general_basic_by_function": "一般公共预算",
    "general_basic_by_economic": "一般公共预算", "fiscal_summary": "财政拨款", "expenditure": "支出",
    "economic_summary": "支出", "revenue": "收入", "summary": "收", "summary_unit": "收",
}
PUNCTUATION = re.compile(r"[。；，、：][。；，]|[；，][；，]|、、|：：")


def check_document(data: dict, doc, profile: str) -> list[Finding]:
    """Everything the oracle can say about one built Document.

    A 万元 package that says no rounding keeps every figure within a cent (a warning “万元舍入：…相差N 分以内”)
    is believed only when the oracle proves it (`roundability`) from the figures it checked: then each
    figure may lie N − 1 cents further out, everything else (tables add up, one concept one value) still
    holds, and no more figures lie beyond a cent than the warning counts."""
    findings, checks, narrative = _check_document(data, doc, profile)
    note = next((w for w in doc.warnings if w.startswith("万元舍入")), None)
    if note is None or not narrative.wan:
        return findings
    printed = [(c.expect.atoms, c.expect.grand) for c in checks if not c.expect.blank and not isinstance(c, perf.AltCheck)]
    printed += [(a.concept.expect.atoms, a.concept.expect.grand) for a in narrative.amounts if not a.concept.expect.blank]
    if printable_within_a_cent(narrative.ctx.atoms.amount, printed):
        return findings + [Finding("4", "万元舍入", f"包中说“{note}”，但存在使每个印出的数都在一分之内的舍入")]
    worst = int(re.search(r"相差(\d+) 分以内", note).group(1))
    declared = int(re.search(r"(\d+) 个印出的合计", note).group(1))
    findings, checks, narrative = _check_document(data, doc, profile, slack=worst - 1)
    beyond = {c.expect.atoms for c in checks if not c.failed and cell_value(c.cell) not in allowed(c.expect, True)}
    beyond |= {a.concept.expect.atoms for a in narrative.amounts
               if a.concept.cls != "failed" and a.value not in allowed(a.concept.expect, True)}
    if len(beyond) > declared:
        findings.append(Finding("4", "万元舍入", f"{len(beyond)} 个印出的合计超出一分，包中只说 {declared} 个"))
    return findings


def _check_document(data: dict, doc, profile: str, slack: int = 0) -> tuple[list[Finding], list[CellCheck], NarrativeChecker]:
    dept = read(data)
    ctx = Ctx(dept, profile)
    ctx.slack = slack
    grids = [from_table(t, i) for i, t in enumerate(doc.tables)]
    wan = profile_in_wan(profile)
    checks, findings = check_tables(ctx, grids, wan)
    narrative = NarrativeChecker(ctx, wan=wan)
    narrative.check(doc.sections)
    findings += narrative.findings
    findings += consistency(checks, narrative, wan=narrative.wan)
    findings += empty_tables(ctx, grids, toc_rows_of(doc.toc), wan)
    findings += text_checks(ctx, doc)
    return findings, checks, narrative


def check_workbook(data: dict, path, keys: list[str], profile: str) -> list[Finding]:
    """The same checks on the cells of a written .xlsx (`keys`: the table kinds, in sheet order)."""
    from .outputs import read_toc, read_workbook

    ctx = Ctx(read(data), profile)
    wan = profile_in_wan(profile)
    grids, findings = read_workbook(path, keys)
    checks, more = check_tables(ctx, grids, wan)
    return findings + more + consistency(checks, None, wan) + empty_tables(ctx, grids, read_toc(path), wan)


def profile_in_wan(profile: str) -> bool:
    """The profile's display unit (profiles are data; reading them is not reading the derived layer)."""
    from discloser.profile import load_profile

    return load_profile(profile).unit == "wan"


def check_tables(ctx: Ctx, grids: list[GridTable], wan: bool) -> tuple[list[CellCheck], list[Finding]]:
    checks: list[CellCheck] = []
    findings: list[Finding] = []
    for g in grids:
        if g.key not in CHECKERS:
            findings.append(Finding("0", where(g), f"oracle 不认识表“{g.key}”（{g.title}）：须先为它写出预期"))
            continue
        if g.empty and not g.body:
            continue      # nothing printed: emptiness and its reason are checked in `empty_tables`
        fn = CHECKERS[g.key]
        if fn is None:
            fn = perf.check_department_overview if any(norm(c.text) == "当年金额" for row in g.body for c in row) \
                else perf.check_department_performance
        try:
            got, bad = fn(g, ctx)
        except KeyError as e:
            raise AssertionError(str(e)) from e
        checks += got
        findings += bad
        if g.unit_label and g.unit_label != f"单位：{'万元' if wan else '元'}":
            findings.append(Finding("0", where(g), f"金额单位印作“{g.unit_label}”，版式为{'万元' if wan else '元'}"))
        bad_values = values(got, wan, ctx.slack)
        findings += bad_values
        findings += additivity([c for c in got if not c.failed], g, [c for c in got if c.failed])
    findings += perf.project_performance_done(ctx, [g for g in grids if g.key == "project_performance"])
    for t, r, cell, part, whole, what in ctx.state.get("percents", []):
        printed = Decimal(cell.text.rstrip("%")) if cell.text else Decimal(0)
        if not perf.percent_ok(printed, part, whole):
            exact = part * 100 / whole if whole else Decimal(0)
            findings.append(Finding("4" if abs(printed - exact) < Decimal("0.05") else "3", where(t, r), f"{what}印作 {cell.text}，按元计算为 {part * 100 / whole if whole else 0:.4f}%"))
    return checks, findings


def values(checks: list[CellCheck], wan: bool, slack: int = 0) -> list[Finding]:
    """Each printed figure is its exact figure (元) or that rounded down or up to the cent (万元)."""
    out = []
    for ch in checks:
        ch.failed = False
        printed = cell_value(ch.cell)
        options = [ch.expect, *getattr(ch, "alts", ())]
        if any(printed in allowed(e, wan, slack) for e in options):
            if isinstance(ch, perf.AltCheck):
                ch.expect = next(e for e in options if printed in allowed(e, wan, slack))
        else:
            ch.failed = True
            e = ch.expect
            ok = sorted(allowed(e, wan))
            lo, hi = bounds(e.exact, wan)
            near = wan and lo - Decimal("0.03") <= printed <= hi + Decimal("0.03")
            cls = e.cls or ("4" if near else "3" if any(a[0] == "C" for a in e.atoms) else "0")
            kind = "应为空白" if e.blank else f"应为 {' 或 '.join(f'{v:,.2f}' for v in ok)}（精确值 {to_unit(e.exact, wan):.4f}）"
            out.append(Finding(cls, where(ch.table, ch.cell.r, f"[{ch.row} × {ch.col}]"), f"印作 {ch.cell.text or '空白'}，{kind}"))
        if ch.table.source == "document" and ch.cell.value is not None and ch.cell.text != fmt_table(Decimal(ch.cell.value)):
            out.append(Finding("0", where(ch.table, ch.cell.r), f"金额文字“{ch.cell.text}”与数值 {ch.cell.value} 不符"))
    return out


def additivity(checks: list[CellCheck], t: GridTable, failed: list[CellCheck] = ()) -> list[Finding]:
    """Every printed figure whose atoms are exactly a disjoint union of other printed figures of its row
    (or column) is their printed sum: 类 = Σ款, 合计 = Σ单位, 基本 = 人员 + 公用, 合计 = Σ列 …

    A row or column with a wrong figure (already reported) is not summed: its parts are not what the
    oracle thinks they are."""
    out = []
    broken = {("r", c.cell.r) for c in failed} | {("c", c.cell.c) for c in failed}
    usable = [c for c in checks if c.expect.atoms and not isinstance(c, perf.AltCheck)]
    for axis in ("r", "c"):
        lines: dict[int, list[CellCheck]] = defaultdict(list)
        for c in usable:
            lines[getattr(c.cell, axis)].append(c)
        for pos, members in lines.items():
            if (axis, pos) in broken:
                continue
            for target in members:
                inside = [m for m in members if m.expect.atoms < target.expect.atoms]
                maximal = []
                for m in inside:
                    if any(m.expect.atoms < o.expect.atoms for o in inside):
                        continue
                    if any(m.expect.atoms == x.expect.atoms for x in maximal):
                        continue
                    maximal.append(m)
                seen_families = set()
                for i, first in enumerate(maximal):
                    family = [first]
                    union = set(first.expect.atoms)
                    for m in maximal[i + 1:]:
                        if union.isdisjoint(m.expect.atoms):
                            family.append(m)
                            union |= m.expect.atoms
                    ids = frozenset(id(m) for m in family)
                    if union != target.expect.atoms or ids in seen_families or len(family) < 2:
                        continue
                    seen_families.add(ids)
                    total = sum((cell_value(m.cell) for m in family), Decimal(0))
                    printed = cell_value(target.cell)
                    if total != printed:
                        parts = " + ".join(f"{m.row if axis == 'c' else m.col}({m.cell.text or '0'})" for m in family)
                        out.append(Finding("4", where(t, target.cell.r, f"[{target.row} × {target.col}]"),
                                           f"印作 {target.cell.text}，而 {parts} = {total:,.2f}"))
    return out


def consistency(checks: list[CellCheck], narrative: NarrativeChecker | None, wan: bool) -> list[Finding]:
    """One concept, one printed value: across tables and the 说明. Figures already reported wrong are
    left out, so what remains is the rounding choosing differently for the same concept."""
    seen: dict[frozenset, list[tuple[Decimal, str]]] = defaultdict(list)
    for c in checks:
        if c.expect.atoms and not c.failed:
            seen[c.expect.atoms].append((cell_value(c.cell), f"{c.table.source}:{c.table.name}[{c.row} × {c.col}]"))
    for a in (narrative.amounts if narrative else []):
        if a.concept.expect.atoms and a.concept.cls != "failed":
            seen[a.concept.expect.atoms].append((a.value, f"说明 {a.concept.name}"))
    out = []
    for atoms, printed in seen.items():
        values_ = {v for v, _ in printed}
        if len(values_) > 1:
            by_value = defaultdict(list)
            for v, w in printed:
                by_value[v].append(w)
            detail = "；".join(f"{v:,.2f}：{'、'.join(ws[:3])}{'…' if len(ws) > 3 else ''}" for v, ws in sorted(by_value.items()))
            out.append(Finding("4", "同一概念", f"印出不同数值 —— {detail}"))
    return out


def expected_empty(ctx: Ctx, g: GridTable, wan: bool = False) -> bool | None:
    """Empty when the table has no money; not when it has 0.01 万元 or more (its total prints at least that, `allowed`).
    None — either — when (万元) all its money is under 0.01 万元: its total may print 0.01 or 0.00, and a table whose
    every figure prints 0.00 is published empty, with a reason that says so and never “无” (trialW-s30 D1)."""
    def none(*expects) -> bool | None:
        if not any(e.atoms for e in expects):
            return True
        return None if wan and sum(e.exact for e in expects) < 100 else False

    dept = ctx.dept
    k = g.key
    if k in BASE:
        return none(ctx.expect(BASE[k], ""))
    if k in ("summary", "summary_unit", "revenue"):
        total = sum((r.amount for r in dept.revenues), Decimal(0))
        return True if not total else None if wan and total < 100 else False
    if k == "fiscal_summary":
        return none(ctx.expect(Cond(funds=tables.FISCAL, carry=True), ""))
    if k == "three_public":
        cols, _ = tables.three_public_columns(g, ctx)
        return none(*(ctx.expect(cond, "") for cond, _ in cols.values()))
    if k in ("projects", "project_list"):
        return none(ctx.expect(Cond(projects_only=True), ""))
    if k == "procurement":
        return not dept.procurement
    if k in ("project_performance", "project_performance_summary"):   # forms, or a summary, of targets
        return not any(p.get("performance") and ctx.expect(Cond(projects=frozenset({dept.project_key(p)})), "").atoms
                       for p in dept.projects)
    if k == "department_performance":
        return not (dept.performance or {}).get("department")
    if k == "special_fund_performance":
        return not (dept.performance or {}).get("special_fund")
    return False


def toc_rows_of(toc) -> list[list[str]]:
    """The 目录 of a Document as rows of texts."""
    return [[c.text for c in row.cells] for row in toc.body] if toc is not None else []


def empty_tables(ctx: Ctx, grids: list[GridTable], toc_rows: list[list[str]] | None, wan: bool = False) -> list[Finding]:
    """A table is empty exactly when all its figures are zero or blank; it then says so and why, and the
    目录 says 是 with the same reason."""
    out = []
    toc = toc_rows
    toc_rows = {}
    for cells in toc or []:
        if len(cells) >= 4:
            toc_rows[(cells[0], cells[1])] = cells
    done = set()
    for g in grids:
        if g.key not in CHECKERS:
            continue
        want = expected_empty(ctx, g, wan)
        if want is not None and g.empty != want:
            out.append(Finding("5", where(g), "全部数字为零或空白却未标为空表" if want else "有数据却标为空表"))
        if g.empty:
            reason = g.empty_reason or ""
            if want is None and "无" in reason:
                out.append(Finding("5", where(g), f"表中有不足0.01万元的金额，空表理由却说“{reason}”"))
            if "空表" not in reason:
                out.append(Finding("5", where(g), f"空表理由“{reason}”没有说明本表为空表"))
            if not any(w in reason for w in SUBJECT.get(g.key, "").split("|")):
                out.append(Finding("5", where(g), f"空表理由“{reason}”没有说出本表的内容（{SUBJECT.get(g.key)}）"))
            if any(c.money and c.text for row in g.body for c in row):
                out.append(Finding("5", where(g), "空表中印有金额"))
        if g.key in done or toc is None:
            continue
        done.add(g.key)
        row = toc_rows.get((g.number, g.title))
        if row is None:
            out.append(Finding("5", where(g), "目录中没有本表"))
            continue
        flag, why = row[2], row[3]
        # the 目录's reason is the table's, or (a profile's toc_reason) only the why: it names what the table holds
        says_why = why == g.empty_reason or bool(why) and any(w and w in why for w in SUBJECT.get(g.key, "").split("|"))
        if flag != ("是" if g.empty else "否") or (g.empty and not says_why) or (not g.empty and why):
            out.append(Finding("5", where(g), f"目录印作“{flag}｜{why}”，表为{'空表：' + g.empty_reason if g.empty else '非空表'}"))
    return out


# ------------------------------------------------------------------ words

_STAFF = [("行政编制", "authorized_admin"), ("事业编制", "authorized_institution"), ("人员编制", "authorized"),
          ("编制人数", "authorized"), ("核定编制", "authorized"), ("实有人员", "actual"), ("实有人数", "actual"),
          ("离退休人员", "retired"), ("离退休", "retired")]


def text_checks(ctx: Ctx, doc) -> list[Finding]:
    dept = ctx.dept
    out: list[Finding] = []
    wrong = "本单位" if dept.scope == "部门" else "本部门"
    other_scope = "单位预算" if dept.scope == "部门" else "部门预算"
    texts: list[tuple[str, str]] = [("封面标题", doc.title), ("封面副标题", doc.subtitle), ("报表标题", doc.tables_title)]
    for s in doc.sections:
        texts.append(("说明标题", s.title))
        texts += [(f"说明“{s.title}”", p) for p in s.paragraphs]
    for t in doc.tables:
        texts.append((f"{t.number}标题", t.title))
        # table notes are the form's standing instructions (“部门应公开本部门整体预算绩效”), not about this package
        if t.empty:
            texts.append((f"{t.number}空表理由", t.empty_reason))
    if doc.toc is not None:
        texts += [("目录", c.text) for row in doc.toc.body for c in row.cells]
    for where_, text in texts:
        if wrong in text:
            out.append(Finding("7", where_, f"{dept.scope}预算中出现“{wrong}”：{text[:60]}"))
        if where_ in ("封面标题", "封面副标题", "说明标题", "报表标题") and other_scope in text and "部门（单位）" not in text:
            out.append(Finding("7", where_, f"{dept.scope}预算的标题写作“{other_scope}”：{text}"))
        if "None" in text or "{{" in text:
            out.append(Finding("6", where_, f"印出了未给的数据：{text[:80]}"))
    for s in doc.sections:
        for n, p in enumerate([s.title, *s.paragraphs]):
            m = PUNCTUATION.search(p)
            if m:
                out.append(Finding("7", f"说明“{s.title}”", f"标点重复或混用“{m.group(0)}”：…{p[max(0, m.start() - 12):m.end() + 6]}"))
            if n and p.endswith(("，", "、")):
                out.append(Finding("7", f"说明“{s.title}”", f"段落以“{p[-1]}”结束：…{p[-20:]}"))
    out += _empty_headings(doc.sections)
    out += _staffing(dept, doc.sections)
    out += _assets(dept, doc.sections)
    return out


def _empty_headings(sections) -> list[Finding]:
    out = []
    for i, s in enumerate(sections):
        if s.paragraphs or not s.title:
            continue
        nxt = sections[i + 1] if i + 1 < len(sections) else None
        if nxt is None or nxt.level <= s.level:
            out.append(Finding("6", f"说明“{s.title}”", "标题下没有内容（缺失的数据不应留下空标题）"))
    return out


def _sentences(sections):
    for s in sections:
        for p in s.paragraphs:
            for sent in re.split(r"(?<=[。；])", p):
                yield s.title, sent


def _staffing(dept: Dept, sections) -> list[Finding]:
    out = []
    given = dept.staffing or {}
    for title, sent in _sentences(sections):
        if not re.search(r"编制|实有|离退休", sent):
            continue
        seen_actual = False
        for m in re.finditer(r"(\d+)人", sent):
            prefix = sent[:m.start()]
            tail = re.split(r"[，。；、：,]", prefix)[-1]
            seen_actual = seen_actual or "实有" in prefix
            field_ = next((f for w, f in _STAFF if tail.endswith(w)), None)
            if field_ is None and tail.endswith("行政"):
                field_ = "actual_admin" if seen_actual else "authorized_admin"
            if field_ is None and tail.endswith("事业"):
                field_ = "actual_institution" if seen_actual else "authorized_institution"
            if field_ is None:
                out.append(Finding("6", f"说明“{title}”", f"无法对应的人数“{tail}{m.group(0)}”"))
            elif field_ not in given:
                out.append(Finding("6", f"说明“{title}”", f"“{tail}{m.group(0)}”：{field_} 没有输入，不应印出"))
            elif int(m.group(1)) != int(given[field_]):
                out.append(Finding("0", f"说明“{title}”", f"“{tail}{m.group(0)}”，输入为 {given[field_]}"))
    return out


def _typed_reasons(node) -> set[str]:
    """Every `reason` typed anywhere in prior_year."""
    if isinstance(node, dict):
        own = {node["reason"].rstrip("。；")} if isinstance(node.get("reason"), str) and node["reason"].strip() else set()
        return own.union(*(_typed_reasons(v) for k, v in node.items() if k != "reason"))
    if isinstance(node, list):
        return set().union(*(_typed_reasons(v) for v in node))
    return set()


def _assets(dept: Dept, sections) -> list[Finding]:
    out = []
    assets = dept.assets or {}
    vehicles = assets.get("vehicles")
    reasons = sorted(_typed_reasons(dept.prior), key=len, reverse=True)
    for title, sent in _sentences(sections):
        for reason in reasons:          # a reason is the clerk's text (“本年更新公务用车1辆”), not a count
            sent = sent.replace(reason, "")
        for m in re.finditer(r"(\d+)(辆|台（套）|台)", sent):
            tail = re.split(r"[，。；、：,（]", sent[:m.start()])[-1]
            n = int(m.group(1))
            planned = "购置" in sent[:m.start()]     # “安排购置车辆 N 辆，其中：一般公务用车 0 辆”
            kind = next((k for k in vehicles or {} if tail.endswith(k)), None)
            if m.group(2) == "辆":
                if planned and kind:   # planned purchases are not given by kind: only “none of any kind”
                    key, want = "planned_vehicles", 0 if str(assets.get("planned_vehicles")) == "0" else None
                elif planned:
                    key, want = "planned_vehicles", assets.get("planned_vehicles")
                elif kind:
                    key, want = "vehicles", vehicles[kind]
                else:
                    key, want = "vehicles", None if vehicles is None else sum(int(v) for v in vehicles.values())
            else:
                key = "planned_equipment" if planned else "equipment"
                want = assets.get(key)
            if want is None:
                out.append(Finding("6", f"说明“{title}”", f"“{tail}{m.group(0)}”：{key} 没有输入，不应印出"))
            elif n != int(want):
                out.append(Finding("0", f"说明“{title}”", f"“{tail}{m.group(0)}”，输入为 {want}"))
    return out
