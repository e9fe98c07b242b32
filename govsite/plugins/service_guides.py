"""Publishes the site's 办事指南 (``content/<site>/guides/*.toml``) as pages ``guides/<slug>.html`` and its
政务服务事项目录 as ``guides/index.html`` (with the Atom feed ``guides/atom.xml``); on a site leading a group (the portal) the group's catalogue,
every site's guides, as ``guides/group.html``. A guide missing an element, or with a bad one, fails the
build naming the file and the element (govsite/service_guides.py). The catalogues are linked from the
site's 办事服务 column page; the guides' comparison across sites is the compliance report's 办事指南 family.

Settings: ``GOVSITE_SERVICE_GUIDES`` (``code_pattern``); written: ``GOVSITE_GUIDES`` (every guide of the
group by site id, for the compliance stage), ``GOVSITE_LINKS_KNOWN`` (the other sites' guide pages the
group catalogue links to, which their parallel builds are writing).
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from pelican.contents import Page

from govsite import stages
from govsite.checks.links import KNOWN_URLS_SETTING
from govsite.generated_articles import make_page
from govsite.service_guides import (
    FOLDER, SETTING, check_settings, days_text, group_guides, site_guides,
)
from govsite.theme_context import tel_url

STAGE = "service_guides"

#: Every valid guide of the site's group by site id (the site's own included), for the compliance stage.
GUIDES_KEY = "GOVSITE_GUIDES"
#: The theme's links to the catalogues ('' when the site has none).
URL_KEY, GROUP_URL_KEY = "govsite_guides_url", "govsite_group_guides_url"
CATALOGUE, GROUP_CATALOGUE, FEED = f"{FOLDER}/index.html", f"{FOLDER}/group.html", f"{FOLDER}/atom.xml"
TEMPLATE = "guide"


def read_guides(pelican) -> None:
    """Validate the setting and read the guides before anything else is read: the site's own (every
    problem fails the build) and its group's (for the group catalogue and the comparison)."""
    settings = pelican.settings
    options = check_settings(settings.get(SETTING))
    context = settings["JINJA_GLOBALS"]["govsite"]
    site, group = context.site, context.group
    guides = group_guides(group, site, options["code_pattern"])
    guides[site.id] = site_guides(site, options["code_pattern"])
    settings[GUIDES_KEY] = guides
    leads = group.portal_of(site).id == site.id and len(guides) > 1
    settings["JINJA_GLOBALS"][URL_KEY] = CATALOGUE if guides[site.id] else ""
    settings["JINJA_GLOBALS"][GROUP_URL_KEY] = GROUP_CATALOGUE if leads and any(guides.values()) else ""


def add_pages(generator) -> None:
    """One page per guide, the site's catalogue and (leading a group) the group catalogue."""
    settings = generator.settings
    guides = settings.get(GUIDES_KEY)
    if guides is None:
        return
    context = settings["JINJA_GLOBALS"]["govsite"]
    site = context.site
    own = guides[site.id]

    def page(title: str, template: str, path: str, source: str, day=None, **values) -> Page:
        body = generator.get_template(template).render(days=days_text, tel=tel_url, **values)
        metadata = {"title": title, "save_as": path, "url": path, "summary": title}
        if day is not None:  # a guide's 更新日期: the date of its feed entry
            metadata["date"] = datetime.combine(day, time(), ZoneInfo(settings.get("TIMEZONE", "Asia/Shanghai")))
        made = make_page(generator, body, metadata, source)
        made.template = TEMPLATE  # set after reading: a page's own Template may only name page
        return made

    pages = []
    for guide in own:
        made = page(guide.name, "partials/guide_body", guide.url, str(guide.file), guide.updated, guide=guide)
        made.guide = guide
        pages.append(made)
    folder = site.folder / FOLDER
    if own:
        rows = [{"site": site.name, "guide": g, "href": f"{g.slug}.html"} for g in own]
        pages.append(page("政务服务事项目录", "partials/guide_catalogue", CATALOGUE, str(folder / "index"),
                          rows=rows, group=False, caption="政务服务事项目录",
                          intro=f"本目录列出{site.name}网站发布办事指南的政务服务事项，"))
    if settings["JINJA_GLOBALS"].get(GROUP_URL_KEY):
        rows, known = [], list(settings.get(KNOWN_URLS_SETTING, ()))
        for member in context.group.members_of(site):
            current = context.current(member)
            for guide in guides.get(member.id, ()):
                href = f"{guide.slug}.html" if member.id == site.id else current.url + guide.url
                rows.append({"site": current.name, "guide": guide, "href": href})
                known += [href] if member.id != site.id else []
        settings[KNOWN_URLS_SETTING] = known
        pages.append(page("政务服务事项总目录", "partials/guide_catalogue", GROUP_CATALOGUE, str(folder / "group"),
                          rows=rows, group=True, caption="政务服务事项总目录（本网站及所属部门网站）",
                          intro=f"本目录汇总{site.name}及所属部门网站发布办事指南的政务服务事项，"))
    generator.pages.extend(pages)


def write_feed(generator, writer) -> None:
    """``guides/atom.xml``: the site's guides that give their 更新日期, newest first."""
    settings = generator.settings
    if not settings["JINJA_GLOBALS"].get(URL_KEY):
        return
    dated = sorted((p for p in generator.pages if getattr(p, "guide", None) and getattr(p, "date", None)),
                   key=lambda p: p.date, reverse=True)
    writer.write_feed(dated, generator.context, FEED, feed_title="办事指南")


def register() -> None:
    """Hand the receivers to govsite.stages, which runs them in the platform's order."""
    stages.connect(STAGE, {"initialized": read_guides, "page_generator_finalized": add_pages,
                           "page_writer_finalized": write_feed})
