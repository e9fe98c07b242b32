"""Publishes 政民互动 as pages of the site: letters and replies, the open statistics (on the portal,
the whole group's), in-line interviews and surveys, and the 政民互动 index linked from the footer and
the 互动交流 column, and the Atom feed of replies (``feeds/letters.atom.xml``). Leaves the site's letters to the compliance stage, which checks the replies.

Settings: ``GOVSITE_INTERACTION`` (validated at ``initialized``), ``GOVSITE_COMPLIANCE['workdays']``
(the calendar), ``GOVSITE_TODAY``; the inspection day is site.toml ``[compliance] as_of``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from govsite import stages
from govsite.compliance.config import load_config, site_facts
from govsite.compliance.workdays import WorkdayCalendar
from govsite.files import write_text_atomic
from govsite.generated_articles import make_page
from govsite.interaction import pages
from govsite.interaction.feed import FEED, replies_feed
from govsite.interaction.records import Letter, group_letters, read_interviews, read_surveys
from govsite.interaction.settings import OPTIONS_KEY, RESULT_KEY, SETTING, load_settings
from govsite.interaction.statistics import count, counted_once, monthly, yearly
from govsite.lifecycle import today_of
from govsite.search import ALL_SITES, group_scope_label
from govsite.syndication import group_letter_files

STAGE = "interaction"
URL_KEY = "govsite_interaction_url"


@dataclass(frozen=True)
class Result:
    """What the compliance stage checks: the site's own letters, the calendar, the inspection day."""

    letters: list[Letter]
    calendar: WorkdayCalendar
    as_of: date
    options: dict
    #: The letters the site's pages show (on the portal, the group's): the replies feed's entries.
    shown: list[Letter] = field(default_factory=list)
    #: Where each shown letter is in the site's letters pages (pages.letter_locations).
    locations: dict[str, str] = field(default_factory=dict)


def check_settings(pelican) -> None:
    """Validate the setting once; give the footer the index's URL when the site has anything to show."""
    settings = pelican.settings
    settings[OPTIONS_KEY] = load_settings(settings.get(SETTING))
    context = settings["JINJA_GLOBALS"]["govsite"]
    site, group = context.site, context.group
    own = any((site.folder / folder).is_dir() and any((site.folder / folder).rglob("*.toml"))
              for folder in ("letters", "interviews", "surveys"))
    settings["JINJA_GLOBALS"][URL_KEY] = pages.INDEX if own or (site.leads_group and group_letter_files(group)) \
        else ""


def add_pages(generator) -> None:
    """The letters, statistics, interview, survey and index pages; the site's letters for compliance."""
    settings = generator.settings
    context = settings["JINJA_GLOBALS"]["govsite"]
    site, group = context.site, context.group
    options = settings.get(OPTIONS_KEY) or load_settings(settings.get(SETTING))
    today = today_of(settings)
    as_of = site_facts(site, today)["as_of"]
    compliance = load_config(settings.get("GOVSITE_COMPLIANCE"))
    calendar = WorkdayCalendar(compliance["workdays"])
    by_site = group_letters(group, today, compliance)
    interviews, surveys = read_interviews(site, compliance), read_surveys(site, compliance)
    own = by_site.get(site.id, [])
    portal = site.leads_group       # a portal, or a national department leading its own group
    counted = counted_once(by_site)
    shown = counted if portal else own
    per_page = options["letters_per_page"]
    locations = {s.id: pages.letter_locations(counted if s.leads_group else by_site.get(s.id, []), per_page)
                 for s in group}
    settings[RESULT_KEY] = Result(own, calendar, as_of, options, shown, locations.get(site.id, {}))
    if not (shown or interviews or surveys):
        return
    limit = options["reply_workdays"]
    sites = {s.id: s for s in group}
    forwards = {item.forwarded_from: item for letters in by_site.values() for item in letters if item.forwarded_from}
    region = group_scope_label(site.name) if portal else ""
    region = "" if region == ALL_SITES else region          # 全市, 全县…; none for a ministry's group
    scope = (f"{region}政府网站" if region else f"{site.name}及所属网站") if portal else site.name

    def add(slug: str, title: str, html: str, source) -> None:
        generator.pages.append(make_page(generator, html, {"title": title, "slug": slug,
                                                           "summary": f"{site.name}{title}"}, source))

    if shown:
        folder = site.folder / "letters"
        for number, (name, html) in enumerate(pages.letters_html(scope, shown, sites, forwards, portal, limit,
                                                                 per_page, locations), 1):
            title = f"{scope}来信及答复" + (f"（第 {number} 页）" if number > 1 else "")
            add(name.removesuffix(".html"), title, html, folder)
        per_site = {}
        if portal:
            for year in sorted({item.received.year for item in shown}, reverse=True):
                rows = [count(sites[sid].name, [i for i in letters if i.received.year == year], calendar, limit, as_of)
                        for sid, letters in sorted(by_site.items(), key=lambda pair: not sites[pair[0]].leads_group)
                        if any(i.received.year == year for i in letters)]
                total = count(f"{region}合计（转办件计一次）", [i for i in shown if i.received.year == year], calendar, limit,
                              as_of)
                per_site[year] = (rows, total)
        add("letters-statistics", f"{scope}留言办理情况统计",
            pages.statistics_html(scope, monthly(shown, calendar, limit, as_of), yearly(shown, calendar, limit, as_of),
                                  per_site, limit, as_of), folder)
    for item in interviews:
        add(pages.interview_url(item).removesuffix(".html"), f"在线访谈：{item.title}", pages.interview_html(item), item.file)
    for item in surveys:
        add(pages.survey_url(item).removesuffix(".html"), f"征集调查：{item.title}", pages.survey_html(item), item.file)
    add("interaction", "政民互动", pages.index_html(site, len(shown), interviews, surveys), site.folder / "letters")


def write_feed(pelican) -> None:
    """The replies feed, written with the output (before the links are checked)."""
    settings = pelican.settings
    result = settings.get(RESULT_KEY)
    if result is None or not result.shown:
        return
    site = settings["JINJA_GLOBALS"]["govsite"].site
    zone = ZoneInfo(settings.get("TIMEZONE", "Asia/Shanghai"))
    write_text_atomic(Path(settings["OUTPUT_PATH"]) / FEED, replies_feed(site, result.shown, zone, result.locations))


def register() -> None:
    """Hand the receivers to govsite.stages, which runs them in the platform's order."""
    stages.connect(STAGE, {"initialized": check_settings, "page_generator_finalized": add_pages,
                           "finalized": write_feed})
