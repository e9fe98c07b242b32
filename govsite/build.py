"""Build the site group: one Pelican process per site, in parallel, swapped in only on success.

Each site is built into ``<output>/.staging/<domain>.<pid>/``; when Pelican finishes
without errors the staging folder replaces ``<output>/<domain>/``. A site that fails
leaves its previous output untouched. One build at a time writes an output folder (a lock held
for the whole build); it first removes what builds killed mid-way left behind.

Incremental: a site whose fingerprint (``govsite.fingerprint``) equals the one of its last
successful build is skipped ("unchanged"); in a site that is built, unchanged article pages are
copied from the live output instead of rendered (``govsite.incremental``), and every output file
whose bytes did not change keeps its modification time. ``full=True`` ignores both.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import logging
import os
import re
import shutil
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from . import content_index, dependencies, fingerprint, incremental, kept_folders, output_listing, records, site_files
from .archive import staged_files
from .boundary import output_links
from .errors import GovsiteError, UsageError, raise_deferred
from .file_memo import FileMemo
from .files import DAMAGED_STATE, describe_os_error
from .lifecycle import Timeline, effective_site, today_of
from .records import PUBLISHED_NOTICES, RECORD_DATA
from .registry import GROUP_SETTING, SiteGroup, load_group
from .shard import in_shard

STAGING = ".staging"
#: Server configs written by the lifecycle plugin inside the site, moved to <output>/.deploy/<domain>/.
DEPLOY_IN_SITE = ".govsite"
DEPLOY = ".deploy"
DEFAULT_CACHE = Path(".cache")
#: What ``swap_into_place`` moves aside: ``.<name>.old.<pid>``.
OLD_COPY = re.compile(r"^\..+\.old\.\d+$")
#: The output a publishing build writes (``govsite.console.publishing_build``).
DEFAULT_OUTPUT = "output"
#: Under the cache folder: ``<site-id>.json`` (fingerprint of the last successful build) and
#: ``<site-id>.pages.json`` (the keys of its article pages).
BUILD_STATE = "build"


@dataclass(frozen=True)
class BuildOptions:
    """Where a build reads and writes, and what it overrides (picklable for worker processes)."""

    content_dir: str
    output_dir: str
    cache_dir: str
    reports_dir: str = ""
    strict: bool = False
    settings: dict = field(default_factory=dict)
    records_dir: str = ""
    archives_dir: str = ""
    full: bool = False
    pin_records: bool = True  # write the records (a publishing build); False: a rehearsal only reads them
    defer_cleanup: bool = False  # leave each replaced output as ``.<domain>.old.<pid>`` (``remove_old_copies``)


@dataclass
class SiteResult:
    """The outcome of building one site (``status``: built, unchanged or failed)."""

    site_id: str
    domain: str
    ok: bool
    seconds: float = 0.0
    pages: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    status: str = "failed"
    rendered: int = 0  # article pages rendered
    kept: int = 0  # article pages kept from the previous output (not rendered)
    untouched: int = 0  # pages kept without their keys: they show no article edited in place (``dependencies``)
    old_domains: list[str] = field(default_factory=list)  # <output>/<old>/: redirects for domains the site left
    old_copies: list[str] = field(default_factory=list)  # replaced outputs left to remove (``defer_cleanup``)


class _Collector(logging.Handler):
    """Keeps every warning and error logged while Pelican runs."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[tuple[int, str]] = []

    def emit(self, record):
        message = record.getMessage()
        # Pelican logs "Could not process <file>" from inside its except block without the
        # exception unless DEBUG is on; add the exception so the user sees what is wrong.
        current = sys.exc_info()[1]
        if current is not None and not record.exc_info and str(current) not in message:
            message += f": {current}"
        self.records.append((record.levelno, message))

    def messages(self, level: int) -> list[str]:
        """Messages at ``level`` (ERROR includes CRITICAL)."""
        return [m for lvl, m in self.records if lvl == level or (level == logging.ERROR and lvl > logging.ERROR)]


