"""The axe engine: axe-core in a pool of reused headless Chromium sessions, pages served on loopback.

Each worker thread owns one browser session (local Debian chromium, or a remote WebDriver such
as Selenium Grid). axe-core is injected once per session with the DevTools command
``Page.addScriptToEvaluateOnNewDocument`` where the driver allows it, else once per page. Every
page is checked in each configured mode (attributes on ``<html>``, the theme's contract). axe-core is
the vendored one, its checksum verified (axe_core.py); its known false positives are dropped in the page
(axe_filters.py) and counted.

Fails closed: every browser step has a bounded time (``start_timeout``, ``page_timeout``); a page
that hangs or crashes the browser is retried on a fresh session (``page_attempts``), then reported
unchecked with the step that failed; fresh browsers per run are limited (``browser_restarts``). A rule
that throws, or an axe run that rejects, is a failing ``engine-error``; a dialog the page opens is
a failing ``page-dialog`` (the dialog is dismissed and the page still checked).
"""

from __future__ import annotations

import json
import os
import queue
import threading
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

from axe_selenium_python.axe import _DEFAULT_SCRIPT as BUNDLED_AXE  # axe-core 4.10.2, for comparisons
from selenium import webdriver
import urllib3
from selenium.common.exceptions import TimeoutException, UnexpectedAlertPresentException, WebDriverException
from selenium.webdriver.common.by import By

from .axe_core import AxeScript, load_axe
from .axe_filters import POST_FILTER_JS
from .browser import (COMMAND_GRACE, WCAG_AA_TAGS, BrowserStartFailed, client_config, end_session, quit_chromium,
                      start_chromium)
from .findings import Finding, engine_error, wcag_from_tags
from .help_zh import help_for
from .keyboard_engine import KeyCheck, KeyMemory, check_keys, key_findings
from .policy import AXE_RULE_TREATMENT, ENGINE_SETS, MODE_ATTRIBUTES, Policy

#: Makes results stable: no transitions or animations, no blinking caret.
STABILISE_CSS = "*,*::before,*::after{transition:none!important;animation:none!important;caret-color:transparent!important}"
STABILISE_JS = """(function(){function add(){if(document.getElementById('__govsite_stable'))return;
var s=document.createElement('style');s.id='__govsite_stable';s.textContent=%s;
(document.head||document.documentElement).appendChild(s);}
if(document.readyState==='loading'){document.addEventListener('DOMContentLoaded',add);}else{add();}})();""" % json.dumps(STABILISE_CSS)

#: Notes alert/confirm/prompt calls instead of opening dialogs, answering as a dismissed dialog would.
DIALOG_JS = """(function(){if(window.__govsiteDialogs)return;var seen=window.__govsiteDialogs=[];
function note(kind,answer){return function(message){if(seen.length<20){seen.push(kind+': '+String(message===undefined?'':message).slice(0,200));}return answer;};}
window.alert=note('alert',undefined);window.confirm=note('confirm',false);window.prompt=note('prompt',null);})();"""

