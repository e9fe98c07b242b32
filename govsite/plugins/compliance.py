"""Runs ``compliance`` on the site's articles: masks personal information in the output, writes
``reports/<domain>/compliance.{json,html}``, and fails the build on any error finding.

Settings: ``GOVSITE_COMPLIANCE`` (validated at ``initialized``), ``GOVSITE_REPORT_DIR`` (set by
``invoke build``), ``GOVSITE_TODAY`` (the build's day). Per-site facts come from site.toml ``[compliance]``.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from govsite import content_index, stages
from govsite.compliance.config import load_config, site_facts
from govsite.compliance.findings import ComplianceFailed
from govsite.compliance.freshness import check_list_dates
from govsite.compliance.guides import check_guides
from govsite.compliance.link_findings import link_findings
from govsite.compliance.masking import mask_article, mask_attachments
from govsite.compliance.pelican_items import item_of, page_item
from govsite.compliance.replies import check_replies
from govsite.compliance.report import write_reports
from govsite.compliance.run import check_names, check_site, check_texts, relax
from govsite.errors import ContentInvalid
from govsite.interaction.settings import RESULT_KEY as INTERACTION_KEY
from govsite.lifecycle import today_of
from govsite.plugins.service_guides import GUIDES_KEY

STAGE = "compliance"
#: Each article's item and text findings, kept for the next build (``content_index.kept_results``).
ITEMS_RESULT, TEXTS_RESULT = "compliance.item", "compliance.texts"

log = logging.getLogger(__name__)
CONFIG_KEY = "GOVSITE_COMPLIANCE_CONFIG"
RUN_KEY = "GOVSITE_COMPLIANCE_RUN"
#: The link check's result, left in the settings by govsite_links (shown as the "links" family).
LINKS_RESULT = "GOVSITE_LINKS_RESULT"


def check_config(pelican) -> None:
    """Validate GOVSITE_COMPLIANCE once, before anything is read."""
    pelican.settings[CONFIG_KEY] = load_config(pelican.settings.get("GOVSITE_COMPLIANCE"))


def build_time(settings) -> datetime:
    """The build's day (GOVSITE_TODAY or today) at the current Beijing time."""
    zone = ZoneInfo(settings.get("TIMEZONE", "Asia/Shanghai"))
    return datetime.combine(today_of(settings), datetime.now(zone).time(), tzinfo=zone)


def check_articles(generator) -> None:
    """Run the content rules; mask what is to be masked; fail (with the report written) on errors."""
    settings = generator.settings
    site = settings["JINJA_GLOBALS"]["govsite"].site
    zone = ZoneInfo(settings.get("TIMEZONE", "Asia/Shanghai"))
    problems = []
    articles = list(generator.articles)
    known, found = content_index.kept_results(settings, ITEMS_RESULT), {}
    items = [known.get(a.source_path) or found.setdefault(a.source_path, item_of(a, site, zone, problems))
             for a in articles]
    if problems:
        raise ContentInvalid(problems)
    now = build_time(settings)
    texts, checked = content_index.kept_results(settings, TEXTS_RESULT), {}
    run = check_site(site, items, settings[CONFIG_KEY], site_facts(site, now.date()), now,
                     known=texts, checked=checked)
    content_index.keep_results(settings, ITEMS_RESULT, found)
    content_index.keep_results(settings, TEXTS_RESULT, checked)
    settings[RUN_KEY] = run
    for article in articles:
        if article.source_path in run.masks:
            mask_article(article, run.masks[article.source_path])
    _report_or_fail(settings, run)


def check_pages(generator) -> None:
    """Standalone pages get the text rules (privacy, wording) too; the site's letters (left by the
    interaction stage, which runs first) their reply rules."""
    settings = generator.settings
    run = settings.get(RUN_KEY)
    if run is None:
        return
    site = settings["JINJA_GLOBALS"]["govsite"].site
    pages = list(generator.pages) + list(generator.hidden_pages)
    items = [page_item(p, build_time(settings)) for p in pages]
    facts = site_facts(site, run.today)
    run.findings += check_texts(run, site, items, settings[CONFIG_KEY], facts)
    letters = settings.get(INTERACTION_KEY)
    if letters is not None:
        run.findings += check_replies(letters.letters, letters.calendar, letters.as_of, letters.options)
    guides = settings.get(GUIDES_KEY)  # the service_guides stage runs first at pages finalized
    if guides and any(guides.values()):
        leads = settings["JINJA_GLOBALS"]["govsite"].group.portal_of(site).id == site.id
        run.findings += check_guides(site.id, guides, settings[CONFIG_KEY]["guides"]["mismatch"], leads)
        run.checked.append("guides")
    relax(run, facts.get("warn_only", ()))
    for page in pages:
        if page.source_path in run.masks:
            mask_article(page, run.masks[page.source_path])
    _report_or_fail(settings, run)


def check_static_names(generator) -> None:
    """Images and attachments are published under their file names: no personal information in them
    (checked once every file is known, before anything is written)."""
    settings = generator.settings
    run = settings.get(RUN_KEY)
    if run is None:
        return
    site = settings["JINJA_GLOBALS"]["govsite"].site
    facts = site_facts(site, run.today)
    names = {static.source_path: static.save_as for static in generator.staticfiles}
    run.findings += check_names(site, names, settings[CONFIG_KEY], facts)
    relax(run, facts.get("warn_only", ()))
    _report_or_fail(settings, run)


def check_output(pelican) -> None:
    """After writing: dated list items, masked text attachments, the final report."""
    settings = pelican.settings
    run = settings.get(RUN_KEY)
    if run is None:
        return
    for masks in run.masks.values():
        mask_attachments(settings["OUTPUT_PATH"], masks)
    level = settings[CONFIG_KEY]["freshness"]["undated"]
    if level != "off":
        run.findings += check_list_dates(settings["OUTPUT_PATH"], level)
        relax(run, site_facts(settings["JINJA_GLOBALS"]["govsite"].site, run.today).get("warn_only", ()))
    links = settings.get(LINKS_RESULT)  # the links stage runs first at finalized (govsite.stages)
    _report_or_fail(settings, run, final=True, links=links)


def _report_or_fail(settings, run, final: bool = False, links=None) -> None:
    report_dir = settings.get("GOVSITE_REPORT_DIR") or None
    if run.errors or final:
        if report_dir:
            extra = link_findings(links) if links is not None else []
            checked = (*run.checked, "links") if links is not None else tuple(run.checked)
            write_reports(run, report_dir, extra, checked=checked)
    if final:
        for finding in run.findings:
            if finding.severity == "warning":
                log.warning("compliance: %s", finding)
    if run.errors:
        raise ComplianceFailed(run.errors, f"{report_dir}/compliance.html" if report_dir else "",
                               veto=run.veto)


def register() -> None:
    """Hand the receivers to govsite.stages, which runs them in the platform's order."""
    stages.connect(STAGE, {
        "initialized": check_config,
        "article_generator_finalized": check_articles,
        "page_generator_finalized": check_pages,
        "static_generator_finalized": check_static_names,
        "finalized": check_output,
    })
