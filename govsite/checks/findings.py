"""The finding: one problem on one page, from either engine, with what the policy made of it."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

#: axe-core's impact levels, least to most severe.
IMPACTS: tuple[str, ...] = ("minor", "moderate", "serious", "critical")
#: What the policy decided about a finding.
STATUSES: tuple[str, ...] = ("fail", "warn", "review", "waived", "baseline", "disabled")
#: Findings that say a page could not be checked truthfully (an engine or rule error, a page the browser
#: could not check, a dialog the page opened): they always fail and are never disabled, waived or baselined.
FAIL_CLOSED_RULES: tuple[str, ...] = ("engine-error", "page-unchecked", "page-dialog")
ENGINE_ERROR_HELP = ("检查引擎或其规则在此页面上出错，检查结果不完整，页面不能上线：修改页面中导致出错的内容"
                     "（或向检查工具报告缺陷），然后重新检查。")


def impact_rank(impact: str) -> int:
    """0 for minor up to 3 for critical (unknown impacts count as moderate)."""
    return IMPACTS.index(impact) if impact in IMPACTS else 1


@dataclass
class Finding:
    """One rule violation (or needs-review result) on one page element."""

    rule: str
    impact: str
    page: str
    message: str
    engine: str = "static"
    target: str = ""
    mode: str = "normal"
    kind: str = "violation"  # violation | incomplete (axe "needs review")
    wcag: tuple[str, ...] = ()
    help: str = ""
    help_url: str = ""
    snippet: str = ""
    screenshot: str = ""
    status: str = ""
    reason: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """Stable identity for baselines: rule + page + target (not the message or mode)."""
        key = f"{self.rule}\x00{self.page}\x00{self.target}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict:
        """A JSON-ready dict (the report schema's finding object)."""
        data = asdict(self)
        data["wcag"] = list(self.wcag)
        data["fingerprint"] = self.fingerprint
        data.pop("extra")
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Finding":
        """The finding ``to_dict`` wrote (its computed fingerprint is dropped)."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**{**known, "wcag": tuple(known.get("wcag", ()))})

    def __str__(self) -> str:
        where = f" {self.target}" if self.target else ""
        mode = f" [{self.mode}]" if self.mode != "normal" else ""
        return f"{self.page}{where}{mode}: {self.rule} ({self.impact}) {self.message}"


def wcag_from_tags(tags: list[str]) -> tuple[str, ...]:
    """WCAG success criteria from axe tags: ``wcag111`` -> ``1.1.1``, ``wcag1410`` -> ``1.4.10``."""
    criteria = []
    for tag in tags:
        digits = tag[4:] if tag.startswith("wcag") else ""
        if digits.isdigit() and len(digits) >= 3:
            criteria.append(f"{digits[0]}.{digits[1]}.{digits[2:]}")
    return tuple(criteria)


def engine_error(page: str, engine: str, rule: str, message: str, mode: str = "normal", target: str = "",
                 help_url: str = "") -> Finding:
    """A failing finding: ``engine`` (or its rule ``rule``) could not finish on ``page``."""
    where = f" in {mode} mode" if engine == "axe" else ""
    return Finding("engine-error", "critical", page, f"{engine} rule {rule} failed{where}: {message}",
                   engine=engine, target=target, mode=mode, help=ENGINE_ERROR_HELP, help_url=help_url,
                   extra={"rule": rule})
