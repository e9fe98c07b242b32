"""Old columns (栏目) to new column slugs: the mapping file, the site's columns, or new draft columns.

Mapping file (TOML, ``--mapping FILE``)::

    [columns]
    "工作动态" = "yaowen"             # old column name -> a column slug of the site
    "/xwzx/tzgg/" = "tzgg"            # old URL path prefix -> slug (longest prefix wins)
    "领导信箱" = ""                    # "" : do not import these pages (reported as skipped)
    "政策解读" = { slug = "zcjd", name = "政策解读", type = "政策解读", description = "…" }

    [site]                            # values for a draft site.toml (icp, police_filing, parent, ...)
    icp = "宁ICP备99990001号-1"

A column that is neither mapped nor in the site is created in a draft site.toml (slug from the old
URL's folder, else the pinyin initials of its name); for a reviewed site.toml it is an error naming
the column, and a suggested mapping is written next to the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from govsite.registry import COLUMN_KEYS, RESERVED_SLUGS, SITE_KEYS
from govsite.toml_files import TomlUnreadable, read_toml
from govsite.vocabulary import COLUMN_TYPES

from .errors import MappingInvalid
from .values import toml_string

SLUG = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
_GENERIC_SEGMENTS = {"art", "col", "content", "contents", "html", "htm", "info", "pub", "site", "www", "web",
                     "page", "pages", "list", "detail", "details", "article", "articles", "index", "default",
                     "cms", "module", "upload", "uploads", "files", "file", "static", "attach", "attachments",
                     "images", "img", "main", "channel", "node", "shtml", "a", "c", "n", "t"}
_DATE_SEGMENT = re.compile(r"^(?:19|20)\d{2}(?:\d{2}(?:\d{2})?)?$|^\d{1,2}$|^col\d+$|^[a-z]?\d+$")
#: Words in a column name -> the column type they suggest (first match wins).
TYPE_HINTS = (
    ("解读", "政策解读"), ("图解", "政策解读"), ("政策", "政策文件"), ("文件", "政策文件"), ("法规", "政策文件"),
    ("通知", "通知公告"), ("公告", "通知公告"), ("公示", "通知公告"), ("人事", "人事信息"), ("招聘", "人事信息"),
    ("任免", "人事信息"), ("招录", "人事信息"), ("规划", "规划计划"), ("计划", "规划计划"),
    ("互动", "互动交流"), ("信箱", "互动交流"), ("留言", "互动交流"), ("访谈", "互动交流"), ("征集", "互动交流"),
    ("机构", "机构概况"), ("领导", "机构概况"), ("职能", "机构概况"), ("办事", "办事服务"), ("服务", "办事服务"),
    ("指南", "办事服务"),
    ("专题", "专题专栏"), ("专栏", "专题专栏"), ("数据", "数据发布"), ("统计", "数据发布"), ("公开", "信息公开"),
    ("动态", "要闻动态"), ("要闻", "要闻动态"), ("新闻", "要闻动态"), ("工作", "要闻动态"),
)


@dataclass
class ColumnSpec:
    """A column of the target site, existing or to be created in the draft."""

    slug: str
    name: str
    type: str
    description: str
    keywords: list[str] = field(default_factory=list)
    created: bool = False           # added to the draft by the importer
    review: list[str] = field(default_factory=list)   # what an editor should check
    old_names: set[str] = field(default_factory=set)
    pages: int = 0


@dataclass
class Mapping:
    """The parsed mapping file."""

    by_name: dict[str, str | None] = field(default_factory=dict)
    by_prefix: list[tuple[str, str | None]] = field(default_factory=list)
    specs: dict[str, dict] = field(default_factory=dict)          # slug -> name/type/description
    site: dict = field(default_factory=dict)
    path: str = ""


def load_mapping(path: Path | str | None) -> Mapping:
    """Read and check a mapping file; errors name the file and the key."""
    mapping = Mapping()
    if not path:
        return mapping
    path = Path(path)
    mapping.path = str(path)
    try:
        data = read_toml(path)
    except FileNotFoundError as exc:
        raise MappingInvalid(f"--mapping {path}: no such file") from exc
    except TomlUnreadable as exc:
        raise MappingInvalid(f"{path}: expected {exc.expected}") from None
    unknown = set(data) - {"columns", "site"}
    if unknown:
        raise MappingInvalid(f"{path}: {sorted(unknown)[0]}: unknown table; expected [columns] and [site]")
    for old, value in (data.get("columns") or {}).items():
        where = f"{path}: columns.{old!r}"
        if isinstance(value, dict):
            extra = set(value) - set(COLUMN_KEYS)
            if extra:
                raise MappingInvalid(f"{where}.{sorted(extra)[0]}: unknown key; allowed: {', '.join(COLUMN_KEYS)}")
            slug = value.get("slug", "")
            if value.get("type") and value["type"] not in COLUMN_TYPES:
                raise MappingInvalid(f"{where}.type = {value['type']!r}: expected one of {', '.join(COLUMN_TYPES)}")
            mapping.specs[slug] = {k: v for k, v in value.items() if k != "slug"}
        elif isinstance(value, str):
            slug = value
        else:
            raise MappingInvalid(f"{where} = {value!r}: expected a column slug (string), \"\" or a table")
        if slug and (not SLUG.match(slug) or slug in RESERVED_SLUGS):
            raise MappingInvalid(f"{where} = {slug!r}: expected a lower-case column slug (letters, digits, "
                                 "hyphens), not reserved by the platform")
        if old.startswith("/"):
            mapping.by_prefix.append((old, slug or None))
        else:
            mapping.by_name[old.strip()] = slug or None
    mapping.by_prefix.sort(key=lambda item: -len(item[0]))
    site = data.get("site") or {}
    if not isinstance(site, dict):
        raise MappingInvalid(f"{path}: site: expected a [site] table")
    for key in site:
        if key not in SITE_KEYS or key == "columns":
            raise MappingInvalid(f"{path}: site.{key}: unknown key; allowed: "
                                 + ", ".join(k for k in SITE_KEYS if k != "columns"))
    mapping.site = site
    return mapping


def guess_type(name: str, declared: str = "") -> tuple[str, bool]:
    """A column type from the ColumnType tag, else from words in the name; ``(type, guessed)``."""
    declared_types = [t for t in re.split(r"[,，、;；\s]+", declared or "") if t in COLUMN_TYPES]
    if declared_types:
        return (name if name in declared_types else declared_types[0]), False
    for word, column_type in TYPE_HINTS:
        if word in name:
            return column_type, True
    return "要闻动态", True


def clean_segment(segment: str) -> str:
    """A URL folder name as a slug candidate, or "" when it is not a meaningful column name."""
    segment = unquote(segment).strip().lower().replace("_", "-")
    if not SLUG.match(segment) or segment in _GENERIC_SEGMENTS or _DATE_SEGMENT.match(segment):
        return ""
    return "" if segment in RESERVED_SLUGS else segment


def folder_slug(url: str) -> str:
    """The last meaningful folder of a URL path (``/xwzx/gzdt/202403/t2024_1.html`` -> ``gzdt``)."""
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if parts and "." in parts[-1]:
        parts = parts[:-1]
    for part in reversed(parts):
        if slug := clean_segment(part):
            return slug
    return ""


def pinyin_slug(name: str) -> str:
    """Pinyin initials of a Chinese name (工作动态 -> gzdt), the usual slug style of government sites."""
    from pypinyin import Style, lazy_pinyin

    letters = "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore") if p)
    slug = re.sub(r"[^a-z0-9]+", "", letters.lower())[:20]
    return slug if slug and slug[0].isalpha() and slug not in RESERVED_SLUGS else ""


_HAN = re.compile(r"[\u3400-\u9fff]+")


def pinyin_segment(segment: str) -> str:
    """A path segment with each run of Chinese characters as its pinyin initials (``2022年会议`` ->
    ``2022nhy``), so a folder or file named in Chinese gets a readable slug as pages do."""
    from pypinyin import Style, lazy_pinyin

    return _HAN.sub(lambda m: "".join(p[0] for p in lazy_pinyin(m.group(0), style=Style.FIRST_LETTER) if p),
                    segment).lower() if _HAN.search(segment) else segment


class ColumnResolver:
    """Decides the new column of each old column, creating draft columns where allowed."""

    def __init__(self, existing: list[ColumnSpec], mapping: Mapping, can_create: bool):
        self.columns: dict[str, ColumnSpec] = {c.slug: c for c in existing}
        self.mapping = mapping
        self.can_create = can_create
        self.unmapped: dict[str, int] = {}

    def _by_name(self, name: str) -> ColumnSpec | None:
        return next((c for c in self.columns.values() if c.name == name or name in c.old_names), None)

    def resolve(self, name: str, url: str, column_url: str = "", meta: dict | None = None) -> tuple[str | None, str]:
        """``(slug, why)``; slug None means skip (mapped to "") or unknown (why says which)."""
        meta = meta or {}
        name = (name or "").strip()
        path = unquote(urlsplit(column_url or url).path)
        if name in self.mapping.by_name:
            slug = self.mapping.by_name[name]
            return (self._ensure(slug, name, meta), "mapping file") if slug else (None, f"column {name!r} mapped to \"\" (not imported)")
        for prefix, slug in self.mapping.by_prefix:
            if unquote(urlsplit(url).path).startswith(prefix) or path.startswith(prefix):
                return (self._ensure(slug, name, meta), "mapping file") if slug else (None, f"URL prefix {prefix} mapped to \"\" (not imported)")
        if name and (column := self._by_name(name)):
            column.old_names.add(name)
            return column.slug, "same column name"
        candidate = folder_slug(column_url) if column_url else ""
        candidate = candidate or folder_slug(url)
        if candidate and candidate in self.columns and (not name or self.columns[candidate].name == name
                                                        or not self.can_create):
            if name:
                self.columns[candidate].old_names.add(name)
            return candidate, "same URL folder"
        if not self.can_create:
            key = name or path.rsplit("/", 1)[0] + "/"
            self.unmapped[key] = self.unmapped.get(key, 0) + 1
            return None, (f"old column {key!r} is not a column of the site: map it in the mapping file "
                          f"(\"{key}\" = \"<slug>\")")
        return self._create(name, candidate, meta), "new column in the draft site.toml"

    def _ensure(self, slug: str, name: str, meta: dict) -> str:
        if slug in self.columns:
            if name:
                self.columns[slug].old_names.add(name)
            return slug
        spec = self.mapping.specs.get(slug, {})
        if not self.can_create and not spec:
            raise MappingInvalid(f"{self.mapping.path}: columns.{name!r} = {slug!r}: the site has no such column "
                                 "(existing: " + ", ".join(self.columns) + ")")
        return self._create(spec.get("name") or name or slug, slug, meta, forced=True)

    def _create(self, name: str, slug: str, meta: dict, forced: bool = False) -> str:
        name = name or slug
        review = []
        if not forced:
            slug = slug or pinyin_slug(name) or f"column{len(self.columns) + 1}"
            base, n = slug, 2
            while slug in self.columns:
                slug, n = f"{base}-{n}", n + 1
        spec = self.mapping.specs.get(slug, {})
        column_type, guessed = guess_type(name, spec.get("type") or meta.get("ColumnType", ""))
        if guessed:
            review.append(f"type {column_type!r} guessed from the name")
        description = spec.get("description") or meta.get("ColumnDescription") or name
        if not (spec.get("description") or meta.get("ColumnDescription")):
            review.append("description is the column name")
        keywords = spec.get("keywords") or [k for k in re.split(r"[,，、;；\s]+", meta.get("ColumnKeywords", "")) if k]
        if isinstance(keywords, str):
            keywords = [k for k in re.split(r"[,，、;；]+", keywords) if k.strip()]
        self.columns[slug] = ColumnSpec(slug, spec.get("name") or name, column_type, description, list(keywords),
                                        created=True, review=review, old_names={name} if name else set())
        return slug

    def suggestion(self) -> str:
        """A mapping file for the unmapped old columns, for the user to complete."""
        lines = ["# Suggested by invoke migrate: give each old column a column slug of the site", "[columns]"]
        lines += [f'{toml_string(key)} = ""   # {count} page(s); existing: {", ".join(self.columns)}'
                  for key, count in sorted(self.unmapped.items())]
        return "\n".join(lines) + "\n"
