"""Site lifecycle events (``[[lifecycle]]`` in site.toml): their model, rules and timeline.

Events: ``launch``, ``temporary_offline``, ``permanent_offline``, ``domain_change`` and
``info_change``. ``check_lifecycle`` returns every rule violation as a Problem naming the
file, ``lifecycle[i].field`` and the rule; ``Timeline`` answers what is in force on a day, and
``site_as_of`` how the site stood on a day (what a notice of that day states).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from . import identity
from .errors import Problem

#: The regulation's limits (宁夏 2022 notice §二(一)5): at most 30 days, at most once a year.
MAX_TEMPORARY_DAYS = 30
MAX_TEMPORARY_PER_YEAR = 1
#: Platform defaults (settings GOVSITE_LIFECYCLE overrides them).
DEFAULT_LEAD_DAYS = 7
DEFAULT_OFFLINE_NOTICE_DAYS = 30

#: Fields per event: name -> required?  ``title``/``body`` override the notice wording.
OVERRIDES = {"title": False, "body": False}
EVENT_FIELDS: dict[str, dict[str, bool]] = {
    "launch": {"date": True, **OVERRIDES},
    "temporary_offline": {"start": True, "end": True, "reason": True, "approval": True, **OVERRIDES},
    "permanent_offline": {"date": True, "reason": True, "approval": True, "destination": False,
                          "columns": False, "pages": False, "archive_only": False, "archive_reason": False,
                          **OVERRIDES},
    "domain_change": {"date": True, "new_domain": True, "reason": False, **OVERRIDES},
    "info_change": {"date": True, "field": True, "old": True, "new": True, "reason": True, **OVERRIDES},
}
DATE_FIELDS = frozenset({"date", "start", "end"})
#: Free-text fields (name -> may span lines): strings, not empty, without control characters.
TEXT_FIELDS = {"reason": False, "approval": False, "field": False, "old": False, "new": False, "title": False,
               "body": True, "archive_reason": False, "pages": False}


@dataclass(frozen=True)
class Event:
    """One declared lifecycle event (fields as declared, dates as ``datetime.date``)."""

    index: int
    kind: str
    fields: dict = field(hash=False, compare=False)

    def get(self, name: str, default: Any = None) -> Any:
        return self.fields.get(name, default)

    @property
    def day(self) -> date:
        """The event's first day."""
        return self.fields.get("start") or self.fields["date"]

    @property
    def last_day(self) -> date:
        """The event's last day (the same day except for a temporary offline)."""
        return self.fields.get("end") or self.day

    @property
    def slug(self) -> str:
        """A stable identifier for the event's notice page."""
        return f"{self.kind.replace('_', '-')}-{self.day:%Y%m%d}"

    def record(self) -> dict:
        """The event as recorded once published (JSON-ready)."""
        return {"event": self.kind, **{k: (v.isoformat() if isinstance(v, date) else v)
                                       for k, v in sorted(self.fields.items())}}


def parse_events(raw: tuple[dict, ...]) -> list[Event]:
    """Events from site.toml tables (unknown event names are left to the checks)."""
    events = []
    for index, table in enumerate(raw):
        fields = {k: v for k, v in table.items() if k != "event"}
        events.append(Event(index, str(table.get("event", "")), fields))
    return events


