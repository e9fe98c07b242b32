"""External links, checked only on request (``invoke check-links --external``), never in a build.

HEAD first, GET when the server refuses HEAD; redirects followed; a timeout per request; at most
``external_concurrency`` requests in flight, one at a time per host with ``external_host_delay``
seconds between them; results cached in a JSON file for ``external_ttl_hours``.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

from .links_settings import LinkSettings

USER_AGENT = "govsite-link-check/1.0 (+government website link availability check)"
#: Statuses after which a HEAD request is retried as GET.
RETRY_WITH_GET = frozenset({400, 403, 404, 405, 406, 501})
#: Statuses not cached (the answer may differ soon).
TRANSIENT = frozenset({429, 502, 503, 504})


class HostPacer:
    """One request at a time per host, with a minimum delay between two requests to it."""

    def __init__(self, delay: float):
        self.delay = delay
        self.locks: dict[str, threading.Lock] = {}
        self.last: dict[str, float] = {}
        self.guard = threading.Lock()

    def lock(self, host: str) -> threading.Lock:
        with self.guard:
            return self.locks.setdefault(host, threading.Lock())

    def wait(self, host: str) -> None:
        """Called with the host's lock held: sleep until the host may be asked again."""
        pause = self.last.get(host, 0) + self.delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)

    def done(self, host: str) -> None:
        self.last[host] = time.monotonic()


def _request(url: str, method: str, timeout: float) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if method == "GET":
                response.read(1024)
            return response.status, response.geturl()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.geturl() or url


def fetch(url: str, timeout: float) -> dict:
    """One URL's result: ``ok``, ``status``, ``final`` URL (after redirects), ``error``."""
    try:
        status, final = _request(url, "HEAD", timeout)
        if status in RETRY_WITH_GET:
            status, final = _request(url, "GET", timeout)
    except TimeoutError:
        return {"ok": False, "status": None, "final": url, "error": f"timeout after {timeout:g} s"}
    except urllib.error.URLError as exc:
        reason = exc.reason
        text = f"timeout after {timeout:g} s" if isinstance(reason, TimeoutError) else str(reason)
        return {"ok": False, "status": None, "final": url, "error": text}
    except (OSError, ValueError) as exc:
        return {"ok": False, "status": None, "final": url, "error": str(exc)}
    error = "" if status < 400 else f"HTTP {status}"
    return {"ok": status < 400, "status": status, "final": final, "error": error}


class ExternalChecker:
    """Checks a set of external URLs with a cache, per-host pacing and a concurrency limit."""

    def __init__(self, settings: LinkSettings, cache_file: Path | str | None = None, clock=time.time):
        self.settings = settings
        self.cache_file = Path(cache_file or settings.external_cache)
        self.clock = clock
        self.pacer = HostPacer(settings.external_host_delay)
        self.cache = self._load()
        self.requested: list[str] = []  # URLs actually fetched in this run (not from the cache)

    def _load(self) -> dict:
        try:
            data = json.loads(self.cache_file.read_text("utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def fresh(self, url: str) -> dict | None:
        entry = self.cache.get(url)
        if entry and self.clock() - entry.get("checked", 0) < self.settings.external_ttl_hours * 3600:
            return entry
        return None

    def _one(self, url: str) -> dict:
        host = (urlsplit(url).hostname or "").lower()
        with self.pacer.lock(host):
            self.pacer.wait(host)
            try:
                result = fetch(url, self.settings.external_timeout)
            finally:
                self.pacer.done(host)
        self.requested.append(url)
        return result | {"checked": self.clock()}

    def check(self, urls, progress=None) -> dict[str, dict]:
        """Results for every URL (cached ones reused); the cache file is updated."""
        urls = sorted(set(urls))
        results = {url: entry for url in urls if (entry := self.fresh(url))}
        todo = [url for url in urls if url not in results]
        if progress and results:
            progress(len(results))
        with ThreadPoolExecutor(max_workers=self.settings.external_concurrency) as pool:
            for url, result in zip(todo, pool.map(self._one, todo)):
                results[url] = result
                if result["status"] not in TRANSIENT and not result["error"].startswith("timeout"):
                    self.cache[url] = result
                if progress:
                    progress(1)
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        self.cache_file.write_text(json.dumps(self.cache, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
        return results