def forget_earlier_builds() -> None:
    """Start a site's build in a process as in a new one (``govsite build --watch`` builds again and
    again): Pelican's loggers drop a message already logged in the process (``pelican.log.LimitFilter``),
    so a second build would report none of the warnings the first reported and ``--strict`` would pass
    it; and Pelican remembers every content's rendered body and summary for good (``memoized``), which
    kept every earlier build's articles, settings and context alive."""
    from pelican.contents import Content
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    Content.get_content.cache.clear()
    Content.get_summary.cache.clear()


def select_sites(group: SiteGroup, site_ids: list[str] | None):
    """The sites to build: all, or the named ones (an unknown id is a usage error)."""
    if not site_ids:
        return list(group)
    unknown = [s for s in site_ids if group.get(s) is None]
    if unknown:
        raise UsageError(f"unknown site id(s): {', '.join(unknown)}; the group has: {', '.join(group.sites)}")
    return [group.sites[s] for s in site_ids]


def swap_into_place(staging: Path, target: Path, keep_old: bool = False) -> Path | None:
    """Replace ``target`` with ``staging`` (two renames on one file system), then drop the old copy;
    ``keep_old``: leave it (``.<name>.old.<pid>``, a leftover to any later build) and return it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}.old.{os.getpid()}")
    if target.exists():
        target.rename(old)
    staging.rename(target)
    if not old.exists():
        return None
    if keep_old:
        return old
    shutil.rmtree(old)
    return None


def remove_old_copies(output: Path | str, results: list[SiteResult]) -> list[Path]:
    """Remove the replaced outputs a ``defer_cleanup`` build left (after it has reported: deleting a
    large tree took seconds of a publish). Under ``output_lock``; when another build holds it, nothing
    is removed here: that build's ``remove_leftovers`` removes them. Returns what was removed."""
    output = Path(output)
    copies = [(Path(p), r.domain, r.site_id) for r in results for p in r.old_copies]
    copies = [(p, domain, site_id) for p, domain, site_id in copies
              if p.parent == output and OLD_COPY.match(p.name) and p.is_dir()]
    if not copies:
        return []
    try:
        with output_lock(output):
            for path, domain, site_id in copies:
                try:  # its folders (and the pages the writer wrote) are the next build's (govsite.kept_folders)
                    kept_folders.keep_folders(path, kept_folders.folders_path(output / STAGING, domain),
                                              output / domain, dependencies.last_built.get(site_id, ()))
                except OSError:
                    shutil.rmtree(path, ignore_errors=True)
    except GovsiteError:  # another build is running
        return []
    return [path for path, _, _ in copies]


def after_report(output: Path | str, results: list[SiteResult]) -> None:
    """What a watch's build leaves until it has reported: Pelican's caches saved, the replaced
    outputs removed, the copies of the kept articles the next build is served made."""
    content_index.save_deferred()
    remove_old_copies(output, results)
    content_index.prepare_copies()


