"""Every page type of the demo theme, rendered in real headless Chromium and checked with axe-core."""

import pytest

from govsite.checks.browser import describe_violations, run_axe

pytestmark = pytest.mark.browser


def first_article(output, domain):
    return next(p for p in sorted((output / domain).glob("*/*/*.html"))).relative_to(output / domain).as_posix()


def pages_to_check(output):
    pages = []
    for domain in ("www.jichuan.gov.cn", "jyj.jichuan.gov.cn"):
        pages += [f"{domain}/index.html", f"{domain}/tzgg/index.html", f"{domain}/about.html",
                  f"{domain}/sitemap.html", f"{domain}/{first_article(output, domain)}"]
    return pages


def test_every_page_type_has_no_axe_violations(chromium, demo_server, built_demo):
    output, _ = built_demo
    failures = {}
    for page in pages_to_check(output):
        results = run_axe(chromium, f"{demo_server}/{page}")
        assert results["testEngine"]["name"] == "axe-core"
        if results["violations"]:
            failures[page] = describe_violations(results)
    assert not failures, "\n".join(f"{p}:\n{v}" for p, v in failures.items())


def test_404_page_has_no_axe_violations_when_served_at_any_path(chromium, demo_server):
    chromium.get(f"{demo_server}/")
    results = run_axe(chromium, f"{demo_server}/no/such/page.html".replace("/no", "/www.jichuan.gov.cn/no"))
    assert not results["violations"], describe_violations(results)


def test_axe_catches_a_real_violation(chromium, demo_server, built_demo, tmp_path):
    """The harness can fail: a page with an unlabelled image and missing lang is reported."""
    output, _ = built_demo
    broken = output / "www.jichuan.gov.cn" / "axe-probe.html"
    broken.write_text("<html><head><title>t</title></head><body><img src='x.png'></body></html>", "utf-8")
    try:
        results = run_axe(chromium, f"{demo_server}/www.jichuan.gov.cn/axe-probe.html")
    finally:
        broken.unlink()
    ids = {v["id"] for v in results["violations"]}
    assert {"image-alt", "html-has-lang"} <= ids


def test_reflow_at_320px_has_no_horizontal_scroll(chromium, demo_server, built_demo):
    output, _ = built_demo
    chromium.set_window_size(320, 800)
    try:
        for page in pages_to_check(output):
            chromium.get(f"{demo_server}/{page}")
            overflow = chromium.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{page} scrolls horizontally by {overflow}px at 320px"
    finally:
        chromium.set_window_size(1280, 900)
