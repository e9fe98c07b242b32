"""The pinned axe-core: the vendored ``axe.min.js``, its version and checksum, verified at every load.

``vendor/axe-core/`` holds ``axe.min.js`` of the npm package ``axe-core`` (MPL-2.0, its ``LICENSE``
beside it), taken from the registry tarball whose ``dist.integrity`` is recorded below. A file that
does not match its pinned sha512 is never run: loading it raises AxeScriptInvalid (the gate fails).
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from govsite.errors import GovsiteError

VENDORED = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
VERSION = "4.14.1"
#: sha512 of vendor/axe-core/axe.min.js, in Subresource Integrity form.
SHA512 = "sha512-5j5ln5gG165b1AiZBDsIcaUGLFRCsBs/Gj7fXq9Qv1w6cQSnJGMpO0rRt3xmGg1OQOhQ3sid6dbs5wqME6mvFw=="
#: Where it came from: the registry tarball and the registry's integrity for it (``npm view axe-core@4.14.1 dist``).
TARBALL = "https://registry.npmjs.org/axe-core/-/axe-core-4.14.1.tgz"
TARBALL_INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="


class AxeScriptInvalid(GovsiteError):
    """The axe-core script is missing, is not axe-core, or does not match its pinned checksum."""


@dataclass(frozen=True)
class AxeScript:
    """A verified axe-core script: its text, version, sha512 and whether that sha512 was pinned."""

    path: Path
    source: str
    version: str
    integrity: str
    pinned: bool


def integrity_of(data: bytes) -> str:
    """``sha512-<base64>``, the form npm's ``dist.integrity`` and HTML's ``integrity=`` use."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def load_axe(path: str | Path = "", integrity: str = "") -> AxeScript:
    """Read and verify an axe-core script: the vendored one (always checked against SHA512) unless
    ``path`` names another, checked against ``integrity`` when one is given.

    :raises AxeScriptInvalid: when the file is missing, is not axe-core or its sha512 differs.
    """
    path = Path(path) if path else VENDORED
    expected = integrity or (SHA512 if path.resolve() == VENDORED else "")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AxeScriptInvalid(f"{path}: axe-core cannot be read ({exc.strerror or exc})") from None
    actual = integrity_of(data)
    if expected and actual != expected:
        raise AxeScriptInvalid(f"{path}: its sha512 is {actual}, expected {expected}: the axe-core file was changed "
                               "or replaced; restore it (git checkout) or pin the new file's checksum")
    match = re.search(r"axe v(\d+\.\d+\.\d+[\w.-]*)", data[:200].decode("utf-8", "replace"))
    if not match:
        raise AxeScriptInvalid(f"{path}: not an axe-core build (no '/*! axe vX.Y.Z' header)")
    return AxeScript(path, data.decode("utf-8"), match.group(1), actual, bool(expected))
