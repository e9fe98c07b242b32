"""政府网站年度工作报表 (standards.md §4): every field computable from the content is computed, the
rest comes from a yearly data file ``content/<site>/annual/<year>.toml`` (留言办理, 征集调查 and 在线访谈
are counted from the 政民互动 records when the site has them); missing fields are listed,
wrong types are errors naming the file and the field. Rendered as a page of the site and as CSV.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape
from pathlib import Path

import markdown

from .errors import ContentInvalid, Problem
from .interaction.statistics import site_annual_numbers
from .registry import Site, SiteGroup
from .service_guides import ONLINE_LEVEL, Guide, site_guides
from .syndication import article_files, read_header, syndicated_files
from .toml_files import TomlUnreadable, read_toml

SETTING = "GOVSITE_ANNUAL_REPORT"
#: Which column types count in each 信息发布 category (configurable through GOVSITE_ANNUAL_REPORT).
DEFAULT_CATEGORIES = {
    "概况类信息更新量": ["机构概况"],
    "政务动态信息更新量": ["要闻动态", "通知公告"],
    "信息公开目录信息更新量": ["政策文件", "政策解读", "人事信息", "规划计划", "信息公开", "数据发布"],
}
DEFAULTS = {"categories": DEFAULT_CATEGORIES, "due": "01-31"}
SPECIAL_TYPE, INTERPRETATION_TYPE = "专题专栏", "政策解读"

#: The yearly data file's fields: (table, key, label in the report, type).
DATA_FIELDS: tuple[tuple[str, str, str, type], ...] = (
    ("traffic", "unique_visitors", "独立用户访问总量（个）", int),
    ("traffic", "page_views", "网站总访问量（次）", int),
    ("interpretation", "media_reviews", "媒体评论文章数量（条）", int),
    ("interpretation", "hot_responses", "回应公众关注热点或重大舆情数量（次）", int),
    ("services", "catalogue", "是否发布服务事项目录", bool),
    ("services", "registered_users", "注册用户数（个）", int),
    ("services", "service_items", "政务服务事项数量（项）", int),
    ("services", "online_items", "可全程在线办理政务服务事项数量（项）", int),
    ("services", "cases_total", "办件量总数（件）", int),
    ("services", "cases_person", "办件量：自然人（件）", int),
    ("services", "cases_legal", "办件量：法人（件）", int),
    ("interaction", "unified_platform", "是否使用统一平台", bool),
    ("interaction", "messages_received", "留言办理：收到留言数量（条）", int),
    ("interaction", "messages_done", "留言办理：办结留言数量（条）", int),
    ("interaction", "average_days", "留言办理：平均办理时间（天）", float),
    ("interaction", "replies_published", "留言办理：公开答复数量（条）", int),
    ("interaction", "surveys", "征集调查期数（期）", int),
    ("interaction", "survey_opinions", "征集调查：收到意见数量（条）", int),
    ("interaction", "survey_results", "征集调查：公布调查结果期数（期）", int),
    ("interaction", "interviews", "在线访谈期数（期）", int),
    ("interaction", "interview_messages", "在线访谈：网民留言数量（条）", int),
    ("interaction", "interview_answers", "在线访谈：答复网民提问数量（条）", int),
    ("interaction", "smart_qa", "是否提供智能问答功能", bool),
    ("security", "assessments", "安全检测评估次数（次）", int),
    ("security", "problems_found", "发现问题数量（个）", int),
    ("security", "problems_fixed", "问题整改数量（个）", int),
    ("security", "monitoring", "是否建立安全监测预警机制", bool),
    ("security", "drills", "是否开展应急演练", bool),
    ("security", "responsible_person", "是否明确网站安全责任人", bool),
    ("media", "has_media", "是否有移动新媒体", bool),
    ("media", "weibo_name", "微博名称", str),
    ("media", "weibo_posts", "微博信息发布量（条）", int),
    ("media", "weibo_followers", "微博关注量（个）", int),
    ("media", "wechat_name", "微信名称", str),
    ("media", "wechat_posts", "微信信息发布量（条）", int),
    ("media", "wechat_subscribers", "微信订阅数（个）", int),
    ("media", "other", "其他移动新媒体", str),
    ("innovation", "search_as_service", "搜索即服务", bool),
    ("innovation", "multilingual", "多语言版本", bool),
    ("innovation", "personalised", "千人千网", bool),
    ("innovation", "other", "其他创新", str),
    ("filing", "head", "单位负责人", str),
    ("filing", "reviewer", "审核人", str),
    ("filing", "filler", "填报人", str),
    ("filing", "phone", "联系电话", str),
    ("filing", "date", "填报日期", date),
)
SECTIONS = {"traffic": "网站访问", "interpretation": "解读回应", "services": "办事服务", "interaction": "互动交流",
            "security": "安全防护", "media": "移动新媒体", "innovation": "创新发展", "filing": "填报信息"}
TYPE_NAMES = {int: "a whole number (>= 0)", float: "a number (>= 0)", bool: "true or false", str: "a string",
              date: "a date (YYYY-MM-DD)"}


@dataclass(frozen=True)
class Row:
    section: str
    label: str
    value: object
    origin: str  # 内容统计, 网站配置, 年度数据, 未填报


@dataclass
class AnnualReport:
    site: Site
    year: int
    rows: list[Row] = field(default_factory=list)
    data_file: Path | None = None

    @property
    def missing(self) -> list[Row]:
        return [r for r in self.rows if r.origin == "未填报"]

    def add(self, section: str, label: str, value, origin: str) -> None:
        self.rows.append(Row(section, label, value, origin))

    def csv_text(self) -> str:
        return rows_csv(self.rows)

    def html_fragment(self) -> str:
        """The report as HTML tables (the body of the site page)."""
        return (f"<p>{escape(self.site.name)} {self.year} 年度政府网站工作报表。“来源”一列说明每项数据来自内容统计、"
                "网站配置还是年度数据填报；未填报的项目如实标明。</p>\n" + rows_tables(self.rows))


def rows_csv(rows: list[Row]) -> str:
    """A report's rows as CSV: 部分, 指标, 数值, 来源 (the yearly reports' sheet)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["部分", "指标", "数值", "来源"])
    for row in rows:
        writer.writerow([row.section, row.label, display(row.value), row.origin])
    return out.getvalue()


