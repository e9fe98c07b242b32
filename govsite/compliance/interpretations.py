"""Interpretation coverage (政策解读): every policy has an interpretation; graphic ones >= a share per year.

An interpretation is graphic (图解) when its body has an image, video or embedded object, or it has a
lead Image, or ``Form:`` says so (图解, 图文, 视频, 动漫, 音频, graphic, video; 文字/text says it is not).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from govsite.vocabulary import INTERPRETATION_TYPE, POLICY_TYPE

from .findings import Finding
from .items import Item
from .workdays import WorkdayCalendar

GRAPHIC_FORMS = frozenset({"图解", "图文", "视频", "动漫", "音频", "长图", "graphic", "video", "infographic"})
TEXT_FORMS = frozenset({"文字", "text"})
_MEDIA = re.compile(r"<(img|video|svg|object|iframe|embed|picture)\b", re.I)


def is_graphic(item: Item) -> bool:
    form = item.form.strip().lower()
    if form in TEXT_FORMS:
        return False
    return form in GRAPHIC_FORMS or bool(item.image) or bool(_MEDIA.search(item.body or ""))


def coverage(items: list[Item]) -> dict[int, dict]:
    """Per year of the interpretations: how many, how many graphic, the share."""
    years: dict[int, dict] = defaultdict(lambda: {"total": 0, "graphic": 0})
    for item in items:
        if item.column_type == INTERPRETATION_TYPE:
            years[item.year]["total"] += 1
            years[item.year]["graphic"] += is_graphic(item)
    return {y: {**v, "share": v["graphic"] / v["total"]} for y, v in sorted(years.items())}


def check_interpretations(items: list[Item], calendar: WorkdayCalendar, today: date, config: dict,
                          interpretation_days: int) -> list[Finding]:
    """Policies without an interpretation (a warning while the interpretation deadline has not passed),
    and years whose share of graphic interpretations is below the configured share."""
    findings = []
    interpreted = {i.policy for i in items if i.column_type == INTERPRETATION_TYPE and i.policy}
    if config["missing"] != "off":
        for policy in items:
            if policy.column_type != POLICY_TYPE or policy.slug in interpreted:
                continue
            due = calendar.add_workdays(policy.date, interpretation_days)
            level = config["missing"] if today > due else "warning"
            findings.append(Finding("interpretations", "missing", level, policy.file,
                                    f"政策文件“{policy.title}”没有解读（应在 {due} 前发布）",
                                    f"在政策解读栏目发布解读，元数据写 Policy: {policy.slug}"))
    if config["graphic_below"] != "off":
        for year, entry in coverage(items).items():
            if entry["share"] < config["graphic_share"]:
                findings.append(Finding("interpretations", "graphic-share", config["graphic_below"], f"{year}年",
                                        f"{year}年图解类解读 {entry['graphic']}/{entry['total']} 篇"
                                        f"（{entry['share']:.0%}），低于 {config['graphic_share']:.0%}",
                                        "为解读配图表、长图或视频（或以 Form: 图解 标明形式）"))
    return findings
