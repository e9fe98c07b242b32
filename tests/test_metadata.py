"""Unit tests for govsite/metadata.py: tag sets per page type, values and PubDate format."""

from datetime import datetime, timezone

import pytest

from govsite.metadata import ArticleFacts, format_pubdate, page_metadata
from govsite.registry import load_group


@pytest.fixture
def site(group):
    return load_group(group.root).get("city")


def facts(**overrides):
    values = dict(title="标题", date=datetime(2026, 11, 1, 9, 30), source="", author="作者", keywords=("甲", "乙"),
                  description="摘要", image_url="", url="https://www.chenghu.gov.cn/news/a.html")
    return ArticleFacts(**(values | overrides))


def test_pubdate_is_beijing_time():
    assert format_pubdate(datetime(2026, 11, 1, 1, 30, tzinfo=timezone.utc)) == "2026-11-01 09:30"
    assert format_pubdate(datetime(2026, 11, 1, 9, 30)) == "2026-11-01 09:30"


def test_home_has_only_site_tags(site):
    assert page_metadata(site, "home") == [
        ("SiteName", "澄湖市人民政府"), ("SiteDomain", "www.chenghu.gov.cn"), ("SiteIDCode", "9902000001")]


def test_article_tags_in_standard_order_with_source_default(site):
    pairs = page_metadata(site, "article", column=site.column("notices"), article=facts())
    assert [name for name, _ in pairs] == [
        "SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType",
        "ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Description", "Image", "Url"]
    values = dict(pairs)
    assert values["ContentSource"] == "澄湖市人民政府办公室" and values["Keywords"] == "甲,乙"
    assert values["ColumnKeywords"] == "通知,公告"


def test_page_type_needing_missing_facts_or_unknown_type_raises(site):
    with pytest.raises(ValueError, match="ColumnName"):
        page_metadata(site, "column")
    with pytest.raises(ValueError, match="unknown page type"):
        page_metadata(site, "blog")
