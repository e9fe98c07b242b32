"""``govsite``: the command line of a site group repository, one subcommand per job a web office runs.

Run it in the group's folder (``content/`` and ``pelicanconf.py`` side by side; ``govsite init``
makes one). Exit codes: 0 done, 1 the job ran and found problems (an invalid group, a failed gate,
a damaged archive), 2 bad usage or a missing optional part (it names the ``pip install`` extra).
The invoke tasks of the govsite repository call the same functions (tasks.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import console
from .errors import GovsiteError, UsageError

CONTENT, OUTPUT, REPORTS, ARCHIVES = "content", "output", "reports", "archives"


DAY, COUNT, PORT, YEAR, SHARD, QUARTER, SECONDS = (console.day, console.count, console.port, console.year,
                                                  console.shard, console.quarter, console.seconds)
#: console's option parsers ``(name, value)``: the same checks and messages as the invoke tasks'.
OPTION_PARSERS = (DAY, COUNT, PORT, YEAR, SHARD, QUARTER, SECONDS)


def _typed(parse, flag: str):
    """An argparse type from one of console's option parsers (its message; argparse exits 2)."""
    def convert(value):
        try:
            return parse(flag, value)
        except UsageError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    convert.__name__ = parse.__name__
    return convert

#: Every subcommand's options: ``{command: [(flags, argparse keywords)]}``; the invoke tasks take their
#: help texts from here (``help_of``), so both command lines say the same.
OPTIONS: dict[str, list[tuple[tuple[str, ...], dict]]] = {
    "init": [
        (("folder",), {"type": Path, "help": "the new group repository's folder (created; must be empty)"}),
        (("--portal",), {"default": "portal", "help": "the portal's site id (default: portal)"}),
        (("--department",), {"default": "dept", "help": "the first department's site id (default: dept)"}),
    ],
    "validate": [
        (("--content",), {"default": CONTENT, "help": "the group's content folder (default: content)"}),
    ],
    "build": [
        (("--site",), {"action": "append", "metavar": "ID",
                       "help": "build only this site id (repeatable); default: every site"}),
        (("--content",), {"default": CONTENT, "help": "the group's content folder (default: content)"}),
        (("--output",), {"default": OUTPUT, "help": "where <domain>/ folders are written (default: output)"}),
        (("--cache",), {"help": "cache folder: Pelican's content cache and the gate's state (default: .cache)"}),
        (("--reports",), {"default": REPORTS,
                          "help": "accessibility reports go to <reports>/<domain>/ (default: reports)"}),
        (("--records",), {"help": "the public record of each site: published events, notices and URLs "
                                  "(default: <content>/_records; commit it with the content)"}),
        (("--pin-records",), {"action": "store_true", "help": "write the records although --output is not the "
                                                              "default (a publishing build elsewhere)"}),
        (("--today",), {"type": DAY, "help": "build as of this day (YYYY-MM-DD), to rehearse a lifecycle event "
                                             "(records are read, not written)"}),
        (("--workers",), {"type": COUNT, "help": "parallel site builds (default: number of cores)"}),
        (("--strict",), {"action": "store_true", "help": "treat Pelican warnings as errors"}),
        (("--full",), {"action": "store_true", "help": "build every selected site and render every page (ignore "
                                                       "the fingerprints of the last build)"}),
        (("--shard",), {"type": SHARD, "help": "K/N: build only shard K of N (a stable share of the sites, for a "
                                               "CI matrix)"}),
        (("--theme",), {"help": "a theme folder instead of the settings' THEME (e.g. to try a theme change)"}),
        (("--watch",), {"type": SECONDS, "nargs": "?", "const": 1.0, "metavar": "SECONDS",
                        "help": "keep running: build again (in this process, warm) whenever the content, the "
                                "theme or the settings file change, polled every SECONDS (default 1)"}),
    ],
    "serve": [
        (("--output",), {"default": OUTPUT, "help": "the built group (default: output)"}),
        (("--port",), {"type": PORT, "default": 8000, "help": "loopback port (default: 8000)"}),
    ],
    "lifecycle": [
        (("event",), {"help": "launch, temporary_offline, permanent_offline, domain_change or info_change"}),
        (("site",), {"help": "the site id"}),
        (("--content",), {"default": CONTENT, "help": "the group's content folder (default: content)"}),
        (("--date",), {"type": DAY, "help": "the event's date (launch, permanent_offline, domain_change, "
                                            "info_change)"}),
        (("--start",), {"type": DAY, "help": "first day offline (temporary_offline)"}),
        (("--end",), {"type": DAY, "help": "last day offline (temporary_offline)"}),
        (("--reason",), {"help": "why (temporary/permanent offline, info_change)"}),
        (("--approval",), {"help": "the approval document (temporary/permanent offline)"}),
        (("--destination",), {"help": "where the content goes: a site id or an https URL (permanent_offline)"}),
        (("--archive-only",), {"help": "true when the content is archived, not migrated (permanent_offline)"}),
        (("--archive-reason",), {"help": "why archive only (permanent_offline)"}),
        (("--new-domain",), {"help": "the new domain (domain_change)"}),
        (("--field",), {"help": "the changed site.toml field (info_change)"}),
        (("--old",), {"help": "the old value (info_change)"}),
        (("--new",), {"help": "the new value (info_change)"}),
    ],
    "migrate": [
        (("source",), {"help": "the old site: a folder of saved pages (wget mirror, CMS export, browser saves) "
                               "or a .warc/.wacz"}),
        (("site",), {"help": "the site id to import into (content/<site>/); a draft site.toml is written when it "
                             "is new"}),
        (("--content",), {"default": CONTENT, "help": "the group's content folder (default: content)"}),
        (("--report",), {"default": REPORTS, "help": "reports go to <report>/migrate/<site>.json and .html "
                                                     "(default: reports)"}),
        (("--url-base",), {"help": "the old site's address, e.g. https://www.example.gov.cn/ (for folders "
                                   "without it)"}),
        (("--mapping",), {"help": "TOML file mapping old columns to column slugs ([columns]) and draft values "
                                  "([site])"}),
        (("--dry-run",), {"action": "store_true", "help": "write nothing into the content folder; report what "
                                                          "would happen"}),
        (("--update",), {"action": "store_true", "help": "rewrite files the importer wrote earlier and nobody "
                                                         "edited since"}),
        (("--workers",), {"type": COUNT, "help": "extraction processes (default: number of cores)"}),
    ],
    "archive": [
        (("--site",), {"action": "append", "metavar": "ID", "help": "snapshot this built site id (repeatable); "
                                                                    "default: every site of the group"}),
        (("--from-dir",), {"help": "snapshot any folder of HTML instead (a legacy site, before migrating it); "
                                   "needs --domain"}),
        (("--domain",), {"help": "the legacy site's host (www.old.gov.cn) or base URL (http://old.gov.cn/)"}),
        (("--redirects",), {"help": "a CSV of old URL or path,new URL recorded as 301 responses"}),
        (("--content",), {"default": CONTENT, "help": "the group's content folder (default: content)"}),
        (("--output",), {"default": OUTPUT, "help": "the built group (default: output)"}),
        (("--archives",), {"default": ARCHIVES, "help": "snapshots go to <archives>/<domain>/<timestamp>.wacz "
                                                        "(default: archives)"}),
        (("--ignore-manifest",), {"action": "store_true", "help": "archive even when the files differ from their "
                                                                  "build manifest"}),
    ],
    "verify-archive": [
        (("path",), {"help": "a .wacz, .warc(.gz), or a folder of them (e.g. archives)"}),
        (("--report",), {"help": "also write a JSON report"}),
    ],
    "verify-deploy": [
        (("folder",), {"help": "the deployed copy of a site (e.g. /var/www/www.example.gov.cn)"}),
        (("--manifest",), {"help": "the build manifest (default: <output>/<folder name>/.govsite-manifest.json, "
                                   "else the folder's own)"}),
        (("--public-key",), {"help": "a trusted public key (PEM); the manifest must then carry a valid signature "
                                     "(default: $GOVSITE_MANIFEST_PUBLIC_KEY)"}),
        (("--output",), {"default": OUTPUT, "help": "the built group (default: output)"}),
        (("--report",), {"help": "also write a JSON report"}),
    ],
    "replay": [
        (("path",), {"nargs": "?", "default": ARCHIVES, "help": "a .wacz or a folder of them (default: archives)"}),
        (("--port",), {"type": PORT, "default": 8080, "help": "loopback port (default: 8080)"}),
    ],
    "annual-report": [
        (("site",), {"help": "the site id"}),
        (("year",), {"type": YEAR, "help": "the report's year (YYYY)"}),
        (("--content",), {"default": CONTENT, "help": "the group's content folder (default: content)"}),
        (("--reports",), {"default": REPORTS, "help": "written to <reports>/<domain>/annual-report-<year>.csv and "
                                                      ".html (default: reports)"}),
    ],
    "inspect": [
        (("--quarter",), {"type": QUARTER, "help": "the quarter inspected, YYYYQN (default: the current one)"}),
        (("--content",), {"default": CONTENT, "help": "the group's content folder (default: content)"}),
        (("--output",), {"default": OUTPUT, "help": "the built group (default: output)"}),
        (("--reports",), {"default": REPORTS, "help": "the build's reports are read from <reports>/<domain>/; written: "
                                                      "<reports>/inspection-<quarter>.json, .csv, .html and "
                                                      "supervision-report-<year>.csv (default: reports)"}),
        (("--today",), {"type": DAY, "help": "inspect as of this day (YYYY-MM-DD; default: today)"}),
        (("--build",), {"action": "store_true", "help": "build the group first (as `govsite build` does)"}),
        (("--cache",), {"help": "with --build: the build's cache folder (default: .cache)"}),
        (("--publish",), {"action": "store_true", "help": "freeze the result as the portal's notice "
                                                          "content/<portal>/inspections/<quarter>.toml (never over "
                                                          "an existing one; review and commit it)"}),
        (("--portal",), {"help": "the portal that publishes the notice (default: the group's only portal)"}),
    ],
    "manifest-keygen": [
        (("--algorithm",), {"choices": ("ed25519", "sm2"), "default": "ed25519",
                            "help": "ed25519 (default) or sm2"}),
        (("--out",), {"default": "manifest-key", "help": "writes OUT.pem and OUT.pub.pem (default: manifest-key)"}),
    ],
}

