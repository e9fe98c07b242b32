"""A draft ``site.toml`` for a site that does not exist yet, from what the old pages say.

Identity comes from the pages' ``SiteName``/``SiteDomain``/``SiteIDCode`` tags (the most common
value wins) and the old footer (主办单位, 运行维护单位, 网站标识码, ICP备案号, 公安机关备案号, 联系方式,
the CONAC badge), the logo from the home page's header; ``[site]`` in the mapping file overrides
any of it. Values that were not found are left empty with a ``# TODO`` comment. The draft is
validated with govsite.registry against the rest of the group; its problems are reported (the
group does not validate until an editor fills them in — see docs/migration.md).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from govsite import identity
from govsite.errors import GroupInvalid, Problem
from govsite.registry import SITE_FILE, load_group
from govsite.toml_files import TomlUnreadable, read_toml

from .columns import ColumnSpec
from .values import toml_comment, toml_value

DRAFT_MARK = "# DRAFT"
_LABELS = {
    "name": "网站名称", "organizer": "主办单位", "operator": "运行维护单位", "domain": "域名",
    "site_code": "网站标识码", "icp": "ICP备案号", "police_filing": "公安机关备案号", "logo": "网站标志（SVG/PNG）",
    "parent": "上级门户的站点 id", "phone": "联系电话", "email": "电子邮箱", "address": "通讯地址",
}


def _most_common(values) -> str:
    values = [v.strip() for v in values if v and v.strip()]
    return Counter(values).most_common(1)[0][0] if values else ""


def site_facts(results) -> dict:
    """Identity facts voted across pages; footer facts from the home page first, then list pages."""
    facts = {
        "name": _most_common(r.site_meta.get("SiteName", "") for r in results),
        "domain": _most_common(r.site_meta.get("SiteDomain", "").lower().split("/")[0] for r in results),
        "site_code": _most_common(r.site_meta.get("SiteIDCode", "") for r in results),
    }
    ordered = sorted((r for r in results if r.footer), key=lambda r: r.kind != "home")
    for key in ("icp", "police_filing", "site_code", "organizer", "operator", "phone", "email", "address",
                "postcode", "conac_id"):
        if not facts.get(key):
            facts[key] = _most_common(r.footer.get(key, "") for r in ordered[:50])
    home = next((r for r in results if r.kind == "home"), None)
    facts["description"] = home.seo_description if home else ""
    facts["logo_url"] = next((r.logo[0] for r in ordered if r.logo), "")
    return facts


def existing_sites(content_dir: Path, exclude: str) -> list[dict]:
    """The other sites' site.toml data (unreadable ones are skipped)."""
    sites = []
    if not content_dir.is_dir():
        return sites
    for folder in sorted(p for p in content_dir.iterdir() if p.is_dir() and p.name[0] not in "._"):
        if folder.name == exclude or not (folder / SITE_FILE).is_file():
            continue
        try:
            data = read_toml(folder / SITE_FILE)
        except (TomlUnreadable, OSError):
            continue
        sites.append({"id": folder.name, "folder": folder, **data})
    return sites


def _parent_of(domain: str, sites: list[dict]) -> str:
    for site in sites:
        if site.get("kind") == "portal" and isinstance(site.get("domain"), str):
            base = site["domain"].removeprefix("www.")
            if domain.endswith("." + base) and domain != site["domain"]:
                return site["id"]
    return ""


def _q(value) -> str:
    """A legacy value as TOML (read back by tomllib as exactly that value)."""
    return toml_value(value)


