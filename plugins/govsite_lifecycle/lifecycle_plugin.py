"""Publishes lifecycle notices as ordinary articles, guards events already published, and writes
redirects and server configuration for the built site.

Settings: ``GOVSITE_TODAY`` (the build's day; default today in Beijing), ``GOVSITE_LIFECYCLE``
(``lead_days``, ``offline_notice_days``), ``GOVSITE_RECORD`` (this site's record of published
events, notices and URLs, ``govsite.records``, set by ``invoke build``).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.urlwrappers import Category

from pelican.generators import Generator
from pelican.utils import get_relative_path

from govsite.errors import ContentInvalid, Problem
from govsite.files import page_names, write_text_atomic
from govsite.generated_articles import add_articles, make_article
from govsite.lifecycle import Timeline, compare_published, today_of
from govsite.notices import as_published, home_banner, notice_column, notice_html, notices_for, summary_html
from govsite.records import PUBLISHED_NOTICES, RECORD_DATA, read_record
from govsite.redirects import Redirect, csv_text, htaccess
from govsite.redirects import plan as redirect_plan
from govsite.server_config import ServerSettings, apache, logrotate, nginx


def _context(generator):
    return generator.settings["JINJA_GLOBALS"]["govsite"]


def check_published(pelican) -> None:
    """Fail before building when the record is damaged, or an event already published was changed or removed."""
    settings = pelican.settings
    site = settings["JINJA_GLOBALS"]["govsite"].site
    record = settings.get("GOVSITE_RECORD")
    data = read_record(record, site.id) if record else None
    settings[RECORD_DATA] = data
    if data is None:
        return
    timeline = Timeline.of(site, today_of(settings), settings.get("GOVSITE_LIFECYCLE"))
    changes = compare_published(data["events"], list(timeline.events))
    if changes:
        raise ContentInvalid([Problem(site.file, "lifecycle", None, f"published events to stay as published: {c}; "
                                      "add a new event (e.g. info_change) instead") for c in changes])


def add_notices(generator) -> None:
    """Append this site's lifecycle notices to the articles (before categories are built), each with
    the text the record pinned when it was first published; fail when the content contradicts one."""
    context = _context(generator)
    settings = generator.settings
    today = today_of(settings)
    options = settings.get("GOVSITE_LIFECYCLE")
    zone = ZoneInfo(settings.get("TIMEZONE", "Asia/Shanghai"))
    banner_slugs = set(home_banner(context.site, today, options))
    record = settings.get(RECORD_DATA) or {}
    notices, conflicts = as_published(notices_for(context.site, context.group, today, options),
                                      record.get("notices", []), today)
    if conflicts:
        raise ContentInvalid([Problem(context.site.file, "lifecycle", None, f"published notices to stay true: {c} "
                                      "(a fact of a published notice changes only by a new event: info_change, "
                                      "domain_change; else restore site.toml)") for c in conflicts])
    added = []
    for notice in notices:
        metadata = {
            "title": notice.title, "date": notice.published.replace(tzinfo=zone),
            "category": Category(notice.column, settings), "slug": notice.slug, "source": notice.source,
            "summary": summary_html(notice.body), "keywords": "公告",
        }
        article = make_article(generator, notice_html(notice.body), metadata,
                               os.path.join(settings["PATH"], "lifecycle", notice.slug + ".md"))
        article.lifecycle_notice = notice
        added.append(article)
    add_articles(generator, added)
    settings[PUBLISHED_NOTICES] = [n.record() for n in notices]
    generator.context["lifecycle_banner"] = [a for a in added if a.lifecycle_notice.slug in banner_slugs]
    timeline = Timeline.of(context.site, today, options)
    generator.context["lifecycle_maintenance"] = timeline.maintenance()


def register() -> None:
    """Connect the receivers."""
    signals.initialized.connect(check_published)
    signals.article_generator_pretaxonomy.connect(add_notices)
    signals.finalized.connect(publish_redirects_and_server_config)


def publish_redirects_and_server_config(pelican) -> None:
    """After the output is written: cover every URL ever published, then write redirect pages,
    ``.htaccess`` and the deployment files (``.govsite/``, moved beside the site by the build)."""
    settings = pelican.settings
    context = settings["JINJA_GLOBALS"]["govsite"]
    site, group = context.site, context.group
    output = Path(settings["OUTPUT_PATH"])
    today = today_of(settings)
    timeline = Timeline.of(site, today, settings.get("GOVSITE_LIFECYCLE"))
    record = settings.get("GOVSITE_RECORD")
    published = set(json.loads(Path(record).read_text("utf-8")).get("urls", [])) \
        if record and Path(record).is_file() else set()
    current = set(page_names(output, (".html",)))
    offline = timeline.offline()
    notice = notice_path(site, timeline, offline) if offline else ""
    try:
        redirects, uncovered = redirect_plan(site, group, timeline, published, current, notice)
    except (OSError, ValueError, KeyError) as exc:
        raise ContentInvalid([Problem(site.folder / "redirects.csv", "redirects", None, f"a readable register ({exc})")])
    if uncovered:
        shown = ", ".join(uncovered[:20]) + (f" and {len(uncovered) - 20} more" if len(uncovered) > 20 else "")
        raise ContentInvalid([Problem(site.file, "published URLs", shown,
                                      "every URL the site ever published to exist or be redirected "
                                      "(add a row to redirects.csv, or keep the page)")])
    write_redirect_pages(pelican, [r for r in redirects if r.old_path not in current])
    for old in timeline.old_domains(group.get(site.id).domain):
        # Hosting without server configuration: the old domain's folder holds a redirect page for
        # every URL ever published, each to the same path on the new domain.
        moved = [Redirect(path, site.url + path, "domain change") for path in sorted(published | current)]
        folder = Path(settings["OUTPUT_PATH"]) / ".govsite" / "old-domains" / old
        write_redirect_pages(pelican, moved, folder)
        shutil.copytree(output / "theme", folder / "theme", dirs_exist_ok=True)
    server = ServerSettings.of(settings.get("GOVSITE_SERVER"))
    maintenance = timeline.maintenance() is not None
    old_domains = timeline.old_domains(group.get(site.id).domain)
    badge = bool(context.conac_script)
    (output / ".htaccess").write_text(htaccess(site, redirects, timeline.maintenance(), server.retry_after), "utf-8")
    deploy = output / ".govsite"
    deploy.mkdir(exist_ok=True)
    (deploy / "nginx.conf").write_text(nginx(site, server, redirects, old_domains, maintenance, badge), "utf-8")
    (deploy / "apache.conf").write_text(apache(site, server, old_domains, badge), "utf-8")
    (deploy / "logrotate.conf").write_text(logrotate(server), "utf-8")
    (deploy / "redirects.csv").write_text(csv_text(site, redirects, old_domains), "utf-8")


def notice_path(site, timeline, event) -> str:
    """Where the site's own notice of an event is published."""
    column = notice_column(site)
    return f"{column}/{timeline.notice_date(event):%Y%m}/{event.slug}.html"


def write_redirect_pages(pelican, redirects, folder: Path | None = None) -> None:
    """Static HTML redirect pages rendered with the theme (for hosting without server configuration)."""
    if not redirects:
        return
    settings = pelican.settings
    folder = folder or Path(settings["OUTPUT_PATH"])
    generator = Generator(context={}, settings=settings, path=settings["PATH"], theme=settings["THEME"],
                          output_path=settings["OUTPUT_PATH"])
    template = generator.get_template("redirect")
    site = settings["JINJA_GLOBALS"]["govsite"].site
    base = {key: value for key, value in settings.items() if key.isupper()}
    for redirect in redirects:
        target = redirect.target_url(site)
        relative = get_relative_path(redirect.old_path)
        page = template.render({**base, "SITEURL": relative.rstrip("/") or ".", "redirect_target": target,
                                "page_name": "redirect"})
        file = folder / redirect.old_path
        if folder.resolve() not in file.resolve().parents:
            raise ContentInvalid([Problem(site.folder / "redirects.csv", "old_url", redirect.old_path,
                                          "a path inside the site")])
        write_text_atomic(file, page)  # replaced, never written in place (a kept page may be a link)