#: One line per subcommand (``govsite --help``), in the order a web office meets them.
SUMMARIES = {
    "init": "scaffold a new site group repository (a portal, a department, settings, CI)",
    "validate": "validate every site.toml and data file (letters, guides, notices) of the group and list the sites",
    "build": "build every site into <output>/<domain>/ with all checks; failed sites keep their old output",
    "serve": "serve the built group on 127.0.0.1 (http://127.0.0.1:PORT/<domain>/)",
    "check": "run the accessibility gate on folders of HTML (default: the built sites)",
    "check-links": "check that every internal link and anchor of built HTML resolves",
    "lifecycle": "append a validated lifecycle event (launch, offline, domain change) to a site.toml",
    "migrate": "import a legacy site (folder, WARC or WACZ) into content/<site>/ with a report",
    "archive": "snapshot built sites (or a legacy folder) as WACZ; never overwrites a snapshot",
    "verify-archive": "verify snapshots: resource hashes, WARC digests, index offsets",
    "verify-deploy": "compare a deployed site with its build manifest (SHA-256 + SM3)",
    "replay": "replay snapshots in pywb on 127.0.0.1 (needs the 'replay' extra)",
    "annual-report": "the 政府网站年度工作报表 of a site as CSV and HTML",
    "inspect": "the quarterly inspection (季度巡查) of every site: JSON, CSV, HTML; --publish the portal's 通报",
    "manifest-keygen": "create a key pair for signing build manifests",
}
#: Subcommands that hand their arguments to the checks' own parsers (the same options everywhere).
DELEGATED = ("check", "check-links")


