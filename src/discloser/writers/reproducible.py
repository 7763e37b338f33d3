"""Reproducible output: the same Document gives the same bytes (fixed dates, stable zip entries)."""
from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import datetime, timezone

DEFAULT_EPOCH = 946684800  # 2000-01-01T00:00:00Z


def fixed_datetime() -> datetime:
    """SOURCE_DATE_EPOCH if set (reproducible-builds convention), else 2000-01-01 UTC."""
    try:
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    except ValueError:
        epoch = DEFAULT_EPOCH
    return datetime.fromtimestamp(epoch, tz=timezone.utc)


def fixed_timestamp() -> str:
    return fixed_datetime().strftime("%Y-%m-%dT%H:%M:%SZ")


def normalize_zip(data: bytes) -> bytes:
    """Rewrite an OOXML package with fixed entry dates and fixed dcterms dates in docProps/core.xml."""
    stamp = fixed_timestamp().encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()