def rows_tables(rows: list[Row]) -> str:
    """A report's rows as one HTML table per section (every text escaped)."""
    sections: dict[str, list[Row]] = {}
    for row in rows:
        sections.setdefault(row.section, []).append(row)
    parts = []
    for index, (section, mine) in enumerate(sections.items()):
        body = "".join(f"<tr><th scope=\"row\">{escape(r.label)}</th><td>{escape(display(r.value))}</td>"
                       f"<td>{escape(r.origin)}</td></tr>" for r in mine)
        parts.append(f"<h2 id=\"section-{index + 1}\">{escape(section)}</h2><table class=\"annual-report\">"
                     f"<caption>{escape(section)}</caption><thead><tr><th scope=\"col\">指标</th>"
                     f"<th scope=\"col\">数值</th><th scope=\"col\">来源</th></tr></thead><tbody>{body}</tbody></table>")
    return "\n".join(parts)


def display(value) -> str:
    if value is None:
        return "（未填报）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass(frozen=True)
class SourceItem:
    """One article as the report counts it (from its source file)."""

    file: Path
    date: datetime
    column_type: str
    reprint: bool
    graphic: bool


def _date(text: str) -> datetime | None:
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
    return None


def _graphic(path: Path, header: dict, column_type: str, column_slug: str) -> bool:
    """Graphic interpretation (图解) or not: the compliance rule when available, else image/Form."""
    body = markdown.markdown(path.read_text("utf-8").split("\n\n", 1)[-1])
    try:
        from govsite.compliance.interpretations import is_graphic
        from govsite.compliance.items import Item
        return is_graphic(Item(file=str(path), slug=path.stem, title=header.get("title", ""), column=column_slug,
                               column_type=column_type, date=_date(header.get("date", "")) or datetime.min,
                               body=body, form=header.get("form", ""), image=header.get("image", "")))
    except ImportError:  # the compliance package is optional for this report
        return bool(header.get("image")) or "<img" in body or header.get("form", "") in ("图解", "视频")


def source_items(site: Site, group: SiteGroup) -> list[SourceItem]:
    """The site's published articles, plus (on a department) the portal's syndicated items."""
    items = []
    files = [(path, False) for path in article_files(site)]
    if site.kind == "department" and site.parent:
        files += [(path, True) for path in syndicated_files(group.portal_of(site))]
    news = next((c for c in site.columns if c.type == "要闻动态"), None)
    for path, syndicated in files:
        header = read_header(path)
        if header.get("status", "published").lower() != "published":
            continue
        moment = _date(header.get("date", ""))
        column = news if syndicated else site.column(header.get("category", ""))
        if moment is None or column is None:
            continue  # the build reports such articles
        graphic = column.type == INTERPRETATION_TYPE and _graphic(path, header, column.type, column.slug)
        items.append(SourceItem(path, moment, column.type, syndicated or bool(header.get("originalurl")), graphic))
    return items


def data_path(site: Site, year: int) -> Path:
    return site.folder / "annual" / f"{year}.toml"


def load_data(path: Path) -> dict:
    """The yearly data file's values by ``(table, key)``; unknown keys and wrong types are errors."""
    if not path.is_file():
        return {}
    try:
        raw = read_toml(path)
    except TomlUnreadable as exc:
        raise ContentInvalid([Problem(path, "", None, exc.expected)]) from None
    known = {(t, k): kind for t, k, _, kind in DATA_FIELDS}
    values, problems = {}, []
    for table, entries in raw.items():
        if table not in SECTIONS or not isinstance(entries, dict):
            close = difflib.get_close_matches(table, list(SECTIONS), n=1)
            problems.append(Problem(path, table, entries, "a table of: " + ", ".join(SECTIONS)
                                    + (f" (did you mean {close[0]!r}?)" if close else "")))
            continue
        for key, value in entries.items():
            kind = known.get((table, key))
            if kind is None:
                names = [k for t, k in known if t == table]
                close = difflib.get_close_matches(key, names, n=1)
                problems.append(Problem(path, f"{table}.{key}", value, "one of: " + ", ".join(names)
                                        + (f" (did you mean {close[0]!r}?)" if close else "")))
            elif not _fits(value, kind):
                problems.append(Problem(path, f"{table}.{key}", value, TYPE_NAMES[kind]))
            else:
                values[(table, key)] = value
    if problems:
        raise ContentInvalid(problems)
    return values


