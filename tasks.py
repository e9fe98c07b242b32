"""Development tasks (invoke) of this repository: the ``govsite`` command's jobs, plus ``clean``.

Each task calls the function its ``govsite`` subcommand calls (govsite/cli.py) and takes its option
help from there, so ``invoke build`` and ``govsite build`` are one implementation.
"""

from invoke import task

from govsite import cli, console

CONTENT, OUTPUT, REPORTS, ARCHIVES = cli.CONTENT, cli.OUTPUT, cli.REPORTS, cli.ARCHIVES


def _argv(positional: list, options: dict) -> list[str]:
    """A delegated command's argv: the positional values, then ``--flag value`` for each option given
    (``--flag`` alone for True)."""
    argv = [str(value) for value in positional]
    for flag, value in options.items():
        if value is True:
            argv.append(flag)
        elif value not in (None, False, ""):
            argv += [flag, str(value)]
    return argv


@task(help=cli.help_of("validate"))
def validate(c, content=CONTENT):
    """Validate every site.toml of the group and list the sites."""
    console.exit_with(console.validate(content))


@task(iterable=["site"], help=cli.help_of("build"))
def build(c, site=None, content=CONTENT, output=OUTPUT, cache=None, workers=None, strict=False, reports=REPORTS,
          records=None, today=None, full=False, shard=None, theme=None, pin_records=False, watch=None):
    """Build every site (or --site ID) into <output>/<domain>/; unchanged sites are skipped; failed sites
    keep their old output. Only a build into the default output without --today writes the records.
    --watch SECONDS keeps running and builds again after each change."""
    workers = console.option(console.count, "--workers", workers)
    watch = console.option(console.seconds, "--watch", watch)
    today = console.option(console.day, "--today", today)
    shard = console.option(console.shard, "--shard", shard)
    console.exit_with(console.build(content, output, site or None, cache, workers, strict, reports, records, today,
                                    full=full, shard=shard, theme=theme, pin_records=pin_records, watch=watch))


@task(help=cli.help_of("serve"))
def serve(c, output=OUTPUT, port=None):
    """Serve the built group on 127.0.0.1: http://127.0.0.1:PORT/<domain>/ or by Host header."""
    console.exit_with(console.serve(output, console.option(console.port, "--port", port or 8000)))


@task
def clean(c, output=OUTPUT):
    """Remove the built output, the reports and the caches."""
    import shutil

    for path in (output, ".cache", "reports"):
        shutil.rmtree(path, ignore_errors=True)


@task(iterable=["path"], help={
    "path": "a folder (or file) of HTML to check (repeatable); default: every built site in output/",
    "engine": "static, axe, keyboard, both or all (default: the policy's, both)",
    "report": "write report.json, junit.xml and index.html here",
    "baseline": "accepted known findings; only new problems fail",
    "write_baseline": "record the current findings as a baseline file",
    "pages": "smart or all: which pages the browser checks",
    "workers": "browser sessions and static processes (default: cores)",
    "remote": "a remote WebDriver URL (Selenium Grid) instead of the local Chromium",
    "modes": "comma-separated modes, e.g. normal,care,contrast",
    "profile": "platform (every rule) or wcag (WCAG rules only: HTML that is not a platform site)",
})
def check(c, path=None, engine=None, report=None, baseline=None, write_baseline=None, pages=None, workers=None,
          remote=None, modes=None, profile=None):
    """Run the accessibility gate on folders of HTML (exit 0 pass, 1 fail, 2 bad usage): `govsite check`."""
    from govsite.checks.cli import main

    workers = console.option(console.count, "--workers", workers)
    console.exit_with(main(_argv(path or [], {
        "--engine": engine, "--report": report, "--baseline": baseline, "--write-baseline": write_baseline,
        "--pages": pages, "--workers": workers, "--remote": remote, "--modes": modes,
        "--profile": profile})))


@task(help=cli.help_of("annual-report"))
def annual_report(c, site, year, content=CONTENT, reports=REPORTS):
    """The 政府网站年度工作报表 of a site: computed fields + content/<site>/annual/<year>.toml, as CSV and HTML."""
    from govsite.annual_report_cli import run

    console.exit_with(run(content, site, console.option(console.year, "--year", year), reports))


@task(help=cli.help_of("inspect"))
def inspect(c, quarter=None, content=CONTENT, output=OUTPUT, reports=REPORTS, today=None, build=False, publish=False,
            portal=None, cache=None):
    """The quarterly inspection of every site (JSON, CSV, HTML in reports/); --publish freezes the portal's 通报."""
    from govsite.inspection_cli import run

    console.exit_with(run(content, output, reports, console.option(console.quarter, "--quarter", quarter),
                          console.option(console.day, "--today", today), build, publish, portal, cache))


