"""The browser gate on a real Selenium Grid (``--remote``): the same findings as a local run, and a
Grid that is down or hangs fails the gate with its cause in bounded time."""

import subprocess
import sys
import time

import pytest

from selenium.common.exceptions import WebDriverException

from govsite.archive.replay import free_port
from govsite.checks.axe_engine import PageServer, Session
from govsite.checks.browser import kill_group
from govsite.checks.cdp import Cdp
from govsite.checks.gate import run_gate
from govsite.checks.keyboard_engine import check_keys, key_findings
from govsite.checks.policy import load_policy

from grid_fixtures import SilentServer, start_grid
from test_gate import ROOT, page, site
from test_keyboard_engine import PAGES

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    """A Selenium 4 Grid (standalone) driving the Debian chromium, stopped after the module."""
    grid = start_grid(tmp_path_factory.mktemp("grid"))
    yield grid
    kill_group(grid.process)


def policy(**settings):
    return load_policy({"modes": ["normal"], "workers": 1, "page_timeout": 15, "engine": "all", **settings})


def found(result):
    """What a run found, without where its screenshots went."""
    return sorted((f.rule, f.impact, f.page, f.engine, f.target, f.mode, f.kind, f.status, f.message, f.snippet)
                  for f in result.findings)


def two_pages(tmp_path, **more):
    return site(tmp_path, {"index.html": page('<p style="color:#bbb">这段浅灰色的文字对比度不足。</p>'),
                           "good.html": page('<p>好。</p><p><a href="index.html">首页</a></p>', title="好"), **more})


def test_grid_finds_what_the_local_browser_finds_on_a_folder(tmp_path, grid):
    root = two_pages(tmp_path, **{"outline.html": PAGES["outline-none"][0], "click.html": PAGES["span-click"][0]})
    local = run_gate(root, policy())
    remote = run_gate(root, policy(remote=grid.url, workers=2))
    assert remote.browser_pages == local.browser_pages == ["click.html", "good.html", "index.html", "outline.html"], grid.log_tail()
    assert not remote.unchecked and not local.unchecked
    assert found(remote) == found(local)
    assert {(f.rule, f.page) for f in remote.failing} >= {("color-contrast", "index.html"),
                                                          ("focus-visible", "outline.html"), ("mouse-only", "click.html")}
    assert not [f for f in remote.findings if f.rule == "engine-error"]
    assert "Session created by the Distributor" in grid.log.read_text("utf-8"), "the sessions ran on the Grid"


@pytest.fixture
def grid_session(tmp_path, grid):
    """One Grid session with a page of a mouse-only control loaded: ``(session, url)``."""
    (tmp_path / "click.html").write_text(PAGES["span-click"][0], "utf-8")
    with PageServer(tmp_path) as server:
        session = Session(policy(remote=grid.url), "")
        try:
            session.driver.get(server.url("click.html"))
            yield session, server.url("click.html")
        finally:
            session.close()


def test_devtools_commands_go_over_the_grids_socket(grid_session):
    session, url = grid_session
    cdp = Cdp(session.driver, 10, local=False)
    try:
        assert cdp.direct and cdp.session, session.driver.capabilities.get("se:cdp")
        assert cdp.evaluate("document.title") == "t"
    finally:
        cdp.close()
    check = check_keys(session.driver, url, ("normal",), 20, 0, local=False)
    assert not check.errors and {i.rule for i in check.issues} == {"mouse-only"}


def test_an_unreachable_grid_socket_falls_back_to_the_driver(grid_session):
    session, url = grid_session
    session.driver.caps["se:cdp"] = f"ws://127.0.0.1:{free_port()}/session/x/se/cdp"  # nothing listens
    cdp = Cdp(session.driver, 10, local=False)
    assert not cdp.direct and session.driver._govsite_no_se_cdp  # later pages do not try again
    assert cdp.evaluate("document.title") == "t"  # executeCdpCommand, forwarded by the Grid
    check = check_keys(session.driver, url, ("normal",), 20, 0, local=False)
    assert not check.errors and {i.rule for i in check.issues} == {"mouse-only"}


def test_a_remote_without_devtools_is_an_engine_error_not_a_skip(grid_session, monkeypatch):
    session, url = grid_session
    execute = session.driver.execute

    def no_cdp(command, params=None):
        if command == "executeCdpCommand":
            raise WebDriverException("unknown command: this remote has no DevTools")
        return execute(command, params)

    session.driver.caps.pop("se:cdp")
    monkeypatch.setattr(session.driver, "execute", no_cdp)
    findings = key_findings("click.html", check_keys(session.driver, url, ("normal",), 20, 0, local=False), None)
    assert [(f.rule, f.status or "fail") for f in findings] == [("engine-error", "fail")]
    assert "no DevTools" in findings[0].message and findings[0].impact == "critical"


def test_grid_finds_what_the_local_browser_finds_on_a_built_site(built_fixture, grid):
    """The build's default engines (static + axe), on every page of the portal."""
    root = built_fixture / "www.chenghu.gov.cn"
    local = run_gate(root, policy(engine="both", workers=2))
    remote = run_gate(root, policy(engine="both", remote=grid.url, workers=2))
    assert remote.browser_pages == local.browser_pages and len(remote.browser_pages) >= 4, remote.browser_pages
    assert not remote.unchecked and found(remote) == found(local)
    assert remote.passed, remote.summary()


def test_govsite_check_remote_exit_code(tmp_path, grid):
    root = two_pages(tmp_path)
    done = subprocess.run([sys.executable, "-m", "govsite.checks", str(root), "--remote", grid.url, "--engine", "all",
                           "--modes", "normal", "--workers", "1"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "color-contrast" in done.stdout and "2 in the browser" in done.stdout


def unchecked_within(root, url: str, limit: float) -> tuple[list, float]:
    started = time.monotonic()
    result = run_gate(root, policy(remote=url, start_timeout=2, page_attempts=1, browser_restarts=1))
    seconds = time.monotonic() - started
    assert not result.passed and sorted(result.unchecked) == ["good.html", "index.html"]
    assert seconds < limit, f"{seconds:.1f} s"
    return [f.message for f in result.failing if f.rule == "page-unchecked"], seconds


def test_grid_down_fails_closed_naming_the_grid(tmp_path):
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    messages, _ = unchecked_within(two_pages(tmp_path), url, 15)
    assert len(messages) == 2 and all(url in m and "browser start" in m for m in messages), messages
    assert any("refused" in m for m in messages), messages


def test_hung_grid_fails_closed_within_the_start_timeout(tmp_path):
    with SilentServer() as silent:
        messages, seconds = unchecked_within(two_pages(tmp_path), silent.url, 15)
    assert any(f"{silent.url} did not answer within 2 s" in m for m in messages), messages
    assert seconds >= 2  # it waited for the Grid, then gave up
