"""Care mode (关怀版 / 长辈版) in real headless Chromium: the elderly-friendly numbers on every page
type (text >= 18px, main headings and functions >= 30px, line spacing >= 1.5, paragraph spacing
>= 1.3 x line spacing, targets >= 60 x 60px, one column, nothing floating) and its switch."""

import pytest
from selenium.webdriver.common.by import By

from test_toolbar_browser import browser, css, press, px, site, urls  # noqa: F401 (shared fixtures)

pytestmark = pytest.mark.browser

#: Everything that breaks a care-mode rule on the current page, as readable lines.
CARE_PROBLEMS = """
const problems = [];
const name = (e) => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
  + ' "' + (e.textContent || '').trim().slice(0, 12) + '"';
const shown = (e) => e.getClientRects().length > 0 && !e.closest('.visually-hidden, .skip-link, .a11y-captions');
const size = (e) => parseFloat(getComputedStyle(e).fontSize);
const lineHeight = (e) => parseFloat(getComputedStyle(e).lineHeight);

for (const e of document.body.querySelectorAll('*')) {
  if (!shown(e)) continue;
  const style = getComputedStyle(e);
  const ownText = [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  if (ownText && size(e) < 18) problems.push(`text under 18px (${size(e)}): ${name(e)}`);
  if (ownText && lineHeight(e) < 1.5 * size(e)) problems.push(`line spacing under 1.5: ${name(e)}`);
  if (style.float !== 'none') problems.push(`floats: ${name(e)}`);
  if (style.position === 'fixed' || style.position === 'sticky') problems.push(`floating (${style.position}): ${name(e)}`);
}
for (const e of document.querySelectorAll('main h1, main h2, .site-nav a')) {
  if (shown(e) && size(e) < 30) problems.push(`main heading or function under 30px (${size(e)}): ${name(e)}`);
}
for (const e of document.querySelectorAll('a, button')) {
  if (!shown(e) || e.closest('.article-body')) continue;  // links inside running text are exempt
  const box = e.getBoundingClientRect();
  if (box.width < 59.5 || box.height < 59.5) problems.push(`target ${Math.round(box.width)}x${Math.round(box.height)}: ${name(e)}`);
}
for (const p of document.querySelectorAll('main p + p')) {
  const gap = p.getBoundingClientRect().top - p.previousElementSibling.getBoundingClientRect().bottom;
  if (gap < 1.3 * lineHeight(p) - 0.5) problems.push(`paragraph spacing ${gap} < 1.3 x ${lineHeight(p)}: ${name(p)}`);
}
// One column: block-level children (and flex or grid items) of anything in main sit one below another.
for (const parent of document.querySelectorAll('main, main *')) {
  const itemsFlow = /flex|grid/.test(getComputedStyle(parent).display);
  const kids = [...parent.children].filter((k) => shown(k)
    && (itemsFlow || /^(block|flex|grid|list-item|table)$/.test(getComputedStyle(k).display)));
  for (let i = 1; i < kids.length; i++) {
    if (kids[i].getBoundingClientRect().top < kids[i - 1].getBoundingClientRect().bottom - 1) {
      problems.push(`side by side: ${name(kids[i - 1])} | ${name(kids[i])}`);
    }
  }
}
return problems;
"""


def test_every_page_type_meets_the_care_mode_rules(browser, urls):
    press(browser, "care")  # the switch on the home page; the other pages follow from the saved setting
    failures = {}
    for kind, url in urls.items():
        browser.get(url)
        assert browser.execute_script("return document.documentElement.hasAttribute('data-care')"), kind
        problems = browser.execute_script(CARE_PROBLEMS)
        if problems:
            failures[kind] = problems[:8]
    assert not failures, "\n".join(f"{kind}:\n  " + "\n  ".join(p) for kind, p in failures.items())


def test_the_care_rules_can_fail(browser):
    """Normal mode breaks them (small targets, several columns), so the check really measures."""
    problems = browser.execute_script(CARE_PROBLEMS)
    assert any(p.startswith("target") for p in problems)
    assert any(p.startswith("side by side") for p in problems)
    assert any(p.startswith("main heading or function under 30px") for p in problems)


def test_the_switch_is_prominent_and_leads_back_just_as_prominently(browser):
    switch = browser.find_element(By.CSS_SELECTOR, ".care-switch")
    assert switch.is_displayed() and switch.text == "关怀版"
    assert px(css(browser, ".care-switch", "font-size")) > px(css(browser, ".a11y-entry.a11y-js", "font-size"))
    assert css(browser, ".care-switch", "background-color") == "rgb(155, 28, 28)"
    normal = switch.size
    switch.click()
    switch = browser.find_element(By.CSS_SELECTOR, ".care-switch")
    assert switch.text == "退出关怀版"
    assert switch.size["height"] >= max(60, normal["height"]) and switch.size["width"] >= normal["width"]
    assert px(css(browser, "body", "font-size")) == 22.5
    browser.execute_script("govsiteA11y.apply({textStep: 5})")
    assert px(css(browser, "body", "font-size")) == 45, "text steps scale care mode's sizes too"
    switch.click()
    assert browser.find_element(By.CSS_SELECTOR, ".care-switch").text == "关怀版"
    assert not browser.execute_script("return document.documentElement.hasAttribute('data-care')")
