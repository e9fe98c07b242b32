"""Command-line tasks (invoke). Each task is a thin adapter over the govsite package."""

from invoke import task

from govsite import console

CONFIG = {"content": "content", "output": "output", "reports": "reports", "port": 8000}


@task(help={"content": "the group's content folder (default: content)"})
def validate(c, content=CONFIG["content"]):
    """Validate every site.toml of the group and list the sites."""
    console.exit_with(console.validate(content))


@task(
    iterable=["site"],
    help={
        "site": "build only this site id (repeatable); default: every site",
        "content": "the group's content folder (default: content)",
        "output": "where <domain>/ folders are written (default: output)",
        "cache": "cache folder: Pelican's content cache and the gate's state (default: .cache)",
        "reports": "accessibility reports go to <reports>/<domain>/ (default: reports)",
        "records": "the public record of each site: published events, notices and URLs (default: "
                   "<content>/_records; commit it with the content)",
        "pin_records": "write the records although --output is not the default (a publishing build elsewhere)",
        "today": "build as of this day (YYYY-MM-DD), to rehearse a lifecycle event (records are read, not written)",
        "workers": "parallel site builds (default: number of cores)",
        "strict": "treat Pelican warnings as errors",
        "full": "build every selected site and render every page (ignore the fingerprints of the last build)",
        "shard": "K/N: build only shard K of N (a stable share of the sites, for a CI matrix)",
        "theme": "a theme folder instead of pelicanconf.py's THEME (e.g. to try a theme change)",
    },
)
def build(c, site=None, content=CONFIG["content"], output=CONFIG["output"], cache=None, workers=None,
          strict=False, reports=CONFIG["reports"], records=None, today=None, full=False, shard=None,
          theme=None, pin_records=False):
    """Build every site (or --site ID) into <output>/<domain>/; unchanged sites are skipped; failed sites
    keep their old output. Only a build into the default output without --today writes the records."""
    workers = console.option(console.count, "--workers", workers)
    today = console.option(console.day, "--today", today)
    shard = console.option(console.shard, "--shard", shard)
    console.exit_with(console.build(content, output, site or None, cache, workers, strict, reports, records, today,
                                    full=full, shard=shard, theme=theme, pin_records=pin_records))