#: Runs axe with a rejection handler, so an axe error surfaces at once instead of a script timeout.
#: A rule that throws comes back from axe as an "incomplete" result with ``error`` and no nodes: kept.
RUN_AXE = POST_FILTER_JS + """
var done = arguments[arguments.length - 1], options = arguments[0], attrs = arguments[1], clear = arguments[2];
function dialogs() { return (window.__govsiteDialogs || []).splice(0); }
function slim(list) { return list.map(function (r) { return {id: r.id, impact: r.impact, tags: r.tags,
  help: r.help, helpUrl: r.helpUrl, error: r.error ? String(r.message || r.error.message || r.error) : '',
  errorNode: r.errorNode && r.errorNode.selector || null,
  nodes: r.nodes.map(function (n) { return {target: n.target, html: n.html, impact: n.impact,
  summary: n.failureSummary}; })}; }); }
try {
  var root = document.documentElement;
  clear.forEach(function (a) { root.removeAttribute(a); });
  Object.keys(attrs).forEach(function (a) { root.setAttribute(a, attrs[a]); });
  void root.offsetHeight;
  if (typeof axe === 'undefined') { done({error: 'axe-core is not loaded in the page', dialogs: dialogs()}); }
  else {
    var optional = options._optional || {}, known = {}, filter = options._filters;
    delete options._optional; delete options._filters;
    (typeof axe.getRules === 'function' ? axe.getRules() : []).forEach(function (r) { known[r.ruleId] = true; });
    options.rules = options.rules || {};
    Object.keys(optional).forEach(function (id) { if (known[id]) { options.rules[id] = optional[id]; } });
    var fonts = document.fonts && document.fonts.status === 'loading' ? document.fonts.ready : Promise.resolve();
    fonts.then(function () {
      return axe.run(document, options);
    }).then(function (r) {
      var filtered = filter ? postFilter(r) : {};
      // A JSON string crosses the WebDriver wire faster than a deep object.
      done(JSON.stringify({version: r.testEngine.version, violations: slim(r.violations),
                           incomplete: slim(r.incomplete), filtered: filtered, dialogs: dialogs()}));
    }).catch(function (e) { done({error: String(e && e.message || e), dialogs: dialogs()}); });
  }
} catch (e) { done({error: String(e && e.message || e), dialogs: dialogs()}); }
"""
#: Every attribute any mode sets on <html> (each axe run clears them, then sets its mode's).
EVERY_ATTRIBUTE = sorted({a for attrs in MODE_ATTRIBUTES.values() for a in attrs})
#: How many dialogs one page may open before it counts as unusable.
MAX_DIALOGS = 20
DIALOG_HELP = ("页面在加载或检查时弹出了对话框（alert、confirm、prompt）：这会打断所有访问者，尤其是屏幕阅读器用户，"
               "也常常说明页面里有被注入的脚本（例如标题等元数据被当作代码输出）。删除该脚本，检查页面的元数据。")
UNCHECKED_HELP = "检查页面是否卡死或导致浏览器崩溃；未检查的页面不能上线。"


class PageDialogs(RuntimeError):
    """The page kept opening dialogs (more than MAX_DIALOGS)."""


@dataclass
class PageCheck:
    """What the browser found on one page: axe's results per mode, the modes axe failed in, dialogs."""

    results: dict[str, dict] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # mode -> why axe could not run
    dialogs: list[str] = field(default_factory=list)
    keys: KeyCheck | None = None  # the keyboard engine's, when the policy runs it


@dataclass
class AxeRun:
    """What the axe engine found."""

    findings: list[Finding] = field(default_factory=list)
    unchecked: dict[str, str] = field(default_factory=dict)  # page -> why
    axe_version: str = ""
    checked: int = 0
    filtered: dict[str, int] = field(default_factory=dict)  # post-filter id -> axe nodes dropped


def axe_source(policy: Policy) -> AxeScript:
    """The verified axe-core to use: the configured ``axe_script``, else the vendored, pinned one.

    :raises AxeScriptInvalid: when it is missing or its sha512 does not match its pin (the gate fails).
    """
    return load_axe(policy.axe_script, policy.axe_integrity)


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files without request logging, over keep-alive connections."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002
        pass


class PageServer:
    """Serves a folder on ``host`` (loopback by default) in a background thread."""

    def __init__(self, root: Path, host: str = "127.0.0.1"):
        self.server = ThreadingHTTPServer((host, 0), partial(QuietHandler, directory=str(root)))
        self.base = f"http://{host}:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def url(self, page: str) -> str:
        return self.base + quote(page)


