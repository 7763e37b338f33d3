"""Run `discloser preview` as the user does (a subprocess) and talk to it over HTTP."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from discloser.preview import harness

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def running_preview(path: Path, *args: str):
    """The preview of `path` from this source tree (see `discloser.preview.harness`)."""
    with harness.running_preview(path, *args, pythonpath=str(ROOT / "src")) as url:
        yield url


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def state(base: str) -> dict:
    return json.loads(get(base + "state.json")[2])


def wait_for_state(base: str, predicate, timeout: float = 10.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        s = state(base)
        if predicate(s):
            return s
        if time.monotonic() > deadline:
            raise AssertionError(f"state never matched: {s}")
        time.sleep(0.05)


launch_chromium = harness.launch_chromium
