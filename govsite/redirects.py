"""Redirects: which old URLs go where, and the files every kind of deployment needs.

Sources of redirects for a site on the build's day:
- the migration register ``content/<site>/redirects.csv`` (``old_url,new_path``, written by the
  importer), old URLs of the old site to pages of this one;
- a permanent offline once its notice period is over: every URL ever published goes to its
  destination (per page CSV, per column, or the whole site) or, without one, to the notice;
- a domain change that took effect: every path on each old domain goes to the same path on the
  new domain (whole-domain redirects, written as server blocks).

Written as: an nginx ``map`` + ``return 301``, Apache ``.htaccess`` rewrite rules, static HTML
redirect pages (rendered by the theme's ``redirect.html``) and a CSV of old URL -> new URL.

Every target is checked before it is written into a server config (``check_target``): no character
that nginx or Apache would read as a variable, a back-reference, a quote or a word break, and an
absolute target only on a host of the group or of ``GOVSITE_SERVER['redirect_hosts']`` (no open
redirect). A domain change is announced on the old domain for ``domain_notice_days``
(``GOVSITE_LIFECYCLE``, default ``DEFAULT_DOMAIN_NOTICE_DAYS``): ``domain_moves`` says which.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

from .errors import ContentInvalid, Problem
from .lifecycle import Event, Timeline
from .registry import Site, SiteGroup

REGISTER = "redirects.csv"
#: How long an old domain shows its announcement (home page and 404) before every URL redirects.
#: The notice (二(一)6) asks for the announcement on the original site but gives no period; one
#: month follows the closest rule found (a permanent offline announced on the home page for one
#: month, Fujian). Configurable: ``GOVSITE_LIFECYCLE['domain_notice_days']``.
DEFAULT_DOMAIN_NOTICE_DAYS = 30
#: Refused in a target: nginx variables ($), Apache back-references/escapes (\\), quotes, word breaks,
#: characters a URL never holds unencoded. Percent-encode them instead (``$`` as ``%24``).
UNSAFE_TARGET = re.compile(r"[\s\"'\\$`<>{}|^\x00-\x1f\x7f]")
UNSAFE_PATH = re.compile(r"[\x00-\x1f\x7f]")
BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
#: Every printable ASCII character stays as written; anything else is percent-encoded (UTF-8).
URL_SAFE = "".join(chr(c) for c in range(0x21, 0x7f))


@dataclass(frozen=True)
class Redirect:
    """One old path of the site (relative, no leading slash) and where it now goes."""

    old_path: str
    target: str  # an absolute URL, or a path relative to the site root
    reason: str

    def target_url(self, site: Site) -> str:
        """The absolute target, non-ASCII characters percent-encoded."""
        url = self.target if "://" in self.target else site.url + self.target.lstrip("/")
        return quote(url, safe=URL_SAFE)


def check_target(target: str, hosts: frozenset[str]) -> str | None:
    """Why a redirect target is refused (None: safe to write into nginx, Apache and HTML)."""
    if UNSAFE_TARGET.search(target):
        return ("a URL without whitespace, quotes, backslashes or $ ` < > { } | ^ "
                "(percent-encode them, e.g. $ as %24)")
    if BAD_PERCENT.search(target):
        return "a URL whose every % starts a percent-encoding (%XX)"
    scheme = urlsplit(target).scheme
    if target.startswith("//") or (scheme and "://" not in target):
        return "a path relative to the site root (news/index.html) or an https:// URL"
    if scheme:
        parts = urlsplit(target)
        if scheme != "https":
            return "an https:// URL (or a path relative to the site root)"
        if parts.username is not None or parts.port is not None or not parts.hostname:
            return "an https:// URL with a host and no user, password or port"
        if parts.hostname not in hosts:
            return ("a host of the site group or of GOVSITE_SERVER['redirect_hosts'] (allowed: "
                    + ", ".join(sorted(hosts)) + ")")
    return None


def group_hosts(group: SiteGroup) -> frozenset[str]:
    """Every domain a site of the group has or will have (its declared domain and domain changes)."""
    hosts = set()
    for site in group:
        hosts.add(site.domain)
        hosts.update(str(table.get("new_domain")) for table in site.lifecycle
                     if table.get("event") == "domain_change" and table.get("new_domain"))
    return frozenset(hosts)


def _checked(redirect: Redirect, hosts: frozenset[str], file: Path, field: str,
             problems: list[Problem]) -> Redirect:
    """The redirect, after adding a Problem for a refused target or old path."""
    reason = check_target(redirect.target, hosts)
    if reason:
        problems.append(Problem(file, field, redirect.target, reason))
    if UNSAFE_PATH.search(redirect.old_path):
        problems.append(Problem(file, field.replace("new_path", "old_url"), redirect.old_path,
                                "an old URL without control characters"))
    return redirect


def site_path(url: str) -> str:
    """The path part of an old URL, relative to the site root (``index.html`` for the root)."""
    path = urlsplit(url.strip()).path if "://" in url or url.startswith("/") else url.strip()
    path = path.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def read_register(site: Site, hosts: frozenset[str] = frozenset()) -> list[Redirect]:
    """The migration register of the site, if any; every bad row raises ContentInvalid naming
    the file, the row and the field."""
    file = site.folder / REGISTER
    if not file.is_file():
        return []
    redirects, problems = [], []
    with file.open(encoding="utf-8-sig", newline="") as stream:
        for number, row in enumerate(csv.DictReader(stream), start=2):
            if not row.get("old_url") or not row.get("new_path"):
                problems.append(Problem(file, f"row {number}", None, "an old_url and a new_path"))
                continue
            target = row["new_path"].strip()
            target = target if target.startswith("//") or "://" in target else target.lstrip("/")
            redirect = Redirect(site_path(row["old_url"]), target, "migration")
            redirects.append(_checked(redirect, hosts, file, f"row {number}: new_path", problems))
    if problems:
        raise ContentInvalid(problems)
    return redirects


def _destination(site: Site, group: SiteGroup, event: Event, path: str,
                 page_map: dict[str, tuple[str, Path, str]]) -> tuple[str, Path, str] | None:
    """Where a page of an offline site goes, with the file and field that say so."""
    if path in page_map:
        return page_map[path]
    column = path.split("/", 1)[0]
    field = f"lifecycle[{event.index}].columns.{column}"
    target = (event.get("columns") or {}).get(column)
    if not target:
        field, target = f"lifecycle[{event.index}].destination", event.get("destination")
    if not target:
        return None
    other = group.get(target)
    return (other.url if other else target), site.file, field


def _page_map(site: Site, event: Event) -> dict[str, tuple[str, Path, str]]:
    """The offline event's per-page CSV: old path -> (new URL, the CSV file, ``row N: new_url``)."""
    name = event.get("pages")
    if not name:
        return {}
    file = site.folder / name
    with file.open(encoding="utf-8-sig", newline="") as stream:
        return {site_path(row["old_url"]): (row["new_url"].strip(), file, f"row {number}: new_url")
                for number, row in enumerate(csv.DictReader(stream), start=2)}


