"""Feeds keep titles and summaries as text (govsite/feeds.py), with Pelican's own writer and feedgenerator."""

from datetime import datetime, timezone
from html import unescape
from types import SimpleNamespace

from lxml import etree

from govsite.feeds import TextFeedWriter, feed_summary, feed_title

ATOM = "{http://www.w3.org/2005/Atom}"
TITLE = '霁川<script>alert("T")</script>&lt;b&gt; ]]> {{ 7*7 }}'
SETTINGS = {"FEED_APPEND_REF": False, "FEED_MAX_ITEMS": None, "TIMEZONE": "Asia/Shanghai", "RELATIVE_URLS": False}


def article(title=TITLE, description="摘要<i>x</i> & &amp;"):
    return SimpleNamespace(title=title, url="news/a.html", date=datetime(2026, 11, 2, tzinfo=timezone.utc),
                           summary="<p>auto</p>", description=description, metadata={},
                           get_content=lambda siteurl: "<p>正文</p>", author="作者<b>", category="news")


def test_feed_title_is_plain_text():
    assert feed_title('澄"湖&<i>市', None) == '澄"湖&<i>市'
    assert feed_title("澄湖市", "news") == "澄湖市 - news"


def test_feed_summary_is_the_escaped_description():
    assert unescape(feed_summary(article())) == "摘要<i>x</i> & &amp;"
    assert feed_summary(article(description="")) is None


def test_written_feed_round_trips_the_title_and_summary(tmp_path):
    writer = TextFeedWriter(str(tmp_path), settings=SETTINGS)
    context = {"SITENAME": '澄"湖&<i>市人民政府', "SITEURL": "https://www.chenghu.gov.cn",
               "FEED_DOMAIN": "https://www.chenghu.gov.cn"}
    writer.write_feed([article()], context, path="feeds/all.atom.xml")
    root = etree.parse(str(tmp_path / "feeds" / "all.atom.xml")).getroot()
    assert root.findtext(f"{ATOM}title") == '澄"湖&<i>市人民政府'
    entry = root.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == TITLE
    assert unescape(entry.findtext(f"{ATOM}summary")) == "摘要<i>x</i> & &amp;"
    assert entry.findtext(f"{ATOM}content") == "<p>正文</p>"


def test_a_feed_without_entries_is_dated_at_the_start_of_the_build_day_not_the_clock(tmp_path):
    writer = TextFeedWriter(str(tmp_path), settings={**SETTINGS, "GOVSITE_TODAY": "2026-11-27"})
    context = {"SITENAME": "澄湖市人民政府", "SITEURL": "https://www.chenghu.gov.cn",
               "FEED_DOMAIN": "https://www.chenghu.gov.cn"}
    writer.write_feed([], context, path="empty.atom.xml")
    writer.write_feed([article()], context, path="one.atom.xml")
    updated = [etree.parse(str(tmp_path / name)).getroot().findtext(f"{ATOM}updated")
               for name in ("empty.atom.xml", "one.atom.xml")]
    assert updated == ["2026-11-27T00:00:00+08:00", "2026-11-02T00:00:00+00:00"]  # an entry's date when there is one
