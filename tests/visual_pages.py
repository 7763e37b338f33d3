"""Page images of the examples, for the visual regression test and `scripts/update-visual-references`.

Every example (examples/*.yaml) is built in all three formats; the PDF's pages are rendered
directly (pdftoppm), the Word and Excel files after LibreOffice converts them to PDF — the closest
we can get to what a reader sees. Pages are rendered at a low resolution in grey: enough to see a
moved row, a column of another width, a table that changed orientation or a page that appeared or
disappeared; small enough to commit (a few kB a page).

A page matches its reference when at most `BUDGET` of its pixels changed by more than
`THRESHOLD` grey levels (anti-aliasing and a changed digit stay under it; a layout change does not).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REFERENCES = Path(__file__).resolve().parent / "visual"
FAILURES = REFERENCES / "_failures"          # diff images of the last failed run (not committed)
DPI = 24
THRESHOLD = 64                               # grey levels (of 255) a pixel must change by to count
BUDGET = 0.01                                # share of a page's pixels that may change
FORMATS = ("pdf", "docx", "xlsx")


def examples() -> list[Path]:
    return sorted(EXAMPLES.glob("*.yaml"))


def _pdftoppm(pdf: Path, prefix: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(pdf), str(prefix)], check=True,
                   capture_output=True, timeout=300)
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"))


def _to_pdf(files: list[Path], out: Path, profile_dir: Path) -> None:
    subprocess.run(["soffice", f"-env:UserInstallation={profile_dir.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *map(str, files)], check=True, capture_output=True, timeout=600)


def render(example: Path, work: Path) -> dict[str, list[Image.Image]]:
    """Build `example` and return each format's pages as grey images."""
    out = work / example.stem
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    subprocess.run([sys.executable, "-m", "discloser.cli", "build", str(example), "-o", str(out)], check=True,
                   capture_output=True, timeout=600, env=env)
    pages: dict[str, list[Image.Image]] = {}
    for fmt in FORMATS:
        source = next(out.glob(f"*.{fmt}"))
        pdf = source
        if fmt != "pdf":
            converted = work / f"{example.stem}-{fmt}"
            converted.mkdir(exist_ok=True)
            _to_pdf([source], converted, work / "lo-profile")
            pdf = next(converted.glob("*.pdf"))
        images = work / f"{example.stem}-{fmt}-png"
        images.mkdir(exist_ok=True)
        pages[fmt] = [Image.open(p).convert("L") for p in _pdftoppm(pdf, images / "p")]
    return pages


def reference_paths(example: Path, fmt: str) -> list[Path]:
    return sorted((REFERENCES / example.stem).glob(f"{fmt}-*.png"))


def save_references(example: Path, pages: dict[str, list[Image.Image]]) -> list[Path]:
    folder = REFERENCES / example.stem
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    written = []
    for fmt, images in pages.items():
        for n, image in enumerate(images, 1):
            path = folder / f"{fmt}-{n:03d}.png"
            image.save(path, optimize=True)
            written.append(path)
    return written


@dataclass
class Mismatch:
    page: str
    changed: float            # share of pixels changed
    diff: Path | None = None  # the saved diff image

    def __str__(self) -> str:
        where = f"（差异图：{self.diff}）" if self.diff else ""
        return f"{self.page}: {self.changed:.2%} 的像素变了{where}"


def changed_share(a: Image.Image, b: Image.Image) -> float:
    if a.size != b.size:
        return 1.0
    diff = ImageChops.difference(a, b).point(lambda v: 255 if v > THRESHOLD else 0)
    return diff.histogram()[255] / (a.size[0] * a.size[1])


def diff_image(reference: Image.Image, actual: Image.Image) -> Image.Image:
    """The reference in grey with changed pixels in red (sizes differ: side by side)."""
    if reference.size != actual.size:
        canvas = Image.new("RGB", (reference.width + actual.width + 4, max(reference.height, actual.height)), "red")
        canvas.paste(reference.convert("RGB"), (0, 0))
        canvas.paste(actual.convert("RGB"), (reference.width + 4, 0))
        return canvas
    mask = ImageChops.difference(reference, actual).point(lambda v: 255 if v > THRESHOLD else 0)
    base = Image.blend(reference.convert("RGB"), actual.convert("RGB"), 0.5)
    base.paste(Image.new("RGB", base.size, (230, 0, 0)), mask=mask)
    return base


def compare(example: Path, pages: dict[str, list[Image.Image]]) -> list[Mismatch]:
    """Every page that differs from its reference beyond the budget (diff images saved under FAILURES)."""
    problems: list[Mismatch] = []
    for fmt, images in pages.items():
        refs = reference_paths(example, fmt)
        if len(refs) != len(images):
            problems.append(Mismatch(f"{example.stem} {fmt}：页数 {len(images)}，参考图 {len(refs)} 页", 1.0))
        for n, (ref_path, image) in enumerate(zip(refs, images), 1):
            reference = Image.open(ref_path).convert("L")
            share = changed_share(reference, image)
            if share > BUDGET:
                target = FAILURES / example.stem / f"{fmt}-{n:03d}-diff.png"
                target.parent.mkdir(parents=True, exist_ok=True)
                diff_image(reference, image).save(target)
                problems.append(Mismatch(f"{example.stem} {fmt} 第 {n} 页", share, target))
    return problems


def work_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="discloser-visual-"))
