"""A small hand-made Document for writer tests until/besides the real Shaanxi build.

It exercises every layout feature: multi-row headers with spans, money cells, hierarchy levels,
total rows, an empty table with its reason, a landscape table and a form-like table with rowspans.
"""
from decimal import Decimal

from discloser.tables.model import Cell, Column, Document, Kind, Row, RowKind, Section, Table
from discloser.tables.outline import with_outline


def money(v: str) -> Cell:
    d = Decimal(v)
    return Cell(f"{d:,.2f}" if d else "", Kind.money, d)


def sample_document() -> Document:
    t1 = Table(
        key="general_by_function", number="表5", title="部门综合预算一般公共预算支出明细表（按支出功能分类科目）",
        department="麟游县医疗保障经办机构", unit_label="单位：元",
        columns=[Column(10, Kind.code), Column(22), Column(12, Kind.money), Column(12, Kind.money), Column(12, Kind.money), Column(8)],
        header=[Row((Cell("功能科目编码", rowspan=2), Cell("功能科目名称", rowspan=2), Cell("合计", rowspan=2),
                     Cell("基本支出", colspan=2), Cell("备注", rowspan=2)), RowKind.header),
                Row((Cell("人员经费支出"), Cell("公用经费支出")), RowKind.header)],
        body=[Row((Cell(""), Cell("合计", align="center", bold=True), money("229650"), money("229650"), money("0"), Cell("")), RowKind.total)]
        + [Row((Cell(c, Kind.code), Cell(n, indent=lvl), money(a), money(a), money("0"), Cell("")),
               RowKind.subtotal if lvl < 2 else RowKind.detail, lvl)
           for c, n, a, lvl in [("208", "社会保障和就业支出", "229650", 0), ("20805", "行政事业单位养老支出", "227870", 1),
                                ("2080505", "机关事业单位基本养老保险缴费支出", "129320", 2),
                                ("2080506", "机关事业单位职业年金缴费支出", "98550", 2),
                                ("20899", "其他社会保障和就业支出", "1780", 1), ("2089999", "其他社会保障和就业支出", "1780", 2)] * 8],
    )
    wide = Table(
        key="summary", number="表4", title="部门综合预算财政拨款收支总表", department="麟游县医疗保障经办机构", unit_label="单位：元",
        columns=[Column(16), Column(12, Kind.money)] * 4, landscape=True,
        header=[Row((Cell("收 入", colspan=2), Cell("支 出", colspan=6)), RowKind.header),
                Row(tuple(Cell(t) for t in ["项 目", "预算数", "支出功能分类科目（按大类）", "预算数",
                                             "部门预算支出经济分类科目（按大类）", "预算数", "政府预算支出经济分类科目（按大类）", "预算数"]), RowKind.header)],
        body=[Row((Cell("一、财政拨款"), money("3488570"), Cell("一、财政拨款"), money("3488570"),
                   Cell("一、财政拨款"), money("3488570"), Cell("一、财政拨款"), money("3488570")))]
        + [Row((Cell(""), Cell("", Kind.money), Cell(f"{i}、某某支出"), money(str(i * 1000)), Cell(""), Cell("", Kind.money), Cell(""), Cell("", Kind.money)))
           for i in range(1, 25)],
    )
    empty = Table(key="gov_fund", number="表9", title="部门综合预算政府性基金收支表", department="麟游县医疗保障经办机构",
                  unit_label="单位：元", columns=[Column(10, Kind.code), Column(22), Column(12, Kind.money)],
                  header=[Row((Cell("科目编码"), Cell("科目名称"), Cell("金额")), RowKind.header)],
                  empty=True, empty_reason="本单位无政府性基金预算收支，故本表为空表。")
    form = Table(key="project_performance", number="表13", title="部门预算专项业务经费绩效目标表", department="麟游县医疗保障经办机构",
                 unit_label="", columns=[Column(8), Column(10), Column(18), Column(12), Column(6)], form=True,
                 body=[Row((Cell("项目名称", Kind.label, colspan=2), Cell("机关事业单位住院医疗补助", colspan=3)), RowKind.section),
                       Row((Cell("年度绩效指标", Kind.label, rowspan=3), Cell("一级指标", Kind.label), Cell("二级指标", Kind.label),
                            Cell("指标内容", Kind.label), Cell("指标值", Kind.label)), RowKind.section),
                       Row((Cell("产出指标", rowspan=2), Cell("数量指标"), Cell("全县财政供养单位职工"), Cell("4110人次")), RowKind.detail),
                       Row((Cell("质量指标"), Cell("公务员医疗保险报销"), Cell("90%")), RowKind.detail)],
                 subject="机关事业单位住院医疗补助")
    toc = Table(key="toc", number="", title="目录", department="麟游县医疗保障经办机构", unit_label="",
                columns=[Column(6), Column(40), Column(8), Column(20)],
                header=[Row((Cell("报表"), Cell("报表名称"), Cell("是否空表"), Cell("公开空表理由")), RowKind.header)],
                body=[Row((Cell(t.number), Cell(t.title), Cell("是" if t.empty else "否", align="center"), Cell("本单位不涉及" if t.empty else "")))
                      for t in (wide, t1, empty, form)])
    return with_outline(Document(
        title="麟游县医疗保障经办机构2024年单位预算公开", organization="麟游县医疗保障经办机构", year=2024,
        subtitle="2024 年单位预算公开说明", date_line="2024年2月",
        sections=[Section("第一部分 单位概况", 1), Section("一、主要职责及机构设置", 2, ["单位内设办公室等 5 个股室。主要职责：", "1. 负责……<script>alert(1)</script> & 测试"]),
                  Section("（一）收支预算总体情况", 3, ["本单位当年预算收入 3488570 元。"])],
        tables_title="2024年部门（单位）综合预算公开报表",
        tables_preamble=["部门（单位）名称：麟游县医疗保障经办机构", "保密审查情况：已审查"],
        toc=toc, tables=[wide, t1, empty, form], keywords=["部门预算", "2024"],
        fonts={"body": "仿宋_GB2312, FangSong, Noto Serif CJK SC", "heading": "黑体, SimHei, Noto Sans CJK SC",
               "title": "方正小标宋简体, Noto Serif CJK SC", "table": "宋体, SimSun, Noto Serif CJK SC"},
        filename="麟游县医疗保障经办机构2024年单位预算公开",
    ))


