"""The site group: load every ``content/<site-id>/site.toml`` and validate it as a whole.

``load_group(content_dir)`` returns a :class:`SiteGroup` or raises
:class:`~govsite.errors.GroupInvalid` listing every problem at once, each
naming the file, the field, the value and what is expected.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import identity
from .boundary import check_inside, link_problems
from .errors import GroupInvalid, Problem
from .lifecycle import check_domain_claims, check_lifecycle
from .svg_safety import check_svg
from .toml_files import TomlUnreadable, read_toml
from .vocabulary import COLUMN_TYPES, LIFECYCLE_EVENTS, SITE_KINDS

SITE_FILE = "site.toml"
#: The setting through which ``govsite.build`` hands a site's Pelican run the group it already loaded
#: (loading walks every site folder: ``boundary.link_problems``); without it the plugin loads the group.
GROUP_SETTING = "GOVSITE_GROUP"

#: Column slugs that would collide with folders the build writes (``zclb``: the 政策礼包 pages,
#: govsite/audiences.py FOLDER).
RESERVED_SLUGS = frozenset(
    {"theme", "images", "attachments", "pages", "feeds", "static", "sitemap", "404", "index", "robots", "zclb"}
)

#: Allowed keys per table, with whether each is required.
SITE_KEYS = {
    "kind": True, "name": True, "organizer": True, "operator": True, "domain": True,
    "parent": False, "site_code": True, "icp": True, "police_filing": True, "logo": True,
    "description": False, "contact": True, "columns": True, "badges": False, "lifecycle": False,
    "compliance": False,
}
CONTACT_KEYS = {"phone": True, "email": True, "address": True, "postcode": False}
COLUMN_KEYS = {"slug": True, "name": True, "type": True, "description": True, "keywords": False}
BADGE_KEYS = {"conac_id": False, "conac_script": False, "zhaocuo_url": False}
#: ``[compliance]``: per-site facts for the publishing rules (compliance/): list keys and date keys.
COMPLIANCE_LISTS = ("allowed_numbers", "own_sources", "warn_only")
COMPLIANCE_DATES = ("as_of", "backdating_since", "migrated")


@dataclass(frozen=True)
class Contact:
    """The site's public contact details (联系方式)."""

    phone: str
    email: str
    address: str
    postcode: str = ""


@dataclass(frozen=True)
class Column:
    """One column (栏目) of a site."""

    slug: str
    name: str
    type: str
    description: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Badges:
    """Optional badge and widget settings (CONAC badge, 找错 entry)."""

    conac_id: str = ""
    conac_script: str = ""
    zhaocuo_url: str = ""


@dataclass(frozen=True)
class Site:
    """One site of the group, as declared in its site.toml."""

    id: str
    folder: Path
    kind: str
    name: str
    organizer: str
    operator: str
    domain: str
    site_code: str
    icp: str
    police_filing: str
    logo: str
    contact: Contact
    columns: tuple[Column, ...]
    parent: str = ""
    description: str = ""
    badges: Badges = field(default_factory=Badges)
    lifecycle: tuple[dict, ...] = ()
    compliance: dict = field(default_factory=dict)

    @property
    def file(self) -> Path:
        """Path of the site's site.toml."""
        return self.folder / SITE_FILE

    @property
    def url(self) -> str:
        """The site's canonical absolute URL, ending in ``/``."""
        return f"https://{self.domain}/"

    @property
    def police_record_code(self) -> str:
        """The 14-digit record code of the public-security filing."""
        return identity.police_record_code(self.police_filing)

    @property
    def leads_group(self) -> bool:
        """Heads a group of department sites: a regional portal, or a national department (site code
        ``bm…``, no parent) leading its ministry's site group."""
        return self.kind == "portal" or (self.kind == "department" and not self.parent)

    def column(self, slug: str) -> Column | None:
        """The column with this slug, or None."""
        return next((c for c in self.columns if c.slug == slug), None)