def _key(key: str) -> str:
    """A TOML key: bare when it is one, else quoted (mapping-file keys are the user's)."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_value(key)


#: Publishing-rule families whose errors are warnings for a freshly imported site (see the draft's comment).
IMPORTED_WARN_ONLY = ("review", "deadlines", "interpretations")


def draft_toml(site_id: str, facts: dict, columns: list[ColumnSpec], overrides: dict, sites: list[dict],
               logo_rel: str, source_label: str, grace_days: int = 30) -> tuple[str, list[str]]:
    """The draft's text and the list of values an editor must supply or check. ``[compliance] migrated``
    is the first import's day (kept from an earlier draft): the freshness rules' grace of ``grace_days``
    (GOVSITE_COMPLIANCE['freshness']['migration_grace_days']) starts there."""
    name = overrides.get("name") or facts.get("name", "")
    domain = overrides.get("domain") or facts.get("domain", "")
    kind = overrides.get("kind") or ("portal" if name and not identity.check_portal_name(name) else "department")
    values = {
        "kind": kind, "name": name, "organizer": facts.get("organizer", ""), "operator": facts.get("operator", ""),
        "domain": domain, "site_code": facts.get("site_code", ""), "icp": facts.get("icp", ""),
        "police_filing": facts.get("police_filing", ""), "logo": logo_rel,
        "description": facts.get("description", ""),
    }
    if kind == "department":
        values["parent"] = _parent_of(domain, sites)
        if not values["parent"] and identity.is_national_department(facts.get("site_code", "")):
            del values["parent"]      # a national department leads its own group (docs/content.md)
    for key, value in overrides.items():
        if not isinstance(value, (dict, list)):
            values[key] = value
    todo = []
    lines = [f"{DRAFT_MARK} site.toml written by `invoke migrate` from {source_label} on {date.today()}.",
             "# Review every value, fill in each TODO, then delete these DRAFT lines. Until then the group does",
             "# not validate (`invoke validate` lists what is missing). Values come from the old pages' metadata",
             "# tags and footer; the importer rewrites this file only while nobody has edited it.", ""]
    order = ("kind", "name", "organizer", "operator", "domain", "parent", "site_code", "icp", "police_filing",
             "logo", "description")
    for key in order:
        if key not in values or (key == "description" and not values[key]):
            continue
        value = values[key]
        comment = ""
        if value in ("", None):
            comment = f"  # TODO: {_LABELS.get(key, key)} (not found on the old site)"
            todo.append(key)
        elif key == "kind" and "kind" not in overrides:
            comment = "  # guessed from the name: check"
        lines.append(f"{_key(key)} = {_q(value)}{comment}")
    contact = dict(overrides.get("contact") or {})
    lines += ["", "[contact]"]
    for key in ("phone", "email", "address", "postcode"):
        value = contact.get(key) or facts.get(key, "")
        if value:
            lines.append(f"{_key(key)} = {_q(value)}")
        elif key != "postcode":
            lines.append(f"{key} = \"\"  # TODO: {_LABELS[key]} (not found on the old site)")
            todo.append(f"contact.{key}")
    badges = dict(overrides.get("badges") or {})
    if facts.get("conac_id") and "conac_id" not in badges:
        badges["conac_id"] = facts["conac_id"]
    if badges:
        lines += ["", "[badges]"] + [f"{_key(k)} = {_q(v)}" for k, v in badges.items()]
    lines += ["", "[compliance]",
              "# Imported articles were published before the platform, without its review and deadline rules:",
              "# those findings are warnings until an editor has gone through them (then delete warn_only), and",
              "# files first committed before the day after the import are not checked for back-dating.",
              f'warn_only = {_q(list(IMPORTED_WARN_ONLY))}',
              f"backdating_since = {date.today() + timedelta(days=1)}",
              "# The day of the migration: the imported content is the old site's age, so column and home-page",
              f"# freshness errors are warnings for {grace_days} days from it (GOVSITE_COMPLIANCE['freshness']",
              "# ['migration_grace_days']); after that the normal rules apply.",
              f"migrated = {migrated_day(overrides)}"]
    for column in columns:
        lines += ["", "[[columns]]", f"slug = {_q(column.slug)}", f"name = {_q(column.name)}",
                  f"type = {_q(column.type)}" + (f"  # {toml_comment('; '.join(column.review))}" if column.review else ""),
                  f"description = {_q(column.description)}"]
        if column.keywords:
            lines.append(f"keywords = {_q(list(column.keywords))}")
        if column.review:
            todo.append(f"columns.{column.slug}: " + "; ".join(column.review))
    return "\n".join(lines) + "\n", todo


def migrated_day(overrides: dict) -> date:
    """The migration day: an earlier draft's ``[compliance] migrated``, else today."""
    earlier = (overrides.get("compliance") or {}).get("migrated") if isinstance(overrides.get("compliance"), dict) \
        else None
    return earlier if type(earlier) is date else date.today()


def read_columns(path: Path) -> list[ColumnSpec]:
    """The columns of an existing site.toml (read directly: the group may not validate yet)."""
    data = read_toml(path)
    columns = []
    for table in data.get("columns") or []:
        if isinstance(table, dict) and isinstance(table.get("slug"), str):
            keywords = table.get("keywords") or []
            if isinstance(keywords, str):
                keywords = [k.strip() for k in keywords.replace("，", ",").split(",") if k.strip()]
            columns.append(ColumnSpec(table["slug"], str(table.get("name", "")), str(table.get("type", "")),
                                      str(table.get("description", "")), list(keywords)))
    return columns


def validate(content_dir: Path, site_id: str, text: str, files: dict[str, bytes]) -> list[Problem]:
    """The registry's problems with the draft (named as in the real content folder), checked in a
    scratch copy of the group's configuration."""
    scratch = Path(tempfile.mkdtemp(prefix="migrate-validate-"))
    try:
        for site in existing_sites(content_dir, site_id):
            target = scratch / site["id"]
            target.mkdir()
            shutil.copy2(site["folder"] / SITE_FILE, target / SITE_FILE)
            logo = site.get("logo")
            if isinstance(logo, str) and logo and (site["folder"] / logo).is_file():
                (target / logo).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(site["folder"] / logo, target / logo)
        draft = scratch / site_id
        draft.mkdir()
        (draft / SITE_FILE).write_text(text, "utf-8")
        for rel, data in files.items():
            (draft / rel).parent.mkdir(parents=True, exist_ok=True)
            (draft / rel).write_bytes(data)
        try:
            load_group(scratch)
        except GroupInvalid as exc:
            mine, real = str(draft), str(content_dir / site_id)
            return [replace(p, file=str(p.file).replace(mine, real).replace(str(scratch), str(content_dir)),
                            expected=p.expected.replace(mine, real).replace(str(scratch), str(content_dir)))
                    for p in exc.problems if mine in str(p.file) or mine in p.expected]
        return []
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
