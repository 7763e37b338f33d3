"""Bounded fuzzing in CI (issue 16): the loader, `validate` and the whole build never answer a user's
file with a traceback, never leave a partial package, never write outside the output folder.

Hypothesis, derandomized (the same examples on every run, so CI is repeatable) and without an example
database; about 45 s in all on this 2-core machine. ``DISCLOSER_FUZZ=10`` runs ten times as many examples and
``DISCLOSER_FUZZ_RANDOM=1`` draws new ones, for a longer hunt on a workstation:

    DISCLOSER_FUZZ=20 DISCLOSER_FUZZ_RANDOM=1 PYTHONPATH=src python3 -m pytest -q tests/test_fuzz.py

Properties:
- loader: any bytes, or the base budget with random edits from an alphabet of YAML/JSON syntax and
  hostile characters, give a `Source` or a `SourceError` whose every problem is Chinese and located in
  the file — nothing else escapes;
- validate: the base budget with any node replaced by any value (deep, huge, NaN-like, lone surrogates
  through JSON escapes) gives a `Loaded` whose problems are Chinese and located — `load` never raises;
- build: generated valid departments whose texts are replaced by random or crafted text, and whose amounts
  may be broken, are either refused with nothing written, or written completely: exactly the requested
  files, directly in the output folder, named by `safe_filename`, with no temporary folder left and
  nothing written beside the output folder.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from discloser.build import build
from discloser.problems import SourceError
from discloser.safety import safe_filename
from discloser.source import load_source
from discloser.validate import load
from helpers import ROOT, examples as depth
from strategies import departments

SCALE = int(os.environ.get("DISCLOSER_FUZZ", "1"))
BASE_TEXT = (ROOT / "tests" / "corpus" / "base.yaml").read_text(encoding="utf-8")
BASE = yaml.safe_load(BASE_TEXT)
CJK = re.compile(r"[\u4e00-\u9fff]")


def fuzz(examples: int):
    return settings(max_examples=depth(examples) * SCALE, derandomize=not os.environ.get("DISCLOSER_FUZZ_RANDOM"),
                    database=None, deadline=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])


def chinese_and_located(problems, path: Path) -> None:
    assert problems
    for p in problems:
        assert CJK.search(p.message), p.format()
        assert "Traceback" not in p.message, p.format()
        assert p.locations and p.locations[0].file.startswith(str(path)), p.format()


# ------------------------------------------------------------------ the loader

SYNTAX = [":", ": ", "-", "- ", " ", "  ", "\t", "\n", "{", "}", "[", "]", ",", "&a ", "*a", "!!str ", "!!python/name:os.system ",
          "'", '"', "#", "|", ">", "%", "@", "`", "?", "<<: ", "---\n", "...", "\\", "\\u0000", "\\ud800", "0x1F", "1e309",
          ".nan", "～", "：", "，", "\u3000", "\ufeff", "\u202e", "\x00", "\x07", "\x85", "\u2028", "é", "档案", "２"]


@st.composite
def mutated(draw, text: str) -> str:
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 4))
        piece = "".join(draw(st.lists(st.sampled_from(SYNTAX) | st.text(max_size=3), max_size=4)))
        text = text[:at] + piece + text[at + cut:]
    return text


def _load_file(suffix: str, raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"budget{suffix}"
        path.write_bytes(raw)
        try:
            load_source(path)
        except SourceError as e:
            chinese_and_located(e.problems, path)


@fuzz(250)
@given(raw=st.binary(max_size=400), suffix=st.sampled_from([".yaml", ".json"]))
def test_loader_on_any_bytes(raw, suffix):
    _load_file(suffix, raw)


@fuzz(250)
@given(text=mutated(BASE_TEXT), encoding=st.sampled_from(["utf-8", "utf-8", "gb18030", "utf-16"]))
def test_loader_on_a_mutated_yaml_budget(text, encoding):
    _load_file(".yaml", text.encode(encoding, "surrogatepass"))


@fuzz(150)
@given(text=mutated(json.dumps(BASE, ensure_ascii=False, indent=1)))
def test_loader_on_a_mutated_json_budget(text):
    _load_file(".json", text.encode("utf-8", "surrogatepass"))


# ------------------------------------------------------------------ validate

def _paths(data, path=()):
    yield path
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, path + (i,))


PATHS = list(_paths(BASE))[1:]

values = st.recursive(
    st.none() | st.booleans() | st.integers(-10 ** 30, 10 ** 30) | st.sampled_from(["1e309", "NaN", "-0", "１２３", "1,000.00", "待填",
                                                                                     "2080505 名称", "=1+1", "", " "])
    | st.text(max_size=30) | st.floats(allow_nan=False, allow_infinity=False).map(lambda f: Decimal(repr(f))),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8) | st.sampled_from(
        ["amount", "name", "code", "kind", "source", "function", "economic", "project", "unit", "reason"]), children, max_size=4),
    max_leaves=12)


def _put(data, path, value):
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


@fuzz(120)
@given(changes=st.lists(st.tuples(st.sampled_from(PATHS), values), min_size=1, max_size=3), as_json=st.booleans())
def test_validate_never_raises_on_wrong_shapes(changes, as_json):
    data = json.loads(json.dumps(BASE))
    for path, value in changes:
        try:
            _put(data, path, value)
        except (KeyError, IndexError, TypeError):
            continue   # an earlier change removed the path
    with tempfile.TemporaryDirectory() as tmp:
        if as_json:   # JSON escapes carry what YAML cannot (lone surrogates, control characters)
            path = Path(tmp) / "budget.json"
            path.write_text(json.dumps(data, ensure_ascii=True, default=str), encoding="utf-8")
        else:
            path = Path(tmp) / "budget.yaml"
            text = yaml.safe_dump(json.loads(json.dumps(data, default=str)), allow_unicode=True)
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
        loaded = load(path)
        if loaded.problems:
            chinese_and_located([p for p in loaded.problems if p.locations and p.locations[0].file], path)


# ------------------------------------------------------------------ the whole build

CRAFTED = ['=HYPERLINK("http://x/","y")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-1+1", "<script>alert(1)</script>",
           "{{ 7*7 }}", "{% raw %}", "{org}{year}", "../../x", "a/b\\c", "CON", " .hidden", "# 标题", "第一行\n# 标题",
           "\u202e反转", "零宽\u200b空格", "制表\t符", "预算预算", "XX县", "2019年度", "（）【】《》“”", "&amp;&lt;"]
PRINTABLE = st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
clean_texts = st.sampled_from([t for t in CRAFTED if t.isprintable() and "\u200b" not in t]) | st.text(
    PRINTABLE, min_size=1, max_size=20) | st.text(st.characters(min_codepoint=0x4e00, max_codepoint=0x4e80), min_size=1, max_size=60)
any_texts = clean_texts | st.sampled_from(CRAFTED) | st.text(st.characters(), min_size=1, max_size=20)   # surrogates too


@st.composite
def hostile_departments(draw, clean: bool = False) -> dict:
    """A generated valid department with some of its texts replaced (project references kept); unless
    `clean`, the texts may hold characters the validation refuses, and an amount may be broken."""
    texts = clean_texts if clean else any_texts
    data = draw(departments())
    org = data["organization"]
    if draw(st.booleans()):
        org["name"] = draw(texts)
    for key in ("functions", "tasks", "divisions"):
        if org.get(key) and draw(st.booleans()):
            org[key] = draw(st.lists(texts, min_size=1, max_size=3))
    for project in data.get("projects", []):
        if draw(st.booleans()):
            old, new = project.get("code") or project["name"], draw(texts)
            if not project.get("code"):
                for item in data["expenditures"] + data.get("procurement", []):
                    if item.get("project") == old:
                        item["project"] = new
            project["name"] = new
            project["description"] = draw(texts)
    if not clean and draw(st.integers(0, 7)) == 5:
        item = draw(st.sampled_from(data["expenditures"]))
        item["amount"] = draw(st.sampled_from(["1e309", "-5", "0.001", "１２", "1,000.00", 10 ** 16]))
    return data


def _write_budget(folder: Path, data: dict) -> Path:
    """YAML when YAML can carry every text, else JSON (its escapes carry lone surrogates)."""
    (folder / "in").mkdir()
    plain = json.loads(json.dumps(data, default=str))
    try:
        text = yaml.safe_dump(plain, allow_unicode=True, sort_keys=False, width=1000)
        text.encode("utf-8")
        path = folder / "in" / "budget.yaml"
    except (UnicodeError, yaml.YAMLError):
        text = json.dumps(plain, ensure_ascii=True)
        path = folder / "in" / "budget.json"
    path.write_text(text, encoding="utf-8")
    return path


def _check_build(data: dict, formats: tuple[str, ...]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = _write_budget(folder, data)
        out = folder / "out"
        result = build(source, out, formats)   # an exception here is a traceback a clerk would see
        everything = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
        event("refused" if result.refused else "written")
        if result.refused:
            event(" ".join(sorted({p.rule for p in result.loaded.errors})) or "warning")
            assert everything == [source.relative_to(folder)], everything
            chinese_and_located([p for p in result.loaded.problems if p.severity == "error" or p.rule.startswith("lint.")]
                                or result.loaded.problems, source)
            return
        assert len(result.written) == len(formats)
        assert everything == sorted([source.relative_to(folder), *(f.relative_to(folder) for f in result.written)])
        names = {f.stem for f in result.written}
        assert len(names) == 1 and all(f.parent == out for f in result.written)
        [stem] = names
        assert stem and not re.search(r'[/\\:*?"<>|\x00-\x1f\u202a-\u202e]', stem) and not stem.startswith(".")


@fuzz(30)
@given(data=hostile_departments())
def test_whole_build_without_pdf(data):
    _check_build(data, ("docx", "xlsx", "json"))


@fuzz(4)
@given(data=hostile_departments(clean=True))
def test_whole_build_with_pdf(data):
    _check_build(data, ("pdf",))


def test_safe_filename_examples():
    assert safe_filename("../../etc/passwd") == "_.._etc_passwd"
    assert safe_filename("..") == "预算公开" and safe_filename(" . ") == "预算公开"
    assert safe_filename("CON") == "_CON" and safe_filename("a\u202eb\nc") == "a_b_c"
    long = safe_filename("档" * 300 + "2026年单位预算公开")
    assert len(long.encode()) <= 200 and long.endswith("档2026年单位预算公开") and "…" in long