def check_lifecycle(site, group_sites: dict, file) -> list[Problem]:
    """Every lifecycle rule for one site; problems name ``lifecycle[i].<field>``."""
    problems: list[Problem] = []

    def bad(event: Event, name: str, value, expected: str) -> None:
        problems.append(Problem(file, f"lifecycle[{event.index}].{name}" if name else f"lifecycle[{event.index}]",
                                value, expected))

    events = [e for e in parse_events(site.lifecycle) if e.kind in EVENT_FIELDS]
    announcers = [site] + ([group_sites[site.parent]] if site.parent in group_sites else [])
    for announcer in announcers if events else []:
        if not any(c.type == "通知公告" for c in announcer.columns):
            problems.append(Problem(announcer.file, "columns", None, f"a 通知公告 column to publish the "
                                    f"lifecycle notices of {site.id} in"))
    valid = []
    for event in events:
        allowed = EVENT_FIELDS[event.kind]
        for name, value in event.fields.items():
            if name not in allowed:
                close = difflib.get_close_matches(name, list(allowed), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                bad(event, name, value, f"a field of a {event.kind} event: " + ", ".join(allowed) + hint)
        missing = [name for name, required in allowed.items() if required and name not in event.fields]
        for name in missing:
            bad(event, name, None, f"this field on a {event.kind} event")
        wrong_dates = [n for n in DATE_FIELDS & set(event.fields) if not _is_date(event.fields[n])]
        for name in wrong_dates:
            bad(event, name, event.fields[name], "a TOML date like 2026-12-01 (no quotes)")
        for name, multiline in TEXT_FIELDS.items():
            if name in event.fields and (expected := _check_text_field(event.fields[name], multiline)):
                bad(event, name, event.fields[name], expected)
        if not missing and not wrong_dates:
            valid.append(event)
    for event in valid:
        _check_event(site, group_sites, event, bad)
    _check_sequence(sorted(valid, key=lambda e: (e.day, e.index)), bad)
    return problems


def _check_text_field(value, multiline: bool) -> str | None:
    """What a free-text field of an event breaks (None when it is a usable text)."""
    if not isinstance(value, str):
        return "a text (a quoted TOML string)"
    if not value.strip():
        return "a non-empty text"
    return identity.check_text(value, multiline)


def _is_date(value) -> bool:
    return isinstance(value, date) and not hasattr(value, "hour")


def _check_event(site, group_sites: dict, event: Event, bad) -> None:
    if event.kind == "temporary_offline":
        days = (event.get("end") - event.get("start")).days + 1
        if days < 1:
            bad(event, "end", event.get("end"), "an end date on or after the start date")
        elif days > MAX_TEMPORARY_DAYS:
            bad(event, "end", event.get("end"),
                f"a temporary offline of at most {MAX_TEMPORARY_DAYS} days (this one lasts {days} days)")
    elif event.kind == "permanent_offline":
        _check_destinations(site, group_sites, event, bad)
    elif event.kind == "domain_change":
        new = str(event.get("new_domain"))
        rule = identity.check_domain(new)
        if rule is None and site.leads_group:
            rule = identity.check_portal_domain(new)
        if rule is None and site.kind == "department" and site.parent in group_sites:
            rule = identity.check_department_domain(new, group_sites[site.parent].domain)
        if rule:
            bad(event, "new_domain", new, rule)
    elif event.kind == "info_change" and event.get("field") not in _INFO_FIELDS:
        bad(event, "field", event.get("field"), "a site.toml field: " + ", ".join(_INFO_FIELDS))


_INFO_FIELDS = ("name", "organizer", "operator", "site_code", "icp", "police_filing", "logo", "contact", "columns")


def _check_destinations(site, group_sites: dict, event: Event, bad) -> None:
    """A permanent offline says where every column goes, or that it is archive only (with a reason)."""
    def check_target(name: str, target) -> None:
        if not isinstance(target, str) or not (target in group_sites and target != site.id
                                               or identity.check_https_url(target) is None):
            bad(event, name, target, "a site id of the group (not this site) or an https:// URL")

    if event.get("archive_only"):
        if not str(event.get("archive_reason", "")).strip():
            bad(event, "archive_reason", None, "why the content is archived only, not migrated")
        return
    if "destination" in event.fields:
        check_target("destination", event.get("destination"))
    columns = event.get("columns", {})
    if not isinstance(columns, dict):
        bad(event, "columns", columns, "a table of column slug = destination")
        columns = {}
    for slug, target in columns.items():
        if site.column(slug) is None:
            bad(event, f"columns.{slug}", target, "a column slug of this site")
        check_target(f"columns.{slug}", target)
    if "destination" not in event.fields:
        uncovered = [c.slug for c in site.columns if c.slug not in columns]
        if uncovered:
            bad(event, "destination", None, "a destination for every column (missing: " + ", ".join(uncovered)
                + "), or archive_only = true with an archive_reason")


def _check_sequence(events: list[Event], bad) -> None:
    """Events do not overlap; one temporary offline per year; one launch, first; nothing after a permanent offline."""
    per_year: dict[int, int] = {}
    for earlier, later in zip(events, events[1:]):
        if later.kind == earlier.kind and later.day == earlier.day:
            bad(later, "date", later.day, f"one {later.kind} event per day (lifecycle[{earlier.index}] is a "
                f"{earlier.kind} on {earlier.day} too: both would publish the notice {earlier.slug})")
        if later.day <= earlier.last_day and (earlier.kind == "temporary_offline" or later.kind == "temporary_offline"):
            bad(later, "", later.kind, f"an event that does not overlap lifecycle[{earlier.index}] "
                f"({earlier.kind} {earlier.day} – {earlier.last_day})")
    for event in events:
        if event.kind == "temporary_offline":
            for year in range(event.day.year, event.last_day.year + 1):
                per_year[year] = per_year.get(year, 0) + 1
                if per_year[year] > MAX_TEMPORARY_PER_YEAR:
                    bad(event, "start", event.day, f"at most {MAX_TEMPORARY_PER_YEAR} temporary offline "
                        f"per calendar year ({year} already has one)")
    launches = [e for e in events if e.kind == "launch"]
    for extra in launches[1:]:
        bad(extra, "", "launch", "a single launch event")
    if launches and events[0] is not launches[0]:
        bad(launches[0], "date", launches[0].day, "a launch before every other event")
    offline = next((e for e in events if e.kind == "permanent_offline"), None)
    if offline is not None:
        for event in events:
            if event is not offline and event.day >= offline.day:
                bad(event, "", event.kind, f"no event on or after the permanent offline of {offline.day}")


@dataclass(frozen=True)
class DomainClaim:
    """A domain a site uses at some point of its timeline: its declared one or a domain change's."""

    site: Any
    domain: str
    field: str  # ``domain`` or ``lifecycle[i].new_domain``
    day: date | None = None  # None: the declared domain (in use from the start)

    def __str__(self) -> str:
        since = f" (from {self.day})" if self.day else ""
        return f"{self.site.file}: {self.field} = {self.domain!r}{since}"


def domain_claims(site) -> list[DomainClaim]:
    """Every domain the site uses over its timeline: the declared domain, then each domain change's."""
    claims = [DomainClaim(site, site.domain, "domain")]
    for event in parse_events(site.lifecycle):
        new = event.get("new_domain")
        if event.kind == "domain_change" and isinstance(new, str) and _is_date(event.get("date")):
            claims.append(DomainClaim(site, new, f"lifecycle[{event.index}].new_domain", event.day))
    return claims


def check_domain_claims(group_sites: dict) -> list[Problem]:
    """No two sites use one domain at any point of their timelines, and no site moves to a domain it
    already used (its declared one included): each such pair would build into one output folder (the later silently replacing
    the earlier). Each problem names both claims; duplicate declared domains are reported elsewhere."""
    by_domain: dict[str, list[DomainClaim]] = {}
    for site in group_sites.values():
        for claim in domain_claims(site):
            by_domain.setdefault(claim.domain, []).append(claim)
    problems = []
    for claims in by_domain.values():
        claims.sort(key=lambda c: (c.day is not None, c.day or date.min))  # declared first, then by day
        for index, claim in enumerate(claims):
            if claim.day is None:
                continue  # two declared domains: registry's unique-domain rule
            if not index:
                continue
            owner = claims[0]
            what = ("a domain this site has not used before" if owner.site is claim.site
                    else "a domain no other site of the group uses at any time")
            problems.append(Problem(claim.site.file, claim.field, claim.domain,
                                    f"{what} (one output folder per domain; also {owner})"))
    return problems


@dataclass(frozen=True)
class Timeline:
    """What is in force for one site on one day."""

    events: tuple[Event, ...]
    today: date
    lead_days: int = DEFAULT_LEAD_DAYS
    offline_notice_days: int = DEFAULT_OFFLINE_NOTICE_DAYS

    @classmethod
    def of(cls, site, today: date, settings: dict | None = None) -> "Timeline":
        options = settings or {}
        return cls(tuple(e for e in parse_events(site.lifecycle) if e.kind in EVENT_FIELDS), today,
                   options.get("lead_days", DEFAULT_LEAD_DAYS),
                   options.get("offline_notice_days", DEFAULT_OFFLINE_NOTICE_DAYS))

    def notice_date(self, event: Event) -> date:
        """When the event's notice is published: ahead of an offline or a domain change, else on its day."""
        if event.kind in ("temporary_offline", "domain_change"):
            return event.day - timedelta(days=self.lead_days)
        return event.day

    def published(self) -> list[Event]:
        """Events whose notice is out (and so may no longer change)."""
        return [e for e in self.events if self.notice_date(e) <= self.today]

    def maintenance(self) -> Event | None:
        """The temporary offline in force today, if any."""
        return next((e for e in self.events if e.kind == "temporary_offline" and e.day <= self.today <= e.last_day),
                    None)

    def domain(self, declared: str) -> str:
        """The site's domain today: the latest domain change that took effect, else the declared one."""
        changes = [e for e in self.events if e.kind == "domain_change" and e.day <= self.today]
        return str(max(changes, key=lambda e: e.day).get("new_domain")) if changes else declared

    def old_domains(self, declared: str) -> list[str]:
        """Domains the site used before today's (each needs redirects)."""
        domains, current = [], declared
        for change in sorted((e for e in self.events if e.kind == "domain_change" and e.day <= self.today),
                             key=lambda e: e.day):
            domains.append(current)
            current = str(change.get("new_domain"))
        return domains

    def offline(self) -> Event | None:
        """The permanent offline that has taken effect, if any."""
        return next((e for e in self.events if e.kind == "permanent_offline" and e.day <= self.today), None)

    def offline_redirects_due(self) -> bool:
        """True once the offline notice has stood for its period: old URLs then redirect."""
        event = self.offline()
        return event is not None and self.today >= event.day + timedelta(days=self.offline_notice_days)


def today_of(settings: dict | None) -> date:
    """The build's day: ``GOVSITE_TODAY`` (ISO date, for tests and rehearsals) or today in Beijing."""
    from zoneinfo import ZoneInfo
    from datetime import datetime as _datetime

    value = (settings or {}).get("GOVSITE_TODAY")
    if value:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    return _datetime.now(ZoneInfo("Asia/Shanghai")).date()


def compare_published(recorded: list[dict], current: list[Event]) -> list[str]:
    """What changed in events already published: one sentence per changed or removed event."""
    now = {(r := e.record())["event"] + "@" + str(r.get("start") or r.get("date")): r for e in current}
    changes = []
    for old in recorded:
        key = old["event"] + "@" + str(old.get("start") or old.get("date"))
        new = now.get(key)
        if new is None:
            changes.append(f"the published {old['event']} event of {old.get('start') or old.get('date')} was removed")
            continue
        for name in sorted(set(old) | set(new)):
            if old.get(name) != new.get(name):
                changes.append(f"the published {old['event']} event of {old.get('start') or old.get('date')}: "
                               f"{name} changed from {old.get(name)!r} to {new.get(name)!r}")
    return changes


#: site.toml fields an ``info_change`` can be undone for, to tell how the site stood before it
#: (plain text values; ``contact`` and ``columns`` are tables, ``logo`` a file).
RESTORABLE_FIELDS = ("name", "organizer", "operator", "site_code", "icp", "police_filing")


def site_as_of(site, day: date, settings: dict | None = None):
    """The site as it stood on ``day``: its domain after the domain changes that had taken effect,
    and each field an ``info_change`` dated after ``day`` changed set back to that change's ``old``."""
    from dataclasses import replace

    timeline = Timeline.of(site, day, settings)
    changes = {"domain": timeline.domain(site.domain)}
    later = [e for e in timeline.events if e.kind == "info_change" and e.day > day]
    for event in sorted(later, key=lambda e: (e.day, e.index), reverse=True):  # the nearest change last
        if event.get("field") in RESTORABLE_FIELDS:
            changes[event.get("field")] = str(event.get("old"))
    changes = {k: v for k, v in changes.items() if getattr(site, k) != v}
    return replace(site, **changes) if changes else site


def unknown_as_of(site, day: date) -> set[str]:
    """Fields whose value on ``day`` cannot be told from site.toml (a later ``info_change`` of a table)."""
    return {str(e.get("field")) for e in parse_events(site.lifecycle)
            if e.kind == "info_change" and e.get("field") not in RESTORABLE_FIELDS and _is_date(e.get("date"))
            and e.day > day}


def effective_site(site, today: date, settings: dict | None = None):
    """The site as it stands on ``today`` (``site_as_of`` the build day)."""
    return site_as_of(site, today, settings)
