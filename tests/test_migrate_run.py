"""Whole migrations: the legacy mirror, browser-saved pages, a WARC; the safety rules; the report."""

import json
import os

import pytest

from govsite.migrate.errors import Interrupted
from govsite.migrate.redirects import read as read_redirects
from migrate_helpers import BROWSER, MIRROR, by_source, run, snapshot, write_warc


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    base = tmp_path_factory.mktemp("mirror-import")
    outcome = run(MIRROR, base / "content", base / "reports")
    return base, outcome


def test_mirror_import_statuses_columns_and_files(imported):
    base, outcome = imported
    pages = by_source(outcome)
    site = base / "content" / "fenglan"
    expected = {
        "xwzx/gzdt/202403/t20240305_1001.html": "articles/gzdt/20240305-1001.md",
        "art/2024/4/8/art_2001_3001.html": "articles/tzgg/20240408-3001.md",
        "zwgk/zcwj/content_4001.html": "articles/zcwj/20240520-4001.md",
        "bmdt/2024/0510/notice.html": "articles/bmdt/20240510-notice.md",
        "about/gywm.html": "pages/about.md",
        "about/lxwm.html": "pages/contact.md",
    }
    for key, rel in expected.items():
        assert pages[key]["status"] == "imported", pages[key]
        assert pages[key]["output_path"] == str(site / rel) and (site / rel).is_file()
    for key in ("index.html", "search.html", "old/notice.html", "xwzx/gzdt/index.html"):
        assert pages[key]["status"] == "skipped"
    article = (site / "articles/gzdt/20240305-1001.md").read_text("utf-8")
    assert article.startswith("Title: 枫岚市召开2024年一季度经济运行分析会\nDate: 2024-03-05 10:30\nCategory: gzdt\n"
                              "Source: 枫岚市发展和改革委员会\nAuthor: 陈立\n")
    assert "Keywords: 经济运行,一季度" in article and "枫岚市,人民政府" not in article
    assert "![经济运行分析会现场]({static}/images/xwzx/gzdt/202403/W020240305123.png)" in article
    assert "({static}/attachments/xwzx/gzdt/202403/P020240305456.pdf)" in article
    assert (site / "images/xwzx/gzdt/202403/W020240305123.png").read_bytes() == \
        (MIRROR / "www.fenglan.gov.cn/xwzx/gzdt/202403/W020240305123.png").read_bytes()
    ucap = (site / "articles/zcwj/20240520-4001.md").read_text("utf-8")
    assert "({filename}/articles/gzdt/20240305-1001.md)" in ucap           # internal link rewritten
    assert "(http://www.fenglan.gov.cn/zwgk/zcwj/P0404-missing.html)" in ucap
    assert pages["zwgk/zcwj/content_4001.html"]["broken_links"] == ["http://www.fenglan.gov.cn/zwgk/zcwj/P0404-missing.html"]
    assert pages["zwgk/zcwj/content_4001.html"]["images_missing_alt"] == [
        "http://www.fenglan.gov.cn/zwgk/zcwj/images/gaizao-liucheng.png"]
    columns = {c["slug"]: c for c in outcome.data["columns"]}
    assert set(columns) == {"gzdt", "tzgg", "zcwj", "bmdt"}
    assert columns["zcwj"]["type"] == "政策文件" and columns["bmdt"]["review"]


def test_draft_site_toml_from_tags_and_footer(imported):
    base, outcome = imported
    text = (base / "content/fenglan/site.toml").read_text("utf-8")
    assert text.startswith("# DRAFT")
    for line in ('name = "枫岚市人民政府"', 'domain = "www.fenglan.gov.cn"', 'site_code = "9902000001"',
                 'icp = "宁ICP备99990002号-1"', 'police_filing = "宁公网安备 99020002000001号"',
                 'organizer = "枫岚市人民政府办公室"', 'operator = "枫岚市信息中心"', 'logo = "images/logo.png"'):
        assert line in text
    assert outcome.data["site"]["draft"]["problems"] == []


