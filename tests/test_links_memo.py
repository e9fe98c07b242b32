"""Link outcomes remembered between checks (checks/links_memo.py): only what a change touches is
resolved again, and the report equals a check without any cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from govsite.checks import links
from govsite.checks.links import check_links

from test_links import write

DOMAIN = "www.example.gov.cn"


@pytest.fixture
def site(tmp_path) -> Path:
    root = tmp_path / "out" / DOMAIN
    write(root, "index.html", body="<a href='news/'>新闻</a><a href='news/a.html#part'>a</a><a href='https://x.example.com/'>x</a>")
    write(root, "news/index.html", body="<a href='a.html'>a</a><a href='b.html'>b</a><a href='../about'>about</a>")
    write(root, "news/a.html", body="<h2 id='part'>p</h2><a href='../index.html'>h</a>")
    write(root, "news/b.html", body="<a href='a.html'>a</a>")
    write(root, "about/index.html", body="<a href='/news/b.html'>b</a>")
    return root


@pytest.fixture
def resolved(monkeypatch) -> list[str]:
    """The pages whose links were resolved (not taken from the cache), in order."""
    pages: list[str] = []
    original = links.LinkChecker.check_page

    def counting(self, name, scan):
        pages.append(name)
        return original(self, name, scan)

    monkeypatch.setattr(links.LinkChecker, "check_page", counting)
    return pages


def checked(site: Path, cache: Path, **options):
    """The cached check's report as a dict, after asserting it equals a check without a cache."""
    report = check_links(site, DOMAIN, cache_path=cache, **options).as_dict()
    assert report == check_links(site, DOMAIN, **options).as_dict(), "the cached outcome differs from a fresh one"
    return report


def test_only_the_changed_page_is_resolved_again(site, tmp_path, resolved):
    cache = tmp_path / "links.pickle"
    checked(site, cache)
    resolved.clear()
    check_links(site, DOMAIN, cache_path=cache)
    assert resolved == [], "nothing changed: every outcome remembered"
    write(site, "news/b.html", body="<a href='a.html'>a</a><a href='a.html#part'>part</a>")
    resolved.clear()
    report = check_links(site, DOMAIN, cache_path=cache)
    assert resolved == ["news/b.html"] and report.passed and report.links == 10


def test_a_deleted_page_breaks_the_links_of_unchanged_pages(site, tmp_path, resolved):
    cache = tmp_path / "links.pickle"
    checked(site, cache)
    (site / "news" / "b.html").unlink()
    resolved.clear()
    report = checked(site, cache)
    assert resolved[:2] == ["about/index.html", "news/index.html"], "the pages linking to b.html resolved again"
    assert sorted((f["page"], f["code"]) for f in report["broken"]) == [
        ("about/index.html", "missing-file"), ("news/index.html", "missing-file")]
    resolved.clear()
    assert not check_links(site, DOMAIN, cache_path=cache).passed, "a page with a broken link is never remembered"
    assert "news/index.html" in resolved


def test_a_deleted_folder_index_breaks_links_to_the_folder(site, tmp_path):
    cache = tmp_path / "links.pickle"
    checked(site, cache)
    (site / "about" / "index.html").unlink()
    report = checked(site, cache)
    assert [(f["page"], f["url"]) for f in report["broken"]] == [("news/index.html", "../about")]
    write(site, "about/index.html")  # back: the link resolves again
    assert checked(site, cache)["passed"]


def test_a_lost_anchor_breaks_an_unchanged_page_and_a_new_file_mends_a_link(site, tmp_path):
    cache = tmp_path / "links.pickle"
    checked(site, cache)
    write(site, "news/a.html", body="<h2 id='other'>p</h2><a href='../index.html'>h</a>")
    report = checked(site, cache)
    assert [(f["page"], f["code"]) for f in report["broken"]] == [("index.html", "missing-anchor")]
    write(site, "news/a.html", body="<h2 id='part'>p</h2><a href='../index.html'>h</a><a href='c.html'>c</a>")
    assert [f["url"] for f in checked(site, cache)["broken"]] == ["c.html"]
    write(site, "news/c.html")
    assert checked(site, cache)["passed"]


def test_another_setting_resolves_every_page_again(site, tmp_path, resolved):
    cache = tmp_path / "links.pickle"
    checked(site, cache)
    resolved.clear()
    report = checked(site, cache, ad_domains=("x.example.com",))
    assert len(resolved) == 2 * 5, "every page resolved again (and once more by the check without a cache)"
    assert [f["code"] for f in report["broken"]] == ["ad-domain"]


def test_links_to_another_site_of_the_group_are_resolved_every_time(site, tmp_path, resolved):
    portal = tmp_path / "out" / "www.portal.gov.cn"
    write(portal, "index.html")
    write(site, "news/b.html", body="<a href='https://www.portal.gov.cn/index.html'>portal</a>")
    roots = {"www.portal.gov.cn": portal}
    cache = tmp_path / "links.pickle"
    assert checked(site, cache, group_roots=roots)["passed"]
    (portal / "index.html").unlink()
    resolved.clear()
    report = checked(site, cache, group_roots=roots)
    assert resolved[:1] == ["news/b.html"]
    assert [(f["page"], f["code"]) for f in report["broken"]] == [("news/b.html", "cross-site-missing")]


def test_a_watching_process_reads_its_own_last_write_from_memory(site, tmp_path, monkeypatch):
    cache = tmp_path / "links.pickle"
    check_links(site, DOMAIN, cache_path=cache)
    loaded = links.load_scan_cache(cache)
    assert loaded and loaded is links.load_scan_cache(cache), "the data written, not unpickled again"
    copy = tmp_path / "copy.pickle"
    copy.write_bytes(cache.read_bytes())
    copy.replace(cache)  # another writer: another file
    again = links.load_scan_cache(cache)
    assert again is not loaded and again == loaded
    cache.write_bytes(b"damaged")
    assert links.load_scan_cache(cache) == {}