class Session:
    """One browser session with axe available on every new document; every step has a bounded time."""

    def __init__(self, policy: Policy, source: str):
        self.policy = policy
        #: What every checked document gets: the dialog notes, axe-core, the stabilising style (built once).
        self.script = DIALOG_JS + "\n" + source + "\n" + STABILISE_JS
        self.step = "browser start"
        self.driver = self._start()
        self.injected_by_cdp = False
        self.keys = KeyMemory()  # the keyboard engine's connection, kept from page to page

    def setup(self) -> "Session":
        """Set the page and script timeouts and inject axe (a failure here leaves a session to close)."""
        self.step = "browser setup"
        self.driver.set_page_load_timeout(self.policy.page_timeout)
        self.driver.set_script_timeout(self.policy.page_timeout)
        self.injected_by_cdp = self._inject_once()
        return self

    def _start(self):
        command_timeout = self.policy.page_timeout + COMMAND_GRACE
        if not self.policy.remote:
            return start_chromium(self.policy.chromium, self.policy.chromedriver, self.policy.start_timeout,
                                  command_timeout)
        options = webdriver.ChromeOptions()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--window-size=1280,900"):
            options.add_argument(flag)
        if os.path.exists("/usr/bin/chromium"):
            options.binary_location = os.environ.get("GOVSITE_REMOTE_CHROMIUM", "/usr/bin/chromium")
        config = client_config(self.policy.remote, self.policy.start_timeout)
        driver = webdriver.Remote(command_executor=self.policy.remote, options=options, client_config=config)
        config.timeout = command_timeout
        return driver

    def _inject_once(self) -> bool:
        """Register axe, the stabilising style and the dialog notes for every new document via DevTools, if possible."""
        try:
            self.driver.execute("executeCdpCommand", {"cmd": "Page.addScriptToEvaluateOnNewDocument",
                                                      "params": {"source": self.script}})
            return True
        except WebDriverException:
            return False

    def _answer(self, dialogs: list[str], command, *args, repeat: bool = True):
        """Run one WebDriver command; a dialog the page opened is noted (the driver has dismissed it) and the
        command repeated (a navigation is not: it would open the dialog again)."""
        for _ in range(MAX_DIALOGS):
            try:
                return command(*args)
            except UnexpectedAlertPresentException as exc:
                dialogs.append(f"dialog: {(exc.alert_text or '')[:200]}")
                if not repeat:
                    return None
        raise PageDialogs(f"the page opened more than {MAX_DIALOGS} dialogs")

    def check(self, url: str, modes: tuple[str, ...], options: str) -> PageCheck:
        """Load ``url`` and run axe once per mode."""
        found = PageCheck()
        self.step = "page load"
        self._answer(found.dialogs, self.driver.get, url, repeat=False)
        if not self.injected_by_cdp:
            self.step = "script injection"
            self._answer(found.dialogs, self.driver.execute_script, self.script)
        axe_options = json.loads(options)  # once per page, not per mode
        engines = ENGINE_SETS[self.policy.engine]
        for mode in modes if "axe" in engines else ():
            self.step = f"axe run ({mode} mode)"
            outcome = self._answer(found.dialogs, self.driver.execute_async_script, RUN_AXE, axe_options,
                                   MODE_ATTRIBUTES[mode], EVERY_ATTRIBUTE)
            if isinstance(outcome, str):
                outcome = json.loads(outcome)
            if not isinstance(outcome, dict):
                outcome = {"error": "axe returned no result"}
            found.dialogs += outcome.pop("dialogs", [])
            if "error" in outcome:
                found.failures[mode] = str(outcome["error"])
                continue
            found.results[mode] = outcome
            if self.policy.screenshots:
                self.step = f"screenshots ({mode} mode)"
                outcome["shots"] = self._screenshots(outcome["violations"])
        if "keyboard" in engines:
            self.step = "keyboard checks"
            found.keys = check_keys(self.driver, url, modes, self.policy.page_timeout, self.policy.screenshots,
                                    local=not self.policy.remote, memory=self.keys)
        self.step = ""
        return found

    def _screenshots(self, violations: list[dict]) -> dict[str, bytes]:
        """PNG screenshots of failing elements (first target of each node), keyed by selector."""
        shots: dict[str, bytes] = {}
        for violation in violations:
            if violation["impact"] not in self.policy.fail_impacts:
                continue
            for node in violation["nodes"]:
                selector = node["target"][0] if len(node["target"]) == 1 and isinstance(node["target"][0], str) else None
                if not selector or selector in shots or len(shots) >= self.policy.screenshots:
                    continue
                try:
                    element = self.driver.find_element(By.CSS_SELECTOR, selector)
                    if element.size["width"] and element.size["height"]:
                        shots[selector] = element.screenshot_as_png
                except WebDriverException:
                    continue
        return shots

    def close(self, polite: bool = True) -> None:
        """End the session in bounded time; a local browser that failed is killed without asking it first."""
        self.step = "browser quit"
        self.keys.close()
        if self.policy.remote:
            end_session(self.driver)
        else:
            quit_chromium(self.driver, polite)


