"""The gate's policy: which findings fail, which are disabled, waived or accepted in a baseline.

Configured in pelicanconf.py as ``GOVSITE_A11Y = {...}`` (every key optional) and
validated once, with errors naming the setting.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from govsite.errors import Problem, ProblemsFound
from govsite.files import write_text_atomic

from .findings import FAIL_CLOSED_RULES, IMPACTS, Finding
from .platform_rules import DEFAULT_AD_DOMAINS
from .rules import WCAG_VERSIONS

SETTING = "GOVSITE_A11Y"
ENGINES = ("static", "axe", "keyboard", "both", "all")
#: What each ``engine`` value runs: both = static + axe; all = static + axe + the keyboard engine.
ENGINE_SETS: dict[str, tuple[str, ...]] = {"static": ("static",), "axe": ("axe",), "keyboard": ("keyboard",),
                                           "both": ("static", "axe"), "all": ("static", "axe", "keyboard")}
PAGE_SELECTIONS = ("smart", "all")
#: ``platform``: every rule (a site of the group); ``wcag``: WCAG rules only, the platform's own rules
#: (gov-meta, gov-footer, third-party scripts, ads, IPv4, HTTPS) off, for any other folder of HTML.
PROFILES = ("platform", "wcag")
INTEGRITY = re.compile(r"sha512-[A-Za-z0-9+/]{86}==")

#: What the gate does with each axe-core rule that bears on a WCAG criterion but is tagged experimental,
#: best practice or deprecated (or that the A/AA tags do not select), per profile: ``run`` (decided like
#: any finding), ``advisory`` (reported as a warning, never fails: WCAG does not require it) or ``off``.
#: Each choice is explained in docs/gate.md; page-has-heading-one is advisory in the static engine too.
AXE_RULE_TREATMENT: dict[str, dict[str, str]] = {
    "css-orientation-lock": {"platform": "run", "wcag": "run"},  # 1.3.4, experimental, decides from CSS
    "p-as-heading": {"platform": "advisory", "wcag": "advisory"},  # 1.3.1, experimental heuristic
    "table-fake-caption": {"platform": "advisory", "wcag": "advisory"},  # 1.3.1, experimental heuristic
    "td-has-header": {"platform": "advisory", "wcag": "advisory"},  # 1.3.1, experimental (large tables)
    "page-has-heading-one": {"platform": "advisory", "wcag": "off"},  # best practice (1.3.1, 2.4.1 by ACT)
    "empty-heading": {"platform": "run", "wcag": "run"},  # an empty heading describes no topic: 2.4.6 (issue 16), ACT ffd0e9
    "landmark-one-main": {"platform": "advisory", "wcag": "off"},  # best practice (1.3.1, 2.4.1)
    "region": {"platform": "off", "wcag": "off"},  # best practice: fires on most legacy pages; bypass checks 2.4.1
    "aria-roledescription": {"platform": "off", "wcag": "off"},  # deprecated in axe (4.1.2)
    "audio-caption": {"platform": "off", "wcag": "off"},  # deprecated in axe: cannot decide (1.2.1)
    "duplicate-id": {"platform": "off", "wcag": "off"},  # 4.1.1 (obsolete in 2.2): the static engine checks ids
    "duplicate-id-active": {"platform": "off", "wcag": "off"},
}
#: Rules whose findings are advisory in every profile and engine (they never fail).
ADVISORY_RULES = frozenset(r for r, t in AXE_RULE_TREATMENT.items() if "advisory" in t.values())

#: How each mode is switched on: attributes set on <html> (the theme's contract).
MODE_ATTRIBUTES: dict[str, dict[str, str]] = {
    "normal": {},
    "care": {"data-care": ""},
    "contrast": {"data-scheme": "bw"},
    "dark": {"data-scheme": "wb"},
    "yellow": {"data-scheme": "yb"},
    "large-text": {"data-text-step": "5"},
    "plain-text": {"data-plain-text": ""},
}

#: Waivers every policy starts with (none: axe-core issue 5308, false label-content-name-mismatch failures on
#: Chinese full-width punctuation, is handled by the label-in-name-text post-filter, checks/axe_filters.py).
DEFAULT_WAIVERS: tuple[dict, ...] = ()

DEFAULTS: dict[str, object] = {
    "engine": "all",
    "wcag": "2.2",
    "pages": "smart",
    "workers": None,
    "remote": "",
    "modes": ["normal", "care", "contrast"],
    "fail_impacts": ["serious", "critical"],
    "disabled_rules": {},
    "waivers": list(DEFAULT_WAIVERS),
    "baseline": "",
    "axe_script": "",
    "axe_integrity": "",
    "axe_post_filters": True,
    "profile": "platform",
    "page_timeout": 30,
    "start_timeout": 30,
    "page_attempts": 2,
    "browser_restarts": 5,
    "chromium": "",
    "chromedriver": "",
    "ad_domains": list(DEFAULT_AD_DOMAINS),
    "allowed_script_hosts": [],
    "screenshots": 20,
    "serve_host": "127.0.0.1",
}


class PolicyInvalid(ProblemsFound):
    """The accessibility policy settings are invalid."""

    what = f"the accessibility policy ({SETTING}) is invalid"


@dataclass(frozen=True)
class Waiver:
    """An accepted finding: rule + page pattern + selector, with a reason and an expiry date."""

    rule: str
    pages: str
    selector: str
    reason: str
    expires: date

    def matches(self, finding: Finding) -> bool:
        return (self.rule in ("*", finding.rule) and fnmatch.fnmatchcase(finding.page, self.pages)
                and self.selector in ("*", finding.target))


@dataclass(frozen=True)
class Policy:
    """A validated policy."""

    engine: str = "both"
    wcag: str = "2.2"  # the WCAG version the site conforms to: rules of other versions do not run
    pages: str = "smart"
    workers: int | None = None
    remote: str = ""
    modes: tuple[str, ...] = ("normal", "care", "contrast")
    fail_impacts: frozenset[str] = frozenset({"serious", "critical"})
    disabled_rules: dict[str, str] = field(default_factory=dict)
    waivers: tuple[Waiver, ...] = ()
    baseline: str = ""
    axe_script: str = ""  # '' for the vendored axe-core (checks/axe_core.py)
    axe_integrity: str = ""  # sha512-... an axe_script must match ('' : not pinned)
    axe_post_filters: bool = True  # drop axe's known false positives (checks/axe_filters.py)
    profile: str = "platform"
    page_timeout: float = 30  # seconds for a page load, each axe run and every other browser command
    start_timeout: float = 30  # seconds for a browser to start (driver up, session created)
    page_attempts: int = 2  # tries per page, each retry in a fresh browser
    browser_restarts: int = 5  # fresh browsers started after a failure, per run
    chromium: str = ""  # '' for $GOVSITE_CHROMIUM or /usr/bin/chromium
    chromedriver: str = ""  # '' for $GOVSITE_CHROMEDRIVER or /usr/bin/chromedriver
    ad_domains: tuple[str, ...] = DEFAULT_AD_DOMAINS
    allowed_script_hosts: tuple[str, ...] = ()
    screenshots: int = 20
    serve_host: str = "127.0.0.1"

    @property
    def static_options(self) -> dict:
        """Options handed to the static rules."""
        return {"ad_domains": self.ad_domains, "allowed_script_hosts": self.allowed_script_hosts, "wcag": self.wcag}

    @property
    def skipped_rules(self) -> frozenset[str]:
        """Static rules not run: the disabled ones, and the platform's own under the ``wcag`` profile."""
        from .rules import load_rules

        platform = {r.id for r in load_rules().values() if r.group == "platform"} if self.profile == "wcag" else set()
        return frozenset(self.disabled_rules) | platform

    def axe_treatment(self, rule: str) -> str:
        """``run``, ``advisory`` or ``off`` for an axe rule of AXE_RULE_TREATMENT under this profile ('' otherwise)."""
        return AXE_RULE_TREATMENT.get(rule, {}).get(self.profile, "")

    def fingerprint(self) -> str:
        """A digest of everything that changes check results (for smart page selection)."""
        data = {"disabled": sorted(self.disabled_rules), "modes": self.modes, "engine": self.engine,
                "axe": self.axe_script, "axe_integrity": self.axe_integrity, "filters": self.axe_post_filters, "profile": self.profile,
                "ads": self.ad_domains, "hosts": self.allowed_script_hosts, "wcag": self.wcag}
        return json.dumps(data, sort_keys=True, default=str)


