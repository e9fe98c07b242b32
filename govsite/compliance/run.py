"""One site's compliance run: every content rule over its articles, with the figures the report charts."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from .config import freshness_days
from .deadlines import check_dates, check_deadlines
from .findings import Finding, errors
from .freshness import ColumnState, check_freshness, column_states, migration_grace
from .gitdates import first_commits
from .interpretations import check_interpretations, coverage
from .items import Item
from .privacy import Match, check_item, check_name, privacy_allowed
from .review import check_review, own_sources
from .wording import check_wording, load_lexicon
from .workdays import WorkdayCalendar


@dataclass
class SiteRun:
    """Findings of one site and what the report shows besides them."""

    site_id: str
    domain: str
    name: str
    today: date
    as_of: date
    findings: list[Finding] = field(default_factory=list)
    columns: list[ColumnState] = field(default_factory=list)
    monthly: dict[str, int] = field(default_factory=dict)
    interpretations: dict[int, dict] = field(default_factory=dict)
    masks: dict[str, dict[str, list[Match]]] = field(default_factory=dict)  # item file → field → matches
    articles: int = 0
    migration: dict | None = None  # {migrated, grace_days, grace_until (None once over)} of a migrated site
    #: Families besides the article rules that checked this site (their card shows even with no finding).
    checked: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return errors(self.findings)

    @property
    def veto(self) -> bool:
        return any(f.veto and f.severity == "error" for f in self.findings)


def check_site(site, items: list[Item], config: dict, facts: dict, now: datetime, git: bool = True,
               known: dict | None = None, checked: dict | None = None) -> SiteRun:
    """Run every content rule on one site's articles. ``now`` is the build time (aware); freshness is
    measured as of ``facts['as_of']`` when the site's content is a frozen sample, else the build day.
    ``known`` and ``checked``: the items' text findings taken and found (:func:`check_texts`)."""
    today = now.date()
    as_of = min(facts.get("as_of") or today, today)
    run = SiteRun(site.id, site.domain, site.name, today, as_of, articles=len(items))
    calendar = WorkdayCalendar(config["workdays"])
    # 1. privacy and 6. wording: the text rules
    run.findings += check_texts(run, site, items, config, facts, known=known, checked=checked)
    # 2. review separation and reprints
    review = config["review"]
    run.findings += check_review(items, own_sources(site, facts.get("own_sources", ())), review["reviewer"],
                                 review["reprint"])
    # 3. deadlines, future dates, back-dating
    deadlines = config["deadlines"]
    run.findings += check_deadlines(items, calendar, deadlines)
    commits = first_commits(site.folder, [i.file for i in items if not i.generated]) \
        if git and deadlines["git"] and deadlines["backdating"] != "off" else {}
    by_item = {i.file: commits[key] for i in items if (key := os.path.abspath(i.file)) in commits}
    run.findings += check_dates(items, now, by_item, deadlines, facts.get("backdating_since"))
    # 4. interpretations
    run.findings += check_interpretations(items, calendar, as_of, config["interpretations"],
                                          deadlines["interpretation_days"])
    run.interpretations = coverage(items)
    # 5. columns
    run.columns = column_states(site.columns, items, as_of, freshness_days(config))
    grace_until = None
    if facts.get("migrated"):
        grace_days = config["freshness"]["migration_grace_days"]
        grace_until = migration_grace(facts["migrated"], as_of, grace_days)
        run.migration = {"migrated": facts["migrated"].isoformat(), "grace_days": grace_days,
                         "grace_until": grace_until.isoformat() if grace_until else None}
    run.findings += check_freshness(str(site.file), run.columns, items, as_of, config["freshness"], grace_until)
    run.monthly = monthly_counts(items)
    relax(run, facts.get("warn_only", ()))
    return run


#: What to do about personal information in a published name, by what carries the name.
SLUG_FIX = "重命名文件，或在元数据中设置不含个人信息的 Slug（如 Slug: 20261120-tongzhi）"
FILE_FIX = "重命名文件（并改正引用它的 Image、Attachments 或链接）"


def check_names(site, names: dict[str, str], config: dict, facts: dict, fix: str = FILE_FIX) -> list[Finding]:
    """Personal information in published names (``{file: name in its URL}``): always errors (a URL
    cannot be masked); ``fix`` says what to do."""
    allowed, domains = privacy_allowed(site, config, facts)
    return [f for file, name in names.items() for f in check_name(file, name, config["privacy"], allowed, domains, fix)]


def check_texts(run: SiteRun, site, items: list[Item], config: dict, facts: dict, wording: bool = True,
                known: dict | None = None, checked: dict | None = None) -> list[Finding]:
    """Privacy (the masks are recorded in ``run``; the slug in the URL is checked too) and, unless
    ``wording`` is False, wording: the rules that apply to any text, standalone pages included.
    Returns the findings. ``known``: ``{item file: text_findings(...)}`` of items whose texts and
    configuration are those they were found for, taken instead; ``checked`` receives the others'."""
    allowed, domains = privacy_allowed(site, config, facts)
    lexicon = load_lexicon(config["wording"]) if wording else None
    names, privacy, words = [], [], []
    for item in items:
        found = known.get(item.file) if known else None
        if found is None:
            found = text_findings(item, site, config, allowed, domains, lexicon)
            if checked is not None:
                checked[item.file] = found
        names += found[0]
        privacy += found[1]
        if found[2]:
            run.masks[item.file] = found[2]
        words += found[3]
    return names + privacy + words


def text_findings(item: Item, site, config: dict, allowed: frozenset[str], domains: tuple[str, ...],
                  lexicon) -> tuple[tuple[Finding, ...], tuple[Finding, ...], dict, tuple[Finding, ...]]:
    """One item's text findings: ``(its slug's, its privacy ones, the masks, its wording ones)`` (no
    wording without a ``lexicon``)."""
    names = () if item.generated else tuple(check_name(item.file, item.slug, config["privacy"], allowed, domains,
                                                          SLUG_FIX))
    privacy, masks = check_item(item, config["privacy"], allowed, domains, site.folder)
    levels = config["wording"]
    words = check_wording([item], lexicon, levels["serious_level"], levels["sensitive_level"]) if lexicon else ()
    return names, tuple(privacy), masks, tuple(words)


def monthly_counts(items: list[Item]) -> dict[str, int]:
    """Articles per month ("YYYY-MM"), every month from the first to the last included."""
    counts = Counter(f"{i.date.year:04d}-{i.date.month:02d}" for i in items)  # strftime per item: 0.05 s at 10,000
    if not counts:
        return {}
    first, last = min(counts), max(counts)
    year, month, months = int(first[:4]), int(first[5:]), {}
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        months[key] = counts.get(key, 0)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def relax(run: SiteRun, families) -> None:
    """Errors of the families a site lists in ``warn_only`` are reported as warnings."""
    run.findings = [replace(f, severity="warning") if f.family in families and f.severity == "error" else f
                    for f in run.findings]
