"""Serve a built group on loopback: each site by Host header or by path (``/<domain>/...``)."""

from __future__ import annotations

import html
import mimetypes
import posixpath
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .boundary import is_inside

mimetypes.add_type("image/svg+xml", ".svg")


def site_folders(output: Path) -> list[str]:
    """Domains with a built site in ``output`` (dot-folders such as staging are skipped)."""
    return sorted(p.name for p in output.iterdir() if p.is_dir() and not p.name.startswith("."))


def _parts(path: str) -> list[str]:
    return [p for p in posixpath.normpath(unquote(urlsplit(path).path)).split("/") if p not in ("", ".", "..")]


def _is_site(output: Path, name: str) -> bool:
    """Whether ``name`` (from a Host header or a path segment: untrusted) is a built site's folder."""
    return (bool(name) and not name.startswith(".") and "/" not in name and "\\" not in name
            and not (output / name).is_symlink() and (output / name).is_dir())


def resolve(output: Path, host: str, path: str, referer: str = "") -> tuple[Path | None, Path | None]:
    """Map a request to ``(file, site_root)``; file is None when nothing matches.

    The site is the Host header's domain, else the first path segment, else (for the
    root-relative links of a 404 page previewed by path) the referring page's site.
    """
    host = host.split(":")[0].lower()
    parts = _parts(path)
    referer_parts = _parts(referer) if referer else []
    if _is_site(output, host):
        root, rest = output / host, parts
    elif parts and _is_site(output, parts[0]):
        root, rest = output / parts[0], parts[1:]
    elif referer_parts and _is_site(output, referer_parts[0]):
        root, rest = output / referer_parts[0], parts
    else:
        return None, None
    file = root.joinpath(*rest)
    if file.is_dir():
        file = file / "index.html"
    inside = is_inside(root, file)  # never a file a link leads out of the site
    return (file if inside and file.is_file() else None), root


class GroupRequestHandler(BaseHTTPRequestHandler):
    """Read-only handler for a folder of built sites."""

    def __init__(self, *args, output: Path, **kwargs):
        self.output = output
        super().__init__(*args, **kwargs)

    def do_GET(self):
        self._respond(head_only=False)

    def do_HEAD(self):
        self._respond(head_only=True)

    def _respond(self, head_only: bool):
        path = self.path
        if path.split("?")[0] == "/" and not _is_site(self.output, self.headers.get("Host", "").split(":")[0].lower()):
            return self._send(200, "text/html; charset=utf-8", self._listing(), head_only)
        file, root = resolve(self.output, self.headers.get("Host", ""), path, self.headers.get("Referer", ""))
        if file is not None:
            # A site folder reached by path without a trailing slash: redirect so relative links work.
            parts = urlsplit(path).path.rstrip("/").split("/")
            if len(parts) == 2 and parts[1] == root.name and not urlsplit(path).path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.end_headers()
                return
            ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if ctype.startswith("text/") or ctype.endswith(("xml", "javascript", "json")):
                ctype += "; charset=utf-8"
            return self._send(200, ctype, file.read_bytes(), head_only)
        not_found = root / "404.html" if root else None
        body = not_found.read_bytes() if not_found and not_found.is_file() else b"404 Not Found"
        self._send(404, "text/html; charset=utf-8", body, head_only)

    def _listing(self) -> bytes:
        items = "".join(f'<li><a href="/{html.escape(d)}/">{html.escape(d)}</a></li>'
                        for d in site_folders(self.output))
        return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>站群预览</title>'
                f'</head><body><main><h1>站群预览</h1><ul>{items}</ul></main></body></html>').encode()

    def _send(self, status: int, ctype: str, body: bytes, head_only: bool):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


def make_server(output: Path | str, port: int = 8000, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server for ``output`` bound to loopback (port 0 picks a free port)."""
    handler = partial(GroupRequestHandler, output=Path(output).resolve())
    return ThreadingHTTPServer((host, port), handler)
