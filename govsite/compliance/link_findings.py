"""The link check's result (``checks.links``) as findings of the report's "links" family (链接可用)."""

from __future__ import annotations

from .findings import Finding

FIX = "修正链接地址或删除该链接；链接到站群其他网站的，先发布目标页面。"


def link_findings(report) -> list[Finding]:
    """Broken links are errors; links the check could not verify (another site of the group has no
    output yet, e.g. on the group's first build) are notes (info): nothing wrong was found."""
    findings = []
    for severity, items in (("error", report.broken), ("info", report.unverifiable)):
        for item in items:
            data = item.as_dict()
            findings.append(Finding("links", item.code, severity, f"{item.page}:{item.line}",
                                    f"{data['message_zh']}：{item.url}（{item.detail}）", FIX))
    return findings
