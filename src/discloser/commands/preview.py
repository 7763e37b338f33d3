"""`discloser preview`: serve the live preview page of one budget file (see `discloser.preview`)."""
from __future__ import annotations

import argparse
import errno
from pathlib import Path

from . import Exit, UserError, command


def run(args: argparse.Namespace) -> int:
    from ..preview import PortInUse, serve

    term = args.term
    folder = Path(args.file).resolve().parent
    if not folder.is_dir():
        raise UserError(f"找不到文件夹 {folder}（数据文件 {args.file} 所在的位置）", Exit.PROBLEMS)
    if args.profile:
        from ..profile import load_profile

        try:
            load_profile(args.profile)
        except LookupError as e:
            raise UserError(str(e)) from e

    def announce(url: str) -> None:
        term.result(f"预览：{url}")
        term.info("保存数据文件后页面会自动刷新；按 Ctrl+C 停止。")

    try:
        serve(args.file, profile=args.profile, port=args.port, open_browser=args.open, announce=announce,
              complain=term.error)
    except PortInUse as e:
        raise UserError(f"无法使用端口 {args.port}（{_why(e)}）；换一个端口，或不写 --port 让系统选择空闲端口") from e
    return Exit.OK


# The operating system's reasons a port cannot be had, in the clerk's words (the library's are English)
_PORT_ERRORS = {
    errno.EADDRINUSE: "端口已被占用，可能是另一个预览还开着",
    errno.EACCES: "没有权限：1024 以下的端口要管理员权限",
    errno.EPERM: "没有权限：1024 以下的端口要管理员权限",
    errno.EADDRNOTAVAIL: "本机没有这个地址",
}


def _why(e: OSError) -> str:
    return _PORT_ERRORS.get(e.errno, f"系统错误 {e.errno}：{e.strerror}" if e.errno else str(e))


def port_number(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"端口应为 0–65535 的整数，而不是 {text!r}") from None
    if not 0 <= n <= 65535:
        raise argparse.ArgumentTypeError(f"端口应为 0–65535 的整数，而不是 {n}")
    return n


def add_parsers(subparsers) -> None:
    p = command(subparsers, "preview", help="在浏览器中实时预览公开包：保存即刷新，问题标出行号", handler=run, examples=[
        ("preview shaanxi-linyou-2024.yaml --open", "启动预览并打开浏览器；地址形如 http://127.0.0.1:端口/（示例文件用 discloser examples shaanxi-linyou-2024 取出）"),
        ("preview 数据.yaml --port 8765 --profile 我省.yaml", "固定端口；用自己的版式配置（修改配置或其模板文件夹也会刷新）"),
    ], description="只在本机（127.0.0.1）提供页面：上方是数据文件的问题（文件:行，可展开看原文），下方是按打印分页的"
                   "公开包，左侧目录可跳到任一张表，右上角可下载当前有效版本的 Word / Excel / PDF。"
                   "数据文件有错误时保留最后一个有效版本。")
    p.add_argument("file", metavar="FILE", help="预算数据文件（.yaml / .json，或填报工作簿 .xlsx）")
    p.add_argument("--profile", metavar="P", help="覆盖数据文件中的版式：名称或 .yaml 文件")
    p.add_argument("--port", type=port_number, default=0, metavar="N", help="端口（默认 0：系统选择空闲端口）")
    p.add_argument("--open", action="store_true", help="启动后用默认浏览器打开页面")