def help_of(command: str) -> dict[str, str]:
    """``{parameter name: help}`` of a subcommand, for the invoke task of the same job."""
    return {flags[-1].lstrip("-").replace("-", "_"): kwargs["help"] for flags, kwargs in OPTIONS[command]}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="govsite", description=__doc__.splitlines()[0].replace("``", ""),
                                epilog="`govsite COMMAND --help` shows a command's options.")
    p.add_argument("--version", action="version", version=f"govsite {_version()}")
    commands = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, summary in SUMMARIES.items():
        if name in DELEGATED:
            sub = commands.add_parser(name, help=summary, add_help=False)
            sub.add_argument("rest", nargs=argparse.REMAINDER)
            continue
        sub = commands.add_parser(name, help=summary, description=summary)
        for flags, kwargs in OPTIONS[name]:
            if kwargs.get("type") in OPTION_PARSERS:
                kwargs = {**kwargs, "type": _typed(kwargs["type"], flags[-1])}
            sub.add_argument(*flags, **kwargs)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; the exit code is returned (and used by the console script)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in DELEGATED:
        return _delegated(argv[0], argv[1:])
    args = parser().parse_args(argv)
    try:
        return RUNNERS[args.command](args) or 0
    except GovsiteError as exc:
        return console.fail(exc)
    except KeyboardInterrupt:
        return 130


