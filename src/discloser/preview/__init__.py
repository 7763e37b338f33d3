"""`discloser preview`: a local page that shows the package as it will print, refreshed on every save.

`render` makes one snapshot (problems with their input lines, the PDF's HTML, contents);
`server` serves it with Starlette/uvicorn on 127.0.0.1, watches the files with watchfiles and
pushes a server-sent event on each change; the page (``templates/page.html.j2``, ``static/``)
lays the HTML out as printed pages with Paged.js and swaps them in when ready. While the input is
invalid the page keeps the last good pages and lists the new, located problems above them.
"""
from __future__ import annotations

import socket
import threading
import time
import webbrowser

HOST = "127.0.0.1"


class PortInUse(OSError):
    pass


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
          announce=print) -> None:
    """Serve the preview until Ctrl+C (uvicorn handles SIGINT/SIGTERM). `announce(url)` is called
    once the first rendering is ready and the server accepts connections."""
    import uvicorn

    from .server import PreviewState, create_app

    sock = bind(port)
    url = f"http://{HOST}:{sock.getsockname()[1]}/"
    state = PreviewState(path, profile)
    server = uvicorn.Server(uvicorn.Config(create_app(state), log_level="warning", access_log=False,
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
