"""Realistic legacy pages for bench/migrate_speed.py: 100–200 KB each, as saved from real TRS sites.

What makes real pages slow to migrate, and what these have (fictional 青岚市, codes 99xxxx): GBK
bytes; a header and a mega menu of hundreds of links, in layout tables, every cell with inline
styles; inline ``<style>`` and ``<script>`` blocks (share, statistics, font-size widgets); a side bar
of dated related links; a body pasted from Word (``MsoNormal`` paragraphs, nested ``span`` with
font styles, a data table); a footer with the 部门网站/区县网站 link lists and the filing numbers.
Deterministic: the same ``(i, …)`` gives the same bytes.
"""

from __future__ import annotations

import random

SITE_NAME = "青岚市人民政府"
HOST = "www.qinglan.gov.cn"
META = ('<meta name="SiteName" content="青岚市人民政府"><meta name="SiteDomain" content="www.qinglan.gov.cn">'
        '<meta name="SiteIDCode" content="9903000001">')
SECTIONS = ["首页", "政务公开", "新闻中心", "政务服务", "互动交流", "走进青岚", "专题专栏", "数据发布", "政策法规",
            "机构职能", "规划计划", "财政信息"]
SUBJECTS = ["规划", "财政", "教育", "卫生", "交通", "住建", "环保", "农业", "水利", "文旅", "应急", "市场", "人社",
            "民政", "统计", "审计", "税务", "公安", "司法", "体育", "科技", "商务", "林草", "医保", "信访"]
DEPTS = [f"青岚市{s}局" for s in SUBJECTS] + [f"青岚市{n}区人民政府" for n in ("东湖", "西岭", "南溪", "北山", "中和")]
FONT = "font-family:仿宋_GB2312,仿宋;font-size:16pt;line-height:28pt"
SCRIPT = ("<script type=\"text/javascript\">\n" + "".join(
    f"function trs_widget_{k}(el){{var s=document.getElementById('zoom');if(!s){{return false;}}"
    f"s.style.fontSize=(14+{k % 5})+'px';var a=document.getElementsByTagName('a');for(var i=0;i<a.length;i++)"
    f"{{if(a[i].href.indexOf('javascript')==0){{a[i].setAttribute('data-w','{k}');}}}}return true;}}\n"
    for k in range(60)) + "</script>")
STYLE = "<style type=\"text/css\">\n" + "".join(
    f".nav{k} a{{color:#{k * 37 % 999:03d};font-size:14px;text-decoration:none;padding:0 {k % 9}px}}"
    f".box{k} td{{border:1px solid #dcdcdc;height:{20 + k % 10}px;background:#f{k % 10}f{k % 10}f{k % 10}}}\n"
    for k in range(80)) + "</style>"


def _menu() -> str:
    """The mega menu: every section with its sub-columns, in a layout table (about 300 links)."""
    cells = []
    for s, section in enumerate(SECTIONS):
        links = "".join(f'<a href="/{"lm%02d" % s}/{"sub%02d" % k}/" target="_blank" style="color:#333333;'
                        f'font-size:13px;line-height:24px;margin:0 6px">{section[:2]}{SUBJECTS[k]}</a>'
                        for k in range(25))
        cells.append(f'<td class="nav{s}" valign="top" style="width:8%;padding:4px;border-right:1px dotted #ccc">'
                     f'<a href="/lm{s:02d}/" class="first" style="font-weight:bold;color:#0b4ea2">{section}</a>'
                     f'<div class="sub" style="display:none;position:absolute;background:#fff">{links}</div></td>')
    return ('<table width="1200" border="0" align="center" cellpadding="0" cellspacing="0" class="menu">'
            f'<tr>{"".join(cells)}</tr></table>')


