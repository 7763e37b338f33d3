"""Reproducible output: the same Document gives the same bytes (fixed dates, stable zip entries).

The files' creation date is the budget's approval date when the input gives one (midnight, China
time), else SOURCE_DATE_EPOCH (the reproducible-builds convention), else 2000-01-01 UTC: never the
clock, so two builds of the same input are byte for byte equal.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import date, datetime, time, timedelta, timezone

DEFAULT_EPOCH = 946684800  # 2000-01-01T00:00:00Z
CHINA = timezone(timedelta(hours=8), "CST")


def fixed_datetime(approval: date | None = None) -> datetime:
    """The creation date of every file of a build (timezone-aware)."""
    if approval is not None:
        return datetime.combine(approval, time(0, 0), tzinfo=CHINA)
    try:
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    except ValueError:
        epoch = DEFAULT_EPOCH
    return datetime.fromtimestamp(epoch, tz=timezone.utc)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def fixed_timestamp(approval: date | None = None) -> str:
    """W3C date-time (as in PDF metadata and docProps): local offset kept for an approval date."""
    moment = fixed_datetime(approval)
    if moment.utcoffset() == timedelta(0):
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.isoformat(timespec="seconds")


def normalize_zip(data: bytes, approval: date | None = None) -> bytes:
    """Rewrite an OOXML package with fixed entry dates and fixed dcterms dates in docProps/core.xml."""
    stamp = utc(fixed_datetime(approval)).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    entry_date = utc(fixed_datetime(approval)).timetuple()[:6]
    entry_date = entry_date if entry_date[0] >= 1980 else (1980, 1, 1, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=entry_date)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()
