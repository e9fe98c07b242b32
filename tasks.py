"""Command-line tasks (invoke). Each task is a thin adapter over the govsite package."""

from invoke import task

from govsite import console

CONFIG = {"content": "content", "output": "output", "reports": "reports", "records": "records", "port": 8000}


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
        "records": "published lifecycle events and URLs per site (default: records; commit this folder)",
        "today": "build as of this day (YYYY-MM-DD), to rehearse a lifecycle event",
        "workers": "parallel site builds (default: number of cores)",
        "strict": "treat Pelican warnings as errors",
    },
)
def build(c, site=None, content=CONFIG["content"], output=CONFIG["output"], cache=None, workers=None,
          strict=False, reports=CONFIG["reports"], records=CONFIG["records"], today=None):
    """Build every site (or --site ID) into <output>/<domain>/; failed sites keep their old output."""
    workers = int(workers) if workers else None
    console.exit_with(console.build(content, output, site or None, cache, workers, strict, reports, records, today))


@task(help={"output": "the built group (default: output)", "port": "loopback port (default: 8000)"})
def serve(c, output=CONFIG["output"], port=CONFIG["port"]):
    """Serve the built group on 127.0.0.1: http://127.0.0.1:PORT/<domain>/ or by Host header."""
    from govsite.serve import make_server, site_folders
    from pathlib import Path

    server = make_server(output, int(port))
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
        "engine": "static, axe or both (default: the policy's, both)",
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

    paths = path or [str(p) for p in sorted(Path(CONFIG["output"]).iterdir()) if p.is_dir() and p.name[0] != "."]
    options = {"--engine": engine, "--report": report, "--baseline": baseline, "--write-baseline": write_baseline,
               "--pages": pages, "--workers": workers, "--remote": remote, "--modes": modes}
    argv = [*paths] + [item for flag, value in options.items() if value for item in (flag, str(value))]
    console.exit_with(main(argv))


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

    fields = {"date": date, "start": start, "end": end, "reason": reason, "approval": approval,
              "destination": destination, "archive_only": archive_only, "archive_reason": archive_reason,
              "new_domain": new_domain, "field": field, "old": old, "new": new}
    try:
        file = append_event(content, site, event, fields)
    except GovsiteError as exc:
        console.exit_with(console.fail(exc))
    print(f"appended a {event} event to {file}; run `invoke build` to publish its notice")
