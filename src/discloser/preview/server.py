"""The preview server: Starlette on uvicorn, bound to 127.0.0.1, with watchfiles and server-sent events.

Routes (all GET):
  /                    the preview page (problems, contents, the paged package, downloads)
  /state.json          what the page shows, as data: problems with their input lines, contents, versions
  /events              server-sent events: one ``state`` event per new state (the page then fetches /state.json)
  /render/{n}/         the package HTML of good rendering n (a stale n gets the newest)
  /files/{path}        template-folder files the package HTML refers to — through the PDF writer's own
                       fetcher, which refuses anything outside the template folders
  /download/{fmt}      .docx / .xlsx / .pdf of the last good state, built on demand (then cached) with
                       `discloser.build.build` from exactly the bytes that were rendered
  /static/…            the page's own assets, shipped inside the package

The Host header must be 127.0.0.1/localhost (no DNS rebinding); every response carries a
Content-Security-Policy allowing only this server's own scripts, so a template's inline script
cannot run and the package page cannot reach the network.
"""
from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from watchfiles import awatch

from .render import FILES_PREFIX, Rendering, render

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
FORMATS = {"docx": "Word", "xlsx": "Excel", "pdf": "PDF"}
MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
RENDER_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
              "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
HEARTBEAT_SECONDS = 15


class PreviewState:
    """The newest attempt and the last good rendering; a version number per change the page must see."""

    def __init__(self, path: str, profile: str | None = None):
        self.path, self.profile = path, profile
        self.version = 0
        self.current: Rendering | None = None     # the newest rendering (may have errors)
        self.good: Rendering | None = None        # the newest rendering with a package
        self.good_version = 0
        self.changed: asyncio.Event | None = None
        self.closing = False                      # the server is stopping: event streams end
        self._downloads: dict[tuple[int, str], Path] = {}
        self._build_lock = threading.Lock()
        self._tmp = Path(tempfile.mkdtemp(prefix="discloser-preview-"))

    # ---------------------------------------------------------------- rendering (worker thread)

    def refresh(self) -> bool:
        """Render the input as it is now; True when the page has something new to show."""
        result = render(self.path, self.profile)
        if result is None:            # the file changed while it was read: the watcher calls again
            return False
        self.version += 1
        self.current = result
        if result.html is not None:
            self.good, self.good_version = result, self.version
        return True

    def watched(self) -> tuple[frozenset[Path], frozenset[Path]]:
        """(files, recursive folders) to watch: the input, a user profile, its templates folder."""
        files = {Path(self.path).resolve()}
        dirs: set[Path] = set()
        for r in (self.current, self.good):
            if r is not None:
                files |= r.watch_files
                dirs |= r.watch_dirs
        if self.profile and Path(self.profile).suffix in (".yaml", ".yml"):
            files.add(Path(self.profile).resolve())
        return frozenset(files), frozenset(d for d in dirs if d.is_dir())

    # ---------------------------------------------------------------- what the page shows

    def state(self) -> dict:
        cur, good = self.current, self.good
        problems = []
        for p in (cur.problems if cur else []):
            problems.append({
                "severity": p.severity, "rule": p.rule, "message": p.message,
                "locations": [{"where": str(loc), "file": loc.file, "line": loc.line, "column": loc.column,
                               "field": loc.field, "excerpt": cur.excerpts[loc].to_dict() if loc in cur.excerpts else None}
                              for loc in p.locations],
            })
        return {
            "version": self.version,
            "file": self.path,
            "checked_at": time.strftime("%H:%M:%S", time.localtime(cur.made_at)) if cur else None,
            "errors": cur.count("error") if cur else 0,
            "warnings": cur.count("warning") if cur else 0,
            "problems": problems,
            "render": self.good_version if good else None,
            "stale": bool(good and cur is not good),
            "rendered_at": time.strftime("%H:%M:%S", time.localtime(good.made_at)) if good else None,
            "title": good.title if good else "",
            "toc": [{"href": e.href, "text": e.text, "level": e.level, "table": e.table} for e in (good.toc if good else [])],
            "downloads": [{"format": f, "label": label, "url": f"/download/{f}"} for f, label in FORMATS.items()] if good else [],
        }

    # ---------------------------------------------------------------- downloads (worker thread)

    def download(self, fmt: str) -> tuple[Path, str] | None:
        """The file of the last good state in `fmt` (built once per state) and its download name."""
        from ..build import build

        good, version = self.good, self.good_version
        if good is None:
            return None
        with self._build_lock:
            key = (version, fmt)
            if key not in self._downloads:
                work = Path(tempfile.mkdtemp(dir=self._tmp))
                source = work / "in" / Path(self.path).name
                source.parent.mkdir()
                source.write_bytes(good.source)
                result = build(source, work / "out", (fmt,), profile=self.profile, parallel=False)   # no fork: threads
                if result.refused or not result.written:
                    return None
                self._downloads[key] = result.written[0]
            return self._downloads[key], f"{good.filename}.{fmt}"

    def end_streams(self) -> None:
        """Called as the server begins to stop (Ctrl+C): every open page's event stream ends now, so
        uvicorn's graceful shutdown finds its connections done instead of cancelling them (and logging
        a traceback) when its timeout is over — a browser never closes an event stream itself."""
        self.closing = True
        if self.changed is not None:
            self.changed.set()

    def close(self) -> None:
        shutil.rmtree(self._tmp, ignore_errors=True)


