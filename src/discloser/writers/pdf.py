"""PDF writer: Document → sandboxed Jinja2 HTML → WeasyPrint → PDF.

The writer only lays out: every figure is printed from `cell.text`, never computed or formatted.

Safety. The HTML comes from an (immutable) `SandboxedEnvironment` with autoescape always on, so text from the
data file (names, reasons, narrative) can never become markup, script or a resource reference.
WeasyPrint gets a URL fetcher that serves only the files of the template folder (and `data:` URIs):
network, `file:` paths outside the folder and every other scheme are refused.

Fonts. The profile's family lists (`doc.fonts`: title, heading, body, table) are reduced to the
families fontconfig actually has — an unknown name such as 仿宋_GB2312 would otherwise be
substituted by fontconfig with a Latin font (DejaVu) — and always end in the Noto CJK family
installed with the project (fonts-noto-cjk), so no glyph falls to tofu. WeasyPrint embeds subsets.

Reproducibility. The same Document gives the same bytes: creation/modification dates are fixed
(SOURCE_DATE_EPOCH if set, else 2000-01-01), the PDF /ID is an MD5 of the content (pydyf), font
subset tags are content hashes, and no other date or random value is written.

Templates. `package.html.j2` and `package.css` in `resources.template("html")`; a province can pass
its own `template_dir` holding either or both (a missing file falls back to the packaged one).
"""
from __future__ import annotations

import mimetypes
import os
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..resources import template
from ..tables.model import Document, Kind, Row, RowKind, Section, Table

TEMPLATE = "package.html.j2"
STYLESHEET = "package.css"
SERIF_FALLBACK = "Noto Serif CJK SC"
SANS_FALLBACK = "Noto Sans CJK SC"
# role -> (fallback family, generic family)
FONT_ROLES = {
    "title": (SERIF_FALLBACK, "serif"),
    "heading": (SANS_FALLBACK, "sans-serif"),
    "body": (SERIF_FALLBACK, "serif"),
    "table": (SERIF_FALLBACK, "serif"),
}
DEFAULT_EPOCH = 946684800  # 2000-01-01T00:00:00Z
DENSE_COLUMNS = 10         # tables with more columns get the smallest type size


def default_template_dir() -> Path:
    return template("html")


# --------------------------------------------------------------------------- fonts


@lru_cache(maxsize=1)
def installed_families() -> frozenset[str] | None:
    """Font families fontconfig knows (every localized name); None if fontconfig cannot be asked."""
    try:
        out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    names = frozenset(n.strip() for line in out.splitlines() for n in line.split(",") if n.strip())
    return names or None


def css_font_family(spec: str, role: str) -> Markup:
    """A CSS font-family value for one role, safe to put in a <style> element.

    Names are reduced to letters, digits, spaces, '_' and '-' (so nothing can close the style
    element or the declaration), kept only when installed, and the Noto CJK fallback and the
    generic family always end the list.
    """
    fallback, generic = FONT_ROLES.get(role, (SERIF_FALLBACK, "serif"))
    have = installed_families()
    names: list[str] = []
    for raw in (spec or "").split(","):
        name = re.sub(r"[^\w \-]", "", raw, flags=re.UNICODE).strip()
        if name and name not in names and name.lower() not in {"serif", "sans-serif", "monospace"} \
                and (have is None or name in have):
            names.append(name)
    if fallback not in names:
        names.append(fallback)
    return Markup(", ".join(f'"{n}"' for n in names) + f", {generic}")


def font_families(doc: Document) -> dict[str, Markup]:
    return {role: css_font_family(doc.fonts.get(role, ""), role) for role in FONT_ROLES}


# --------------------------------------------------------------------------- dates


def fixed_timestamp() -> str:
    """W3C date for the PDF metadata: SOURCE_DATE_EPOCH if set (reproducible builds), else 2000-01-01."""
    try:
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    except ValueError:
        epoch = DEFAULT_EPOCH
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------- view model


@dataclass(frozen=True)
class TableView:
    table: Table
    id: str
    widths: tuple[str, ...]   # CSS percentages for <col>: Column.width, widened where figures need it
    dense: bool               # > DENSE_COLUMNS columns: smallest type size
    font_size: str            # CSS font size of the grid (10/9 pt portrait, 9/8 landscape, 8 dense)
    title_size: str           # CSS font size that keeps the title on one line where possible
    in_contents: bool = True  # listed in the 目录 page (a run of same-key tables is listed once)


