"""Column inspection (栏目更新, standards.md §3): blank, stale and approaching columns, the home page,
dated list items, and the single-veto (单项否决) totals."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from lxml import html as lxml_html

from govsite.file_memo import ProcessFileMemo
from govsite.vocabulary import VETO_COLUMN_TYPES

from .findings import Finding
from .items import Item


@dataclass(frozen=True)
class ColumnState:
    """One column as inspected: its newest item and how old it is against its thresholds."""

    slug: str
    name: str
    type: str
    items: int
    newest: date | None
    days: int | None
    stale_days: int | None
    warn_days: int | None

    @property
    def status(self) -> str:
        if self.newest is None:
            return "blank"
        if self.stale_days is None:
            return "no-cycle"
        if self.days > self.stale_days:
            return "stale"
        return "approaching" if self.days >= self.warn_days else "ok"

    def to_dict(self) -> dict:
        return {"slug": self.slug, "name": self.name, "type": self.type, "items": self.items,
                "newest": self.newest.isoformat() if self.newest else None, "days": self.days,
                "stale_days": self.stale_days, "warn_days": self.warn_days, "status": self.status}


def column_states(columns, items: list[Item], as_of: date, thresholds: dict[str, tuple[int, int]]) -> list[ColumnState]:
    """Every column of the site with its newest item, days since, and thresholds."""
    states = []
    for column in columns:
        dates = [i.date.date() for i in items if i.column == column.slug]
        newest = max(dates) if dates else None
        stale, warn = thresholds.get(column.type, (None, None))
        states.append(ColumnState(column.slug, column.name, column.type, len(dates), newest,
                                  max((as_of - newest).days, 0) if newest else None, stale, warn))
    return states


def migration_grace(migrated: date | None, as_of: date, grace_days: int) -> date | None:
    """The last day of a migrated site's freshness grace (site.toml ``[compliance] migrated`` plus
    ``grace_days``) when ``as_of`` falls within it; None otherwise (not migrated, or the grace is over)."""
    if migrated is None:
        return None
    end = migrated + timedelta(days=grace_days)
    return end if as_of <= end else None


def check_freshness(file: str, states: list[ColumnState], items: list[Item], as_of: date, config: dict,
                    grace_until: date | None = None) -> list[Finding]:
    """Findings per column and for the home page, then the single-veto totals. Within a migration's
    grace (``grace_until``, see :func:`migration_grace`) every error is a warning that says so: the
    imported content's age is the old site's, not a failure of the new one."""
    findings = []
    for state in states:
        where = f"{file}: 栏目 {state.name}（{state.slug}）"
        if state.status == "blank" and config["blank"] != "off":
            findings.append(Finding("freshness", "blank-column", config["blank"], where,
                                    "空白栏目：开设以来没有发布任何信息", "发布内容，或在 site.toml 中撤销该栏目"))
        elif state.status == "stale" and config["stale"] != "off":
            findings.append(Finding("freshness", "stale-column", config["stale"], where,
                                    f"{state.days} 天未更新（{state.type}栏目要求 {state.stale_days} 天内更新，"
                                    f"最近一条 {state.newest}）", "尽快发布该栏目的新信息"))
        elif state.status == "approaching" and config["approaching"] != "off":
            findings.append(Finding("freshness", "approaching", config["approaching"], where,
                                    f"已 {state.days} 天未更新，{state.stale_days} 天即超期", "近期安排更新"))
    newest = max((i.date.date() for i in items), default=None)
    home_days = (as_of - newest).days if newest else None
    if home_days is None or home_days > config["home_days"]:
        findings.append(Finding("freshness", "home-stale", "error", f"{file}: 首页",
                                f"首页 {home_days if home_days is not None else '从未'} 天没有新信息"
                                f"（{config['home_days']} 天未更新即单项否决）", "立即发布新信息", veto=True))
    elif home_days >= config["home_warn_days"]:
        findings.append(Finding("freshness", "home-approaching", "warning", f"{file}: 首页",
                                f"首页已 {home_days} 天没有新信息", f"{config['home_days']} 天内务必更新"))
    findings += _veto(file, states, config)
    if grace_until is not None:
        findings = [_in_grace(f, grace_until) if f.severity == "error" else f for f in findings]
    return findings


def _in_grace(finding: Finding, grace_until: date) -> Finding:
    veto = "，本应单项否决" if finding.veto else ""
    return replace(finding, severity="warning", veto=False,
                   message=f"{finding.message}（迁移宽限期内按警告处理{veto}，宽限期至 {grace_until}）",
                   fix=f"{finding.fix}；{grace_until} 之后按正常规则检查")


def _veto(file: str, states: list[ColumnState], config: dict) -> list[Finding]:
    """The column rules of the single-veto (单项否决) indicator."""
    stale_veto = [s for s in states if s.status == "stale" and s.type in VETO_COLUMN_TYPES]
    stale_all = [s for s in states if s.status == "stale"]
    blank = [s for s in states if s.status == "blank"]
    findings = []
    for found, limit, what in ((stale_veto, config["veto_stale_columns"], "动态要闻、通知公告、政策文件类栏目未按期更新"),
                               (stale_all, config["veto_unupdated_columns"], "应更新但长期未更新的栏目"),
                               (blank, config["veto_blank_columns"], "空白栏目")):
        if limit and len(found) >= limit:
            findings.append(Finding("freshness", "single-veto", "error", file,
                                    f"单项否决：{what}共 {len(found)} 个（达到 {limit} 个）："
                                    + "、".join(s.name for s in found), "逐一更新或撤并这些栏目", veto=True))
    return findings


def undated_items(page: Path) -> tuple[int, str]:
    """How many items of a list page's item lists show no date (<time datetime>), and the first three's
    titles."""
    tree = lxml_html.fromstring(page.read_text("utf-8", errors="replace"))
    undated = [li for li in tree.xpath('//ul[contains(concat(" ", @class, " "), " item-list ")]/li')
               if not li.xpath(".//time[@datetime]")]
    return len(undated), "、".join(" ".join(li.text_content().split())[:20] for li in undated[:3])


#: ``undated_items`` remembered by file identity: a watching process's next build parses only the list
#: pages it rendered again (the kept ones are the same files).
_undated_items = ProcessFileMemo(undated_items)


def check_list_dates(output: Path | str, level: str = "error") -> list[Finding]:
    """Every item of every list page (home and columns) shows a date (<time>): an undated item counts as
    not updated (2015 普查)."""
    findings = []
    output = Path(output)
    pages = [output / "index.html", *sorted(output.glob("*/index*.html"))]
    for page in pages:
        if not page.is_file():
            continue
        count, titles = _undated_items(page)
        if count:
            findings.append(Finding("freshness", "undated-item", level, page.relative_to(output).as_posix(),
                                    f"{count} 个列表项没有显示日期（如：{titles}）",
                                    "列表模板为每一项输出 <time datetime=…> 日期"))
    return findings