@dataclass(frozen=True)
class SiteGroup:
    """All sites of one content folder, validated together."""

    root: Path
    sites: dict[str, Site]

    def __iter__(self):
        return iter(self.sites.values())

    def __len__(self) -> int:
        return len(self.sites)

    def get(self, site_id: str) -> Site | None:
        """The site with this id, or None."""
        return self.sites.get(site_id)

    def portal_of(self, site: Site) -> Site:
        """The same-level portal of a site (the site itself for a portal)."""
        return self.sites[site.parent] if site.parent else site

    def departments_of(self, portal: Site) -> list[Site]:
        """Department sites whose parent is this portal."""
        return [s for s in self if s.parent == portal.id]

    def members_of(self, site: Site) -> list[Site]:
        """The sites of ``site``'s group: the site leading it (its portal) first, then its departments."""
        leader = self.portal_of(site)
        return [leader, *self.departments_of(leader)]


def load_group(content_dir: Path | str) -> SiteGroup:
    """Load and validate every site under ``content_dir``; raise GroupInvalid on any problem."""
    root = Path(content_dir)
    if not root.is_dir():
        raise GroupInvalid([Problem(root, "", None, "a content folder with one sub-folder per site")])
    problems: list[Problem] = []
    sites: dict[str, Site] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name[0] not in "._"):
        site = _read_site(folder, problems)
        if site is not None:
            sites[site.id] = site
    if not sites and not problems:
        problems.append(Problem(root, "", None, f"at least one site folder containing {SITE_FILE}"))
    _check_group(sites, problems)
    if problems:
        raise GroupInvalid(problems)
    return SiteGroup(root=root, sites=sites)


def _read_site(folder: Path, problems: list[Problem]) -> Site | None:
    """Read one site.toml, appending problems; returns a Site unless the file is unreadable."""
    path = folder / SITE_FILE
    if not identity.SITE_ID.fullmatch(folder.name):
        problems.append(Problem(folder, "site id (folder name)", folder.name,
                                "a lower-case id: a letter, then letters, digits or hyphens"))
    links = link_problems(folder, folder.parent)  # before anything of the folder is read
    problems += links
    if any(Path(p.file) in (folder, path) for p in links):
        return None
    if not path.is_file():
        problems.append(Problem(path, "", None, f"a {SITE_FILE} describing the site in {folder}"))
        return None
    try:
        data = read_toml(path)
    except TomlUnreadable as exc:
        problems.append(Problem(path, "", None, exc.expected))
        return None

    check = _TableChecker(path, problems)
    check.keys(data, SITE_KEYS, "")
    text = {key: check.string(data, key, "") for key in SITE_KEYS
            if key not in {"contact", "columns", "badges", "lifecycle", "compliance"}}
    kind = text["kind"]
    if kind and kind not in SITE_KINDS:
        problems.append(Problem(path, "kind", kind, "one of: " + ", ".join(SITE_KINDS)))
    _check_site_values(path, text, problems)
    contact = _read_contact(check, data.get("contact"))
    columns = _read_columns(check, data.get("columns"))
    badges = _read_badges(check, data.get("badges"))
    lifecycle = _read_lifecycle(check, data.get("lifecycle"), folder)
    compliance = _read_compliance(check, data.get("compliance"))
    _check_logo(folder, path, text["logo"], problems)
    # Returned even when invalid, so the group rules can still be checked across sites.
    return Site(
        id=folder.name, folder=folder, kind=kind, name=text["name"], organizer=text["organizer"],
        operator=text["operator"], domain=text["domain"], site_code=text["site_code"],
        icp=text["icp"], police_filing=text["police_filing"], logo=text["logo"],
        contact=contact, columns=columns, parent=text["parent"],
        description=text["description"], badges=badges, lifecycle=lifecycle, compliance=compliance,
    )


