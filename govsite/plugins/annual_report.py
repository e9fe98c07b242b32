"""Publishes ``annual-report-<year>.html`` for every year with a data file (``content/<site>/annual/
<year>.toml``), linked from the footer as 政府网站年度报表 (the newest year); warns (a Pelican
warning: ``--strict`` fails) when last year's report is not published — due by ``GOVSITE_ANNUAL_REPORT
['due']`` (default 01-31). Settings: ``GOVSITE_ANNUAL_REPORT`` (``categories``, ``due``), ``GOVSITE_TODAY``.
"""

from __future__ import annotations

import logging
from datetime import date

from govsite import stages
from govsite.annual_report import DEFAULTS, SETTING, build_report, data_path, publish_due, published_years
from govsite.compliance.config import load_config
from govsite.errors import ContentInvalid, Problem
from govsite.generated_articles import make_page
from govsite.lifecycle import today_of
from govsite.plugins.service_guides import GUIDES_KEY

STAGE = "annual_report"

log = logging.getLogger(__name__)
URL_KEY = "govsite_annual_report_url"


def check_settings(pelican) -> None:
    """Validate the setting once; give the footer the newest report's URL."""
    settings = pelican.settings
    value = settings.get(SETTING) or {}
    problems = []
    if not isinstance(value, dict) or set(value) - set(DEFAULTS):
        problems.append(Problem("pelicanconf.py", SETTING, value, "a dict with keys " + ", ".join(DEFAULTS)))
    else:
        categories = value.get("categories", DEFAULTS["categories"])
        if not isinstance(categories, dict) or not all(isinstance(v, list) for v in categories.values()):
            problems.append(Problem("pelicanconf.py", f"{SETTING}['categories']", categories,
                                    "a dict of category label -> list of column types"))
        try:
            date.fromisoformat(f"2000-{value.get('due', DEFAULTS['due'])}")
        except (TypeError, ValueError):
            problems.append(Problem("pelicanconf.py", f"{SETTING}['due']", value.get("due"), "a day as MM-DD"))
    if problems:
        raise ContentInvalid(problems)
    site = settings["JINJA_GLOBALS"]["govsite"].site
    years = published_years(site)
    settings["JINJA_GLOBALS"][URL_KEY] = f"annual-report-{years[0]}.html" if years else ""


def add_report_pages(generator) -> None:
    """One page per year with a data file; the warning for a missing report of last year."""
    settings = generator.settings
    context = settings["JINJA_GLOBALS"]["govsite"]
    site, group = context.site, context.group
    options = settings.get(SETTING) or {}
    today = today_of(settings)
    due_year = publish_due(site, today)
    if due_year is not None:
        due = date.fromisoformat(f"{today.year}-{options.get('due', DEFAULTS['due'])}")
        state = "is overdue" if today > due else f"is due by {due}"
        log.warning("%s: the %s annual report (政府网站年度报表) %s: add %s", site.id, due_year, state,
                    data_path(site, due_year))
    for year in published_years(site):
        report = build_report(site, group, year, options, (settings.get(GUIDES_KEY) or {}).get(site.id),
                              load_config(settings.get("GOVSITE_COMPLIANCE")))
        generator.pages.append(make_page(generator, report.html_fragment(),
                                         {"title": f"{year}年度政府网站工作报表", "slug": f"annual-report-{year}",
                                          "summary": f"{site.name}{year}年度政府网站工作报表"}, report.data_file))
        if report.missing:
            log.info("%s: %d fields of the %s annual report are not filled in (%s)", site.id,
                     len(report.missing), year, report.data_file)


def register() -> None:
    """Hand the receivers to govsite.stages, which runs them in the platform's order."""
    stages.connect(STAGE, {"initialized": check_settings, "page_generator_finalized": add_report_pages})
