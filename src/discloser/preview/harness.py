"""Drive the preview from outside, as a person does: start `discloser preview` as a process and open
it in the system Chromium (Debian's /usr/bin/chromium through Playwright; no browser download).
Used by the browser tests, the save→refresh benchmark (scripts/bench) and the README picture
(scripts/readme-picture) — not by the preview itself.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Root without a sandbox, no GPU, and no background network (these machines have none; without the
# flags Chromium keeps trying). Playwright adds --headless and a fresh --user-data-dir itself.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def running_preview(path: Path, *args: str, pythonpath: str | None = None):
    """Start ``discloser preview path *args``; yield its URL once it serves; stop it (SIGTERM) after."""
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.Popen([sys.executable, "-m", "discloser.cli", "preview", str(path), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if not found:
            raise RuntimeError(f"discloser preview printed no address: {line!r} "
                               f"{proc.stderr.read() if proc.poll() is not None else ''}")
        yield found.group(0)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
