"""URLs formatted once (``govsite.frozen_urls``): a frozen content's ``url`` and ``save_as`` are the
ones Pelican formats, for every kind of content and override, and no override is added."""

from __future__ import annotations

import copy
import datetime

import pytest
from pelican.contents import Article, Page
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Category

from govsite import frozen_urls


@pytest.fixture(scope="module", autouse=True)
def installed():
    frozen_urls.install()


def settings() -> dict:
    values = copy.deepcopy(DEFAULT_CONFIG)
    values.update({"ARTICLE_URL": "{category}/{date:%Y%m}/{slug}.html", "ARTICLE_SAVE_AS": "{category}/{date:%Y%m}/{slug}.html",
                   "ARTICLE_LANG_URL": "{lang}/{category}/{slug}.html", "ARTICLE_LANG_SAVE_AS": "{lang}/{category}/{slug}.html",
                   "DRAFT_URL": "drafts/{slug}.html", "DRAFT_SAVE_AS": "drafts/{slug}.html", "DEFAULT_LANG": "zh"})
    return values


def article(values: dict, **metadata) -> Article:
    meta = {"title": "标题", "date": datetime.datetime(2026, 11, 20), "slug": "a-b",
            "category": Category("news", values), **metadata}
    return Article("<p>正文</p>", metadata=meta, settings=values, source_path="/content/articles/a.md")


def pelicans(content) -> tuple[str, str]:
    """What Pelican itself formats (its properties, unpatched)."""
    return content.get_url_setting("url"), frozen_urls._pelican_save_as.fget(content)


@pytest.mark.parametrize("metadata", [{}, {"lang": "en"}, {"status": "draft"}, {"save_as": "special/x.html", "url": "special/x.html"},
                                      {"save_as": ""}, {"slug": "带 空格"}], ids=["default", "translation", "draft", "override", "not-written", "slug"])
def test_a_frozen_content_has_pelicans_url_and_save_as(metadata):
    values = settings()
    content = article(values, **metadata)
    expected = pelicans(content)
    overrides = hasattr(content, "override_save_as")
    frozen_urls.freeze_urls([content])
    assert (content.url, content.save_as) == expected
    assert hasattr(content, "override_save_as") == overrides, "the writer's overwrite rules stay as they are"
    content.metadata["slug"] = "changed"  # final once frozen: formatted no more
    content.slug = "changed"
    assert (content.url, content.save_as) == expected


def test_an_unfrozen_content_is_formatted_on_each_access():
    values = settings()
    content = article(values)
    before = content.save_as
    content.slug = "other"
    assert content.save_as != before and content.save_as == frozen_urls._pelican_save_as.fget(content)
    page = Page("<p>x</p>", metadata={"title": "关于"}, settings=values, source_path="/content/pages/about.md")
    assert page.save_as == "pages/guan-yu.html"
    frozen_urls.freeze_urls([page])
    page.slug = "other"
    assert page.save_as == "pages/guan-yu.html" and page.url == "pages/guan-yu.html"