def test_redirect_register(imported):
    base, _ = imported
    rows = read_redirects(base / "content/fenglan/redirects.csv")
    assert (base / "content/fenglan/redirects.csv").read_text("utf-8").startswith("old_url,new_path\n")
    assert rows["http://www.fenglan.gov.cn/xwzx/gzdt/202403/t20240305_1001.html"] == "gzdt/202403/20240305-1001.html"
    assert rows["http://www.fenglan.gov.cn/art/2024/4/8/art_2001_3001.html"] == "tzgg/202404/20240408-3001.html"
    assert rows["http://www.fenglan.gov.cn/old/notice.html"] == "gzdt/202403/20240305-1001.html"
    assert rows["http://www.fenglan.gov.cn/xwzx/gzdt/index.html"] == "gzdt/index.html"
    assert rows["http://www.fenglan.gov.cn/xwzx/gzdt/"] == "gzdt/index.html"
    assert rows["http://www.fenglan.gov.cn/index.html"] == "index.html"
    assert rows["http://www.fenglan.gov.cn/about/gywm.html"] == "about.html"
    assert rows["http://www.fenglan.gov.cn/xwzx/gzdt/202403/P020240305456.pdf"] == \
        "attachments/xwzx/gzdt/202403/P020240305456.pdf"


def test_report_json_and_html(imported):
    base, outcome = imported
    data = json.loads(outcome.json_path.read_text("utf-8"))
    assert outcome.json_path == base / "reports/migrate/fenglan.json"
    assert data["schema"] == "govsite-migrate-report/1"
    for entry in data["pages"]:
        for key in ("source_path", "status", "reason", "kind", "title", "pubdate", "content_source", "column",
                    "output_path"):
            assert key in entry
    gbk = by_source(outcome)["art/2024/4/8/art_2001_3001.html"]
    assert (gbk["encoding"], gbk["pubdate"], gbk["content_source"]) == ("gb18030", "2024-04-08 09:15", "枫岚市医疗保障局")
    totals = data["totals"]
    assert (totals["imported"], totals["failed"], totals["images_missing_alt"], totals["broken_links"]) == (6, 0, 1, 1)
    page = outcome.html_path.read_text("utf-8")
    assert '<html lang="zh-CN">' in page and "图片缺替代文本" in page and "gaizao-liucheng.png" in page
    assert "P0404-missing.html" in page and "正文保留比例" in page


def test_browser_saved_page_into_the_existing_site(imported, tmp_path):
    base, _ = imported
    outcome = run(BROWSER, base / "content", base / "reports")
    entry = by_source(outcome)["枫岚市召开防汛工作会议.html"]
    assert entry["status"] == "imported" and entry["column"] == "gzdt"
    text = (base / "content/fenglan/articles/gzdt/20240601-1002.md").read_text("utf-8")
    assert "![防汛工作会议现场]({static}/images/" in text
    assert "({filename}/articles/gzdt/20240305-1001.md)" in text        # a page imported by the earlier run
    rows = read_redirects(base / "content/fenglan/redirects.csv")
    assert rows["https://www.fenglan.gov.cn/xwzx/gzdt/202406/t20240601_1002.html"] == "gzdt/202406/20240601-1002.html"
    assert rows["http://www.fenglan.gov.cn/index.html"] == "index.html"      # earlier rows kept


