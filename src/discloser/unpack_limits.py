"""How much an .xlsx may unpack to: checked before openpyxl parses it, so a zip bomb is refused in
milliseconds instead of filling memory (trialT-s24 D5: a 2 MB workbook held 2 GiB of sheet XML, 27 s and
2.2 GB; a 6 MB one ended in MemoryError).

An .xlsx is a zip of XML parts. The file-size caps (workbook 20 MB, export 30 MB) count compressed bytes,
and XML of repeated characters compresses a thousandfold. So every reader of a clerk's .xlsx (the fill-in
workbook, a budget-system export for `import`, a catalog for `catalog import`) first reads the zip's
directory and refuses the file when

- its parts together declare more than `MAX_UNPACKED` bytes: the fill-in workbook of a 20,000-item
  department (the speed target; `scripts/synthetic.py 20000` then `discloser workbook`) unpacks to
  10.7 MB, its largest sheet 9.3 MB; 64 MiB leaves six times that for Excel's and WPS's own wording of
  the same cells, while openpyxl needs about ten times the XML in memory (105 MB for those 10.7 MB), so
  the largest file accepted stays well under a gigabyte;
- a part of at least `RATIO_FLOOR` bytes declares more than `MAX_RATIO` times its compressed size: real
  sheets compress 2–20 times (that workbook's sheets at most 16.2), whitespace or repeated padding
  thousands of times.

The declared sizes can be trusted: Python's zipfile stops a part at its declared size and then fails its
CRC check, so a part that lies about its size is a corrupt file, never a bigger one.
"""
from __future__ import annotations

import os
import zipfile

MAX_UNPACKED = 64 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024
_MB = 1024 * 1024


def unpacked_problem(path: str | os.PathLike) -> str | None:
    """Why the .xlsx at `path` must not be parsed (Chinese, without the file name, which the caller's
    location carries), or None. A file that is not a zip is left to the reader's own message."""
    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    total = sum(p.file_size for p in parts)
    packed = os.path.getsize(path)
    advice = "正常的 Excel 工作簿不会这样；文件可能已损坏或被人为构造，请确认选对了文件，或用 Excel、WPS 打开后另存为 .xlsx 再试"
    if total > MAX_UNPACKED:
        return (f"工作簿文件 {packed / _MB:.1f} MB，解压后却有 {total / _MB:,.0f} MB，超过上限 {MAX_UNPACKED // _MB} MB"
                f"（2 万行明细的填报工作簿解压后约 11 MB）：{advice}")
    for p in parts:
        if p.file_size >= RATIO_FLOOR and p.file_size > MAX_RATIO * max(p.compress_size, 1):
            ratio = p.file_size / max(p.compress_size, 1)
            return (f"工作簿中的 {p.filename} 压缩了 {ratio:,.0f} 倍（{p.compress_size:,} 字节解压为 {p.file_size / _MB:.1f} MB），"
                    f"超过 {MAX_RATIO} 倍的上限（真实工作表不超过二十倍左右）：{advice}")
    return None
