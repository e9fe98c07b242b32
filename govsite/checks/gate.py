"""The accessibility gate: run the engines on a folder of HTML, apply the policy, write reports."""

from __future__ import annotations

import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from govsite.errors import GovsiteError, UsageError
from govsite.file_memo import listed_as
from govsite.files import Listing

from .axe_engine import axe_source, run_axe_pages
from .findings import Finding, impact_rank
from .rules import load_rules, run_site_rules
from .policy import ENGINE_SETS, Policy, apply_policy, read_baseline, write_baseline
from .selection import hash_memo_path, page_hashes, read_state, select_pages, unchanged_static, write_state
from .static_engine import check_static, rules_fingerprint


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
    axe_integrity: str = ""  # sha512 of the axe-core file run (verified before the run)
    axe_filtered: dict[str, int] = field(default_factory=dict)  # post-filter id -> axe nodes dropped
    seconds: float = 0.0
    engines: tuple[str, ...] = ()
    static_reused: int = 0  # pages whose static findings came from the state (bytes unchanged)

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
        lines = [f"accessibility gate {verdict} for {self.root}: {len(self.pages)} pages (static"
                 f"{f', {self.static_reused} unchanged' if self.static_reused else ''}), "
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
    """Drop static findings that axe re-checked in the browser (same rule, page checked by axe, the
    axe rule did not fail there)."""
    covered = {rule.id for rule in load_rules().values() if rule.axe}
    errored = {(f.page, f.extra.get("rule")) for f in findings if f.rule == "engine-error" and f.engine == "axe"}
    return [f for f in findings if not (f.engine == "static" and f.rule in covered and f.page in browser_pages
                                        and (f.page, f.rule) not in errored)]


def element_key(target: str) -> str:
    """A selector as both engines can agree on it: the browser's DOM has the ``tbody`` an HTML parser
    leaves implicit in lxml's tree, and paths may start at ``html``."""
    steps = [step for step in target.split(" > ") if not step.startswith("tbody")]
    return " > ".join(steps[1:] if steps[:1] == ["html"] else steps)


def merge_keyboard(findings: list[Finding]) -> list[Finding]:
    """One finding per element and problem: a static keyboard finding on an element where the keyboard
    engine (which saw it in the browser) found a problem of a shared WCAG criterion is folded into that
    finding, which then carries both rules' criteria and names the static rule."""
    seen: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        if finding.engine == "keyboard" and finding.target:
            seen.setdefault((finding.page, element_key(finding.target)), []).append(finding)
    kept = []
    for finding in findings:
        matches = [] if finding.engine != "static" or not finding.target else [
            k for k in seen.get((finding.page, element_key(finding.target)), ())
            if set(k.wcag) & set(finding.wcag)]
        if not matches:
            kept.append(finding)
            continue
        for match in matches:
            match.wcag = tuple(dict.fromkeys(match.wcag + finding.wcag))
            also = match.extra.setdefault("static_rules", [])
            if finding.rule not in also:
                also.append(finding.rule)
                match.message += f" (also found in the markup by rule {finding.rule})"
    return kept


def next_state(state: dict, result: GateResult, hashes: dict[str, str], static_state: dict | None) -> dict:
    """The state to keep: static findings always (they depend only on the bytes); the browser's
    pages only when the gate passed (a failing page must be re-checked next time)."""
    browser = {k: state[k] for k in ("policy", "axe", "pages") if k in state}
    if result.passed and {"axe", "keyboard"} & set(result.engines):
        browser = {"policy": result.policy.fingerprint(), "axe": result.axe_version, "pages": hashes}
    return {**browser, "static": static_state or state.get("static", {})}


def run_gate(
    root: Path | str,
    policy: Policy,
    report_dir: Path | str | None = None,
    state_path: Path | str | None = None,
    baseline_out: Path | str | None = None,
    today: date | None = None,
    progress=None,
    linked: dict[str, tuple[int, int, int]] | None = None,
    listing: Listing | None = None,
) -> GateResult:
    """Check every page under ``root`` and decide; write reports when ``report_dir`` is given.

    :param progress: optional ``(engine, total) -> advance(n)`` factory for progress bars.
    :param linked: files a build linked into ``root`` from the live output (``file_memo.listed_as``).
    :param listing: the folder's files, when the build has them (``files.Listing``).
    :raises UsageError: when ``root`` does not exist or holds no HTML.
    """
    started = time.monotonic()
    root = Path(root)
    if not root.exists():
        raise UsageError(f"{root}: no such folder")
    base = root if root.is_dir() else root.parent
    if root.is_dir():
        listing = listing or Listing.of(root)
        pages, inodes = listing.pages(), listing.inodes
    else:
        pages, inodes = [root.name], {}
    if not pages:
        raise UsageError(f"{root}: no HTML pages (*.html, *.htm) to check")
    result = GateResult(root=root, policy=policy, pages=pages)
    disabled = policy.skipped_rules  # disabled rules, and the platform rules under the wcag profile
    engines = ENGINE_SETS[policy.engine]
    result.engines = engines

    state = read_state(Path(state_path)) if state_path else {}
    hashes = page_hashes(base, pages, hash_memo_path(state_path), listed_as(linked, inodes)) if state_path else {}
    static_state = None
    if "static" in engines:
        static_key = rules_fingerprint(policy.static_options, disabled)
        known = unchanged_static(state, static_key, hashes)
        todo = [base / page for page in pages if page not in known]
        advance = progress("static rules", len(todo)) if progress and todo else None
        run = check_static(base, todo, policy.static_options, disabled, policy.workers, advance)
        static = run.findings + [Finding.from_dict(item) for items, _ in known.values() for item in items]
        facts = {**{page: fact for page, (_, fact) in known.items()}, **run.facts}
        by_page: dict[str, list[dict]] = {page: [] for page in hashes}
        for finding in static:
            by_page.setdefault(finding.page, []).append(finding.to_dict())
        failed = {f.page for f in static if f.rule == "engine-error"}  # checked again next time, never reused
        static_state = {"key": static_key, "pages": {p: [hashes[p], by_page[p], facts.get(p, {})]
                                                     for p in hashes if p not in failed}}
        static += run_site_rules(facts, disabled)  # over every page, never kept: another page may change
        order = {page: index for index, page in enumerate(pages)}
        static.sort(key=lambda f: order.get(f.page, -1))  # page order, whichever run found them
        result.findings += static
        result.static_reused = len(known)

    if report_dir:
        shutil.rmtree(Path(report_dir) / "screenshots", ignore_errors=True)
    browser = [e for e in engines if e in ("axe", "keyboard")]
    if browser:
        version = ""
        if "axe" in engines:
            script = axe_source(policy)  # verified against its checksum: a mismatch stops the gate
            version, result.axe_integrity = script.version, script.integrity
        chosen = select_pages(base, pages, policy.pages, state, policy.fingerprint(), version,
                              hashes or page_hashes(base, pages))
        result.browser_pages = chosen
        advance = progress(f"{' + '.join(browser)} ({', '.join(policy.modes)})", len(chosen)) if progress else None
        shots = Path(report_dir) / "screenshots" if report_dir else None
        run = run_axe_pages(base, chosen, policy, shots, advance)  # unchecked pages and errors are findings
        result.findings += run.findings
        result.unchecked = run.unchecked
        result.axe_version = run.axe_version or version
        result.axe_filtered = run.filtered

    result.findings = prefer_browser(result.findings, set(result.browser_pages) - set(result.unchecked))
    result.findings = merge_keyboard(result.findings)
    baseline = read_baseline(policy.baseline) if policy.baseline else set()
    apply_policy(result.findings, policy, baseline, today or date.today())
    result.seconds = time.monotonic() - started
    if baseline_out:
        write_baseline(baseline_out, result.findings)
    if state_path:
        write_state(Path(state_path), next_state(state, result, hashes, static_state))
    if report_dir:
        from .report import write_reports
        write_reports(result, Path(report_dir))
    return result
