"""政府网站年度监管报表 (standards.md §4; 宁夏 2022 notice 三(三)): the supervising office's yearly view of
the group, beside each site's 年度工作报表 (govsite/annual_report.py).

Computed: the sites and their kinds at the year's end (or on the day it is made), the sites opened,
closed, moved to another domain, taken offline for a while or changed that year (the lifecycle events
whose notice is out: the events each site's public record in ``content/_records`` holds, read from the
site.toml timeline so that the portal's page never depends on the order the sites build in), and the
quarterly inspections from the frozen notices (``content/<portal>/inspections/<quarter>.toml``): sites
checked, passed, failed, single vetoes, pass rate and mean score. Not computable from the platform and
marked 未填报: 安全检查, 找错留言办理, 假冒网站处置, 人员培训.
"""

from __future__ import annotations

from datetime import date
from html import escape

from .annual_report import Row, rows_tables
from .inspection import FAIL, NOT_INSPECTED, PASS, QUARTER_NAMES
from .inspection_notice import Notice
from .lifecycle import Timeline
from .registry import SiteGroup

OPENING = "网站开设整合"
CHECKS = "抽查检查"
MANUAL = "其他监管工作"
#: Fields of the 监管年度报表 the platform has no data for (standards.md §4): always 未填报.
NOT_COMPUTED = (("安全检查", "安全检查次数（次）"), ("安全检查", "发现安全问题数量（个）"),
                ("找错留言办理", "收到“我为政府网站找错”留言数量（条）"), ("找错留言办理", "按期办结数量（条）"),
                ("假冒网站处置", "发现并处置假冒政府网站数量（个）"), ("人员培训", "培训次数（次）"),
                ("人员培训", "培训人数（人次）"))
EVENT_LABELS = (("launch", "本年新开设网站数（个）"), ("permanent_offline", "本年关停（永久下线）网站数（个）"),
                ("domain_change", "本年变更域名网站数（个）"), ("temporary_offline", "本年临时下线（次）"),
                ("info_change", "本年基本信息变更（次）"))


def supervision_rows(group: SiteGroup, notices: list[Notice], year: int, today: date,
                     lifecycle_settings: dict | None = None) -> list[Row]:
    """The report's rows for ``year`` as of ``today`` (the year's end once it is over)."""
    day = min(today, date(year, 12, 31))
    rows: list[Row] = []
    timelines = {site.id: Timeline.of(site, day, lifecycle_settings) for site in group}
    running = [s for s in group if not timelines[s.id].offline()]
    rows.append(Row(OPENING, f"运行中的网站总数（个，截至 {day}）", len(running), "站群配置"))
    rows.append(Row(OPENING, "其中：政府门户网站（个）", sum(1 for s in running if s.kind == "portal"), "站群配置"))
    rows.append(Row(OPENING, "其中：部门网站（个）", sum(1 for s in running if s.kind != "portal"), "站群配置"))
    for kind, label in EVENT_LABELS:
        events = [(site_id, e) for site_id, t in timelines.items() for e in t.published()
                  if e.kind == kind and e.day.year == year]
        value = len(events) if kind in ("temporary_offline", "info_change") else len({s for s, _ in events})
        rows.append(Row(OPENING, label, value, "生命周期记录"))
    by_quarter = {n.quarter.number: n for n in notices if n.quarter.year == year}
    checked = passed = 0
    for number, name in QUARTER_NAMES.items():
        notice = by_quarter.get(number)
        if notice is None:
            rows.append(Row(CHECKS, f"{name}：检查情况", None, "未通报"))
            continue
        inspected = [s for s in notice.sites if s["verdict"] != NOT_INSPECTED]
        ok = sum(1 for s in inspected if s["verdict"] == PASS)
        scores = [s["score"] for s in inspected if s["score"] is not None]
        checked, passed = checked + len(inspected), passed + ok
        origin = f"季度通报（{notice.file.name}）"
        rows += [Row(CHECKS, f"{name}：检查网站数（个）", len(inspected), origin),
                 Row(CHECKS, f"{name}：合格（个）", ok, origin),
                 Row(CHECKS, f"{name}：不合格（个）", sum(1 for s in inspected if s["verdict"] == FAIL), origin),
                 Row(CHECKS, f"{name}：单项否决（个）", sum(1 for s in inspected if s["veto"]), origin),
                 Row(CHECKS, f"{name}：合格率", _rate(ok, len(inspected)), origin),
                 Row(CHECKS, f"{name}：平均得分（计分网站）", round(sum(scores) / len(scores), 1) if scores else None,
                     origin if scores else "无计分网站")]
    rows.append(Row(CHECKS, "全年检查网站次数（个次）", checked, "季度通报"))
    rows.append(Row(CHECKS, "全年合格率", _rate(passed, checked) if checked else None,
                    "季度通报" if checked else "未通报"))
    rows += [Row(f"{MANUAL}：{section}", label, None, "未填报") for section, label in NOT_COMPUTED]
    return rows


def _rate(passed: int, total: int) -> str | None:
    return f"{passed / total:.1%}" if total else None


def years_of(notices: list[Notice]) -> list[int]:
    """Years with at least one frozen notice (their report is published), newest first."""
    return sorted({n.quarter.year for n in notices}, reverse=True)


def report_html(rows: list[Row], year: int, issuer: str) -> str:
    """The body of the portal page."""
    return (f"<p>{escape(issuer)} {year} 年度政府网站监管报表。数据来自站群配置、各网站生命周期记录和已发布的季度检查通报；"
            "平台无法统计的项目如实标明“未填报”。</p>\n" + rows_tables(rows))