def _headers(csp: str) -> dict[str, str]:
    return {"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store"}


def create_app(state: PreviewState, *, watch: bool = True) -> Starlette:
    pages = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(default=True))

    async def index(request: Request) -> Response:
        body = pages.get_template("page.html.j2").render(file=state.path)
        return HTMLResponse(body, headers=_headers(PAGE_CSP))

    async def state_json(request: Request) -> Response:
        return JSONResponse(state.state(), headers=_headers(PAGE_CSP))

    async def events(request: Request) -> Response:
        async def stream():
            seen = -1
            while not state.closing:
                if state.version != seen:
                    seen = state.version
                    yield f"event: state\ndata: {json.dumps({'version': seen})}\n\n"
                try:
                    await asyncio.wait_for(state.changed.wait(), HEARTBEAT_SECONDS)
                except asyncio.TimeoutError:
                    if not state.closing:
                        yield ": keep-alive\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={**_headers(PAGE_CSP), "X-Accel-Buffering": "no"})

    async def rendered(request: Request) -> Response:
        good = state.good
        if good is None:
            return PlainTextResponse("尚无可显示的版本：数据文件有错误。", status_code=404, headers=_headers(RENDER_CSP))
        if request.path_params["n"] != state.good_version:
            return RedirectResponse(f"/render/{state.good_version}/", headers=_headers(RENDER_CSP))
        return HTMLResponse(good.html, headers=_headers(RENDER_CSP))

    async def files(request: Request) -> Response:
        from ..writers.pdf import default_template_dir, url_fetcher_for

        good = state.good
        fetcher = url_fetcher_for(good.template_dir if good and good.template_dir else default_template_dir())
        try:
            got = fetcher.fetch(Path("/" + request.path_params["path"]).as_uri())
            body = got.read()
        except Exception:   # refused (outside the template folders) or unreadable
            return PlainTextResponse("不提供此文件。", status_code=404, headers=_headers(RENDER_CSP))
        return Response(body, media_type=got.content_type, headers=_headers(RENDER_CSP))

    async def download(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in FORMATS:
            return PlainTextResponse("不支持的格式。", status_code=404, headers=_headers(PAGE_CSP))
        try:
            made = await anyio.to_thread.run_sync(state.download, fmt)
        except Exception as e:
            return PlainTextResponse(f"生成失败（{type(e).__name__}: {e}），请看预览页上的问题。", status_code=500,
                                     headers=_headers(PAGE_CSP))
        if made is None:
            return PlainTextResponse("尚无可下载的版本：数据文件有错误。", status_code=409, headers=_headers(PAGE_CSP))
        path, name = made
        return FileResponse(path, media_type=MEDIA[fmt], filename=name, headers=_headers(PAGE_CSP))

    async def refresh() -> None:
        if await anyio.to_thread.run_sync(state.refresh):
            state.changed.set()
            state.changed = asyncio.Event()

    async def watch_forever(stop: asyncio.Event) -> None:
        """Re-render on every save of the input, the user profile or its templates; re-arm when the
        set of watched paths changes (e.g. the file now names a profile file)."""
        while not stop.is_set():
            files, dirs = state.watched()
            halt = asyncio.Event()      # this round's end: stop, or the watched paths changed

            async def changed() -> None:
                await refresh()
                if state.watched() != (files, dirs):
                    halt.set()

            def relevant(changes) -> bool:
                return any(Path(c).resolve() in files or any(Path(c).is_relative_to(d) for d in dirs) for _, c in changes)

            groups = [({f.parent for f in files if f.parent.is_dir()}, False), (dirs, True)]
            async with anyio.create_task_group() as tg:
                for paths, recursive in groups:
                    if paths:
                        tg.start_soon(_watch, paths, recursive, relevant, changed, halt)
                await asyncio.wait([asyncio.create_task(halt.wait()), asyncio.create_task(stop.wait())],
                                   return_when=asyncio.FIRST_COMPLETED)
                halt.set()

    @asynccontextmanager
    async def lifespan(app):
        state.changed = asyncio.Event()
        stop = asyncio.Event()
        if state.current is None:
            await refresh()
        watcher = asyncio.create_task(watch_forever(stop)) if watch else None
        try:
            yield
        finally:
            stop.set()
            state.changed.set()
            if watcher:
                watcher.cancel()
            state.close()

    routes = [
        Route("/", index),
        Route("/state.json", state_json),
        Route("/events", events),
        Route("/render/{n:int}/", rendered),
        Route(FILES_PREFIX + "/{path:path}", files),
        Route("/download/{fmt}", download),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
    return Starlette(routes=routes, lifespan=lifespan,
                     middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost"])])


async def _watch(paths, recursive: bool, relevant, changed, halt: asyncio.Event) -> None:
    async for changes in awatch(*paths, stop_event=halt, step=30, recursive=recursive, rust_timeout=500):
        if relevant(changes):
            await changed()
