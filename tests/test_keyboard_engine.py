"""The keyboard engine (checks/keyboard_engine.py) in real Chromium: a failing and a passing page per check."""

import json
from pathlib import Path

import pytest

from govsite.build import build_group
from govsite.checks.axe_engine import PageServer
from govsite.checks.browser import quit_chromium, start_chromium
from govsite.checks.gate import run_gate
from govsite.checks.keyboard_engine import KeyMemory, Walker, check_keys, key_findings
from govsite.checks.policy import load_policy

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.browser


def doc(body, style=""):
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
            f'<style>body{{font:16px/1.4 sans-serif;margin:8px}} {style}</style></head><body>{body}</body></html>')


SHORTCUT = ('<label>New item <input id="t"></label><ul id="list"></ul><script>document.addEventListener("keydown", e => {'
            'if (e.key === "n" && (!window.ctrl || e.ctrlKey) && !window.off) { list.innerHTML += "<li>item</li>"; }'
            '});</script>')
LINKS = '<a href="#a">first</a> <a href="#b">second</a> <button type="button">third</button>'
#: page -> (html, the rule it must fail, or None: no keyboard finding at all)
PAGES = {
    "plain": (doc(LINKS + "<p>Some text.</p>"), None),
    "outline-none": (doc(LINKS, "a,button{outline:none!important}"), "focus-visible"),
    "blur-on-focus": (doc('<a href="#a" onfocus="this.blur()">first</a> <a href="#b">second</a>'), "focus-visible"),
    "indicator-beside": (doc('<span id="i" style="display:inline-block;width:1em;height:1em"></span>'
                             '<a href="#a" style="outline:none" onfocus="i.style.background=\'navy\'" '
                             'onblur="i.style.background=\'\'">first</a>'), None),
    "obscured": (doc('<div style="height:3000px"><p>Top</p></div><a href="#z">hidden link</a>'
                     '<div style="position:fixed;left:0;right:0;bottom:0;height:50vh;background:#fff">banner</div>'),
                 "focus-obscured"),
    "frame": (doc('<a href="#a">first</a> <iframe title="inner" srcdoc="<a href=\'#x\'>inside</a>"></iframe> '
                  '<a href="#b">after</a>'), None),
    "positive-tabindex": (doc('<a href="#a">first</a> <a href="#b" tabindex="3">second</a>'), "focus-order"),
    "row-reverse": (doc('<nav style="display:flex;flex-direction:row-reverse;justify-content:flex-end;gap:1em">'
                        '<a href="#a">one</a><a href="#b">two</a><a href="#c">three</a></nav>'), "focus-order"),
    "trap": (doc('<a href="#a">first</a> <button onblur="setTimeout(() => this.focus(), 10)">trap</button> '
                 '<a href="#b">after</a>'), "keyboard-trap"),
    "trap-with-named-key": (doc('<p>Press Escape to leave the editor.</p><a href="#a">first</a> '
                                '<button onblur="if(!window.out)setTimeout(() => this.focus(), 10)" '
                                'onkeydown="if(event.key===\'Escape\'){window.out=1;after.focus()}">editor</button> '
                                '<a id="after" href="#b">after</a>'), None),
    "trap-with-wrong-key": (doc('<p>Press Ctrl+M to leave.</p><a href="#a">first</a> '
                                '<button onblur="setTimeout(() => this.focus(), 10)">trap</button> <a href="#b">after</a>'),
                            "keyboard-trap"),
    "orientation-lock": (doc("<p>Content</p>", "@media (orientation: portrait) { html { transform: rotate(90deg) } }"),
                         "orientation"),
    "navigates-on-focus": (doc('<a href="#a">first</a> <a href="#b" onfocus="location=\'plain.html\'">go</a>'),
                           "focus-change-context"),
    "opens-on-focus": (doc('<a href="#a">first</a> <input aria-label="q" onfocus="window.open(\'plain.html\')">'),
                       "focus-change-context"),
    "span-click": (doc('<span onclick="this.textContent=\'done\'">click me</span> <a href="#a">link</a>'), "mouse-only"),
    "button-click": (doc('<button type="button" onclick="this.textContent=\'done\'">click me</button>'), None),
    "hover-menu": (doc('<ul><li id="m"><span>Menu</span><ul id="s" style="display:none"><li><a href="#x">sub</a></li>'
                       '</ul></li></ul><script>m.addEventListener("mouseover",()=>s.style.display="block");'
                       'm.addEventListener("mouseout",()=>s.style.display="none");</script>'), "mouse-only"),
    "select-navigates": (doc('<label>Go <select onchange="location=\'plain.html\'"><option>a</option><option>b</option>'
                             '</select></label>'), "input-change-context"),
    "select-updates": (doc('<label>Pick <select onchange="out.textContent=this.value"><option>a</option>'
                           '<option>b</option></select></label> <output id="out"></output>'), None),
    "invisible-field": (doc('<label>Search <input type="search" style="border:2px solid transparent;'
                            'background:transparent"></label>'), "control-boundary"),
    "wide": (doc('<div style="width:900px">A fixed wide block of text.</div>'), "reflow"),
    "zoom-clip": (doc('<div style="overflow:hidden;height:16vh">' + "A line of a poem.<br>" * 4 + "</div>"),
                  "resize-text"),
    "spacing-clip": (doc('<div style="overflow:hidden;height:2.9em;line-height:1.4;width:20em">'
                         'Two lines of text that fill this box exactly, and spacing makes them need more room.</div>'),
                     "text-spacing"),
    "ellipsis": (doc('<div style="white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:60em">'
                     'A long line that is cut with an ellipsis on purpose when the window gets narrow.</div>'), None),
    "single-key-shortcut": (doc(SHORTCUT), "character-key-shortcut"),
    "shortcut-remappable": (doc(SHORTCUT + '<label><input type="checkbox" onclick="window.ctrl=this.checked"> '
                                '使用 Ctrl 组合键</label>'), None),
    "shortcut-switch-in-panel": (doc(SHORTCUT + '<button type="button" onclick="p.hidden=false">Keyboard shortcuts'
                                     '</button><div id="p" hidden><button type="button" onclick="window.off=1">Turn off'
                                     '</button> <label><input type="checkbox" onclick="window.off=this.checked"> '
                                     '关闭单键快捷键</label></div>'), None),
    "shortcut-unrelated-button": (doc(SHORTCUT + '<button type="button" onclick="window.off=1">Settings</button>'),
                                  "character-key-shortcut"),
    "shortcut-with-ctrl": (doc('<ul id="list"></ul><script>document.addEventListener("keydown", e => {'
                               'if (e.key === "n" && e.ctrlKey) list.innerHTML += "<li>x</li>"; });</script>'), None),
    "typing-in-field": (doc('<label>Name <input oninput="out.textContent=this.value"></label><output id="out"></output>'
                            '<script>document.addEventListener("keydown", e => { if (e.key === "Escape") '
                            'document.activeElement.blur(); });</script>'), None),
    "spacing-overlap": (doc('<div style="height:2.9em;line-height:1.4;width:20em">Two lines of text that fill this '
                            'box exactly, and spacing makes them spill over.</div><p style="margin:0">The next '
                            'paragraph, drawn over by the lines above.</p>'), "text-spacing"),
    "zoom-overlap": (doc('<div style="position:relative;height:40vh"><p style="position:absolute;top:0;margin:0">'
                         'A caption line that wraps once the window gets narrow enough at two hundred percent zoom '
                         'level in this test.</p><p style="position:absolute;top:1.5em;margin:0">The line below it.'
                         '</p></div>'), "resize-text"),
    "sr-only-over-text": (doc('<a href="#main" style="position:absolute;width:1px;height:1px;overflow:hidden;'
                              'clip:rect(0 0 0 0);white-space:nowrap">Skip to the main content</a>'
                              '<p id="main">The first line of the page, under the hidden skip link.</p>'), None),
    # a skip link shown over the header only while it has focus (focus left on it when the window changes
    # size): the page at rest is what reflow and zoom judge, not a focused control drawn over it
    "skip-link-focused": (doc('<a id="skip" class="skip" href="#main">Skip to the main content</a><header><p>'
                              'The site name in the header, where the skip link appears on focus.</p></header>'
                              '<p id="main">Content.</p><script>addEventListener("resize", () => skip.focus());</script>',
                              '.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff}'),
                          None),
    "spacing-ok": (doc('<div style="max-width:20em;line-height:1.4">Two lines of text that may grow freely in height '
                       'when spacing is added.</div>'), None),
}


