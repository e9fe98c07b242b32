"""The quarterly inspection (季度巡查, 宁夏 2022 notice 三(三)): every site of the group scored from what
its build already wrote, with the single veto (单项否决) of the 检查指标 (standards.md §3).

Inputs per site, as the last build left them: ``<reports>/<domain>/compliance.json`` (content rules,
column states, single veto), ``report.json`` (the accessibility gate), ``links.json`` (the link
check), ``<output>/<domain>/index.html`` (the site is there at all), and its lifecycle events. The
score is 100 minus each indicator's deductions, each capped at the indicator's weight; a single
veto makes the site 不合格 and nothing else is scored [C]; below ``pass_score`` (60 [C]) is 不合格.
Every weight and deduction is a setting (``GOVSITE_INSPECTION``): the 2019 indicators give few of
them [C] and the rest are ours [U] (docs/inspection.md lists which).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .annual_report import publish_due
from .compliance.findings import family_label
from .errors import ContentInvalid, Problem, UsageError
from .lifecycle import Timeline, effective_site
from .registry import Site, SiteGroup
from .vocabulary import VETO_COLUMN_TYPES

SETTING = "GOVSITE_INSPECTION"
SCHEMA = "govsite-inspection/1"
#: The indicators in report order: their labels and default weight and deductions. [C]: from the
#: 2019 检查指标 as quoted in standards.md §3; every other number is the platform's choice [U].
INDICATORS: dict[str, dict] = {
    "freshness": {"label": "栏目更新", "weight": 30,
                  "stale_key_column": 5,  # [C] 政策文件类一级栏目 6 个月未更新 −5 (also 要闻动态, 通知公告)
                  "stale_column": 2, "blank_column": 2, "home_approaching": 1, "undated_page": 1},
    "links": {"label": "链接可用", "weight": 15, "broken_link": 0.5},
    "accessibility": {"label": "无障碍与适老化", "weight": 20, "failing_rule": 2, "warning_rule": 0.5},
    "compliance": {"label": "发布规范", "weight": 25, "error": 2, "warning": 0.5},
    "operation": {"label": "运行管理", "weight": 10, "temporary_offline": 0, "annual_report_overdue": 2},
}
DEFAULTS = {"pass_score": 60, "indicators": INDICATORS}
#: Compliance families scored by their own indicator (not by "compliance").
OWN_FAMILIES = {"freshness": "freshness", "links": "links"}
#: Verdicts: scored sites pass or fail; a site closed for good is listed, not inspected.
PASS, FAIL, NOT_INSPECTED = "合格", "不合格", "不纳入检查"
VERDICTS = (PASS, FAIL, NOT_INSPECTED)
RUNNING, TEMPORARY, CLOSED = "正常运行", "临时下线", "已永久下线"
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter: ``2026Q4``."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        match = re.fullmatch(r"((?:19|20|21)\d{2})[Qq]([1-4])", str(text).strip(), re.ASCII)
        if not match:
            raise UsageError(f"--quarter {text!r}: expected a quarter YYYYQN, e.g. --quarter 2026Q4")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        following = date(self.year + 1, 1, 1) if self.number == 4 else date(self.year, 3 * self.number + 1, 1)
        return following - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}年{QUARTER_NAMES[self.number]}"

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


def load_settings(value, file: str = "pelicanconf.py") -> dict:
    """``GOVSITE_INSPECTION`` laid over DEFAULTS; every bad key or value is a Problem naming it."""
    value = {} if value is None else value
    problems: list[Problem] = []
    if not isinstance(value, dict):
        raise ContentInvalid([Problem(file, SETTING, value, "a dict with keys " + ", ".join(DEFAULTS))])
    _unknown(value, DEFAULTS, SETTING, file, problems)
    pass_score = value.get("pass_score", DEFAULTS["pass_score"])
    if not _number(pass_score) or pass_score > 100:
        problems.append(Problem(file, f"{SETTING}['pass_score']", pass_score, "a number from 0 to 100"))
    given = value.get("indicators", {})
    indicators = {name: dict(spec) for name, spec in INDICATORS.items()}
    if not isinstance(given, dict):
        problems.append(Problem(file, f"{SETTING}['indicators']", given, "a dict of indicator -> dict of numbers"))
        given = {}
    _unknown(given, INDICATORS, f"{SETTING}['indicators']", file, problems)
    for name, spec in given.items():
        where = f"{SETTING}['indicators'][{name!r}]"
        if name not in INDICATORS:
            continue
        if not isinstance(spec, dict):
            problems.append(Problem(file, where, spec, "a dict of " + ", ".join(k for k in INDICATORS[name]
                                                                                 if k != "label")))
            continue
        _unknown(spec, {k: v for k, v in INDICATORS[name].items() if k != "label"}, where, file, problems)
        for key, number in spec.items():
            if key in INDICATORS[name] and key != "label":
                if not _number(number):
                    problems.append(Problem(file, f"{where}[{key!r}]", number, "a number >= 0"))
                else:
                    indicators[name][key] = number
    if problems:
        raise ContentInvalid(problems)
    return {"pass_score": pass_score, "indicators": indicators}


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def _unknown(given: dict, known: dict, where: str, file: str, problems: list[Problem]) -> None:
    for key in given:
        if key not in known:
            close = difflib.get_close_matches(str(key), list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem(file, f"{where}[{key!r}]", given[key], "one of: " + ", ".join(known) + hint))


@dataclass(frozen=True)
class Issue:
    """One problem found on a site: its indicator, the text the notice prints, the points it costs."""

    indicator: str
    text: str
    points: float = 0.0
    veto: bool = False


@dataclass
class SiteInspection:
    """One site's facts as inspected, its issues and its result."""

    site: Site
    domain: str
    state: str
    issues: list[Issue] = field(default_factory=list)
    reports: dict[str, str] = field(default_factory=dict)
    score: float | None = None
    verdict: str = NOT_INSPECTED

    @property
    def veto(self) -> bool:
        return any(i.veto for i in self.issues)

    def deducted(self, settings: dict) -> dict[str, float]:
        """Points deducted per indicator, each capped at the indicator's weight."""
        totals = {}
        for name, spec in settings["indicators"].items():
            spent = sum(i.points for i in self.issues if i.indicator == name and not i.veto)
            totals[name] = round(min(spec["weight"], spent), 2)
        return totals

    def to_dict(self, settings: dict) -> dict:
        labels = {name: spec["label"] for name, spec in settings["indicators"].items()}
        return {"id": self.site.id, "name": self.site.name, "domain": self.domain,
                "kind": "政府门户网站" if self.site.kind == "portal" else "部门网站", "state": self.state,
                "score": self.score, "verdict": self.verdict, "veto": self.veto,
                "deducted": self.deducted(settings),
                "problems": [{"indicator": i.indicator, "label": labels.get(i.indicator, "单项否决"),
                              "text": i.text, "deduction": None if i.veto else i.points, "veto": i.veto}
                             for i in self.issues],
                "reports": self.reports}


