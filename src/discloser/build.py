"""`discloser build`: validate, derive the Document once, then let each writer lay it out.

Output is written into a temporary folder beside the destination and moved into place only
when every requested format has been written, so a failure never leaves a partial package.

Order and parallelism. The PDF is the slow format (WeasyPrint layout). When the machine has a second core
it is written in a second process, started before the input is read (it imports WeasyPrint meanwhile),
while Excel (and json) are written here; the Word file is written once the PDF is laid out, because its
TOC field is pre-filled with the page numbers of the PDF of the same build — the PDF's process says them
before it writes its file (`_PdfProcess`). A build without a PDF writes a Word TOC without page numbers
(Word fills them in when it updates the field on opening the file).

The canonical input's bytes and name go into the Document (`source_bytes`, `source_name`): the PDF
attaches them (PDF/A-3), so the published PDF is an archive of its own data.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import errno
import importlib
import multiprocessing
import os
import shutil
import signal
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .lint import check_document
from .package import build_document
from .problems import Location, Problem
from .templating import TemplateFailure
from .validate import Loaded, load
from .writers import WRITERS, WriteOptions, Written

FORMATS = ("docx", "xlsx", "pdf")     # written when no --formats is given
ALL_FORMATS = tuple(WRITERS)          # every format a build can write (json: the Document itself)


@dataclass
class BuildResult:
    loaded: Loaded
    written: list[Path] = field(default_factory=list)
    refused: bool = False
    warnings: list[str] = field(default_factory=list)   # from the writers (e.g. a font fell back), once each
    counts: dict[Path, int | None] = field(default_factory=dict)   # written file -> its pages, tables or sheets


def font_dir(value: str) -> Path:
    """argparse type of --font-dir: an existing folder."""
    path = Path(value).expanduser()
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"字体文件夹不存在：{value}")
    return path


def _child_signals() -> None:
    """A worker process stops when its parent says so. The parent handles Ctrl+C (the terminal sends it to every
    process of the group) and, interrupted or terminated, ends its pool (`Pool.terminate`: SIGTERM to each
    worker) — no traceback, no orphan holding the caller's terminal (trial A D5). SIGTERM keeps its default
    action, death by the kernel: a Python handler runs only when the signal reaches the main thread, and a worker
    with a library's threads sometimes got it on another, its main thread blocked waiting for work — the pool
    waited for it forever and the batch never ended (trialG-s28 D2). What a killed worker staged is removed by
    whoever owns the folder: the build that made the stage (one department's PDF), or `build_many`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _write_one(doc, profile, fmt: str, target: Path, options: WriteOptions) -> Written:
    return WRITERS[fmt](doc, profile, target, options)


_PAGES_OUT = None     # in the PDF's process: where it says the outline's pages (`_PdfProcess`)


def _pdf_child(pages_out) -> None:
    """The PDF's process starts: WeasyPrint imported now (≈ 0.5 s), while the build validates and derives."""
    global _PAGES_OUT
    _child_signals()
    _PAGES_OUT = pages_out
    importlib.import_module(".writers.pdf", __package__)


def _say_pages(pages: dict[str, int]) -> None:
    _PAGES_OUT.send(pages)


def _write_pdf_there(doc, profile, target: Path, options: WriteOptions) -> Written:
    return _write_one(doc, profile, "pdf", target, dataclasses.replace(options, laid_out=_say_pages))


class _PdfProcess:
    """The PDF written in a second process, started before the input is read: it imports WeasyPrint while this
    process validates and derives, and it says the pages of the outline as soon as its layout is done — writing the
    file is a third of its time — so that Word, whose 目录 shows those pages, is written meanwhile. Leaving the
    `with` ends the process (`Pool.__exit__` terminates it), whatever happened."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self.pages_in, pages_out = context.Pipe(duplex=False)
        self.pool = context.Pool(1, initializer=_pdf_child, initargs=(pages_out,))
        self.pending = None

    def __enter__(self) -> "_PdfProcess":
        return self

    def __exit__(self, *exc) -> None:
        self.pool.__exit__(*exc)
        self.pages_in.close()

    def start(self, doc, profile, target: Path, options: WriteOptions) -> None:
        self.pending = self.pool.apply_async(_write_pdf_there, (doc, profile, target, options))

    def pages(self) -> dict[str, int]:
        """The outline's pages, once laid out; a failure of the writer is raised here."""
        while not self.pages_in.poll(0.05):
            if self.pending.ready():
                return self.pending.get().page_numbers
        return self.pages_in.recv()

    def written(self) -> Written:
        return self.pending.get()   # re-raises a failure of the PDF writer here


def _pdf_process(formats: tuple[str, ...], parallel: bool) -> _PdfProcess | contextlib.nullcontext:
    """A second process for the PDF when there is one, a second core, and fork (not for a batch worker, which is a
    process already, nor the preview, whose server has threads)."""
    if parallel and "pdf" in formats and (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
        return _PdfProcess()
    return contextlib.nullcontext()


def _write_all(doc, profile, jobs: list[tuple[str, Path]], options: WriteOptions,
               progress: Callable[[str], None] = lambda step: None, pdf: _PdfProcess | None = None) -> dict[str, Written]:
    """Write every format (see the module docstring for the order); what each writer returned, by format."""
    targets = dict(jobs)
    done: dict[str, Written] = {}
    rest = [(fmt, target) for fmt, target in jobs if fmt not in ("pdf", "docx")]
    if "pdf" in targets and pdf is not None:
        pdf.start(doc, profile, targets["pdf"], options)
    elif "pdf" in targets:
        done["pdf"] = _write_one(doc, profile, "pdf", targets["pdf"], options)
        progress("pdf")
    for fmt, target in rest:
        done[fmt] = _write_one(doc, profile, fmt, target, options)
        progress(fmt)
    if "docx" in targets:
        pages = pdf.pages() if pdf is not None else done["pdf"].page_numbers if "pdf" in done else {}
        done["docx"] = _write_one(doc, profile, "docx", targets["docx"], dataclasses.replace(options, page_numbers=pages))
        progress("docx")
    if pdf is not None:
        done["pdf"] = pdf.written()
        progress("pdf")
    return done


def build(path: str | Path, out_dir: str | Path, formats: tuple[str, ...] = FORMATS, *, strict: bool = False,
          profile: str | None = None, catalog_dir: str | Path | None = None, font_dirs: tuple[Path, ...] = (),
          progress: Callable[[str], None] | None = None, parallel: bool = True) -> BuildResult:
    """Validate, derive, self-check, write. `progress` (for the command line's display) is called with
    "validate", "document" and each format's name as that step finishes.

    After the Document is derived, `lint.check_document` compares the 说明's figures with the tables
    (warnings ``lint.narrative-figures``, added to the problems; with `strict` they refuse the build like
    every warning). Nothing is written outside `out_dir`: the file names come from `safe_filename`, and
    each target is checked to lie directly in `out_dir` and not to be the input file before anything is
    moved there. `parallel=False` writes the PDF in this process (batch workers are processes already)."""
    with _pdf_process(formats, parallel) as pdf:
        return _build(path, out_dir, formats, strict, profile, catalog_dir, font_dirs, progress or (lambda step: None),
                      pdf)


def _build(path, out_dir, formats, strict, profile, catalog_dir, font_dirs, progress, pdf) -> BuildResult:
    loaded = load(path, profile, catalog_dir)
    progress("validate")
    blocking = loaded.errors + (loaded.warnings if strict else [])
    if blocking or loaded.budget is None:
        return BuildResult(loaded, refused=True)
    prof = loaded.profile
    source = Path(path).resolve()
    try:
        document = build_document(loaded.budget, prof, loaded.catalog)
    except TemplateFailure as e:   # a 说明 template's mistake (unknown name, sandbox refusal …), located in it
        loaded.problems.extend(e.problems)
        return BuildResult(loaded, refused=True)
    doc = dataclasses.replace(document, source_name=source.name, source_bytes=source.read_bytes())
    found = check_document(doc, loaded.budget, str(path), prof)
    loaded.problems.extend(found)
    progress("document")
    if strict and any(p.severity != "notice" for p in found):
        return BuildResult(loaded, refused=True)
    out = Path(out_dir)
    targets = [out / f"{doc.filename}.{fmt}" for fmt in formats]
    refusal = _unsafe_targets(str(path), source, out, targets)
    if refusal:
        loaded.problems.append(refusal)
        return BuildResult(loaded, refused=True)
    created = _missing_folders(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        _remove_empty(created)
        loaded.problems.append(Problem("build.output", "error", f"无法创建输出文件夹 {out}（{os_reason(e)}）",
                                       (Location(str(out)),)))
        return BuildResult(loaded, refused=True)
    _sweep(out)
    stage = Path(tempfile.mkdtemp(prefix=f"{STAGE}{os.getpid()}-", dir=out))
    written: list[Path] = []
    try:
        staged = [stage / target.name for target in targets]
        done = _write_all(doc, prof, list(zip(formats, staged)), WriteOptions(font_dirs=tuple(font_dirs)), progress,
                          pdf)
        try:
            for f, final in zip(staged, targets):
                os.replace(f, final)
                written.append(final)
        except OSError:
            for f in written:   # all or nothing: the files already moved go too
                f.unlink(missing_ok=True)
            written.clear()
            raise
        warnings = list(dict.fromkeys(w for fmt in formats for w in done[fmt].warnings))
        return BuildResult(loaded, written, warnings=warnings, counts={t: done[fmt].count for fmt, t in zip(formats, targets)})
    except TemplateFailure as e:   # the PDF's template: its mistake, located in it; nothing written
        loaded.problems.extend(e.problems)
        return BuildResult(loaded, refused=True)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        if not written:   # a failed build leaves no folder that was not there before
            _remove_empty(created)


STAGE = ".discloser-"      # the staging folder's prefix: .discloser-<pid>-<random>


def _sweep(out: Path) -> None:
    """Remove staging folders left in `out` by builds that can no longer finish — their process is gone
    (killed with SIGKILL, or the machine stopped) — never one of a build still running beside this one."""
    for stale in out.glob(f"{STAGE}*-*"):
        pid = stale.name[len(STAGE):].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
        except OSError:      # another user's live process: not ours to judge
            pass


OS_REASONS = {errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.EROFS: "所在磁盘只读",
              errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "磁盘配额已满", errno.ENOTDIR: "路径中有一项是文件，不是文件夹",
              errno.ENAMETOOLONG: "路径太长", errno.ENOENT: "路径不存在", errno.EEXIST: "同名文件已存在"}


def os_reason(e: OSError) -> str:
    """An OS error in Chinese, for a clerk: the system's text is English (trialG-s28 D5, D6)."""
    return OS_REASONS.get(e.errno, f"系统错误 {errno.errorcode.get(e.errno, e.errno)}")


def output_problem(out: str | Path) -> str | None:
    """Why the output folder cannot be written, in Chinese — checked once before anything is built, by writing
    (a permission bit says nothing for root, an immutable folder refuses even root); None when it can be.
    A single build said “生成失败（PermissionError: …）”, a batch the system's English once per department."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        return f"输出位置 {out} 是一个文件，不是文件夹：请另选输出文件夹"
    existing = next((f for f in (out, *out.parents) if f.exists() or f.is_symlink()), Path("."))
    if not existing.is_dir():
        return f"无法创建输出文件夹 {out}：{existing} 是一个文件，不是文件夹"
    try:
        Path(tempfile.mkdtemp(prefix=f"{STAGE}{os.getpid()}-", dir=existing)).rmdir()
    except OSError as e:
        if existing == out:
            return f"无法写入输出文件夹 {out}（{os_reason(e)}）"
        return f"无法创建输出文件夹 {out}（{existing}：{os_reason(e)}）"
    return None


def _missing_folders(out: Path) -> list[Path]:
    """The folders `out.mkdir(parents=True)` would create, innermost first."""
    missing = []
    for folder in (out, *out.parents):
        if folder.exists() or folder.is_symlink():
            break
        missing.append(folder)
    return missing


def _remove_empty(folders: list[Path]) -> None:
    """Remove the folders this build created (innermost first) that are still empty."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:   # not empty (something else wrote there meanwhile) or already gone
            return


def _unsafe_targets(shown: str, source: Path, out: Path, targets: list[Path]) -> Problem | None:
    """A refusal when an output would not land directly in `out` (a name that escaped `safe_filename`)
    or would replace the input file; None when every target is safe."""
    if out.exists() and not out.is_dir():
        return Problem("build.output", "error", f"输出位置 {out} 是一个文件，不是文件夹：请另选输出文件夹",
                       (Location(str(out)),))
    folder = out.resolve()
    for target in targets:
        resolved = target.resolve()
        if resolved.parent != folder or target.name in ("", ".", ".."):
            return Problem("build.output", "error", f"输出文件名“{target.name}”不在输出文件夹 {out} 中，已停止",
                           (Location(str(out)),))
        if resolved == source:
            return Problem("build.output", "error",
                           f"输出文件 {target} 就是输入文件，已停止（不会覆盖输入文件）：请另选输出文件夹",
                           (Location(shown),))
    return None



# ------------------------------------------------------------------ many departments at once

@dataclass
class Outcome:
    """One input of a batch: where its files went, or why it was refused or failed (picklable)."""

    path: str
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    refused: bool = False
    failure: str = ""
    warnings: list[str] = field(default_factory=list)
    kept: Path | None = None    # not built, and its folder still holds files of an earlier run

    @property
    def ok(self) -> bool:
        return not self.refused and not self.failure


DATA_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")


@dataclass
class Inputs:
    """The budget files a build reads, and the files in its folders it passes over with why — said, never silent: a
    department whose file is a broken link, or hidden, was missing from a county's batch without a word (trialX-s28 N5)."""
    files: list[Path]
    passed_over: list[tuple[Path, str]] = field(default_factory=list)


def _passed_over(f: Path) -> str | None:
    """Why a data file found in a folder is not read, or None."""
    if f.name.startswith("~$"):
        return "Excel 打开文件时留下的临时文件"
    if f.name.startswith("."):
        return "隐藏文件（文件名以“.”开头）；要生成请改名"
    if f.is_symlink() and not f.exists():
        return "链接指向的文件不存在"
    if not f.is_file():
        return "不是文件"
    return None


def inputs_of(paths: list[str | Path], output: str | Path | None = None) -> Inputs:
    """The budget files named, folders expanded to the .yaml / .yml / .json / .xlsx files they hold (sorted) —
    except those under `output`: a package folder inside the input folder (各单位/公开包) would otherwise be read
    by the next run, its published workbooks as inputs (trialG-s28 D7)."""
    out: list[Path] = []
    passed: list[tuple[Path, str]] = []
    for p in map(Path, paths):
        if p.is_dir():
            skip = Path(output).resolve() if output is not None else None
            if skip is not None and (skip == p.resolve() or not skip.is_relative_to(p.resolve())):
                skip = None        # only a folder inside this one is skipped, never the inputs themselves
            published = _published(p)
            for f in sorted(f for f in p.rglob("*") if f.suffix.lower() in DATA_SUFFIXES
                            and not (skip and f.resolve().is_relative_to(skip)) and f.resolve() not in published):
                hidden = next((part for part in f.relative_to(p).parts[:-1] if part.startswith(".")), None)
                why = f"在隐藏文件夹 {hidden} 中" if hidden else _passed_over(f)
                if why is None:
                    out.append(f)
                elif not f.is_dir():
                    passed.append((f, why))
        else:
            out.append(p)
    return Inputs(list({f.resolve(): f for f in out}.values()), passed)   # a file named twice (a folder and a file in it) once


def _published(folder: Path) -> set[Path]:
    """The packages earlier batches wrote under `folder` (their records, `RECORD`): never inputs — an output folder
    that is the input folder, or an earlier one inside it (公开包 while this run writes 公开包2025), had its own
    workbooks read back as departments the next run (trialX-s28 N1)."""
    return {(record.parent / name / f).resolve() for record in folder.rglob(RECORD)
            for name, listed in _Record(record.parent).files.items() for f in listed}


def output_folders(out_dir: Path, paths: list[Path]) -> list[Path]:
    """out_dir/<file name> for each input — its folder's name before it where two inputs share a name
    (a/dept.yaml, b/dept.yaml → a-dept, b-dept), and its suffix after where they still do (dept.yaml and
    dept.json → dept-yaml, dept-json), then a number (-2, -3 …): one department never overwrites another's
    package, for any set of paths (a trial's a-dept.yaml beside a/dept.yaml and b/dept.yaml sent two inputs to
    a-dept-yaml — trialG-s28 D1). Names are compared as a case-insensitive file system would; where a
    longer name of one input equals the plain name of another, the plain name keeps it; no name is hidden, and each
    is a safe file name (`safety.safe_filename`: Windows would make “x ”, “x.” and “x” one folder, trialX-s28 N4)."""
    from .safety import safe_filename

    def candidate(p: Path, tier: int) -> str:      # a name every file system keeps as written (no “x?”, “x.”, “con”)
        stem = safe_filename(p.stem.lstrip(".") or "_")
        if tier == 0:
            return stem
        named = safe_filename(f"{p.resolve().parent.name}-{stem}".lstrip(".-") or "_")
        if tier == 1:
            return named
        named += f"-{p.suffix.lstrip('.').lower()}" if p.suffix else ""
        return named if tier == 2 else f"{named}-{tier - 1}"

    def key(name: str) -> str:
        return unicodedata.normalize("NFC", name).casefold()

    tiers = [0] * len(paths)
    while True:
        groups: dict[str, list[int]] = {}
        for i, p in enumerate(paths):
            groups.setdefault(key(candidate(p, tiers[i])), []).append(i)
        clashes = [g for g in groups.values() if len(g) > 1]
        if not clashes:
            return [out_dir / candidate(p, t) for p, t in zip(paths, tiers)]
        for group in clashes:
            lowest = min(tiers[i] for i in group)
            keep = [i for i in group if tiers[i] == lowest]
            # the plainest name stays; among equals, none does (a-dept, b-dept) — from the suffix on, the first
            kept = keep[:1] if len(keep) == 1 or lowest >= 2 else []
            for i in group:
                if i not in kept:
                    tiers[i] += 1


def _warm() -> None:
    """A batch worker loads the writers, fonts and shipped profiles once, not once per department."""
    _child_signals()
    from .profile import available_profiles, load_profile
    from .writers import WRITERS  # noqa: F401

    for name in available_profiles():
        load_profile(name)


def build_one(path: Path, out_dir: Path, formats: tuple[str, ...], options: dict) -> Outcome:
    """A pure function of (input, profile) → files in `out_dir`: what a queue worker (Celery, Dask …)
    would run for one department; never raises for a bad input."""
    try:
        result = build(path, out_dir, formats, parallel=False, **options)
    except OSError as e:     # the disk, not the data: said in Chinese, of the folder (not of a staging file's name)
        return Outcome(str(path), failure=f"无法写入 {out_dir}（{os_reason(e)}）")
    except Exception as e:   # a writer failed: nothing of this department was written
        return Outcome(str(path), failure=f"{type(e).__name__}: {e}")
    return Outcome(str(path), result.written, result.loaded.problems, result.refused, "", result.warnings)


def build_many(paths: list[Path], out_dir: Path, formats: tuple[str, ...] = FORMATS, *, jobs: int = 1,
               done: Callable[[Outcome], None] = lambda o: None, **options) -> list[Outcome]:
    """Build every input into out_dir/<input's name>/ (`output_folders`) in `jobs` worker processes (fonts and templates
    kept warm); a failing input does not stop the others. `done` is called as each one finishes.

    A department's folder shows this run: once its package is in place, the files an earlier batch wrote there
    (recorded in out_dir/`RECORD`) and this one did not are removed — a renamed department's old package, a format
    no longer asked for — never a file discloser did not write. A department not built keeps its earlier files,
    and its Outcome says so (`kept`): a clerk uploads the folder (trialG-s28 D4)."""
    out_dir = Path(out_dir)
    _sweep_batch(out_dir)
    targets = list(zip(paths, output_folders(out_dir, paths)))
    outcomes: dict[str, Outcome] = {}
    record = _Record(out_dir)

    def finished(o: Outcome, target: Path) -> None:
        if o.ok:
            record.replace(target, o.written)
        elif target.is_dir() and any(not f.name.startswith(".") for f in target.iterdir()):
            o.kept = target
        outcomes[o.path] = o
        done(o)

    where = dict((str(p), target) for p, target in targets)
    jobs = min(jobs, len(paths), MAX_JOBS)    # -j 999999 forked a process per job asked and exhausted the memory
    if jobs <= 1:
        for p, target in targets:
            finished(build_one(p, target, formats, options), target)
    else:
        ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        existed = {target for _, target in targets if target.exists()}
        try:
            with ctx.Pool(jobs, initializer=_warm) as pool:     # terminated on leaving, interrupted or not
                for o in pool.imap_unordered(_build_job, [(p, target, formats, options) for p, target in targets]):
                    finished(o, where[o.path])
        finally:     # a worker ended mid-build (Ctrl+C, SIGTERM) left its staging folder: remove it, and a folder it made
            for _, target in targets:
                _sweep_folder(target, remove_empty=target not in existed)
    return [outcomes[str(p)] for p in paths]


MAX_JOBS = 4 * (os.cpu_count() or 1)
"""The most worker processes a batch starts: a worker is a whole writer (≈ 300 MB with the PDF), more than a few per
core only wait for one another — `-j 999999` started as many as it could and the machine ran out of memory
(trialX-s28)."""


def _sweep_batch(out_dir: Path) -> None:
    """A batch's staging folders lie one level down, in out_dir/<name>/: those of processes gone (SIGKILL, a power
    cut) are removed at the start of the next batch into out_dir, whichever departments it builds, with a department
    folder left holding nothing else (trialG-s28 D8)."""
    if not out_dir.is_dir():
        return
    _sweep(out_dir)
    for folder in out_dir.iterdir():
        if not folder.is_symlink() and not folder.name.startswith(".") and any(folder.glob(f"{STAGE}*-*")):
            _sweep_folder(folder, remove_empty=True)


def _sweep_folder(folder: Path, remove_empty: bool) -> None:
    """`_sweep` a department folder, and remove it when that left it empty and `remove_empty` (a folder this batch
    made, or one that held nothing but a dead build's stage)."""
    if folder.is_dir():
        _sweep(folder)
        if remove_empty and not any(folder.iterdir()):
            folder.rmdir()


RECORD = ".discloser.json"    # in a batch's output folder: the files each department's last package has there


class _Record:
    """Which files discloser wrote in each department folder of a batch's output folder, with their size and time,
    so that the next batch replaces exactly those still as written (the folder may hold a clerk's own files too,
    or a package the clerk edited by hand: kept — trialX-s28 N3). Written after each department, by renaming a
    complete file: a stopped batch leaves a true record."""

    def __init__(self, out_dir: Path):
        import json

        self.path = out_dir / RECORD
        try:
            self.files = {k: dict(v) for k, v in json.loads(self.path.read_text(encoding="utf-8")).items()}
        except (OSError, ValueError, AttributeError, TypeError):
            self.files = {}

    @staticmethod
    def _stamp(path: Path) -> list[int]:
        """Size and modification time as written: a file changed since (a clerk's edited .docx) is no longer ours."""
        st = path.stat()
        return [st.st_size, st.st_mtime_ns]

    def replace(self, folder: Path, written: list[Path]) -> None:
        import json

        names = [f.name for f in written]
        for old, stamp in self.files.get(folder.name, {}).items():
            stale = folder / old
            if old not in names and stale.parent == folder and stale.is_file() and self._stamp(stale) == stamp:
                stale.unlink(missing_ok=True)      # a bare name, directly in it, as discloser wrote it
        self.files[folder.name] = {f.name: self._stamp(f) for f in written if f.is_file()}
        temporary = self.path.with_name(f"{STAGE}{os.getpid()}-record")
        try:
            temporary.write_text(json.dumps(self.files, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:      # the package is in place; without the record the next run only keeps extra files
            temporary.unlink(missing_ok=True)


def earlier_folders(out_dir: Path, paths: list[Path]) -> list[Path]:
    """Department folders of `out_dir` an earlier batch filled (its record) that no input of this one writes to —
    an input renamed (its package now in a second folder beside the old one: one department published twice,
    trialX-s28 N6), or a department no longer built: said, never removed (the clerk decides)."""
    now = {target.name for target in output_folders(out_dir, paths)}
    return sorted(out_dir / name for name in _Record(out_dir).files if name not in now and (out_dir / name).is_dir())


def _build_job(job: tuple) -> Outcome:
    return build_one(*job)


__all__ = ["build", "build_many", "build_one", "earlier_folders", "inputs_of", "Inputs", "output_folders", "Outcome", "BuildResult", "FORMATS", "ALL_FORMATS", "Problem", "font_dir", "output_problem", "os_reason"]
