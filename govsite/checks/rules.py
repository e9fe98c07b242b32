"""The static rule registry: each rule is a function of a Page yielding ``(element, message)``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from .findings import Finding, engine_error
from .html_page import Page

Check = Callable[[Page], Iterable[tuple[object, str]]]


@dataclass(frozen=True)
class Rule:
    """A static rule: its id (axe's id where the rule is the same), impact, WCAG criteria and fix."""

    id: str
    impact: str
    wcag: tuple[str, ...]
    help: str
    check: Check
    group: str  # "a11y" or "platform"
    axe: bool  # axe-core's WCAG run checks the same thing (the browser result is preferred)


RULES: dict[str, Rule] = {}


def rule(id: str, impact: str, wcag: tuple[str, ...] = (), help: str = "", group: str = "a11y", axe: bool = False):
    """Register a static rule (decorator)."""
    def register(check: Check) -> Check:
        if id in RULES:
            raise ValueError(f"static rule {id!r} is defined twice")
        RULES[id] = Rule(id, impact, wcag, help, check, group, axe)
        return check
    return register


def load_rules() -> dict[str, Rule]:
    """Every registered static rule (importing the rule modules registers them)."""
    from . import a11y_rules, platform_rules  # noqa: F401

    return RULES


def run_rules(page: Page, disabled: frozenset[str] = frozenset()) -> list[Finding]:
    """Run every registered rule (except disabled ones) on one page; a rule that raises is an ``engine-error``."""
    load_rules()
    findings = []
    if page.encoding_problem:
        findings.append(Finding("page-encoding", "serious", page.path, f"the page {page.encoding_problem}",
                                help="以正确的字符集保存页面，并在 <meta charset> 中如实声明（推荐 UTF-8）。"))
    for current in RULES.values():
        if current.id in disabled:
            continue
        try:
            for element, message in current.check(page):
                findings.append(Finding(
                    rule=current.id, impact=current.impact, page=page.path, message=message, engine="static",
                    target=page.selector(element) if element is not None else "",
                    snippet=page.snippet(element) if element is not None else "",
                    wcag=current.wcag, help=current.help,
                ))
        except Exception as exc:  # noqa: BLE001 - a rule that raises fails the page, never drops silently
            findings.append(engine_error(page.path, "static", current.id, error_text(exc)))
    return findings


def error_text(exc: BaseException) -> str:
    """An exception as one short line: its type and message."""
    text = " ".join(str(exc).split())[:300]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