@task(iterable=["path"], help={
    "path": "a site's output folder (repeatable; default: every built site in output/)",
    "external": "also check external links (network; cached, paced per host)",
    "report": "write links.json and links.html here",
    "cache": "external results cache file (default: GOVSITE_LINKS['external_cache'])",
    "domain": "the site's own host (default: the folder name)",
    "workers": "parsing processes (default: cores)",
})
def check_links(c, path=None, external=False, report=None, cache=None, domain=None, workers=None):
    """Check that every internal link and anchor of built HTML resolves (exit 0 pass, 1 broken, 2 usage):
    `govsite check-links`."""
    from govsite.checks.links_cli import main

    workers = console.option(console.count, "--workers", workers)
    console.exit_with(main(_argv(path or [], {"--report": report, "--cache": cache, "--domain": domain,
                                              "--workers": workers, "--external": external})))


@task(help=cli.help_of("lifecycle"))
def lifecycle(c, event, site, content=CONTENT, date=None, start=None, end=None, reason=None, approval=None,
              destination=None, archive_only=None, archive_reason=None, new_domain=None, field=None, old=None,
              new=None):
    """Append a validated lifecycle event to a site's site.toml (earlier events are never rewritten)."""
    date, start, end = (console.option(console.day, f"--{name}", value)
                        for name, value in (("date", date), ("start", start), ("end", end)))
    console.exit_with(console.lifecycle(content, site, event, {
        "date": date, "start": start, "end": end, "reason": reason, "approval": approval,
        "destination": destination, "archive_only": archive_only, "archive_reason": archive_reason,
        "new_domain": new_domain, "field": field, "old": old, "new": new}))


@task(iterable=["site"], help=cli.help_of("archive"))
def archive(c, site=None, from_dir=None, domain=None, redirects=None, content=CONTENT, output=OUTPUT,
            archives=ARCHIVES, ignore_manifest=False):
    """Snapshot built sites (or --from-dir DIR --domain D) as WACZ; never overwrites a snapshot."""
    from govsite.archive import console as archive_console

    console.exit_with(archive_console.archive(content, output, archives, site or None, from_dir, domain, redirects,
                                              ignore_manifest))


@task(help=cli.help_of("verify-archive"))
def verify_archive(c, path, report=None):
    """Verify snapshots: re-hash every resource, WARC digests, CDXJ offsets; exit 1 naming any damage."""
    from govsite.archive import console as archive_console

    console.exit_with(archive_console.verify_archive(path, report))


@task(help=cli.help_of("verify-deploy"))
def verify_deploy(c, folder, manifest=None, public_key=None, output=OUTPUT, report=None):
    """Compare a deployed site with its build manifest (SHA-256 + SM3): exit 1 listing added, removed, changed files."""
    from govsite.archive import console as archive_console

    console.exit_with(archive_console.verify_deploy(folder, manifest, public_key, output, report))


@task(help=cli.help_of("manifest-keygen"))
def manifest_keygen(c, algorithm="ed25519", out="manifest-key"):
    """Create a key pair for signing build manifests (set GOVSITE_MANIFEST_KEY to the private key's path)."""
    from govsite.archive import console as archive_console

    console.exit_with(archive_console.keygen(algorithm, out))


@task(help=cli.help_of("replay"))
def replay(c, path=ARCHIVES, port=None):
    """Replay snapshots in pywb on 127.0.0.1 (framed, with pywb's archive banner); Ctrl-C stops."""
    console.exit_with(cli.main(_argv(["replay", path], {"--port": port})))


@task(help=cli.help_of("migrate"))
def migrate(c, source, site, content=CONTENT, report=REPORTS, url_base=None, mapping=None, dry_run=False,
            update=False, workers=None):
    """Import a legacy site (folder, WARC or WACZ) into content/<site>/ with a report and redirect register."""
    console.exit_with(cli.main(_argv(["migrate", source, site], {
        "--content": content, "--report": report, "--url-base": url_base, "--mapping": mapping,
        "--dry-run": dry_run, "--update": update, "--workers": workers})))


@task(help=cli.help_of("init"))
def init(c, folder, portal="portal", department="dept"):
    """Scaffold a new site group repository (a portal, a department, settings, CI templates)."""
    console.exit_with(cli.main(["init", folder, "--portal", portal, "--department", department]))