@contextlib.contextmanager
def output_lock(output: Path):
    """Hold an exclusive lock (flock) on the output folder itself while building it: no lock file is
    left in the output, and the kernel releases the lock when the process ends, however it ends (a
    killed build leaves no stale lock). A second build of the same folder fails at once."""
    handle = os.open(output, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        raise GovsiteError(f"{output}: another build is writing this output folder; wait for it to finish, "
                           "or build into another --output") from None
    try:
        yield
    finally:
        os.close(handle)


def remove_leftovers(output: Path) -> list[Path]:
    """Remove what killed builds left behind: ``.staging/<domain>.<pid>/``, ``.deploy/.<domain>.<pid>``
    and ``.<name>.old.<pid>`` copies. Only called under ``output_lock``: no other build is running,
    so every such folder is a leftover, whatever its pid (no guess about reused pids)."""
    found = [p for p in output.iterdir() if OLD_COPY.match(p.name)]
    for folder in (output / STAGING, output / DEPLOY):
        if folder.is_dir():
            found += [p for p in folder.iterdir() if (folder.name == STAGING and not kept_folders.is_own(p.name))
                      or p.name.startswith(".")]
    for path in found:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    return found


def archive_when_offline(site, today, lifecycle_settings: dict | None, folder: Path, archives_dir: str,
                         previous: dict | None) -> dict[str, str]:
    """Snapshot the site (WACZ) once, when a permanent offline has taken effect (网页归档); ``previous``
    is the site's record as the build read it (its ``archived`` lists the snapshots taken)."""
    event = Timeline.of(site, today, lifecycle_settings).offline()
    archived = (previous or {}).get("archived", {})
    if event is None or event.slug in archived or not archives_dir:
        return archived
    from govsite.archive import snapshot_site  # imported here: only needed on the day a site goes offline

    result = snapshot_site(folder, site.domain, archives_dir)
    return {**archived, event.slug: str(result.path)}


def identity_findings(settings: dict, staging: Path) -> list:
    """Pages lacking a metadata tag or footer item: from the gate's static run when it had one
    (no second parse of every page), else by checking the staging folder."""
    gate = settings.get("GOVSITE_A11Y_RESULT")
    if gate is not None and "static" in gate.engines:
        return [f for f in gate.findings if f.rule in ("gov-meta", "gov-footer")]
    from govsite.checks.govmeta import check_tree

    return check_tree(staging)


def write_record(path: Path, site, today, pages: list[str], lifecycle_settings: dict | None,
                 archived: dict[str, str] | None = None, notices: list[dict] | None = None,
                 previous: dict | None = None) -> None:
    """Record what the site has published (``govsite.records``): its lifecycle events and notices
    as first published, every URL ever built, and the snapshots taken when it went offline."""
    events = [e.record() for e in Timeline.of(site, today, lifecycle_settings).published()]
    records.write_record(path, site.id, site.domain, events, notices or [], pages, previous, archived)


def keep_unchanged_times(staging: Path, live: Path, kept: dict[str, int] | None = None) -> int:
    """Give every staged file whose bytes equal the live file's the live file's times, so that rsync
    (and anyone looking at mtimes) sees only what changed. Returns how many files kept their times
    (``staged_files.keep_times`` on a walk of ``staging``; the build shares its walk).

    :param kept: ``{path: inode}`` of pages linked from the live output (``incremental.kept_inodes``):
        while a staged file is still that inode it is the live file, which is not stat'ed."""
    return staged_files.keep_times(staged_files.walk_staged(staging), live, kept)


def with_template_cache(settings: dict, cache: Path) -> dict:
    """``settings`` with Jinja's compiled templates kept in ``<cache>/jinja/<environment>/``: Pelican
    compiles every template of the theme again in each site's process (0.8 s of a 2,000-article
    rebuild). Jinja checks each template's source checksum, so an edited template is compiled again;
    the folder is per Jinja version and environment options (they change what a template compiles to)."""
    import jinja2
    from jinja2 import FileSystemBytecodeCache

    environment = dict(settings.get("JINJA_ENVIRONMENT") or {})
    options = repr(sorted((k, repr(v)) for k, v in environment.items()))
    folder = cache / "jinja" / hashlib.sha256(f"{jinja2.__version__}:{options}".encode()).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    return {**settings, "JINJA_ENVIRONMENT": {**environment, "bytecode_cache": FileSystemBytecodeCache(str(folder))}}


def state_files(options: BuildOptions, site_id: str) -> tuple[Path, Path]:
    """The site's fingerprint file and article-page keys file in the cache."""
    folder = Path(options.cache_dir) / BUILD_STATE
    return folder / f"{site_id}.json", folder / f"{site_id}.pages.json"


def output_intact(options: BuildOptions, site_id: str, live: Path) -> bool:
    """Whether the live output is exactly what the site's last successful build left (nothing
    added, removed or edited since): only then are its pages reused or the site skipped."""
    return intact_files(options, site_id, live) is not None


def intact_files(options: BuildOptions, site_id: str, live: Path) -> dict[str, tuple[int, int, int]] | None:
    """``fingerprint.output_files`` of the live output when it is intact (``output_intact``), else None."""
    recorded = incremental.load_json(state_files(options, site_id)[0])
    if not recorded.get("output"):
        return None
    files = fingerprint.output_files(live)
    return files if files is not None and recorded["output"] == fingerprint.digest_of_files(files) else None


def build_site(site_id: str, options: BuildOptions, fingerprints: tuple[str, str] | None = None) -> SiteResult:
    """Build one site with Pelican in this process; swap it into place only if it succeeded.

    :param fingerprints: ``(site fingerprint, render fingerprint)``: recorded on success; the render
        fingerprint lets unchanged article pages be kept from the live output (unless ``options.full``).
    """
    from pelican import Pelican  # imported here: each site runs in a fresh process

    from govsite.archive.manifest import asked_source_commit, write_build_manifest
    from govsite.plugins.incremental import writes_through_no_link

    from .settings import site_settings

    started = time.monotonic()
    group = load_group(options.content_dir)
    today = today_of(options.settings)
    site = effective_site(group.sites[site_id], today, options.settings.get("GOVSITE_LIFECYCLE"))
    output = Path(options.output_dir)
    record = records.record_file(options.records_dir, site_id) if options.records_dir else None
    staging = output / STAGING / f"{site.domain}.{os.getpid()}"
    live = output / site.domain
    fingerprint_file, keys_file = state_files(options, site_id)
    extra = {"GOVSITE_RECORD": str(record) if record else "", GROUP_SETTING: group}  # loaded once per process
    live_files = intact_files(options, site_id, live) if fingerprints and not options.full else None
    intact = live_files is not None
    if intact:
        extra[incremental.SETTING] = {"previous": str(live), "state": str(keys_file), "render": fingerprints[1],
                                      "live": live_files, **edits_since_last_build(site, record, live)}
    elif fingerprints:
        extra[incremental.SETTING] = {"render": fingerprints[1]}  # render everything, record the keys
    collector = _Collector()
    forget_earlier_builds()
    root = logging.getLogger()
    root.addHandler(collector)
    root.setLevel(logging.WARNING)
    result = SiteResult(site_id, site.domain, ok=False)
    source = None
    try:
        if staging.exists():
            shutil.rmtree(staging)
        ahead = kept_folders.take_folders(kept_folders.folders_path(output / STAGING, site.domain), staging,
                                          pages=intact) if options.defer_cleanup else None  # a watch's last output
        folders = ahead is not None
        if not folders:
            staging.mkdir(parents=True)
        if ahead:
            extra[incremental.SETTING]["ahead"] = ahead  # the live pages linked into them while the watch waited
        cache = Path(options.cache_dir)
        reports = Path(options.reports_dir) / site.domain if options.reports_dir else None
        settings = site_settings(site, Path(options.content_dir), staging, cache / "pelican" / site_id,
                                 report_dir=reports, state_path=cache / "checks" / f"{site_id}.json",
                                 extra={**extra, **options.settings})
        settings = with_template_cache(settings, cache)
        source = asked_source_commit(settings.get("PATH") or site.folder)  # git answers while Pelican runs
        with contextlib.redirect_stdout(io.StringIO()):
            pelican = Pelican(settings)
            if ahead and not writes_through_no_link():  # another writer: it could write through them
                kept_folders.unlink_pages(staging, settings[incremental.SETTING].pop("ahead"))
            pelican.run()
        if folders:
            kept_folders.remove_empty_folders(staging)
        raise_deferred(settings)  # output checks that failed when no later plugin raised them
        errors = collector.messages(logging.ERROR)
        result.warnings = collector.messages(logging.WARNING)
        if errors:
            raise GovsiteError(f"Pelican reported errors (in {site.folder}):\n" + "\n".join(f"  - {e}" for e in errors))
        strict_warnings = [w for w in result.warnings if not w.startswith(DAMAGED_STATE)]
        if options.strict and strict_warnings:
            raise GovsiteError("warnings in strict mode:\n" + "\n".join(f"  - {w}" for w in strict_warnings))
        findings = identity_findings(settings, staging)
        if findings:
            shown = "\n".join(f"  - {f}" for f in findings[:50])
            more = f"\n  ... and {len(findings) - 50} more" if len(findings) > 50 else ""
            raise GovsiteError(f"{len(findings)} page(s) break the metadata/footer rules:\n{shown}{more}")
        if links := output_links(staging):  # e.g. STATIC_CREATE_LINKS across file systems: never published
            raise GovsiteError(f"{len(links)} symbolic link(s) in the built site (a site is published as plain "
                               "files; set STATIC_CREATE_LINKS = False): " + ", ".join(links[:20]))
        deploy = output / DEPLOY / f".{site.domain}.{os.getpid()}"
        if (staging / DEPLOY_IN_SITE).is_dir():  # server configs are not part of the site
            deploy.parent.mkdir(parents=True, exist_ok=True)
            (staging / DEPLOY_IN_SITE).rename(deploy)
        staged = staged_files.walk_staged(staging)  # the one walk of the finished site, shared from here on
        if late := output_listing.pages_after_listing(settings, staged.files):
            raise GovsiteError(f"{len(late)} page(s) written after the output checks listed the site (never "
                               "checked; a stage or plugin writing pages after the checks?): " + ", ".join(late[:20]))
        pages = staged.pages()  # the site's pages (not .govsite/: server files)
        result.pages = len(pages)
        counts = settings.get(incremental.COUNTS) or {}
        result.rendered, result.kept = counts.get("rendered", 0), counts.get("kept", 0)
        result.untouched = counts.get("untouched", 0)
        # no kept page was written through its link into the live output (the walk's identities)
        incremental.check_kept(settings, staging, {f.rel: (f.inode, f.size, f.mtime_ns) for f in staged.files})
        kept = incremental.kept_inodes(settings, staging)
        staged_files.keep_times(staged, live, kept, live_files)
        # .govsite-manifest.json (+ .sig): SHA-256 and SM3 of every file; the live entries of files
        # whose bytes are the live ones, when the live output is what its manifest describes
        write_build_manifest(staging, site, settings, live, kept, staged.files, staged.same if intact else None,
                             source)
        for stale in (fingerprint_file, keys_file):  # a crash after the swap must not leave them describing old output
            stale.unlink(missing_ok=True)
        old_copy = swap_into_place(staging, live, keep_old=options.defer_cleanup)
        if old_copy:
            result.old_copies.append(str(old_copy))
        if deploy.is_dir():
            old_domains = deploy / "old-domains"
            for folder in sorted(old_domains.iterdir()) if old_domains.is_dir() else []:
                swap_into_place(folder, output / folder.name)  # redirect pages for a domain the site left
                result.old_domains.append(folder.name)
            if old_domains.is_dir():
                old_domains.rmdir()
            swap_into_place(deploy, output / DEPLOY / site.domain)
        if record and options.pin_records:  # a rehearsal neither snapshots nor pins anything
            lifecycle_settings = options.settings.get("GOVSITE_LIFECYCLE")
            previous = settings.get(RECORD_DATA)
            archived = archive_when_offline(site, today, lifecycle_settings, output / site.domain,
                                            options.archives_dir, previous)
            write_record(record, site, today, pages, lifecycle_settings, archived,
                         settings.get(PUBLISHED_NOTICES), previous)
        if fingerprints:
            incremental.save_json(keys_file, settings.get(incremental.KEYS) or {})
            incremental.save_json(fingerprint_file, {"fingerprint": with_record(fingerprints[0], record),
                                                     "pages": result.pages, "old_domains": result.old_domains,
                                                     "output": staged_files.output_digest_of(staged, live)})
        dependencies.last_built[site_id] = settings.get(dependencies.SHOWN) or {}
        remember_inputs(site_id, record, live, settings)
        content_index.commit_results(settings)  # what the stages computed per article, for the next build
        result.ok, result.status = True, "built"
    except GovsiteError as exc:
        result.error = str(exc)
    except OSError as exc:  # a full disk, a read-only output: name the path and the fix
        result.error = describe_os_error(exc, staging)
    except Exception as exc:  # Pelican raised: report it with its origin
        chained = exc
        while chained.__cause__ or chained.__context__:
            if isinstance(chained, GovsiteError):
                break
            chained = chained.__cause__ or chained.__context__
        result.error = str(chained) if isinstance(chained, GovsiteError) else \
            "".join(traceback.format_exception_only(exc)).strip()
    finally:
        root.removeHandler(collector)
        if source is not None:
            source()  # (a build that failed before its manifest: git's processes reaped)
        for leftover in (staging, output / DEPLOY / f".{site.domain}.{os.getpid()}"):
            if leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)
        result.seconds = time.monotonic() - started
    return result


