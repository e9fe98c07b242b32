"""Benchmark the importer: pages per second migrating a generated legacy mirror (target >= 100 on 2 cores).

    python bench/migrate_speed.py [--pages 10000] [--workers N] [--keep]

The mirror (bench/out/legacy/www.qinglan.gov.cn/, fictional 青岚市) mixes the layouts the importer
knows: 拓尔思 TRS pages (UTF-8, metadata tags), 大汉 Hanweb pages (GBK), 开普云 pages, and home-made pages
with only a 发布时间/来源 block; one column list page per 50 articles, a shared image per column and a
PDF per 20 articles. The whole migration is timed: reading, extraction, writing content, assets,
redirects and the report, into a fresh content folder.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govsite.migrate import Settings, migrate  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
HOST = "www.qinglan.gov.cn"
COLUMNS = [("gzdt", "工作动态", "要闻动态"), ("tzgg", "通知公告", "通知公告"), ("zcwj", "政策文件", "政策文件"),
           ("zcjd", "政策解读", "政策解读"), ("rsxx", "人事信息", "人事信息")]
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
       b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")
SITE = ('<meta name="SiteName" content="青岚市人民政府"><meta name="SiteDomain" content="www.qinglan.gov.cn">'
        '<meta name="SiteIDCode" content="9903000001">')
FOOT = ('<div class="footer"><p>主办单位：青岚市人民政府办公室　承办单位：青岚市大数据中心</p><p>网站标识码：9903000001　'
        '宁ICP备99990003号　宁公网安备 99030002000001号</p><p>联系电话：0992-3456789　邮箱：zfb@qinglan.gov.cn　'
        '地址：青岚市青岚大道1号</p></div>')
NAV = "".join(f'<a href="/{s}/">{n}</a>' for s, n, _ in COLUMNS)


def paragraphs(i: int) -> str:
    return "".join(f"<p>　　第{k + 1}段：青岚市第{i}号信息，持续推进重点工作落实，加强统筹协调，确保各项任务按期完成，"
                   f"群众满意度稳步提升。</p>" for k in range(6))


def article(i: int, slug: str, name: str, kind: str, date: str) -> tuple[str, bytes]:
    title = f"青岚市{name}第{i}号信息"
    meta = (f'{SITE}<meta name="ColumnName" content="{name}"><meta name="ArticleTitle" content="{title}">'
            f'<meta name="PubDate" content="{date} 09:30"><meta name="ContentSource" content="青岚市人民政府办公室">')
    img = f'<p><img src="/{slug}/images/{slug}.png" alt="{name}配图"></p>'
    pdf = f'<p>附件：<a href="/{slug}/files/f{i}.pdf">第{i}号附件.pdf</a></p>' if i % 20 == 0 else ""
    ymd = date.replace("-", "")
    if kind == "trs":
        path = f"{slug}/{ymd[:6]}/t{ymd}_{i}.html"
        html = (f'<html><head><meta charset="utf-8"><title>{title}_{name}</title>{meta}<script src="/j.js"></script>'
                f'</head><body><div class="nav">{NAV}</div><div class="article-title"><h1>{title}</h1></div>'
                f'<div class="pages-date">发布时间：{date} 09:30 来源：青岚市人民政府办公室</div><div id="zoom">'
                f'<div class="TRS_Editor">{paragraphs(i)}{img}{pdf}</div></div><div class="share">分享到：</div>{FOOT}'
                f"</body></html>").encode("utf-8")
    elif kind == "hanweb":
        y, m, d = date.split("-")
        path = f"art/{y}/{int(m)}/{int(d)}/art_{COLUMNS.index((slug, name, dict((c[0], c[2]) for c in COLUMNS)[slug])) + 100}_{i}.html"
        html = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>{title}</title>'
                f'{meta}</head><body><table><tr><td class="title">{title}</td></tr><tr><td class="info">发布日期：{date}'
                f"　信息来源：青岚市人民政府办公室</td></tr><tr><td><div id=\"zoom\"><!--ZJEG_RSS.content.begin-->"
                f"{paragraphs(i)}{img}{pdf}<!--ZJEG_RSS.content.end--></div></td></tr></table>"
                f'<div id="footer">Produced By 大汉网络</div></body></html>').encode("gbk")
    elif kind == "ucap":
        path = f"{slug}/content_{i}.html"
        html = (f'<html><head><meta charset="utf-8"><title>{title}</title>{meta}</head><body>'
                f'<div class="article-title">{title}</div><div class="article-meta">发布时间：{date} 09:30</div>'
                f'<div id="UCAP-CONTENT">{paragraphs(i)}{img}{pdf}</div>{FOOT}</body></html>').encode("utf-8")
    else:
        path = f"{slug}/{ymd}/news{i}.html"
        html = (f'<html><head><meta charset="utf-8"><title>{title}--青岚市人民政府</title></head><body>'
                f'<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/{slug}/">{name}</a></div>'
                f'<div class="title">{title}</div><div class="fbsj">发布时间：{date} 09:30　来源：青岚市人民政府办公室</div>'
                f'<div class="news_content">{paragraphs(i)}{img}{pdf}</div></body></html>').encode("utf-8")
    return path, html


def make_mirror(root: Path, pages: int) -> int:
    """Write the legacy mirror; returns the number of HTML pages."""
    site = root / HOST
    shutil.rmtree(root, ignore_errors=True)
    kinds = ["trs"] * 4 + ["hanweb"] * 3 + ["ucap"] * 2 + ["plain"]
    count, listed = 0, {s: [] for s, _, _ in COLUMNS}
    for slug, _, _ in COLUMNS:
        (site / slug / "images").mkdir(parents=True, exist_ok=True)
        (site / slug / "images" / f"{slug}.png").write_bytes(PNG)
        (site / slug / "files").mkdir(exist_ok=True)
    n_articles = pages - pages // 51 - 1
    for i in range(n_articles):
        slug, name, _ = COLUMNS[i % len(COLUMNS)]
        date = f"20{20 + i % 5}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        path, data = article(i, slug, name, kinds[i % len(kinds)], date)
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
        listed[slug].append((path, f"青岚市{name}第{i}号信息", date))
        if i % 20 == 0:
            (site / slug / "files" / f"f{i}.pdf").write_bytes(b"%PDF-1.4\n%fictional\n%%EOF\n")
        count += 1
    for slug, name, column_type in COLUMNS:
        items = listed[slug]
        for page in range(0, len(items), 50):
            rows = "".join(f'<li><a href="/{p}">{t}</a><span>{d}</span></li>' for p, t, d in items[page:page + 50])
            file = site / slug / ("index.html" if page == 0 else f"index_{page // 50}.html")
            file.write_text(f'<html><head><meta charset="utf-8"><title>{name}</title>{SITE}'
                            f'<meta name="ColumnName" content="{name}"><meta name="ColumnType" content="{column_type}">'
                            f'</head><body><ul class="list">{rows}</ul>{FOOT}</body></html>', "utf-8")
            count += 1
    (site / "index.html").write_text(f'<html><head><meta charset="utf-8"><title>青岚市人民政府</title>{SITE}</head><body>'
                                     f'<div class="header"><img class="logo" src="/{COLUMNS[0][0]}/images/'
                                     f'{COLUMNS[0][0]}.png" alt="青岚市人民政府"></div><div class="nav">{NAV}</div>'
                                     f"{FOOT}</body></html>", "utf-8")
    return count + 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the generated mirror and content")
    args = parser.parse_args(argv)
    root = OUT / "legacy"
    started = time.perf_counter()
    pages = make_mirror(root, args.pages)
    generated = time.perf_counter() - started
    content = OUT / "legacy-content"
    shutil.rmtree(content, ignore_errors=True)
    started = time.perf_counter()
    outcome = migrate(Settings(source=str(root), site_id="qinglan", content=str(content),
                               report=str(OUT / "legacy-reports"), workers=args.workers))
    seconds = time.perf_counter() - started
    t = outcome.data["totals"]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"generated {pages} legacy pages in {generated:.1f} s")
    print(f"migrated {t['pages']} pages in {seconds:.1f} s: {t['pages'] / seconds:.0f} pages/s "
          f"({t['imported']} imported, {t['skipped']} skipped, {t['failed']} failed; {t['assets']} assets; "
          f"extractors {t['by_extractor']}; encodings {t['by_encoding']})")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(content, ignore_errors=True)
    return 0 if t["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
