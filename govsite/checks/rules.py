"""The static rule registry: each rule is a function of a Page yielding ``(element, message)``, or
``(element, message, REVIEW)`` for a result the rule cannot decide (reported as needs review).

Site rules look across the pages of one folder: ``collect`` takes a fact from each page (run with the
page rules, kept with their findings), ``check`` gets every page's fact and yields
``(page, element selector, message)``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from .findings import Finding, engine_error
from .html_page import Page

Check = Callable[[Page], Iterable[tuple]]
#: A rule yields this third item for a result it cannot decide: the finding needs review, never fails.
REVIEW = "review"
#: The WCAG versions a policy can name (``GOVSITE_A11Y['wcag']``); the newest is the default.
WCAG_VERSIONS: tuple[str, ...] = ("2.0", "2.1", "2.2")


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
    versions: tuple[str, ...] = WCAG_VERSIONS  # the WCAG versions whose policies run it


@dataclass(frozen=True)
class SiteRule:
    """A rule over every page of a folder: a fact per page, then one look at all of them."""

    id: str
    impact: str
    wcag: tuple[str, ...]
    help: str
    collect: Callable[[Page], object]
    check: Callable[[dict[str, object]], Iterable[tuple[str, str, str]]]


RULES: dict[str, Rule] = {}
SITE_RULES: dict[str, SiteRule] = {}


def rule(id: str, impact: str, wcag: tuple[str, ...] = (), help: str = "", group: str = "a11y", axe: bool = False,
         versions: tuple[str, ...] = WCAG_VERSIONS):
    """Register a static rule (decorator)."""
    def register(check: Check) -> Check:
        if id in RULES or id in SITE_RULES:
            raise ValueError(f"static rule {id!r} is defined twice")
        RULES[id] = Rule(id, impact, wcag, help, check, group, axe, versions)
        return check
    return register


def site_rule(id: str, impact: str, wcag: tuple[str, ...], help: str, collect: Callable[[Page], object]):
    """Register a site rule (decorator on its ``check``); ``collect`` takes each page's fact."""
    def register(check):
        if id in RULES or id in SITE_RULES:
            raise ValueError(f"static rule {id!r} is defined twice")
        SITE_RULES[id] = SiteRule(id, impact, wcag, help, collect, check)
        return check
    return register


def load_rules() -> dict[str, Rule]:
    """Every registered static rule (importing the rule modules registers them)."""
    from . import a11y_rules, keyboard_rules, platform_rules, site_rules, structure_rules  # noqa: F401

    return RULES


def applies(current: Rule, options: dict) -> bool:
    """The rule runs under the policy's WCAG version (``options['wcag']``, default the newest)."""
    return options.get("wcag", WCAG_VERSIONS[-1]) in current.versions


def run_rules(page: Page, disabled: frozenset[str] = frozenset()) -> list[Finding]:
    """Run every registered rule (except disabled ones) on one page; a rule that raises is an ``engine-error``."""
    load_rules()
    findings = []
    if page.encoding_problem:
        findings.append(Finding("page-encoding", "serious", page.path, f"the page {page.encoding_problem}",
                                help="以正确的字符集保存页面，并在 <meta charset> 中如实声明（推荐 UTF-8）。"))
    for current in RULES.values():
        if current.id in disabled or not applies(current, page.options):
            continue
        try:
            for element, message, *review in current.check(page):
                findings.append(Finding(
                    rule=current.id, impact=current.impact, page=page.path, message=message, engine="static",
                    target=page.selector(element) if element is not None else "",
                    snippet=page.snippet(element) if element is not None else "",
                    wcag=current.wcag, help=current.help, kind="incomplete" if review == [REVIEW] else "violation",
                ))
        except Exception as exc:  # noqa: BLE001 - a rule that raises fails the page, never drops silently
            findings.append(engine_error(page.path, "static", current.id, error_text(exc)))
    return findings


def page_facts(page: Page, disabled: frozenset[str] = frozenset()) -> tuple[dict, list[Finding]]:
    """What each site rule takes from one page (JSON-ready), and an ``engine-error`` per collector that raised."""
    load_rules()
    facts, errors = {}, []
    for current in SITE_RULES.values():
        if current.id in disabled:
            continue
        try:
            facts[current.id] = current.collect(page)
        except Exception as exc:  # noqa: BLE001 - as for page rules: a failure, never a silent gap
            errors.append(engine_error(page.path, "static", current.id, error_text(exc)))
    return facts, errors


def run_site_rules(facts: dict[str, dict], disabled: frozenset[str] = frozenset()) -> list[Finding]:
    """Every site rule over the facts of all pages (page -> rule id -> fact)."""
    load_rules()
    findings = []
    for current in SITE_RULES.values():
        if current.id in disabled:
            continue
        values = {page: fact[current.id] for page, fact in facts.items()
                  if fact.get(current.id) is not None}
        try:
            for page, target, message, *review in current.check(values):
                findings.append(Finding(rule=current.id, impact=current.impact, page=page, message=message,
                                        engine="static", target=target, wcag=current.wcag, help=current.help,
                                        kind="incomplete" if review == [REVIEW] else "violation"))
        except Exception as exc:  # noqa: BLE001
            findings.append(engine_error("", "static", current.id, error_text(exc)))
    return findings


def error_text(exc: BaseException) -> str:
    """An exception as one short line: its type and message."""
    text = " ".join(str(exc).split())[:300]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