@dataclass(frozen=True)
class SectionView:
    section: Section
    id: str
    tag: str                  # h1..h4


# Page geometry and type sizes assumed by the column fitting; they mirror package.css (a province
# stylesheet with other sizes only makes the fitting approximate: cells still wrap, never overflow).
CONTENT_WIDTH_PT = {"portrait": 156 / 25.4 * 72, "landscape": 247 / 25.4 * 72}
TABLE_FONT_SIZES_PT = {"portrait": (10.0, 9.0, 8.0), "landscape": (9.0, 8.0), "dense": (8.0,)}
CELL_PADDING_PT = 6.5         # left + right padding and borders of a cell
TITLE_SIZES_PT = (16, 15, 14, 13)
NOWRAP_KINDS = {Kind.money, Kind.percent, Kind.code}


def _text_em(text: str, bold: bool = False) -> float:
    """Approximate advance of `text` in em, a little generous (measured on Noto CJK: digits 0.56,
    ',' and '.' 0.32, CJK 1; bold +6 %)."""
    em = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.33 if ch in ",.:;'!|" else 0.6 for ch in text)
    return em * (1.08 if bold else 1.02)


def _placed(rows: list[Row]):
    """(column index, cell, row) for every cell, following the HTML grid (rowspans cover later rows)."""
    covered: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(rows):
        col = 0
        for cell in row.cells:
            while covered.get((r, col)):
                col += 1
            yield col, cell, row
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    covered[(r + dr, col + dc)] = True
            col += cell.colspan


def _col_widths(table: Table, orientation: str, font_pt: float) -> tuple[str, ...]:
    """Column shares proportional to Column.width, except that a figure or code column gets at least
    the width its longest single-column entry needs, so amounts never break across lines."""
    n = len(table.columns)
    if not n:
        return ()
    raw = [max(float(c.width), 0.0) for c in table.columns]
    total = sum(raw) or float(n)
    share = [(w or total / n) / total for w in raw] if sum(raw) else [1.0 / n] * n
    avail_em = CONTENT_WIDTH_PT[orientation] / font_pt
    need = [0.0] * n
    for col, cell, row in _placed(table.body):
        if cell.colspan == 1 and col < n and cell.text and (cell.kind in NOWRAP_KINDS or table.columns[col].kind in NOWRAP_KINDS):
            bold = cell.bold or row.kind == RowKind.total
            need[col] = max(need[col], (_text_em(cell.text, bold) + CELL_PADDING_PT / font_pt) / avail_em)
    if sum(need) < 1:
        fixed = [i for i in range(n) if need[i] > share[i]]
        while fixed:
            free = [i for i in range(n) if i not in fixed]
            room = 1 - sum(need[i] for i in fixed)
            free_total = sum(share[i] for i in free)
            if not free or free_total <= 0:   # every column holds figures: share out what is left
                share = [need[i] + room / n for i in range(n)]
                break
            scaled = {i: share[i] * room / free_total for i in free}
            more = [i for i in free if need[i] > scaled[i]]
            if not more:
                share = [need[i] if i in fixed else scaled[i] for i in range(n)]
                break
            fixed += more
    return tuple(f"{100 * w:.3f}%" for w in share)


def _fit_size(text: str, sizes: tuple[float, ...], orientation: str = "portrait", bold: bool = False) -> str:
    """The largest of `sizes` that keeps `text` on one line, else the second smallest (it wraps)."""
    width = _text_em(text, bold)
    for size in sizes:
        if width * size <= CONTENT_WIDTH_PT[orientation]:
            return f"{size:g}pt"
    return f"{sizes[-2] if len(sizes) > 1 else sizes[-1]:g}pt"


def _title_size(title: str, orientation: str) -> str:
    return _fit_size(title, TITLE_SIZES_PT, orientation, bold=True)


def _cover_title_lines(doc: Document) -> list[str]:
    """The cover title, broken after the organization name when it starts with it."""
    org = doc.organization.strip()
    if org and doc.title.startswith(org) and doc.title[len(org):].strip():
        return [org, doc.title[len(org):].strip()]
    return [doc.title]


