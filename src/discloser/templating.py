"""Province templates (Jinja): kept inside their folders, and their mistakes told in Chinese at the template's line.

A profile's `templates:` folder is written by a province's or county's technical staff, who are trusted to
describe their package but not to stay away from the file system (docs/security.md, threat 8). So:

- `ConfinedLoader` reads a template only when its real path (symlinks resolved) lies inside the folder it was
  found in: a ``leak.j2`` that links to a file elsewhere is refused like a missing one, as the PDF's URL fetcher
  refuses a stylesheet that links out. ``..`` and absolute names never leave the folders either (Jinja's
  `split_template_path`).
- A template mistake is a `TemplateFailure`: located `Problem`s (the template file and line, in Chinese:
  模板语法错误, 未知变量 foo, 模板不能访问 __class__, 包含的模板…不在模板文件夹中), never a raw Jinja message.
  `template_errors()` turns what rendering raises into one; `compile_problems()` finds what can be found
  without data (syntax, includes of missing or outside files), so `discloser validate 我县.yaml` reports it
  before a build. An unknown name can only be found when rendering: `build` reports it the same way.

A `TemplateFailure` pickles (the PDF is rendered in a second process and its failure crosses back).
"""
from __future__ import annotations

import os
import posixpath
import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from jinja2 import FileSystemLoader, TemplateNotFound, TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from .problems import Location, Problem
from .resources import templates_dir


class TemplateFailure(Exception):
    """A template that cannot be used: its located problems (messages in Chinese)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(list(problems))
        self.problems = list(problems)

    def __str__(self) -> str:
        return "\n".join(p.format() for p in self.problems)


class OutsideFolder(TemplateNotFound):
    """A template file whose real path lies outside the template folder it was found in (a symlink out)."""

    def __init__(self, name: str, path: str, target: Path):
        super().__init__(name, f"{name!r} → {target}")
        self.path, self.target = path, target


MAX_MADE = 1_000_000    # characters or items one `*` of a template may make (and digits, about, one `**`)


class _Bounded:
    """A sandbox whose `*` and `**` cannot make a value too big for memory: ``'x' * 10**9`` in a county's template ran
    the machine out of memory and was said as discloser's internal error (trialZ-s29 D8); ``10 ** 10 ** 9`` would run
    for hours. Jinja's sandbox leaves these operators to the environment (`intercepted_binops`, as its docs show
    for ``**``), as it caps `range`."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for made, times in ((left, right), (right, left)):
                if isinstance(made, (str, list, tuple)) and isinstance(times, int) and len(made) * times > MAX_MADE:
                    raise SecurityError("result too large")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 \
                and right * abs(left).bit_length() > MAX_MADE * 4:
            raise SecurityError("result too large")
        return super().call_binop(context, operator, left, right)


class BoundedSandbox(_Bounded, SandboxedEnvironment):
    """The 说明's sandbox (its templates build their own lists with ``append``)."""


class BoundedImmutableSandbox(_Bounded, ImmutableSandboxedEnvironment):
    """The PDF's sandbox: its template cannot modify the Document the other writers share."""


class ConfinedLoader(FileSystemLoader):
    """FileSystemLoader that refuses a file whose real path is outside its search folder (see module doc),
    and reads a template that is not UTF-8 as a located error rather than a UnicodeDecodeError."""

    def get_source(self, environment, template):
        pieces = split_template_path(template)   # TemplateNotFound for “..”
        for folder in self.searchpath:
            filename = posixpath.join(folder, *pieces)
            if os.path.isfile(filename):
                real = Path(filename).resolve()
                if not real.is_relative_to(Path(folder).resolve()):
                    raise OutsideFolder(template, os.path.normpath(filename), real)
                break
        try:
            found = super().get_source(environment, template)
        except UnicodeDecodeError as e:
            data = Path(filename).read_bytes()
            line = data.count(b"\n", 0, e.start) + 1
            raise TemplateSyntaxError(f"模板文件不是 UTF-8 编码（第 {line} 行有无法识别的字节），请另存为 UTF-8",
                                      line, template, os.path.normpath(filename)) from None
        line = unclosed_raw(environment, found[0])
        if line:    # Jinja's own words for it (it says them when text follows), translated with the others
            raise TemplateSyntaxError("Missing end of raw directive", line, template, found[1])
        return found