class _TableChecker:
    """Checks keys and value types of TOML tables, recording problems against one file."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = path
        self.problems = problems

    def add(self, field_name: str, value: Any, expected: str) -> None:
        self.problems.append(Problem(self.path, field_name, value, expected))

    def keys(self, table: dict, allowed: dict[str, bool], prefix: str) -> None:
        """Report unknown keys (with a suggestion) and missing required keys."""
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, list(allowed), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.add(prefix + key, table[key], "no such key; allowed: " + ", ".join(allowed) + hint)
        for key, required in allowed.items():
            if required and key not in table:
                self.add(prefix + key, None, "this required key to be set")

    def rules(self, values: dict[str, str], rules: dict, prefix: str) -> None:
        """Apply ``{key: check_* rule}`` to the non-empty values, recording what each breaks."""
        for key, rule in rules.items():
            if values.get(key) and (expected := rule(values[key])):
                self.add(prefix + key, values[key], expected)

    def string(self, table: dict, key: str, prefix: str) -> str:
        """The value as a stripped string ('' when missing); non-strings are problems."""
        value = table.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.add(prefix + key, value, "a string")
            return ""
        if not value.strip() and key in table:
            self.add(prefix + key, value, "a non-empty string")
        return value.strip()


#: What each top-level string is, as a ``check_*`` rule of govsite.identity.
SITE_RULES = {
    "domain": identity.check_domain,
    "site_code": identity.check_site_code,
    "icp": identity.check_icp,
    "police_filing": identity.check_police_filing,
    "name": identity.check_text,
    "organizer": identity.check_text,
    "operator": identity.check_text,
    "description": identity.check_text,
}
CONTACT_RULES = {
    "phone": identity.check_phone,
    "email": identity.check_email,
    "address": identity.check_text,
    "postcode": identity.check_postcode,
}
#: ``{site_code}`` is filled in (govsite.theme_context): the URL is checked with a code in its place.
ZHAOCUO_PLACEHOLDER = "{site_code}"
CONAC_SCRIPT_PREFIX = "https://dcs.conac.cn/js/"


def check_zhaocuo_url(url: str) -> str | None:
    """The 找错 link: an https URL, where ``{site_code}`` is the only placeholder."""
    if identity.check_https_url(url.replace(ZHAOCUO_PLACEHOLDER, "9901000001")) is None:
        return None
    return "an absolute https:// URL (no spaces, quotes or <>; {site_code} is the only placeholder)"


def check_conac_script(url: str) -> str | None:
    """The per-site CONAC badge script URL."""
    if url.startswith(CONAC_SCRIPT_PREFIX) and identity.check_https_url(url) is None:
        return None
    return f"the script URL issued by CONAC ({CONAC_SCRIPT_PREFIX}...)"


BADGE_RULES = {
    "conac_id": identity.check_conac_id,
    "conac_script": check_conac_script,
    "zhaocuo_url": check_zhaocuo_url,
}
COLUMN_RULES = {"name": identity.check_text, "description": identity.check_text}


def _check_site_values(path: Path, text: dict[str, str], problems: list[Problem]) -> None:
    """Apply the per-value identity rules to the site's top-level strings."""
    for key, rule in SITE_RULES.items():
        if text[key] and (expected := rule(text[key])):
            problems.append(Problem(path, key, text[key], expected))
    if text["kind"] == "portal":
        if text["name"] and (expected := identity.check_portal_name(text["name"])):
            problems.append(Problem(path, "name", text["name"], expected))
        if text["domain"] and not identity.check_domain(text["domain"]):
            if expected := identity.check_portal_domain(text["domain"]):
                problems.append(Problem(path, "domain", text["domain"], expected))
        if text["parent"]:
            problems.append(Problem(path, "parent", text["parent"],
                                    "no parent on a portal (parent is for department sites)"))
    elif text["kind"] == "department":
        if text["name"] and text["organizer"]:
            if expected := identity.check_department_name(text["name"], text["organizer"]):
                problems.append(Problem(path, "name", text["name"], expected))
        if not text["parent"] and not identity.is_national_department(text["site_code"]):
            problems.append(Problem(path, "parent", None, "the site id of the department's portal (only a "
                                    "national department, site code bm + 8 digits, may lead its own group)"))
        elif not text["parent"] and text["domain"] and not identity.check_domain(text["domain"]):
            if expected := identity.check_portal_domain(text["domain"]):      # it leads: its own www. domain
                problems.append(Problem(path, "domain", text["domain"], expected + " (a national department "
                                        "leading its own group)"))


