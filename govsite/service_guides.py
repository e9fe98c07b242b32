"""办事指南 (service guides): one TOML data file per guide, ``content/<site>/guides/<slug>.toml``.

A guide holds every element the issue's list of 办事指南 elements requires (docs/content.md "Service
guides"): 事项名称, 事项编码, 办理依据, 受理条件, 申请材料 (form and count of each), 办理流程, 办理时限
(法定 and 承诺 working days), 收费标准 (or 不收费), 办理地点和时间, 咨询电话, 监督投诉电话, 在线办理入口 and
可办理程度. ``read_guides`` returns the valid guides and every problem, each naming the file and the
element (its Chinese name and its key). ``mismatches`` compares the guides of a site group: the same
事项编码 on two sites with different 办理时限 or 收费标准. Values are untrusted text: the theme escapes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable

from .datafiles import Field, Record, data_files, page_name_problem, read_folder
from .errors import ContentInvalid, Problem
from .identity import check_https_url, check_phone
from .registry import Site, SiteGroup
from .urls import as_browser_reads, url_scheme

#: Where a site keeps its guides, and the output folder of their pages.
FOLDER = "guides"
SETTING = "GOVSITE_SERVICE_GUIDES"
#: 可办理程度: online from end to end, partly online, only at the service hall.
LEVELS = ("全程网办", "部分网办", "线下办理")
ONLINE_LEVEL, OFFLINE_LEVEL = "全程网办", "线下办理"
#: 材料形式 of one application material.
FORMS = ("原件", "复印件", "原件和复印件", "电子件")
NO_FEE = "不收费"
#: 事项编码, read loosely [U]: GB/T 39554.1-2020 gives basic codes (基本编码) and implementation codes
#: (实施编码, with the 18-character 统一社会信用代码 of the implementing body) of upper-case letters and
#: digits; the lengths of each part were not confirmed, so any 6-40 such characters, optionally in
#: groups joined by hyphens, are accepted. ``GOVSITE_SERVICE_GUIDES["code_pattern"]`` replaces it.
CODE_PATTERN = r"^(?=(?:-?[0-9A-Z]){6,40}$)[0-9A-Z]+(?:-[0-9A-Z]+)*$"
DEFAULTS = {"code_pattern": CODE_PATTERN}
#: A guide's file name is its URL slug (datafiles.PAGE_NAME); ``index`` and ``group`` are the catalogue pages.
RESERVED_SLUGS = ("index", "group")

MATERIAL_FIELDS = (
    Field("name", "材料名称"),
    Field("form", "材料形式", "choice", choices=FORMS),
    Field("count", "份数", "int"),
    Field("source", "来源渠道", required=False),
    Field("notes", "备注", required=False),
)
SCHEMA = (
    Field("name", "事项名称"),
    Field("code", "事项编码"),
    Field("level", "可办理程度", "choice", choices=LEVELS),
    Field("basis", "办理依据", "texts"),
    Field("conditions", "受理条件", "texts"),
    Field("materials", "申请材料", "tables", fields=MATERIAL_FIELDS),
    Field("steps", "办理流程", "texts"),
    Field("legal_days", "办理时限（法定，工作日）", "int"),
    Field("promised_days", "办理时限（承诺，工作日）", "int"),
    Field("fee", "收费标准"),
    Field("fee_basis", "收费依据", required=False),
    Field("place", "办理地点"),
    Field("hours", "办理时间"),
    Field("phone", "咨询电话"),
    Field("complaint_phone", "监督投诉电话"),
    Field("online_url", "在线办理入口", required=False),
    Field("updated", "更新日期", "date", required=False),
)
LABELS = {spec.key: spec.label for spec in SCHEMA} | {f"materials.{spec.key}": spec.label for spec in MATERIAL_FIELDS}


@dataclass(frozen=True)
class Material:
    """One application material (申请材料): its name, form and number of copies."""

    name: str
    form: str
    count: int
    source: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Guide:
    """One valid 办事指南 of one site."""

    site_id: str
    file: Path
    slug: str
    name: str
    code: str
    level: str
    basis: tuple[str, ...]
    conditions: tuple[str, ...]
    materials: tuple[Material, ...]
    steps: tuple[str, ...]
    legal_days: int
    promised_days: int
    fee: str
    fee_basis: str
    place: str
    hours: str
    phone: str
    complaint_phone: str
    online_url: str
    updated: date | None

    @property
    def url(self) -> str:
        """The guide page's path inside its site."""
        return f"{FOLDER}/{self.slug}.html"

    @property
    def free(self) -> bool:
        return self.fee == NO_FEE

    @property
    def time_limit(self) -> str:
        """办理时限 as one text (0 working days is 即办, on the spot)."""
        return f"法定办结时限：{days_text(self.legal_days)}；承诺办结时限：{days_text(self.promised_days)}"

    @property
    def fee_text(self) -> str:
        """收费标准 as one text: 不收费, or the fee with its basis."""
        return self.fee if self.free else f"{self.fee}（收费依据：{self.fee_basis}）"