def unclosed_raw(environment, source: str) -> int:
    """The line of a ``{% raw %}`` with no ``{% endraw %}`` after it at the very end of a template, else 0.
    Jinja's lexer says “Missing end of raw directive” only when text follows; with nothing after the tag (or a
    line break that trim_blocks eats) it accepts the template, and the author's mistake passed (trialA-s26 D3, t11)."""
    if "raw" not in source:
        return 0
    try:
        tokens = [(line, kind) for line, kind, _ in environment.lex(source)]
    except TemplateSyntaxError:
        return 0   # another mistake: parsing says it
    opened = [line for line, kind in tokens if kind == "raw_begin"]
    closed = sum(kind == "raw_end" for _, kind in tokens)
    return opened[-1] if len(opened) > closed else 0


def confined_file(folders: list[Path], name: str) -> Path | None:
    """The file `name` names in the first of `folders` that has it, symlinks resolved; None when none has it.
    OutsideFolder when it links out of its folder; TemplateNotFound for a name with “..” in it."""
    pieces = split_template_path(name)
    for folder in folders:
        path = Path(folder, *pieces)
        if pieces and path.is_file():
            real = path.resolve()
            if not real.is_relative_to(Path(folder).resolve()):
                raise OutsideFolder(name, str(path), real)
            return path
    return None


# ------------------------------------------------------------------ Chinese messages

# Jinja's names for the parts of a template (lexer.describe_token), in the template's own signs or in Chinese
_TOKENS = {"end of statement block": "“%}”", "begin of statement block": "“{%”", "end of print statement": "“}}”",
           "begin of print statement": "“{{”", "end of comment": "“#}”", "begin of comment": "“{#”", "comment": "注释",
           "end of template": "模板结尾", "template data / text": "模板文字", "name": "名称", "integer": "整数",
           "float": "小数", "string": "带引号的文本", "operator": "运算符", "begin of line statement": "行语句开头",
           "end of line statement": "行语句结尾"}


def _tok(words: str) -> str:
    """One token as Jinja describes it ('end of print statement', a name the author typed, an operator) in Chinese."""
    return _TOKENS.get(words, f"“{words}”")


def _tags(words: str) -> str:
    return "或".join(f"“{{% {w} %}}”" for w in re.findall(r"'(\w+)'", words))