def fingerprints_of(group: SiteGroup, sites, options: BuildOptions) -> dict[str, tuple[str, str]]:
    """``{site id: (site fingerprint, render fingerprint)}`` of the selected sites."""
    from .settings import platform_conf, platform_theme

    conf = platform_conf()
    theme = options.settings.get("THEME") or platform_theme(conf)
    shared = {**fingerprint.platform_digest(conf, Path(theme)), "group": fingerprint.group_digest(group)}
    build_options = {"settings": options.settings, "strict": options.strict, "today": today_of(options.settings),
                     "reports": bool(options.reports_dir), "records": bool(options.records_dir),
                     "pin_records": options.pin_records,
                     "archives": bool(options.archives_dir)}
    prints, foreign = {}, {}
    for site in sites:
        memo = FileMemo(Path(options.cache_dir) / BUILD_STATE / f"{site.id}.files.json" if options.cache_dir else None)
        render = fingerprint.render_fingerprint(group, site, shared, build_options, memo, foreign)
        prints[site.id] = (fingerprint.site_fingerprint(site, render, memo), render)
        memo.save()
        _inputs_seen[site.id] = (render, memo.identities, memo.settled_before)
        _links_seen[site.id] = frozenset(memo.links)
    return prints


#: ``{site id: (render fingerprint, {file: identity}, settled before)}`` seen by this process's last
#: ``fingerprints_of``: what a build in this process compares with its last one (``dependencies.Inputs``)
_inputs_seen: dict[str, tuple[str, dict, int]] = {}
#: ``{site id: the site folder's files that are symbolic links}`` as that ``fingerprints_of`` saw them
_links_seen: dict[str, frozenset[str]] = {}


