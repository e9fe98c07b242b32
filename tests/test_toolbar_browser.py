"""The accessibility toolbar (无障碍工具条) in real headless Chromium: axe in every mode, keyboard
walkthrough and shortcuts, what each function changes, persistence, read-aloud, screenshots.

Modes are switched the way the contract allows a checker to: by attributes on <html>, or through
window.govsiteA11y. Only window.speechSynthesis is replaced (by a recording stub), never the browser.
Care mode's numbers are in test_care_mode_browser.py.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from axe_selenium_python import Axe
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from govsite.checks.browser import WCAG_AA_TAGS, describe_violations

pytestmark = pytest.mark.browser

WWW = "www.jichuan.gov.cn"
DEPARTMENT = "jyj.jichuan.gov.cn"
STORAGE_KEY = "govsite-a11y"
#: Modes for the axe runs: the <html> attributes each one sets (the toolbar is open in all but "closed").
OPEN = {"data-a11y-toolbar": ""}
#: (test_theme_browser.py checks the pages with the toolbar closed.)
MODES = {
    "normal": OPEN,
    "care": {**OPEN, "data-care": ""},
    "bw": {**OPEN, "data-scheme": "bw"},
    "yb": {**OPEN, "data-scheme": "yb"},
    "wb, aids": {**OPEN, "data-scheme": "wb", "data-captions": "", "data-crosshair": "", "data-big-cursor": ""},
    "largest text": {**OPEN, "data-text-step": "5"},
    "care, largest text, yb": {**OPEN, "data-care": "", "data-text-step": "5", "data-scheme": "yb"},
    "plain text, line spacing": {**OPEN, "data-plain-text": "", "data-line-spacing": "3"},
}
SET_MODE = """
const html = document.documentElement;
for (const name of html.getAttributeNames()) {
  if (name.startsWith("data-") && name !== "data-a11y-js") html.removeAttribute(name);
}
for (const [name, value] of Object.entries(arguments[0])) html.setAttribute(name, value);
"""
MODE_ATTRIBUTES = """
const html = document.documentElement;
return Object.fromEntries(html.getAttributeNames().filter((n) => n.startsWith("data-") && n !== "data-a11y-js")
  .map((n) => [n, html.getAttribute(n)]));
"""
#: A recording stand-in for window.speechSynthesis (arguments[0]: the voices it offers).
SPEECH_STUB = """
const voices = arguments[0];
const stub = {
  spoken: [], cancels: 0, speaking: false, pending: false, paused: false,
  getVoices() { return voices; }, speak(utterance) { this.spoken.push(utterance); },
  cancel() { this.cancels += 1; }, pause() {}, resume() {}, addEventListener() {}, removeEventListener() {},
};
Object.defineProperty(window, "speechSynthesis", { value: stub, configurable: true });
"""
SPOKEN = "return speechSynthesis.spoken.map((u) => ({text: u.text, lang: u.lang, rate: Math.round(u.rate * 100) / 100}))"
ZH_VOICE = [{"lang": "zh-CN", "name": "普通话（测试）", "default": True}]


# ---- helpers ---------------------------------------------------------------------------------

def page_urls(site: str, output: Path) -> dict[str, str]:
    """One URL per page type of the portal, the help page, a missing page (404) and the service guides included,
    and a department's home page (it has the link to its portal on top)."""
    root = output / WWW
    article = sorted(root.glob("*/*/*.html"))[0].relative_to(root).as_posix()
    names = {"home": "index.html", "column": "tzgg/index.html", "article": article, "page": "about.html",
             "sitemap": "sitemap.html", "404": "no/such/page.html", "help": "accessibility.html",
             # 政策礼包 (govsite/plugins/audiences.py): the index, one audience, an article with its tags
             "audiences": "zclb/index.html", "audience": "zclb/qiye/index.html",
             "tagged article": "zcwj/202606/20260618-youhua-yingshang-huanjing-cuoshi.html",
             "service column": "bsfw/index.html", "guide": "guides/budongchan-dengji.html",
             "guide catalogue": "guides/group.html"}
    urls = {kind: f"{site}/{path}" for kind, path in names.items()}
    return {**urls, "department home": urls["home"].replace(WWW, DEPARTMENT)}


