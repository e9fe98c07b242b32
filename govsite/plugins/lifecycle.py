"""Publishes lifecycle notices as ordinary articles, guards events already published, and writes
redirects and server configuration for the built site.

Settings: ``GOVSITE_TODAY`` (the build's day; default today in Beijing), ``GOVSITE_LIFECYCLE``
(``lead_days``, ``offline_notice_days``, ``domain_notice_days``), ``GOVSITE_SERVER``
(``govsite.server_config.DEFAULTS``), ``GOVSITE_RECORD`` (this site's record of published
events, notices and URLs, ``govsite.records``, set by ``invoke build``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.urlwrappers import Category

from pelican.generators import Generator
from pelican.utils import get_relative_path

from govsite import stages
from govsite.errors import ContentInvalid, Problem
from govsite.files import page_names, write_text_atomic
from govsite.generated_articles import add_articles, make_article
from govsite.lifecycle import Timeline, compare_published, today_of
from govsite.notices import as_published, home_banner, notice_column, notice_html, notices_for, summary_html
from govsite.records import PUBLISHED_NOTICES, RECORD_DATA, read_record
from govsite.redirects import DomainMove, Redirect, csv_text, domain_moves, htaccess
from govsite.redirects import plan as redirect_plan
from govsite.server_config import ServerSettings, apache, apache_default, logrotate, nginx, nginx_default

STAGE = "lifecycle"


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
    """Hand the receivers to govsite.stages, which runs them in the platform's order."""
    stages.connect(STAGE, {
        "initialized": check_published,
        "article_generator_pretaxonomy": add_notices,
        "finalized": publish_redirects_and_server_config,
    })


def publish_redirects_and_server_config(pelican) -> None:
    """After the output is written: cover every URL ever published, then write redirect pages,
    ``.htaccess`` and the deployment files (``.govsite/``, moved beside the site by the build)."""
    settings = pelican.settings
    context = settings["JINJA_GLOBALS"]["govsite"]
    site, group = context.site, context.group
    output = Path(settings["OUTPUT_PATH"])
    today = today_of(settings)
    options = settings.get("GOVSITE_LIFECYCLE")
    timeline = Timeline.of(site, today, options)
    server = ServerSettings.of(settings.get("GOVSITE_SERVER"))
    published = set((settings.get(RECORD_DATA) or {}).get("urls", []))  # read and checked by check_published
    current = set(page_names(output, (".html",)))
    offline = timeline.offline()
    notice = notice_path(site, timeline, offline) if offline else ""
    try:
        redirects, uncovered = redirect_plan(site, group, timeline, published, current, notice,
                                             frozenset(server.redirect_hosts))
    except (OSError, ValueError, KeyError) as exc:
        raise ContentInvalid([Problem(site.folder / "redirects.csv", "redirects", None, f"a readable register ({exc})")])
    if uncovered:
        shown = ", ".join(uncovered[:20]) + (f" and {len(uncovered) - 20} more" if len(uncovered) > 20 else "")
        raise ContentInvalid([Problem(site.file, "published URLs", shown,
                                      "every URL the site ever published to exist or be redirected "
                                      "(add a row to redirects.csv, or keep the page)")])
    write_redirect_pages(pelican, [r for r in redirects if r.old_path not in current])
    moves = domain_moves(timeline, group.get(site.id).domain, options)
    for move in moves:
        write_old_domain(pelican, move, timeline, sorted(published | current))
    maintenance = timeline.maintenance() is not None
    old_domains = [move.old for move in moves]
    announced = frozenset(move.old for move in moves if move.announcing(today))
    badge = bool(context.conac_script)
    (output / ".htaccess").write_text(htaccess(site, redirects, timeline.maintenance(), server.retry_after), "utf-8")
    deploy = output / ".govsite"
    deploy.mkdir(exist_ok=True)
    (deploy / "nginx.conf").write_text(nginx(site, server, redirects, old_domains, maintenance, badge, announced),
                                       "utf-8")
    (deploy / "nginx-default.conf").write_text(nginx_default(server), "utf-8")
    (deploy / "apache.conf").write_text(apache(site, server, old_domains, badge, announced), "utf-8")
    (deploy / "apache-default.conf").write_text(apache_default(server), "utf-8")
    (deploy / "logrotate.conf").write_text(logrotate(server), "utf-8")
    (deploy / "redirects.csv").write_text(csv_text(site, redirects, old_domains), "utf-8")