def tall_form_table() -> Table:
    """A form (表1 部门整体支出绩效目标表) whose 职能概述 is taller than a page — about one and a half pages at the
    width — between short rows: “王敏” above it, “保障单位正常运转” below, its text opening “负责全县教育事业” and
    ending “完成县委交办的其他任务”."""
    duty = "负责全县教育事业的统筹规划和综合协调，拟订教育发展规划并组织实施；" * 60
    rows = [Row((Cell("部门名称", Kind.label), Cell("某某县教育局")), RowKind.detail),
            Row((Cell("联系人", Kind.label), Cell("王敏")), RowKind.detail),
            Row((Cell("职能概述", Kind.label), Cell(duty + "完成县委交办的其他任务。")), RowKind.detail),
            Row((Cell("年度目标", Kind.label), Cell("保障单位正常运转。")), RowKind.detail)]
    return Table(key="department_performance", number="表1", title="部门整体支出绩效目标表", department="某部门",
                 unit_label="", columns=[Column(10), Column(60)], header=[], body=rows, form=True)


def tall_group_table() -> Table:
    """A 表14-like list: 合计 (300.00), the unit's row (401001), then a project whose name spans its two indicator
    rows and whose first 指标值 (“带动周边农户增收…”) is taller than a page; its second reads “亩均产量提高5%”."""
    value = "带动周边农户增收，改善农业生产条件，促进农业适度规模经营和农业机械化发展；" * 45
    body = [Row((Cell(""), Cell("合计", bold=True), money("300"), Cell("")), RowKind.total),
            Row((Cell("401001", Kind.code), Cell("某某县农业农村局", bold=True), money("300"), Cell("")), RowKind.subtotal),
            Row((Cell("401001250001", Kind.code, rowspan=2), Cell("高标准农田建设", rowspan=2), money("300"), Cell(value)),
                RowKind.detail),
            Row((Cell("亩均产量提高5%"),), RowKind.detail)]
    return Table(key="project_performance_summary", number="表14", title="部门预算项目绩效目标汇总表", department="某部门",
                 unit_label="单位：万元", columns=[Column(10, Kind.code), Column(16), Column(10, Kind.money), Column(40)],
                 header=[Row((Cell("项目编码"), Cell("项目名称"), Cell("金额"), Cell("指标值")), RowKind.header)], body=body)


def noted_indicator_table(groups: int) -> Table:
    """A project form whose 年度绩效指标 label spans `groups` 一级指标 of two rows each (“产出指标0”, “产出指标1” …),
    with two notes under it (“注：1、…”, “2、…”) that are kept with the table's end."""
    body = [Row((Cell("项目名称", Kind.label, colspan=2), Cell("乡村道路养护", colspan=3)), RowKind.section),
            Row((Cell("年度绩效指标", Kind.label, rowspan=1 + 2 * groups), Cell("一级指标", Kind.label), Cell("二级指标", Kind.label),
                 Cell("指标内容", Kind.label), Cell("指标值", Kind.label)), RowKind.section)]
    for i in range(groups):
        body += [Row((Cell(f"产出指标{i}", rowspan=2), Cell("数量指标"), Cell(f"养护道路里程第{i}段"), Cell(f"≥{i}公里")), RowKind.detail),
                 Row((Cell("质量指标"), Cell("道路完好率"), Cell("95%")), RowKind.detail)]
    return Table(key="project_performance", number="表13", title="项目支出绩效目标表", department="某县交通运输局",
                 unit_label="", columns=[Column(8), Column(10), Column(18), Column(12), Column(6)], form=True, body=body,
                 notes=["注：1、年度绩效指标可选择填写。", "2、部门应公开本部门整体预算绩效。"])


def tasks_form_table(filler: int) -> Table:
    """A form (江西 表1-like): `filler` two-line rows, then a 年度主要任务 sub-grid whose head is a row of labels and
    whose first task row is eight lines tall (“保障教育系统正常运转”, its 工作内容 ending “学校日常公用经费。”),
    then a one-line task “加强教师队伍建设”."""
    rows = [Row((Cell(f"事项{i}", Kind.label), Cell("履行本单位法定职责，保障机关正常运转和各项业务工作有序开展。" * 2)),
                RowKind.detail) for i in range(filler)]
    work = "教职工工资福利、社会保障缴费，" * 14 + "学校日常公用经费。"
    rows += [Row((Cell("年度主要任务名称", Kind.label), Cell("工作内容", Kind.label)), RowKind.section),
             Row((Cell("保障教育系统正常运转"), Cell(work)), RowKind.detail),
             Row((Cell("加强教师队伍建设"), Cell("中小学教师全员培训。")), RowKind.detail)]
    return Table(key="department_performance", number="表1", title="部门整体支出绩效目标表", department="某部门",
                 unit_label="", columns=[Column(20), Column(50)], header=[], body=rows, form=True)