def score(inspection: SiteInspection, settings: dict) -> SiteInspection:
    """Set the site's score and verdict: a veto fails it unscored; else 100 − the capped deductions."""
    if inspection.state == CLOSED:
        inspection.score, inspection.verdict = None, NOT_INSPECTED
    elif inspection.veto:
        inspection.score, inspection.verdict = None, FAIL
    else:
        inspection.score = round(max(0.0, 100 - sum(inspection.deducted(settings).values())), 1)
        inspection.verdict = PASS if inspection.score >= settings["pass_score"] else FAIL
    return inspection


# --- reading what the build left -------------------------------------------------------------


def read_report(path: Path, required: dict[str, type], problems: list[Problem]) -> dict | None:
    """A JSON report with these top-level keys and types, or None after adding a problem naming the field."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(Problem(path, "", None, f"a complete JSON report of the last build ({exc}); rebuild the site"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(path, "", type(data).__name__, "a JSON object (a build's report)"))
        return None
    for key, kind in required.items():
        if not isinstance(data.get(key), kind) or (kind is int and isinstance(data.get(key), bool)):
            problems.append(Problem(path, key, data.get(key), f"a JSON {kind.__name__} (rebuild the site)"))
            return None
    return data


COMPLIANCE_KEYS = {"build_day": str, "single_veto": bool, "columns": list, "findings": list}
GATE_KEYS = {"passed": bool, "summary": dict}
LINKS_KEYS = {"passed": bool, "broken": list}


def inspect_site(site: Site, day: date, quarter: Quarter, output: Path, reports: Path, settings: dict,
                 lifecycle_settings: dict | None, problems: list[Problem]) -> SiteInspection:
    """One site's issues as of ``day`` from its build's reports (problems: missing or damaged reports)."""
    current = effective_site(site, day, lifecycle_settings)
    timeline = Timeline.of(site, day, lifecycle_settings)
    maintenance = timeline.maintenance()
    state = CLOSED if timeline.offline() else TEMPORARY if maintenance else RUNNING
    inspection = SiteInspection(site, current.domain, state)
    if state == CLOSED:
        return inspection
    folder = reports / current.domain
    files = {"compliance": folder / "compliance.json", "accessibility": folder / "report.json",
             "links": folder / "links.json"}
    inspection.reports = {name: str(path) for name, path in files.items()}
    before = len(problems)
    compliance = read_report(files["compliance"], COMPLIANCE_KEYS, problems)
    if compliance is None and len(problems) == before:  # absent, not damaged
        problems.append(Problem(files["compliance"], "", None, f"the compliance report of {site.id}'s build: "
                                "run `govsite build` first (or `govsite inspect --build`)"))
    if compliance is not None:
        built = compliance["build_day"]
        if not (str(quarter.first_day) <= built <= str(quarter.last_day)):
            problems.append(Problem(files["compliance"], "build_day", built, f"a build in {quarter} "
                                    f"({quarter.first_day}..{quarter.last_day}): rebuild before inspecting"))
    gate = read_report(files["accessibility"], GATE_KEYS, problems)
    links = read_report(files["links"], LINKS_KEYS, problems)
    if len(problems) > before:
        return inspection
    issues = inspection.issues
    index = output / current.domain / "index.html"
    if not index.is_file() and not maintenance:
        issues.append(Issue("veto", f"站点无法访问：没有已发布的首页（{current.domain}/index.html）", veto=True))
    issues += compliance_issues(compliance, settings["indicators"])
    issues += gate_issues(gate, settings["indicators"]["accessibility"])
    issues += link_issues(links, settings["indicators"]["links"])
    issues += operation_issues(site, timeline, quarter, day, settings["indicators"]["operation"])
    return inspection


def compliance_issues(data: dict, indicators: dict) -> list[Issue]:
    """Vetoes, stale and blank columns, dated lists and the other content rules' findings."""
    fresh, other = indicators["freshness"], indicators["compliance"]
    issues = [Issue("veto", str(f.get("message", "")).removeprefix("单项否决："), veto=True)  # labelled 单项否决
              for f in data["findings"] if isinstance(f, dict) and f.get("veto") and f.get("severity") == "error"]
    for column in data["columns"]:
        if not isinstance(column, dict):
            continue
        name, kind, status = str(column.get("name", "")), str(column.get("type", "")), column.get("status")
        if status == "stale":
            points = fresh["stale_key_column" if kind in VETO_COLUMN_TYPES else "stale_column"]
            issues.append(Issue("freshness", f"栏目“{name}”（{kind}）{column.get('days')} 天未更新（要求 "
                                f"{column.get('stale_days')} 天内）", points))
        elif status == "blank":
            issues.append(Issue("freshness", f"空白栏目“{name}”：开设以来没有发布信息", fresh["blank_column"]))
    for finding in data["findings"]:
        if not isinstance(finding, dict) or finding.get("veto") or finding.get("severity") not in ("error", "warning"):
            continue
        family, rule, message = finding.get("family"), finding.get("rule"), str(finding.get("message", ""))
        if rule != "home-approaching":
            message += f"（{_file_name(finding.get('file'))}）"
        if family == "freshness":
            if rule in ("home-approaching", "undated-item"):
                points = fresh["home_approaching" if rule == "home-approaching" else "undated_page"]
                issues.append(Issue("freshness", message, points))
        elif family not in OWN_FAMILIES:
            issues.append(Issue("compliance", f"{family_label(str(family))}：{message}",
                                other["error" if finding["severity"] == "error" else "warning"]))
    return issues