@pytest.fixture(scope="module")
def results(chromium, tmp_path_factory):
    """Every page checked once in the shared browser, in normal mode: page -> findings."""
    root = tmp_path_factory.mktemp("keys")
    for name, (text, _) in PAGES.items():
        (root / f"{name}.html").write_text(text, "utf-8")
    found = {}
    chromium.set_window_size(1280, 900)
    with PageServer(root) as server:
        for name in PAGES:
            chromium.get(server.url(f"{name}.html"))
            check = check_keys(chromium, server.url(f"{name}.html"), ("normal",), 20, 5)
            found[name] = key_findings(f"{name}.html", check, root / "shots")
    return found


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_fails_only_its_rule(results, name):
    expected = PAGES[name][1]
    rules = {f.rule for f in results[name] if f.kind == "violation"}
    assert "engine-error" not in rules, [str(f) for f in results[name]]
    if expected is None:
        assert not rules, [str(f) for f in results[name]]
    else:
        assert expected in rules, [str(f) for f in results[name]]


def test_findings_carry_criteria_chinese_help_and_a_screenshot(results):
    [finding] = [f for f in results["outline-none"] if f.target == "body > a:nth-of-type(1)"]
    assert finding.wcag == ("2.4.7",) and finding.engine == "keyboard" and "焦点" in finding.help
    assert finding.screenshot.endswith("-keys.png")
    [trap] = [f for f in results["trap"] if f.rule == "keyboard-trap"]
    assert trap.impact == "critical" and trap.wcag == ("2.1.2",)


