"""Which pages the browser checks: all, or "smart" — changed pages plus one per layout fingerprint.

The state of the last passing check (page -> content hash, plus the policy and axe version it
ran with) is kept in a small JSON file; a different policy or axe version re-checks everything.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

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
    if path is None or not path.is_file():
        return {}
    try:
        return json.loads(path.read_text("utf-8"))
    except ValueError:
        return {}  # a damaged state only means a full re-check


def write_state(path: Path, hashes: dict[str, str], policy_key: str, axe_version: str) -> None:
    """Record the pages of a passing check (atomic write)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + f".tmp{os.getpid()}")
    temporary.write_text(json.dumps({"policy": policy_key, "axe": axe_version, "pages": hashes}), "utf-8")
    temporary.replace(path)


def select_pages(root: Path, pages: list[str], mode: str, state: dict, policy_key: str,
                 axe_version: str) -> tuple[list[str], dict[str, str]]:
    """The pages to check in the browser, and the content hash of every page.

    ``smart``: pages whose HTML changed since the last passing check (all of them when the
    policy or axe version differ), plus the first page of every layout fingerprint that has
    no changed page, so every template is exercised on every run.
    """
    hashes, fingerprints, redirects = {}, {}, set()
    for page in pages:
        data = (root / page).read_bytes()
        hashes[page] = content_hash(data)
        if _REDIRECT_PAGE.search(data[:4096]):
            redirects.add(page)  # navigates away at once: static rules only
            continue
        fingerprints.setdefault(layout_fingerprint(data), []).append(page)
    pages = [p for p in pages if p not in redirects]
    if mode == "all" or state.get("policy") != policy_key or (axe_version and state.get("axe") != axe_version):
        return list(pages), hashes
    previous = state.get("pages", {})
    changed = {p for p in pages if previous.get(p) != hashes[p]}
    for members in fingerprints.values():
        if not changed.intersection(members):
            changed.add(members[0])
    return [p for p in pages if p in changed], hashes
