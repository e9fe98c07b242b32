"""The 办事指南 family (办事指南): the same 事项编码 published by two sites of a group with a different
办理时限 or 收费标准 (the notice asks guides to be 与线下办理保持一致; one item cannot have two)."""

from __future__ import annotations

from govsite.service_guides import Guide, mismatches

from .findings import Finding

FAMILY = "guides"
RULES = {"办理时限": "guide-time-limit-differs", "收费标准": "guide-fee-differs"}
FIX = "核对各网站该事项的办事指南，统一为政务服务事项实施清单中的办理时限和收费标准（与线下办理保持一致）。"


def check_guides(site_id: str, guides: dict[str, list[Guide]], level: str, whole_group: bool) -> list[Finding]:
    """One finding per differing element of a 事项编码 the group's sites share, at ``level`` (error,
    warning, or off: none). On the site leading the group (``whole_group``) every such code; on
    another site, the codes of its own guides. The finding names this site's guide file."""
    if level == "off":
        return []
    findings = []
    for mismatch in mismatches(g for site_guides in guides.values() for g in site_guides):
        mine = [g for g in mismatch.guides if g.site_id == site_id]
        if not mine and not whole_group:
            continue
        shown = "；".join(f"{site}：{value}" for site, value in mismatch.values().items())
        name = mismatch.guides[0].name
        findings.append(Finding(FAMILY, RULES[mismatch.element], level, str((mine or mismatch.guides)[0].file),
                                f"事项编码 {mismatch.code}（{name}）在各网站的{mismatch.element}不一致：{shown}", FIX))
    return findings
