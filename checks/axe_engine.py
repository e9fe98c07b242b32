"""The axe engine: axe-core in a pool of reused headless Chromium sessions, pages served on loopback.

Each worker thread owns one browser session (local Debian chromium, or a remote WebDriver such
as Selenium Grid). axe-core is injected once per session with the DevTools command
``Page.addScriptToEvaluateOnNewDocument`` where the driver allows it, else once per page. Every
page is checked in each configured mode (attributes on ``<html>``, the theme's contract). A page
that hangs or crashes the browser is retried once on a fresh session, then reported unchecked.
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

from axe_selenium_python.axe import _DEFAULT_SCRIPT as BUNDLED_AXE
from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By

from .browser import WCAG_AA_TAGS, quit_chromium, start_chromium
from .findings import Finding, wcag_from_tags
from .help_zh import help_for
from .policy import MODE_ATTRIBUTES, Policy

#: Makes results stable: no transitions or animations, no blinking caret.
STABILISE_CSS = "*,*::before,*::after{transition:none!important;animation:none!important;caret-color:transparent!important}"
STABILISE_JS = """(function(){function add(){if(document.getElementById('__govsite_stable'))return;
var s=document.createElement('style');s.id='__govsite_stable';s.textContent=%s;
(document.head||document.documentElement).appendChild(s);}
if(document.readyState==='loading'){document.addEventListener('DOMContentLoaded',add);}else{add();}})();""" % json.dumps(STABILISE_CSS)

#: Runs axe with a rejection handler, so an axe error surfaces at once instead of a script timeout.
RUN_AXE = """
var done = arguments[arguments.length - 1], options = arguments[0], attrs = arguments[1], clear = arguments[2];
function slim(list) { return list.map(function (r) { return {id: r.id, impact: r.impact, tags: r.tags,
  help: r.help, helpUrl: r.helpUrl, nodes: r.nodes.map(function (n) { return {target: n.target,
  html: n.html, impact: n.impact, summary: n.failureSummary}; })}; }); }
