"""Two things published at one path (govsite/output_paths.py): refused before anything is written,
naming the source files, instead of Pelican's FileOverwriteFailedError naming only the output file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from govsite import fingerprint
from govsite.build import build_group
from govsite.errors import Problem
from govsite.output_paths import Claim, collisions

FIXTURES = Path(__file__).parent / "fixtures"
STATIC_ONLY = {"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_SEARCH": {"enabled": False}}
ARTICLE = """Title: 霁川测试文章
Date: 2026-11-05 10:00
Category: news
Source: 澄湖市交通运输局
Author: 郑浩
Reviewer: 孙悦
{extra}
正文。
"""


def test_a_second_claim_on_a_path_names_both_sources():
    claims = [Claim("a.html", "an article or page", "/c/x.md"), Claim("a.html", "an article or page", "/c/y.md"),
              Claim("b.html", "an article or page", "/c/z.md")]
    [problem] = collisions(claims)
    assert problem == Problem("/c/y.md", "Slug (output path)", "a.html", problem.expected)
    assert "/c/x.md" in problem.expected and "set another Slug" in problem.expected


def test_content_claiming_a_platform_page_is_blamed_not_the_platform():
    claims = [Claim("index.html", "an article or page", "/c/home.md"), Claim("index.html", "the platform's index page")]
    [problem] = collisions(claims)
    assert problem.file == "/c/home.md" and "the platform's index page" in problem.expected


def test_distinct_paths_and_repeated_identical_claims_are_fine():
    claim = Claim("a.html", "an article or page", "/c/x.md")
    assert collisions([claim, Claim("b.html", "a static file", "/c/b.png")]) == []


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture group built once, to break afterwards (copies per test)."""
    base = tmp_path_factory.mktemp("paths")
    shutil.copytree(FIXTURES / "group", base / "content")
    results = build_group(base / "content", base / "out", site_ids=["dept"], cache_dir=base / "cache",
                          reports_dir=None, settings=STATIC_ONLY)
    assert all(r.ok for r in results), [r.error for r in results]
    return base


CASES = [
    ("pages/home.md", "Title: 首页\nSlug: index\n\n正文。\n", "the platform's index page"),
    ("pages/map.md", "Title: 地图\nSlug: sitemap\n\n正文。\n", "the platform's sitemap page"),
    ("pages/err.md", "Title: 错误\nSlug: 404\n\n正文。\n", "the platform's 404 page"),
    ("pages/help.md", "Title: 帮助\nSlug: accessibility\n\n正文。\n", "the platform's accessibility page"),
    ("articles/20261105-copy.md", ARTICLE.format(extra="Slug: 20261105-dept-news"), "20261105-dept-news.md"),
]


@pytest.mark.parametrize("relative, text, other", CASES, ids=[c[0] for c in CASES])
def test_a_build_claiming_a_taken_path_fails_naming_both_and_keeps_the_output(built, tmp_path, relative, text,
                                                                               other):
    content = tmp_path / "content"
    shutil.copytree(built / "content", content)
    out = tmp_path / "out"
    shutil.copytree(built / "out", out)
    before = fingerprint.output_digest(out / "jtj.chenghu.gov.cn")
    (content / "dept" / relative).write_text(text, "utf-8")
    [result] = build_group(content, out, site_ids=["dept"], cache_dir=tmp_path / "cache", reports_dir=None,
                           settings=STATIC_ONLY)
    assert not result.ok
    assert str(content / "dept" / relative) in result.error or "20261105-dept-news.md" in result.error
    assert other in result.error and "Slug (output path)" in result.error
    assert "FileOverwriteFailedError" not in result.error
    assert fingerprint.output_digest(out / "jtj.chenghu.gov.cn") == before
