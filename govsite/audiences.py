"""政策礼包 and 政策找人: audience tags (``Audience:``) on policy documents and interpretations.

The platform setting ``GOVSITE_AUDIENCES`` is the configured list, ``{tag: URL slug}`` in display
order (default: :data:`DEFAULTS`). An article of a column of type 政策文件 or 政策解读 may name some of
those tags in ``Audience:``; a site that leads a group (a portal) publishes one page and one Atom feed
per tag listing the tagged items of the whole group (itself and its department sites), under
:data:`FOLDER`. Pelican-independent: the Pelican side is ``govsite/plugins/audiences.py``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentInvalid, Problem
from .registry import Column, Site, SiteGroup
from .syndication import article_paths, read_header
from .vocabulary import INTERPRETATION_TYPE, POLICY_TYPE

SETTING = "GOVSITE_AUDIENCES"
#: The default audiences: tag -> URL slug (pinyin), in the order the pages list them.
DEFAULTS: dict[str, str] = {
    "企业": "qiye", "个人": "geren", "教育": "jiaoyu", "人才": "rencai", "就业": "jiuye",
    "税务": "shuiwu", "小微企业": "xiaowei", "招商引资": "zhaoshang",
}
#: The metadata key (lower case, as Pelican reads it) and its name in messages.
KEY, FIELD = "audience", "Audience"
#: Column types whose articles may carry audience tags.
TAGGED_TYPES = (POLICY_TYPE, INTERPRETATION_TYPE)
#: The folder of the 政策礼包 pages on a portal: ``zclb/index.html``, ``zclb/<slug>/index.html``,
#: ``zclb/<slug>/atom.xml``.
FOLDER = "zclb"
#: What separates tags in ``Audience:`` (ASCII and full-width commas, 顿号, semicolons).
SEPARATORS = re.compile(r"[,，、;；\n]")
#: A URL slug: lower-case ASCII letters and digits with single ``-`` or ``_`` between them.
SLUG = re.compile(r"[a-z0-9]+(?:[_-][a-z0-9]+)*")


@dataclass(frozen=True)
class Audience:
    """One configured audience: its tag (as written in ``Audience:``) and its URL slug."""

    tag: str
    slug: str

    @property
    def page_path(self) -> str:
        """The audience's page, relative to the site root."""
        return f"{FOLDER}/{self.slug}/index.html"

    @property
    def feed_path(self) -> str:
        """The audience's Atom feed, relative to the site root."""
        return f"{FOLDER}/{self.slug}/atom.xml"


INDEX_PATH = f"{FOLDER}/index.html"


def load_audiences(value, file: str = "pelicanconf.py") -> tuple[Audience, ...]:
    """The configured audiences from the setting's value; every problem at once (ContentInvalid)."""
    example = "a dict of audience tag -> URL slug, e.g. {\"企业\": \"qiye\", \"个人\": \"geren\"}"
    if not isinstance(value, dict):
        raise ContentInvalid([Problem(file, SETTING, repr(value), example)])
    problems, slugs = [], {}
    for tag, slug in value.items():
        field = f"{SETTING}[{tag!r}]"
        if not isinstance(tag, str) or not tag.strip() or tag != tag.strip() or SEPARATORS.search(tag) \
                or any(ord(c) < 32 for c in tag):
            problems.append(Problem(file, SETTING, repr(tag), "each tag a non-empty text without leading or "
                                    "trailing spaces, commas, 顿号, semicolons or line breaks"))
        elif not isinstance(slug, str) or not SLUG.fullmatch(slug) or len(slug) > 40:
            problems.append(Problem(file, field, repr(slug), f"a URL slug matching {SLUG.pattern} (at most 40 "
                                    "characters), e.g. qiye"))
        elif slug in slugs:
            problems.append(Problem(file, field, slug, f"a slug no other tag uses (also {slugs[slug]!r})"))
        else:
            slugs[slug] = tag
    if problems:
        raise ContentInvalid(problems)
    return tuple(Audience(tag, slug) for tag, slug in value.items())


def audiences_of(settings: dict) -> tuple[Audience, ...]:
    """The audiences a site's settings configure (the defaults when the setting is absent)."""
    return load_audiences(settings.get(SETTING, DEFAULTS))


def parse_tags(file: Path | str, value, audiences: tuple[Audience, ...]) -> tuple[tuple[str, ...], list[Problem]]:
    """The tags of an ``Audience:`` value, in the order written, and the problems: an empty value or
    entry, an unknown tag (with the closest configured one), a tag named twice."""
    text = "\n".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value or "")
    known = [a.tag for a in audiences]
    listed = "configured audiences (GOVSITE_AUDIENCES): " + ("、".join(known) or "none")
    entries = [entry.strip() for entry in SEPARATORS.split(text)]
    if not text.strip():
        return (), [Problem(file, FIELD, text, "one or more audience tags separated by commas (or no Audience "
                            "line); " + listed)]
    tags, problems = [], []
    for entry in entries:
        if not entry:
            problems.append(Problem(file, FIELD, text, "tags separated by single commas (an empty tag between "
                                    "separators); " + listed))
        elif entry not in known:
            close = difflib.get_close_matches(entry, known, n=1, cutoff=0.5)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem(file, FIELD, entry, "one of the " + listed + hint))
        elif entry in tags:
            problems.append(Problem(file, FIELD, entry, "each tag once (named twice)"))
        else:
            tags.append(entry)
    return tuple(tags), problems


def check_audience(file: Path | str, column: Column | None, value, audiences: tuple[Audience, ...]
                   ) -> tuple[tuple[str, ...], list[Problem]]:
    """An article's ``Audience`` (None: no line): its tags and problems, including a tag on a column
    whose type is not 政策文件 or 政策解读."""
    if value is None:
        return (), []
    tags, problems = parse_tags(file, value, audiences)
    if column is not None and column.type not in TAGGED_TYPES:
        problems.append(Problem(file, FIELD, str(value), f"no Audience line: audience tags belong on articles of "
                                f"columns of type {' or '.join(TAGGED_TYPES)} (column {column.slug} is "
                                f"{column.type})"))
    return tags, problems


def hosts_pages(site: Site) -> bool:
    """Whether the site publishes the 政策礼包 pages: a portal (or a national department leading its
    group), for itself and its department sites."""
    return site.leads_group


def pages_site(group: SiteGroup, site: Site) -> Site | None:
    """The site whose 政策礼包 pages list this site's items (None when no site of the group has them)."""
    leader = group.portal_of(site)
    return leader if hosts_pages(leader) else None


def tagged_files(site: Site) -> list[Path]:
    """A site's article sources that carry an ``Audience`` line (any value), sorted."""
    return [Path(path) for path in article_paths(site) if KEY in read_header(path)]


def foreign_tagged_files(group: SiteGroup, site: Site) -> list[Path]:
    """On a site with the 政策礼包 pages: its departments' tagged article sources (read by its build)."""
    if not hosts_pages(site):
        return []
    return [path for other in group.members_of(site)[1:] for path in tagged_files(other)]
