"""One compliance finding, and the rule families the report groups findings by."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from govsite.errors import GovsiteError

SEVERITIES = ("error", "warning", "info")
#: Display names of the rule families, in report order. Another family (e.g. links) is added by
#: passing findings with its name; its label falls back to the name unless registered here.
FAMILIES: dict[str, str] = {
    "privacy": "隐私保护",
    "review": "审校分离",
    "deadlines": "发布时限",
    "interpretations": "政策解读",
    "freshness": "栏目更新",
    "wording": "表述规范",
    "links": "链接可用",
    "interaction": "政民互动",
    "guides": "办事指南",
}


@dataclass(frozen=True)
class Finding:
    """A broken or doubtful publishing rule: where, which rule, what is wrong and what to do."""

    family: str
    rule: str
    severity: str
    file: str
    message: str
    fix: str = ""
    veto: bool = False  # counts as a single-veto (单项否决) item

    def __str__(self) -> str:
        return f"{self.file}: [{self.family}/{self.rule}] {self.message}" + (f" → {self.fix}" if self.fix else "")

    def to_dict(self) -> dict:
        return asdict(self)


def family_label(family: str) -> str:
    """The Chinese name of a family (the family itself when unknown)."""
    return FAMILIES.get(family, family)


def errors(findings) -> list[Finding]:
    """The findings that fail the build."""
    return [f for f in findings if f.severity == "error"]


class ComplianceFailed(GovsiteError):
    """Error findings: the build fails and the previous output is kept."""

    def __init__(self, findings: list[Finding], report: str = "", veto: bool = False):
        self.findings = list(findings)
        head = f"publishing compliance FAILED ({len(self.findings)} error(s)"
        head += ", single-veto 单项否决)" if veto else ")"
        lines = [head + ":"] + [f"  - {f}" for f in self.findings]
        if report:
            lines.append(f"report: {report}")
        super().__init__("\n".join(lines))
