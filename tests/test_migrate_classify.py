"""Page kinds from signals: platform type, redirects, root, tags, CMS URL shapes, list pages."""

import pytest

from govsite.migrate.classify import Signals, classify


@pytest.mark.parametrize("signals,kind", [
    (Signals(path="/yaowen/index.html", platform_type="column"), "list"),
    (Signals(path="/x.html", platform_type="sitemap"), "other"),
    (Signals(path="/old.html", refresh=True), "other"),
    (Signals(path="/index.html", dated_items=20), "home"),
    (Signals(path="/", dated_items=20), "home"),
    (Signals(path="/sitemap.html", has_title=True, body_chars=500), "other"),
    (Signals(path="/a/b.html", article_title="标题"), "article"),
    (Signals(path="/a/b.html", article_title="工作动态", column_name="工作动态", dated_items=10), "list"),
    (Signals(path="/xwzx/202403/t20240305_1001.html"), "article"),
    (Signals(path="/art/2024/3/5/art_12_345.html"), "article"),
    (Signals(path="/zwgk/content_4001.html"), "article"),
    (Signals(path="/xwzx/gzdt/index_2.html", dated_items=20), "list"),
    (Signals(path="/news/list.html", column_name="新闻"), "list"),
    (Signals(path="/news/a.html", has_info_date=True, body_chars=300, body_link_density=0.1), "article"),
    (Signals(path="/news/a.html", dated_items=12, body_chars=100, body_link_density=0.9), "list"),
    (Signals(path="/about/us.html", has_title=True, body_chars=200, body_link_density=0.1), "page"),
    (Signals(path="/x.html", has_title=True, body_chars=10), "other"),
    # the root's index.html is the home page unless its content is a dated document
    (Signals(path="/index.html", has_info_date=True, has_title=True, body_chars=800, body_link_density=0.05), "article"),
    (Signals(path="/index.html", article_title="采购公告", site_name="枫岚市人民政府"), "article"),
    (Signals(path="/index.html", has_info_date=True, body_chars=800, body_link_density=0.6, dated_items=12), "home"),
    (Signals(path="/index.html", has_info_date=True, body_chars=800, body_link_density=0.05, dated_items=8), "home"),
    (Signals(path="/index.html", article_title="枫岚市人民政府", site_name="枫岚市人民政府"), "home"),
])
def test_classify(signals, kind):
    assert classify(signals)[0] == kind
