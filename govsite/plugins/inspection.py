"""Publishes the quarterly inspection notices (季度检查通报) and the 年度监管报表 on the portal.

Each frozen notice ``content/<portal>/inspections/<quarter>.toml`` (written by ``govsite inspect
--publish``, reviewed and committed) becomes ``inspection-<quarter>.html``; each year with a notice gets
``supervision-report-<year>.html``; ``inspections.html`` lists them all and the footer links it as
政府网站监管. The pages are rendered from the files alone, so a published notice reads the same in
every later build; one whose ``issued`` day is after the build's day is not out yet. A bad file stops the
build with every problem named by file and field.
Settings: ``GOVSITE_TODAY`` (the day the year in progress is reported as of), ``GOVSITE_LIFECYCLE``.
"""

from __future__ import annotations

from html import escape

from govsite import stages
from govsite.errors import ContentInvalid, Problem
from govsite.generated_articles import make_page
from govsite.inspection_notice import notice_html, notices_folder, read_notices
from govsite.lifecycle import today_of
from govsite.supervision_report import report_html, supervision_rows, years_of

STAGE = "inspection"

NOTICES_KEY = "GOVSITE_INSPECTION_NOTICES"
URL_KEY = "govsite_inspection_url"
INDEX = "inspections"


def read_site_notices(pelican) -> None:
    """Read and check the portal's frozen notices once; give the footer the index page's URL."""
    settings = pelican.settings
    context = settings["JINJA_GLOBALS"]["govsite"]
    site, group = context.site, context.group
    folder = notices_folder(site)
    notices = []
    if folder.is_dir():
        if site.kind != "portal":
            raise ContentInvalid([Problem(folder, "", None, "inspection notices only in the portal's folder "
                                          "(the portal publishes the group's notices)")])
        notices, problems = read_notices(site, group)
        if problems:
            raise ContentInvalid(problems)
        today = today_of(settings)
        notices = [n for n in notices if n.values["issued"] <= today]  # a notice dated later is not out yet
    settings[NOTICES_KEY] = notices
    settings["JINJA_GLOBALS"][URL_KEY] = f"{INDEX}.html" if notices else ""


def add_pages(generator) -> None:
    """One page per notice, one per year with a notice, and the index of both."""
    settings = generator.settings
    notices = settings.get(NOTICES_KEY) or []
    if not notices:
        return
    context = settings["JINJA_GLOBALS"]["govsite"]
    site, group = context.site, context.group
    for notice in notices:
        _add(generator, notice.values["title"], notice.slug, notice_html(notice.values), notice.file)
    today = today_of(settings)
    years = years_of(notices)
    for year in years:
        rows = supervision_rows(group, notices, year, today, settings.get("GOVSITE_LIFECYCLE"))
        _add(generator, f"{year}年度政府网站监管报表", f"supervision-report-{year}",
             report_html(rows, year, site.organizer), notices[-1].file)
    links = "".join(f'<li><a href="{n.slug}.html">{escape(n.values["title"])}</a>（{escape(str(n.values["issued"]))}'
                    "）</li>" for n in reversed(notices))
    reports = "".join(f'<li><a href="supervision-report-{y}.html">{y}年度政府网站监管报表</a></li>' for y in years)
    body = (f"<p>{escape(site.organizer)}按季度对本级政府网站开展全面检查并通报结果，每年公开政府网站年度监管报表。</p>"
            f'<h2 id="notices">季度检查通报</h2><ul>{links}</ul>'
            f'<h2 id="reports">年度监管报表</h2><ul>{reports}</ul>')
    _add(generator, "政府网站监管", INDEX, body, notices[-1].file)


def _add(generator, title: str, slug: str, body: str, source) -> None:
    generator.pages.append(make_page(generator, body, {"title": title, "slug": slug, "summary": title}, source))


def register() -> None:
    """Hand the receivers to govsite.stages, which runs them in the platform's order."""
    stages.connect(STAGE, {"initialized": read_site_notices, "page_generator_finalized": add_pages})