def record_digest(record: Path | None) -> str:
    """The digest of a site's record file ('' when there is none)."""
    return fingerprint.file_digest(record) if record and record.is_file() else ""


def edits_since_last_build(site, record: Path | None, live: Path) -> dict:
    """What the writer needs to keep the pages an in-place edit of articles cannot change, when this
    process built the site last and saw its files since (``dependencies.edited_articles``): else {}."""
    seen, built = _inputs_seen.get(site.id), dependencies.inputs_built.get(site.id)
    graph = dependencies.last_built.get(site.id)
    if seen is None or built is None or graph is None:
        return {}
    now = dependencies.Inputs(seen[0], seen[1], record_digest(record), str(live))
    edits = dependencies.edited_articles(built, now, str(site.folder))
    return {} if edits is None else {"edits": edits, "graph": graph, "placements": built.placements}


def remember_inputs(site_id: str, record: Path | None, live: Path, settings: dict) -> None:
    """After a successful build in this process: what it was made of (files modified too recently
    to be told from a later edit count as edited next time)."""
    seen = _inputs_seen.get(site_id)
    built = dependencies.inputs_built.pop(site_id, None)
    if seen is None:
        return
    render, identities, settled_before = seen
    files = {name: (identity if identity[2] < settled_before else None) for name, identity in identities.items()}
    placements = {**(built.placements if built and (built.render, built.output) == (render, str(live)) else {}),
                  **(settings.get(dependencies.PLACEMENTS) or {})}
    dependencies.inputs_built[site_id] = dependencies.Inputs(render, files, record_digest(record), str(live), placements)


