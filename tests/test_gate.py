"""The gate on folders of HTML (checks/gate.py): both engines in real Chromium, reports, faults, CLI."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from lxml import html

from govsite.checks import axe_engine
from govsite.checks.gate import run_gate
from govsite.checks.policy import load_policy

pytestmark = pytest.mark.browser
ROOT = Path(__file__).parent.parent

META = ('<meta name="SiteName" content="澄湖市人民政府"><meta name="SiteDomain" content="www.chenghu.gov.cn">'
        '<meta name="SiteIDCode" content="9902000001">')
FOOTER = ('<footer><p>主办单位 运行维护单位 联系方式 网站标识码 ICP备案号 公安机关备案号 <a href="index.html">网站地图</a> '
          '我为政府网站找错 党政机关网站标识 本网站支持IPv6</p></footer>')


def page(body, style="", title="测试页面"):
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>{META}'
            f"<style>body{{font-size:18px;line-height:1.6}} a{{color:#0b4f8a}} {style}</style></head>"
            f'<body><main><h1>{title}</h1>{body}</main>{FOOTER}</body></html>')


def site(tmp_path, pages):
    root = tmp_path / "site"
    for name, text in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    return root


def policy(**settings):
    return load_policy({"modes": ["normal"], "workers": 1, "page_timeout": 10, **settings})


def test_clean_site_passes_with_both_engines_and_writes_reports(tmp_path):
    root = site(tmp_path, {"index.html": page("<p>正文内容。</p>"), "a/b.html": page("<p>第二页。</p>", title="第二页")})
    result = run_gate(root, policy(), report_dir=tmp_path / "report")
    assert result.passed, result.summary()
    assert result.browser_pages == ["a/b.html", "index.html"] and result.axe_version.startswith("4.")
    data = json.loads((tmp_path / "report" / "report.json").read_text("utf-8"))
    assert data["schema"] == "govsite-a11y-report/1" and data["passed"] is True
    assert data["pages"] == {"total": 2, "static_reused": 0, "browser": 2, "browser_checked": ["a/b.html", "index.html"], "unchecked": {}}
    suite = ET.parse(tmp_path / "report" / "junit.xml").getroot()
    assert suite.tag == "testsuite" and suite.get("failures") == "0" and len(suite.findall("testcase")) == 2
    report = html.parse(str(tmp_path / "report" / "index.html"))
    assert report.getroot().get("lang") == "zh-CN" and "结论：通过" in report.getroot().text_content()


def test_contrast_violation_fails_with_screenshot_and_chinese_report(tmp_path):
    root = site(tmp_path, {"index.html": page('<p class="faint">浅灰色的文字看不清。</p>', ".faint{color:#aaa}")})
    result = run_gate(root, policy(), report_dir=tmp_path / "report")
    assert not result.passed
    [failure] = [f for f in result.failing if f.rule == "color-contrast"]
    assert failure.engine == "axe" and failure.impact == "serious" and failure.wcag == ("1.4.3",)
    assert failure.target == ".faint" and "对比度" in failure.help
    assert (tmp_path / "report" / failure.screenshot).read_bytes().startswith(b"\x89PNG")
    data = json.loads((tmp_path / "report" / "report.json").read_text("utf-8"))
    assert data["summary"]["by_rule"]["color-contrast"]["fail"] == 1
    assert data["findings"][0]["screenshot"] == failure.screenshot
    text = html.parse(str(tmp_path / "report" / "index.html")).getroot().text_content()
    assert "结论：不通过" in text and "1.4.3" in text and "浅灰色的文字看不清" in text
    junit = ET.parse(tmp_path / "report" / "junit.xml").getroot()
    assert junit.get("failures") == "1" and junit.find(".//failure").get("type") == "color-contrast"
    assert "color-contrast" in result.summary().splitlines()[1]


def test_each_mode_is_checked(tmp_path):
    root = site(tmp_path, {"index.html": page("<p>关怀版下变浅的文字。</p>", "html[data-care] p{color:#bbb}")})
    assert run_gate(root, policy()).passed
    result = run_gate(root, policy(modes=["normal", "care", "contrast"]))
    assert {f.mode for f in result.failing} == {"care"}


def test_incomplete_results_are_reported_apart_and_do_not_fail(tmp_path):
    body = '<p style="background:url(bg.png) #fff;color:#777">背景图上的文字</p>'
    root = site(tmp_path, {"index.html": page(body)})
    result = run_gate(root, policy(), report_dir=tmp_path / "report")
    assert result.passed
    review = json.loads((tmp_path / "report" / "report.json").read_text("utf-8"))["review"]
    assert review and all(item["status"] == "review" and item["kind"] == "incomplete" for item in review)


def test_static_findings_fail_without_the_browser_and_defer_to_axe(tmp_path):
    root = site(tmp_path, {"index.html": page('<img src="a.png"><h3>跳级</h3>')})
    static = run_gate(root, policy(engine="static"))
    assert {f.rule for f in static.failing} == {"image-alt"} and static.browser_pages == []
    assert {f.rule for f in static.findings if f.status == "warn"} == {"heading-order"}
    both = run_gate(root, policy())
    assert [f.engine for f in both.findings if f.rule == "image-alt"] == ["axe"], "one finding, from the browser"


def test_smart_selection_checks_changed_pages_and_one_per_layout(tmp_path):
    pages = {f"news/{i}.html": page(f"<p>新闻{i}</p>", title=f"新闻{i}") for i in range(4)}
    pages["index.html"] = page("<section><h2>首页</h2></section>")
    root = site(tmp_path, pages)
    state = tmp_path / "state.json"
    first = run_gate(root, policy(), state_path=state)
    assert len(first.browser_pages) == 5 and state.is_file()
    second = run_gate(root, policy(), state_path=state)
    assert second.browser_pages == ["index.html", "news/0.html"], "nothing changed: one page per layout"
    (root / "news/2.html").write_text(page("<p>新闻2（更新）</p>", title="新闻2"), "utf-8")
    third = run_gate(root, policy(), state_path=state)
    assert third.browser_pages == ["index.html", "news/2.html"]
    full = run_gate(root, policy(pages="all"), state_path=state)
    assert len(full.browser_pages) == 5
    changed_policy = run_gate(root, policy(disabled_rules={"region": "test"}), state_path=state)
    assert len(changed_policy.browser_pages) == 5, "a different policy re-checks everything"


def test_smart_state_is_not_advanced_by_a_failing_run(tmp_path):
    root = site(tmp_path, {"index.html": page('<p style="color:#bbb">这段浅灰色的文字对比度不足。</p>')})
    state = tmp_path / "state.json"
    assert not run_gate(root, policy(), state_path=state).passed
    assert "pages" not in json.loads(state.read_text("utf-8")), "no browser state from a failing run"
    assert run_gate(root, policy(), state_path=state).browser_pages == ["index.html"]


def test_static_findings_of_unchanged_pages_are_reused_and_still_fail(tmp_path):
    pages = {f"news/{i}.html": page(f"<p>新闻{i}</p>", title=f"新闻{i}") for i in range(3)}
    pages["bad.html"] = page('<img src="a.png">')
    root = site(tmp_path, pages)
    state = tmp_path / "state.json"
    first = run_gate(root, policy(engine="static"), state_path=state)
    assert first.static_reused == 0 and [f.rule for f in first.failing] == ["image-alt"]
    second = run_gate(root, policy(engine="static"), state_path=state)
    assert second.static_reused == 4
    assert [(f.rule, f.page, f.target, f.status) for f in second.findings] == \
        [(f.rule, f.page, f.target, f.status) for f in first.findings], "the cache gives the same verdict"
    (root / "bad.html").write_text(page('<img src="a.png" alt="图">'), "utf-8")
    third = run_gate(root, policy(engine="static"), state_path=state)
    assert third.static_reused == 3 and third.passed
    other_rules = run_gate(root, policy(engine="static", disabled_rules={"region": "test"}), state_path=state)
    assert other_rules.static_reused == 0, "other options or rules re-check every page"


def settle(*paths):
    """Date files a minute back: FileMemo does not remember files modified in the last seconds."""
    for path in paths:
        os.utime(path, (time.time() - 60, time.time() - 60))


def test_page_hashes_are_remembered_by_file_identity(tmp_path):
    from govsite.checks.selection import content_hash, page_hashes

    (tmp_path / "a.html").write_text("<p>甲</p>", "utf-8")
    (tmp_path / "b.html").write_text("<p>乙</p>", "utf-8")
    settle(tmp_path / "a.html", tmp_path / "b.html")
    memo = tmp_path / "memo.json"
    first = page_hashes(tmp_path, ["a.html", "b.html"], memo)
    assert first["a.html"] == content_hash("<p>甲</p>".encode())
    remembered = json.loads(memo.read_text("utf-8"))["files"]
    remembered["a.html"][3] = "marker"  # the same file as last time is not read again
    memo.write_text(json.dumps({"files": remembered}), "utf-8")
    assert page_hashes(tmp_path, ["a.html", "b.html"], memo)["a.html"] == "marker"
    replacement = tmp_path / "new.html"
    replacement.write_text("<p>丙</p>", "utf-8")
    settle(replacement)
    replacement.replace(tmp_path / "a.html")  # another file (inode) at that name: read
    assert page_hashes(tmp_path, ["a.html"], memo) == {"a.html": content_hash("<p>丙</p>".encode())}
    assert set(json.loads(memo.read_text("utf-8"))["files"]) == {"a.html"}  # pages no longer listed are dropped
    (tmp_path / "b.html").write_text("<p>丁</p>", "utf-8")  # modified just now: computed, not remembered
    page_hashes(tmp_path, ["a.html", "b.html"], memo)
    assert set(json.loads(memo.read_text("utf-8"))["files"]) == {"a.html"}, "a file this fresh may change unseen"
    memo.write_text("damaged", "utf-8")
    assert page_hashes(tmp_path, ["a.html"], memo) == {"a.html": content_hash("<p>丙</p>".encode())}


def test_hanging_page_is_reported_unchecked_and_fails(tmp_path):
    root = site(tmp_path, {"hang.html": page("<script>while (true) {}</script>"), "ok.html": page("<p>好</p>", title="好")})
    started = time.monotonic()
    result = run_gate(root, policy(page_timeout=3, workers=2))
    assert time.monotonic() - started < 60
    assert list(result.unchecked) == ["hang.html"] and "after 2 attempts" in result.unchecked["hang.html"]
    assert "page load timed out after 3 s" in result.unchecked["hang.html"], result.unchecked
    assert [(f.rule, f.page) for f in result.failing] == [("page-unchecked", "hang.html")]


def test_browser_crash_is_retried_on_a_fresh_session(tmp_path, monkeypatch):
    root = site(tmp_path, {"index.html": page("<p>正文</p>")})
    real_check, calls = axe_engine.Session.check, []

    def crash_once(self, url, modes, options):
        calls.append(self.driver.session_id)
        if len(calls) == 1:
            self.driver.quit()  # the browser goes away mid-run
        return real_check(self, url, modes, options)

    monkeypatch.setattr(axe_engine.Session, "check", crash_once)
    result = run_gate(root, policy())
    assert result.passed and result.browser_pages == ["index.html"] and not result.unchecked
    assert len(calls) == 2 and calls[0] != calls[1], "the retry ran on a new session"


def test_axe_error_surfaces_at_once(tmp_path):
    broken = tmp_path / "axe.min.js"
    broken.write_text("/*! axe v9.9.9 */ window.axe = {run: function () { return Promise.reject(new Error('boom')); }};")
    root = site(tmp_path, {"index.html": page("<p>正文</p>")})
    started = time.monotonic()
    result = run_gate(root, policy(axe_script=str(broken), page_timeout=30), report_dir=tmp_path / "report")
    assert time.monotonic() - started < 20, "no 30-second script timeout"
    [error] = [f for f in result.failing if f.rule == "engine-error"]
    assert error.page == "index.html" and error.mode == "normal" and "axe.run" in error.message and "boom" in error.message
    assert not result.passed and "engine-error" in result.summary() and "boom" in result.summary()
    assert json.loads((tmp_path / "report" / "report.json").read_text("utf-8"))["passed"] is False


def test_newer_axe_script_can_be_configured(tmp_path):
    custom = tmp_path / "axe.min.js"
    custom.write_text(Path(axe_engine.BUNDLED_AXE).read_text("utf-8"), "utf-8")
    root = site(tmp_path, {"index.html": page("<p>正文</p>")})
    assert run_gate(root, policy(axe_script=str(custom))).passed


def test_remote_webdriver_against_standalone_chromedriver(tmp_path, chromedriver_url):
    root = site(tmp_path, {"index.html": page('<p style="color:#bbb">这段浅灰色的文字对比度不足。</p>'), "b.html": page("<p>好</p>", title="好")})
    result = run_gate(root, policy(remote=chromedriver_url, workers=2))
    assert result.browser_pages == ["b.html", "index.html"] and not result.unchecked
    assert [(f.rule, f.page) for f in result.failing] == [("color-contrast", "index.html")]


def test_baseline_lets_a_legacy_site_adopt_the_gate(tmp_path):
    root = site(tmp_path, {"old.html": page('<img src="a.png"><p style="color:#bbb">这段浅灰色的文字对比度不足。</p>')})
    baseline = tmp_path / "baseline.json"
    first = run_gate(root, policy(), baseline_out=baseline)
    assert not first.passed and baseline.is_file()
    assert run_gate(root, policy(baseline=str(baseline))).passed
    (root / "new.html").write_text(page('<input type="text">', title="新页面"), "utf-8")
    later = run_gate(root, policy(baseline=str(baseline)))
    assert {(f.rule, f.page) for f in later.failing} == {("label", "new.html")}


def cli(*args):
    return subprocess.run([sys.executable, "-m", "govsite.checks", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_cli_exit_codes_and_reports(tmp_path):
    good = site(tmp_path / "g", {"index.html": page("<p>好</p>")})
    bad = site(tmp_path / "b", {"index.html": page('<p style="color:#bbb">这段浅灰色的文字对比度不足。</p>')})
    passed = cli(str(good), "--modes", "normal", "--workers", "1")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    failed = cli(str(bad), "--modes", "normal", "--workers", "1", "--report", str(tmp_path / "r"))
    assert failed.returncode == 1 and "color-contrast" in failed.stdout
    assert (tmp_path / "r" / "index.html").is_file()
    assert cli(str(tmp_path / "missing")).returncode == 2
    assert cli(str(good), "--engine", "lighthouse").returncode == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli(str(empty))
    assert result.returncode == 2 and "no HTML pages" in result.stderr
    settings = tmp_path / "conf.py"
    settings.write_text("GOVSITE_A11Y = {'fail_impact': ['serious']}\n")
    invalid = cli(str(good), "--settings", str(settings))
    assert invalid.returncode == 1 and "did you mean 'fail_impacts'" in invalid.stderr


def test_an_exception_after_axe_runs_surfaces_at_once(tmp_path):
    """Even a result axe cannot hand back (an error in our own result handling) is no timeout."""
    broken = tmp_path / "axe.min.js"
    broken.write_text("/*! axe v9.9.9 */ window.axe = {run: function () { return Promise.resolve({}); }};")
    root = site(tmp_path, {"index.html": page("<p>正文</p>")})
    started = time.monotonic()
    result = run_gate(root, policy(axe_script=str(broken), page_timeout=30))
    assert time.monotonic() - started < 20
    assert [(f.rule, f.page) for f in result.failing] == [("engine-error", "index.html")]
    assert "axe rule axe.run failed in normal mode" in result.failing[0].message


def test_shadow_dom_targets_are_reported(tmp_path):
    script = ("<div id='host'></div><script>const root = document.getElementById('host').attachShadow({mode: 'open'});"
              "root.innerHTML = '<img src=\"a.png\">';</script>")
    root = site(tmp_path, {"index.html": page(script)})
    result = run_gate(root, policy())
    assert not result.unchecked
    assert [f.target for f in result.failing if f.rule == "image-alt"] == ["#host >> img"]


def test_static_keyboard_findings_fold_into_the_keyboard_engines_finding_on_the_same_element():
    from govsite.checks.findings import Finding
    from govsite.checks.gate import merge_keyboard
    browser = Finding("mouse-only", "serious", "news.html", "no Tab reaches it", engine="keyboard",
                      target="body > table > tbody > tr:nth-of-type(2) > td > a", wcag=("2.1.1",))
    static = Finding("mouse-only-control", "serious", "news.html", "click handler", engine="static",
                     target="html > body > table > tr:nth-of-type(2) > td > a", wcag=("2.1.1", "4.1.2"))
    elsewhere = Finding("mouse-only-control", "serious", "news.html", "click handler", engine="static",
                        target="html > body > table > tr:nth-of-type(3) > td > a", wcag=("2.1.1",))
    other_page = Finding("mouse-only-control", "serious", "index.html", "click handler", engine="static",
                         target=static.target, wcag=("2.1.1",))
    unrelated = Finding("link-name", "serious", "news.html", "no name", engine="static", target=static.target,
                        wcag=("2.4.4",))
    kept = merge_keyboard([browser, static, elsewhere, other_page, unrelated])
    assert kept == [browser, elsewhere, other_page, unrelated]
    assert browser.wcag == ("2.1.1", "4.1.2")
    assert browser.message.endswith("(also found in the markup by rule mouse-only-control)")
    assert merge_keyboard([static, elsewhere]) == [static, elsewhere]  # no keyboard engine: nothing folds