def failure_cause(exc: BaseException, step: str, policy: Policy) -> str:
    """Why a page attempt failed, naming the step, the limit that ended it and the remote WebDriver if any."""
    if isinstance(exc, BrowserStartFailed):
        return f"{step}: {exc} (GOVSITE_A11Y['start_timeout'] = {policy.start_timeout:g})"
    if isinstance(exc, TimeoutException):
        return f"{step} timed out after {policy.page_timeout:g} s (GOVSITE_A11Y['page_timeout'])"
    who = f"the remote WebDriver {policy.remote}" if policy.remote else "the browser"
    if isinstance(exc, urllib3.exceptions.NewConnectionError):  # urllib3 makes it a TimeoutError too
        return f"{step}: {who} cannot be reached ({str(exc).rpartition(': ')[2] or type(exc).__name__})"
    if isinstance(exc, (urllib3.exceptions.TimeoutError, TimeoutError)):
        limit = policy.start_timeout if step == "browser start" else policy.page_timeout + COMMAND_GRACE
        return f"{step}: {who} did not answer within {limit:g} s"
    text = str(exc).strip()
    first = text.splitlines()[0].removeprefix("Message: ").strip() if text else type(exc).__name__
    return f"{step}: {who} failed: {first}" if policy.remote else f"{step}: browser failed: {first}"


def run_options(policy: Policy) -> str:
    """axe.run options as JSON: the WCAG A/AA tags, disabled rules off, violations and incomplete; under
    ``_optional`` the rules of AXE_RULE_TREATMENT switched on or off for the profile (RUN_AXE keeps those
    the loaded axe-core knows: an older one may lack some), under ``_filters`` whether to post-filter."""
    options = {"runOnly": {"type": "tag", "values": WCAG_AA_TAGS},
               "resultTypes": ["violations", "incomplete"],
               "_optional": {rule: {"enabled": policy.axe_treatment(rule) != "off"} for rule in AXE_RULE_TREATMENT
                             if policy.axe_treatment(rule) and rule not in policy.disabled_rules},
               "_filters": policy.axe_post_filters}
    if policy.disabled_rules:
        options["rules"] = {rule: {"enabled": False} for rule in policy.disabled_rules}
    return json.dumps(options)


def target_text(target) -> str:
    """axe's node target as one string: frames joined by " >>> ", shadow roots by " >> "."""
    parts = target if isinstance(target, list) else [target]
    return " >>> ".join(" >> ".join(p) if isinstance(p, list) else str(p) for p in parts)


def compact_summary(summary: str) -> str:
    """axe's failure summary on one line, without the "Fix any of the following:" headers."""
    lines = [line.strip() for line in summary.splitlines()]
    return "; ".join(line for line in lines if line and not line.startswith("Fix "))


def to_findings(page: str, mode: str, outcome: dict, screenshot_dir: Path | None) -> list[Finding]:
    """Findings from one axe result: violations, incomplete as "needs review", and a failing
    ``engine-error`` for every rule that threw."""
    findings = []
    for kind, key in (("violation", "violations"), ("incomplete", "incomplete")):
        for result in outcome[key]:
            if result.get("error"):
                where = target_text(result["errorNode"]) if result.get("errorNode") else ""
                findings.append(engine_error(page, "axe", result["id"], result["error"], mode, where,
                                             result.get("helpUrl", "")))
                continue
            for node in result["nodes"]:
                target = target_text(node["target"])
                finding = Finding(
                    rule=result["id"], impact=node.get("impact") or result.get("impact") or "moderate",
                    page=page, message=compact_summary(node.get("summary") or result["help"]), engine="axe",
                    target=target, mode=mode, kind=kind, wcag=wcag_from_tags(result["tags"]),
                    help=help_for(result["id"], result["help"]), help_url=result["helpUrl"],
                    snippet=(node.get("html") or "")[:240])
                first = node["target"][0] if node["target"] else ""
                shot = outcome.get("shots", {}).get(first) if kind == "violation" and isinstance(first, str) else None
                if shot and screenshot_dir is not None:
                    name = f"{finding.fingerprint}-{mode}.png"
                    screenshot_dir.mkdir(parents=True, exist_ok=True)
                    (screenshot_dir / name).write_bytes(shot)
                    finding.screenshot = f"screenshots/{name}"
                findings.append(finding)
    return findings


def page_findings(page: str, check: PageCheck, screenshot_dir: Path | None) -> list[Finding]:
    """Every finding of one checked page: axe's per mode, axe failures, and the dialogs it opened."""
    found = [f for mode, outcome in check.results.items() for f in to_findings(page, mode, outcome, screenshot_dir)]
    found += [engine_error(page, "axe", "axe.run", why, mode) for mode, why in check.failures.items()]
    if check.keys is not None:
        found += key_findings(page, check.keys, screenshot_dir)
    for text in dict.fromkeys(check.dialogs):  # each distinct dialog once
        found.append(Finding("page-dialog", "critical", page, f"the page opened a dialog ({text}); it was "
                             "dismissed and the page checked", engine="axe", help=DIALOG_HELP))
    return found


