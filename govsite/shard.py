"""Shards: a deterministic share of the group's sites for one independent build job (CI matrix).

A site belongs to shard ``int(sha256(site id)) % N + 1``: stable across runs, machines and the
order of the group's folders, and every site is in exactly one shard.
"""

from __future__ import annotations

import hashlib
import re

from .errors import UsageError

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_shard(spec: str) -> tuple[int, int]:
    """``"K/N"`` → ``(K, N)`` with 1 <= K <= N (a usage error naming ``--shard`` otherwise)."""
    match = _SPEC.match(str(spec))
    if not match:
        raise UsageError(f"--shard {spec!r}: expected K/N, e.g. --shard 2/4 (the 2nd of 4 shards)")
    k, n = int(match[1]), int(match[2])
    if n < 1 or not 1 <= k <= n:
        raise UsageError(f"--shard {spec!r}: K must be between 1 and N (N >= 1), e.g. --shard 1/{max(n, 1)}")
    return k, n


def shard_of(site_id: str, count: int) -> int:
    """The shard (1..count) a site id belongs to."""
    return int.from_bytes(hashlib.sha256(site_id.encode("utf-8")).digest()[:8], "big") % count + 1


def in_shard(sites, spec: str | None):
    """The sites of shard ``spec`` (all of them when ``spec`` is None or empty)."""
    if not spec:
        return list(sites)
    k, n = parse_shard(spec)
    return [site for site in sites if shard_of(site.id, n) == k]