@task(help={"output": "the built group (default: output)", "port": "loopback port (default: 8000)"})
def serve(c, output=CONFIG["output"], port=None):
    """Serve the built group on 127.0.0.1: http://127.0.0.1:PORT/<domain>/ or by Host header."""
    from govsite.serve import make_server, site_folders
    from pathlib import Path

    port = console.option(console.port, "--port", port or CONFIG["port"])  # untyped default: our message, not invoke's
    server = make_server(output, port)
    for domain in site_folders(Path(output)):
        print(f"  http://127.0.0.1:{port}/{domain}/")
    print("Ctrl-C stops the server.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


@task
def clean(c, output=CONFIG["output"]):
    """Remove the built output, the reports and the caches."""
    import shutil

    for path in (output, ".cache", "reports"):
        shutil.rmtree(path, ignore_errors=True)


@task(
    iterable=["path"],
    help={
        "path": "a folder (or file) of HTML to check (repeatable); default: every built site in output/",
        "engine": "static, axe, keyboard, both or all (default: the policy's, both)",
        "report": "write report.json, junit.xml and index.html here",
        "baseline": "accepted known findings; only new problems fail",
        "write_baseline": "record the current findings as a baseline file",
        "pages": "smart or all: which pages the browser checks",
        "workers": "browser sessions and static processes (default: cores)",
        "remote": "a remote WebDriver URL (Selenium Grid) instead of the local Chromium",
        "modes": "comma-separated modes, e.g. normal,care,contrast",
    },
)
def check(c, path=None, engine=None, report=None, baseline=None, write_baseline=None, pages=None, workers=None,
          remote=None, modes=None):
    """Run the accessibility gate on folders of HTML (exit 0 pass, 1 fail, 2 bad usage)."""
    from pathlib import Path

    from checks.cli import main

    workers = console.option(console.count, "--workers", workers)
    built = Path(CONFIG["output"])
    paths = path or [str(p) for p in sorted(built.iterdir() if built.is_dir() else []) if p.is_dir() and p.name[0] != "."]
    options = {"--engine": engine, "--report": report, "--baseline": baseline, "--write-baseline": write_baseline,
               "--pages": pages, "--workers": workers, "--remote": remote, "--modes": modes}
    argv = [*paths] + [item for flag, value in options.items() if value for item in (flag, str(value))]
    console.exit_with(main(argv))


@task(
    help={
        "site": "the site id",
        "year": "the report's year (YYYY)",
        "content": "the group's content folder (default: content)",
        "reports": "written to <reports>/<domain>/annual-report-<year>.csv and .html (default: reports)",
    },
)
def annual_report(c, site, year, content=CONFIG["content"], reports=CONFIG["reports"]):
    """The 政府网站年度工作报表 of a site: computed fields + content/<site>/annual/<year>.toml, as CSV and HTML."""
    from govsite.annual_report_cli import run

    console.exit_with(run(content, site, console.option(console.year, "--year", year), reports))


@task(
    iterable=["path"],
    help={
        "path": "a site's output folder (repeatable; default: every built site in output/)",
        "external": "also check external links (network; cached, paced per host)",
        "report": "write links.json and links.html here",
        "cache": "external results cache file (default: GOVSITE_LINKS['external_cache'])",
        "domain": "the site's own host (default: the folder name)",
        "workers": "parsing processes (default: cores)",
    },
)
def check_links(c, path=None, external=False, report=None, cache=None, domain=None, workers=None):
    """Check that every internal link and anchor of built HTML resolves (exit 0 pass, 1 broken, 2 usage)."""
    from checks.links_cli import main, site_folders

    workers = console.option(console.count, "--workers", workers)
    options = {"--report": report, "--cache": cache, "--domain": domain, "--workers": workers}
    argv = list(path) if path else site_folders(CONFIG["output"])
    argv += [item for flag, value in options.items() if value for item in (flag, str(value))]
    console.exit_with(main(argv + (["--external"] if external else [])))


@task(
    help={
        "event": "launch, temporary_offline, permanent_offline, domain_change or info_change",
        "site": "the site id",
        "content": "the group's content folder (default: content)",
        "date": "the event's date (launch, permanent_offline, domain_change, info_change)",
        "start": "first day offline (temporary_offline)",
        "end": "last day offline (temporary_offline)",
        "reason": "why (temporary/permanent offline, info_change)",
        "approval": "the approval document (temporary/permanent offline)",
        "destination": "where the content goes: a site id or an https URL (permanent_offline)",
        "archive_only": "true when the content is archived, not migrated (permanent_offline)",
        "archive_reason": "why archive only (permanent_offline)",
        "new_domain": "the new domain (domain_change)",
        "field": "the changed site.toml field (info_change)",
        "old": "the old value (info_change)",
        "new": "the new value (info_change)",
    },
)
def lifecycle(c, event, site, content=CONFIG["content"], date=None, start=None, end=None, reason=None, approval=None,
              destination=None, archive_only=None, archive_reason=None, new_domain=None, field=None, old=None,
              new=None):
    """Append a validated lifecycle event to a site's site.toml (earlier events are never rewritten)."""
    from govsite.errors import GovsiteError
    from govsite.lifecycle_cli import append_event

    date, start, end = (console.option(console.day, f"--{name}", value)
                        for name, value in (("date", date), ("start", start), ("end", end)))
    fields = {"date": date, "start": start, "end": end, "reason": reason, "approval": approval,
              "destination": destination, "archive_only": archive_only, "archive_reason": archive_reason,
              "new_domain": new_domain, "field": field, "old": old, "new": new}
    try:
        file = append_event(content, site, event, fields)
    except GovsiteError as exc:
        console.exit_with(console.fail(exc))
    print(f"appended a {event} event to {file}; run `invoke build` to publish its notice")


@task(
    iterable=["site"],
    help={
        "site": "snapshot this built site id (repeatable); default: every site of the group",
        "from_dir": "snapshot any folder of HTML instead (a legacy site, before migrating it); needs --domain",
        "domain": "the legacy site's host (www.old.gov.cn) or base URL (http://old.gov.cn/)",
        "redirects": "a CSV of old URL or path,new URL recorded as 301 responses",
        "content": "the group's content folder (default: content)",
        "output": "the built group (default: output)",
        "archives": "snapshots go to <archives>/<domain>/<timestamp>.wacz (default: archives)",
        "ignore_manifest": "archive even when the files differ from their build manifest",
    },
)
def archive(c, site=None, from_dir=None, domain=None, redirects=None, content=CONFIG["content"],
            output=CONFIG["output"], archives="archives", ignore_manifest=False):
    """Snapshot built sites (or --from-dir DIR --domain D) as WACZ; never overwrites a snapshot."""
    from archive import console as archive_console

    console.exit_with(archive_console.archive(content, output, archives, site or None, from_dir, domain, redirects,
                                              ignore_manifest))


@task(help={"path": "a .wacz, .warc(.gz), or a folder of them (e.g. archives)", "report": "also write a JSON report"})
def verify_archive(c, path, report=None):
    """Verify snapshots: re-hash every resource, WARC digests, CDXJ offsets; exit 1 naming any damage."""
    from archive import console as archive_console

    console.exit_with(archive_console.verify_archive(path, report))


@task(
    help={
        "folder": "the deployed copy of a site (e.g. /var/www/www.example.gov.cn)",
        "manifest": "the build manifest (default: <output>/<folder name>/.govsite-manifest.json, else the folder's own)",
        "public_key": "a trusted public key (PEM); the manifest must then carry a valid signature "
                      "(default: $GOVSITE_MANIFEST_PUBLIC_KEY)",
        "output": "the built group (default: output)",
        "report": "also write a JSON report",
    },
)
def verify_deploy(c, folder, manifest=None, public_key=None, output=CONFIG["output"], report=None):
    """Compare a deployed site with its build manifest (SHA-256 + SM3): exit 1 listing added, removed, changed files."""
    from archive import console as archive_console

    console.exit_with(archive_console.verify_deploy(folder, manifest, public_key, output, report))


@task(help={"algorithm": "ed25519 (default) or sm2", "out": "writes OUT.pem and OUT.pub.pem (default: manifest-key)"})
def manifest_keygen(c, algorithm="ed25519", out="manifest-key"):
    """Create a key pair for signing build manifests (set GOVSITE_MANIFEST_KEY to the private key's path)."""
    from archive import console as archive_console

    console.exit_with(archive_console.keygen(algorithm, out))


@task(help={"path": "a .wacz or a folder of them (default: archives)", "port": "loopback port (default: 8080)"})
def replay(c, path="archives", port=None):
    """Replay snapshots in pywb on 127.0.0.1 (framed, with pywb's archive banner); Ctrl-C stops."""
    from archive import console as archive_console

    console.exit_with(archive_console.replay(path, console.option(console.port, "--port", port or 8080), ".cache/replay"))


@task(
    help={
        "source": "the old site: a folder of saved pages (wget mirror, CMS export, browser saves) or a .warc/.wacz",
        "site": "the site id to import into (content/<site>/); a draft site.toml is written when it is new",
        "content": "the group's content folder (default: content)",
        "report": "reports go to <report>/migrate/<site>.json and .html (default: reports)",
        "url_base": "the old site's address, e.g. https://www.example.gov.cn/ (for folders without it)",
        "mapping": "TOML file mapping old columns to column slugs ([columns]) and draft values ([site])",
        "dry_run": "write nothing into the content folder; report what would happen",
        "update": "rewrite files the importer wrote earlier and nobody edited since",
        "workers": "extraction processes (default: number of cores)",
    },
)
def migrate(c, source, site, content=CONFIG["content"], report=CONFIG["reports"], url_base=None, mapping=None,
            dry_run=False, update=False, workers=None):
    """Import a legacy site (folder, WARC or WACZ) into content/<site>/ with a report and redirect register."""
    from migrate.console import run
    from migrate.run import Settings

    console.exit_with(run(Settings(source=source, site_id=site, content=content, report=report, url_base=url_base,
                                   mapping=mapping, dry_run=dry_run, update=update,
                                   workers=console.option(console.count, "--workers", workers))))
