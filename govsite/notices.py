"""Lifecycle notices (开通公告, 临时下线公告, …): standard Chinese wording with the fields filled in.

``notices_for(site, group, today)`` lists the notices a site publishes on ``today``: its own
events' notices, and — on a portal — those of its department sites. An event's ``title`` and
``body`` fields override the wording (``{placeholders}`` as below are filled in).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .lifecycle import Event, Timeline
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


@dataclass(frozen=True)
class Notice:
    """One notice page to publish on one site."""

    site_id: str       # where it is published
    about: str         # the site the event belongs to
    event: Event
    column: str        # the 通知公告 column's slug
    slug: str
    title: str
    body: str          # Markdown
    published: datetime
    source: str


def notice_column(site: Site) -> str | None:
    """The slug of the site's first 通知公告 column."""
    return next((c.slug for c in site.columns if c.type == NOTICE_COLUMN_TYPE), None)


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def wording(site: Site, group: SiteGroup, event: Event) -> tuple[str, str]:
    """The filled-in title and body of an event's notice."""
    portal = group.portal_of(site)
    values = {
        "name": site.name, "url": site.url, "organizer": site.organizer, "operator": site.operator,
        "site_code": site.site_code, "icp": site.icp, "phone": site.contact.phone, "email": site.contact.email,
        "portal_name": portal.name, "portal_url": portal.url, "day": _day(event.day),
        "start": _day(event.day), "end": _day(event.last_day), "days": (event.last_day - event.day).days + 1,
        "old_domain": site.domain, "new_domain": event.get("new_domain", ""),
        "field_label": FIELD_LABELS.get(event.get("field"), event.get("field", "")),
        "destination": _destination_text(site, group, event),
        **{k: v for k, v in event.fields.items() if isinstance(v, (str, int))},
    }
    title = str(event.get("title") or TITLES[event.kind]).format_map(_Missing(values))
    body = str(event.get("body") or BODIES[event.kind]).format_map(_Missing(values))
    return title, body


class _Missing(dict):
    """format_map that leaves unknown placeholders visible instead of failing."""

    def __missing__(self, key):
        return "{" + key + "}"


def _destination_text(site: Site, group: SiteGroup, event: Event) -> str:
    if event.kind != "permanent_offline":
        return ""
    if event.get("archive_only"):
        return f"原网站内容不再迁移（{event.get('archive_reason')}）。"

    def describe(target: str) -> str:
        other = group.get(target)
        return f"{other.name}（{other.url}）" if other else target

    parts = []
    if event.get("destination"):
        parts.append(f"原网站内容已整合迁移至{describe(event.get('destination'))}")
    for slug, target in (event.get("columns") or {}).items():
        column = site.column(slug)
        parts.append(f"“{column.name if column else slug}”栏目内容已迁移至{describe(target)}")
    return "；".join(parts) + "，访问原网址将自动跳转至新的对应页面。" if parts else ""


def notices_for(site: Site, group: SiteGroup, today: date, settings: dict | None = None) -> list[Notice]:
    """Every notice ``site`` publishes as of ``today`` (its own and, on a portal, its departments')."""
    about = [site] + (group.departments_of(site) if site.kind == "portal" else [])
    column = notice_column(site)
    notices = []
    for subject in about:
        timeline = Timeline.of(subject, today, settings)
        for event in timeline.published():
            if subject is not site and event.kind not in ("launch", "temporary_offline", "permanent_offline",
                                                          "domain_change"):
                continue  # info changes are announced on the site itself only
            title, body = wording(subject, group, event)
            slug = event.slug if subject is site else f"{subject.id}-{event.slug}"
            published = datetime.combine(timeline.notice_date(event), NOTICE_TIME)
            notices.append(Notice(site.id, subject.id, event, column or "", slug, title, body, published,
                                  subject.organizer))
    return notices


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
