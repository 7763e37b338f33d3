"""How the command line talks: colours and progress on a terminal, plain lines everywhere else.

Rich draws colours, spinners and progress bars only when the stream is a real terminal (and
``NO_COLOR`` is unset and ``TERM`` is not ``dumb``); in CI logs, pipes and files every message is one
plain line, the same bytes a script can grep. Results (written files, JSON, the schema) go to
stdout; problems, progress and summaries go to stderr, so ``discloser schema > x.json`` stays clean.

Verbosity: ``--quiet`` keeps errors only (the exit code says the rest); ``--verbose`` adds the
timings of each stage.
"""
from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import Iterator, TextIO

from .problems import Problem

QUIET, NORMAL, VERBOSE = -1, 0, 1


def is_fancy(stream: TextIO) -> bool:
    """Colours and live displays only on an interactive terminal that wants them."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Terminal:
    """The one object command handlers print through (``args.term``)."""

    def __init__(self, verbosity: int = NORMAL, stdout: TextIO | None = None, stderr: TextIO | None = None):
        self.verbosity = verbosity
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.fancy = is_fancy(self.stderr)
        self._err = self._out = None
        if self.fancy:
            from rich.console import Console

            self._err = Console(file=self.stderr, highlight=False, soft_wrap=True)
            self._out = Console(file=self.stdout, highlight=False, soft_wrap=True) if is_fancy(self.stdout) else None

    # ------------------------------------------------------------------ plain messages

    def _say(self, text: str, style: str | None, *, to_out: bool = False) -> None:
        console = self._out if to_out else self._err
        if console is not None:
            console.print(text, style=style, markup=False)
        else:
            print(text, file=self.stdout if to_out else self.stderr, flush=True)

    def result(self, text: str) -> None:
        """The command's output proper (stdout); printed even with --quiet."""
        self._say(text, None, to_out=True)

    def info(self, text: str, style: str | None = None, *, to_out: bool = False) -> None:
        """A message --quiet hides (on stdout with `to_out`: e.g. the list of written files)."""
        if self.verbosity >= NORMAL:
            self._say(text, style, to_out=to_out)

    def detail(self, text: str) -> None:
        if self.verbosity >= VERBOSE:
            self._say(text, "dim")

    def success(self, text: str) -> None:
        self.info(text, "bold green")

    def error(self, text: str) -> None:
        self._say(text, "bold red")

    def warning(self, text: str) -> None:
        """An unlocated warning (a writer's, e.g. a missing font): hidden by --quiet like located ones."""
        if self.verbosity >= NORMAL:
            self._say(text, "yellow")

    def problem(self, p: Problem) -> None:
        """One located problem; warnings are hidden by --quiet, errors never are."""
        if p.severity == "error":
            self._say(p.format(), "red")
        elif self.verbosity >= NORMAL:
            self._say(p.format(), "yellow")

    # ------------------------------------------------------------------ progress

    @contextmanager
    def steps(self, total: int | None = None) -> Iterator["Steps"]:
        """A progress display for a sequence of named steps (a bar on a terminal, nothing elsewhere)."""
        if not self.fancy or self.verbosity < NORMAL:
            yield Steps(self, None)
            return
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=self._err, transient=True) as bar:
            yield Steps(self, bar, bar.add_task("", total=total))


class Steps:
    """Advances the progress bar (if any) and, with --verbose, prints each step's time."""

    def __init__(self, term: Terminal, bar, task=None):
        self.term, self.bar, self.task = term, bar, task
        self.started = time.perf_counter()

    def start(self, description: str) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description=description)

    def say(self, text: str) -> None:
        """A result line (stdout) while the steps run: above the bar on a terminal, so the two do not garble."""
        if self.bar is not None and self.term._out is not None and self.term.verbosity >= NORMAL:
            self.bar.console.print(text, markup=False, highlight=False)
        else:
            self.term.info(text, to_out=True)

    def done(self, description: str) -> None:
        elapsed = time.perf_counter() - self.started
        self.term.detail(f"  {description}（累计 {elapsed:.2f} 秒）")
        if self.bar is not None:
            self.bar.advance(self.task)
