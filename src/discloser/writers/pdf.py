"""PDF writer: Document → sandboxed Jinja2 HTML → WeasyPrint → PDF/A-3b, tagged, with its input attached.

The writer only lays out: every figure is printed from `cell.text`, never computed or formatted.

An archive of its own data. The PDF is PDF/A-3b (WeasyPrint's `pdf_variant`) and carries the
canonical input file as an associated file (relationship Source): the published PDF alone is enough
to re-derive every table (`discloser extract PACKAGE.pdf` writes the input back out). It is tagged
for accessibility (headings H1–H4, tables with TH header cells — column headers in <thead>, the
labels of form tables as row headers), has title/author/subject/keywords/language metadata, and
bookmarks from the Document's outline (“表N 标题”, and each project of a repeated table).

Safety. The HTML comes from an (immutable) `SandboxedEnvironment` with autoescape always on, so text from the
data file (names, reasons, narrative) can never become markup, script or a resource reference.
WeasyPrint gets a URL fetcher that serves only the files of the template folder (and `data:` URIs):
network, `file:` paths outside the folder and every other scheme are refused. Bookmark labels go
through `attr()`, never into CSS text.

Fonts. See `fonts.py`: the profile's families by role, the first installed one wins, a warning
when a role falls back, `--font-dir` adds fonts. Chinese paragraphs are justified between
characters (`justify.py`), never by stretching spaces; a table's repeated foot survives a break WeasyPrint
moves back into the table (`table_foot.py`).

Tables. Column widths, type size and orientation come from `layout.fit` (content-driven, amounts and
codes never break); a table is laid out as `layout.blocks` — a form table's sub-grids repeat their
label rows on every page they continue on, and rows bound by a row span stay on one page.

Reproducibility. The same Document gives the same bytes: creation/modification dates are the approval
date (or SOURCE_DATE_EPOCH, else 2000-01-01), the PDF /ID is an MD5 of the content (pydyf), font
subset tags are content hashes, and no other date or random value is written.

Speed. WeasyPrint's user-agent sheet is used with its universal pseudo-element rules kept off table cells
(`ua_sheet.py`), pydyf writes with page references read once and default deflate (`pdf_serialize.py`), and the
cyclic collector's full passes wait while a PDF renders (`_full_collections_held`); the pages are the same.

Templates. `package.html.j2` and `package.css` in `resources.template("html")`; a province's
templates folder (`doc.templates["pdf"]`) may hold either or both (a missing file falls back).
"""
from __future__ import annotations

import base64
import gc
import logging
import mimetypes
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import unquote, urlsplit

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape
from weasyprint import Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..resources import template
from ..templating import BoundedImmutableSandbox, ConfinedLoader, template_errors
from ..tables.model import Cell, Document, Kind, OutlineEntry, OutlineKind, Section, Table
from . import WriteOptions, Written, justify, layout, pdf_serialize, table_foot, write_atomically
from .fonts import Fonts
from .reproducible import fixed_datetime, fixed_timestamp, utc
from .ua_sheet import PackageHTML

TEMPLATE = "package.html.j2"
STYLESHEET = "package.css"
PDF_VARIANT = "pdf/a-3b"
ATTACHMENT_TYPES = {".yaml": "application/yaml", ".yml": "application/yaml", ".json": "application/json"}
ATTACHMENT_DESCRIPTION = "预算数据文件（本公开包的规范输入，可用 discloser extract 取出）"
BOOKMARK_DEPTH = 3
# The table geometry package.css sets: 版心 156 × 225 mm portrait, 247 × 164 mm landscape, of which the
# table's number, title and department line take about 80 pt; 10 pt table type; cells padded 3 pt left
# and right plus a 0.5 pt rule.
MM = 72 / 25.4
TABLE_PAGE = dict(portrait_pt=156 * MM, landscape_pt=247 * MM, base_pt=10.0, padding_pt=6.5,
                  portrait_room_pt=225 * MM - 80, landscape_room_pt=164 * MM - 80)
TITLE_SIZES_PT = (16, 15, 14, 13)
SUBTITLE_SIZES_PT = (22, 20, 18, 16)  # the cover's subtitle and the tables part's title: the largest the longest line fits


def default_template_dir() -> Path:
    return template("html")


def table_page(min_scale: float = 0.7) -> layout.Page:
    return layout.Page(**TABLE_PAGE, min_scale=min_scale)