# Jinja's syntax messages a template author meets, in Chinese (anything else: 模板语法错误 and the quoted parts)
_SYNTAX = (
    (r"unexpected end of template, expected 'end of print statement'\.?", "“{{”没有配对的“}}”"),
    (r"unexpected end of template, expected 'end of statement block'\.?", "“{%”没有配对的“%}”"),
    (r"unexpected end of template, expected '(.+?)'\.?", lambda m: f"模板在结尾处不完整（应有{_tok(m[1])}）"),
    (r"Missing end of comment tag", "“{#”没有配对的“#}”"),
    (r"Missing end of raw directive", "“{% raw %}”没有配对的“{% endraw %}”"),
    (r"Unexpected end of template\. Jinja was looking for the following tags: (.+?)\. The innermost block that needs "
     r"to be closed is '(\w+)'\.", lambda m: f"“{{% {m[2]} %}}”没有配对的结束标签（应有 {_quoted(m[1])}）"),
    (r"Encountered unknown tag '(\w+)'\. You probably made a nesting mistake\. Jinja is expecting this tag, but "
     r"currently looking for (.+?)\..*",
     lambda m: f"标签嵌套顺序不对：此处应先写{_tags(m[2])}，实际为“{{% {m[1]} %}}”"),
    (r"Encountered unknown tag '(\w+)'\. Jinja was looking for the following tags: (.+?)\..*",
     lambda m: f"此处不应出现“{{% {m[1]} %}}”（应有 {_tags(m[2])}）"),
    (r"Encountered unknown tag '(end\w+)'\..*", lambda m: f"“{{% {m[1]} %}}”前面没有要结束的“{{% {m[1][3:]} %}}”"),
    (r"Encountered unknown tag '(\w+)'\..*", lambda m: f"不认识的标签“{{% {m[1]} %}}”"),
    (r"unexpected char (.+?) at \d+", lambda m: f"不应出现的字符 {m[1]}"),
    (r"unexpected '(.+?)', expected '(.+?)'", lambda m: f"括号没有配对：此处应为“{m[2]}”，实际为“{m[1]}”"),
    (r"unexpected '(.+?)'", lambda m: f"不应出现的{_tok(m[1])}"),
    (r"expected token '(.+?)', got '(.+?)'", lambda m: f"此处应为{_tok(m[1])}，实际为{_tok(m[2])}"),
    (r"Expected an expression, got '(.+?)'",
     lambda m: f"此处缺少表达式（变量、数字或带引号的文本），实际为{_tok(m[1])}"),
    (r"No filter named '(.+?)'\.?", lambda m: f"没有名为“{m[1]}”的过滤器"),
    (r"No test named '(.+?)'\.?", lambda m: f"没有名为“{m[1]}”的测试"),
    (r"tag name expected", "“{%”后应写标签名（if、for、set …）"),
    (r"expected name or number", "“.”后应写属性名或序号"),
    (r"expected subscript expression", "“[ ]”中应写序号或键"),
    (r"expected call", "此处应为一次调用（如 foo()）"),
    (r"invalid syntax for function call expression", "调用的参数写法不对（有名参数应写在无名参数之后）"),
    (r"You cannot chain multiple tests with is", "不能连用多个 is 测试"),
    (r"non-default argument follows default argument", "没有默认值的参数不能写在有默认值的参数之后"),
    (r"can't assign to '(.+?)'", lambda m: f"不能给{m[1]}赋值（只能给变量名赋值）"),
    (r"Block names in Jinja have to be valid Python identifiers.*", "块名不能含“-”，请用“_”"),
    (r"Required blocks can only contain comments or whitespace", "required 块中只能有注释或空白"),
    (r"names starting with an underline can not be imported", "不能导入以“_”开头的名称"),
    (r"block '(.+?)' defined twice", lambda m: f"块“{m[1]}”定义了两次"),
    (r"cannot use extend from a non top-level scope", "extends 只能写在模板的最外层"),
    (r"Can't assign to special loop variable in for-loop target", "for 循环不能给 loop 赋值（loop 是保留名）"),
    (r"When defining macros or call blocks the special \"caller\" argument.*", "宏的 caller 参数必须有默认值或不写"),
    (r"Invalid character in identifier", "名称中有不能用的字符"),
    (r"unexpected end of template.*", "模板在结尾处不完整（有没有配对的 {{ }}、{% %} 或结束标签）"),
)


def _quoted(words: str) -> str:
    return "或".join(f"{{% {w} %}}" for w in re.findall(r"'(\w+)'", words))


def _syntax_words(message: str) -> str:
    if re.search(r"[\u4e00-\u9fff]", message):   # ours already (ConfinedLoader's encoding message)
        return message
    for pattern, words in _SYNTAX:
        m = re.fullmatch(pattern, message.strip(), re.S)
        if m:
            return "模板语法错误：" + (words(m) if callable(words) else words)
    quoted = "、".join(_tok(q) for q in re.findall(r"'([^']+)'", message))   # a message not in the table: no English
    return "模板语法错误：这一处的写法模板无法理解" + (f"（涉及 {quoted}）" if quoted else "")


