"""Lifecycle notices (开通公告, 临时下线公告, …): standard Chinese wording with the facts filled in.

``notices_for(site, group, today)`` lists the notices a site publishes on ``today``: its own
events' notices, and — on a portal — those of its department sites. A notice states the facts as
they stood when it was first published (``site_as_of`` its notice date: the domain before a later
domain change, names before a later info_change), so every later build writes the same text.
An event's ``title`` and ``body`` fields override the wording: plain text (blank lines separate
paragraphs) in which ``{name}``-style placeholders, plain names only, are filled in. Every value
and every override is text: ``notice_html`` escapes it all, nothing in them becomes markup.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from .lifecycle import Event, Timeline, site_as_of, unknown_as_of
from .registry import Site, SiteGroup

NOTICE_COLUMN_TYPE = "通知公告"
NOTICE_TIME = time(9, 0)

TITLES = {
    "launch": "关于{name}正式开通运行的公告",
    "temporary_offline": "关于{name}临时下线的公告",
    "permanent_offline": "关于{name}永久下线的公告",
    "domain_change": "关于{name}域名变更的公告",
    "info_change": "关于{name}基本信息变更的公告",
}
BODIES = {
    "launch": (
        "{name}（{url}）于{day}正式开通运行。本网站由{organizer}主办，{operator}负责运行维护，"
        "网站标识码为{site_code}，ICP备案号为{icp}。\n\n"
        "本网站将及时发布政务信息，提供政策解读、办事服务和互动交流。欢迎社会各界访问，并对网站建设提出意见和建议。\n\n"
        "联系电话：{phone}　电子邮箱：{email}"
    ),
    "temporary_offline": (
        "因{reason}，经{approval}批准，{name}（{url}）将于{start}至{end}临时下线，共{days}天。\n\n"
        "下线期间本网站暂停访问。有关政务公开和政务服务事项，请访问{portal_name}（{portal_url}）。"
        "给您带来的不便，敬请谅解。\n\n联系电话：{phone}"
    ),
    "permanent_offline": (
        "因{reason}，经{approval}批准，{name}（{url}）自{day}起永久下线，网站域名将依规注销。\n\n"
        "{destination}原网站网页已归档保存。\n\n联系电话：{phone}"
    ),
    "domain_change": (
        "自{day}起，{name}的域名由 {old_domain} 变更为 {new_domain}。\n\n"
        "原域名下的网页将自动跳转至新域名的对应页面，请及时更新您的收藏。网站标识码{site_code}不变。"
    ),
    "info_change": (
        "因{reason}，自{day}起，{name}的{field_label}由“{old}”变更为“{new}”。\n\n"
        "本网站已同步更新相关信息，并报上级主管单位备案。"
    ),
}
FIELD_LABELS = {"name": "网站名称", "organizer": "主办单位", "operator": "运行维护单位", "site_code": "网站标识码",
                "icp": "ICP备案号", "police_filing": "公安机关备案号", "logo": "网站徽标", "contact": "联系方式",
                "columns": "栏目设置"}


#: Events a portal also announces for its departments (info changes are announced on the site only).
PORTAL_EVENTS = ("launch", "temporary_offline", "permanent_offline", "domain_change")
#: A placeholder: ``{`` a plain name ``}`` (no attributes, indexes, conversions or format specs).
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
#: Facts that a later ``info_change`` of a table field leaves unknown for an earlier day.
TABLE_FACTS = {"contact": ("phone", "email"), "columns": ("destination",)}


@dataclass(frozen=True)
class Notice:
    """One notice page to publish on one site (title and body are plain text)."""

    site_id: str       # where it is published
    about: str         # the site the event belongs to
    event: Event | None  # None: a notice only the record still knows (its event or site is gone)
    column: str        # the 通知公告 column's slug
    slug: str
    title: str
    body: str
    published: datetime
    source: str
    facts: dict = field(default_factory=dict, hash=False, compare=False)

    def record(self) -> dict:
        """The notice as the record pins it (JSON-ready)."""
        return {"slug": self.slug, "about": self.about, "title": self.title, "body": self.body,
                "date": self.published.isoformat(timespec="minutes"), "facts": dict(sorted(self.facts.items()))}


def notice_column(site: Site) -> str | None:
    """The slug of the site's first 通知公告 column."""
    return next((c.slug for c in site.columns if c.type == NOTICE_COLUMN_TYPE), None)


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def fill(template: str, values: dict) -> str:
    """``template`` with each ``{name}`` of ``values`` replaced by its text; anything else between
    braces (unknown names, ``{0.__class__}``, ``{x!r}``, ``{x:>9}``) stays as written."""
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template)


def notice_html(text: str) -> str:
    """Plain text as HTML: blank lines separate paragraphs, a line break stays one, every character is text."""
    paragraphs = []
    for block in re.split(r"\n(?:[ \t\u3000]*\n)+", text.replace("\r\n", "\n")):
        lines = [line for line in block.split("\n") if line.strip()]  # a white-space line ends no paragraph
        if lines:
            paragraphs.append("<p>" + "<br>\n".join(html.escape(line) for line in lines) + "</p>")
    return "\n".join(paragraphs)


def summary_html(text: str, limit: int = 120) -> str:
    """The notice's first paragraph, shortened, as escaped HTML (Pelican's summary is HTML)."""
    first = text.strip().split("\n")[0] if text.strip() else ""
    return html.escape(first[:limit])