# --------------------------------------------------------------------------- view model


@dataclass(frozen=True)
class BlockView:
    block: layout.Block
    joined: bool              # continues the block before it on the same page (no gap)
    wrapping: frozenset[int] = frozenset()   # ids of the body cells whose last line may hold one character (`layout.may_orphan`)
    bound: frozenset[int] = frozenset()   # rows of its first group kept each with the next (`layout.bound_rows`)
    named: bool = False       # a grid after the one-row block that names it (湖北 表13's “长期目标1:”): kept with it

    def wraps(self, cell: Cell) -> bool:
        return id(cell) in self.wrapping

    @property
    def footed(self) -> bool:
        """Does it carry the empty rule head/foot that closes a cut inside a cell (a tall row, a label column)?"""
        return bool(self.block.breakable or self.block.label)


@dataclass(frozen=True)
class TableView:
    table: Table
    id: str                   # the element id (an outline id when the table is an outline entry)
    fit: layout.TableFit
    blocks: tuple[BlockView, ...]
    widths: tuple[str, ...]   # CSS percentages for <col>
    font_size: str            # CSS font size of the grid
    title_size: str           # CSS font size that keeps the title on one line where possible
    entry: OutlineEntry | None = None     # “表N 标题” (the first of a run of same-numbered tables)
    subject: OutlineEntry | None = None   # the project this instance is about

    @property
    def landscape(self) -> bool:
        return self.fit.landscape


@dataclass(frozen=True)
class SectionView:
    section: Section
    tag: str                  # h1..h4
    entry: OutlineEntry | None


def _fit_size(text: str, sizes: tuple[float, ...], width_pt: float, bold: bool = False) -> str:
    """The largest of `sizes` that keeps `text` on one line, else the second smallest (it wraps)."""
    width = layout.text_em(text, bold)
    for size in sizes:
        if width * size <= width_pt:
            return f"{size:g}pt"
    return f"{sizes[-2] if len(sizes) > 1 else sizes[-1]:g}pt"


def table_view(table: Table, ident: str, page: layout.Page, entry: OutlineEntry | None = None,
               subject: OutlineEntry | None = None) -> TableView:
    fit = layout.fit(table, page)
    blocks = [layout.paginate(layout.explicit_breaks(b, fit, page), fit, page) for b in layout.blocks(table)]
    views = tuple(BlockView(b, i > 0, layout.may_orphan(b, fit, page), bound=layout.bound_rows(b, fit, page),
                            named=named) for i, (b, named) in enumerate(zip(blocks, layout.named(blocks))))
    width = page.landscape_pt if fit.landscape else page.portrait_pt
    return TableView(table, ident, fit, views, tuple(f"{100 * f:.3f}%" for f in fit.fractions()),
                     f"{fit.font_pt:g}pt", _fit_size(table.title, TITLE_SIZES_PT, width, bold=True), entry, subject)