def _runtime_words(exc: BaseException, folders: str) -> tuple[str, str]:
    """(rule, Chinese message) for what rendering raised."""
    text = str(exc)
    if isinstance(exc, OutsideFolder):
        return "template.include", f"模板“{exc.name}”指向模板文件夹以外的文件（{exc.target}），已拒绝读取"
    if isinstance(exc, TemplateNotFound):
        return "template.include", f"包含的模板“{exc.name}”不在模板文件夹中（{folders}）"
    if isinstance(exc, UndefinedError):
        m = re.fullmatch(r"'(.+?)' is undefined", text)
        if m:
            return "template.undefined", f"未知变量 {m[1]}"
        m = re.fullmatch(r"'(.+?)' has no attribute '(.+?)'", text)
        if m:
            return "template.undefined", f"未知属性 {m[2]}（{_owner(m[1])}没有这一项）"
        m = re.fullmatch(r"'?(.+?)'? has no element (.+)", text)
        if m:
            return "template.undefined", f"没有第 {m[2]} 项（{_owner(m[1])}）"
        return "template.undefined", "模板用到了没有定义的值"
    if isinstance(exc, SecurityError) and "result too large" in text:
        return "template.unsafe", f"模板中的运算结果太大（沙箱上限 {MAX_MADE:,} 个字符或项）"
    if isinstance(exc, MemoryError):
        return "template.error", "模板运行时内存不够（生成的内容太大）"
    if isinstance(exc, SecurityError):
        m = re.search(r"access to attribute '(.+?)' of '(.+?)' object is unsafe", text)
        if m and m[1].startswith("_"):
            return "template.unsafe", f"模板不能访问 {m[1]}（模板在沙箱中运行，不能接触 Python 内部）"
        if m:
            return "template.unsafe", f"模板不能调用 {m[1]}（模板在沙箱中运行，只能读取数据，不能修改）"
        if "immutable" in text or "modify" in text:
            return "template.unsafe", "模板不能修改数据（模板在沙箱中运行，只能读取）"
        return "template.unsafe", "模板做了沙箱不允许的事"
    if isinstance(exc, OverflowError) and "Range too big" in text:
        return "template.unsafe", "模板中的 range 太大（沙箱上限 100000）"
    if isinstance(exc, ZeroDivisionError):
        return "template.error", "模板中除以零"
    return "template.error", _python_words(exc, text)


# Python's names for the values a template meets, in Chinese (anything else: 这个值)
_KINDS = {"int": "整数", "float": "小数", "Decimal": "数字", "str": "文本", "NoneType": "空值（没有填写的事实）",
          "bool": "真假值", "list": "列表", "tuple": "列表", "dict": "字典", "NarrativeFacts": "n（说明的事实）",
          "Figure": "金额", "PriorFigure": "上年数", "Undefined": "未定义的值", "StrictUndefined": "未定义的值"}


def _kind(name: str) -> str:
    return _KINDS.get(name, "这个值")


def _call(qualified: str) -> tuple[str, int]:
    """'NarrativeFacts.prior' → ('prior', 1): the name the template called and the arguments Python counts that the
    template did not write (self)."""
    return qualified.rsplit(".", 1)[-1], int("." in qualified)


def _counted(m, at: int) -> str:
    """'应为 1 个，实际为 4 个' from a 'takes … positional arguments but … were given' match (self not counted)."""
    name, hidden = _call(m[1])
    want = "–".join(str(int(m[g]) - hidden) for g in range(2, at) if m[g])
    return f"调用 {name}() 的参数个数不对：应为 {want} 个，实际为 {int(m[at]) - hidden} 个"


def _names(words: str) -> str:
    return "、".join(re.findall(r"'(\w+)'", words))


_WHAT = {"callable": "不能调用（后面不能加括号）", "iterable": "不能用于 for 循环或 join", "subscriptable": "不能用 [ ] 取其中一项"}

# What Python says when a template's call or operation fails, in Chinese (the author's own names kept)
_PYTHON = (
    (r"([\w.]+)\(\) takes (?:from )?(\d+)(?: to (\d+))? positional arguments? but (\d+) (?:was|were) given",
     lambda m: _counted(m, 4)),
    (r"([\w.]+)\(\) missing \d+ required (?:positional |keyword-only )?arguments?: (.+)",
     lambda m: f"调用 {_call(m[1])[0]}() 缺少参数 {_names(m[2])}"),
    (r"([\w.]+)\(\) got an unexpected keyword argument '(\w+)'", lambda m: f"调用 {_call(m[1])[0]}() 时写了它没有的参数名 {m[2]}"),
    (r"([\w.]+)\(\) got multiple values for argument '(\w+)'", lambda m: f"调用 {_call(m[1])[0]}() 时参数 {m[2]} 给了两次"),
    (r"([\w.]+)\(\) takes no (?:keyword )?arguments", lambda m: f"调用 {_call(m[1])[0]}() 时不应写参数"),
    (r"'(\w+)' object is not (callable|iterable|subscriptable)", lambda m: f"{_kind(m[1])}{_WHAT[m[2]]}"),
    (r"unsupported operand type\(s\) for (.+?): '(\w+)' and '(\w+)'", lambda m: f"不能对{_kind(m[2])}和{_kind(m[3])}做“{m[1]}”运算"),
    (r"'(.+?)' not supported between instances of '(\w+)' and '(\w+)'",
     lambda m: f"不能比较{_kind(m[2])}和{_kind(m[3])}（“{m[1]}”）"),
    (r'can only concatenate (\w+) \(not "(\w+)"\) to \w+', lambda m: f"不能用“+”把{_kind(m[1])}和{_kind(m[2])}连起来（连接文本请用 ~）"),
    (r"'(\w+)' object has no attribute '(\w+)'", lambda m: f"未知属性 {m[2]}（{_kind(m[1])}没有这一项）"),
)


