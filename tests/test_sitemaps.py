"""Unit tests for govsite/sitemaps.py."""

from datetime import datetime

from lxml import etree

from govsite.sitemaps import SITEMAP_NS, robots_txt, sitemap_xml


def test_sitemap_is_valid_sorted_and_deduplicated():
    xml = sitemap_xml([("https://x.gov.cn/b.html?a=1&b=2", None), ("https://x.gov.cn/a.html", datetime(2026, 1, 2, 3, 4)),
                       ("https://x.gov.cn/a.html", datetime(2026, 1, 2, 3, 4))])
    root = etree.fromstring(xml.encode())
    locs = root.findall(f"{{{SITEMAP_NS}}}url/{{{SITEMAP_NS}}}loc")
    assert [l.text for l in locs] == ["https://x.gov.cn/a.html", "https://x.gov.cn/b.html?a=1&b=2"]
    assert root.find(f".//{{{SITEMAP_NS}}}lastmod").text == "2026-01-02T03:04:00+08:00"


def test_robots_points_at_the_sitemap():
    assert robots_txt("https://www.x.gov.cn/").endswith("Sitemap: https://www.x.gov.cn/sitemap.xml\n")
