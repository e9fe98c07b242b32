"""The keyboard engine: a real Tab walk and layout stress tests in the axe engine's Chromium sessions.

On a loaded page (after axe, in the same session) it presses Tab with DevTools key events until
focus leaves the document, recording every stop (checks/keyboard.js measures in the page):

- ``focus-visible`` (2.4.7): the focused look differs from the unfocused one by an indicator of 3:1
  contrast (outline, shadow, border, background, text colour, underline); when the styles do not
  show one, screenshots of the element's box plus a margin, focused and unfocused, must differ in
  at least a 1 px perimeter of pixels with 3:1 contrast;
- ``focus-obscured`` (2.4.11): the focused element is entirely covered (``elementFromPoint``);
- ``focus-order`` (2.4.3): positive ``tabindex`` reorders focus, or focus jumps leftwards on a line;
- ``keyboard-trap`` (2.1.2): the walk cycles among some elements and never leaves the page;
- ``focus-change-context`` (3.2.1): focusing navigates or opens a window;
- ``mouse-only`` (2.1.1): click/mouse listeners on elements Tab never reaches, or hover revealing
  controls Tab cannot reach;
- ``input-change-context`` (3.2.2): changing a select or field with the keyboard navigates (the page
  is loaded again afterwards);
- ``control-boundary`` (1.4.11): an unfocused text field or select with no visible boundary;
- ``reflow`` (1.4.10, 320 CSS px wide), ``resize-text`` (1.4.4, 200 % zoom) and ``text-spacing``
  (1.4.12, the WCAG spacing override): content scrolls sideways or text newly clipped.

The walk runs in the policy's first mode; focus visibility, boundaries and layout in every mode.
Fails closed: a step that cannot run, or a page that takes longer than ``page_timeout``, is an
``engine-error``.
"""

from __future__ import annotations

import base64
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from .cdp import Cdp, CdpFailed
from .findings import Finding, engine_error
from .policy import MODE_ATTRIBUTES