def plan(site: Site, group: SiteGroup, timeline: Timeline, published: set[str], current: set[str],
         notice_path: str = "", hosts: frozenset[str] = frozenset()) -> tuple[list[Redirect], list[str]]:
    """The redirects of a site, and the published URLs that would now return 404 (uncovered).

    ``hosts``: hosts beyond the group's that absolute targets may name (a refused target raises
    ContentInvalid naming its file, row and field)."""
    allowed = group_hosts(group) | frozenset(hosts)
    redirects = {r.old_path: r for r in read_register(site, allowed) if r.old_path not in current}
    offline = timeline.offline()
    problems: list[Problem] = []
    if offline is not None and timeline.offline_redirects_due():
        page_map = _page_map(site, offline)
        for path in sorted(published | current):
            if path == notice_path or path.startswith("theme/"):
                continue
            target, file, field = (_destination(site, group, offline, path, page_map)
                                   or (notice_path, site.file, "lifecycle"))
            redirects[path] = _checked(Redirect(path, target, "permanent offline"), allowed, file, field, problems)
    if problems:
        raise ContentInvalid(list(dict.fromkeys(problems)))
    uncovered = sorted(p for p in published if p not in current and p not in redirects)
    return sorted(redirects.values(), key=lambda r: r.old_path), uncovered


