"""Headless Chromium sessions (Debian chromium + chromium-driver) in bounded time, and axe-core runs in them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import urllib3
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chromium.remote_connection import ChromiumRemoteConnection
from selenium.webdriver.common.utils import free_port
from selenium.webdriver.remote.client_config import ClientConfig

from .axe_core import load_axe

CHROMIUM = os.environ.get("GOVSITE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("GOVSITE_CHROMEDRIVER", "/usr/bin/chromedriver")
#: Runs chromedriver and ends its process group when chromedriver ends or this process dies.
GUARD = Path(__file__).with_name("browser_guard.py")
#: axe-core tags for WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: Flags that keep Chromium off the network and quiet in a sandboxed, offline machine.
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--window-size=1280,900",
)


#: Seconds a WebDriver command may take beyond the browser's own page and script timeouts.
COMMAND_GRACE = 5.0
#: Seconds the polite end of a session may take before its processes are killed.
QUIT_TIMEOUT = 5.0


class BrowserMissing(RuntimeError):
    """Chromium or chromedriver is not installed where expected."""


class BrowserStartFailed(RuntimeError):
    """A browser did not start (its driver did not open its port or did not create a session in time)."""


class BoundedChromium(webdriver.Remote):
    """A local Chromium session whose every WebDriver command has a bounded time (see start_chromium)."""

    def execute_cdp_cmd(self, cmd: str, cmd_args: dict):
        """Run a Chrome DevTools Protocol command (as selenium's Chrome driver does)."""
        return self.execute("executeCdpCommand", {"cmd": cmd, "params": cmd_args})["value"]


def start_chromium(chromium: str = "", chromedriver: str = "", start_timeout: float = 60,
                   command_timeout: float = 60) -> BoundedChromium:
    """Start a local headless Chromium session in bounded time (no Selenium Manager download attempts).

    chromedriver runs in its own process group, killed by quit_chromium, under a guard that ends the
    group if this process dies without doing so (``browser_guard``); the WebDriver HTTP client
    waits at most ``start_timeout`` seconds for the session and ``command_timeout`` for any later answer.

    :raises BrowserMissing: when a binary is not installed.
    :raises BrowserStartFailed: when the driver or the browser does not answer in time.
    """
    chromium, chromedriver = chromium or CHROMIUM, chromedriver or CHROMEDRIVER
    for path in (chromium, chromedriver):
        if not Path(path).exists():
            raise BrowserMissing(f"{path} not found: install Debian's chromium and chromium-driver "
                                 "(`make setup` does it when run as root)")
    options = Options()
    options.binary_location = chromium
    profile = tempfile.mkdtemp(prefix="govsite-chromium-")
    for flag in CHROMIUM_FLAGS + (f"--user-data-dir={profile}",):
        options.add_argument(flag)
    port = free_port()
    process = subprocess.Popen([sys.executable, str(GUARD), str(os.getpid()), profile, chromedriver, f"--port={port}"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        wait_for_port(port, process, start_timeout, chromedriver)
        url = f"http://127.0.0.1:{port}"
        config = client_config(url, start_timeout)
        executor = ChromiumRemoteConnection(url, vendor_prefix="goog", browser_name="chrome", client_config=config)
        try:
            driver = BoundedChromium(command_executor=executor, options=options)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise BrowserStartFailed(f"{chromium} did not start within {start_timeout:g} s "
                                     f"({type(exc).__name__})") from exc
    except BaseException:
        kill_group(process)
        shutil.rmtree(profile, ignore_errors=True)
        raise
    config.timeout = command_timeout
    driver.set_script_timeout(30)
    driver._govsite_profile = profile  # removed by quit_chromium
    driver._govsite_process = process  # killed by quit_chromium
    return driver


def client_config(url: str, timeout: float) -> ClientConfig:
    """A WebDriver HTTP client that waits at most ``timeout`` seconds for an answer and never retries
    (urllib3 would otherwise repeat a timed-out GET three times)."""
    return ClientConfig(remote_server_addr=url, keep_alive=True, timeout=timeout,
                        init_args_for_pool_manager={"init_args_for_pool_manager": {"retries": False}})


def wait_for_port(port: int, process: subprocess.Popen, timeout: float, name: str) -> None:
    """Wait until ``process`` accepts connections on ``port``; raise BrowserStartFailed after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise BrowserStartFailed(f"{name} exited with status {process.returncode} while starting")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise BrowserStartFailed(f"{name} did not open its port within {timeout:g} s") from None
            time.sleep(0.05)


def kill_group(process: subprocess.Popen) -> None:
    """End a driver and every browser process it started (its process group): TERM, then KILL."""
    for sig, wait in ((signal.SIGTERM, 2), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(wait)
            break
        except subprocess.TimeoutExpired:
            continue
    try:  # the group may outlive its leader: make sure nothing in it keeps running
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def quit_chromium(driver, polite: bool = True) -> None:
    """End the session (within QUIT_TIMEOUT; not asked when not ``polite``), stop its processes and
    remove its temporary profile."""
    if polite or getattr(driver, "_govsite_process", None) is None:
        end_session(driver)
    process = getattr(driver, "_govsite_process", None)
    if process is not None:
        kill_group(process)
    profile = getattr(driver, "_govsite_profile", None)
    if profile:
        shutil.rmtree(profile, ignore_errors=True)


def end_session(driver) -> None:
    """Ask the driver to end the session, waiting at most QUIT_TIMEOUT; a driver that does not answer is left."""
    config = getattr(driver.command_executor, "client_config", None)
    if config is not None:
        config.timeout = QUIT_TIMEOUT
    try:
        driver.quit()
    except Exception:  # noqa: BLE001 - a dead or hung driver: its processes are killed next
        pass


#: axe.run with its full results, a rejection handler, and each errored rule's error as text.
RUN_AXE_FULL = """var done = arguments[arguments.length - 1];
axe.run(document, arguments[0]).then(function (r) {
  r.incomplete.forEach(function (x) { if (x.error) { x.error = String(x.message || x.error.message || x.error); } });
  done(JSON.stringify(r));
}).catch(function (e) { done(JSON.stringify({error: String(e && e.message || e)})); });"""


class AxeRunFailed(AssertionError):
    """axe-core could not run on a page, or one of its rules threw: its results are incomplete."""


def run_axe(driver, url: str, tags: list[str] = WCAG_AA_TAGS, script: str = "") -> dict:
    """Load ``url`` and return axe-core's results for the given rule tags (the vendored axe-core, or the
    axe.min.js at ``script``, read and verified by load_axe).

    :raises AxeRunFailed: when axe rejects or any rule errors (an errored rule is never dropped silently).
    """
    driver.get(url)
    driver.execute_script("return document.fonts.ready")
    driver.execute_script(load_axe(script).source)  # the vendored axe-core: its checksum verified
    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    results = json.loads(driver.execute_async_script(RUN_AXE_FULL, options))
    if "error" in results:
        raise AxeRunFailed(f"axe-core failed on {url}: {results['error']}")
    errored = [f"{r['id']}: {r['error']}" for r in results["incomplete"] if r.get("error")]
    if errored:
        raise AxeRunFailed(f"axe-core rules failed on {url}: " + "; ".join(errored))
    return results


def describe_violations(results: dict) -> str:
    """A short readable list of axe violations: rule, impact and the first targets."""
    lines = []
    for violation in results.get("violations", []):
        targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return "\n".join(lines)
