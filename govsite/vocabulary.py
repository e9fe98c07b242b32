"""The platform's fixed vocabularies: column types, metadata tags, footer items.

Each fact is defined here once; the theme renders from it, the checks verify
against it, and reports name things by it.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Column types (栏目类型). A column's ``type`` in site.toml must be one of these.
COLUMN_TYPES: tuple[str, ...] = (
    "要闻动态",
    "通知公告",
    "政策文件",
    "政策解读",
    "人事信息",
    "规划计划",
    "机构概况",
    "办事服务",
    "互动交流",
    "专题专栏",
    "信息公开",
    "数据发布",
)

#: Column inspection (栏目更新, standards.md §3): per column type, the days without a new item after
#: which the column is stale (不更新) and the days at which the build warns. Types not listed have no
#: update cycle (only the blank-column rule applies). 人事信息/规划计划's year is [U]: configurable in
#: GOVSITE_COMPLIANCE["freshness"]["days"].
COLUMN_FRESHNESS: dict[str, tuple[int, int]] = {
    "要闻动态": (14, 10),
    "通知公告": (183, 152),
    "政策文件": (183, 152),
    "人事信息": (365, 335),
    "规划计划": (365, 335),
}
#: Column types whose stale columns count toward the single-veto (单项否决) total.
VETO_COLUMN_TYPES: tuple[str, ...] = ("要闻动态", "通知公告", "政策文件")
#: Policy documents and their interpretations (publishing deadlines, interpretation coverage).
POLICY_TYPE = "政策文件"
INTERPRETATION_TYPE = "政策解读"

SITE_KINDS: tuple[str, ...] = ("portal", "department")

#: Lifecycle events accepted in ``[[lifecycle]]`` (their rules live in a later module).
LIFECYCLE_EVENTS: tuple[str, ...] = (
    "launch",
    "temporary_offline",
    "permanent_offline",
    "domain_change",
    "info_change",
)

#: Government page metadata tags (政府网站网页元数据), by group.
#: Site tags go on every page; column tags on column and article pages;
#: content tags on article pages.
SITE_TAGS: tuple[str, ...] = ("SiteName", "SiteDomain", "SiteIDCode")
COLUMN_TAGS: tuple[str, ...] = (
    "ColumnName",
    "ColumnDescription",
    "ColumnKeywords",
    "ColumnType",
)
CONTENT_TAGS: tuple[str, ...] = (
    "ArticleTitle",
    "PubDate",
    "ContentSource",
    "Keywords",
    "Author",
    "Description",
    "Image",
    "Url",
)

#: Which tag groups each page type carries.
PAGE_TYPE_TAGS: dict[str, tuple[str, ...]] = {
    "home": SITE_TAGS,
    "column": SITE_TAGS + COLUMN_TAGS,
    "article": SITE_TAGS + COLUMN_TAGS + CONTENT_TAGS,
    "page": SITE_TAGS,
    "sitemap": SITE_TAGS,
    "error": SITE_TAGS,
}

#: Tags that may legitimately be empty (an article without a lead image).
OPTIONAL_VALUE_TAGS: frozenset[str] = frozenset({"Image"})

#: PubDate is emitted in Beijing time in this format.
PUBDATE_FORMAT = "%Y-%m-%d %H:%M"
PUBDATE_PATTERN = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"


@dataclass(frozen=True)
class FooterItem:
    """One required element of the page-footer function area (页面底部功能区)."""

    key: str
    label: str


#: Footer items every page must carry, in display order. The theme marks each
#: with ``data-footer-item="<key>"``; the checks look for exactly these keys.
FOOTER_ITEMS: tuple[FooterItem, ...] = (
    FooterItem("organizer", "主办单位"),
    FooterItem("operator", "运行维护单位"),
    FooterItem("contact", "联系方式"),
    FooterItem("site-code", "网站标识码"),
    FooterItem("icp", "ICP备案号"),
    FooterItem("police-filing", "公安机关备案号"),
    FooterItem("sitemap", "网站地图"),
    FooterItem("zhaocuo", "我为政府网站找错"),
    FooterItem("conac", "党政机关网站标识"),
    FooterItem("ipv6", "本网站支持IPv6"),
)

#: Where ICP numbers are looked up (MIIT filing system).
ICP_LOOKUP_URL = "https://beian.miit.gov.cn/"
#: Public-security filing lookup; ``{code}`` is the 14-digit record code.
POLICE_LOOKUP_URL = "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode={code}"
#: The national "我为政府网站找错" platform; ``{site_code}`` is the 网站标识码.
ZHAOCUO_URL = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={site_code}"
#: CONAC (党政机关网站标识) verification page; ``{id}`` is the issued badge id.
CONAC_SHOW_URL = "https://bszs.conac.cn/sitename?method=show&id={id}"