def csv_text(site: Site, redirects: list[Redirect], old_domains: list[str]) -> str:
    """old URL -> new URL, one row per redirect (whole old domains as ``https://old/*`` rows)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["old_url", "new_url", "reason"])
    for domain in old_domains:
        writer.writerow([f"https://{domain}/*", f"{site.url}*", "domain change"])
    for redirect in redirects:
        writer.writerow([site.url + redirect.old_path, redirect.target_url(site), redirect.reason])
    return buffer.getvalue()


def htaccess(site: Site, redirects: list[Redirect], maintenance: Event | None, retry_after: int) -> str:
    """Apache ``.htaccess`` for the site root: maintenance (503) or 301 rewrite rules (to the target as
    written: the request's query string is dropped, QSD, as nginx's ``return 301`` does)."""
    lines = ["# Generated by govsite: do not edit.", "RewriteEngine On"]
    if maintenance is not None:
        lines += ["ErrorDocument 503 /maintenance.html", f'Header always set Retry-After "{retry_after}"',
                  "RewriteCond %{REQUEST_URI} !^/(maintenance\\.html|theme/|images/)",
                  "RewriteRule ^ - [R=503,L]"]
    for redirect in redirects:
        lines.append(f"RewriteRule {apache_pattern(redirect.old_path)} {apache_target(redirect.target_url(site))} "
                     "[R=301,L,NE,QSD]")
    return "\n".join(lines) + "\n"


def apache_pattern(path: str) -> str:
    """A RewriteRule pattern matching exactly ``path``: letters, digits, ``/-_~`` and non-ASCII as
    written, ``.`` as ``\\.``, every other character as ``\\xHH`` (no regex or config syntax left)."""
    def char(c: str) -> str:
        if c.isalnum() or c in "/-_~" or ord(c) > 0x7f:
            return c
        return "\\." if c == "." else f"\\x{ord(c):02x}"

    return "^" + "".join(char(c) for c in path) + "$"


def apache_target(url: str) -> str:
    """A RewriteRule substitution that is ``url`` literally (``$``, ``%`` and ``\\`` escaped; use with
    the NE flag so percent-encodings are not encoded twice)."""
    return re.sub(r"([$%\\])", r"\\\1", url)


@dataclass(frozen=True)
class DomainMove:
    """A domain the site left: the change that left it, and until when it shows its announcement."""

    old: str
    new: str
    event: Event
    until: date  # the first day on which every URL of the old domain redirects

    def announcing(self, today: date) -> bool:
        """True while the old domain's home page and 404 show the announcement."""
        return today < self.until


def domain_notice_days(options: dict | None) -> int:
    """``GOVSITE_LIFECYCLE['domain_notice_days']`` (checked), else the default."""
    value = (options or {}).get("domain_notice_days", DEFAULT_DOMAIN_NOTICE_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"GOVSITE_LIFECYCLE['domain_notice_days'] = {value!r}: expected a whole number of days "
                         f">= 0 (default {DEFAULT_DOMAIN_NOTICE_DAYS})")
    return value


def domain_moves(timeline: Timeline, declared: str, options: dict | None = None) -> list[DomainMove]:
    """Every domain the site left by the timeline's day, oldest first (``Timeline.old_domains`` order)."""
    days = domain_notice_days(options)
    moves, current = [], declared
    for change in sorted((e for e in timeline.events if e.kind == "domain_change" and e.day <= timeline.today),
                         key=lambda e: e.day):
        new = str(change.get("new_domain"))
        moves.append(DomainMove(current, new, change, change.day + timedelta(days=days)))
        current = new
    return moves
