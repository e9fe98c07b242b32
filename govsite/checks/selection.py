"""Which pages the engines check: the browser checks all, or "smart" — changed pages plus one per
layout fingerprint; the static rules re-check only pages whose bytes changed.

The state file keeps, for the browser, the last passing check (page -> content hash, plus the
policy and axe version it ran with: a different policy or axe version re-checks everything),
and for the static rules every page's hash and findings under the rules' own fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from govsite.file_memo import FileMemo
from govsite.files import read_json, write_text_atomic

_REDIRECT_PAGE = re.compile(rb"<meta[^>]+name=[\"']govsite-redirect[\"']", re.I)
_BODY_TYPE = re.compile(rb"<body[^>]*\sdata-page-type=[\"']([\w-]+)", re.I)
_STYLESHEETS = re.compile(rb"<link[^>]+rel=[\"']?stylesheet[^>]*>", re.I)
_STRUCTURE = re.compile(rb"<(header|nav|main|footer|aside|form|table|iframe|video|audio|figure|section)\b[^>]*?"
                        rb"(?:\sclass=[\"']([^\"']*)[\"'])?", re.I)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def layout_fingerprint(data: bytes) -> str:
    """Pages rendered from the same template and layout share this fingerprint.

    Made of the theme's page type, the stylesheets and the sequence of structural elements
    (with their classes): cheap regexes, so it works on any HTML.
    """
    parts = [b"type:" + (m.group(1) if (m := _BODY_TYPE.search(data)) else b"?")]
    parts += sorted(set(_STYLESHEETS.findall(data)))
    parts += [m.group(1).lower() + b"." + (m.group(2) or b"") for m in _STRUCTURE.finditer(data)]
    return hashlib.sha256(b"\n".join(parts)).hexdigest()[:16]


def read_state(path: Path | None) -> dict:
    """The state file ({} when missing or damaged: that only means a full re-check)."""
    return read_json(path)


def write_state(path: Path, state: dict) -> None:
    """Write the state file (atomic)."""
    write_text_atomic(path, json.dumps(state, ensure_ascii=False, separators=(",", ":")))


def hash_memo_path(state_path: Path | str) -> Path:
    """Where the hashes of a site's pages are remembered between builds, beside the gate's state."""
    return Path(state_path).with_suffix(".hashes.json")


def page_hashes(root: Path, pages: list[str], memo: Path | None = None,
                identities: dict[str, tuple[int, int, int]] | None = None) -> dict[str, str]:
    """The content hash of every page.

    :param memo: a ``govsite.file_memo.FileMemo`` file: a page that is the same file as last time
        (pages an incremental build keeps are links to the live ones) is not read again; in a
        build the link check writes it and the gate reads it.
    :param identities: ``file_memo.listed_as`` of the pages: those are not stat'ed.
    """
    remembered = FileMemo(memo)
    identities = identities or {}
    hashes = {page: remembered.value(root, page, _page_hash, identities.get(page)) for page in pages}
    remembered.save()
    return hashes


def _page_hash(path: Path) -> str:
    return content_hash(path.read_bytes())


def unchanged_static(state: dict, key: str, hashes: dict[str, str]) -> dict[str, tuple[list[dict], dict]]:
    """Static findings and site-rule facts from the state for pages whose bytes are unchanged (same
    rules fingerprint)."""
    static = state.get("static") or {}
    if static.get("key") != key:
        return {}
    known = static.get("pages", {})
    return {page: (known[page][1], known[page][2] if len(known[page]) > 2 else {}) for page, digest in hashes.items()
            if page in known and known[page][0] == digest}


def select_pages(root: Path, pages: list[str], mode: str, state: dict, policy_key: str,
                 axe_version: str, hashes: dict[str, str]) -> list[str]:
    """The pages to check in the browser (``hashes``: every page's content hash).

    ``smart``: pages whose HTML changed since the last passing check (all of them when the
    policy or axe version differ), plus the first page of every layout fingerprint that has
    no changed page, so every template is exercised on every run.
    """
    fingerprints, redirects = {}, set()
    for page in pages:
        data = (root / page).read_bytes()
        if _REDIRECT_PAGE.search(data[:4096]):
            redirects.add(page)  # navigates away at once: static rules only
            continue
        fingerprints.setdefault(layout_fingerprint(data), []).append(page)
    pages = [p for p in pages if p not in redirects]
    if mode == "all" or state.get("policy") != policy_key or (axe_version and state.get("axe") != axe_version):
        return list(pages)
    previous = state.get("pages", {})
    changed = {p for p in pages if previous.get(p) != hashes[p]}
    for members in fingerprints.values():
        if not changed.intersection(members):
            changed.add(members[0])
    return [p for p in pages if p in changed]