try {
  var root = document.documentElement;
  clear.forEach(function (a) { root.removeAttribute(a); });
  Object.keys(attrs).forEach(function (a) { root.setAttribute(a, attrs[a]); });
  void root.offsetHeight;
  if (typeof axe === 'undefined') { done({error: 'axe-core is not loaded in the page'}); }
  else {
    var fonts = document.fonts && document.fonts.status === 'loading' ? document.fonts.ready : Promise.resolve();
    fonts.then(function () {
      return axe.run(document, options);
    }).then(function (r) {
      // A JSON string crosses the WebDriver wire faster than a deep object.
      done(JSON.stringify({version: r.testEngine.version, violations: slim(r.violations),
                           incomplete: slim(r.incomplete)}));
    }).catch(function (e) { done({error: String(e && e.message || e)}); });
  }
} catch (e) { done({error: String(e && e.message || e)}); }
"""


class AxeEngineError(RuntimeError):
    """axe-core itself failed (bad option, script error): the run cannot be trusted."""


@dataclass
class AxeRun:
    """What the axe engine found."""

    findings: list[Finding] = field(default_factory=list)
    unchecked: dict[str, str] = field(default_factory=dict)  # page -> why
    axe_version: str = ""
    checked: int = 0


def axe_source(policy: Policy) -> str:
    """The axe.min.js to use: the configured one, else the one bundled with axe-selenium-python."""
    return Path(policy.axe_script or BUNDLED_AXE).read_text("utf-8")


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
    """One browser session with axe available on every new document."""

    def __init__(self, policy: Policy, source: str):
        self.policy = policy
        self.source = source
        self.driver = self._start()
        self.driver.set_page_load_timeout(policy.page_timeout)
        self.driver.set_script_timeout(policy.page_timeout)
        self.injected_by_cdp = self._inject_once()

    def _start(self):
        if not self.policy.remote:
            return start_chromium()
        options = webdriver.ChromeOptions()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--window-size=1280,900"):
            options.add_argument(flag)
        if os.path.exists("/usr/bin/chromium"):
            options.binary_location = os.environ.get("GOVSITE_REMOTE_CHROMIUM", "/usr/bin/chromium")
        return webdriver.Remote(command_executor=self.policy.remote, options=options)

    def _inject_once(self) -> bool:
        """Register axe and the stabilising style for every new document via DevTools, if possible."""
        try:
            self.driver.execute("executeCdpCommand", {"cmd": "Page.addScriptToEvaluateOnNewDocument",
                                                      "params": {"source": self.source + "\n" + STABILISE_JS}})
            return True
        except WebDriverException:
            return False

    def check(self, url: str, modes: tuple[str, ...], options: str) -> dict[str, dict]:
        """Load ``url`` and run axe once per mode; returns mode -> results."""
        self.driver.get(url)
        if not self.injected_by_cdp:
            self.driver.execute_script(self.source + "\n" + STABILISE_JS)
        every_attribute = sorted({a for attrs in MODE_ATTRIBUTES.values() for a in attrs})
        results = {}
        for mode in modes:
            outcome = self.driver.execute_async_script(RUN_AXE, json.loads(options), MODE_ATTRIBUTES[mode],
                                                       every_attribute)
            if isinstance(outcome, str):
                outcome = json.loads(outcome)
            if outcome is None or "error" in outcome:
                raise AxeEngineError(f"axe-core failed on {url} in {mode} mode: "
                                     f"{(outcome or {}).get('error', 'no result')}")
            results[mode] = outcome
            if self.policy.screenshots:
                outcome["shots"] = self._screenshots(outcome["violations"])
        return results

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

    def close(self) -> None:
        try:
            quit_chromium(self.driver) if not self.policy.remote else self.driver.quit()
        except WebDriverException:
            pass


def run_options(policy: Policy) -> str:
    """axe.run options as JSON: the WCAG A/AA tags, disabled rules switched off, violations and incomplete."""
    options = {"runOnly": {"type": "tag", "values": WCAG_AA_TAGS},
               "resultTypes": ["violations", "incomplete"]}
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
    """Findings from one axe result (violations, then incomplete as "needs review")."""
    findings = []
    for kind, key in (("violation", "violations"), ("incomplete", "incomplete")):
        for result in outcome[key]:
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


def run_axe_pages(root: Path, pages: list[str], policy: Policy, screenshot_dir: Path | None = None,
                  progress=None) -> AxeRun:
    """Check ``pages`` (paths relative to ``root``) with axe in every mode, in a pool of sessions."""
    run = AxeRun()
    if not pages:
        return run
    source = axe_source(policy)
    options = run_options(policy)
    workers = max(1, min(policy.workers or os.cpu_count() or 1, len(pages)))
    todo: queue.Queue = queue.Queue()
    for page in pages:
        todo.put(page)
    lock = threading.Lock()
    fatal: list[BaseException] = []
    done: set[str] = set()

    def work(server: PageServer):
        session = None
        try:
            while not fatal:
                try:
                    page = todo.get_nowait()
                except queue.Empty:
                    return
                error = ""
                for attempt in (1, 2):
                    try:
                        if session is None:
                            session = Session(policy, source)
                        results = session.check(server.url(page), policy.modes, options)
                        break
                    except AxeEngineError as exc:
                        fatal.append(exc)
                        return
                    except Exception as exc:  # a hang, a crash, a lost connection: retry on a fresh session
                        kind = "timed out" if isinstance(exc, TimeoutException) else "browser failed"
                        error = f"{kind}: {str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}"
                        if session is not None:
                            session.close()
                        session = None  # retry on a fresh session
                else:
                    with lock:
                        run.unchecked[page] = f"{error} (after 2 attempts)"
                        done.add(page)
                    if progress:
                        progress(1)
                    continue
                found = [f for mode, outcome in results.items() for f in to_findings(page, mode, outcome, screenshot_dir)]
                with lock:
                    run.findings += found
                    run.checked += 1
                    done.add(page)
                    run.axe_version = next(iter(results.values())).get("version", "")
                if progress:
                    progress(1)
        finally:
            if session is not None:
                session.close()

    with PageServer(root, policy.serve_host) as server:
        threads = [threading.Thread(target=work, args=(server,), daemon=True) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if fatal:
        raise fatal[0]
    for page in pages:  # never pass silently: a page no worker finished is unchecked
        if page not in done:
            run.unchecked[page] = "no browser session finished this page"
    return run