def css(driver, selector: str, prop: str) -> str:
    return driver.execute_script(
        "return getComputedStyle(document.querySelector(arguments[0])).getPropertyValue(arguments[1])", selector, prop)


def px(value: str) -> float:
    return float(value.removesuffix("px"))


def press(driver, action: str) -> None:
    """Click the toolbar control of an action with the real pointer."""
    driver.find_element(By.CSS_SELECTOR, f'.a11y-bar [data-action="{action}"]').click()


def open_toolbar(driver) -> None:
    if driver.find_element(By.CSS_SELECTOR, '[data-action="toolbar"]').get_attribute("aria-expanded") != "true":
        press(driver, "toolbar")


def settings(driver) -> dict:
    return driver.execute_script("return govsiteA11y.get()")


def keys(driver, shortcut: str) -> None:
    """Press an aria-keyshortcuts value such as "Alt+Shift+?" or "Alt+ArrowUp"."""
    *modifiers, key = shortcut.split("+")
    key = {"ArrowUp": Keys.ARROW_UP, "ArrowDown": Keys.ARROW_DOWN, "Escape": Keys.ESCAPE, "Tab": Keys.TAB,
           "Enter": Keys.ENTER, "Space": Keys.SPACE}.get(key, key.lower())
    chain = ActionChains(driver)
    for modifier in modifiers:
        chain.key_down(getattr(Keys, modifier.upper()))
    chain.send_keys(key)
    for modifier in reversed(modifiers):
        chain.key_up(getattr(Keys, modifier.upper()))
    chain.perform()


def tab(driver, back: bool = False) -> None:
    """Press Tab (Shift+Tab when back)."""
    keys(driver, "Shift+Tab" if back else "Tab")


def focused_action(driver) -> str | None:
    return driver.execute_script("return document.activeElement.getAttribute('data-action')")


def wait_for(driver, script: str, timeout: float = 2.0):
    """Poll a script until it returns something truthy; returns that."""
    end = time.monotonic() + timeout
    while True:
        value = driver.execute_script(script)
        if value or time.monotonic() > end:
            return value
        time.sleep(0.05)


@pytest.fixture(scope="module")
def site(demo_server) -> str:
    return f"{demo_server}/{WWW}"


@pytest.fixture(scope="module")
def urls(site, built_demo) -> dict[str, str]:
    return page_urls(site, built_demo[0])


@pytest.fixture
def browser(chromium, site, urls):
    """The shared Chromium on the home page with no saved settings; left clean for other tests."""
    if not chromium.current_url.startswith(site):
        chromium.get(urls["home"])
    chromium.execute_script("localStorage.clear()")
    chromium.get(urls["home"])
    yield chromium
    chromium.execute_script("localStorage.clear()")
    chromium.set_window_size(1280, 900)


# ---- axe-core in every mode ------------------------------------------------------------------

