"""`discloser extract PACKAGE.pdf [-o FILE]`: write back out the budget file a package PDF carries.

Every PDF discloser writes is PDF/A-3 with the canonical input attached as an associated file
(relationship Source), so the published PDF is enough to re-derive every table. This reads the
attachment with pypdf (pure Python, already used to read PDFs back in the tests) — the file marked
Source in the catalog's /AF array, else the first embedded file.

The attached name is reduced to a bare file name (no folders), so a crafted PDF cannot make
`extract` write outside the folder asked for. An existing file is only replaced when it was named
with -o; `-o -` writes to standard output.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path


class ExtractError(Exception):
    """A user mistake, with its message in Chinese."""


BUDGET_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")   # a budget file: the canonical text, or the fill-in workbook


def _is_workbook(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"     # an .xlsx is a zip archive; the canonical file is text


def _safe_name(name: str) -> str:
    """A bare file name for the attachment: no folders, no control, bidi or reserved characters
    (`safety.safe_filename`), and the suffix of a budget file — a crafted PDF cannot make `extract`
    write “budget\u202elmay.exe” (which reads as “budgetexe.yaml”) or any other kind of file."""
    from .safety import safe_filename

    base = Path(re.sub(r"[\x00-\x1f\x7f]", "", str(name)).replace("\\", "/")).name.strip()
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    if suffix not in BUDGET_SUFFIXES:
        stem, suffix = base, ".yaml"
    stem = safe_filename(stem) if stem.strip(" ._") else ""
    return f"{stem or 'budget'}{suffix}"


def attached_source(pdf: str | Path) -> tuple[str, bytes]:
    """(file name, bytes) of the budget file attached to `pdf`; ExtractError in Chinese otherwise."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    path = Path(pdf)
    if not path.is_file():
        raise ExtractError(f"找不到文件：{pdf}")
    try:
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        for spec in root.get("/AF", []) or []:
            spec = spec.get_object()
            if spec.get("/AFRelationship") == "/Source" and "/EF" in spec:
                name = spec.get("/UF") or spec.get("/F") or ""
                return _safe_name(name), spec["/EF"]["/F"].get_object().get_data()
        for name, contents in reader.attachments.items():
            if contents:
                return _safe_name(name), contents[0]
    except PyPdfError as e:      # unreadable, or a stream past pypdf's decompression limits (a bomb)
        raise ExtractError(f"{pdf} 不是可读取的 PDF 文件，或其中的数据流过大（pypdf：{e}）") from None
    except (KeyError, ValueError, TypeError, OSError) as e:
        raise ExtractError(f"{pdf} 不是可读取的 PDF 文件（{e}）") from None
    raise ExtractError(f"{pdf} 中没有附带预算数据文件（discloser 生成的 PDF 都附带其输入文件；此文件可能来自别处或已被改写）")


def cmd_extract(args: argparse.Namespace) -> int:
    try:
        name, data = attached_source(args.pdf)
        if args.output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return 0
        if _is_workbook(data) != name.endswith(".xlsx"):    # a name that lies about its contents
            name = f"{Path(name).stem}{'.xlsx' if _is_workbook(data) else '.yaml'}"
        target = Path(args.output) if args.output else Path.cwd() / name
        if target.is_dir():
            target = target / name
        if args.output and (target.suffix.lower() == ".xlsx") != _is_workbook(data):
            kind, want = ("Excel 工作簿", ".xlsx") if _is_workbook(data) else ("YAML/JSON 文本", ".yaml")
            raise ExtractError(f"PDF 附带的数据文件是{kind}（{name}），不能写成 {target.name}：请用 -o {target.stem}{want}")
        if target.exists() and not args.output:
            raise ExtractError(f"文件已存在：{target}（用 -o 指定要写入的文件）")
        if target.exists() and target.resolve() == Path(args.pdf).resolve():
            raise ExtractError(f"输出文件 {target} 就是输入的 PDF，已停止")
        target.write_bytes(data)
    except ExtractError as e:
        print(f"discloser：{e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"discloser：无法写入文件：{e.filename or ''}（{e.strerror}）", file=sys.stderr)
        return 1
    print(target)
    return 0


def add_parsers(sub) -> None:
    from .commands import command

    e = command(sub, "extract", help="从公开包 PDF 中取出其附带的预算数据文件", handler=cmd_extract, examples=[
        ("extract 公开包/某单位2024年单位预算公开.pdf", "写出 PDF 附带的数据文件（原文件名，当前文件夹）"),
        ("extract 公开包.pdf -o 数据.yaml", "写到指定文件"),
    ], description="discloser 生成的 PDF（PDF/A-3）都附带其输入的预算数据文件，可据此重新生成全部表格。")
    e.add_argument("pdf", metavar="PACKAGE.pdf")
    e.add_argument("-o", "--output", metavar="FILE", help="写入的文件（默认：当前文件夹下的原文件名；“-”为标准输出）")