def test_warc_input(tmp_path):
    root = MIRROR / "www.fenglan.gov.cn"
    records = [
        ("https://www.fenglan.gov.cn/", "200 OK", "text/html; charset=utf-8", (root / "index.html").read_bytes()),
        ("https://www.fenglan.gov.cn/art/2024/4/8/art_2001_3001.html", "200 OK", "text/html; charset=gbk",
         (root / "art/2024/4/8/art_2001_3001.html").read_bytes()),
        ("https://www.fenglan.gov.cn/xwzx/gzdt/202403/t20240305_1001.html", "200 OK", "text/html",
         (root / "xwzx/gzdt/202403/t20240305_1001.html").read_bytes()),
        ("https://www.fenglan.gov.cn/xwzx/gzdt/202403/W020240305123.png", "200 OK", "image/png",
         (root / "xwzx/gzdt/202403/W020240305123.png").read_bytes()),
        ("https://www.fenglan.gov.cn/tzgg/3001.html", "301 Moved Permanently", "text/html", b"",
         [("Location", "https://www.fenglan.gov.cn/art/2024/4/8/art_2001_3001.html")]),
    ]
    warc = write_warc(tmp_path / "fenglan.warc.gz", records)
    outcome = run(warc, tmp_path / "content", tmp_path / "reports")
    pages = by_source(outcome)
    article = pages["fenglan.warc.gz#https://www.fenglan.gov.cn/art/2024/4/8/art_2001_3001.html"]
    assert article["status"] == "imported" and article["title"] == "关于做好2024年城乡居民医保参保缴费工作的通知"
    assert outcome.data["source_kind"] == "warc"
    site = tmp_path / "content/fenglan"
    assert (site / "images/xwzx/gzdt/202403/W020240305123.png").is_file()
    rows = read_redirects(site / "redirects.csv")
    assert rows["https://www.fenglan.gov.cn/tzgg/3001.html"] == "tzgg/202404/20240408-3001.html"
    assert rows["https://www.fenglan.gov.cn/xwzx/gzdt/202403/t20240305_1001.html"] == "gzdt/202403/20240305-1001.html"


# -- safety ---------------------------------------------------------------------------------------------
def test_existing_files_are_never_overwritten(tmp_path):
    site = tmp_path / "content/fenglan"
    mine = site / "articles/gzdt/20240305-1001.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("Title: 编辑手写的稿件\n\n正文。\n", "utf-8")
    outcome = run(MIRROR, tmp_path / "content")
    entry = by_source(outcome)["xwzx/gzdt/202403/t20240305_1001.html"]
    assert entry["status"] == "skipped" and "did not write: not overwritten" in entry["reason"]
    assert mine.read_text("utf-8") == "Title: 编辑手写的稿件\n\n正文。\n"


def test_update_rewrites_only_untouched_importer_files(tmp_path):
    source = tmp_path / "src"
    import shutil
    shutil.copytree(MIRROR, source)
    run(source, tmp_path / "content")
    site = tmp_path / "content/fenglan"
    edited = site / "articles/tzgg/20240408-3001.md"
    edited.write_text(edited.read_text("utf-8") + "\n编辑补充的说明。\n", "utf-8")
    page = source / "www.fenglan.gov.cn/xwzx/gzdt/202403/t20240305_1001.html"
    page.write_text(page.read_text("utf-8").replace("抓好项目建设", "抓好重大项目建设"), "utf-8")
    hanweb = source / "www.fenglan.gov.cn/art/2024/4/8/art_2001_3001.html"
    hanweb.write_bytes(hanweb.read_bytes().replace("380".encode(), "400".encode()))

    again = by_source(run(source, tmp_path / "content"))
    assert again["xwzx/gzdt/202403/t20240305_1001.html"]["status"] == "skipped"
    assert "--update" in again["xwzx/gzdt/202403/t20240305_1001.html"]["reason"]
    assert "抓好重大项目建设" not in (site / "articles/gzdt/20240305-1001.md").read_text("utf-8")

    updated = by_source(run(source, tmp_path / "content", update=True))
    assert updated["xwzx/gzdt/202403/t20240305_1001.html"]["action"] == "update"
    assert "抓好重大项目建设" in (site / "articles/gzdt/20240305-1001.md").read_text("utf-8")
    assert updated["art/2024/4/8/art_2001_3001.html"]["status"] == "skipped"
    assert "edited since the import" in updated["art/2024/4/8/art_2001_3001.html"]["reason"]
    assert "编辑补充的说明" in edited.read_text("utf-8")
    assert updated["bmdt/2024/0510/notice.html"]["action"] == "unchanged"