def _read_contact(check: _TableChecker, table: Any) -> Contact:
    if table is None:
        return Contact("", "", "")
    if not isinstance(table, dict):
        check.add("contact", table, "a [contact] table with phone, email and address")
        return Contact("", "", "")
    check.keys(table, CONTACT_KEYS, "contact.")
    values = {key: check.string(table, key, "contact.") for key in CONTACT_KEYS}
    check.rules(values, CONTACT_RULES, "contact.")
    return Contact(**values)


def _read_columns(check: _TableChecker, tables: Any) -> tuple[Column, ...]:
    if tables is None:
        return ()
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        check.add("columns", tables, "one or more [[columns]] tables")
        return ()
    columns, seen = [], set()
    for index, table in enumerate(tables):
        prefix = f"columns[{index}]."
        check.keys(table, COLUMN_KEYS, prefix)
        slug = check.string(table, "slug", prefix)
        name = check.string(table, "name", prefix)
        column_type = check.string(table, "type", prefix)
        description = check.string(table, "description", prefix)
        keywords = _keywords(check, table.get("keywords"), prefix + "keywords") or (name,)
        check.rules({"name": name, "description": description}, COLUMN_RULES, prefix)
        if slug and not identity.COLUMN_SLUG.fullmatch(slug):
            check.add(prefix + "slug", slug, "a lower-case slug of letters, digits and hyphens")
        elif slug in RESERVED_SLUGS:
            check.add(prefix + "slug", slug, "a slug not reserved by the platform ("
                      + ", ".join(sorted(RESERVED_SLUGS)) + ")")
        elif slug in seen:
            check.add(prefix + "slug", slug, "a column slug unique within the site")
        seen.add(slug)
        if column_type and column_type not in COLUMN_TYPES:
            close = difflib.get_close_matches(column_type, COLUMN_TYPES, n=1, cutoff=0.3)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            check.add(prefix + "type", column_type, "one of: " + ", ".join(COLUMN_TYPES) + hint)
        columns.append(Column(slug, name, column_type, description, keywords))
    return tuple(columns)


def _keywords(check: _TableChecker, value: Any, field_name: str) -> tuple[str, ...]:
    """Keywords as a tuple, from a TOML list of strings or a comma-separated string."""
    if value is None:
        return ()
    if isinstance(value, str):
        keywords = tuple(k.strip() for k in value.replace("，", ",").split(",") if k.strip())
    elif isinstance(value, list) and all(isinstance(k, str) for k in value):
        keywords = tuple(k.strip() for k in value if k.strip())
    else:
        check.add(field_name, value, "a list of strings or a comma-separated string")
        return ()
    for keyword in keywords:
        if expected := identity.check_text(keyword):
            check.add(field_name, keyword, expected)
    return keywords


def _read_badges(check: _TableChecker, table: Any) -> Badges:
    if table is None:
        return Badges()
    if not isinstance(table, dict):
        check.add("badges", table, "a [badges] table")
        return Badges()
    check.keys(table, BADGE_KEYS, "badges.")
    values = {key: check.string(table, key, "badges.") for key in BADGE_KEYS}
    check.rules(values, BADGE_RULES, "badges.")
    return Badges(**values)


