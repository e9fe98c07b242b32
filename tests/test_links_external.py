"""External links on request (checks/external_links.py) against a loopback http.server: no internet."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from govsite.checks.external_links import ExternalChecker
from govsite.checks.links_cli import main as links_main
from govsite.checks.links_settings import load_link_settings


class Handler(BaseHTTPRequestHandler):
    hits: list[tuple[str, str, float]] = []

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, body: bool) -> None:
        Handler.hits.append((self.command, self.path, time.monotonic()))
        if self.path.startswith("/ok"):
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok-after-redirect")
        elif self.path == "/gone-redirect":
            self.send_response(302)
            self.send_header("Location", "/missing")
        elif self.path == "/slow":
            time.sleep(1.5)
            self.send_response(200)
        elif self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path == "/no-head":
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "2" if body else "0")
        self.end_headers()
        if body and self.command == "GET":
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)


@pytest.fixture
def server():
    Handler.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def settings(**values):
    return load_link_settings({"external_timeout": 0.5, "external_host_delay": 0.0, **values})


def test_statuses_redirects_head_fallback_and_timeout(server, tmp_path):
    checker = ExternalChecker(settings(external_concurrency=4), tmp_path / "cache.json")
    urls = [f"{server}/ok", f"{server}/missing", f"{server}/moved", f"{server}/gone-redirect", f"{server}/slow",
            f"{server}/no-head"]
    results = checker.check(urls)
    assert results[f"{server}/ok"]["ok"] and results[f"{server}/ok"]["status"] == 200
    assert not results[f"{server}/missing"]["ok"] and results[f"{server}/missing"]["error"] == "HTTP 404"
    assert results[f"{server}/moved"]["ok"] and results[f"{server}/moved"]["final"].endswith("/ok-after-redirect")
    assert not results[f"{server}/gone-redirect"]["ok"]
    assert not results[f"{server}/slow"]["ok"] and "timeout" in results[f"{server}/slow"]["error"]
    assert results[f"{server}/no-head"]["ok"]
    assert ("GET", "/no-head") in {(m, p) for m, p, _ in Handler.hits}  # HEAD refused, then GET
    assert ("GET", "/ok") not in {(m, p) for m, p, _ in Handler.hits}  # HEAD was enough


def test_cache_reuses_results_until_the_ttl_and_skips_timeouts(server, tmp_path):
    now = [1_000_000.0]
    cache = tmp_path / "cache.json"
    urls = [f"{server}/ok", f"{server}/missing", f"{server}/slow"]
    first = ExternalChecker(settings(external_ttl_hours=1), cache, clock=lambda: now[0])
    first.check(urls)
    assert sorted(first.requested) == sorted(urls)
    second = ExternalChecker(settings(external_ttl_hours=1), cache, clock=lambda: now[0] + 1800)
    results = second.check(urls)
    assert second.requested == [f"{server}/slow"], "only the timed-out URL is asked again"
    assert results[f"{server}/missing"]["error"] == "HTTP 404"
    now[0] += 3 * 3600
    third = ExternalChecker(settings(external_ttl_hours=1), cache, clock=lambda: now[0])
    third.check(urls)
    assert sorted(third.requested) == sorted(urls), "expired entries are checked again"


def test_requests_to_one_host_are_paced(server, tmp_path):
    checker = ExternalChecker(settings(external_host_delay=0.3, external_concurrency=4), tmp_path / "c.json")
    checker.check([f"{server}/ok{i}" for i in range(4)])
    times = sorted(t for _, _, t in Handler.hits)
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(times) == 4 and min(gaps) >= 0.28, gaps


def test_cli_reports_broken_external_links(server, tmp_path, capsys):
    site = tmp_path / "out" / "www.example.gov.cn"
    site.mkdir(parents=True)
    (site / "index.html").write_text(f"<html><body><a href='{server}/ok'>a</a><a href='{server}/missing'>b</a>"
                                     "</body></html>", "utf-8")
    assert links_main([str(site)]) == 0, "external links are not fetched without --external"
    assert Handler.hits == []
    code = links_main([str(site), "--external", "--cache", str(tmp_path / "c.json"), "--report", str(tmp_path / "r")])
    out = capsys.readouterr().out
    assert code == 1 and f"{server}/missing — HTTP 404 (on index.html)" in out
    assert "外部链接检查结果" in (tmp_path / "r" / "links.html").read_text("utf-8")
