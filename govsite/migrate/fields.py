"""Facts of a legacy page from its government metadata tags and its fixed text blocks.

The tags (standards.md §1(e)): 站点类 ``SiteName SiteDomain SiteIDCode``, 栏目类 ``ColumnName
ColumnDescription ColumnKeywords ColumnType``, 内容类 ``ArticleTitle PubDate ContentSource Keywords
Author Description Image Url``. HTML meta names are case-insensitive, but ``Keywords`` and
``Description`` (the article's) are told apart from the SEO ``keywords``/``description`` (often the
whole site's) by their exact spelling. Fixed blocks look like ``发布时间：2024-05-06 10:30 来源：市政府办公室``.
"""

from __future__ import annotations

import re
from datetime import datetime

from govsite import identity

#: The government tags, spelled as the guideline spells them.
GOV_TAGS = ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnDescription", "ColumnKeywords",
            "ColumnType", "ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Description",
            "Image", "Url")
_BY_LOWER = {t.lower(): t for t in GOV_TAGS}
#: Other publication-date metas seen on CMS pages.
DATE_METAS = ("pubdate", "publishdate", "firstpublishedtime", "article:published_time", "og:release_date",
              "dc.date", "dcterms.created", "publish_time", "lastmodifiedtime")

_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.年]\s*)(?P<m>\d{1,2})\s*(?:[-/.月]\s*)(?P<d>\d{1,2})\s*日?"
    r"(?:(?:[\sT]*|-)(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2}))?)?")
_LABEL_SEP = r"\s*[：:]\s*"
_LABELS = {
    # a bare 时间/日期 only as a label of its own: 开标时间/截止日期 in a notice's body are not its date
    "date": r"(?:发布时间|发布日期|发文日期|成文日期|(?<![\u4e00-\u9fff])(?:时间|日期)|发表时间|更新时间|信息时间|发稿时间)",
    "source": r"(?:信息来源|文章来源|来源|稿件来源|来源单位|发布机构|发布单位)",
    "author": r"(?:作者|撰稿|撰稿人|文\s*/\s*)",
    "reviewer": r"(?:审核|审核人)",
}
#: Words that end a labelled value in a one-line info block (other labels of such blocks among them: this
#: platform's 适用对象, the 索引号/发文字号 of 信息公开 pages). Not any label: a page's head text runs on into
#: its footer (主办单位：...), and a disclaimer's "来源：XXX" must not take that for its end.
_STOP = (r"(?=\s*(?:发布时间|发布日期|时间|日期|信息来源|文章来源|来源|作者|撰稿|审核|责任编辑|编辑|浏览次数|点击数|"
         r"阅读次数|访问量|字体|字号|适用对象|索引号|发文字号|主题分类|【|\[|[|｜]|分享|打印|关闭|$))")
_VALUE = {
    "source": re.compile(_LABELS["source"] + _LABEL_SEP + r"(?P<v>[^\s|｜【\[]{1,60}?)" + _STOP),
    "author": re.compile(_LABELS["author"] + _LABEL_SEP + r"(?P<v>[^\s|｜【\[]{1,40}?)" + _STOP),
    "reviewer": re.compile(_LABELS["reviewer"] + _LABEL_SEP + r"(?P<v>[^\s|｜【\[]{1,40}?)" + _STOP),
    "date": re.compile(_LABELS["date"] + _LABEL_SEP + r"(?P<v>" + _DATE.pattern + ")"),
}


def parse_date(text: str | None) -> datetime | None:
    """The first date (and time) in ``text``: ``YYYY-MM-DD HH:MM[:SS]``, ``YYYY年MM月DD日 HH:MM``, ``/`` or ``.``
    (also ``YYYY-MM-DD-HH:MM:SS`` as some CMS metas write it)."""
    return read_date(text)[0]


def read_date(text: str | None) -> tuple[datetime | None, bool]:
    """``(date, with_seconds)``: the first date in ``text`` and whether the text gave its seconds."""
    if not text:
        return None, False
    match = _DATE.search(text)
    if not match:
        return None, False
    try:
        return datetime(int(match["y"]), int(match["m"]), int(match["d"]), int(match["H"] or 0),
                        int(match["M"] or 0), int(match["S"] or 0)), match["S"] is not None
    except ValueError:
        return None, False


def format_date(value: datetime, seconds: bool = False) -> str:
    """``YYYY-MM-DD HH:MM`` (the platform's Date format, Beijing time), ``:SS`` added when the page gave seconds."""
    return value.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def date_text(text: str | None) -> str:
    """The first date in ``text`` in the platform's format, at the page's precision ("" when none)."""
    value, seconds = read_date(text)
    return format_date(value, seconds) if value else ""


def gov_meta(tree) -> dict[str, str]:
    """The government metadata tags of a parsed page (first occurrence wins; exact spelling preferred)."""
    found: dict[str, str] = {}
    exact: dict[str, str] = {}
    for meta in tree.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip()
        if not name:
            continue
        content = (meta.get("content") or "").strip()
        lower = name.lower()
        if name in GOV_TAGS:
            exact.setdefault(name, content)
        elif lower in _BY_LOWER and lower not in ("keywords", "description"):
            found.setdefault(_BY_LOWER[lower], content)
        if lower in DATE_METAS:
            found.setdefault("_date:" + lower, content)
        if lower in ("keywords", "description") and name not in GOV_TAGS:
            found.setdefault("_seo:" + lower, content)
    found.update(exact)
    return found


def info_block(text: str) -> dict[str, str]:
    """``date``, ``source``, ``author`` from a fixed block like ``发布时间：… 来源：… 作者：…``."""
    text = re.sub(r"[\u00a0\u3000\s]+", " ", text)
    found = {}
    for field, pattern in _VALUE.items():
        match = pattern.search(text)
        if match:
            value = match["v"].strip(" ：:|｜,，")
            if value:
                found[field] = value
    return found


def clean_title(title: str, site_name: str = "") -> str:
    """A ``<title>`` without the site name and separators around it."""
    title = re.sub(r"\s+", " ", title or "").strip()
    if site_name and site_name in title and title != site_name:
        title = title.replace(site_name, " ").strip()
    parts = [p for p in re.split(r"\s+[-|｜—–]{1,2}\s+|\s*[_|｜]\s*|\s*(?:--|——)\s*", title) if p.strip()]
    if len(parts) > 1:
        title = max(parts, key=len) if len(parts[0]) < 4 else parts[0]
    return title.strip(" -_|｜—–")


def site_domains(value: str) -> list[str]:
    """The host names of a ``SiteDomain`` tag (``www.x.gov.cn,x.gov.cn``; a scheme or path dropped), the
    ``www.`` government domain first: the site's own address; the others are its aliases."""
    hosts = []
    for item in re.split(r"[,，;；、|\s]+", value or ""):
        host = re.sub(r"^[a-z]+://", "", item.strip().lower()).split("/")[0].split(":")[0]
        if host and host not in hosts:
            hosts.append(host)
    return sorted(hosts, key=lambda h: (identity.check_domain(h) is not None, not h.startswith("www.")))


def split_list(value: str) -> list[str]:
    """Items of a comma/顿号/semicolon/space separated list."""
    return [v.strip() for v in re.split(r"[,，、;；\s]+", value or "") if v.strip()]