def _read_compliance(check: _TableChecker, table: Any) -> dict:
    """``[compliance]``: lists of strings and ISO dates (their meaning is checked by compliance/)."""
    if table is None:
        return {}
    if not isinstance(table, dict):
        check.add("compliance", table, "a [compliance] table")
        return {}
    check.keys(table, dict.fromkeys(COMPLIANCE_LISTS + COMPLIANCE_DATES, False), "compliance.")
    values: dict = {}
    for key in COMPLIANCE_LISTS:
        value = table.get(key, [])
        if isinstance(value, list) and all(isinstance(v, str) and v.strip() and not identity.check_text(v)
                                           for v in value):
            values[key] = tuple(v.strip() for v in value)
        else:
            check.add("compliance." + key, value, "a list of non-empty single-line strings")
    for key in COMPLIANCE_DATES:
        value = table.get(key)
        if value is None:
            continue
        try:
            values[key] = value if type(value) is date else date.fromisoformat(str(value))
        except ValueError:
            check.add("compliance." + key, value, "a date YYYY-MM-DD")
    return values


def _read_lifecycle(check: _TableChecker, tables: Any, folder: Path) -> tuple[dict, ...]:
    """Lifecycle events are kept as declared; here only their event names and the place of a
    ``pages`` file (read by the build) are checked."""
    if tables is None:
        return ()
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        check.add("lifecycle", tables, "[[lifecycle]] tables")
        return ()
    for index, table in enumerate(tables):
        event = table.get("event")
        if event not in LIFECYCLE_EVENTS:
            check.add(f"lifecycle[{index}].event", event, "one of: " + ", ".join(LIFECYCLE_EVENTS))
        pages = table.get("pages")
        where = f"lifecycle[{index}].pages"
        if isinstance(pages, str) and (problem := check_inside(folder, pages, check.path, where)):
            check.problems.append(problem)
    return tuple(dict(t) for t in tables)


def _check_logo(folder: Path, path: Path, logo: str, problems: list[Problem]) -> None:
    """The logo exists inside the site folder and really is an SVG or PNG image."""
    if not logo:
        return
    if problem := check_inside(folder, logo, path, "logo"):
        problems.append(problem)
        return
    file = (folder / logo).resolve()
    if not file.is_file():
        problems.append(Problem(path, "logo", logo, f"an existing image file (not found: {file})"))
        return
    head = file.read_bytes()[:1024]
    if file.suffix.lower() == ".png" and head.startswith(b"\x89PNG\r\n\x1a\n"):
        return
    if file.suffix.lower() == ".svg" and b"<svg" in file.read_bytes()[:4096]:
        problems += check_svg(folder / logo, field="logo (SVG)")  # published and opened on the site's domain
        return
    problems.append(Problem(path, "logo", logo, "an SVG (.svg) or PNG (.png) image"))


def _check_group(sites: dict[str, Site], problems: list[Problem]) -> None:
    """Rules across sites: unique codes, domains and organizers; parents exist and lead a group (a portal,
    or a national department leading its ministry's group)."""
    for attribute, what in (("site_code", "site identification code"), ("domain", "domain"),
                            ("organizer", "organizer (one site per organization)")):
        owners: dict[str, Site] = {}
        for site in sites.values():
            value = getattr(site, attribute)
            if value in owners:
                problems.append(Problem(site.file, attribute, value,
                                        f"a {what} unique in the group (also used by {owners[value].file})"))
            else:
                owners[value] = site
    for site in sites.values():
        problems.extend(check_lifecycle(site, sites, site.file))
    reported = {(p.file, p.field) for p in problems}  # a new domain already refused is not reported twice
    problems.extend(p for p in check_domain_claims(sites) if (p.file, p.field) not in reported)
    for site in sites.values():
        if site.kind != "department" or not site.parent:
            continue
        parent = sites.get(site.parent)
        if parent is None:
            problems.append(Problem(site.file, "parent", site.parent,
                                    "the id of a portal site (or a national department leading its group) in "
                                    "this group: " + ", ".join(s.id for s in sites.values() if s.leads_group)))
        elif not parent.leads_group:
            problems.append(Problem(site.file, "parent", site.parent, "a site whose kind is portal, or a national "
                                    "department (site code bm…) without parent that leads its group"))
        elif expected := identity.check_department_domain(site.domain, parent.domain):
            problems.append(Problem(site.file, "domain", site.domain, expected))
