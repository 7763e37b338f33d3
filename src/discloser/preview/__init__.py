"""`discloser preview`: a local page that shows the package as it will print, refreshed on every save.

`render` makes one snapshot (problems with their input lines, the PDF's HTML, contents);
`server` serves it with Starlette/uvicorn on 127.0.0.1, watches the files with watchfiles and
pushes a server-sent event on each change; the page (``templates/page.html.j2``, ``static/``)
lays the HTML out as printed pages with Paged.js and swaps them in when ready. While the input is
invalid the page keeps the last good pages and lists the new, located problems above them.
"""
from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
import webbrowser

HOST = "127.0.0.1"


class PortInUse(OSError):
    pass


class _ClerkLog(logging.Handler):
    """Where uvicorn's log goes instead of the terminal. Its lines are English and for server operators
    ("Invalid HTTP request received." for any stray non-HTTP connection, the shutdown's progress, a
    request cancelled when the process stops), so they are dropped; only a failure of the preview's own
    code is said, in Chinese, once (uvicorn would repeat it with a traceback per request)."""

    def __init__(self, say) -> None:
        super().__init__(logging.ERROR)
        self.say, self.said = say, False

    def emit(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None or isinstance(exc, (asyncio.CancelledError, KeyboardInterrupt)) or self.said:
            return
        self.said = True
        self.say(f"discloser：预览内部错误（{type(exc).__name__}: {exc}），页面可能显示不全。这不是数据的问题；"
                 "请把这一行附在问题报告里。")


def _quiet_uvicorn(say) -> None:
    log = logging.getLogger("uvicorn")
    log.handlers[:] = [_ClerkLog(say)]
    log.propagate = False


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (`port` 0: a free one chosen by the system)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
    except OSError as e:
        sock.close()
        raise PortInUse(e.errno, e.strerror or str(e)) from e
    sock.listen(64)
    return sock


def serve(path: str, *, profile: str | None = None, port: int = 0, open_browser: bool = False,
          announce=print, complain=print) -> None:
    """Serve the preview until Ctrl+C (uvicorn handles SIGINT/SIGTERM). `announce(url)` is called
    once the first rendering is ready and the server accepts connections; `complain(text)` says a
    failure of the preview's own code (uvicorn's log is not shown: see `_ClerkLog`)."""
    import uvicorn

    from .server import PreviewState, create_app

    sock = bind(port)
    url = f"http://{HOST}:{sock.getsockname()[1]}/"
    state = PreviewState(path, profile)
    _quiet_uvicorn(complain)

    class Server(uvicorn.Server):
        async def shutdown(self, sockets=None) -> None:
            state.end_streams()     # before uvicorn waits for the open pages' connections to finish
            await super().shutdown(sockets)

    server = Server(uvicorn.Config(create_app(state), log_config=None, log_level="error", access_log=False,
                                   timeout_graceful_shutdown=1, lifespan="on"))

    def when_started() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            announce(url)
            if open_browser:
                webbrowser.open(url)

    threading.Thread(target=when_started, daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


__all__ = ["serve", "bind", "PortInUse", "HOST"]
