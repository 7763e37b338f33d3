"""One preview rendering: the located problems of the input as it is now and, when it is valid, the
HTML that makes the PDF — rewritten so a browser can show it from the preview server.

A `Rendering` is a snapshot: the source bytes it was made from (downloads are built from exactly
these), the problems with the input lines they point at (read from the same bytes), the table of
contents (the links of the package's own 目录, so a province template's contents work too).

Nothing here runs a server; `discloser.preview.server` calls `render()` in a worker thread.
"""
from __future__ import annotations

import html.parser
from html import unescape as html_unescape
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Location, Problem
from .pages import named_page_sizes, size_rules

CONTEXT_LINES = 2          # input lines shown before and after the one a problem points at
STATIC_PREFIX = "/static/"
FILES_PREFIX = "/files"    # template-folder files (stylesheet, images), served through the PDF writer's fetcher


@dataclass(frozen=True)
class Excerpt:
    """The input lines around a problem's position (1-based line numbers)."""
    first: int
    lines: tuple[str, ...]
    line: int
    column: int | None

    def to_dict(self) -> dict:
        return {"first": self.first, "lines": list(self.lines), "line": self.line, "column": self.column}


@dataclass(frozen=True)
class TocEntry:
    href: str       # "#tbl-income" — an id in the rendered page
    text: str
    level: int      # 1 chapter, 2 section or table
    table: bool


@dataclass
class Rendering:
    source: bytes                     # the input's bytes this rendering was made from
    problems: list[Problem]
    excerpts: dict[Location, Excerpt]
    html: str | None = None           # browser-ready HTML of the package (None: the input is not valid)
    toc: list[TocEntry] = field(default_factory=list)
    title: str = ""
    filename: str = ""                # the package's file name without extension (as `build` writes it)
    template_dir: Path | None = None  # the folder whose files /files may serve
    watch_files: frozenset[Path] = frozenset()   # besides the input: the user profile file, if any
    watch_dirs: frozenset[Path] = frozenset()    # the user profile's templates folder, if any
    made_at: float = field(default_factory=time.time)

    def count(self, severity: str) -> int:
        return sum(p.severity == severity for p in self.problems)


def excerpt(text: str, line: int, column: int | None) -> Excerpt | None:
    lines = text.splitlines()
    if not 1 <= line <= max(len(lines), 1):
        return None
    first = max(1, line - CONTEXT_LINES)
    return Excerpt(first, tuple(lines[first - 1:line + CONTEXT_LINES]), line, column)


def excerpts_for(problems: list[Problem], texts: dict[str, str]) -> dict[Location, Excerpt]:
    """Excerpts keyed by location: of the input from `texts` (the very bytes that were checked), of any
    other file a problem points at — a user profile, a template — read from disk now (a template's
    mistake needs its lines as much as the data's: trial Z D10)."""
    known: dict[str, str | None] = dict(texts)
    out: dict[Location, Excerpt] = {}
    for p in problems:
        for loc in p.locations:
            if loc.line is None or not loc.file:
                continue
            if loc.file not in known:
                raw = _read(Path(loc.file)) if Path(loc.file).is_file() else None
                known[loc.file] = raw.decode("utf-8-sig", errors="replace") if raw is not None else None
            text = known[loc.file]
            if text is not None:
                found = excerpt(text, loc.line, loc.column)
                if found:
                    out[loc] = found
    return out


