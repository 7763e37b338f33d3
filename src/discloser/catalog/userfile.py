"""Reading and writing a user catalog file (`DIR/<year>.yaml`), checked entry by entry.

The file is read through YAML's node tree so that every refusal names its line and column; a
user catalog that cannot be trusted stops the run with a Chinese CatalogError instead of quietly
printing wrong names.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import CODE_LENGTHS, FIRST_DIGIT, KIND_NAMES, MAPPING_KINDS, SECTIONS, CatalogError

TOP_KEYS = ("year", "source", "complete", "changes", *SECTIONS, "dept_to_gov")
MAX_REPORTED = 20


@dataclass
class UserCatalog:
    source: str = ""
    tables: dict[str, dict[str, str]] = field(default_factory=dict)
    dept_to_gov: dict[str, dict[str, str]] = field(default_factory=dict)
    complete: dict[str, bool] = field(default_factory=dict)
    changes: dict = field(default_factory=dict)   # as in the shipped files: rollover renames and flags from it


def _plain(node: yaml.Node):
    """A YAML node as plain data, every scalar as text (codes stay codes: '2101101', not 2101101)."""
    if isinstance(node, yaml.MappingNode):
        return {str(_plain(k)): _plain(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v) for v in node.value]
    return node.value


def code_problem(code: str, section: str) -> str | None:
    """Why `code` cannot be a code of `section` (None when it can)."""
    if not code.isdigit():
        return f"科目编码“{code}”应全部为数字"
    if len(code) not in CODE_LENGTHS[section]:
        lengths = "/".join(str(n) for n in CODE_LENGTHS[section])
        return f"{KIND_NAMES[section]}科目编码“{code}”应为 {lengths} 位"
    if not code.startswith(FIRST_DIGIT[section]):
        return f"{KIND_NAMES[section]}科目编码应以 {FIRST_DIGIT[section]} 开头，“{code}”不是"
    return None


class _Checker:
    def __init__(self, path: Path):
        self.path = path
        self.errors: list[str] = []

    def fail(self, node: yaml.Node | None, message: str) -> None:
        where = f"第{node.start_mark.line + 1}行第{node.start_mark.column + 1}列：" if node is not None else ""
        self.errors.append(f"用户目录 {self.path} {where}{message}")

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what}应为“键: 值”的映射")
            return []
        seen: dict[str, yaml.Node] = {}
        pairs = []
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                self.fail(key, f"{what}的键应为文字")
                continue
            if key.value in seen:
                self.fail(key, f"{what}中“{key.value}”重复出现（第{seen[key.value].start_mark.line + 1}行已有）")
                continue
            seen[key.value] = key
            pairs.append((key, value))
        return pairs

    def text(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or not node.value.strip():
            self.fail(node, f"{what}应为非空文字")
            return None
        return node.value.strip()

    def section(self, node: yaml.Node, section: str) -> dict[str, str]:
        table = {}
        for key, value in self.mapping(node, KIND_NAMES[section]):
            problem = code_problem(key.value.strip(), section)
            if problem:
                self.fail(key, problem)
                continue
            name = self.text(value, f"科目“{key.value}”的名称")
            if name is not None:
                table[key.value.strip()] = name
        return table

    def dept_to_gov(self, node: yaml.Node) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for kind, table in self.mapping(node, "dept_to_gov"):
            if kind.value not in MAPPING_KINDS:
                self.fail(kind, f"dept_to_gov 的键应为 {'、'.join(MAPPING_KINDS)}，“{kind.value}”不是")
                continue
            pairs = {}
            for dept, gov in self.mapping(table, f"dept_to_gov.{kind.value}"):
                problem = code_problem(dept.value, "economic_dept")
                gov_code = self.text(gov, f"部门经济科目“{dept.value}”对应的政府经济科目")
                if problem or len(dept.value) != 5:
                    self.fail(dept, problem or f"对应关系只列部门经济分类的款（5 位），“{dept.value}”不是")
                elif gov_code is not None:
                    gov_problem = code_problem(gov_code, "economic_gov")
                    if gov_problem or len(gov_code) != 5:
                        self.fail(gov, gov_problem or f"对应的政府经济分类应为款（5 位），“{gov_code}”不是")
                    else:
                        pairs[dept.value] = gov_code
            out[kind.value] = pairs
        return out


def read_user_catalog(path: Path, year: int) -> UserCatalog:
    """Parse and check `path`; every problem found is reported at once in one CatalogError."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise CatalogError(f"用户目录 {path}：不是 UTF-8 编码的文本（第 {e.start + 1} 个字节处），请另存为 UTF-8") from None
    except OSError as e:
        raise CatalogError(f"用户目录 {path}：无法读取（{e.strerror}）") from None
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"第{mark.line + 1}行第{mark.column + 1}列：" if mark else ""
        raise CatalogError(f"用户目录 {path} {where}YAML 格式错误（{e.problem or e.context}）") from None
    except yaml.YAMLError as e:
        raise CatalogError(f"用户目录 {path}：YAML 格式错误（{e}）") from None
    if root is None:
        raise CatalogError(f"用户目录 {path}：文件是空的")
    check = _Checker(path)
    out = UserCatalog()
    for key, value in check.mapping(root, "目录文件"):
        name = key.value
        if name not in TOP_KEYS:
            check.fail(key, f"未知的项“{name}”，可用：{'、'.join(TOP_KEYS)}")
        elif name == "year":
            if not (isinstance(value, yaml.ScalarNode) and value.value.strip() == str(year)):
                check.fail(value, f"year 应为 {year}（文件名是 {path.name}）")
        elif name == "source":
            out.source = check.text(value, "source") or ""
        elif name == "complete":
            for sec, flag in check.mapping(value, "complete"):
                if sec.value not in (*SECTIONS, "dept_to_gov") or not isinstance(flag, yaml.ScalarNode) \
                        or flag.value not in ("true", "false"):
                    check.fail(sec, "complete 的每一项应为 function/economic_dept/economic_gov/dept_to_gov: true 或 false")
                else:
                    out.complete[sec.value] = flag.value == "true"
        elif name == "changes":
            if isinstance(value, yaml.MappingNode):
                out.changes = _plain(value)
                try:
                    out.changes["from"] = int(out.changes.get("from", ""))
                except ValueError:
                    check.fail(value, f"changes 的 from 应为上一年的年度（{year - 1}）")
            else:
                check.fail(value, "changes 应为映射（from、function: {added, renamed, retired} …）")
        elif name == "dept_to_gov":
            out.dept_to_gov = check.dept_to_gov(value)
        else:
            out.tables[name] = check.section(value, name)
    if check.errors:
        more = len(check.errors) - MAX_REPORTED
        raise CatalogError("\n".join(check.errors[:MAX_REPORTED] + ([f"……另有 {more} 处问题"] if more > 0 else [])))
    return out


def dump_catalog(year: int, source: str, header: str, tables: dict[str, dict[str, str]],
                 complete: dict[str, bool], dept_to_gov: dict[str, dict[str, str]] | None = None,
                 changes: dict | None = None) -> str:
    """The text of a catalog file in the shipped format (codes quoted, sorted)."""
    doc: dict = {"year": year, "source": source, "complete": complete}
    if changes:
        doc["changes"] = changes
    for section in SECTIONS:
        if section in tables:
            doc[section] = dict(sorted(tables[section].items()))
    if dept_to_gov:
        doc["dept_to_gov"] = {k: dict(sorted(v.items())) for k, v in dept_to_gov.items()}
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=200, default_flow_style=False)
    comments = "".join(f"# {line}\n" for line in header.splitlines())
    return comments + body


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, so a failure leaves the old file (or none)."""
    from ..intake.output import write_text

    write_text(path, text, force=True)