def _file_name(file) -> str:
    """Where a finding is, without the build machine's folders (a notice is public): ``x.md``, ``site.toml: 首页``."""
    return str(file or "").rsplit("/", 1)[-1]


def gate_issues(data: dict | None, spec: dict) -> list[Issue]:
    """Rules of the accessibility gate with failing or warning findings (one issue per rule)."""
    if data is None:
        return [Issue("accessibility", "无障碍检测报告缺失：本季度未检查（请重新构建）", 0)]
    issues = []
    for rule, entry in (data["summary"].get("by_rule") or {}).items():
        if not isinstance(entry, dict):
            continue
        for status, key, word in (("fail", "failing_rule", "不通过"), ("warn", "warning_rule", "警告")):
            count = entry.get(status) or 0
            if isinstance(count, int) and count > 0:
                issues.append(Issue("accessibility", f"无障碍检测{word}：{rule}（{count} 处）", spec[key]))
    return issues


def link_issues(data: dict | None, spec: dict) -> list[Issue]:
    """One issue per broken internal link or anchor."""
    if data is None:
        return [Issue("links", "链接检查报告缺失：本季度未检查（请重新构建）", 0)]
    return [Issue("links", f"失效链接：{b.get('page', '')} → {b.get('url', '')}（{b.get('message_zh', '')}）",
                  spec["broken_link"]) for b in data["broken"] if isinstance(b, dict)]