SCRIPT = (Path(__file__).with_name("keyboard.js")).read_text("utf-8")
EVERY_ATTRIBUTE = sorted({a for attrs in MODE_ATTRIBUTES.values() for a in attrs})
#: The walk stops after this many Tabs (and at twice the tabbable elements plus ten).
MAX_STOPS = 300
#: Seconds to let the page react after each Tab when it listens to focus or blur (refocusing traps).
SETTLE = 0.02
#: Tabs sent at once when nothing on the page listens to focus changes (the stops are recorded in the page).
CHUNK = 32
#: Screenshot margin around a focused element, CSS px (an indicator may be drawn outside it).
MARGIN = 16
FOCUS_TYPES = {"focus", "blur", "focusin", "focusout"}
MOUSE_TYPES = {"click", "dblclick", "mousedown", "mouseup", "mouseover", "mouseenter", "pointerdown", "pointerup"}
HOVER_TYPES = {"mouseover", "mouseenter", "pointerover", "pointerenter"}
TAB = {"key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9, "nativeVirtualKeyCode": 9}
KEY_TYPES = {"keydown", "keypress", "keyup"}
#: 1280 px at 400 % (1.4.10); the default window at 200 % (1.4.4).
REFLOW = {"width": 320, "height": 256, "deviceScaleFactor": 1, "mobile": False}
ZOOM = {"width": 640, "height": 450, "deviceScaleFactor": 2, "mobile": False}
#: The same window upright (1.3.4: the page must not lock itself to one orientation).
PORTRAIT = {"width": 450, "height": 640, "deviceScaleFactor": 1, "mobile": False}


@dataclass(frozen=True)
class KeyRule:
    wcag: tuple[str, ...]
    impact: str
    help: str


RULES: dict[str, KeyRule] = {
    "focus-visible": KeyRule(("2.4.7",), "serious",
                             "为获得焦点的元素提供清晰可见的焦点指示（如 outline: 3px solid，与相邻颜色对比度至少 3:1）；"
                             "不要用 outline: none 或 onfocus=\"blur()\" 去掉焦点样式。"),
    "focus-obscured": KeyRule(("2.4.11",), "serious",
                              "获得焦点的元素不能被固定的页头、浮层或广告完全遮住：调整层叠顺序，或使用 scroll-padding 留出空间。"),
    "focus-order": KeyRule(("2.4.3",), "serious",
                           "焦点顺序应与阅读顺序一致：删除大于 0 的 tabindex，按视觉顺序排列源代码，不要用 CSS 颠倒顺序。"),
    "keyboard-trap": KeyRule(("2.1.2",), "critical",
                             "键盘焦点不能被困住：不要在 blur 时把焦点拉回，用 Tab 和 Shift+Tab 必须能离开每个控件；"
                             "确需其他按键时在页面上写明。"),
    "focus-change-context": KeyRule(("3.2.1",), "serious",
                                    "元素获得焦点时不要跳转页面、打开新窗口或提交表单：改为由用户点击按钮触发。"),
    "mouse-only": KeyRule(("2.1.1",), "serious",
                          "只能用鼠标操作的功能键盘用户无法使用：改用 <button> 或带 href 的 <a>，"
                          "悬停菜单在获得焦点时也要展开。"),
    "input-change-context": KeyRule(("3.2.2",), "serious",
                                    "改变下拉框或输入框的值时不要自动跳转或提交：增加“确定”按钮，由用户决定何时提交。"),
    "control-boundary": KeyRule(("1.4.11",), "serious",
                                "输入框、下拉框需要可见的边框或底色（与相邻颜色对比度至少 3:1），未获得焦点时也要看得见。"),
    "orientation": KeyRule(("1.3.4",), "serious",
                           "不要用 CSS 旋转把页面锁定在横屏或竖屏：去掉 @media (orientation) 中对 html/body 的 90° 旋转。"),
    "reflow": KeyRule(("1.4.10",), "serious",
                      "页面在 320 CSS 像素宽时不能出现横向滚动或被截断的文字：使用自适应布局，不要固定宽度。"),
    "resize-text": KeyRule(("1.4.4",), "serious",
                           "放大到 200% 时文字不能被截断：不要给含文字的容器固定高度并设置 overflow: hidden。"),
    "character-key-shortcut": KeyRule(("2.1.4",), "serious",
                                      "不要设置只按一个字母、数字或符号键就触发的快捷键；确需时提供关闭或改为组合键"
                                      "（如 Alt+字母）的开关，或只在相关控件获得焦点时生效。"),
    "text-spacing": KeyRule(("1.4.12",), "serious",
                            "用户加大行距、字距、词距和段距后文字不能被截断：容器不要固定高度，不要用 overflow: hidden 裁切文字。"),
}


class KeyCheckTimeout(RuntimeError):
    """The keyboard checks of one page took longer than page_timeout."""


@dataclass
class Issue:
    """One problem the keyboard engine found (a Finding once the page name is known)."""

    rule: str
    message: str
    mode: str
    target: str = ""
    snippet: str = ""
    shot: bytes = b""
    kind: str = "violation"


@dataclass
class KeyCheck:
    """What the keyboard engine found on one page: issues, and why a step could not run."""

    issues: list[Issue] = field(default_factory=list)
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (step, why, mode)
    stops: int = 0
    reused_layouts: int = 0  # mode x window size measurements spared: the layout of a mode already measured
    reused_stops: int = 0  # stops whose focus indicator in a mode was verified on an identical stop before


class KeyMemory:
    """What the keyboard engine keeps from page to page of one browser session: its DevTools connection
    (one WebSocket to the session's page instead of one per page) and the stops whose focus indicator is
    verified (a template's toolbar, header and footer are measured once per layout and mode, not per page)."""

    def __init__(self):
        self.cdp: Cdp | None = None
        #: Digests of stops whose styles showed a focus indicator (``K.focusEach``): the stop's markup, its
        #: ancestors and their siblings, the mode, the stylesheets, the window and the page-wide focus listeners.
        self.verified: set[str] = set()

    def connection(self, driver, timeout: float, local: bool) -> Cdp:
        if self.cdp is None:
            self.cdp = Cdp(driver, timeout, local)
        return self.cdp

    def drop_connection(self) -> None:
        """Forget the connection (after a failure: the next page opens a new one)."""
        if self.cdp is not None:
            self.cdp.close()
            self.cdp = None

    close = drop_connection


class Walker:
    """The keyboard checks of one page in one session (``driver``)."""

    def __init__(self, driver, url: str, timeout: float, shots: int, local: bool = True,
                 memory: "KeyMemory | None" = None):
        self.driver, self.url, self.shots = driver, url, shots
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self.memory = memory
        self.cdp = memory.connection(driver, timeout, local) if memory else Cdp(driver, timeout, local)
        self.found = KeyCheck()
        self.settle = 0.0
        self.sequential = False  # one Tab per round trip (focus listeners, frames)
        self.mode = ""  # set by set_mode
        self.deferred: list[tuple[Issue, str]] = []
        self.dropped: set[str] = set()  # elements that blur themselves on focus
        self.key_listening = False  # set by mark_listeners
        self.focus_scripts = ""  # the focus listeners of the document and window (set by mark_listeners)

    # -- plumbing -------------------------------------------------------------------------------
    def in_time(self) -> None:
        """Raise KeyCheckTimeout once the page's keyboard checks have taken longer than page_timeout."""
        if time.monotonic() > self.deadline:
            raise KeyCheckTimeout(f"the keyboard checks took longer than {self.timeout:g} s "
                                  "(GOVSITE_A11Y['page_timeout'])")

    def js(self, expression: str, wait: bool = False):
        self.in_time()
        return self.cdp.evaluate(expression, wait)

    def call(self, name: str, *args, wait: bool = False):
        return self.js(f"window.__govsiteKeys.{name}({', '.join(json.dumps(a) for a in args)})", wait)

    def install(self) -> None:
        self.js(SCRIPT)
        self.mark_listeners()
        self.call("listen")

    def press_tab(self) -> None:
        self.cdp.batch([("Input.dispatchKeyEvent", {"type": "rawKeyDown", "modifiers": 0, **TAB}),
                        ("Input.dispatchKeyEvent", {"type": "keyUp", "modifiers": 0, **TAB})])
        if self.settle:
            time.sleep(self.settle)

    def tab_stops(self, tabs: int, count: int) -> list[dict] | None:
        """Press Tab ``count`` times and return the stops recorded (in one round trip; None when the page
        went away). The page records each stop when the next Tab arrives, so the list lags one Tab."""
        self.in_time()
        if self.sequential:  # one Tab, then the stop it reached (no lag)
            self.press_tab()
            stop = self.js("window.__govsiteKeys && window.__govsiteKeys.stop()")
            return [stop] if stop else None
        keys = [("Input.dispatchKeyEvent", {"type": kind, "modifiers": 0, **TAB}) for _ in range(count)
                for kind in ("rawKeyDown", "keyUp")]
        expression = (f"window.__govsiteKeys && window.__govsiteKeys.collect({tabs + count}, "
                      f"{int(self.settle * 1000)})")
        try:
            *_, result = self.cdp.batch(keys + [("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                                      "awaitPromise": True})])
        except CdpFailed as exc:
            if "context" in str(exc).lower() or "navigat" in str(exc).lower():
                return None  # the page navigated while the stops were read
            raise
        value = result.get("result", {}).get("value") if "exceptionDetails" not in result else None
        if value and value.get("lost"):
            self.sequential = True  # keys went into a frame: the top window cannot count them
        return value["stops"] if value else None

    def set_mode(self, mode: str) -> None:
        if mode != self.mode:
            self.js(f"({self.switch(mode)}true)")

    def switch(self, mode: str) -> str:
        """The expression that puts the page into ``mode`` ("" when it is in it already)."""
        if mode == self.mode:
            return ""
        self.mode = mode
        return f"window.__govsiteKeys.mode({json.dumps(EVERY_ATTRIBUTE)}, {json.dumps(MODE_ATTRIBUTES[mode])}), "

    def call_in(self, mode: str, name: str, *args):
        """``call`` in ``mode``, the mode switch in the same round trip."""
        switch = self.switch(mode)
        return self.js(f"({switch}window.__govsiteKeys.{name}({', '.join(json.dumps(a) for a in args)}))")

    def reload(self, mode: str) -> None:
        """Load the page again (after it navigated away) with the engine's script and ``mode``."""
        self.driver.get(self.url)
        self.install()
        self.mode = ""
        self.set_mode(mode)

    def shot(self, box: dict) -> bytes:
        """A PNG of ``box`` (document coordinates) plus MARGIN, or b"" when screenshots are off."""
        if self.shots <= 0 or not box:
            return b""
        clip = self.clip(box)
        data = self.cdp("Page.captureScreenshot", format="png", optimizeForSpeed=True, clip={**clip, "scale": 1})["data"]
        self.shots -= 1
        return base64.b64decode(data)

    @staticmethod
    def clip(box: dict) -> dict:
        x, y = max(0, box["x"] - MARGIN), max(0, box["y"] - MARGIN)
        return {"x": x, "y": y, "width": max(1, min(800, box["w"] + 2 * MARGIN)),
                "height": max(1, min(600, box["h"] + 2 * MARGIN))}

    def issue(self, rule: str, message: str, mode: str, target: str = "", snippet: str = "",
              shot: bytes = b"", kind: str = "violation", shoot: str = "") -> None:
        """Record an issue; ``shoot``: a selector to screenshot after the walk (focused, scrolled into view)."""
        self.found.issues.append(Issue(rule, message, mode, target, snippet, shot, kind))
        if shoot:
            self.deferred.append((self.found.issues[-1], shoot))

    def take_deferred(self) -> None:
        """The screenshots of stops the walk passed (each element focused again)."""
        for issue, selector in self.deferred:
            box = self.call("refocus", selector, True) if self.shots > 0 else None
            issue.shot = self.shot(box) if box else b""
        self.deferred.clear()

    # -- listeners --------------------------------------------------------------------------------
    def mark_listeners(self) -> None:
        """Mark elements with mouse or change listeners in the page (``__govsiteKeys.marked``); let the
        walk settle after each Tab when the page listens to focus changes."""
        handle = self.cdp("Runtime.evaluate", expression="document")["result"]["objectId"]
        document = self.cdp("DOM.describeNode", objectId=handle)["node"]["backendNodeId"]
        listeners = self.cdp("DOMDebugger.getEventListeners", objectId=handle, depth=-1, pierce=True)["listeners"]
        window = self.cdp("Runtime.evaluate", expression="window")["result"]["objectId"]
        on_window = self.cdp("DOMDebugger.getEventListeners", objectId=window)["listeners"]
        # Refocusing traps listen on elements; the page-wide focus listeners of a toolbar do not need the wait.
        self.settle = SETTLE if any(item["type"] in FOCUS_TYPES and item.get("backendNodeId") not in (None, document)
                                    for item in listeners) else 0.0
        self.key_listening = self.listens_to_keys(listeners, on_window, document)
        self.focus_scripts = json.dumps(sorted(  # with the page's scripts (K.focusEach): their identity
            [item["type"], item["useCapture"], item.get("lineNumber"), item.get("columnNumber")]
            for item in listeners + on_window if item["type"] in FOCUS_TYPES and item.get("backendNodeId") in (None, document)))
        by_node: dict[int, set[str]] = {}
        for item in listeners:
            if item.get("backendNodeId") not in (None, document) and item["type"] in MOUSE_TYPES | FOCUS_TYPES | {"change", "input"}:
                by_node.setdefault(item["backendNodeId"], set()).add(item["type"])
        for node, types in list(by_node.items())[:200]:
            try:
                handle = self.cdp("DOM.resolveNode", backendNodeId=node)["object"]["objectId"]
            except (CdpFailed, KeyError):
                continue
            self.cdp("Runtime.callFunctionOn", objectId=handle, arguments=[{"value": sorted(types)}],
                     functionDeclaration="function(t){if(this.nodeType!==1)return;var k=window.__govsiteKeys;"
                                         "(k.marked=k.marked||[]).push({el:this,types:t});}")

    def listens_to_keys(self, listeners: list[dict], on_window: list[dict], document: int) -> bool:
        """Whether key events sent with focus on the page itself reach a listener: one on the window, the
        document, <html> or <body> (events aimed at <body> never reach listeners further in)."""
        page = {None, document}
        for expression in ("document.documentElement", "document.body"):
            handle = self.cdp("Runtime.evaluate", expression=expression)["result"].get("objectId")
            if handle:
                page.add(self.cdp("DOM.describeNode", objectId=handle)["node"]["backendNodeId"])
        if any(item["type"] in KEY_TYPES and item.get("backendNodeId") in page for item in listeners):
            return True
        return any(item["type"] in KEY_TYPES for item in on_window)

    # -- the Tab walk ------------------------------------------------------------------------------
    def walk(self, mode: str) -> list[dict]:
        """Tab through the page from its start; returns the stops (issues recorded on the way).

        The first batch of Tabs is one per tabbable element and two more, the next ones CHUNK (one Tab at a
        time, with SETTLE, when elements listen to focus changes or the page has frames)."""
        start = self.call("prepare")
        self.call("restart")
        limit = min(MAX_STOPS, 2 * start["count"] + 10)
        stops: list[dict] = []
        seen: dict[str, int] = {}
        undecided: list[dict] = []
        tabs = self.call("startRecording")
        pressed, first, ended = 0, True, False
        self.sequential = bool(self.settle or start["frames"])
        while not ended and pressed <= limit:
            lagging = not self.sequential
            # the first batch reaches every tabbable element and the end of the page (the stops lag one Tab)
            chunk = 1 if self.sequential else max(CHUNK, min(start["count"] + 2, limit)) if first else CHUNK
            got = self.tab_stops(tabs + pressed, chunk)
            pressed += chunk
            if got is None or any(r.get("token") != start["token"] or r.get("url") != start["url"] for r in got):
                where = stops[-1]["selector"] if stops else ""
                self.issue("focus-change-context", f"moving focus with Tab {'to ' + where + ' ' if where else ''}"
                           "loaded another page", mode, where, stops[-1].get("html", "") if stops else "")
                self.reload(mode)
                break
            if first and lagging:
                got = got[1:]  # the state before the first Tab
            first = False
            for stop in got:
                outcome = self.step(stop, start, stops, seen, undecided, mode)
                if outcome:
                    ended = True
                    break
        else:
            if not ended and stops and start["count"]:
                self.issue("keyboard-trap", f"focus did not leave the page after {limit} Tab presses "
                           f"({len(set(s['selector'] for s in stops))} of {start['count']} elements reached)",
                           mode, stops[-1]["selector"], stops[-1].get("html", ""))
        self.order(start, stops, mode)
        self.decide(undecided, mode)
        self.take_deferred()
        self.call("restart")  # the last batch of Tabs may have left focus anywhere
        return stops

    def step(self, stop: dict, start: dict, stops: list[dict], seen: dict[str, int], undecided: list[dict],
             mode: str) -> bool:
        """Take one recorded stop; True when the walk is over (focus left the page, or a trap)."""
        if stop.get("opened"):
            where = stops[-1]["selector"] if stops and stop.get("body") else stop.get("selector", "")
            self.issue("focus-change-context", f"focusing {where} opened a new window "
                       f"({', '.join(stop['opened'])[:120]})", mode, where)
        for lost in stop.get("passed", []) if stop.get("body") else []:
            if lost["selector"] not in self.dropped:
                self.issue("focus-visible", "the element drops focus as soon as it gets it (blur on focus): "
                           "keyboard users cannot see or use it", mode, lost["selector"], lost["html"])
                self.dropped.add(lost["selector"])
        if stop.get("body"):
            return not stop.get("passed") and (bool(stops) or start["count"] == 0)
        key = stop["selector"]
        if key in seen and not stop.get("frame"):
            self.trap(stops, seen[key], start, mode)
            return True
        seen[key] = len(stops)
        stops.append(stop)
        if not stop.get("frame"):
            self.judge(stop, mode, undecided)
        return False

    def trap(self, stops: list[dict], first: int, start: dict, mode: str) -> None:
        """Focus came back to a stop before leaving the page: a trap when the cycle leaves elements out."""
        cycle = {s["selector"] for s in stops[first:]}
        if not stops or len(cycle) >= start["count"]:
            return  # the page cycles through everything (it wraps focus itself): nothing left out
        text = self.js("document.body ? document.body.innerText.slice(0, 20000) : ''") or ""
        keys = named_keys(text)
        if keys and self.escapes(keys, cycle):
            return  # the page says which keys leave, and they do
        instructed = bool(re.search(r"press|key|按|键", text, re.I)) and not keys
        trapped = stops[-1]
        self.issue("keyboard-trap", f"Tab keeps focus among {len(cycle)} element(s) ({', '.join(sorted(cycle))[:160]}); "
                   f"{start['count'] - len(cycle)} other focusable element(s) cannot be reached"
                   + ("; the page mentions keys: check that its instructions let users leave" if instructed else ""),
                   mode, trapped["selector"], trapped.get("html", ""), shoot=trapped["selector"],
                   kind="incomplete" if instructed else "violation")

    def escapes(self, keys: list[dict], cycle: set[str]) -> bool:
        """Whether pressing one of ``keys`` (then Tab) moves focus out of ``cycle``."""
        for key in keys:
            self.cdp.batch([("Input.dispatchKeyEvent", {"type": "rawKeyDown", **key}),
                            ("Input.dispatchKeyEvent", {"type": "keyUp", **key})])
            time.sleep(SETTLE)
            for _ in range(2):
                stop = self.js("window.__govsiteKeys && window.__govsiteKeys.stop()")
                if not stop or stop.get("body") or stop.get("selector") not in cycle:
                    return True
                self.press_tab()
        return False

    def judge(self, stop: dict, mode: str, undecided: list[dict]) -> None:
        """Focus visible and not obscured at one stop (screenshots come after the walk)."""
        target, snippet = stop["selector"], stop.get("html", "")
        if stop.get("obscured") == "off-screen":
            self.issue("focus-visible", "the focused element is outside the window: users cannot see where focus is",
                       mode, target, snippet)
            return
        if stop.get("obscured"):
            self.issue("focus-obscured", f"the focused element is hidden behind {stop['obscured']}", mode, target,
                       snippet, shoot=target)
        if not stop.get("indicator"):
            undecided.append(stop)

    def decide(self, undecided: list[dict], mode: str) -> None:
        """The screenshot test for stops whose styles show no indicator (script focus after one real Tab)."""
        if undecided:
            self.call("restart")
            self.press_tab()
        for stop in undecided[:20]:
            self.pixels(stop, mode)

    def pixels(self, stop: dict, mode: str) -> None:
        """Decide focus visibility from screenshots of the focused and the blurred element."""
        box = self.call("refocus", stop["selector"], True)
        if not box:
            return
        if not box.get("keyboard"):  # script focus not taken for keyboard focus: Tab away and back with the keyboard
            box = self.keyboard_focus(stop["selector"]) or box
        if not box.get("keyboard"):  # the browser did not treat the script focus as keyboard focus
            self.issue("focus-visible", "no focus indicator in the styles, and keyboard focus could not be "
                       "reproduced in this mode to compare screenshots: check by hand", mode, stop["selector"],
                       stop.get("html", ""), kind="incomplete")
            self.call("refocus", stop["selector"], False)
            return
        clip = {**self.clip(box), "scale": 1}
        focused = self.cdp("Page.captureScreenshot", format="png", optimizeForSpeed=True, clip=clip)["data"]
        self.call("refocus", stop["selector"], False)
        unfocused = self.cdp("Page.captureScreenshot", format="png", optimizeForSpeed=True, clip=clip)["data"]
        changed = self.js(f"window.__govsiteKeys.diff({json.dumps(focused)}, {json.dumps(unfocused)})", wait=True)
        perimeter = 2 * (box["w"] + box["h"])
        if changed < perimeter:
            shot = base64.b64decode(focused) if self.shots > 0 else b""
            self.shots -= bool(shot)
            self.issue("focus-visible", f"no visible focus indicator: focused and unfocused renderings differ in "
                       f"{changed} pixel(s) with 3:1 contrast, under the element's perimeter ({perimeter:.0f} px)",
                       mode, stop["selector"], stop.get("html", ""), shot)

    def keyboard_focus(self, selector: str) -> dict | None:
        """Focus the focused element ``selector`` again with the keyboard (Tab, then Shift+Tab): its box, with
        ``keyboard`` true when it now matches :focus-visible; None when focus did not come back to it."""
        self.cdp.batch([("Input.dispatchKeyEvent", {"type": kind, "modifiers": shift, **TAB})
                        for shift in (0, 8) for kind in ("rawKeyDown", "keyUp")])
        return self.call("focused", selector)

    def order(self, start: dict, stops: list[dict], mode: str) -> None:
        """Positive tabindex that reorders focus, and leftward jumps on a line (2.4.3)."""
        reached = [s["selector"] for s in stops]
        dom = [s for s in start["dom"] if s in set(reached)]
        if start["positive"] and reached[:len(dom)] != dom:
            self.issue("focus-order", f"tabindex above 0 on {', '.join(start['positive'][:5])} puts focus out of the "
                       "reading order", mode, start["positive"][0])
        for stop in stops:
            if stop.get("backward"):
                self.issue("focus-order", f"focus moves from {stop['backward']} leftwards to this element on the same "
                           "line: the focus order contradicts the visual order", mode, stop["selector"],
                           stop.get("html", ""), shoot=stop["selector"])

    # -- other modes, mouse and inputs ------------------------------------------------------------
    def visible_in(self, stops: list[dict], mode: str) -> None:
        """Focus visibility of the walk's stops in another mode (script focus after one real Tab)."""
        selectors = [s["selector"] for s in stops if not s.get("frame")]
        if not selectors:
            return
        self.js("(window.__govsiteKeys.relook(), window.__govsiteKeys.restart())")
        self.press_tab()
        changing = [s["selector"] for s in stops if s.get("mutated")]
        verified = sorted(self.memory.verified) if self.memory else []
        out = self.call("focusEach", selectors, {"verified": verified, "changing": changing,
                                                 "scripts": self.focus_scripts} if self.memory else None)
        if self.memory:
            self.memory.verified.update(out["verified"])
            self.found.reused_stops += out["reused"]
        undecided = out["undecided"][:20]
        if undecided:  # focusEach ends with a blur: a real Tab again, so script focus is keyboard focus (as decide)
            self.call("restart")
            self.press_tab()
        for item in undecided:
            self.pixels(item, mode)

    def mouse_only(self, stops: list[dict], mode: str) -> None:
        reached = [s["selector"] for s in stops]
        for item in self.call("mouseOnly", reached)[:20]:
            self.issue("mouse-only", f"the element listens to {', '.join(item['types'])} but cannot be reached "
                       "with Tab", mode, item["selector"], item.get("html", ""), self.shot(item["box"]))
        self.hover(reached, mode)

    def hover(self, reached: list[str], mode: str) -> None:
        """Hovering an element with mouse-over listeners reveals controls the Tab walk never reached."""
        marked = self.js("(window.__govsiteKeys.marked||[]).filter(function(m){return m.types.some(function(t){"
                         "return /^(mouseover|mouseenter|pointerover|pointerenter)$/.test(t);})&&m.el.getClientRects().length;})"
                         ".slice(0,5).map(function(m){var r=m.el.getBoundingClientRect();"
                         "m.el.scrollIntoView({block:'center'});r=m.el.getBoundingClientRect();"
                         "return {selector:window.__govsiteKeys.selector(m.el),x:r.left+r.width/2,y:r.top+r.height/2};})")
        if not marked:
            return
        before = set(self.call("visibleTabbables"))
        known = set(reached)
        for item in marked:
            self.js(f"document.querySelector({json.dumps(item['selector'])}).scrollIntoView({{block:'center'}})")
            box = self.js(f"(function(r){{return {{x:r.left+r.width/2,y:r.top+r.height/2}}}})(document.querySelector("
                          f"{json.dumps(item['selector'])}).getBoundingClientRect())")
            self.cdp("Input.dispatchMouseEvent", type="mouseMoved", x=box["x"], y=box["y"])
            revealed = [s for s in self.call("visibleTabbables") if s not in before and s not in known]
            self.cdp("Input.dispatchMouseEvent", type="mouseMoved", x=0, y=0)
            if revealed:
                self.issue("mouse-only", f"hovering shows {len(revealed)} control(s) ({', '.join(revealed[:3])}) that "
                           "Tab never reaches", mode, item["selector"])

    def inputs(self, mode: str) -> None:
        """Change each select or listened-to field with the keyboard; navigating is a change of context."""
        for item in self.call("inputs")[:5]:
            token = self.js("window.__govsiteKeys.token")
            self.call("refocus", item["selector"], True)
            if item["tag"] == "select":
                key = {"key": "ArrowDown", "code": "ArrowDown", "windowsVirtualKeyCode": 40, "nativeVirtualKeyCode": 40}
                self.cdp("Input.dispatchKeyEvent", type="rawKeyDown", **key)
                self.cdp("Input.dispatchKeyEvent", type="keyUp", **key)
            else:
                self.cdp("Input.insertText", text="1")
                self.call("refocus", item["selector"], False)
            time.sleep(0.05)
            now = self.js("window.__govsiteKeys ? [window.__govsiteKeys.token, location.href.split('#')[0]] : null")
            if not now or now[0] != token or now[1] != self.url.split("#")[0]:
                self.issue("input-change-context", f"changing this {item['tag']} with the keyboard loaded another "
                           "page", mode, item["selector"], item.get("html", ""), self.shot(item["box"]))
                self.reload(mode)
                continue
            self.call("restore", item["selector"], item["value"])

    # -- layout ------------------------------------------------------------------------------------
    def at_default(self, mode: str, seen: dict[str, str], normal: dict[str, set[str]]) -> None:
        """Field boundaries, then the layout at the default size in ``mode`` with and without the text-spacing
        override (one round trip). ``normal`` gets the mode's clipped elements and overlapping pairs (what the
        other sizes compare with); a mode laid out exactly as one in ``seen`` (layout key -> mode: a colour-only
        mode) is not measured again (``K.layoutKey``); boundaries depend on colours and always are."""
        for item in self.call_in(mode, "boundaries")[:10]:
            self.issue("control-boundary", "the field has no visible boundary when not focused (border and "
                       "background under 3:1 against what is behind it)", mode, item["selector"],
                       item.get("html", ""), self.shot(item["box"]))
        out = self.call("measure", list(seen), False, True)
        if out["reused"]:
            normal[mode] = normal[seen[out["key"]]]
            self.found.reused_layouts += 1
            return
        seen[out["key"]] = mode
        normal[mode] = baseline(out)
        found = self.clipped(out["spaced"], normal[mode])
        shoot = any(found) and self.shots > 0
        if shoot:  # the evidence under the override (measured with it, then switched off)
            self.call("spacing", True)
        try:
            self.report("text-spacing", "with WCAG text spacing (line height 1.5, letter .12em, word .16em)",
                        found, mode)
        finally:
            if shoot:
                self.call("spacing", False)

    def resized(self, modes: tuple[str, ...], normal: dict[str, set[str]]) -> None:
        """Reflow at 320 px and 200 % zoom in every mode (one round trip each, the mode switch included):
        sideways scrolling or newly clipped or overlapping text; each window size set once for all modes, the
        modes visited back and forth; a layout already measured at that size is not measured again. Then
        the orientation lock."""
        try:
            for size, rule, when, order in ((REFLOW, "reflow", "at 320 CSS px wide", tuple(reversed(modes))),
                                            (ZOOM, "resize-text", "at 200 % zoom", modes)):
                self.cdp("Emulation.setDeviceMetricsOverride", **size)
                seen: list[str] = []
                for mode in order:
                    out = self.call_in(mode, "measure", seen, size is REFLOW, False)
                    if out["reused"]:
                        self.found.reused_layouts += 1
                        continue
                    seen.append(out["key"])
                    wide = out.get("overflow") or {}
                    if wide.get("scrolls"):
                        first = wide["offenders"][0]
                        self.issue("reflow", f"at {wide['width']} CSS px wide the page scrolls sideways: "
                                   f"{first['selector']} is {first['box']['w']:.0f} px wide", mode, first["selector"],
                                   first.get("html", ""), self.shot(first["box"]))
                    self.report(rule, when, self.clipped(out, normal[mode]), mode)
            landscape = self.call("angles")  # in the last mode: a rotation does not depend on colours
            self.cdp("Emulation.setDeviceMetricsOverride", **PORTRAIT)
            self.orientation(landscape, self.call("angles"), modes[-1])
        finally:
            self.cdp("Emulation.clearDeviceMetricsOverride")

    def orientation(self, landscape: list, portrait: list, mode: str) -> None:
        """<html> or <body> turned a quarter turn between landscape and portrait: the page locks its orientation."""
        for name, wide, tall in zip(("html", "body"), landscape, portrait):
            if wide is None or tall is None:
                continue
            turn = abs(wide - tall) % 180
            if abs(turn - 90) < 1:
                self.issue("orientation", f"<{name}> is rotated by {wide - tall:.0f}° between landscape and portrait: "
                           "the page keeps itself in one orientation", mode, name)

    @staticmethod
    def clipped(out: dict, normal: set[str]) -> tuple[list[dict], list[dict]]:
        """The overlapping pairs and clipped elements of a measurement (``K.measure``) that ``normal`` (the
        mode's own at the default size and spacing) does not have: at most five of each."""
        return ([o for o in out["overlaps"] if o["key"] not in normal][:5],
                [c for c in out["clipped"] if c["selector"] not in normal][:5])

    def report(self, rule: str, when: str, found: tuple[list[dict], list[dict]], mode: str) -> None:
        """Text newly cut off (by its container) or newly drawn over other text (``clipped``)."""
        overlaps, clipped = found
        for item in overlaps:
            self.issue(rule, f"{when} the text “{item['text']}” overlaps the text of {item['other']}", mode,
                       item["selector"], "", self.shot(item["box"]))
        for item in clipped:
            if item.get("ellipsis"):  # deliberate truncation: fine when the full text is available elsewhere
                self.issue(rule, f"{when} the text “{item['text']}” is cut off with an ellipsis: check that the "
                           "full text is available", mode, item["selector"], "", kind="incomplete")
                continue
            self.issue(rule, f"{when} the text “{item['text']}” is cut off by its container", mode,
                       item["selector"], "", self.shot(item["box"]))

    # -- character key shortcuts ------------------------------------------------------------------
    def fired_keys(self, keys: list[dict]) -> list[str] | None:
        """The keys among ``keys`` whose events changed the page (its DOM, URL or focus) when pressed with
        focus on the page itself; None when one of them loaded another page."""
        self.call("watchKeys")
        self.in_time()
        self.cdp.batch([("Input.dispatchKeyEvent", {"type": kind, **key} if kind == "keyDown" else
                         {"type": kind, **{k: v for k, v in key.items() if "ext" not in k}})
                        for key in keys for kind in ("keyDown", "keyUp")])
        return self.js("window.__govsiteKeys && window.__govsiteKeys.keyLog ? window.__govsiteKeys.keysFired() : null")

    def shortcuts(self, mode: str) -> None:
        """Single-character shortcuts (2.1.4): every printable key pressed with focus on the page. A key that
        changes the page passes once a visible control naming shortcuts turns it off or remaps it (each such
        control is activated in turn, those it reveals too); a control that is a link is not followed, so
        the shortcut is left for review."""
        if not self.key_listening:
            return
        fired = self.fired_keys(CHARACTER_KEYS)
        if fired is None:
            self.issue("character-key-shortcut", "pressing a single character key (no Ctrl or Alt) loaded another "
                       "page", mode, "body")
            return
        if not fired:
            return
        keys = [key for key in CHARACTER_KEYS if key["key"] in fired]
        tried: set[str] = set()
        links = False
        for _ in range(12):
            controls = [c for c in self.call("shortcutControls") if c["selector"] not in tried]
            if not controls:
                break
            control = controls[0]
            tried.add(control["selector"])
            if control["link"]:
                links = True  # it may lead to a settings page: not followed
                continue
            self.call("activate", control["selector"])
            still = self.fired_keys(keys)
            if still is None:
                break
            if not still:
                return  # the page's own control turned the shortcuts off or remapped them
            keys = [key for key in keys if key["key"] in still]
        named = ", ".join(f"“{key['key']}”" for key in keys[:8])
        if tried:
            self.issue("character-key-shortcut", f"the single character key(s) {named} change the page when pressed "
                       f"alone; the controls that mention shortcuts ({', '.join(sorted(tried))[:160]}) did not turn "
                       "them off or remap them here: check by hand", mode, "body", kind="incomplete")
        else:
            self.issue("character-key-shortcut", f"the single character key(s) {named} change the page when pressed "
                       "alone, and nothing on the page turns them off or remaps them to a key with Ctrl or Alt",
                       mode, "body")

    def close(self, failed: bool = False) -> None:
        """Close the DevTools connection unless the session keeps it (a failed page drops it there too)."""
        if self.memory is None:
            self.cdp.close()
        elif failed:
            self.memory.drop_connection()


def baseline(out: dict) -> set[str]:
    """The clipped elements and overlapping pairs of a measurement at the default size and spacing."""
    return {c["selector"] for c in out["clipped"]} | {o["key"] for o in out["overlaps"]}


KEY_PATTERNS = (r"\b(ctrl|control|alt|shift|meta)\s*\+\s*([a-z0-9])\b", r"\b()([a-z0-9])[- ]key\b",
                r"\bpress (?:the )?()([a-z0-9])\b", r"\b()(esc|escape)\b")
MODIFIERS = {"alt": 1, "ctrl": 2, "control": 2, "meta": 4, "shift": 8, "": 0}


#: US-layout punctuation keys: character -> (code, virtual key code); the shifted characters on the same keys.
PUNCTUATION = {"`": ("Backquote", 192), "-": ("Minus", 189), "=": ("Equal", 187), "[": ("BracketLeft", 219),
               "]": ("BracketRight", 221), "\\": ("Backslash", 220), ";": ("Semicolon", 186), "'": ("Quote", 222),
               ",": ("Comma", 188), ".": ("Period", 190), "/": ("Slash", 191)}
SHIFTED = dict(zip('~!@#$%^&*()_+{}|:"<>?', "`1234567890-=[]\\;',./"))


def character_keys() -> list[dict]:
    """Key events for every printable ASCII character but space (2.1.4: letter, number, punctuation or
    symbol keys), shifted characters with Shift held."""
    keys = []
    for char in map(chr, range(0x21, 0x7F)):
        base = SHIFTED.get(char, char.lower())
        if base.isalpha():
            code, vk = f"Key{base.upper()}", ord(base.upper())
        elif base.isdigit():
            code, vk = f"Digit{base}", ord(base)
        else:
            code, vk = PUNCTUATION[base]
        shifted = char in SHIFTED or char.isupper()
        keys.append({"key": char, "code": code, "text": char, "unmodifiedText": char, "windowsVirtualKeyCode": vk,
                     "nativeVirtualKeyCode": vk, "modifiers": 8 if shifted else 0})
    return keys


CHARACTER_KEYS = character_keys()


def named_keys(text: str) -> list[dict]:
    """Key events for the keys a page's instructions name ("Press Ctrl+M", "the M-key", "按 Esc 键"), at most three."""
    keys = []
    for pattern in KEY_PATTERNS:
        for modifier, name in re.findall(pattern, text, re.I):
            if name.lower() in ("esc", "escape"):
                key = {"key": "Escape", "code": "Escape", "windowsVirtualKeyCode": 27, "nativeVirtualKeyCode": 27}
            else:
                char = name.upper()
                key = {"key": name.lower(), "code": f"Key{char}" if char.isalpha() else f"Digit{char}",
                       "windowsVirtualKeyCode": ord(char), "nativeVirtualKeyCode": ord(char)}
            key["modifiers"] = MODIFIERS[modifier.lower()]
            if key not in keys:
                keys.append(key)
    return keys[:3]


def check_keys(driver, url: str, modes: tuple[str, ...], timeout: float, shots: int, local: bool = True,
               memory: KeyMemory | None = None) -> KeyCheck:
    """Every keyboard check of the loaded page ``url`` in ``modes`` (the walk in the first one); ``local``:
    the browser runs here (DevTools over a direct socket), else through the WebDriver; ``memory``: what
    the session keeps between its pages (else nothing is kept)."""
    walker = Walker(driver, url, timeout, shots, local, memory)
    failed = False
    step = "setup"
    try:
        step = "script injection"
        walker.install()
        walker.set_mode(modes[0])
        step = "tab walk"
        stops = walker.walk(modes[0])
        walker.found.stops = len(stops)
        step = "mouse handlers"
        walker.mouse_only(stops, modes[0])
        step = "input changes"
        walker.inputs(modes[0])
        seen: dict[str, str] = {}
        normal: dict[str, set[str]] = {}
        for index, mode in enumerate(modes):  # each mode visited once at the default size
            if index:
                step = f"focus visibility ({mode} mode)"
                walker.set_mode(mode)
                walker.visible_in(stops, mode)
            step = f"layout ({mode} mode)"
            walker.at_default(mode, seen, normal)
        step = "layout"
        walker.resized(modes, normal)
        step = "character key shortcuts"
        walker.shortcuts(walker.mode)
    except (CdpFailed, KeyCheckTimeout, KeyError, TypeError) as exc:
        walker.found.errors.append((step, str(exc) or type(exc).__name__, walker.mode))
        failed = True
    finally:
        walker.close(failed)
    return walker.found


def key_findings(page: str, found: KeyCheck, screenshot_dir: Path | None) -> list[Finding]:
    """Findings of one page's keyboard checks, screenshots written into ``screenshot_dir``."""
    findings = []
    for issue in found.issues:
        rule = RULES[issue.rule]
        finding = Finding(issue.rule, rule.impact, page, issue.message, engine="keyboard", target=issue.target,
                          mode=issue.mode, kind=issue.kind, wcag=rule.wcag, help=rule.help,
                          snippet=issue.snippet[:240])
        if issue.shot and screenshot_dir is not None:
            name = f"{finding.fingerprint}-{issue.mode}-keys.png"
            screenshot_dir.mkdir(parents=True, exist_ok=True)
            (screenshot_dir / name).write_bytes(issue.shot)
            finding.screenshot = f"screenshots/{name}"
        findings.append(finding)
    seen = set()
    for finding in findings:  # one finding per rule, element and message kind across modes
        key = (finding.rule, finding.target, finding.message)
        finding.extra["duplicate"] = key in seen
        seen.add(key)
    findings = [f for f in findings if not f.extra.pop("duplicate")]
    findings += [engine_error(page, "keyboard", step, why, mode) for step, why, mode in found.errors]
    return findings
