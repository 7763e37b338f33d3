"""PDF writer: the Document → sandboxed Jinja2 HTML → WeasyPrint.

User text never becomes markup (autoescape, sandbox) and the document can fetch nothing but
the template folder's own files (no network, no arbitrary file access). Fonts come from the
profile's family lists, ending in the Noto CJK fonts installed by the project's setup, which
WeasyPrint subsets and embeds. Output is byte-identical for the same input: fixed dates, and
WeasyPrint derives the PDF identifier from the content.
"""
from __future__ import annotations

import os
import re
import subprocess
from functools import lru_cache
from datetime import datetime, timezone
from pathlib import Path

from jinja2 import FileSystemLoader, select_autoescape
from markupsafe import Markup
from jinja2.sandbox import SandboxedEnvironment

from ..resources import templates_dir
from ..tables.model import Document

FALLBACK_SERIF = "Noto Serif CJK SC"
FALLBACK_SANS = "Noto Sans CJK SC"


def timestamp() -> str:
    """Fixed document date: SOURCE_DATE_EPOCH if set (reproducible builds), else 2000-01-01."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "946684800"))
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=1)
def installed_families() -> frozenset[str] | None:
    """Font families fontconfig knows; None when it cannot be asked (then every name is kept)."""
    try:
        out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def _family(spec: str, fallback: str) -> Markup:
    """A CSS font-family list from the profile's names, keeping only installed fonts (fontconfig would
    otherwise substitute an arbitrary Latin font for a missing 仿宋_GB2312), ending in the Noto CJK
    fallback. Sanitized: it is written into a <style>."""
    names = [re.sub(r"[^\w\s\-]", "", n).strip() for n in spec.split(",")] if spec else []
    have = installed_families()
    names = [n for n in names if n and (have is None or n in have)]
    if fallback not in names:
        names.append(fallback)
    return Markup(", ".join(f'"{n}"' for n in names) + (", serif" if fallback == FALLBACK_SERIF else ", sans-serif"))


def _fonts(doc: Document) -> dict[str, Markup]:
    f = doc.fonts
    return {"title": _family(f.get("title", ""), FALLBACK_SERIF), "heading": _family(f.get("heading", ""), FALLBACK_SANS),
            "body": _family(f.get("body", ""), FALLBACK_SERIF), "table": _family(f.get("table", ""), FALLBACK_SERIF)}


def render_html(doc: Document, template_dir: Path | None = None, *, department_label: str = "部门（单位）名称") -> str:
    folder = template_dir or templates_dir() / "html"
    env = SandboxedEnvironment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(default=True, default_for_string=True))
    doc_view = _DocView(doc, department_label)
    return env.get_template("package.html.j2").render(doc=doc_view, fonts=_fonts(doc), stamp=timestamp())


class _DocView:
    """The Document plus the profile's department label, as the template sees it."""

    def __init__(self, doc: Document, department_label: str):
        self._doc = doc
        self.department_label = department_label

    def __getattr__(self, name: str):
        return getattr(self._doc, name)


def url_fetcher_for(folder: Path):
    """A fetcher that serves only files inside the template folder; network and other paths are refused."""
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    root = folder.resolve()

    class TemplateOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if root in path.parents:
                    return super().fetch(url, headers)
            raise ValueError(f"已拒绝访问外部资源：{url}")

    return TemplateOnlyFetcher(allowed_protocols={"file"}, allow_redirects=False)


def write(doc: Document, path: Path, *, template_dir: Path | None = None, department_label: str = "部门（单位）名称") -> None:
    from weasyprint import HTML

    folder = (template_dir or templates_dir() / "html").resolve()
    html = render_html(doc, folder, department_label=department_label)
    pdf = HTML(string=html, base_url=str(folder) + "/", url_fetcher=url_fetcher_for(folder)).write_pdf(
        uncompressed_pdf=False, pdf_identifier=doc.filename.encode("utf-8"))
    Path(path).write_bytes(pdf)
