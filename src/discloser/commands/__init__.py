"""The subcommands of `discloser`, and the one way to declare one.

A command module exposes ``add_parsers(subparsers)`` and declares each command with `command()`:
a name, a one-line help, examples (required: every command's ``--help`` shows how to call it) and a
handler ``handler(args) -> int``. Every subcommand parser gets --quiet/--verbose/--debug (see
`discloser.cli`); the handler prints through ``args.term`` (`discloser.terminal.Terminal`) and
raises `UserError` for a mistake of the user — the command line prints its Chinese message and
exits with its code, never with a traceback (unless --debug).
"""
from __future__ import annotations

import argparse
from enum import IntEnum
from typing import Callable


class Exit(IntEnum):
    """Exit codes (documented in the README and in ``discloser --help``)."""
    OK = 0            # done; warnings allowed
    PROBLEMS = 1      # the input has errors (or warnings with --strict), or the package could not be written: nothing written
    USAGE = 2         # the command line is wrong: unknown option, format, profile or a port in use; the message ends with a hint to --help
    INTERNAL = 3      # a defect of discloser itself (rerun with --debug and report it)
    INTERRUPTED = 130  # Ctrl+C
    PIPE_CLOSED = 141  # the reader closed stdout (`| head`): ended quietly (128 + SIGPIPE, as a shell reports it)
    TERMINATED = 143   # SIGTERM (128 + 15, as a shell reports a process it terminated)


EXIT_CODES_HELP = """退出码：
  0    成功（可以有警告）
  1    数据有错误（--strict 时警告也算），或无法写出文件；未写出任何文件
  2    命令用法错误（未知选项、格式、版式，或端口已被占用）；消息末尾指向 --help
  3    discloser 内部错误（请加 --debug 重新运行并报告）
  130  被 Ctrl+C 中断
  141  读输出的程序已关闭管道（如 | head）：安静结束
  143  被终止（SIGTERM：timeout、CI 取消等）；未写出任何文件"""


class UserError(Exception):
    """A mistake of the user (message in Chinese), ending the command with `code`."""

    def __init__(self, message: str, code: int = Exit.USAGE):
        super().__init__(message)
        self.code = int(code)


Handler = Callable[[argparse.Namespace], int]


def examples_text(examples: list[tuple[str, str]]) -> str:
    lines = ["示例："]
    for call, what in examples:
        lines.append(f"  discloser {call}")
        if what:
            lines.append(f"      {what}")
    return "\n".join(lines)


def command(subparsers, name: str, *, help: str, examples: list[tuple[str, str]], handler: Handler,
            description: str | None = None) -> argparse.ArgumentParser:
    """Declare one subcommand. `examples`: (the call after ``discloser``, what it does), e.g.
    ``("build 数据.yaml -o 输出", "生成三种格式")``; nested commands write their full path."""
    if not examples:
        raise ValueError(f"command {name!r} needs at least one example")
    p = subparsers.add_parser(name, help=help, description=description or help, epilog=examples_text(examples))
    p.set_defaults(func=handler, help_command=p.prog)   # the `--help` an exit-2 message points to
    return p
