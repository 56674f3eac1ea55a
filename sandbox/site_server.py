"""SiteServer: serves site snapshots on 127.0.0.1 with injectable faults (tests, offline demo, benchmarks)."""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

from scrapers.sources import SourceConfig, load_sources

DEFAULT_SITES_DIR = Path(__file__).resolve().parent / "snapshots"  # shipped as package data
NEW_ITEMS_MARKER = "<!-- coopnews:new-items -->"
LAST_MODIFIED = format_datetime(datetime(2025, 11, 1, tzinfo=UTC), usegmt=True)
CONTENT_TYPES = {".html": "text/html", ".xml": "application/rss+xml", ".txt": "text/plain"}
ROOT_LINK = re.compile(r"""((?:href|src|content)=["'])/(?!/)""")


@dataclass
class Fault:
    """What to do instead of (or before) serving a path normally."""

    statuses: list[int] = field(default_factory=list)  # consumed one per request, then normal service
    retry_after: str | None = None
    hang: bool = False
    redirect_loop: bool = False
    huge_bytes: int = 0
    junk: bool = False
    malformed: bool = False
    latency: float = 0.0


class SiteServer:
    """An aiohttp app on a random local port serving `<root>/<source-id>/...` as `/<source-id>/...`."""

    def __init__(self, root: Path = DEFAULT_SITES_DIR, latency: float = 0.0, etags: bool = True) -> None:
        self.root = root
        self.latency = latency  # applied to every response
        self.etags = etags
        self.robots_txt = ""
        self.faults: dict[str, Fault] = {}
        self.hits: Counter[str] = Counter()
        self.origins: dict[str, str] = {}  # source id -> the real site's origin, for link rebasing
        self._published: dict[str, bytes] = {}
        self._new_items: dict[str, list[str]] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle --------------------------------------------------------------------------------
    async def __aenter__(self) -> SiteServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server  # the only way aiohttp exposes the bound port of port 0
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """Absolute URL of a path on this server."""
        return self.base_url + "/" + path.lstrip("/")

    # -- runtime changes --------------------------------------------------------------------------
    def set_fault(self, path: str, fault: Fault) -> None:
        """Misbehave on one path (exact path, no query)."""
        self.faults["/" + path.lstrip("/")] = fault

    def clear_faults(self) -> None:
        self.faults.clear()

    def publish(self, source_id: str, article_path: str, article_html: str, list_item_html: str) -> str:
        """Add an article page and put its list entry at the top of the source's list page or feed."""
        path = f"/{source_id}/{article_path.lstrip('/')}"
        self._published[path.rstrip("/")] = article_html.encode("utf-8")
        self._new_items.setdefault(source_id, []).insert(0, list_item_html)
        return self.url(path)

    # -- serving ----------------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        self.hits[path] += 1
        fault = self.faults.get(path)
        delay = self.latency + (fault.latency if fault else 0.0)
        if delay:
            await asyncio.sleep(delay)
        if path == "/robots.txt":
            return (
                web.Response(text=self.robots_txt, content_type="text/plain")
                if self.robots_txt
                else web.Response(status=404)
            )
        if fault is not None:
            answer = await self._fault_response(request, fault)
            if answer is not None:
                return answer
        body, content_type = self._content(path)
        if body is None:
            return web.Response(status=404, text="not found")
        return self._conditional(request, body, content_type)

    async def _fault_response(self, request: web.Request, fault: Fault) -> web.StreamResponse | None:
        if fault.statuses:
            status = fault.statuses.pop(0)
            if status != 200:
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                return web.Response(status=status, headers=headers, text=f"status {status}")
        if fault.hang:
            await asyncio.Event().wait()  # until the client goes away and aiohttp cancels us
        if fault.redirect_loop:
            # Two hops that point at each other: /p -> /p?hop=1 -> /p -> ...
            target = request.path if request.query.get("hop") else request.path + "?hop=1"
            return web.Response(status=302, headers={"Location": target})
        if fault.huge_bytes:
            return await self._stream_huge(request, fault.huge_bytes)
        if fault.junk:
            return web.Response(body=bytes(range(256)) * 64, content_type="text/html")
        if fault.malformed:
            html = "<html><body><div><h1>Broken <b>page<p>text without <i>closing tags <table><tr><td>cell"
            return web.Response(text=html + "\ufffd&#xZZ;<<>>" * 10, content_type="text/html")
        return None

    async def _stream_huge(self, request: web.Request, size: int) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8"})
        await response.prepare(request)
        chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        sent = 0
        try:
            while sent < size:
                await response.write(chunk)
                sent += len(chunk)
        except (ConnectionResetError, ConnectionError):
            pass  # the client stopped reading: exactly what the size cap should do
        return response

    def _conditional(self, request: web.Request, body: bytes, content_type: str) -> web.Response:
        if not self.etags:
            return web.Response(body=body, content_type=content_type)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if request.headers.get("If-None-Match") == etag or (
            "If-None-Match" not in request.headers and request.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            return web.Response(status=304, headers=headers)
        return web.Response(body=body, content_type=content_type, headers=headers)

    def _content(self, path: str) -> tuple[bytes | None, str]:
        source_id = path.strip("/").split("/", 1)[0]
        published = self._published.get(path.rstrip("/"))
        if published is not None:
            return published, "text/html"
        file = self._find_file(path)
        if file is None:
            return None, ""
        body = file.read_bytes()
        if file.name in ("list.html", "feed.xml") and self._new_items.get(source_id):
            extra = "\n".join(self._new_items[source_id]).encode("utf-8")
            body = body.replace(NEW_ITEMS_MARKER.encode(), NEW_ITEMS_MARKER.encode() + b"\n" + extra, 1)
        return self._rebase(body, source_id), CONTENT_TYPES.get(file.suffix, "application/octet-stream")

    def _find_file(self, path: str) -> Path | None:
        relative = path.strip("/").replace(":", "_")
        if not relative or ".." in relative.split("/"):
            return None
        base = self.root / relative
        for candidate in (base, base.with_name(base.name + ".html"), base / "index.html"):
            if candidate.is_file():
                return candidate
        return None

    def _rebase(self, body: bytes, source_id: str) -> bytes:
        """Point the snapshot's links (root-relative or on the real host) back at this server."""
        prefix = f"{self.base_url}/{source_id}/"
        origin = self.origins.get(source_id)
        text = body.decode("latin-1")  # byte-transparent: works for cp1251 pages too
        if origin:
            text = re.sub(re.escape(origin) + "/", prefix, text)
        text = ROOT_LINK.sub(lambda m: m.group(1) + f"/{source_id}/", text)
        return text.encode("latin-1")


def list_path(root: Path, source: SourceConfig) -> str:
    """The snapshot path serving as this source's list page or feed."""
    return f"/{source.id}/feed.xml" if (root / source.id / "feed.xml").is_file() else f"/{source.id}/list.html"


def sources_for(server: SiteServer, sources: list[SourceConfig] | None = None) -> list[SourceConfig]:
    """The given (default: bundled) sources, every URL pointing at this server's snapshot of it."""
    chosen = sources if sources is not None else load_sources().sources
    rewritten = []
    for source in chosen:
        parts = urlsplit(source.url)
        server.origins[source.id] = f"{parts.scheme}://{parts.netloc}"
        rewritten.append(source.model_copy(update={"url": server.url(list_path(server.root, source))}))
    return rewritten


def write_sources_toml(sources: list[SourceConfig], path: Path) -> None:
    """Write sources as a sources.toml (e.g. a demo config pointing at a SiteServer)."""
    lines: list[str] = []
    for source in sources:
        lines.append("[[sources]]")
        for key, value in source.model_dump(exclude={"selectors"}, exclude_none=True).items():
            if isinstance(value, bool):
                lines.append(f"{key} = {str(value).lower()}")
            else:
                lines.append(f"{key} = {value}" if isinstance(value, int) else f'{key} = "{value}"')
        if source.selectors:
            lines.append("[sources.selectors]")
            lines.extend(f'{key} = "{value}"' for key, value in source.selectors.items())
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
