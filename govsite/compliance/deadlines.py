"""Publishing deadlines on the working-day calendar, future dates and back-dating (伪造发稿日期).

Policy documents (政策文件) go online within N working days of ``Issued``; interpretations (政策解读,
``Policy:`` = the policy's slug) within M working days of the policy's publication. Dates are
compared as Beijing days.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from govsite.vocabulary import INTERPRETATION_TYPE, POLICY_TYPE

from .findings import Finding
from .items import Item
from .workdays import WorkdayCalendar


def policies_by_slug(items: list[Item]) -> dict[str, Item]:
    return {i.slug: i for i in items if i.column_type == POLICY_TYPE}


def check_deadlines(items: list[Item], calendar: WorkdayCalendar, config: dict) -> list[Finding]:
    """Issued → online and policy → interpretation deadlines; missing or wrong Issued/Policy."""
    late, metadata = config["late"], config["metadata"]
    findings = []
    policies = policies_by_slug(items)
    for item in items:
        if item.column_type == POLICY_TYPE and metadata != "off" and item.issued is None:
            findings.append(Finding("deadlines", "policy-issued", metadata, item.file, "政策文件缺少成文/印发日期 Issued",
                                    "填写 Issued: YYYY-MM-DD（文件印发日期）"))
        elif item.column_type == POLICY_TYPE and item.issued is not None:
            issued, online = item.issued.date(), item.date.date()
            if issued > online and metadata != "off":
                findings.append(Finding("deadlines", "policy-issued", metadata, item.file,
                                        f"印发日期 {issued} 晚于发布日期 {online}", "核对 Issued 与 Date"))
            elif late != "off" and (used := calendar.workdays_between(issued, online)) > config["policy_days"]:
                due = calendar.add_workdays(issued, config["policy_days"])
                findings.append(Finding("deadlines", "policy-late", late, item.file,
                                        f"政策文件印发（{issued}）后第 {used} 个工作日才发布（应在 {due} 前，"
                                        f"{config['policy_days']} 个工作日内）", "今后文件印发后及时发布；不得改动发布日期"))
        if item.column_type == INTERPRETATION_TYPE and item.policy:
            policy = policies.get(item.policy)
            if policy is None:
                if metadata != "off":
                    findings.append(Finding("deadlines", "interpretation-policy", metadata, item.file,
                                            f"Policy: {item.policy} 不是本站政策文件栏目中的文章",
                                            "填写所解读政策文件的文件名（slug）：" + ("、".join(sorted(policies)) or "本站尚无政策文件")))
                continue
            used = calendar.workdays_between(policy.date, item.date)
            if late != "off" and used > config["interpretation_days"]:
                due = calendar.add_workdays(policy.date, config["interpretation_days"])
                findings.append(Finding("deadlines", "interpretation-late", late, item.file,
                                        f"解读在政策文件发布（{policy.date.date()}）后第 {used} 个工作日才发布"
                                        f"（应在 {due} 前）", "政策文件与解读同步组织、同步审签、同步部署"))
    return findings


def check_dates(items: list[Item], now: datetime, first_commits: dict[str, datetime], config: dict,
                since: date | None = None) -> list[Finding]:
    """Dates after the build time, and dates before the file's first commit (minus a tolerance).

    Only files first committed on or after ``since`` are checked for back-dating (content imported
    when the site adopted the platform keeps its original dates)."""
    findings = []
    tolerance = timedelta(hours=config["backdating_tolerance_hours"])
    for item in items:
        if config["future"] != "off" and item.date > now:
            findings.append(Finding("deadlines", "future-date", config["future"], item.file,
                                    f"发布日期 {item.date:%Y-%m-%d %H:%M} 晚于本次构建时间 {now:%Y-%m-%d %H:%M}",
                                    "填写实际发布时间；定时发布请到时再构建"))
        committed = first_commits.get(item.file)
        if config["backdating"] == "off" or committed is None or (
                since and committed.astimezone(item.date.tzinfo).date() < since):
            continue
        if item.date < committed - tolerance:
            findings.append(Finding("deadlines", "backdated", config["backdating"], item.file,
                                    f"发布日期 {item.date:%Y-%m-%d %H:%M} 早于文件首次提交 {committed:%Y-%m-%d %H:%M}"
                                    "（倒签发稿日期属弄虚作假，单项否决）",
                                    "把 Date 改为实际发布时间", veto=True))
    return findings