def _python_words(exc: BaseException, text: str) -> str:
    """What a template's call or operation raised (a Python error, e.g. n.prior with four arguments), in Chinese:
    the author's own names kept, Python's English left out."""
    if re.search(r"[\u4e00-\u9fff]", text):   # discloser's own messages are Chinese already
        return f"模板运行出错：{text}"
    for pattern, words in _PYTHON:
        m = re.fullmatch(pattern, text)
        if m:
            return words(m)
    if isinstance(exc, KeyError):
        return f"没有这一项：{text}"
    if isinstance(exc, IndexError):
        return "序号超出列表的范围"
    if isinstance(exc, RecursionError):
        return "模板调用自身的层数太多（递归没有结束）"
    kind = {TypeError: "值的类型不对", ValueError: "值不合适", AttributeError: "没有这一属性", OverflowError: "数值太大",
            ArithmeticError: "算术错误"}
    for cls, words in kind.items():
        if isinstance(exc, cls):
            return f"模板运行出错（{words}）"
    return "模板运行出错"


def _owner(jinja_name: str) -> str:
    """'discloser.narrative.NarrativeFacts object' → n（说明的事实）; 'dict object' → 字典 …"""
    name = jinja_name.removesuffix(" object").rsplit(".", 1)[-1]
    return {"NarrativeFacts": "n（说明的事实）", "Document": "doc（公开包）", "dict": "该字典", "list": "该列表",
            "str": "该文本", "StrictUndefined": "未定义的值", "tuple": "该列表"}.get(name) or _kind(name)


# ------------------------------------------------------------------ locating

def _template_frames(tb, is_template) -> list[tuple[str, int]]:
    """The frames of a traceback that run template code (Jinja rewrites those to the template's file and line),
    outermost first."""
    found = []
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if is_template(filename):
            found.append((filename, tb.tb_lineno))
        tb = tb.tb_next
    return found


def _template_frame(tb, is_template) -> tuple[str, int] | None:
    """The innermost frame that runs template code: where in the template the failure happened."""
    frames = _template_frames(tb, is_template)
    return frames[-1] if frames else None