def _fits(value, kind) -> bool:
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
    if kind is date:
        return isinstance(value, date) and not isinstance(value, datetime)
    return isinstance(value, str)


def build_report(site: Site, group: SiteGroup, year: int, options: dict | None = None,
                 guides: list[Guide] | None = None, compliance: dict | None = None) -> AnnualReport:
    """The report for one site and year (raises ContentInvalid on a bad data file or guide);
    ``guides``: the site's service guides when already read (else they are read here); ``compliance``:
    the loaded GOVSITE_COMPLIANCE (the privacy rules the records are read with)."""
    options = {**DEFAULTS, **(options or {})}
    report = AnnualReport(site, year, data_file=data_path(site, year))
    header = "网站基本信息"
    kind = "政府门户网站" if site.kind == "portal" else "部门网站"
    for label, value in (("网站名称", site.name), ("首页网址", site.url), ("主办单位", site.organizer),
                         ("网站类型", kind), ("政府网站标识码", site.site_code), ("ICP备案号", site.icp),
                         ("公安机关备案号", site.police_filing)):
        report.add(header, label, value, "网站配置")
    data = load_data(report.data_file)
    counted = site_annual_numbers(site, group, year, compliance=compliance)  # 互动交流 from the letters, interviews, surveys
    items = source_items(site, group)
    in_year = [i for i in items if i.date.year == year]
    publishing = "信息发布（条）"
    report.add(publishing, "总数", len(in_year), "内容统计")
    for label, types in options["categories"].items():
        report.add(publishing, label, sum(1 for i in in_year if i.column_type in types), "内容统计")
    report.add(publishing, "转载信息数量", sum(1 for i in in_year if i.reprint), "内容统计")
    special = "专栏专题（个）"
    topics = [i for i in items if i.column_type == SPECIAL_TYPE and i.date.year <= year]
    report.add(special, "维护数量", len(topics), "内容统计")
    report.add(special, "新开设数量", sum(1 for i in topics if i.date.year == year), "内容统计")
    answer = "解读回应"
    interpretations = [i for i in in_year if i.column_type == INTERPRETATION_TYPE]
    report.add(answer, "解读信息发布总数（条）", len(interpretations), "内容统计")
    report.add(answer, "解读材料数量（条，文字解读）", sum(1 for i in interpretations if not i.graphic), "内容统计")
    report.add(answer, "解读产品数量（个，图解、视频等）", sum(1 for i in interpretations if i.graphic), "内容统计")
    computed_flags = {("innovation", "accessibility"): ("无障碍浏览", True),
                      ("innovation", "care_mode"): ("适老化（关怀版）", True)}
    counted |= guide_counts(site_guides(site) if guides is None else guides)  # 办事服务 from the guides
    for table, key, label, _ in DATA_FIELDS:
        section = answer if table == "interpretation" else SECTIONS[table]
        value = data.get((table, key))
        if (table, key) in counted:
            report.add(section, label, counted[(table, key)], "内容统计")
        else:
            report.add(section, label, value, "年度数据" if value is not None else "未填报")
        if (table, key) == ("innovation", "personalised"):
            for label_, flag in computed_flags.values():  # every page has the toolbar and care mode
                report.add(section, label_, flag, "网站功能")
    return report


def guide_counts(guides: list[Guide]) -> dict[tuple[str, str], object]:
    """The 办事服务 fields a site's service guides give (none when it has no guides: the data file's
    values stand): a catalogue is published, how many items, how many fully online (全程网办)."""
    if not guides:
        return {}
    return {("services", "catalogue"): True, ("services", "service_items"): len(guides),
            ("services", "online_items"): sum(1 for g in guides if g.level == ONLINE_LEVEL)}


def publish_due(site: Site, today: date) -> int | None:
    """Last year, when the site owes a report for it that is not published (no data file), else None.

    A site owes one when it was launched by the end of last year, or, without a launch event, when it
    published anything last year. (Whether it is still due or overdue depends on the due day.)"""
    year = today.year - 1
    if data_path(site, year).is_file():
        return None
    launch = next((e.get("date") for e in site.lifecycle if e.get("event") == "launch"), None)
    if isinstance(launch, date):
        return year if launch.year <= year else None
    for path in article_files(site):
        moment = _date(read_header(path).get("date", ""))
        if moment is not None and moment.year == year:
            return year
    return None


def published_years(site: Site) -> list[int]:
    """Years with a data file (their report page is published), newest first."""
    folder = site.folder / "annual"
    years = [int(p.stem) for p in folder.glob("*.toml") if p.stem.isdigit()] if folder.is_dir() else []
    return sorted(years, reverse=True)
