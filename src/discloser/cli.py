"""The `discloser` command line: one parser assembled from the command modules.

Adding a command: write a module with ``add_parsers(subparsers)`` that declares it with
`discloser.commands.command` (help, examples, handler) and list the module in `COMMAND_MODULES`.
Everything shared is done here once: --version; --quiet/--verbose/--debug accepted before or after
the command name; usage errors in Chinese (exit 2); a `UserError` printed as its message with its
exit code; any other exception reported as an internal error (exit 3) — with the traceback only
under --debug. Exit codes: see `discloser.commands.Exit`.
"""
from __future__ import annotations

import argparse
import importlib
import os
import re
import signal
import sys
import traceback

from .commands import EXIT_CODES_HELP, Exit, UserError
from .terminal import NORMAL, QUIET, VERBOSE, Terminal

COMMAND_MODULES = (
    "discloser.commands.validate",
    "discloser.commands.build",
    "discloser.commands.preview",
    "discloser.commands.schema",
    "discloser.commands.init",
    "discloser.commands.examples",
    "discloser.commands.workbook",
    "discloser.commands.importing",
    "discloser.commands.rollover",
    "discloser.catalog.commands",
    "discloser.commands.profiles",
    "discloser.extract",
)

# argparse's own messages, in Chinese (the ones a user meets; anything else is shown as is)
_ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (.+)", r"缺少参数：\1"),
    (r"unrecognized arguments: (.+)", r"无法识别的参数：\1"),
    (r"argument (\S+): invalid choice: (\S+) \(choose from (.+)\)", r"参数 \1 的取值 \2 无效（可选：\3）"),
    (r"argument (\S+): expected one argument", r"参数 \1 需要一个值"),
    (r"argument (\S+): invalid int value: (.+)", r"参数 \1 的值 \2 无效（应为整数）"),
    (r"argument (\S+): invalid float value: (.+)", r"参数 \1 的值 \2 无效（应为数）"),
    (r"argument (\S+): invalid (\w+) value: (.+)", r"参数 \1 的值 \3 无效"),
    (r"argument (\S+): not allowed with argument (\S+)", r"参数 \1 不能与 \2 同时使用"),
    (r"argument (\S+): (.+)", r"参数 \1：\2"),     # an option's own check (argparse.ArgumentTypeError), in Chinese
)


def _translate(message: str) -> str:
    for pattern, chinese in _ARGPARSE_MESSAGES:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, chinese, message)
    return message


class Parser(argparse.ArgumentParser):
    """Help in Chinese with examples kept as written; usage errors in Chinese (exit 2); the common
    options on every (sub)command, so ``discloser build x -o y --quiet`` works too."""

    def __init__(self, *args, top: bool = False, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")
        # Subcommands default to SUPPRESS so that an option given before the command name survives.
        default = (lambda value: value) if top else (lambda value: argparse.SUPPRESS)
        common = self.add_argument_group("通用选项")
        common.add_argument("-q", "--quiet", action="store_true", default=default(False), help="只输出错误")
        common.add_argument("-v", "--verbose", action="store_true", default=default(False), help="输出更多细节（各步骤用时）")
        common.add_argument("--debug", action="store_true", default=default(False), help="出错时显示 Python 调用栈（报告问题时用）")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "用法：", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "用法：", 1)

    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        print(f"discloser：命令用法错误：{_translate(message)}（查看帮助：{self.prog} --help）", file=sys.stderr)
        sys.exit(Exit.USAGE)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("discloser")
    except PackageNotFoundError:   # running from a source tree that was never installed
        return "未安装（源代码）"


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="discloser", top=True,
               description="部门预算公开包生成器：一份预算数据文件 → 说明与公开报表（Word / Excel / PDF）",
               epilog="示例：\n  discloser validate 数据.yaml\n  discloser build 数据.yaml -o 公开包\n"
                      "  discloser preview 数据.yaml --open\n\n"
                      "每个命令的用法与示例：discloser 命令 --help\n\n" + EXIT_CODES_HELP)
    p.add_argument("--version", action="version", version=f"discloser {_version()}", help="显示版本并退出")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令", title="命令", parser_class=Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parsers(sub)
    return p


def _verbosity(args: argparse.Namespace) -> int:
    if args.quiet:
        return QUIET
    return VERBOSE if args.verbose else NORMAL


class Terminated(KeyboardInterrupt):
    """SIGTERM (`timeout`, a CI's cancel, `docker stop`, systemd), raised where the program is so that it
    unwinds as from Ctrl+C: staging folders removed, worker pools ended (trial A D5 found a half-written
    package and an orphaned worker after one)."""


def _terminated(signum, frame) -> None:
    raise Terminated


def main(argv: list[str] | None = None) -> int:
    """Run one command; stdout is flushed here, not at the interpreter's exit, so that a reader who
    stopped reading (`discloser schema | head -1`) is met where it can be handled: quietly."""
    try:
        code = _main(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return _reader_gone()


def _reader_gone() -> int:
    """The reader closed the pipe (`| head`): its choice, not a defect — end quietly with 141 (128 +
    SIGPIPE, as a shell reports a tool the pipe stopped). Python's advice: point stdout at devnull, or
    the interpreter's own flush at exit fails again and prints “Exception ignored …”."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):   # no file descriptor (stdout replaced in a test): nothing left to flush
        pass
    return Exit.PIPE_CLOSED


def _main(argv: list[str] | None) -> int:
    signal.signal(signal.SIGTERM, _terminated)
    try:
        args = parser().parse_args(argv)    # imports every command's module: seconds on a loaded machine
    except KeyboardInterrupt as e:          # stopped while starting: nothing begun, nothing to undo
        Terminal(NORMAL).error("discloser：已终止。" if isinstance(e, Terminated) else "discloser：已中断。")
        return Exit.TERMINATED if isinstance(e, Terminated) else Exit.INTERRUPTED
    args.term = term = Terminal(_verbosity(args))
    try:
        return int(args.func(args))
    except UserError as e:
        if args.debug:
            traceback.print_exc()
        term.error(f"discloser：{e}{_help_hint(args) if e.code == Exit.USAGE else ''}")
        return e.code
    except KeyboardInterrupt as e:
        term.error("discloser：已终止。" if isinstance(e, Terminated) else "discloser：已中断。")
        return Exit.TERMINATED if isinstance(e, Terminated) else Exit.INTERRUPTED
    except BrokenPipeError:
        raise
    except Exception as e:   # a defect of discloser, not of the user's data
        if args.debug:
            traceback.print_exc()
        term.error(f"discloser：内部错误（{type(e).__name__}: {e}）。这不是数据的问题；"
                   "请加 --debug 重新运行，并把输出附在问题报告里。")
        return Exit.INTERNAL


def _help_hint(args: argparse.Namespace) -> str:
    """Every exit-2 message ends with where the right usage is, as argparse's own errors do (`Parser.error`)."""
    return f"（查看帮助：{getattr(args, 'help_command', 'discloser')} --help）"


if __name__ == "__main__":
    sys.exit(main())