def _delegated(command: str, argv: list[str]) -> int:
    if command == "check":
        from .checks.cli import main as check
    else:
        from .checks.links_cli import main as check
    return check(argv, prog=f"govsite {command}")


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("govsite")
    except metadata.PackageNotFoundError:
        return "(not installed: a checkout)"


def run_init(args) -> int:
    from .init_group import init_group

    folder = init_group(args.folder, args.portal, args.department)
    print(f"created the site group repository {folder}\n"
          f"next: cd {folder}, fill every TODO in content/*/site.toml, then run `govsite build`")
    return 0


def run_build(args) -> int:
    return console.build(args.content, args.output, args.site, args.cache, args.workers, args.strict, args.reports,
                         args.records, args.today, full=args.full, shard=args.shard, theme=args.theme,
                         pin_records=args.pin_records, watch=args.watch)


def run_serve(args) -> int:
    return console.serve(args.output, args.port)


def run_lifecycle(args) -> int:
    return console.lifecycle(args.content, args.site, args.event, {
        name: getattr(args, name) for name in ("date", "start", "end", "reason", "approval", "destination",
                                               "archive_only", "archive_reason", "new_domain", "field", "old",
                                               "new")})


def run_migrate(args) -> int:
    from .extras import require

    require("migrate", "govsite migrate")
    from .migrate.console import run
    from .migrate.run import Settings

    return run(Settings(source=args.source, site_id=args.site, content=args.content, report=args.report,
                        url_base=args.url_base, mapping=args.mapping, dry_run=args.dry_run, update=args.update,
                        workers=args.workers))


def run_archive(args) -> int:
    from .archive import console as archive_console

    return archive_console.archive(args.content, args.output, args.archives, args.site, args.from_dir, args.domain,
                                   args.redirects, args.ignore_manifest)


def run_verify_archive(args) -> int:
    from .archive import console as archive_console

    return archive_console.verify_archive(args.path, args.report)


def run_verify_deploy(args) -> int:
    from .archive import console as archive_console

    return archive_console.verify_deploy(args.folder, args.manifest, args.public_key, args.output, args.report)


def run_replay(args) -> int:
    from .extras import require

    require("replay", "govsite replay")
    from .archive import console as archive_console

    return archive_console.replay(args.path, args.port, ".cache/replay")


def run_annual_report(args) -> int:
    from .annual_report_cli import run

    return run(args.content, args.site, args.year, args.reports)


def run_inspect(args) -> int:
    from .inspection_cli import run

    return run(args.content, args.output, args.reports, args.quarter, args.today, args.build, args.publish, args.portal,
               args.cache)


def run_manifest_keygen(args) -> int:
    from .archive import console as archive_console

    return archive_console.keygen(args.algorithm, args.out)


RUNNERS = {
    "init": run_init, "validate": lambda args: console.validate(args.content), "build": run_build,
    "serve": run_serve, "lifecycle": run_lifecycle, "migrate": run_migrate, "archive": run_archive,
    "verify-archive": run_verify_archive, "verify-deploy": run_verify_deploy, "replay": run_replay,
    "annual-report": run_annual_report, "inspect": run_inspect, "manifest-keygen": run_manifest_keygen,
}
