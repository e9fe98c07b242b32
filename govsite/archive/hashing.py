"""SHA-256 and SM3 (GB/T 32905-2016, the national standard hash) of files and bytes, streamed.

SM3 comes from ``cryptography`` (OpenSSL's implementation, bundled in its wheels, about 200 MB/s);
the pure-Python SM3 of ``gmssl`` gives the same digests (tested) but is a thousand times slower, so
it is used only for SM2 signatures (``archive.signing``).
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from cryptography.hazmat.primitives import hashes

CHUNK = 1024 * 1024


class SM3:
    """A hashlib-style SM3 object (``update``, ``digest``, ``hexdigest``)."""

    name = "sm3"
    digest_size = 32

    def __init__(self, data: bytes = b""):
        self._hash = hashes.Hash(hashes.SM3())
        self._digest: bytes | None = None
        if data:
            self.update(data)

    def update(self, data: bytes) -> None:
        self._hash.update(data)

    def digest(self) -> bytes:
        if self._digest is None:
            self._digest = self._hash.finalize()
        return self._digest

    def hexdigest(self) -> str:
        return self.digest().hex()


def sm3_hex(data: bytes) -> str:
    """The SM3 digest of ``data`` as 64 lower-case hex digits."""
    return SM3(data).hexdigest()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digests(path: Path | str, sm3: bool = True) -> tuple[int, str, str]:
    """``(size, sha256 hex, sm3 hex or "")`` of a file, read in 1 MiB chunks."""
    sha = hashlib.sha256()
    national = SM3() if sm3 else None
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            size += len(chunk)
            sha.update(chunk)
            if national:
                national.update(chunk)
    return size, sha.hexdigest(), national.hexdigest() if national else ""


def warc_digest(raw: bytes) -> str:
    """A WARC digest header value, ``sha256:<64 hex digits>`` (base16, as browsertrix-crawler writes it;
    warcio and pywb read base16 and base32 alike), from raw digest bytes."""
    return "sha256:" + raw.hex()


def hex_from_warc_digest(value: str) -> str:
    """The hex form of a ``sha256:<base32>`` (or base16) WARC digest; "" when it is not SHA-256."""
    algorithm, _, encoded = value.partition(":")
    if algorithm.lower().replace("-", "") != "sha256":
        return ""
    if len(encoded) == 64:
        return encoded.lower()
    try:
        return base64.b32decode(encoded.upper()).hex()
    except ValueError:
        return ""