def load_policy(settings: dict | None, overrides: dict | None = None, source: str = "pelicanconf.py") -> Policy:
    """Validate ``settings`` (the GOVSITE_A11Y dict) laid over DEFAULTS; raise PolicyInvalid on any problem."""
    raw = dict(DEFAULTS)
    problems: list[Problem] = []
    if settings is not None and not isinstance(settings, dict):
        raise PolicyInvalid([Problem(source, SETTING, settings, "a dict of policy settings")])
    for key, value in {**(settings or {}), **(overrides or {})}.items():
        if key not in DEFAULTS:
            close = difflib.get_close_matches(key, list(DEFAULTS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem(source, f"{SETTING}[{key!r}]", value,
                                    "a known policy key: " + ", ".join(DEFAULTS) + hint))
        else:
            raw[key] = value

    def bad(key: str, expected: str) -> None:
        problems.append(Problem(source, f"{SETTING}[{key!r}]", raw[key], expected))

    if raw["engine"] not in ENGINES:
        bad("engine", "one of: " + ", ".join(ENGINES))
    if raw["wcag"] not in WCAG_VERSIONS:
        bad("wcag", "the WCAG version the site conforms to, one of: " + ", ".join(WCAG_VERSIONS))
    if raw["pages"] not in PAGE_SELECTIONS:
        bad("pages", "one of: " + ", ".join(PAGE_SELECTIONS))
    if raw["workers"] is not None and (not isinstance(raw["workers"], int) or raw["workers"] < 1):
        bad("workers", "a positive integer, or None for the number of cores")
    if not isinstance(raw["remote"], str) or (raw["remote"] and not raw["remote"].startswith(("http://", "https://"))):
        bad("remote", "'' for the local Chromium, or a WebDriver URL such as http://grid:4444/wd/hub")
    modes = raw["modes"]
    if not isinstance(modes, (list, tuple)) or not modes or any(m not in MODE_ATTRIBUTES for m in modes):
        bad("modes", "a non-empty list of: " + ", ".join(MODE_ATTRIBUTES))
        modes = ["normal"]
    impacts = raw["fail_impacts"]
    if not isinstance(impacts, (list, tuple)) or any(i not in IMPACTS for i in impacts):
        bad("fail_impacts", "a list of impacts from: " + ", ".join(IMPACTS))
        impacts = ["serious", "critical"]
    disabled = raw["disabled_rules"]
    if not isinstance(disabled, dict) or any(not isinstance(r, str) or not str(v).strip() for r, v in disabled.items()):
        bad("disabled_rules", "a dict of rule id -> the reason it is disabled (non-empty)")
        disabled = {}
    elif set(disabled) & set(FAIL_CLOSED_RULES):
        bad("disabled_rules", f"rules that can be disabled (not {', '.join(FAIL_CLOSED_RULES)}: they always fail)")
    waivers = _read_waivers(raw["waivers"], source, problems)
    for key in ("baseline", "axe_script"):
        if not isinstance(raw[key], str):
            bad(key, "a file path or ''")
    if raw["axe_script"] and not Path(raw["axe_script"]).is_file():
        bad("axe_script", "an existing axe.min.js file")
    if not isinstance(raw["axe_integrity"], str) or (raw["axe_integrity"] and not INTEGRITY.fullmatch(raw["axe_integrity"])):
        bad("axe_integrity", "'' or the sha512 axe_script must match, as npm's dist.integrity "
                             "(sha512-<base64>; `openssl dgst -sha512 -binary FILE | base64 -w0`)")
    elif raw["axe_integrity"] and not raw["axe_script"]:
        bad("axe_integrity", "'' with the vendored axe-core (its checksum is pinned in checks/axe_core.py)")
    if not isinstance(raw["axe_post_filters"], bool):
        bad("axe_post_filters", "True (drop axe-core's documented false positives) or False")
    if raw["profile"] not in PROFILES:
        bad("profile", "one of: " + ", ".join(PROFILES) + " (wcag: the platform's own rules off)")
    for key in ("page_timeout", "start_timeout"):
        if not _positive_number(raw[key]):
            bad(key, "a positive number of seconds")
    if not isinstance(raw["page_attempts"], int) or isinstance(raw["page_attempts"], bool) or raw["page_attempts"] < 1:
        bad("page_attempts", "how many times a page is tried (1 or more; each retry in a fresh browser)")
    if not isinstance(raw["browser_restarts"], int) or isinstance(raw["browser_restarts"], bool) \
            or raw["browser_restarts"] < 0:
        bad("browser_restarts", "how many fresh browsers may be started after failures in one run (0 or more)")
    for key in ("chromium", "chromedriver"):
        if not isinstance(raw[key], str) or (raw[key] and not Path(raw[key]).is_file()):
            bad(key, f"'' for the default, or the path of an existing {key} executable")
    for key in ("ad_domains", "allowed_script_hosts"):
        if not isinstance(raw[key], (list, tuple)) or not all(isinstance(d, str) for d in raw[key]):
            bad(key, "a list of domain names")
    if not isinstance(raw["screenshots"], int) or raw["screenshots"] < 0:
        bad("screenshots", "how many element screenshots to take per page (0 for none)")
    if not isinstance(raw["serve_host"], str) or not raw["serve_host"]:
        bad("serve_host", "the address the page server binds to and the browser uses (default 127.0.0.1)")
    if problems:
        raise PolicyInvalid(problems)
    return Policy(
        engine=raw["engine"], wcag=raw["wcag"], pages=raw["pages"], workers=raw["workers"], remote=raw["remote"],
        modes=tuple(modes), fail_impacts=frozenset(impacts), disabled_rules=dict(disabled),
        waivers=waivers, baseline=raw["baseline"], axe_script=raw["axe_script"],
        axe_integrity=raw["axe_integrity"], axe_post_filters=raw["axe_post_filters"], profile=raw["profile"],
        page_timeout=float(raw["page_timeout"]), start_timeout=float(raw["start_timeout"]),
        page_attempts=raw["page_attempts"], browser_restarts=raw["browser_restarts"],
        chromium=raw["chromium"], chromedriver=raw["chromedriver"], ad_domains=tuple(raw["ad_domains"]),
        allowed_script_hosts=tuple(raw["allowed_script_hosts"]), screenshots=raw["screenshots"],
        serve_host=raw["serve_host"],
    )


def _positive_number(value) -> bool:
    """A positive int or float (not a bool)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def _read_waivers(value, source: str, problems: list[Problem]) -> tuple[Waiver, ...]:
    if not isinstance(value, (list, tuple)):
        problems.append(Problem(source, f"{SETTING}['waivers']", value, "a list of waiver dicts"))
        return ()
    waivers = []
    for index, item in enumerate(value):
        name = f"{SETTING}['waivers'][{index}]"
        if not isinstance(item, dict):
            problems.append(Problem(source, name, item, "a dict with rule, pages, selector, reason, expires"))
            continue
        unknown = set(item) - {"rule", "pages", "selector", "reason", "expires"}
        if unknown:
            problems.append(Problem(source, name, sorted(unknown), "only rule, pages, selector, reason, expires"))
        if not str(item.get("rule", "")).strip():
            problems.append(Problem(source, f"{name}['rule']", item.get("rule"), "a rule id (or '*')"))
        elif item.get("rule") in FAIL_CLOSED_RULES:
            problems.append(Problem(source, f"{name}['rule']", item.get("rule"),
                                    f"a rule that can be waived (not {', '.join(FAIL_CLOSED_RULES)}: they always fail)"))
        if not str(item.get("reason", "")).strip():
            problems.append(Problem(source, f"{name}['reason']", item.get("reason"), "why the finding is accepted"))
        expires = item.get("expires")
        try:
            expiry = expires if isinstance(expires, date) else date.fromisoformat(str(expires))
        except ValueError:
            problems.append(Problem(source, f"{name}['expires']", expires, "an expiry date YYYY-MM-DD"))
            continue
        waivers.append(Waiver(str(item.get("rule", "")), str(item.get("pages", "*")),
                              str(item.get("selector", "*")), str(item.get("reason", "")), expiry))
    return tuple(waivers)


def read_baseline(path: str | Path) -> set[str]:
    """Fingerprints accepted by a baseline file (missing file: a clear error)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text("utf-8"))
        return {item["fingerprint"] for item in data["findings"]}
    except FileNotFoundError:
        raise PolicyInvalid([Problem(path, "baseline", str(path), "an existing baseline file "
                                     "(create one with --write-baseline)")]) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise PolicyInvalid([Problem(path, "baseline", str(path), f"a govsite baseline JSON file ({exc})")]) from None