def with_record(site_fingerprint: str, record: Path | None) -> str:
    """The site's fingerprint with its record's bytes: the record lives outside the site folder, and
    a record restored or edited since the last build (a guard to run again) must build the site.
    Saved after the build wrote the record, so writing it never counts as a change."""
    return f"{site_fingerprint}:{record_digest(record)}"


def unchanged_result(site, options: BuildOptions, site_fingerprint: str) -> SiteResult | None:
    """A result for a site whose last successful build had this fingerprint (and record), whose output
    is as that build left it, and whose record and reports are still there; None when it must be built."""
    fingerprint_file, _ = state_files(options, site.id)
    recorded = incremental.load_json(fingerprint_file)
    record = records.record_file(options.records_dir, site.id) if options.records_dir else None
    needed = [Path(options.output_dir) / site.domain]
    needed += [record] if record and options.pin_records else []
    needed += [Path(options.reports_dir) / site.domain] if options.reports_dir else []
    if recorded.get("fingerprint") != with_record(site_fingerprint, record) or not all(p.exists() for p in needed) \
            or not output_intact(options, site.id, needed[0]):
        return None
    return SiteResult(site.id, site.domain, ok=True, pages=recorded.get("pages", 0), status="unchanged",
                      old_domains=recorded.get("old_domains", []))