def days_text(days: int) -> str:
    return "即办" if days == 0 else f"{days}个工作日"


def labelled(problem: Problem) -> Problem:
    """The problem with the element's Chinese name and key first: ``办理依据 (basis): ...``."""
    key = re.sub(r"\[\d+\]", "", problem.field)
    label = LABELS.get(key)
    if not label:
        return problem
    expected = problem.expected.removeprefix(f"{label}: ")
    return Problem(problem.file, problem.field, problem.value, f"{label} ({key.rsplit('.', 1)[-1]}): {expected}")


def record_problems(record: Record, pattern: re.Pattern) -> list[Problem]:
    """The rules across a guide's fields (each field has its kind checked already)."""
    problems = []
    code = record["code"]
    if code is not None and not pattern.fullmatch(code):
        problems.append(record.problem("code", f"a service item code matching {pattern.pattern} (upper-case "
                                               "letters and digits, as the 政务服务事项目录 gives it)"))
    for key in ("basis", "conditions", "steps", "materials"):
        if record[key] == []:
            problems.append(record.problem(key, "at least one entry"))
    for index, material in enumerate(record["materials"] or ()):
        if material.get("count") == 0:
            problems.append(Problem(record.file, f"materials[{index}].count", 0, "份数: at least 1"))
    legal, promised = record["legal_days"], record["promised_days"]
    if legal is not None and promised is not None and promised > legal:
        problems.append(record.problem("promised_days", f"a promised time limit (承诺办结时限) no longer than the "
                                                        f"legal one (法定办结时限, {legal} working days)"))
    fee, basis = record["fee"], record["fee_basis"]
    if fee is not None and fee != NO_FEE and basis is None:
        problems.append(record.problem("fee_basis", f"收费依据 for a fee (or fee = \"{NO_FEE}\")"))
    for key in ("phone", "complaint_phone"):
        if record[key] is not None and (expected := check_phone(record[key])):
            problems.append(record.problem(key, expected))
    url = record["online_url"]
    if url is None and record["level"] not in (None, OFFLINE_LEVEL):
        problems.append(record.problem("online_url", f"an https:// address of the online service (only a "
                                                     f"{OFFLINE_LEVEL} item may have none)"))
    elif url is not None and (url_scheme(url) != "https" or check_https_url(as_browser_reads(url))
                              or url != as_browser_reads(url)):
        problems.append(record.problem("online_url", check_https_url(url) or "an https:// URL"))
    return problems


def guide_of(site_id: str, record: Record) -> Guide:
    values = dict(record.values)
    materials = tuple(Material(m["name"], m["form"], m["count"], m["source"] or "", m["notes"] or "")
                      for m in values.pop("materials"))
    for key in ("basis", "conditions", "steps"):
        values[key] = tuple(values[key])
    for key in ("fee_basis", "online_url"):
        values[key] = values[key] or ""
    return Guide(site_id=site_id, file=record.file, slug=record.file.stem, materials=materials, **values)