def _footer() -> str:
    depts = "".join(f'<td style="padding:3px 8px"><a href="http://dept{k:02d}.qinglan.gov.cn/" target="_blank" '
                    f'style="color:#666;font-size:12px">{name}</a></td>' + ("</tr><tr>" if k % 6 == 5 else "")
                    for k, name in enumerate(DEPTS * 3))
    return ('<div class="footer" style="background:#f2f2f2;border-top:3px solid #0b4ea2">'
            f'<table class="links" width="1200" align="center"><tr>{depts}</tr></table>'
            '<p><a href="/about/gywm.html">关于我们</a> | <a href="/about/lxwm.html">联系我们</a> | '
            '<a href="/wzdt/">网站地图</a></p><p>主办单位：青岚市人民政府办公室　承办单位：青岚市大数据中心</p>'
            '<p>网站标识码：9903000001　宁ICP备99990003号　宁公网安备 99030002000001号</p>'
            '<p>联系电话：0992-3456789　邮箱：zfb@qinglan.gov.cn　地址：青岚市青岚大道1号</p></div>')


MENU, FOOTER = _menu(), _footer()


def _side(i: int, rng: random.Random) -> str:
    rows = "".join(f'<li style="line-height:30px;border-bottom:1px dashed #ddd"><span style="float:right;'
                   f'color:#999">2024-{1 + (i + k) % 12:02d}-{1 + k % 28:02d}</span><a href="/lm02/sub{k % 25:02d}/'
                   f'2024{1 + (i + k) % 12:02d}/t20240{1 + k % 9}{10 + k % 18}_{50000 + i * 7 + k}.html" '
                   f'title="青岚市{rng.choice(SUBJECTS)}工作动态{k}">青岚市{rng.choice(SUBJECTS)}工作动态第{k}期</a></li>'
                   for k in range(40))
    return (f'<td width="280" valign="top" class="box{i % 80}" style="padding-left:20px">'
            f'<div class="side-title" style="font-size:16px;font-weight:bold">相关信息</div><ul>{rows}</ul></td>')


def _body(i: int, rng: random.Random, paragraphs: int) -> str:
    parts = []
    for k in range(paragraphs):
        words = "".join(rng.choice(["持续推进", "重点工作", "落实", "加强统筹协调", "确保各项任务", "按期完成",
                                    "群众满意度", "稳步提升", "优化营商环境", "深化改革", "民生保障", "高质量发展"])
                        for _ in range(18))
        parts.append(f'<p class="MsoNormal" align="justify" style="text-indent:32pt;{FONT};margin:0cm;'
                     f'mso-line-height-rule:exactly"><span style="{FONT};mso-ascii-font-family:仿宋_GB2312">'
                     f'<span lang="EN-US" style="font-size:16pt">{k + 1}.</span>{words}。</span></p>')
        if k == paragraphs // 2:
            rows = "".join(f'<tr><td style="border:solid windowtext 1pt;padding:0cm 5.4pt" width="120">'
                           f'<p class="MsoNormal" align="center"><span style="font-size:12pt">{SUBJECTS[r]}</span>'
                           f'</p></td>' + "".join(f'<td style="border:solid windowtext 1pt;padding:0cm 5.4pt">'
                                                   f'<p class="MsoNormal" align="center"><span style="font-size:'
                                                   f'12pt">{rng.randint(10, 999)}.{rng.randint(0, 9)}</span></p></td>'
                                                   for _ in range(5)) + "</tr>" for r in range(12))
            parts.append(f'<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" '
                         f'style="border-collapse:collapse;border:none">{rows}</table>')
    return "".join(parts)