def test_every_page_type_has_no_axe_violations_in_every_mode(browser, urls):
    options = json.dumps({"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}, "resultTypes": ["violations"]})
    failures = []
    for kind, url in urls.items():
        browser.get(url)
        browser.execute_script("return document.fonts.ready")
        axe = Axe(browser)
        axe.inject()
        for mode, attributes in MODES.items():
            browser.execute_script(SET_MODE, attributes)
            results = axe.run(options=options)
            if results["violations"]:
                failures.append(f"{kind} in {mode} mode:\n{describe_violations(results)}")
    assert not failures, "\n".join(failures)


def test_axe_sees_the_colours_of_a_mode(browser, urls):
    """The harness can fail: a scheme that puts grey on grey is reported as low contrast."""
    browser.execute_script(SET_MODE, {"data-scheme": "wb"})
    browser.execute_script("""const style = document.createElement("style");
      style.textContent = 'html[data-scheme] body main * { color: #777 !important; background-color: #888 !important; }';
      document.head.append(style);""")
    axe = Axe(browser)
    axe.inject()
    results = axe.run(options=json.dumps({"runOnly": {"type": "rule", "values": ["color-contrast"]}}))
    assert [v["id"] for v in results["violations"]] == ["color-contrast"]


# ---- the page without and with JavaScript ------------------------------------------------------

def test_without_javascript_the_entry_links_to_the_help_page(browser, urls):
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.get(urls["home"])
        shown = browser.execute_script("""return [...document.querySelectorAll('.a11y-bar a, .a11y-bar button')]
          .filter((e) => e.getClientRects().length).map((e) => [e.tagName, e.textContent.trim(), e.getAttribute('href')])""")
        assert shown == [["A", "无障碍", "./accessibility.html"]]
        assert css(browser, "#a11y-toolbar", "display") == "none"
        browser.find_element(By.CSS_SELECTOR, ".a11y-bar a").click()
        assert browser.find_element(By.TAG_NAME, "h1").text == "无障碍说明"
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_settings_are_applied_by_an_early_external_script_and_no_inline_script(browser, urls):
    for url in (urls["home"], urls["404"]):
        browser.get(url)
        assert browser.execute_script("""return [...document.scripts].map((s) => [
            s.parentElement.tagName, (s.getAttribute('src') || 'INLINE').split('/').pop(), s.defer, s.async])""") == [
            ["HEAD", "a11y-early.js", False, False], ["HEAD", "toolbar.js", True, False]]
        started = browser.execute_script(
            "return [...document.querySelectorAll('[data-module]')].map((e) => e.hasAttribute('data-module-started'))")
        assert started and all(started)


def test_a_broken_widget_names_itself_in_its_error(browser):
    errors = browser.execute_script("""
      const tryStart = (name, html) => {
        const element = document.createElement('div');
        element.innerHTML = html;
        try { new govsiteWidgets[name](element.firstElementChild || element); return null; }
        catch (error) { return error.name + ': ' + error.message; }
      };
      return [tryStart('govsite-toolbar', '<div></div>'), tryStart('govsite-reader', '<p></p>'),
              tryStart('govsite-care-switch', '<button></button>'), tryStart('govsite-captions', '<div></div>')];""")
    assert [e.split(":")[:2] for e in errors] == [["WidgetError", " govsite-toolbar"], ["WidgetError", " govsite-reader"],
                                                  ["WidgetError", " govsite-care-switch"], ["WidgetError", " govsite-captions"]]


# ---- keyboard -------------------------------------------------------------------------------

def test_keyboard_walkthrough_of_the_toolbar(browser):
    tab(browser)
    assert browser.execute_script("return document.activeElement.className") == "skip-link"
    tab(browser)
    assert focused_action(browser) == "toolbar"
    tab(browser)
    assert focused_action(browser) == "care"
    tab(browser, back=True)
    keys(browser, "Enter")
    entry = browser.find_element(By.CSS_SELECTOR, '[data-action="toolbar"]')
    assert entry.get_attribute("aria-expanded") == "true"

    expected = browser.execute_script(
        "return [...document.querySelectorAll('#a11y-toolbar button, #a11y-toolbar a')].map((e) => e.dataset.action)")
    for action in expected:  # focus starts on the first control; Tab visits every control in order
        assert focused_action(browser) == action
        if action == "text-larger":
            keys(browser, "Enter")
            assert settings(browser)["textStep"] == 1
        if action == "crosshair":
            keys(browser, "Space")
            assert browser.switch_to.active_element.get_attribute("aria-pressed") == "true"
            assert settings(browser)["crosshair"]
        tab(browser)
    assert not browser.execute_script("return document.activeElement.closest('.a11y-ui')"), "Tab leaves the toolbar"

    tab(browser, back=True)
    assert focused_action(browser) == expected[-1]
    keys(browser, "Escape")
    assert entry.get_attribute("aria-expanded") == "false"
    assert css(browser, "#a11y-toolbar", "display") == "none"
    assert focused_action(browser) == "toolbar", "Escape gives focus back to the 无障碍 button"
    assert settings(browser)["textStep"] == 1, "closing keeps the settings"


#: Every shortcut, pressed in this order, and a script that is true once it has done its job.
SHORTCUTS = [
    ("Alt+G", "return html.hasAttribute('data-a11y-toolbar') && document.activeElement.closest('#a11y-toolbar') !== null"),
    ("Alt+1", "return html.hasAttribute('data-care')"),
    ("Alt+2", "return html.hasAttribute('data-crosshair')"),
    ("Alt+3", "return html.hasAttribute('data-plain-text')"),
    ("Alt+4", "return html.hasAttribute('data-big-cursor')"),
    ("Alt+9", "return html.hasAttribute('data-captions')"),
    ("Alt+ArrowUp", "return html.getAttribute('data-text-step') === '1'"),
    ("Alt+ArrowDown", "return !html.hasAttribute('data-text-step')"),
    ("Alt+`", "return html.getAttribute('data-scheme') === 'bw'"),
    ("Alt+6", "return govsiteA11y.get().rate === 1.4"),
    ("Alt+7", "return govsiteA11y.get().pointRead"),
    ("Alt+8", "return speechSynthesis.spoken.length > 0 && q('[data-action=read-on]').ariaPressed === 'true'"),
    ("Alt+5", "return !govsiteA11y.get().pointRead && q('[data-action=read-on]').ariaPressed === 'false'"),
    ("Alt+0", "return html.getAttributeNames().join() === 'lang,data-a11y-js,data-a11y-toolbar'"),
    ("Shift+Escape", "return !html.hasAttribute('data-a11y-toolbar')"),
    ("Alt+Shift+?", "return location.pathname.endsWith('/accessibility.html')"),
]


def test_every_shortcut_does_its_job(browser, urls):
    declared = browser.execute_script(
        "return [...document.querySelectorAll('[aria-keyshortcuts]')].map((e) => e.getAttribute('aria-keyshortcuts'))")
    assert sorted(declared) == sorted(shortcut for shortcut, _ in SHORTCUTS), "every shortcut is tested"
    ActionChains(browser).send_keys("1").send_keys("g").perform()
    assert settings(browser) == browser.execute_script("return {...govsiteA11y.DEFAULTS}"), "no printable key alone"
    browser.execute_script(SPEECH_STUB, ZH_VOICE)
    for shortcut, check in SHORTCUTS:
        keys(browser, shortcut)
        script = "const html = document.documentElement, q = (s) => document.querySelector(s); " + check
        assert wait_for(browser, script), f"{shortcut} did not do its job"


def test_help_page_lists_every_function_and_shortcut(browser, urls):
    browser.get(urls["home"])
    controls = browser.execute_script("""return [...document.querySelectorAll('.a11y-bar [data-action]')]
      .filter((e) => e.tagName === 'BUTTON' || e.closest('#a11y-toolbar'))
      .map((e) => [e.dataset.action, e.getAttribute('aria-keyshortcuts') || ''])""")
    browser.get(urls["help"])
    rows = browser.execute_script("""return [...document.querySelectorAll('tr[data-action]')].map((r) => [
      r.dataset.action, r.cells[1].textContent.trim()])""")
    assert [action for action, _ in rows] == [action for action, _ in controls]
    for (action, shortcut), (_, shown) in zip(controls, rows):
        key = shortcut.split("+")[-1].replace("ArrowUp", "↑").replace("ArrowDown", "↓").replace("Escape", "Esc")
        assert (key in shown) if shortcut else shown == "—", f"{action}: {shortcut!r} shown as {shown!r}"


# ---- what each function changes --------------------------------------------------------------

def test_text_size_has_five_steps_and_the_page_reflows(browser):
    open_toolbar(browser)
    sizes = [px(css(browser, "body", "font-size"))]
    for _ in range(6):
        press(browser, "text-larger")
        sizes.append(px(css(browser, "body", "font-size")))
    assert sizes[:6] == sorted(set(sizes[:6])), f"five growing steps: {sizes}"
    assert sizes[6] == sizes[5] and sizes[5] == 2 * sizes[0], f"the fifth step is the last, at 200%: {sizes}"
    assert px(css(browser, "h2", "font-size")) >= 2 * 1.4 * 16
    assert css(browser, "body", "transform") == "none" and css(browser, "html", "zoom") == "1"
    assert browser.execute_script("return document.documentElement.scrollWidth <= innerWidth"), "no sideways scroll"
    press(browser, "text-smaller")
    assert px(css(browser, "body", "font-size")) == sizes[4]
    press(browser, "text-reset")
    assert px(css(browser, "body", "font-size")) == sizes[0]


def test_line_spacing_cycles_through_three_steps(browser):
    open_toolbar(browser)
    ratios = []
    for _ in range(4):
        press(browser, "line-spacing")
        ratios.append(round(px(css(browser, "main p, main li", "line-height")) / px(css(browser, "main li", "font-size")), 2))
    assert ratios == [2.0, 2.25, 2.5, 1.75]
    press(browser, "line-spacing")
    assert browser.find_element(By.CSS_SELECTOR, '[data-action="line-spacing"]').text == "行距：2倍"


SCHEME_COLOURS = {"bw": ("rgb(0, 0, 0)", "rgb(255, 255, 255)"), "wb": ("rgb(255, 255, 255)", "rgb(0, 0, 0)"),
                  "yb": ("rgb(255, 255, 0)", "rgb(0, 0, 0)")}


def test_colour_schemes_recolour_text_links_and_buttons(browser):
    open_toolbar(browser)
    parts = {"text": "main h2", "link": "main .item-list a", "nav link": ".site-nav a", "button": ".a11y-button",
             "switch": ".care-switch", "footer": ".site-footer"}
    for scheme, label in (("bw", "白底黑字"), ("wb", "黑底白字"), ("yb", "黑底黄字")):
        press(browser, "scheme")
        assert browser.execute_script("return document.documentElement.dataset.scheme") == scheme
        assert browser.find_element(By.CSS_SELECTOR, '[data-action="scheme"]').text == f"配色：{label}"
        for name, selector in parts.items():
            colours = (css(browser, selector, "color"), css(browser, selector, "background-color"))
            assert colours == SCHEME_COLOURS[scheme], f"{name} in {scheme}: {colours}"
        assert css(browser, ".a11y-button", "border-top-color") == SCHEME_COLOURS[scheme][0]
    press(browser, "scheme")
    assert css(browser, ".site-nav", "background-color") == "rgb(155, 28, 28)", "normal colours again"


def test_big_cursor_replaces_the_pointer(browser):
    open_toolbar(browser)
    assert css(browser, "main p, main h2", "cursor") == "auto"
    press(browser, "big-cursor")
    assert "cursor-big.svg" in css(browser, "main h2", "cursor")
    assert "cursor-link.svg" in css(browser, "main a", "cursor")
    assert browser.execute_script("return fetch('theme/img/cursor-big.svg').then((r) => r.ok)")


def line_position(driver) -> tuple[float, float]:
    """Where the crosshair lines cross (x of the vertical line, y of the horizontal one)."""
    return tuple(driver.execute_script("""
      const h = document.querySelector('.a11y-crosshair__line--h').getBoundingClientRect();
      const v = document.querySelector('.a11y-crosshair__line--v').getBoundingClientRect();
      return [v.left + v.width / 2, h.top + h.height / 2];"""))


def test_crosshair_follows_the_pointer_and_the_focus(browser):
    open_toolbar(browser)
    assert css(browser, ".a11y-crosshair", "display") == "none"
    press(browser, "crosshair")
    assert css(browser, ".a11y-crosshair__line--h", "background-color") == "rgb(212, 53, 28)"
    heading = browser.find_element(By.CSS_SELECTOR, "main h2")
    ActionChains(browser).move_to_element_with_offset(heading, 0, 0).perform()
    box = heading.rect
    scroll = browser.execute_script("return scrollY")
    x, y = line_position(browser)
    assert abs(x - (box["x"] + box["width"] / 2)) <= 1.5 and abs(y - (box["y"] - scroll + box["height"] / 2)) <= 1.5
    browser.execute_script("document.querySelector('.site-nav a[href$=\"tzgg/index.html\"]').focus()")
    link = browser.execute_script("return document.activeElement.getBoundingClientRect().toJSON()")
    x, y = line_position(browser)
    assert abs(x - (link["left"] + link["width"] / 2)) <= 1.5 and abs(y - (link["top"] + link["height"] / 2)) <= 1.5


def test_captions_show_the_text_under_the_pointer_or_focus_in_large_type(browser):
    open_toolbar(browser)
    press(browser, "captions")
    bar = browser.find_element(By.CSS_SELECTOR, ".a11y-captions")
    assert bar.is_displayed() and px(css(browser, ".a11y-captions", "font-size")) >= 32
    ActionChains(browser).move_to_element(browser.find_element(By.CSS_SELECTOR, "main h2")).perform()
    assert bar.text == browser.find_element(By.CSS_SELECTOR, "main h2").text == "最新信息"
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    focused = browser.switch_to.active_element
    assert bar.text == focused.text and bar.text
    assert browser.execute_script("return document.querySelector('.a11y-captions').getAttribute('aria-hidden')") == "true"


def test_plain_text_mode_drops_layout_images_and_colours(browser):
    open_toolbar(browser)
    assert css(browser, ".home-columns", "display") == "grid"
    press(browser, "plain-text")
    assert css(browser, ".home-columns", "display") == "block"
    assert css(browser, ".item-list li", "display") == "list-item"
    assert css(browser, ".site-nav", "background-color") == "rgba(0, 0, 0, 0)"
    assert css(browser, ".site-nav a", "color") == "rgb(11, 79, 138)"
    assert css(browser, ".site-footer", "color") == "rgb(26, 26, 26)"
    assert css(browser, ".zhaocuo img", "display") == "none", "decorative images go"
    assert px(css(browser, ".brand-logo", "height")) < 40, "an image naming a link stays, small"
    assert css(browser, ".a11y-button", "border-top-width") == "2px", "the toolbar keeps its look"


def test_settings_persist_across_pages_and_can_be_switched_off(browser, urls):
    open_toolbar(browser)
    for action in ("text-larger", "scheme", "line-spacing", "big-cursor", "crosshair", "captions", "plain-text", "care"):
        press(browser, action)
    expected = {"data-a11y-toolbar": "", "data-text-step": "1", "data-scheme": "bw", "data-line-spacing": "1",
                "data-big-cursor": "", "data-crosshair": "", "data-captions": "", "data-plain-text": "", "data-care": ""}
    assert browser.execute_script(MODE_ATTRIBUTES) == expected
    browser.find_element(By.CSS_SELECTOR, '.site-nav a[href$="tzgg/index.html"]').click()
    assert browser.current_url == urls["column"]
    assert browser.execute_script(MODE_ATTRIBUTES) == expected
    saved = json.loads(browser.execute_script(f"return localStorage.getItem('{STORAGE_KEY}')"))
    assert saved["textStep"] == 1 and saved["scheme"] == "bw" and saved["care"] is True
    pressed = browser.execute_script(
        "return [...document.querySelectorAll('[aria-pressed=true]')].map((e) => e.dataset.action).sort()")
    assert pressed == ["big-cursor", "captions", "crosshair", "plain-text"]
    assert browser.find_element(By.CSS_SELECTOR, ".care-switch").text == "退出关怀版"

    press(browser, "reset")
    assert browser.execute_script(MODE_ATTRIBUTES) == OPEN, "reset clears all but the open toolbar"
    browser.execute_script("govsiteA11y.reset()")
    assert browser.execute_script(f"return localStorage.getItem('{STORAGE_KEY}')") is None
    browser.get(urls["home"])
    assert browser.execute_script(MODE_ATTRIBUTES) == {}


def test_stale_or_edited_settings_are_cleaned_up(browser, urls):
    browser.execute_script(f"""localStorage.setItem('{STORAGE_KEY}',
      JSON.stringify({{textStep: 99, scheme: 'pink', care: 'yes', crosshair: true, rate: 7}}))""")
    browser.get(urls["home"])
    assert browser.execute_script(MODE_ATTRIBUTES) == {"data-text-step": "5", "data-crosshair": ""}
    assert settings(browser)["rate"] == 1


@pytest.mark.parametrize("asked, attributes", [
    ("?mode=care", {"data-care": ""}),
    ("?mode=contrast", {"data-scheme": "bw"}),
    ("?mode=care,yellow,large-text", {"data-care": "", "data-scheme": "yb", "data-text-step": "5"}),
    ("#mode=plain-text", {"data-plain-text": ""}),
])
def test_a_mode_in_the_address_is_switched_on_and_remembered(browser, urls, asked, attributes):
    browser.execute_script("govsiteA11y.apply({textStep: 2, crosshair: true})")  # replaced by the asked modes
    browser.get(urls["article"] + asked)
    assert browser.execute_script(MODE_ATTRIBUTES) == attributes
    assert "mode=" not in browser.current_url, "the toolbar's later changes hold on reload"
    browser.get(urls["home"])
    assert browser.execute_script(MODE_ATTRIBUTES) == attributes
    browser.get(urls["home"] + "?mode=normal")
    assert browser.execute_script(MODE_ATTRIBUTES) == {}


BOGUS = '"><img src=x onerror="window.pwned=1">'


@pytest.mark.parametrize("asked", ["?mode=" + BOGUS, "?mode=__proto__", "?mode=constructor", "#mode=toString",
                                   "?mode=care%3Cscript%3E", "?mode="])
def test_a_bogus_mode_in_the_address_changes_nothing(browser, urls, asked):
    browser.execute_script("govsiteA11y.apply({scheme: 'wb'})")
    browser.get(urls["home"] + asked)
    assert browser.execute_script(MODE_ATTRIBUTES) == {"data-scheme": "wb"}
    assert settings(browser)["scheme"] == "wb" and settings(browser)["care"] is False
    assert browser.execute_script("return window.pwned === undefined && !document.querySelector('img[src=x]')")
    assert "onerror" not in browser.execute_script("return document.documentElement.outerHTML")


def test_reflow_at_320px_in_normal_and_care_mode(browser, urls):
    browser.set_window_size(320, 800)
    failures = []
    for mode in ("normal", "care"):
        for kind, url in urls.items():
            browser.get(url)
            browser.execute_script(SET_MODE, MODES[mode])
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                failures.append(f"{kind} in {mode} mode scrolls sideways by {overflow}px")
    assert not failures, "\n".join(failures)


# ---- read-aloud ------------------------------------------------------------------------------

def test_point_reading_speaks_the_focused_or_pointed_element_in_chinese(browser, urls):
    browser.get(urls["article"])
    browser.execute_script(SPEECH_STUB, ZH_VOICE)
    open_toolbar(browser)
    press(browser, "point-read")
    browser.execute_script("document.querySelector('.site-nav a[href$=\"tzgg/index.html\"]').focus()")
    spoken = wait_for(browser, SPOKEN)
    assert spoken[-1] == {"text": "链接，通知公告", "lang": "zh-CN", "rate": 1}

    press(browser, "rate")
    paragraph = browser.find_element(By.CSS_SELECTOR, ".article-body p")
    ActionChains(browser).move_to_element(paragraph).perform()
    text = " ".join(paragraph.text.split())
    assert wait_for(browser, f"return speechSynthesis.spoken.some((u) => u.text === {json.dumps(text)})"), \
        f"the pointed paragraph was not read: {browser.execute_script(SPOKEN)}"
    assert browser.execute_script(SPOKEN)[-1] == {"text": text, "lang": "zh-CN", "rate": 1.4}


def test_reading_on_starts_at_the_focus_and_goes_on_block_by_block(browser, urls):
    browser.get(urls["column"])
    browser.execute_script(SPEECH_STUB, ZH_VOICE)
    items = browser.find_elements(By.CSS_SELECTOR, "main .item-list li")
    browser.execute_script("arguments[0].focus()", items[1].find_element(By.TAG_NAME, "a"))
    keys(browser, "Alt+8")
    first = " ".join(items[1].text.split())
    assert browser.execute_script(SPOKEN) == [{"text": first, "lang": "zh-CN", "rate": 1}]
    assert "a11y-reading" in items[1].get_attribute("class")
    browser.execute_script("speechSynthesis.spoken[0].onend()")
    assert browser.execute_script(SPOKEN)[1]["text"] == " ".join(items[2].text.split())
    assert "a11y-reading" in items[2].get_attribute("class")
    keys(browser, "Alt+8")
    assert browser.execute_script("return speechSynthesis.cancels") >= 1
    assert not browser.find_elements(By.CSS_SELECTOR, ".a11y-reading")
    browser.execute_script("speechSynthesis.spoken[1].onend()")  # a late end event of the stopped reading
    assert len(browser.execute_script(SPOKEN)) == 2


@pytest.mark.parametrize("voices", [[], [{"lang": "en-US", "name": "English"}]], ids=["no voices", "no Chinese voice"])
def test_no_chinese_voice_gives_a_clear_message(browser, voices):
    browser.execute_script(SPEECH_STUB, voices)
    open_toolbar(browser)
    press(browser, "read-on")
    status = browser.find_element(By.CSS_SELECTOR, ".a11y-status")
    assert "未找到中文（zh-CN）语音" in status.text and status.is_displayed()
    assert status.get_attribute("role") == "status"
    assert browser.execute_script(SPOKEN) == []
    assert browser.find_element(By.CSS_SELECTOR, '[data-action="read-on"]').get_attribute("aria-pressed") == "false"


# ---- screenshots -----------------------------------------------------------------------------

#: Screenshots for people to look at: name -> settings (the README ones are also kept in docs/screenshots/).
SCREENSHOTS = {
    "normal": {"toolbar": True}, "care": {"care": True}, "contrast-yb": {"scheme": "yb", "toolbar": True},
    "contrast-bw": {"scheme": "bw"}, "contrast-wb": {"scheme": "wb"}, "largest-text": {"textStep": 5},
    "plain-text": {"plainText": True}, "captions-crosshair": {"captions": True, "crosshair": True},
}
README_SCREENSHOTS = ("normal", "care", "contrast-yb")
README_DIR = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def test_screenshots_of_each_mode(browser, urls, tmp_path_factory):
    """Written under the pytest temporary folder; GOVSITE_README_SCREENSHOTS=1 refreshes docs/screenshots/."""
    folder = tmp_path_factory.mktemp("toolbar-screenshots")
    browser.set_window_size(1024, 700)
    for name, mode in SCREENSHOTS.items():
        browser.execute_script("govsiteA11y.reset(); govsiteA11y.apply(arguments[0])", mode)
        browser.get(urls["home"])
        if mode.get("captions"):
            ActionChains(browser).move_to_element(browser.find_element(By.CSS_SELECTOR, "main .item-list a")).perform()
        path = folder / f"{name}.png"
        assert browser.save_screenshot(str(path)) and path.read_bytes()[:4] == b"\x89PNG"
        if os.environ.get("GOVSITE_README_SCREENSHOTS") == "1" and name in README_SCREENSHOTS:
            README_DIR.mkdir(parents=True, exist_ok=True)
            (README_DIR / f"{name}.png").write_bytes(path.read_bytes())
    print(f"toolbar screenshots: {folder}")
