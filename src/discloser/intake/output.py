"""Writing what the intake commands make: never over a file that exists (unless asked), never half a file."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


class OutputExists(Exception):
    """The target exists and --force was not given (message in Chinese)."""


def write_new(path: str | Path, write: Callable[[Path], None], force: bool = False) -> Path:
    """Call `write(temporary path)` then move the result to `path` in one step.

    Refuses an existing `path` without `force`: a clerk's edited file is never overwritten by a rerun."""
    target = Path(path)
    if target.exists() and not force:
        raise OutputExists(f"{target} 已存在；如确要覆盖，请加 --force")
    if target.is_dir():
        raise OutputExists(f"{target} 是一个文件夹，请给出文件名")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".discloser-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, _plain_mode())    # mkstemp makes it owner-only; the file is the clerk's, shared like any other
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _plain_mode() -> int:
    """The mode a new file gets from the process's umask (0644 under the usual 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_text(path: str | Path, text: str, force: bool = False) -> Path:
    return write_new(path, lambda p: p.write_text(text, encoding="utf-8"), force)