def write_old_domain(pelican, move: DomainMove, timeline, paths: list[str]) -> None:
    """The folder served at an old domain without server configuration (``<output>/<old>/``): a
    redirect page for every URL ever published; while the move is announced, the announcement
    as its home page and its 404 page (no timed refresh), afterwards redirects for those too."""
    settings = pelican.settings
    output = Path(settings["OUTPUT_PATH"])
    site = settings["JINJA_GLOBALS"]["govsite"].site
    folder = output / ".govsite" / "old-domains" / move.old
    moved = [Redirect(path, site.url + path, "domain change") for path in paths]
    if move.announcing(timeline.today):
        write_redirect_pages(pelican, [r for r in moved if r.old_path != "index.html"], folder)
        notice = notice_path(site, timeline, move.event)
        if not (output / notice).is_file():
            raise ContentInvalid([Problem(site.file, f"lifecycle[{move.event.index}]", move.event.kind,
                                          f"its notice published at {notice} (the old domain's announcement "
                                          "links to it)")])
        title = next(n["title"] for n in settings.get(PUBLISHED_NOTICES) or [] if n["slug"] == move.event.slug)
        values = {"move": move, "day": move.event.day, "new_url": site.url, "notice_url": site.url + notice,
                  "notice_title": title, "reason": move.event.get("reason", "")}
        render = _renderer(pelican)
        for name, missing in (("index.html", False), ("404.html", True)):
            page = render("old_domain", {**values, "missing": missing, "page_name": "old-domain"})
            write_text_atomic(folder / name, page)
    else:
        write_redirect_pages(pelican, moved + [Redirect("404.html", site.url, "domain change")], folder)
    shutil.copytree(output / "theme", folder / "theme", dirs_exist_ok=True)
    logo = output / site.logo
    if logo.is_file():
        (folder / site.logo).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(logo, folder / site.logo)


def notice_path(site, timeline, event) -> str:
    """Where the site's own notice of an event is published."""
    column = notice_column(site)
    return f"{column}/{timeline.notice_date(event):%Y%m}/{event.slug}.html"


def _renderer(pelican):
    """``render(template, values, siteurl="")``: a theme template with the site's settings
    (``siteurl`` "" for root-relative links); one Jinja environment for every page."""
    settings = pelican.settings
    generator = Generator(context={}, settings=settings, path=settings["PATH"], theme=settings["THEME"],
                          output_path=settings["OUTPUT_PATH"])
    base = {key: value for key, value in settings.items() if key.isupper()}

    def render(name: str, values: dict, siteurl: str = "") -> str:
        return generator.get_template(name).render({**base, "SITEURL": siteurl, **values})

    return render


def write_redirect_pages(pelican, redirects, folder: Path | None = None) -> None:
    """Static HTML redirect pages rendered with the theme (for hosting without server configuration)."""
    if not redirects:
        return
    settings = pelican.settings
    folder = folder or Path(settings["OUTPUT_PATH"])
    site = settings["JINJA_GLOBALS"]["govsite"].site
    render = _renderer(pelican)
    for redirect in redirects:
        target = redirect.target_url(site)
        relative = get_relative_path(redirect.old_path)
        page = render("redirect", {"redirect_target": target, "page_name": "redirect"},
                       relative.rstrip("/") or ".")
        file = folder / redirect.old_path
        if folder.resolve() not in file.resolve().parents:
            raise ContentInvalid([Problem(site.folder / "redirects.csv", "old_url", redirect.old_path,
                                          "a path inside the site")])
        write_text_atomic(file, page)  # replaced, never written in place (a kept page may be a link)
