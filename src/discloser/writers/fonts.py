"""Fonts of the PDF: the profile names families by role, the PDF uses the first one installed.

Profiles list families per role (title, heading, body, table) in order of preference, e.g.
``body: "仿宋_GB2312, 仿宋, FangSong, Noto Serif CJK SC"``. Fontconfig is asked which families it
really has (every localized name counts: 仿宋 and FangSong are the same font): an unknown name
would otherwise be silently replaced by fontconfig with some Latin font. The CSS family list keeps
the installed names in the profile's order and always ends in the Noto CJK family installed with
the project (fonts-noto-cjk), so no glyph falls to tofu. When a role's first choice is missing,
`Fonts.css` reports it once (the build prints it): a clerk then knows the PDF was not set in 仿宋_GB2312.

`--font-dir DIR` adds every font file under DIR to the fontconfig configuration WeasyPrint lays
out with (the fonts clerks have on Windows: 仿宋_GB2312, 方正小标宋 …). Word and Excel only name the
fonts; the reader's machine supplies them.

This uses WeasyPrint's own fontconfig binding (`weasyprint.text.ffi`) and the configuration held
by its `FontConfiguration` (`_config`): the only way to add fonts to exactly the configuration the
layout uses, without touching the user's fontconfig setup or the process environment.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup
from weasyprint.text.ffi import ffi, fontconfig, pangoft2
from weasyprint.text.fonts import FontConfiguration

SERIF_FALLBACK = "Noto Serif CJK SC"
SANS_FALLBACK = "Noto Sans CJK SC"
# The forms' check marks (☑ ☒ ✓): Noto CJK has □ but not ☑, which fell to whatever font the machine had
# (LibreOffice's OpenSymbol here; tofu on a server without it). Shipped with the package, last in every list.
MARKS_FAMILY = "Discloser Marks"
MARKS_FILE = Path(__file__).resolve().parent.parent / "fonts" / "discloser-marks.ttf"
# role -> (its name in messages, fallback family, generic family)
ROLES = {
    "title": ("标题", SERIF_FALLBACK, "serif"),
    "heading": ("小标题", SANS_FALLBACK, "sans-serif"),
    "body": ("正文", SERIF_FALLBACK, "serif"),
    "table": ("表格", SERIF_FALLBACK, "serif"),
}
FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc"}
GENERIC = {"serif", "sans-serif", "monospace"}


def family_names(spec: str) -> list[str]:
    """The family names of a profile's list, each reduced to letters, digits, spaces, '_' and '-'
    (so that nothing can close a CSS declaration or the style element)."""
    names: list[str] = []
    for raw in (spec or "").split(","):
        name = re.sub(r"[^\w \-]", "", raw, flags=re.UNICODE).strip()
        if name and name not in names and name.lower() not in GENERIC:
            names.append(name)
    return names


def font_files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).rglob("*") if p.suffix.lower() in FONT_SUFFIXES and p.is_file())


class FolderFontConfiguration(FontConfiguration):
    """WeasyPrint's font configuration (the system's fonts) plus every font file of some folders."""

    def __init__(self, folders: tuple[Path, ...] = ()):
        super().__init__()
        self.added: list[Path] = []
        for path in [MARKS_FILE, *(p for folder in folders for p in font_files(folder))]:
            if fontconfig.FcConfigAppFontAddFile(self._config, str(path).encode()):
                self.added.append(path)
        if self.added:
            pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", self.font_map))

    def families(self) -> frozenset[str]:
        """Every family name (all localized names) of the fonts this configuration holds."""
        names: set[str] = set()
        value = ffi.new("FcChar8 **")
        for which in (fontconfig.FcSetSystem, fontconfig.FcSetApplication):
            fonts = fontconfig.FcConfigGetFonts(self._config, which)
            if fonts == ffi.NULL:
                continue
            for i in range(fonts.nfont):
                n = 0
                while fontconfig.FcPatternGetString(fonts.fonts[i], b"family", n, value) == fontconfig.FcResultMatch:
                    names.add(ffi.string(value[0]).decode("utf-8", "replace").strip())
                    n += 1
        return frozenset(names)


@dataclass
class Fonts:
    """Resolves the profile's family lists against the fonts really available to the PDF."""

    folders: tuple[Path, ...] = ()
    config: FolderFontConfiguration = field(init=False)
    installed: frozenset[str] = field(init=False)
    warnings: list[str] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.config = FolderFontConfiguration(tuple(Path(f) for f in self.folders))
        self.installed = self.config.families()
        for folder in self.folders:
            if not font_files(folder):
                self.warnings.append(f"字体文件夹 {folder} 中没有字体文件（.ttf / .otf / .ttc），未添加任何字体")

    def css(self, spec: str, role: str) -> Markup:
        """The CSS font-family value of one role: installed names in the profile's order, then the
        Noto CJK fallback and the generic family. Warns (once per call, i.e. per role) when the
        profile's first choice is not installed."""
        label, fallback, generic = ROLES.get(role, ("正文", SERIF_FALLBACK, "serif"))
        wanted = family_names(spec)
        names = [n for n in wanted if n in self.installed]
        if fallback not in names:
            names.append(fallback)
        if wanted and wanted[0] != names[0]:
            self.warnings.append(f"PDF 字体：{label}字体“{wanted[0]}”未安装，改用“{names[0]}”"
                                 f"（可用 --font-dir 指定含该字体的文件夹）")
        return Markup(", ".join(f'"{n}"' for n in [*names, MARKS_FAMILY]) + f", {generic}")

    def families_css(self, fonts: dict[str, str]) -> dict[str, Markup]:
        return {role: self.css(fonts.get(role, ""), role) for role in ROLES}