def operation_issues(site: Site, timeline: Timeline, quarter: Quarter, day: date, spec: dict) -> list[Issue]:
    """Temporary offlines within the quarter (approved: no points by default), an overdue annual report."""
    issues = []
    for event in timeline.events:
        if event.kind == "temporary_offline" and event.day <= quarter.last_day and event.last_day >= quarter.first_day \
                and event.day <= day:
            issues.append(Issue("operation", f"临时下线 {event.day} 至 {event.last_day}（{event.get('reason')}，"
                                f"{event.get('approval')}）", spec["temporary_offline"]))
    year = publish_due(site, day)
    if year is not None and day > date(day.year, 1, 31):
        issues.append(Issue("operation", f"{year} 年度政府网站工作报表逾期未发布", spec["annual_report_overdue"]))
    return issues


@dataclass
class Inspection:
    """The group's inspection of one quarter."""

    quarter: Quarter
    day: date
    settings: dict
    sites: list[SiteInspection]

    def counts(self) -> dict[str, int]:
        inspected = [s for s in self.sites if s.verdict != NOT_INSPECTED]
        return {"inspected": len(inspected), "passed": sum(1 for s in inspected if s.verdict == PASS),
                "failed": sum(1 for s in inspected if s.verdict == FAIL),
                "vetoed": sum(1 for s in inspected if s.veto)}


def inspect_group(group: SiteGroup, quarter: Quarter, day: date, output: Path | str, reports: Path | str,
                  settings: dict, lifecycle_settings: dict | None = None, progress=None) -> Inspection:
    """Every site inspected as of ``day`` (in ``quarter``); ContentInvalid naming each missing or damaged
    report. ``progress(site_id)`` is called after each site."""
    if not quarter.first_day <= day:
        raise UsageError(f"--quarter {quarter}: the quarter has not begun on {day}")
    day = min(day, quarter.last_day)
    problems: list[Problem] = []
    sites = []
    for site in group:
        sites.append(score(inspect_site(site, day, quarter, Path(output), Path(reports), settings, lifecycle_settings,
                                        problems), settings))
        if progress:
            progress(site.id)
    if problems:
        raise ContentInvalid(problems)
    return Inspection(quarter, day, settings, sites)


def method_text(settings: dict) -> str:
    """How the score is computed, in words (printed on the notice, frozen with it)."""
    parts = [f"{spec['label']} {spec['weight']:g} 分" for spec in settings["indicators"].values()]
    return ("存在单项否决问题的网站直接判定为不合格，不再计分；其他网站满分 100 分，按"
            + "、".join(parts) + f"扣分，每项扣分不超过该项分值；得分低于 {settings['pass_score']:g} 分为不合格。")


def inspection_data(inspection: Inspection, title: str, issuer: str) -> dict:
    """The JSON report (schema ``govsite-inspection/1``)."""
    return {"schema": SCHEMA, "quarter": str(inspection.quarter), "quarter_label": inspection.quarter.label,
            "checked": inspection.day.isoformat(), "title": title, "issuer": issuer,
            "pass_score": inspection.settings["pass_score"], "method": method_text(inspection.settings),
            "indicators": inspection.settings["indicators"], "counts": inspection.counts(),
            "sites": [s.to_dict(inspection.settings) for s in inspection.sites]}