def _entered_from(frames: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The lines of other templates that led into the failing one (an import, include or macro call), nearest first:
    ``{% from 'henan/units.j2' import x %}`` fails inside units.j2, but the line to fix may be the importing one
    (trialZ-s29 D11)."""
    out: list[tuple[str, int]] = []
    seen = {frames[-1][0]} if frames else set()
    for filename, line in reversed(frames[:-1]):
        if filename not in seen:
            seen.add(filename)
            out.append((filename, line))
    return out


def _innermost(tb) -> str:
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_code.co_filename if tb is not None else ""


@contextmanager
def template_errors(folders: list[Path] | tuple[str, ...], first: str = "") -> Iterator[None]:
    """Turn a template's failure while rendering into a located `TemplateFailure`. `folders`: the template
    search path (a file under one of them is template code); `first`: the template being rendered (named
    when the failure is not inside any template, e.g. the template itself is refused).

    Jinja's errors, the sandbox's refusals and errors raised by template code itself are the template's. So is
    anything raised while a profile's own template runs (``n.prior("项", 1, 2, 3)``: a TypeError raised by the call
    itself): its author can only act on the template's line, and an "internal error" in English sends them to
    discloser's maintainers (trialA-s26 D2). Only a failure of discloser's own code under a *shipped* template
    stays what it is (an internal error): that template is tested, so the fault is discloser's."""
    roots = tuple(str(Path(f).resolve()) for f in folders) + tuple(os.path.normpath(str(f)) for f in folders)
    shipped = str(templates_dir().resolve())

    def is_template(filename: str) -> bool:
        return filename != "<template>" and (filename.startswith(roots) or filename.endswith(".j2"))

    def is_own(filename: str) -> bool:
        return not str(Path(filename).resolve()).startswith(shipped)

    try:
        yield
    except TemplateFailure:
        raise
    except TemplateSyntaxError as e:
        raise TemplateFailure([syntax_problem(e)]) from None
    except Exception as e:   # noqa: BLE001 — sorted below: the template's or ours
        where = _template_frame(e.__traceback__, is_template)
        ours = isinstance(e, (TemplateError, SecurityError)) or (isinstance(e, OverflowError) and "Range too big" in str(e)) \
            or (isinstance(e, MemoryError) and where is not None)     # what a template made too big
        if not ours and not is_template(_innermost(e.__traceback__)) and not (where and is_own(where[0])):
            raise
        rule, message = _runtime_words(e, "、".join(str(f) for f in folders))
        if where:
            locations = [Location(where[0], where[1])]
            callers = _entered_from(_template_frames(e.__traceback__, is_template))
            if callers:
                message += f"（由 {Path(callers[0][0]).name} 第 {callers[0][1]} 行导入、包含或调用）"
                locations += [Location(f, line) for f, line in callers]
        else:
            locations = [Location(getattr(e, "path", "") or first)]
        raise TemplateFailure([Problem(rule, "error", message, tuple(locations))]) from None


def syntax_problem(e: TemplateSyntaxError) -> Problem:
    """A syntax error at its line; a block left open is said where it opens (Jinja finds it only at the end of the
    file, where the author has nothing to fix — trialZ-s29 D6), with the end of the file as a second location."""
    file = e.filename or e.name or ""
    where = [Location(file, e.lineno)]
    block = re.match(r"Unexpected end of template\..*The innermost block that needs to be closed is '(\w+)'", e.message or "", re.S)
    if block:
        opened = _unclosed_block(_source_of(e), block[1])
        if opened and opened != e.lineno:
            where.insert(0, Location(file, opened))
    return Problem("template.syntax", "error", _syntax_words(e.message or ""), tuple(where))


# Tags that open a block closed by end<tag> (``set`` only without “=”: ``{% set x %}…{% endset %}``)
_BLOCK_TAGS = {"if", "for", "macro", "call", "filter", "block", "with", "autoescape", "trans", "set"}


def _unclosed_block(source: str | None, name: str) -> int | None:
    """The line of the innermost `name` block still open at the end of `source` (its block tags scanned by Jinja's own
    lexer, so a tag inside ``{% raw %}`` or a comment is not one); None when the source cannot be read or lexed."""
    from jinja2 import Environment

    if not source:
        return None
    try:
        tokens = [(line, kind, value) for line, kind, value in Environment().lex(source) if kind != "whitespace"]
    except TemplateSyntaxError:
        return None
    stack: list[tuple[str, int]] = []
    for n, (line, kind, value) in enumerate(tokens[:-1]):
        if kind != "block_begin" or tokens[n + 1][1] != "name":
            continue
        tag = tokens[n + 1][2]
        if tag == "set":   # a block set has no “=” before its %}
            ends = next((m for m in range(n + 2, len(tokens)) if tokens[m][1] == "block_end"), len(tokens))
            if any(k == "operator" and v == "=" for _, k, v in tokens[n + 2:ends]):
                continue
        if tag in _BLOCK_TAGS:
            stack.append((tag, line))
        elif tag.startswith("end") and stack and stack[-1][0] == tag[3:]:
            stack.pop()
    return next((line for tag, line in reversed(stack) if tag == name), None)


def _source_of(e: TemplateSyntaxError) -> str | None:
    """The template text an error was raised for (Jinja keeps it on the error; else the file)."""
    if getattr(e, "source", None):
        return e.source
    try:
        return Path(e.filename).read_text(encoding="utf-8") if e.filename else None
    except (OSError, UnicodeDecodeError):
        return None


# ------------------------------------------------------------------ checking without data