def write_baseline(path: str | Path, findings: list[Finding]) -> int:
    """Write every current violation as accepted (not the fail-closed ones); returns how many (atomic write)."""
    items = sorted({f.fingerprint: {"fingerprint": f.fingerprint, "rule": f.rule, "page": f.page,
                                    "target": f.target, "message": f.message}
                    for f in findings if f.kind == "violation" and f.rule not in FAIL_CLOSED_RULES}.values(), key=lambda i: (i["page"], i["rule"]))
    write_text_atomic(path, json.dumps({"schema": "govsite-a11y-baseline/1", "findings": items},
                                       ensure_ascii=False, indent=1))
    return len(items)


def apply_policy(findings: list[Finding], policy: Policy, baseline: set[str], today: date) -> list[Finding]:
    """Set each finding's status; add a failing finding for every expired waiver."""
    expired = [w for w in policy.waivers if w.expires < today]
    active = [w for w in policy.waivers if w.expires >= today]
    matched = {w: 0 for w in expired}
    for finding in findings:
        if finding.rule in FAIL_CLOSED_RULES:  # the check itself failed: nothing may accept that
            finding.status, finding.reason = "fail", ""
            continue
        if finding.rule in policy.disabled_rules:
            finding.status, finding.reason = "disabled", policy.disabled_rules[finding.rule]
            continue
        for waiver in expired:
            matched[waiver] += waiver.matches(finding)
        waiver = next((w for w in active if w.matches(finding)), None)
        if finding.kind != "violation":
            finding.status = "review"
        elif finding.rule in ADVISORY_RULES:
            finding.status, finding.reason = "warn", "advisory: a best practice or heuristic, not a WCAG failure by itself"
        elif waiver is not None:
            finding.status, finding.reason = "waived", f"{waiver.reason} (until {waiver.expires})"
        elif finding.fingerprint in baseline:
            finding.status, finding.reason = "baseline", "accepted in the baseline"
        elif finding.impact in policy.fail_impacts:
            finding.status = "fail"
        else:
            finding.status = "warn"
    for waiver, count in matched.items():
        findings.append(Finding(
            "waiver-expired", "critical", "", status="fail", engine="policy",
            message=f"the waiver for {waiver.rule} on {waiver.pages} expired on {waiver.expires} "
                    f"({count} finding(s) match it): fix them and remove the waiver, or renew it with a reason",
            help="修复问题并删除豁免，或在 GOVSITE_A11Y['waivers'] 中更新豁免的理由和到期日期。"))
    return findings