def notice_facts(subject: Site, group: SiteGroup, event: Event, settings: dict | None = None) -> dict[str, str]:
    """The facts a notice states, as they stood on its notice date (the event's fields included)."""
    published = Timeline.of(subject, event.day, settings).notice_date(event)
    site = site_as_of(subject, published, settings)
    before = site_as_of(subject, event.day - timedelta(days=1), settings)
    portal = site_as_of(group.portal_of(subject), published, settings)
    values = {k: str(v) for k, v in event.fields.items() if isinstance(v, (str, int)) and not isinstance(v, bool)}
    values |= {
        "name": site.name, "url": site.url, "organizer": site.organizer, "operator": site.operator,
        "site_code": site.site_code, "icp": site.icp, "phone": site.contact.phone, "email": site.contact.email,
        "portal_name": portal.name, "portal_url": portal.url, "day": _day(event.day),
        "start": _day(event.day), "end": _day(event.last_day), "days": str((event.last_day - event.day).days + 1),
        "old_domain": before.domain, "new_domain": str(event.get("new_domain", "")),
        "field_label": FIELD_LABELS.get(event.get("field"), str(event.get("field", ""))),
        "destination": _destination_text(site, group, event, published, settings),
    }
    for table in unknown_as_of(subject, published) & set(TABLE_FACTS):
        for name in TABLE_FACTS[table]:
            values.pop(name, None)  # not knowable from site.toml: the record's pinned text keeps it
    return values


def wording(event: Event, facts: dict[str, str]) -> tuple[str, str]:
    """The filled-in title and body (plain text) of an event's notice."""
    title = fill(str(event.get("title") or TITLES[event.kind]), facts)
    body = fill(str(event.get("body") or BODIES[event.kind]), facts)
    return title, body


def _destination_text(site: Site, group: SiteGroup, event: Event, day: date, settings: dict | None) -> str:
    if event.kind != "permanent_offline":
        return ""
    if event.get("archive_only"):
        return f"原网站内容不再迁移（{event.get('archive_reason')}）。"

    def describe(target: str) -> str:
        other = group.get(target)
        other = site_as_of(other, day, settings) if other else None
        return f"{other.name}（{other.url}）" if other else target

    parts = []
    if event.get("destination"):
        parts.append(f"原网站内容已整合迁移至{describe(event.get('destination'))}")
    for slug, target in (event.get("columns") or {}).items():
        column = site.column(slug)
        parts.append(f"“{column.name if column else slug}”栏目内容已迁移至{describe(target)}")
    return "；".join(parts) + "，访问原网址将自动跳转至新的对应页面。" if parts else ""


def notices_for(site: Site, group: SiteGroup, today: date, settings: dict | None = None) -> list[Notice]:
    """Every notice ``site`` publishes as of ``today`` (its own and, on a portal, its departments'),
    worded with the facts of each notice's own date (never of ``today``)."""
    declared = group.get(site.id) or site  # as declared: each notice finds its own day's state
    about = [declared] + (group.departments_of(declared) if declared.leads_group else [])
    column = notice_column(declared)
    notices = []
    for subject in about:
        timeline = Timeline.of(subject, today, settings)
        for event in timeline.published():
            if subject is not declared and event.kind not in PORTAL_EVENTS:
                continue
            facts = notice_facts(subject, group, event, settings)
            title, body = wording(event, facts)
            slug = event.slug if subject is declared else f"{subject.id}-{event.slug}"
            published = datetime.combine(timeline.notice_date(event), NOTICE_TIME)
            notices.append(Notice(declared.id, subject.id, event, column or "", slug, title, body, published,
                                  facts["organizer"], facts))
    return notices


def as_published(notices: list[Notice], pinned: list[dict], today: date) -> tuple[list[Notice], list[str]]:
    """The notices with the text the record pinned when each was first published, and one sentence
    per fact a pinned notice states that the content now contradicts.

    A pinned notice is rendered from the record (a wording change of the platform never rewrites a
    published notice); one whose event or site is gone stays published as the record has it."""
    by_slug = {p["slug"]: p for p in pinned}
    rendered, conflicts = [], []
    for notice in notices:
        old = by_slug.pop(notice.slug, None)
        if old is None:
            rendered.append(notice)
            continue
        for name, value in sorted(old["facts"].items()):
            if name in notice.facts and notice.facts[name] != value:
                conflicts.append(f"the published notice {notice.slug} ({old['title']}) states {name} = {value!r}, "
                                 f"the content now gives {notice.facts[name]!r}")
        rendered.append(replace(notice, title=old["title"], body=old["body"],
                                published=datetime.fromisoformat(old["date"]), facts=old["facts"]))
    column = notices[0].column if notices else ""
    for old in by_slug.values():
        published = datetime.fromisoformat(old["date"])
        if published.date() <= today:
            rendered.append(Notice("", old["about"], None, column, old["slug"], old["title"], old["body"], published,
                                   old["facts"].get("organizer", ""), old["facts"]))
    return rendered, conflicts


def home_banner(site: Site, today: date, settings: dict | None = None) -> list[str]:
    """Slugs of notices that must stand on the home page today (an offline for its notice period)."""
    timeline = Timeline.of(site, today, settings)
    slugs = []
    for event in timeline.published():
        if event.kind == "permanent_offline" and today < event.day + timedelta(days=timeline.offline_notice_days):
            slugs.append(event.slug)
        if event.kind == "temporary_offline" and today <= event.last_day:
            slugs.append(event.slug)
        if event.kind == "domain_change" and today < event.day + timedelta(days=timeline.offline_notice_days):
            slugs.append(event.slug)
    return slugs