def compile_problems(env, names: list[str]) -> list[Problem]:
    """What can be wrong with templates `names` (and every template they include, import or extend by a
    constant name) before any data is seen: syntax errors, unknown filters, includes of a missing file or
    of one outside the template folders. Compiled forms are cached by file and time stamp."""
    loader = env.loader
    folders = "、".join(str(f) for f in getattr(loader, "searchpath", []))
    problems: list[Problem] = []
    todo, seen = [(n, None) for n in names], set()
    while todo:
        name, by = todo.pop(0)
        if name in seen:
            continue
        seen.add(name)
        try:
            source, filename, _ = loader.get_source(env, name)
        except TemplateSyntaxError as e:
            problems.append(syntax_problem(e))
            continue
        except TemplateNotFound as e:
            rule, message = _runtime_words(e, folders)
            problems.append(Problem(rule, "error", message,
                                    (Location(by[0], by[1]) if by else Location(getattr(e, "path", "") or name),)))
            continue
        found = _compiled(env, name, filename, os.path.getmtime(filename), source)
        if isinstance(found, Problem):
            problems.append(found)
            continue
        todo += [(included, (filename, line)) for included, line in found]
    return problems


@lru_cache(maxsize=256)
def _compiled(env, name: str, filename: str, mtime: float, source: str):
    """A Problem for a template that does not compile, else the (name, line) of each template it includes."""
    try:
        tree = env.parse(source, name, filename)
        env.compile(tree, name, filename)
    except TemplateSyntaxError as e:
        return syntax_problem(e)
    return tuple((t.template.value, t.lineno)
                 for t in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends))
                 if isinstance(t.template, nodes.Const) and isinstance(t.template.value, str))


def profile_template_problems(profile) -> list[Problem]:
    """`compile_problems` for a profile's 说明 section templates and its PDF (HTML) template, and whether its
    Word reference document can be read."""
    from .narrative import environment

    names = [e.section for e in profile.narrative_entries() if e.section.endswith(".j2")]
    problems = compile_problems(environment(profile), names)
    html = profile.template_override("html")
    if html is not None:   # (the writers are imported only for a profile that has its own: WeasyPrint loads slowly)
        from .writers import pdf

        problems += compile_problems(pdf.environment(Path(html)), [pdf.TEMPLATE])
    from .unpack_limits import unpacked_problem

    for name in ("docx/reference.docx", "xlsx/template.xlsx"):   # a zip bomb is refused before it is opened
        path = profile.template_override(name)
        why = unpacked_problem(path) if path is not None else None
        if why:
            problems.append(Problem("template.file", "error", f"版式的 {name}：{why}", (Location(str(path)),)))
    reference = profile.template_override("docx/reference.docx")
    if reference is not None and not any(p.rule == "template.file" and "reference.docx" in p.message for p in problems):
        from .writers.docx_reference import reference_problem

        problems += reference_problem(Path(reference))
    return problems


def sample_problems(profile, profile_name: str) -> list[Problem]:
    """A profile's own 说明 templates rendered once with the starter department of `discloser init` (built from
    the package's code, so an installed wheel has it): an unknown ``n.`` name, ``1/0``, a sandbox refusal or a
    wrong call shows only when a template runs, and `validate 我县.yaml` passed templates that failed every build
    (trialA-s26 D4). Only the branches the sample reaches are tried; `validate 数据.yaml --profile 我县.yaml`
    renders with the clerk's own data."""
    if profile.template_override("narrative") is None:
        return []   # the shipped templates are tested
    from dataclasses import replace

    from .catalog import available_years, load_catalog
    from .intake.starter import starter
    from .model import Budget
    from .package import build_document

    year = max(available_years())
    try:
        data, _ = starter(year, profile_name)
        build_document(Budget.model_validate(data), profile, load_catalog(year))
    except TemplateFailure as e:
        return [replace(p, message=f"{p.message}（用 discloser init 的示例数据试写说明时发现）") for p in e.problems]
    except Exception:   # noqa: BLE001 — a probe of the templates only: the profile's own checks report the rest
        return []
    return []


__all__ = ["ConfinedLoader", "TemplateFailure", "OutsideFolder", "template_errors", "compile_problems",
           "profile_template_problems", "sample_problems", "confined_file", "syntax_problem"]