def build_group(
    content_dir: Path | str = "content",
    output_dir: Path | str = DEFAULT_OUTPUT,
    site_ids: list[str] | None = None,
    cache_dir: Path | str | None = None,
    workers: int | None = None,
    strict: bool = False,
    progress=None,
    reports_dir: Path | str | None = "reports",
    settings: dict | None = None,
    records_dir: Path | str | None = None,
    archives_dir: Path | str | None = None,
    full: bool = False,
    shard: str | None = None,
    pin_records: bool = True,
    in_process: bool = False,
    defer_cleanup: bool = False,
) -> list[SiteResult]:
    """Validate the group, then build the selected sites in parallel processes.

    :param progress: optional callable ``(result)`` called as each site finishes.
    :param reports_dir: accessibility reports go to ``<reports_dir>/<domain>/`` (None: none).
    :param settings: extra Pelican settings laid over pelicanconf.py for every site.
    :param records_dir: ``<records_dir>/<site-id>.json`` keeps the published lifecycle events and notices
        and every URL ever built (``govsite.records``; commit it with the content: it is how changed
        events, rewritten notices and lost URLs are caught). None: no record is read or written.
    :param pin_records: write the records after each successful site (a publishing build); False for
        a rehearsal, which reads them (every guard runs) but marks nothing as published.
    :param archives_dir: where a site is snapshotted (WACZ) when its permanent offline takes effect.
    :param full: build every selected site and render every page (ignore the fingerprints).
    :param shard: ``"K/N"``: only the sites of shard K of N (``govsite.shard``).
    :param in_process: build the sites one after another in this process (``govsite build --watch``:
        imports, compiled templates and Python-Markdown stay loaded between builds), not in workers.
    :param defer_cleanup: leave each site's replaced output (``SiteResult.old_copies``) for the caller to
        remove with ``remove_old_copies`` once it has reported (a watch); a leftover to any later build.
    :raises GroupInvalid: before anything is written, when any site.toml is invalid.
    :raises UsageError: an unknown site id or a bad shard.
    """
    group = load_group(content_dir)
    sites = in_shard(select_sites(group, site_ids), shard)
    output = Path(output_dir)
    try:
        output.mkdir(parents=True, exist_ok=True)
        return _build_sites(group, sites, content_dir, output, cache_dir, workers, strict, progress, reports_dir, settings,
                            records_dir, archives_dir, full, pin_records, in_process, defer_cleanup)
    except OSError as exc:
        raise GovsiteError(describe_os_error(exc, output)) from None