def _squeeze(table: Table, widths: tuple[str, ...]) -> float:
    """How much of their nominal width the text columns keep after fitting (1 = all of it)."""
    total = sum(max(float(c.width), 0.0) for c in table.columns) or 1.0
    kept = [float(w[:-1]) / 100 / (c.width / total) for w, c in zip(widths, table.columns)
            if c.kind not in NOWRAP_KINDS and c.width > 0]
    return min(kept, default=1.0)


def _table_view(table: Table, ident: str, in_contents: bool = True) -> TableView:
    """Type size and column widths of one table: the largest allowed size at which the figures fit
    without taking more than 15 % of the text columns' share (else the smallest size)."""
    orientation = "landscape" if table.landscape else "portrait"
    dense = table.column_count() > DENSE_COLUMNS
    for font_pt in TABLE_FONT_SIZES_PT["dense" if dense else orientation]:
        widths = _col_widths(table, orientation, font_pt)
        if _squeeze(table, widths) >= 0.85:
            break
    return TableView(table, ident, widths, dense, f"{font_pt:g}pt",
                     _title_size(table.title, orientation), in_contents)


def _table_ids(tables: list[Table]) -> list[str]:
    ids: list[str] = []
    for i, t in enumerate(tables, 1):
        base = f"tbl-{t.anchor}" if re.fullmatch(r"[A-Za-z][\w\-]*", t.anchor or "") else f"tbl-{i}"
        ident, n = base, 2
        while ident in ids:
            ident, n = f"{base}-{n}", n + 1
        ids.append(ident)
    return ids


def _environment(folder: Path) -> SandboxedEnvironment:
    loaders = [FileSystemLoader(str(folder))]
    packaged = default_template_dir()
    if packaged.resolve() != folder.resolve():
        loaders.append(FileSystemLoader(str(packaged)))
    # Immutable sandbox: a (province) template can neither reach Python internals nor modify the
    # Document that the other writers share.
    return ImmutableSandboxedEnvironment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                                         trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render_html(doc: Document, template_dir: Path | None = None, *,
                department_label: str | None = None) -> str:
    """The package as one HTML page for WeasyPrint (print CSS: named pages, counters, bookmarks)."""
    folder = Path(template_dir) if template_dir else default_template_dir()
    sections = [SectionView(s, f"sec-{i}", f"h{min(max(s.level, 1), 4)}") for i, s in enumerate(doc.sections, 1)]
    tables = [_table_view(t, ident, i == 0 or t.key != doc.tables[i - 1].key)
              for i, (t, ident) in enumerate(zip(doc.tables, _table_ids(doc.tables)))]
    cover_lines = _cover_title_lines(doc)
    sizes = {
        "cover_title": _fit_size(max(cover_lines, key=_text_em), (26, 24, 22, 20)),
        "cover_subtitle": _fit_size(doc.subtitle, (22, 20, 18, 16)),
        "tables_title": _fit_size(doc.tables_title, (22, 20, 18, 16)),
    }
    return _environment(folder).get_template(TEMPLATE).render(
        doc=doc, sections=sections, tables=tables, toc=_table_view(doc.toc, "tbl-toc"),
        cover_lines=cover_lines, sizes=sizes,
        fonts=font_families(doc), stamp=fixed_timestamp(), department_label=department_label or doc.department_label,
        stylesheet=_stylesheet(folder),
    )


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


def render_pdf(doc: Document, template_dir: Path | None = None, *,
               department_label: str | None = None) -> bytes:
    folder = (Path(template_dir) if template_dir else default_template_dir()).resolve()
    html = render_html(doc, folder, department_label=department_label)
    fetcher = url_fetcher_for(folder)
    font_config = FontConfiguration()
    return HTML(string=html, base_url=folder.as_uri() + "/", url_fetcher=fetcher).write_pdf(
        font_config=font_config, pdf_identifier=True)


def write(doc: Document, path: Path, *, template_dir: Path | None = None,
          department_label: str | None = None) -> None:
    """Render the whole package to PDF, then (only then) write it to `path` atomically."""
    data = render_pdf(doc, template_dir, department_label=department_label)
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