class _ContentsLinks(html.parser.HTMLParser):
    """The in-page links inside the package's <nav> (its 目录), with the class of their list item."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_nav = 0
        self.item_class = ""
        self.href: str | None = None
        self.text: list[str] = []
        self.entries: list[TocEntry] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "nav":
            self.in_nav += 1
        elif self.in_nav and tag == "li":
            self.item_class = a.get("class") or ""
        elif self.in_nav and tag == "a" and (a.get("href") or "").startswith("#"):
            self.href, self.text = a["href"], []

    def handle_data(self, data):
        if self.href is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "nav":
            self.in_nav -= 1
        elif tag == "a" and self.href is not None:
            text = " ".join("".join(self.text).split())
            classes = self.item_class.split()
            level = 1 if "toc-l1" in classes else 2
            self.entries.append(TocEntry(self.href, text, level, "toc-table" in classes))
            self.href = None


def contents(page: str) -> list[TocEntry]:
    parser = _ContentsLinks()
    parser.feed(page)
    return parser.entries


_FILE_URL = re.compile(r'(\s(?:href|src)=")file://(?:localhost)?(/[^"]*)"')


_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)
_STYLESHEET = re.compile(r'<link[^>]*rel="stylesheet"[^>]*href="(file://[^"]+)"', re.I)


def stylesheets(page: str, template_dir: Path | None) -> str:
    """The CSS of the package page: its <style> blocks and the template-folder files it links."""
    from ..writers.pdf import default_template_dir, url_fetcher_for

    fetcher = url_fetcher_for(template_dir or default_template_dir())
    texts = _STYLE.findall(page)
    for url in _STYLESHEET.findall(page):
        try:
            texts.append(fetcher.fetch(html_unescape(url)).read().decode("utf-8", errors="replace"))
        except Exception:   # refused or unreadable: WeasyPrint would not have it either
            continue
    return "\n".join(texts)


def for_browser(page: str, template_dir: Path | None = None) -> str:
    """The PDF's HTML as the preview serves it: template files fetched from /files (the writer's own
    fetcher decides what may be read), plus the paged view (Paged.js lays the print CSS out as pages,
    named pages at their own size)."""
    sizes = size_rules(named_page_sizes(stylesheets(page, template_dir)))
    page = _FILE_URL.sub(lambda m: f'{m.group(1)}{FILES_PREFIX}{m.group(2)}"', page)
    head = (f'<link rel="stylesheet" href="{STATIC_PREFIX}sheet.css">'
            + (f"<style>{sizes}</style>" if sizes else "") +
            f'<script src="{STATIC_PREFIX}paged-hook.js"></script>'
            f'<script src="{STATIC_PREFIX}vendor/paged.polyfill.min.js"></script>')
    return page.replace("</head>", head + "</head>", 1) if "</head>" in page else head + page


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def render(path: str, profile: str | None = None) -> Rendering | None:
    """Validate and (if valid) render `path`. None when the file changed while we read it (the
    watcher will call again) — so a rendering never mixes two versions of the input."""
    from ..lint import check_document
    from ..package import build_document
    from ..profile import load_profile
    from ..validate import load
    from ..templating import TemplateFailure
    from ..writers.pdf import render_html

    before = _read(Path(path))
    loaded = load(path)
    after = _read(Path(path))
    if before != after:
        return None
    source = after or b""
    texts = {path: source.decode("utf-8-sig", errors="replace")}
    result = Rendering(source, list(loaded.problems), {})
    name = profile or (loaded.budget.profile if loaded.budget is not None else None)
    if name and Path(name).suffix in (".yaml", ".yml"):
        result.watch_files = frozenset({Path(name).resolve()})
    if not loaded.errors and loaded.budget is not None:
        try:
            load_profile.cache_clear()   # a user profile may have changed since the last rendering
            prof = load_profile(name)
            if prof.templates:
                result.watch_dirs = frozenset({Path(prof.templates).resolve()})
            doc = build_document(loaded.budget, prof)
            result.problems += check_document(doc, loaded.budget, path, prof)   # what `build` checks after deriving
            template_dir = doc.templates.get("pdf")
            page = render_html(doc, Path(template_dir) if template_dir else None)
        except TemplateFailure as e:   # a template's mistake, located in the template
            result.problems += e.problems
        except Exception as e:   # a broken user profile or template: shown like a problem, last good render kept
            result.problems.append(Problem("preview.render", "error", f"无法生成预览：{type(e).__name__}: {e}",
                                           (Location(profile or path),)))
        else:
            result.html = for_browser(page, Path(template_dir) if template_dir else None)
            result.toc = contents(page)
            result.title, result.filename = doc.title, doc.filename
            result.template_dir = Path(template_dir) if template_dir else None
    result.excerpts = excerpts_for(result.problems, texts)
    return result
