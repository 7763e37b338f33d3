"""Findings: what the oracle saw wrong, tagged with the defect class of issue 9."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

CLASSES = {
    "1": "政府经济分类不随单位性质",
    "2": "平衡未校验",
    "3": "结转下年未印或未计入合计",
    "4": "万元舍入：超出上下舍入、合计不等于明细、同一概念数值不一",
    "5": "空表判断与理由",
    "6": "缺失数据被当作事实",
    "7": "说明中的数字、概念、措辞与标点",
    "0": "其他（数值错误、未识别的表/列/行/数字、崩溃）",
}


@dataclass(frozen=True)
class Finding:
    cls: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"[{self.cls}] {self.where}: {self.message}"


def summarize(findings: list[Finding], limit: int = 6) -> str:
    """Findings grouped by defect class, a few examples each."""
    by: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by[f.cls].append(f)
    out = [f"{len(findings)} findings"]
    for cls in sorted(by):
        items = by[cls]
        out.append(f"== class {cls} {CLASSES.get(cls, '')}: {len(items)}")
        out += [f"   {f.where}: {f.message}" for f in items[:limit]]
        if len(items) > limit:
            out.append(f"   … {len(items) - limit} more")
    return "\n".join(out)
