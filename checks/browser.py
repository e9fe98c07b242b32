"""Headless Chromium sessions (Debian chromium + chromium-driver) and axe-core runs in them."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

CHROMIUM = os.environ.get("GOVSITE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("GOVSITE_CHROMEDRIVER", "/usr/bin/chromedriver")
#: axe-core tags for WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: Flags that keep Chromium off the network and quiet in a sandboxed, offline machine.
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--window-size=1280,900",
)


class BrowserMissing(RuntimeError):
    """Chromium or chromedriver is not installed where expected."""


def start_chromium() -> webdriver.Chrome:
    """Start a local headless Chromium session (no Selenium Manager download attempts)."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).exists():
            raise BrowserMissing(f"{path} not found: install Debian's chromium and chromium-driver "
                                 "(`make setup` does it when run as root)")
    options = Options()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="govsite-chromium-")
    for flag in CHROMIUM_FLAGS + (f"--user-data-dir={profile}",):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(30)
    driver._govsite_profile = profile  # removed by quit_chromium
    return driver


def quit_chromium(driver: webdriver.Chrome) -> None:
    """End the session and remove its temporary profile."""
    profile = getattr(driver, "_govsite_profile", None)
    driver.quit()
    if profile:
        shutil.rmtree(profile, ignore_errors=True)


def run_axe(driver: webdriver.Chrome, url: str, tags: list[str] = WCAG_AA_TAGS) -> dict:
    """Load ``url`` and return axe-core's results for the given rule tags."""
    driver.get(url)
    driver.execute_script("return document.fonts.ready")
    axe = Axe(driver)
    axe.inject()
    options = json.dumps({"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]})
    return axe.run(options=options)


def describe_violations(results: dict) -> str:
    """A short readable list of axe violations: rule, impact and the first targets."""
    lines = []
    for violation in results.get("violations", []):
        targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return "\n".join(lines)