@lru_cache(maxsize=16)
def environment(folder: Path) -> SandboxedEnvironment:
    """The province's html folder first, then the packaged one; files only from inside them, symlinks
    resolved (`templating.ConfinedLoader`). One per folder: its templates are compiled once, and again when
    a file's time stamp changes (auto_reload, for the preview)."""
    folders = [str(folder)]
    packaged = default_template_dir()
    if packaged.resolve() != Path(folder).resolve():
        folders.append(str(packaged))
    # Immutable sandbox: a (province) template can neither reach Python internals nor modify the
    # Document that the other writers share.
    env = BoundedImmutableSandbox(loader=ConfinedLoader(folders), autoescape=True, undefined=StrictUndefined,
                                        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["cell_tag"] = _cell_tag
    env.filters["no_orphan"] = no_orphan
    return env


def no_orphan(text: str) -> Markup:
    """`text`, escaped, with the end of each line (`layout.orphan_tail`) in a span that does not wrap: the
    line breaker then never leaves one character alone on a last line — without measuring anything."""
    out = []
    for line in str(text).split("\n"):
        keep = layout.orphan_tail(line)
        out.append(escape(line[:len(line) - keep]) + Markup('<span class="nb">%s</span>') % line[len(line) - keep:]
                   if keep else escape(line))
    return Markup("\n").join(out)


def _cell_tag(cell: Cell, head: bool) -> str:
    """th for column headers and form labels (tagged as header cells), td otherwise."""
    return "th" if head or cell.kind is Kind.label else "td"


def render_html(doc: Document, template_dir: Path | None = None, *, fonts: Fonts | None = None,
                min_scale: float = 0.7) -> str:
    """The package as one HTML page for WeasyPrint (print CSS: named pages, counters, bookmarks)."""
    folder = Path(template_dir) if template_dir else default_template_dir()
    fonts = fonts or Fonts()
    page = table_page(min_scale)
    by_section = {e.section: e for e in doc.outline if e.kind is OutlineKind.chapter}
    by_table = {e.table: e for e in doc.outline if e.kind is OutlineKind.table}
    by_subject = {e.table: e for e in doc.outline if e.kind is OutlineKind.subject}
    appendix = next((e for e in doc.outline if e.kind is OutlineKind.appendix), None)
    sections = [SectionView(s, f"h{min(max(s.level, 1), 4)}", by_section.get(i)) for i, s in enumerate(doc.sections)]
    tables = [table_view(t, by_table[i].id if i in by_table else f"tbl_{i + 1}", page, by_table.get(i), by_subject.get(i))
              for i, t in enumerate(layout.as_siblings(doc.tables, page))]
    toc = table_view(doc.toc, "tbl_toc", page)
    cover_lines = layout.cover_title_lines(doc.title, doc.organization)
    portrait = page.portrait_pt
    subtitle_lines = layout.cover_subtitle_lines(doc.subtitle, doc.organization, portrait, SUBTITLE_SIZES_PT[-1])
    contents = [e for e in doc.outline if e.in_contents]
    sizes = {
        "cover_title": _fit_size(max(cover_lines, key=layout.text_em), (26, 24, 22, 20), portrait),
        "cover_subtitle": _fit_size(max(subtitle_lines, key=layout.text_em), SUBTITLE_SIZES_PT, portrait),
        "tables_title": _fit_size(doc.tables_title, SUBTITLE_SIZES_PT, portrait),
        "contents_pitch": _contents_pitch(contents, portrait),
    }
    env = environment(folder)
    with template_errors(env.loader.searchpath, TEMPLATE):   # a province template's mistake, located in it
        return env.get_template(TEMPLATE).render(
            doc=doc, sections=sections, tables=tables, toc=toc, appendix=appendix,
            contents=contents, bookmark_depth=BOOKMARK_DEPTH,
            cover_lines=cover_lines, subtitle_lines=subtitle_lines, sizes=sizes, fonts=fonts.families_css(doc.fonts),
            stamp=fixed_timestamp(doc.approval_date), department_label=doc.department_label,
            stylesheet=_stylesheet(folder),
        )


CONTENTS_PT = 14                     # package.css: .contents ul …
CONTENTS_TABLE_PT = 12               # … and li.toc-table
CONTENTS_ROOM_PT = 225 * MM - 70     # a portrait page's text height less the 目录 title (22 pt, 8 mm after) and slack
CONTENTS_PART_PT = 0.3 * CONTENTS_PT   # the space above a part's line (li.toc-l1)


def _contents_pitch(entries, width_pt: float) -> float:
    """The 目录's line pitch: one page when tightening allows (layout.contents_pitch)."""
    def width_em(e) -> float:
        return width_pt / (CONTENTS_TABLE_PT if e.kind is OutlineKind.table else CONTENTS_PT) - 2 * (min(e.level, 3) - 1)

    lines = sum(layout.contents_lines(e.label, width_em(e)) for e in entries)
    parts = sum(1 for e in entries if e.level == 1)
    return layout.contents_pitch(lines, CONTENTS_ROOM_PT - parts * CONTENTS_PART_PT, most=1.9 * CONTENTS_PT, least=18.0)


def _stylesheet(folder: Path) -> str:
    """URL of the province's package.css if it has one, else the packaged one."""
    own = folder / STYLESHEET
    return (own if own.is_file() else default_template_dir() / STYLESHEET).resolve().as_uri()


# --------------------------------------------------------------------------- resources


class RefusedURL(ValueError):
    """A document tried to load something other than a template-folder file."""


class TemplateDirFetcher(URLFetcher):
    """Serves files inside the template folder(s) and data: URIs; refuses everything else.

    Never touches the network: only `data:` goes through urllib (decoded in memory), `file:` is read
    here after checking that the resolved path (symlinks followed) lies inside an allowed folder.
    """

    def __init__(self, *roots: Path):
        super().__init__(timeout=1, allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(Path(r).resolve() for r in roots)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            parts = urlsplit(url)
            try:
                path = Path(unquote(parts.path)).resolve() if parts.netloc in ("", "localhost") else None
                allowed = path is not None and path.is_file() and any(path.is_relative_to(r) for r in self.roots)
            except (OSError, ValueError):   # e.g. an encoded NUL byte
                allowed = False
            if allowed:
                ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": ctype})
        self.refused.append(url)
        raise RefusedURL(f"已拒绝读取模板目录以外的资源：{url}")


def url_fetcher_for(folder: Path) -> TemplateDirFetcher:
    """The fetcher `write` uses for a template folder (the packaged folder is always allowed too)."""
    return TemplateDirFetcher(folder, default_template_dir())


# --------------------------------------------------------------------------- PDF


def source_attachment(doc: Document, fetcher: URLFetcher) -> Attachment | None:
    """The canonical input as a PDF/A-3 associated file (relationship Source), dated like the PDF."""
    if doc.source_bytes is None:
        return None
    name = doc.source_name or "budget.yaml"
    mime = ATTACHMENT_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
    url = f"data:{mime};base64,{base64.b64encode(doc.source_bytes).decode()}"
    moment = utc(fixed_datetime(doc.approval_date)).replace(tzinfo=None)
    return Attachment(url=url, url_fetcher=fetcher, name=name, description=ATTACHMENT_DESCRIPTION,
                      created=moment, modified=moment, relationship="Source")


_CSS_REASONS = {"unknown property": "不认识的属性", "invalid value": "值无效", "invalid or unsupported value": "值无效或不支持"}
_CSS_SHOWN = 5     # ignored rules said one by one, the rest counted


@contextmanager
def _css_ignored(folder: Path) -> Iterator[list[str]]:
    """What WeasyPrint's CSS parser ignores while a province's stylesheet is used, said as one warning: a misspelt
    property in a county's package.css did nothing, silently (trialZ-s29 D13). The shipped stylesheet has none (a
    test says so), so what is ignored is the clerk's. WeasyPrint logs it; its English reasons are translated where
    known, else only the place is given."""
    ignored: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno < logging.WARNING or "css" not in Path(record.pathname).parts:
                return
            args = record.args if isinstance(record.args, tuple) else ()
            if len(args) == 5 and isinstance(args[2], int):          # 'Ignored `%s:%s` at %d:%d, %s.'
                name, value, line, col, reason = args
                ignored.append(f"第 {line} 行第 {col} 列“{name}:{value}”（{_CSS_REASONS.get(str(reason), '不支持')}）")
            elif record.msg.startswith("Invalid or unsupported selector") and args:
                selector = str(args[0]).strip().strip("'").strip()
                line = next((n for n, text in enumerate(_sheet_lines(folder), 1) if selector and selector in text), None)
                ignored.append(f"{f'第 {line} 行' if line else ''}选择器“{selector}”（无效或不支持，这一组样式整个忽略）")
            else:
                at = re.search(r"at (\d+):(\d+)", record.getMessage())
                ignored.append(f"第 {at[1]} 行第 {at[2]} 列的一处写法" if at else "一处写法（位置不明）")

    logger, handler = logging.getLogger("weasyprint"), Collect()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(min(level or logging.WARNING, logging.WARNING))
    said: list[str] = []
    try:
        yield said
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        if ignored:
            sheet = folder / STYLESHEET if (folder / STYLESHEET).is_file() else folder / TEMPLATE
            more = f"等 {len(ignored)} 处" if len(ignored) > _CSS_SHOWN else ""
            said.append(f"PDF 样式（{sheet}）中有写法不被支持，已忽略：{'；'.join(ignored[:_CSS_SHOWN])}{more}")


def _sheet_lines(folder: Path) -> list[str]:
    """The province's stylesheet's lines (none when it has no package.css)."""
    sheet = folder / STYLESHEET
    return sheet.read_text(encoding="utf-8", errors="replace").splitlines() if sheet.is_file() else []


_HOLD = threading.Lock()
_held = 0                       # renders under way, each holding the cyclic collector's full passes
_threshold = gc.get_threshold()  # the collector's thresholds before the first of them


@contextmanager
def _full_collections_held() -> Iterator[None]:
    """WeasyPrint keeps every page's boxes alive until the file is written, and each full pass of the cyclic
    collector walks all of them, finding little to free: a 2,000-item PDF (135 pages) took 25.6 s with them and 20.5 s
    without, Hubei's example 3.8 and 3.4 s. While a PDF renders, the collector's young passes go on (they free a
    layout's short-lived cycles) and the full ones wait until it is written. The price is the garbage in cycles kept
    meanwhile: peak memory 736 → 898 MB at 2,000 items, under 1 % more at the examples (letting one full pass in five
    run gave 22.2 s and 797 MB). Threads (the preview) share the setting: the last render to finish restores it."""
    global _held, _threshold
    with _HOLD:
        if not _held:
            _threshold = gc.get_threshold()
            gc.set_threshold(_threshold[0], _threshold[1], 1 << 30)
        _held += 1
    try:
        yield
    finally:
        with _HOLD:
            _held -= 1
            if not _held:
                gc.set_threshold(*_threshold)


def render_pdf(doc: Document, template_dir: Path | None = None, *, fonts: Fonts | None = None,
               min_scale: float = 0.7, warnings: list[str] | None = None,
               laid_out: Callable[[dict[str, int]], None] | None = None) -> tuple[bytes, dict[str, int], int]:
    """The PDF's bytes, the page (1-based) of every outline entry and the number of pages; what the stylesheet had
    ignored is added to `warnings`. `laid_out` is told the pages as soon as they are known, before the file is
    written (a third of the time): the build writes Word, whose 目录 shows them, meanwhile."""
    with _full_collections_held():
        return _render_pdf(doc, template_dir, fonts, min_scale, warnings, laid_out)


def _render_pdf(doc: Document, template_dir: Path | None, fonts: Fonts | None, min_scale: float,
                warnings: list[str] | None, laid_out: Callable[[dict[str, int]], None] | None) -> tuple[bytes, dict[str, int], int]:
    folder = (Path(template_dir) if template_dir else default_template_dir()).resolve()
    fonts = fonts or Fonts()
    html = render_html(doc, folder, fonts=fonts, min_scale=min_scale)
    fetcher = url_fetcher_for(folder)
    attachment = source_attachment(doc, fetcher)
    options = dict(pdf_variant=PDF_VARIANT, pdf_tags=True, pdf_identifier=True,
                   attachments=[attachment] if attachment else None)
    justify.install()
    table_foot.install()
    try:
        with _css_ignored(folder) as ignored:
            document = PackageHTML(string=html, base_url=folder.as_uri() + "/", url_fetcher=fetcher).render(
                font_config=fonts.config, **options)
    finally:
        justify.uninstall()
        table_foot.uninstall()
    if warnings is not None:
        warnings += ignored
    ids = {e.id for e in doc.outline}
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            if anchor in ids:
                pages.setdefault(anchor, number)
    if laid_out is not None:
        laid_out(pages)
    pdf_serialize.install()
    try:
        data = document.write_pdf(finisher=_one_entry_per_associated_file, **options)
    finally:
        pdf_serialize.uninstall()
    return data, pages, len(document.pages)


def _one_entry_per_associated_file(document, pdf) -> None:
    """WeasyPrint lists an attachment twice in the catalog's /AF (from the name tree and from the
    file specification): keep each reference once."""
    af = pdf.catalog.get("AF")
    if af:
        af[:] = list(dict.fromkeys(af))


def write(doc: Document, profile, path: Path, options: WriteOptions | None = None) -> Written:
    """Render the whole package to PDF, then (only then) write it to `path` atomically."""
    options = options or WriteOptions()
    fonts = Fonts(tuple(options.font_dirs))
    override = doc.templates.get("pdf")
    ignored: list[str] = []
    data, pages, count = render_pdf(doc, Path(override) if override else None, fonts=fonts,
                                    min_scale=profile.table_scale_min if profile is not None else 0.7, warnings=ignored,
                                    laid_out=options.laid_out)
    write_atomically(path, data)
    return Written(list(dict.fromkeys(fonts.warnings + ignored)), pages, count)


__all__ = ["write", "render_html", "render_pdf", "TemplateDirFetcher", "RefusedURL"]