def test_gate_runs_the_keyboard_engine_in_every_mode(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text(PAGES["plain"][0], "utf-8")
    (root / "bad.html").write_text(doc(LINKS, "html[data-scheme] a{outline:none!important}"), "utf-8")
    policy = load_policy({"engine": "keyboard", "modes": ["normal", "contrast"], "workers": 1, "page_timeout": 20})
    result = run_gate(root, policy, report_dir=tmp_path / "report")
    assert result.engines == ("keyboard",) and not result.passed
    failing = {(f.page, f.rule, f.mode) for f in result.failing}
    assert failing == {("bad.html", "focus-visible", "contrast")}, result.summary()
    data = json.loads((tmp_path / "report" / "report.json").read_text("utf-8"))
    assert data["engines"] == ["keyboard"] and data["findings"][0]["screenshot"]
    assert load_policy({"engine": "all"}).engine == "all"


def test_ellipsis_truncation_is_left_for_review(results):
    assert {(f.rule, f.kind) for f in results["ellipsis"]} >= {("reflow", "incomplete")}


def test_without_the_direct_socket_the_driver_carries_the_commands(chromium, tmp_path):
    (tmp_path / "trap.html").write_text(PAGES["trap"][0], "utf-8")
    with PageServer(tmp_path) as server:
        chromium.get(server.url("trap.html"))
        check = check_keys(chromium, server.url("trap.html"), ("normal",), 20, 0, local=False)
    assert not check.errors and {i.rule for i in check.issues} == {"keyboard-trap"}


def test_a_page_that_outlasts_the_limit_is_an_engine_error(chromium, tmp_path):
    (tmp_path / "slow.html").write_text(doc(LINKS), "utf-8")
    with PageServer(tmp_path) as server:
        chromium.get(server.url("slow.html"))
        check = check_keys(chromium, server.url("slow.html"), ("normal",), 0.001, 0)
    [error] = key_findings("slow.html", check, None)
    assert error.rule == "engine-error" and "page_timeout" in error.message


def test_plain_text_mode_keeps_the_search_field_visible(tmp_path):
    """The theme's 纯文本 mode once made the header search field borderless and transparent (1.4.11)."""
    # The portal built here, not the session's shared build: in a full run that one (or the shared
    # browser) once showed neither variant's difference; the cause was not found (docs/notes.md).
    results = build_group(FIXTURES / "group", tmp_path / "out", ["city"], tmp_path / "cache", reports_dir=None,
                          settings={"GOVSITE_A11Y": {"engine": "static"}})
    assert all(r.ok for r in results), [r.error for r in results]
    copy = tmp_path / "out" / "www.chenghu.gov.cn"
    assert 'id="site-search-q"' in (copy / "index.html").read_text("utf-8")
    found = {}
    # A browser of its own: in a full run the shared session's state (a window size, settings stored per
    # origin by the toolbar tests) once hid the difference this test measures.
    chromium = start_chromium()
    with PageServer(copy) as server:
        for variant in ("theme", "without the fix"):
            if variant == "without the fix":
                css = copy / "theme" / "css" / "modes.css"
                text = css.read_text("utf-8")
                start = text.index("/* Form fields keep a visible boundary")
                css.write_text(text[:start] + text[text.index("}\n", start) + 2:], "utf-8")
            chromium.get(server.url("index.html"))
            check = check_keys(chromium, server.url("index.html"), ("plain-text",), 60, 0)
            found[variant] = {(i.rule, i.target) for i in check.issues} | {e[0] for e in check.errors}
    quit_chromium(chromium)
    assert found["theme"] == set(), found
    assert ("control-boundary", "#site-search-q") in found["without the fix"], found


def test_a_colour_only_mode_is_not_measured_again_but_a_mode_that_changes_layout_is(chromium, tmp_path):
    css = (".box{max-width:20em} html[data-scheme] body{background:#000;color:#fff} "
           "html[data-scheme] input{border-color:#fff} html[data-care] .box{max-width:14em}")  # care narrows the box
    text = doc('<div class="box">A paragraph of text in a box whose width only care mode changes.</div>'
               '<label>Name <input style="border:1px solid #767676"></label>', css)
    (tmp_path / "modes.html").write_text(text, "utf-8")
    with PageServer(tmp_path) as server:
        chromium.get(server.url("modes.html"))
        check = check_keys(chromium, server.url("modes.html"), ("normal", "contrast", "care"), 20, 0)
    assert not check.errors and not check.issues, (check.errors, check.issues)
    # contrast is laid out as normal at the default size, at 320 px and at 200 % zoom; care differs at each
    assert check.reused_layouts == 3


TOOLBAR_CSS = ("nav a{display:inline-block;padding:4px} nav a:focus-visible{outline:3px solid #1a1a1a} "
               "html[data-scheme] body{background:#000;color:#fff} html[data-scheme] nav a:focus-visible{outline-color:#ff0} "
               "html[data-scheme] body.plain nav a:focus-visible{outline:none} "  # the broken page: a class on <body>
               "html[data-scheme] h2 + nav a:focus-visible{outline:none} "  # the broken page: a heading before the toolbar
               "html[data-scheme] body[data-kind=plain] nav a:focus-visible{outline:none} "  # a data attribute the CSS names
               "html[data-scheme] body:has(.notice) nav a:focus-visible{outline:none}")  # content elsewhere on the page
TOOLBAR = '<nav aria-label="tools"><a href="#a">大字</a> <a href="#b">读屏</a> <a href="#c">高对比</a></nav>'


def shared(body, head=""):
    return (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>t</title>'
            f'<link rel="stylesheet" href="site.css">{head}</head>{body}</html>')


#: The same toolbar on every page; each page after the first differs in one thing that decides the toolbar's
#: focus style in contrast mode only (so only the reuse could hide it: the walk in normal mode measures every stop); the inline style is in every mode.
SHARED_PAGES = {
    "first": (shared(f"<body>{TOOLBAR}<main><p>One.</p></main></body>"), None),
    "same-toolbar": (shared(f"<body>{TOOLBAR}<main><p>Two, other text.</p> <a href='#d'>more</a></main></body>"), None),
    "class-on-body": (shared(f'<body class="plain">{TOOLBAR}<main><p>Three.</p></main></body>'), "focus-visible"),
    "sibling-before": (shared(f"<body><h2>Tools</h2>{TOOLBAR}<main><p>Four.</p></main></body>"), "focus-visible"),
    "data-unnamed": (shared(f'<body data-page-type="list">{TOOLBAR}<main><p>Eight.</p></main></body>'), None),
    "data-named": (shared(f'<body data-kind="plain">{TOOLBAR}<main><p>Nine.</p></main></body>'), "focus-visible"),
    "page-wide-script": (shared(f"<body>{TOOLBAR}<main><p>Eleven.</p></main><script>document.addEventListener("
                                "'focusin', e => {{ if (document.documentElement.dataset.scheme) "
                                "e.target.style.outline = 'none'; }});</script></body>"), "focus-visible"),
    "has-notice": (shared(f'<body>{TOOLBAR}<main><p class="notice">Ten.</p></main></body>'), "focus-visible"),
    "inline-style": (shared(f"<body>{TOOLBAR.replace('<a href=\"#b\"', '<a href=\"#b\" style=\"outline:none!important\"')}"
                            "<main><p>Five.</p></main></body>"), "focus-visible"),
    "page-stylesheet": (shared(f"<body>{TOOLBAR}<main><p>Six.</p></main></body>",
                               "<style>html[data-scheme] nav a:focus-visible{outline:none}</style>"), "focus-visible"),
    "focus-script": (shared(f"<body>{TOOLBAR}<main><p>Seven.</p></main><script>document.querySelector('nav')"
                            ".addEventListener('focusin', e => {{ if (document.documentElement.dataset.scheme) "
                            "e.target.style.outline = 'none'; }});</script></body>"), "focus-visible"),
}


def test_a_stop_verified_on_one_page_is_reused_only_where_it_is_the_same(chromium, tmp_path):
    """The toolbar's stops verified on the first page are not measured again on an identical page, but every
    page whose toolbar differs in what decides its focus style is still caught (checked after the good one)."""
    (tmp_path / "site.css").write_text("body{font:16px/1.4 sans-serif;margin:8px} " + TOOLBAR_CSS, "utf-8")
    for name, (text, _) in SHARED_PAGES.items():
        (tmp_path / f"{name}.html").write_text(text, "utf-8")
    memory = KeyMemory()
    checks = {}
    with PageServer(tmp_path) as server:
        for name in SHARED_PAGES:
            chromium.get(server.url(f"{name}.html"))
            checks[name] = check_keys(chromium, server.url(f"{name}.html"), ("normal", "contrast"), 20, 0,
                                      memory=memory)
    memory.close()
    for name, (_, expected) in SHARED_PAGES.items():
        check = checks[name]
        rules = {(i.rule, i.mode) for i in check.issues if i.kind == "violation"}
        assert not check.errors, (name, check.errors)
        if expected:  # caught in contrast mode, where the verified stop of the first page would have been reused
            assert (expected, "contrast") in rules and {r for r, _ in rules} == {expected}, (name, check.issues)
        else:
            assert not rules, (name, check.issues)
    assert checks["first"].reused_stops == 0 and checks["same-toolbar"].reused_stops == 3
    assert checks["class-on-body"].reused_stops == 0 and checks["sibling-before"].reused_stops == 0
    assert checks["has-notice"].reused_stops == 0 and checks["page-wide-script"].reused_stops == 0
    assert checks["data-unnamed"].reused_stops == 3 and checks["data-named"].reused_stops == 0  # no rule names it
    assert checks["inline-style"].reused_stops == 2  # the two links the inline style does not touch
    assert checks["page-stylesheet"].reused_stops == 0 and checks["focus-script"].reused_stops == 0


def test_a_stop_without_indicator_is_decided_after_a_mouse_click_too(chromium, tmp_path):
    """After a click on a control, script focus is not keyboard focus (:focus-visible does not match): the screenshot test
    focuses the stop again with Tab and Shift+Tab instead of leaving it for review."""
    (tmp_path / "bad.html").write_text(PAGES["outline-none"][0], "utf-8")
    with PageServer(tmp_path) as server:
        chromium.get(server.url("bad.html"))
        walker = Walker(chromium, server.url("bad.html"), 20, 0)
        try:
            walker.install()
            button = walker.call("refocus", "body > button", False)  # clicked: focused by the mouse
            for kind in ("mousePressed", "mouseReleased"):
                walker.cdp("Input.dispatchMouseEvent", type=kind, x=button["vx"] + 4, y=button["vy"] + 4, button="left",
                           clickCount=1)
            assert walker.call("refocus", "body > a:nth-of-type(2)", True)["keyboard"] is False
            walker.call("refocus", "body > a:nth-of-type(2)", False)
            walker.pixels({"selector": "body > a:nth-of-type(2)", "html": ""}, "normal")
        finally:
            walker.close()
    assert [(i.rule, i.kind) for i in walker.found.issues] == [("focus-visible", "violation")], walker.found.issues