def test_paths_cannot_escape_the_site_folder(tmp_path):
    from govsite.migrate.content import PathEscape, SiteWriter

    writer = SiteWriter(tmp_path / "site", dry_run=False, update=False)
    for bad in ("../evil.md", "/etc/passwd", "articles/../../x.md", "C:\\x.md"):
        with pytest.raises(PathEscape):
            writer.target(bad)
    # a symlinked folder leading outside is refused too
    outside = tmp_path / "outside"
    outside.mkdir()
    site = tmp_path / "content/fenglan/articles"
    site.mkdir(parents=True)
    os.symlink(outside, site / "gzdt")
    entry = by_source(run(MIRROR, tmp_path / "content"))["xwzx/gzdt/202403/t20240305_1001.html"]
    assert entry["status"] == "failed" and "outside" in entry["reason"]
    assert list(outside.iterdir()) == []


def test_old_site_paths_with_dot_dot_stay_inside(tmp_path):
    site = tmp_path / "src/www.fenglan.gov.cn"
    (site / "a").mkdir(parents=True)
    (site / "a/..%2F..%2Fx.png").write_bytes(b"\x89PNG\r\n\x1a\nxx")
    (site / "a/t20240101_1.html").write_text(
        '<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="标题"><meta name="PubDate" '
        'content="2024-01-01 08:00"><meta name="ColumnName" content="工作动态"></head><body><div class="TRS_Editor">'
        '<p>正文<img src="..%2F..%2Fx.png" alt="图"><img src="../../../../../x.png" alt="图2"></p></div></body></html>',
        "utf-8")
    outcome = run(tmp_path / "src", tmp_path / "content")
    assert by_source(outcome)["a/t20240101_1.html"]["status"] == "imported"
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and (tmp_path / "src") not in p.parents
               and (tmp_path / "content/fenglan") not in p.parents and (tmp_path / "reports") not in p.parents]
    assert outside == []


def test_dry_run_writes_nothing(tmp_path):
    content = tmp_path / "content"
    (content / "fenglan").mkdir(parents=True)
    before = snapshot(content)
    outcome = run(MIRROR, content, dry_run=True)
    assert snapshot(content) == before
    assert outcome.json_path.name == "fenglan.dry-run.json" and outcome.data["dry_run"]
    entry = by_source(outcome)["xwzx/gzdt/202403/t20240305_1001.html"]
    assert entry["status"] == "imported" and entry["action"] == "write" and "dry run" in entry["reason"]


def test_interrupted_run_resumes_where_it_stopped(tmp_path):
    content = tmp_path / "content"
    calls = {"n": 0}

    def stop_after_three(phase, done, total):
        if phase == "write":
            calls["n"] += 1
            if calls["n"] == 4:
                raise KeyboardInterrupt

    from govsite.migrate import Settings, migrate
    with pytest.raises(Interrupted, match="run the same command again"):
        migrate(Settings(source=str(MIRROR), site_id="fenglan", content=str(content), report=str(tmp_path / "r")),
                stop_after_three)
    journal = content / "fenglan/.migrate/journal.jsonl"
    assert journal.is_file()
    first = {**snapshot(content / "fenglan/articles"), **snapshot(content / "fenglan/pages")}
    assert first                                   # some pages were written before the stop
    outcome = run(MIRROR, content)
    pages = by_source(outcome)
    assert outcome.data["totals"]["imported"] == 6 and outcome.data["totals"]["failed"] == 0
    done_before = [p for p in pages.values() if p["action"] == "unchanged"]
    assert len(done_before) == len(first)          # those were not written again
    assert not journal.exists() and (content / "fenglan/.migrate/state.json").is_file()