def _build_sites(group: SiteGroup, sites, content_dir, output: Path, cache_dir, workers, strict, progress, reports_dir,
                 settings, records_dir, archives_dir, full, pin_records, in_process=False,
                 defer_cleanup=False) -> list[SiteResult]:
    """build_group once the group is valid and the output folder exists."""
    cache = Path(cache_dir) if cache_dir else DEFAULT_CACHE
    results: list[SiteResult] = []
    options = BuildOptions(str(Path(content_dir).resolve()), str(output.resolve()), str(cache.resolve()),
                           str(Path(reports_dir).resolve()) if reports_dir else "", strict, dict(settings or {}),
                           str(Path(records_dir).resolve()) if records_dir else "",
                           str(Path(archives_dir).resolve()) if archives_dir else "", full, pin_records,
                           defer_cleanup)
    content_index.save_deferred()  # left by an earlier build in this process that was not followed by after_report
    with output_lock(output):
        removed = remove_leftovers(output)
        if removed:
            logging.getLogger(__name__).warning("removed %d leftover(s) of interrupted builds: %s", len(removed),
                                                ", ".join(str(p) for p in removed))
        prints = fingerprints_of(group, sites, options)
        with site_files.seen_during({str(site.folder): (_inputs_seen[site.id][1], _links_seen[site.id])
                                     for site in sites}):
            results += _build_fingerprinted(sites, options, prints, workers, in_process, progress)
        staging_root = output / STAGING
        if staging_root.exists() and not any(staging_root.iterdir()):
            staging_root.rmdir()
    return sorted(results, key=lambda r: r.site_id)


def _build_fingerprinted(sites, options: BuildOptions, prints: dict, workers, in_process: bool,
                         progress) -> list[SiteResult]:
    """Each of ``sites`` (fingerprinted: ``prints``) reported unchanged or built."""
    results, to_build = [], []
    for site in sites:
        current = effective_site(site, today_of(options.settings), options.settings.get("GOVSITE_LIFECYCLE"))
        unchanged = None if options.full else unchanged_result(current, options, prints[site.id][0])
        if unchanged:
            results.append(unchanged)
            if progress:
                progress(unchanged)
        else:
            to_build.append(site)
    if in_process:
        return results + _build_here(to_build, options, prints, progress)
    workers = max(1, min(workers or os.cpu_count() or 1, len(to_build) or 1))
    return results + _build_in_pool(to_build, options, prints, workers, progress)


def _build_here(to_build, options: BuildOptions, prints: dict, progress) -> list[SiteResult]:
    """Build the sites one after another in this process (which builds again: the content index keeps)."""
    content_index.keep_between_builds()
    results = []
    for site in to_build:
        result = build_site(site.id, options, prints[site.id])
        result.status = result.status if result.ok else "failed"
        results.append(result)
        if progress:
            progress(result)
    return results


def _build_in_pool(to_build, options: BuildOptions, prints: dict, workers: int, progress) -> list[SiteResult]:
    """Build the sites in worker processes (one site per process), reporting each as it finishes."""
    results = []
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), max_tasks_per_child=1)
    with pool:
        futures = {pool.submit(build_site, s.id, options, prints[s.id]): s for s in to_build}
        for future in as_completed(futures):
            site = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the worker process died
                result = SiteResult(site.id, site.domain, ok=False, error=f"worker failed: {exc!r}")
            result.status = result.status if result.ok else "failed"
            results.append(result)
            if progress:
                progress(result)
    return results
