"""Shared fixtures: a copy of the fixture group, built groups, one Chromium session."""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
import subprocess
import threading
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from hypothesis.configuration import set_hypothesis_home_dir

from govsite.archive.replay import free_port
from govsite.checks.browser import CHROMEDRIVER, quit_chromium, start_chromium, wait_for_port
from govsite.build import build_group
from govsite.serve import make_server

# Hypothesis keeps no example database and its caches in a temporary folder, never in the checkout.
_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="govsite-hypothesis-")
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, True)
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
hypothesis_settings.register_profile("govsite", database=None)
hypothesis_settings.load_profile("govsite")

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
DEMO_CONTENT = Path(__file__).parent.parent / "content"
#: The demo is built as of this day in tests, so its lifecycle events are in a known state.
DEMO_DAY = "2026-11-27"
#: The notices column a lifecycle event needs (append it to a site.toml).
NOTICES = '[[columns]]\nslug = "notices"\nname = "通知公告"\ntype = "通知公告"\ndescription = "通知。"'
#: A temporary offline of ten days from 2026-12-01 (append it to a site.toml).
TEMP = ('[[lifecycle]]\nevent = "temporary_offline"\nstart = 2026-12-01\nend = 2026-12-10\n'
        'reason = "机房搬迁"\napproval = "澄政办函〔2026〕8号"')


#: Folders a test run may write into the checkout: Python's and pytest's own caches.
RUN_CACHES = {"__pycache__", ".pytest_cache", ".hypothesis"}


def checkout_state() -> set[tuple]:
    """Every untracked, changed or ignored file of the checkout with its size and mtime (the
    virtualenv and the run caches left out); empty outside a git checkout."""
    done = subprocess.run(["git", "status", "--porcelain", "-z", "--ignored", "--untracked-files=all", "--",
                           ".", ":(exclude).venv"], cwd=ROOT, capture_output=True, text=True)
    state = set()
    for entry in done.stdout.split("\0") if done.returncode == 0 else []:
        path = entry[3:]
        if not path or RUN_CACHES & set(Path(path).parts):
            continue
        info = (ROOT / path).stat() if (ROOT / path).exists() else None
        state.add((entry[:2], path, info and (info.st_size, info.st_mtime_ns)))
    return state


@pytest.fixture(scope="session", autouse=True)
def checkout_untouched():
    """Tests never write into the checkout (records, reports, caches, output): every path goes to tmp_path."""
    before = checkout_state()
    yield
    written = sorted(checkout_state() - before)
    assert not written, f"the tests wrote into the checkout {ROOT}: {written}"


class GroupCopy:
    """A writable copy of a content folder, with helpers to break it on purpose."""

    def __init__(self, root: Path):
        self.root = root

    def site_toml(self, site_id: str) -> Path:
        return self.root / site_id / "site.toml"

    def set(self, site_id: str, key: str, value: str) -> None:
        """Replace the first top-level ``key = ...`` line (value is raw TOML)."""
        path = self.site_toml(site_id)
        text, count = re.subn(rf"(?m)^{re.escape(key)} = .*$", f"{key} = {value}", path.read_text("utf-8"), count=1)
        assert count == 1, f"{key} not found in {path}"
        path.write_text(text, "utf-8")

    def insert_top(self, site_id: str, line: str) -> None:
        """Insert a raw line at the top of site.toml (before any table)."""
        path = self.site_toml(site_id)
        path.write_text(line + "\n" + path.read_text("utf-8"), "utf-8")

    def append(self, site_id: str, text: str) -> None:
        path = self.site_toml(site_id)
        path.write_text(path.read_text("utf-8") + "\n" + text + "\n", "utf-8")

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        return path


@pytest.fixture
def group(tmp_path) -> GroupCopy:
    """A fresh copy of tests/fixtures/group (a portal 'city' and a department 'dept')."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "group", root)
    return GroupCopy(root)


@pytest.fixture
def lifecycle_group(group) -> GroupCopy:
    """The fixture group with lifecycle events for 'dept': a notices column, a launch, TEMP."""
    group.append("dept", NOTICES)
    group.append("dept", '[[lifecycle]]\nevent = "launch"\ndate = 2026-01-10')
    group.append("dept", TEMP)
    return group


@pytest.fixture(scope="session")
def built_fixture(tmp_path_factory) -> Path:
    """The fixture group built once (read-only for tests)."""
    base = tmp_path_factory.mktemp("fixture-build")
    results = build_group(FIXTURES / "group", base / "output", cache_dir=base / "cache", strict=True,
                          reports_dir=base / "reports", settings={"GOVSITE_A11Y": {"engine": "static"}})
    assert all(r.ok for r in results), [r.error for r in results]
    return base / "output"


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory):
    """The demo group (content/) built once with the full gate, with its results (read-only for tests)."""
    base = tmp_path_factory.mktemp("demo-build")
    results = build_group(DEMO_CONTENT, base / "output", cache_dir=base / "cache", reports_dir=base / "reports",
                          settings={"GOVSITE_TODAY": DEMO_DAY})
    return base / "output", results


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium session shared by every browser test (reset its window size after use)."""
    driver = start_chromium()
    yield driver
    quit_chromium(driver)


@pytest.fixture
def chromedriver_url():
    """A standalone chromedriver on a free loopback port, as a WebDriver URL (it speaks the protocol of
    a Selenium Grid); stopped after the test."""
    port = free_port()
    process = subprocess.Popen([CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process, 10, CHROMEDRIVER)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="session")
def demo_server(built_demo):
    """The built demo group served on loopback; yields the base URL (sites at /<domain>/)."""
    output, _ = built_demo
    srv = make_server(output, port=0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()