def unchecked_finding(page: str, why: str) -> Finding:
    """The failing finding for a page the browser could not check."""
    return Finding("page-unchecked", "critical", page, engine="axe",
                   message=f"the page could not be checked in the browser: {why}", help=UNCHECKED_HELP)


class Restarts:
    """The run's budget of fresh browsers started after failures (GOVSITE_A11Y['browser_restarts'])."""

    def __init__(self, limit: int):
        self.limit, self.used, self.last = limit, 0, ""
        self.lock = threading.Lock()

    def take(self) -> bool:
        """Use one restart; False when the budget is spent."""
        with self.lock:
            if self.used >= self.limit:
                return False
            self.used += 1
            return True

    def spent(self) -> str:
        """Why pages are no longer tried."""
        return (f"not tried: the {self.limit} fresh browser(s) allowed after failures in one run "
                f"(GOVSITE_A11Y['browser_restarts']) are used up; last failure: {self.last}")


def check_page(page: str, url: str, policy: Policy, source: str, options: str, holder: list, restarts: Restarts):
    """Check one page, each retry on a fresh session; returns ``(PageCheck, None)`` or ``(None, why)``.

    ``holder`` is the worker's ``[session or None, started_before]``: a session is started when there
    is none, and every start after the worker's first one is taken from ``restarts``."""
    why = ""
    for attempt in range(1, policy.page_attempts + 1):
        step = "browser start"
        try:
            if holder[0] is None:
                if holder[1] and not restarts.take():
                    return None, restarts.spent()
                holder[1] = True
                holder[0] = Session(policy, source)
                holder[0].setup()
            step = holder[0].step
            return holder[0].check(url, policy.modes, options), None
        except Exception as exc:  # a hang, a crash, a lost connection: retry on a fresh session
            step = holder[0].step if holder[0] is not None else step
            why = failure_cause(exc, step, policy)
            restarts.last = f"{page}: {why}"
            if holder[0] is not None:
                holder[0].close(polite=False)
            holder[0] = None
    return None, f"{why} (after {policy.page_attempts} attempt{'s' if policy.page_attempts > 1 else ''})"


def run_axe_pages(root: Path, pages: list[str], policy: Policy, screenshot_dir: Path | None = None,
                  progress=None) -> AxeRun:
    """Check ``pages`` (paths relative to ``root``) with axe in every mode, in a pool of sessions."""
    run = AxeRun()
    if not pages:
        return run
    source = axe_source(policy).source
    options = run_options(policy)
    workers = max(1, min(policy.workers or os.cpu_count() or 1, len(pages)))
    todo: queue.Queue = queue.Queue()
    for page in pages:
        todo.put(page)
    lock = threading.Lock()
    restarts = Restarts(policy.browser_restarts)
    done: set[str] = set()

    def work(server: PageServer):
        holder: list = [None, False]
        try:
            while True:
                try:
                    page = todo.get_nowait()
                except queue.Empty:
                    return
                check, why = check_page(page, server.url(page), policy, source, options, holder, restarts)
                found = page_findings(page, check, screenshot_dir) if check else []
                with lock:
                    if check is None:
                        run.unchecked[page] = why
                    else:
                        run.findings += found
                        run.checked += 1
                        version = next(iter(check.results.values()), {}).get("version", "")
                        run.axe_version = version or run.axe_version
                        for outcome in check.results.values():
                            for why, count in outcome.get("filtered", {}).items():
                                run.filtered[why] = run.filtered.get(why, 0) + count
                    done.add(page)
                if progress:
                    progress(1)
        finally:
            if holder[0] is not None:
                holder[0].close()

    with PageServer(root, policy.serve_host) as server:
        threads = [threading.Thread(target=work, args=(server,), daemon=True) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    for page in pages:  # never pass silently: a page no worker finished is unchecked
        if page not in done:
            run.unchecked[page] = "no browser session finished this page"
    run.findings += [unchecked_finding(page, why) for page, why in run.unchecked.items()]
    return run
