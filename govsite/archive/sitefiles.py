"""The files of a site folder as web resources: safe walking, URLs, content types, page titles.

Paths are relative POSIX strings in sorted order, so every run over the same folder sees the same
sequence. Symbolic links that leave the folder are reported, never followed; linked folders inside
it are skipped (their files are reached through their real path).
"""

from __future__ import annotations

import codecs
import html
import mimetypes
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from govsite.charset import META_CHARSET

from .errors import ArchiveUsageError

MANIFEST_NAME = ".govsite-manifest.json"
SIGNATURE_NAME = ".govsite-manifest.sig"
# Written next to the output by the build; never part of a site's content.
RESERVED = frozenset({MANIFEST_NAME, SIGNATURE_NAME})
# Deployment files the build moves out of the site folder (to <output>/.deploy/<domain>/) after the swap.
BUILD_ONLY = frozenset({".govsite"})

INDEX_NAMES = ("index.html", "index.htm", "index.shtml", "default.html", "default.htm")

CONTENT_TYPES = {
    "html": "text/html", "htm": "text/html", "shtml": "text/html", "xhtml": "application/xhtml+xml",
    "css": "text/css", "js": "text/javascript", "mjs": "text/javascript", "json": "application/json",
    "xml": "application/xml", "rss": "application/rss+xml", "atom": "application/atom+xml",
    "txt": "text/plain", "csv": "text/csv", "md": "text/markdown",
    "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
    "webp": "image/webp", "avif": "image/avif", "ico": "image/vnd.microsoft.icon", "bmp": "image/bmp",
    "tif": "image/tiff", "tiff": "image/tiff",
    "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf", "eot": "application/vnd.ms-fontobject",
    "pdf": "application/pdf", "ofd": "application/ofd", "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "wps": "application/vnd.ms-works", "et": "application/vnd.ms-excel", "dps": "application/vnd.ms-powerpoint",
    "rtf": "application/rtf", "zip": "application/zip", "rar": "application/vnd.rar",
    "7z": "application/x-7z-compressed", "gz": "application/gzip",
    "mp4": "video/mp4", "webm": "video/webm", "mp3": "audio/mpeg", "wav": "audio/wav", "ogg": "audio/ogg",
    "flv": "video/x-flv", "swf": "application/x-shockwave-flash", "wasm": "application/wasm",
}
# Python's built-in table only (no /etc/mime.types), so every machine gives the same answer.
_BUILTIN_TYPES = mimetypes.MimeTypes(filenames=())

_TEXTUAL = re.compile(r"^(text/|application/(json|javascript|xml|xhtml\+xml|[\w.+-]*\+xml)$)")
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_CSS_CHARSET = re.compile(rb"""^@charset\s+["']([A-Za-z0-9_.:-]+)""")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_URL_SAFE = "/-._~!$&'()*+,;=:@"


@dataclass(frozen=True)
class SiteFile:
    """One file of a site folder."""

    rel: str  # relative POSIX path, e.g. "news/index.html"
    location: str  # the file's path as a string (``path``, made when asked for: a walk lists 10,000s)
    size: int
    mtime: float
    link_outside: str = ""  # the target, when this is a symbolic link leaving the folder
    inode: int = 0
    mtime_ns: int = 0

    @property
    def path(self) -> Path:
        return Path(self.location)

    @property
    def hidden(self) -> bool:
        """A dot-file or a file in a dot-folder: deployed, but not a page of the site."""
        return any(part.startswith(".") for part in self.rel.split("/"))


def walk(root: Path | str, skipped: list[str] | None = None) -> list[SiteFile]:
    """Every regular file under ``root`` (not the build manifest), sorted by relative path.

    :param skipped: receives a note for each linked folder or special file left out.
    :raises ArchiveUsageError: when ``root`` is not a folder.
    """
    root = Path(root)
    if not root.is_dir():
        raise ArchiveUsageError(f"{root}: not a folder")
    real_root = root.resolve()
    files: list[SiteFile] = []
    stack = [""]
    while stack:
        prefix = stack.pop()
        folder = root / prefix if prefix else root
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            raise ArchiveUsageError(f"{folder}: cannot read the folder ({exc.strerror})") from exc
        for entry in entries:
            rel = f"{prefix}/{entry.name}" if prefix else entry.name
            if not prefix and (entry.name in RESERVED or entry.name in BUILD_ONLY):
                continue
            path = entry.path
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                inside = target == str(real_root) or target.startswith(str(real_root) + os.sep)
                if not inside:
                    files.append(SiteFile(rel, path, 0, 0.0, link_outside=target))
                    continue
                if os.path.isdir(target):
                    if skipped is not None:
                        skipped.append(f"{rel}: a linked folder, skipped (its files are under {target})")
                    continue
            try:
                info = entry.stat()
            except OSError as exc:
                raise ArchiveUsageError(f"{path}: cannot read ({exc.strerror})") from exc
            if stat.S_ISDIR(info.st_mode):
                stack.append(rel)
            elif stat.S_ISREG(info.st_mode):
                files.append(SiteFile(rel, path, info.st_size, info.st_mtime, inode=info.st_ino, mtime_ns=info.st_mtime_ns))
            elif skipped is not None:
                skipped.append(f"{rel}: not a regular file, skipped")
    files.sort(key=lambda f: f.rel)
    return files


