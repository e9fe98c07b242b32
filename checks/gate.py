"""The accessibility gate: run the engines on a folder of HTML, apply the policy, write reports."""

from __future__ import annotations

import re
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from govsite.errors import GovsiteError, UsageError

from .axe_engine import AxeEngineError, axe_source, run_axe_pages
from .findings import Finding, impact_rank
from .rules import load_rules
from .policy import Policy, apply_policy, read_baseline, write_baseline
from .selection import read_state, select_pages, write_state
from .static_engine import list_pages, run_static


class GateFailed(GovsiteError):
    """The gate's policy is not met (the message summarises the worst problems)."""


@dataclass
class GateResult:
    """Everything one gate run found and decided."""

    root: Path
    policy: Policy
    findings: list[Finding] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    browser_pages: list[str] = field(default_factory=list)
    unchecked: dict[str, str] = field(default_factory=dict)
    axe_version: str = ""
    seconds: float = 0.0
    engines: tuple[str, ...] = ()

    @property
    def failing(self) -> list[Finding]:
        """Findings that fail the gate, worst first."""
        return sorted((f for f in self.findings if f.status == "fail"),
                      key=lambda f: (-impact_rank(f.impact), f.rule, f.page, f.target))

    @property
    def passed(self) -> bool:
        return not self.failing

    def count(self, status: str) -> int:
        return sum(1 for f in self.findings if f.status == status)

    def summary(self, limit: int = 10) -> str:
        """A few lines naming the worst problems first (by impact, then how often)."""
        verdict = "PASSED" if self.passed else "FAILED"
        lines = [f"accessibility gate {verdict} for {self.root}: {len(self.pages)} pages (static), "
                 f"{len(self.browser_pages)} in the browser; {self.count('fail')} failing, {self.count('warn')} "
                 f"warnings, {self.count('review')} to review, {self.count('waived')} waived, "
                 f"{self.count('baseline')} in baseline"]
        worst = Counter((f.impact, f.rule) for f in self.failing)
        for (impact, rule), count in sorted(worst.items(), key=lambda i: (-impact_rank(i[0][0]), -i[1]))[:limit]:
            example = next(f for f in self.failing if f.rule == rule and f.impact == impact)
            where = f"{example.page} {example.target}".strip()
            lines.append(f"  - {impact} {rule} x{count}: {example.message[:160]} (e.g. {where})")
        return "\n".join(lines)


def prefer_browser(findings: list[Finding], browser_pages: set[str]) -> list[Finding]:
    """Drop static findings that axe re-checked in the browser (same rule, page checked by axe)."""
    covered = {rule.id for rule in load_rules().values() if rule.axe}
    return [f for f in findings if not (f.engine == "static" and f.rule in covered and f.page in browser_pages)]


def axe_version_of(source: str) -> str:
    match = re.search(r"axe v([\d.]+)", source[:200])
    return match.group(1) if match else ""


def run_gate(
    root: Path | str,
    policy: Policy,
    report_dir: Path | str | None = None,
    state_path: Path | str | None = None,
    baseline_out: Path | str | None = None,
    today: date | None = None,
    progress=None,
) -> GateResult:
    """Check every page under ``root`` and decide; write reports when ``report_dir`` is given.

    :param progress: optional ``(engine, total) -> advance(n)`` factory for progress bars.
    :raises UsageError: when ``root`` does not exist or holds no HTML.
    """
    started = time.monotonic()
    root = Path(root)
    if not root.exists():
        raise UsageError(f"{root}: no such folder")
    files = list_pages(root)
    if not files:
        raise UsageError(f"{root}: no HTML pages (*.html, *.htm) to check")
    base = root if root.is_dir() else root.parent
    pages = [f.relative_to(base).as_posix() for f in files]
    result = GateResult(root=root, policy=policy, pages=pages)
    disabled = frozenset(policy.disabled_rules)
    engines = ("static", "axe") if policy.engine == "both" else (policy.engine,)
    result.engines = engines

    if "static" in engines:
        advance = progress("static rules", len(files)) if progress else None
        result.findings += run_static(base, files, policy.static_options, disabled, policy.workers, advance)

    hashes: dict[str, str] = {}
    if report_dir:
        shutil.rmtree(Path(report_dir) / "screenshots", ignore_errors=True)
    if "axe" in engines:
        version = axe_version_of(axe_source(policy))
        state = read_state(Path(state_path)) if state_path else {}
        chosen, hashes = select_pages(base, pages, policy.pages, state, policy.fingerprint(), version)
        result.browser_pages = chosen
        advance = progress(f"axe ({', '.join(policy.modes)})", len(chosen)) if progress else None
        shots = Path(report_dir) / "screenshots" if report_dir else None
        try:
            run = run_axe_pages(base, chosen, policy, shots, advance)
        except AxeEngineError as exc:
            raise GateFailed(f"axe-core failed, nothing was checked in the browser: {exc}") from exc
        result.findings += run.findings
        result.unchecked = run.unchecked
        result.axe_version = run.axe_version or version
        for page, why in run.unchecked.items():
            result.findings.append(Finding("page-unchecked", "critical", page, engine="axe",
                                           message=f"the page could not be checked in the browser: {why}",
                                           help="检查页面是否卡死或导致浏览器崩溃；未检查的页面不能上线。"))

    result.findings = prefer_browser(result.findings, set(result.browser_pages) - set(result.unchecked))
    baseline = read_baseline(policy.baseline) if policy.baseline else set()
    apply_policy(result.findings, policy, baseline, today or date.today())
    result.seconds = time.monotonic() - started
    if baseline_out:
        write_baseline(baseline_out, result.findings)
    if result.passed and state_path and hashes:
        write_state(Path(state_path), hashes, policy.fingerprint(), result.axe_version)
    if report_dir:
        from .report import write_reports
        write_reports(result, Path(report_dir))
    return result