def read_guides(site: Site, code_pattern: str = CODE_PATTERN) -> tuple[list[Guide], list[Problem]]:
    """The site's valid guides (by file name) and the problems of the others, every one at once."""
    pattern = re.compile(code_pattern)
    records, problems = read_folder(site.folder / FOLDER, SCHEMA)
    problems = [labelled(p) for p in problems]
    slugs: dict[str, Path] = {}
    codes: dict[str, Path] = {}
    for record in records:
        slug = record.file.stem
        if problem := page_name_problem(record.file, RESERVED_SLUGS):
            problems.append(problem)
        elif slug in slugs:
            problems.append(Problem(record.file, "file name", record.file.name,
                                    f"a file name no other guide has ({slugs[slug]}): it is the page's URL"))
        slugs.setdefault(slug, record.file)
        problems += [labelled(p) for p in record_problems(record, pattern)]
        code = record["code"]
        if code is not None and code in codes:
            problems.append(labelled(record.problem("code", f"a code no other guide of the site has (also in "
                                                            f"{codes[code]})")))
        codes.setdefault(code, record.file)
    bad = {Path(p.file) for p in problems}
    guides = [guide_of(site.id, r) for r in records if r.file not in bad]
    return sorted(guides, key=lambda g: (g.code, g.slug)), problems


def site_guides(site: Site, code_pattern: str = CODE_PATTERN) -> list[Guide]:
    """The site's guides; ContentInvalid naming every problem when one is not valid."""
    guides, problems = read_guides(site, code_pattern)
    if problems:
        raise ContentInvalid(problems)
    return guides



def group_guides(group: SiteGroup, site: Site, code_pattern: str = CODE_PATTERN) -> dict[str, list[Guide]]:
    """The valid guides of every site of ``site``'s group, by site id (a site's invalid guides fail its
    own build; here they are left out)."""
    return {member.id: read_guides(member, code_pattern)[0] for member in group.members_of(site)}


def guide_files(group: SiteGroup, site: Site) -> list[Path]:
    """Every guide file of ``site``'s group (for the fingerprint of what a build reads)."""
    return [path for member in group.members_of(site) for path in data_files(member.folder / FOLDER)]


@dataclass(frozen=True)
class Mismatch:
    """One 事项编码 whose guides on two or more sites differ in one element."""

    code: str
    element: str  # 办理时限 or 收费标准
    guides: tuple[Guide, ...]

    def values(self) -> dict[str, str]:
        """The element's value on each site (site id -> text)."""
        return {g.site_id: COMPARED[self.element](g) for g in self.guides}


#: The elements compared across sites, and how each is read for the comparison.
COMPARED = {
    "办理时限": lambda g: g.time_limit,
    "收费标准": lambda g: " ".join(g.fee.split()),
}


def mismatches(guides: Iterable[Guide]) -> list[Mismatch]:
    """Per 事项编码 published by two or more sites: each compared element whose values differ."""
    by_code: dict[str, list[Guide]] = {}
    for guide in guides:
        by_code.setdefault(guide.code, []).append(guide)
    found = []
    for code, same in sorted(by_code.items()):
        if len({g.site_id for g in same}) < 2:
            continue
        for element, value in COMPARED.items():
            if len({value(g) for g in same}) > 1:
                found.append(Mismatch(code, element, tuple(sorted(same, key=lambda g: g.site_id))))
    return found


def check_settings(value, source: str = "pelicanconf.py") -> dict:
    """``GOVSITE_SERVICE_GUIDES`` with defaults filled in; ContentInvalid naming a bad key."""
    if value is None:
        return dict(DEFAULTS)
    if not isinstance(value, dict) or set(value) - set(DEFAULTS):
        raise ContentInvalid([Problem(source, SETTING, value, "a dict with keys " + ", ".join(DEFAULTS))])
    pattern = value.get("code_pattern", CODE_PATTERN)
    try:
        re.compile(pattern)
    except (TypeError, re.error) as exc:
        raise ContentInvalid([Problem(source, f"{SETTING}['code_pattern']", pattern,
                                      f"a regular expression ({exc})")]) from None
    return {**DEFAULTS, **value}