def base_url(domain: str) -> str:
    """``https://<domain>/`` for a host name; a given ``http(s)://host[/prefix]`` is kept (with a final /)."""
    domain = domain.strip()
    if "://" in domain:
        parts = urlsplit(domain)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ArchiveUsageError(f"--domain {domain!r}: expected a host name or an http(s):// URL")
        return domain if domain.endswith("/") else domain + "/"
    if not re.fullmatch(r"[^\s/:?#]+(:\d+)?", domain):
        raise ArchiveUsageError(f"--domain {domain!r}: expected a host name such as www.example.gov.cn")
    return f"https://{domain.lower()}/"


def url_for(base: str, rel: str) -> str:
    """The absolute URL of a relative path (percent-encoded as UTF-8 bytes of the file name)."""
    return base + quote(os.fsencode(rel), safe=_URL_SAFE)


def directory_url(base: str, rel: str) -> str | None:
    """For an index file, the URL of its folder (``.../news/``); None for other files."""
    folder, _, name = rel.rpartition("/")
    if name.lower() not in INDEX_NAMES:
        return None
    return url_for(base, folder + "/") if folder else base


def content_type(rel: str) -> str:
    """The media type of a path, from a fixed table (then Python's built-in one), else octet-stream."""
    name = rel.rsplit("/", 1)[-1].lower()
    if name.endswith("atom.xml"):
        return "application/atom+xml"
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension in CONTENT_TYPES:
        return CONTENT_TYPES[extension]
    guessed, _ = _BUILTIN_TYPES.guess_type("x." + extension, strict=False) if extension else (None, None)
    return guessed or "application/octet-stream"


def is_textual(media_type: str) -> bool:
    return bool(_TEXTUAL.match(media_type))


def sniff_charset(media_type: str, head: bytes, complete: bool) -> str:
    """The charset of a text resource: BOM, declaration (meta, XML, @charset), else UTF-8 if it decodes.

    :param head: the start of the file (all of it when ``complete``).
    :returns: a lower-case charset name, or "" when unknown (the client will sniff).
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    declared = None
    if media_type in ("text/html", "application/xhtml+xml"):
        declared = META_CHARSET.search(head[:4096])
    if not declared and (media_type.endswith("xml")):
        declared = _XML_ENCODING.match(head)
    if not declared and media_type == "text/css":
        declared = _CSS_CHARSET.match(head)
    if declared:
        label = declared.group(1).decode("ascii", "replace").lower()
        try:
            codecs.lookup(label)
            return label
        except LookupError:
            pass
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if not complete and exc.start >= len(head) - 3:  # a character cut at the end of the sample
            return "utf-8"
        return ""


#: Server-side page extensions (a saved legacy site keeps them): HTML when the bytes say so.
SERVER_PAGES = frozenset({"jsp", "jspx", "asp", "aspx", "php", "do", "action", "cgi", "shtm", "dhtml"})
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta|title|body)[\s>/]",
                         re.I | re.S)


def looks_like_html(head: bytes) -> bool:
    """The file starts as an HTML document does (BOM, spaces and comments allowed before the first tag)."""
    return bool(_HTML_START.match(head[:4096]))


def http_content_type(rel: str, head: bytes, complete: bool) -> str:
    """The Content-Type header for a file: its media type, with a charset for text. A server page
    (``.jsp``, ``.asp``, ``.aspx``, ``.php``...) or a file of unknown type whose bytes are HTML is
    ``text/html``, so a saved legacy site replays."""
    media_type = content_type(rel)
    extension = rel.rsplit("/", 1)[-1].rpartition(".")[2].lower() if "." in rel.rsplit("/", 1)[-1] else ""
    if (media_type == "application/octet-stream" or extension in SERVER_PAGES) and looks_like_html(head):
        media_type = "text/html"
    if is_textual(media_type):
        charset = sniff_charset(media_type, head, complete)
        if charset:
            return f"{media_type}; charset={charset}"
    return media_type


def page_title(head: bytes, charset: str) -> str:
    """The text of the page's ``<title>`` (entities decoded, spaces collapsed), or ""."""
    text = head.decode(charset or "utf-8", "replace")
    found = _TITLE.search(text)
    if not found:
        return ""
    return " ".join(html.unescape(_TAG.sub("", found.group(1))).split())