def trs_article(i: int, column: str, column_slug: str, date: str, image: str, pdf: str) -> tuple[str, bytes]:
    """One TRS article page (GBK): ``(path relative to the site, bytes)``; 100–200 KB."""
    rng = random.Random(i)
    title = f"青岚市{column}第{i}号信息"
    ymd = date.replace("-", "")
    path = f"{column_slug}/{ymd[:6]}/t{ymd}_{i}.html"
    paragraphs = 25 + i % 120  # the body's share varies; the furniture does not
    head = (f'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            f'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html><head>'
            f'<meta http-equiv="Content-Type" content="text/html; charset=gbk"><title>{title}_{column}_{SITE_NAME}'
            f'</title>{META}<meta name="ColumnName" content="{column}"><meta name="ArticleTitle" content="{title}">'
            f'<meta name="PubDate" content="{date} 09:30:{i % 60:02d}"><meta name="ContentSource" '
            f'content="青岚市人民政府办公室"><meta name="Keywords" content="{column},青岚"><meta name="Description" '
            f'content="{title}的内容摘要。"><link rel="stylesheet" href="/images/trs.css">{STYLE}{SCRIPT}'
            f'<script>var trs_docid = {i};</script></head>')
    body = (f'<body><table width="100%" border="0" cellspacing="0" cellpadding="0" style="background:#0b4ea2">'
            f'<tr><td height="120" align="center"><img class="logo" src="/images/logo.png" alt="{SITE_NAME}">'
            f'</td></tr></table>{MENU}'
            f'<div class="position" style="width:1200px;margin:0 auto;line-height:40px">当前位置：<a href="/">首页</a>'
            f' &gt; <a href="/{column_slug}/">{column}</a></div>'
            f'<table width="1200" align="center" cellpadding="0" cellspacing="0"><tr><td valign="top" '
            f'style="width:900px;padding:20px;border:1px solid #e5e5e5">'
            f'<div class="article-title"><h1 style="font-size:26px;color:#c00;text-align:center">{title}</h1></div>'
            f'<div class="pages-date" style="text-align:center;color:#666">发布时间：{date} 09:30:{i % 60:02d} '
            f'<span>来源：青岚市人民政府办公室</span> <span class="font">【字体：<a href="javascript:doZoom(16)">大</a> '
            f'<a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a>】</span></div>'
            f'<div id="zoom"><div class="TRS_Editor"><style>.TRS_Editor P{{font-size:12pt;line-height:150%}}'
            f'</style>{_body(i, rng, paragraphs)}<p style="text-align:center"><img src="{image}" alt="{column}配图" '
            f'style="width:600px" OLDSRC="{image}"></p>{pdf}</div></div>'
            f'<div class="bdsharebuttonbox"><span>分享到：</span><a class="bds_weixin" href="#">微信</a></div>'
            f'<div class="print"><a href="javascript:window.print()">【打印本页】</a> '
            f'<a href="javascript:window.close()">【关闭窗口】</a></div></td>{_side(i, rng)}</tr></table>'
            f'{FOOTER}<script>var _hmt=_hmt||[];(function(){{var hm=document.createElement("script");}})();</script>'
            f'</body></html>')
    return path, (head + body).encode("gbk")


def list_page(column: str, column_type: str, rows: list[tuple[str, str, str]]) -> bytes:
    """A column list page (GBK) with the same furniture."""
    items = "".join(f'<li style="line-height:32px"><span style="float:right">{d}</span><a href="/{p}" '
                    f'target="_blank">{t}</a></li>' for p, t, d in rows)
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"><title>{column}_'
            f'{SITE_NAME}</title>{META}<meta name="ColumnName" content="{column}"><meta name="ColumnType" '
            f'content="{column_type}">{STYLE}{SCRIPT}</head><body>{MENU}<ul class="list">{items}</ul>{FOOTER}'
            f'</body></html>').encode("gbk")


def home_page(columns: list[tuple[str, str, str]], image: str) -> bytes:
    nav = "".join(f'<a href="/{s}/">{n}</a>' for s, n, _ in columns)
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"><title>{SITE_NAME}'
            f'</title>{META}{STYLE}{SCRIPT}</head><body><div class="header"><img class="logo" src="{image}" '
            f'alt="{SITE_NAME}"></div><div class="nav">{nav}</div>{MENU}{FOOTER}</body></html>').encode("gbk")
