"""Static rules for keyboard use the markup decides: tab order, focus removed or hidden, controls only
a mouse can work, fields that navigate or submit on change or focus. The keyboard engine in the
browser checks what only a real Tab walk shows."""

from __future__ import annotations

import re

from .a11y_rules import _focusable, _role
from .html_page import Page
from .page_css import computed, inline_style, links_stylesheets, matches, parsed_rules
from .rules import REVIEW, rule

#: Script that leaves the page, reloads it, submits a form or opens a window.
_CONTEXT_CHANGE = re.compile(
    r"\blocation(?:\.href)?\s*=(?!=)|\blocation\.(?:assign|replace|reload)\s*\(|\bwindow\.open\s*\(|\bopen\s*\("
    r"|\.submit\s*\(\s*\)|\bMM_jumpMenu\b|\bjumpMenu\s*\(|\bnavigate\s*\(|\bhistory\.go\s*\(")
_CALL = re.compile(r"([A-Za-z_$][\w$]*)\s*\(")
_NOT_FUNCTIONS = frozenset({"if", "for", "while", "return", "function", "alert", "confirm", "typeof", "switch"})
_POINTER_ONLY = ("onmouseover", "onmouseenter", "onmousedown", "onmouseup", "ondblclick")
_KEY_HANDLERS = ("onkeydown", "onkeyup", "onkeypress")
#: Handlers that only restyle the element itself (hover effects), which no keyboard user needs.
_COSMETIC = re.compile(r"^\s*(?:(?:this\.(?:style\.[\w-]+|src|className|classList\.\w+\([^)]*\))\s*=?[^;]*"
                       r"|MM_swapImage\w*\([^)]*\))\s*;?\s*)+$")
_NATIVE_CONTROLS = frozenset({"a", "area", "button", "input", "select", "textarea", "summary", "label", "option",
                              "body", "html", "form", "video", "audio"})
_VISIBLE_FOCUS = ("outline", "outline-style", "outline-color", "outline-width", "box-shadow", "border", "border-color",
                  "border-bottom", "border-style", "background", "background-color", "text-decoration", "color")


def _scripts(page: Page) -> str:
    cached = page.__dict__.get("_inline_scripts")
    if cached is None:
        cached = page.__dict__["_inline_scripts"] = "\n".join("".join(s.itertext()) for s in page.tags("script")
                                                              if not s.get("src"))
    return cached


def _function_body(page: Page, name: str) -> str:
    """The text of an inline script's ``function name(...)`` (or ``name = function``), roughly."""
    match = re.search(r"function\s+" + re.escape(name) + r"\s*\(|\b" + re.escape(name) + r"\s*=\s*function\b",
                      _scripts(page))
    return _scripts(page)[match.end():match.end() + 1500].split("\nfunction ")[0] if match else ""


def changes_context(page: Page, code: str) -> bool:
    """The handler navigates, submits or opens a window, itself or through a function the page defines."""
    if _CONTEXT_CHANGE.search(code):
        return True
    names = {n for n in _CALL.findall(code) if n not in _NOT_FUNCTIONS}
    return any(_CONTEXT_CHANGE.search(_function_body(page, name)) for name in names)


def _tab_stop(element) -> bool:
    index = (element.get("tabindex") or "").strip()
    if index.lstrip("-").isdigit():
        return int(index) >= 0
    return _focusable(element)


@rule("tabindex-order", "serious", ("2.4.3",),
      "不要使用大于 0 的 tabindex：按阅读顺序排列源代码，用 tabindex=\"0\" 或 \"-1\"，使 Tab 键的顺序与内容顺序一致。")
def tabindex_order(page: Page):
    if not any((e.get("tabindex") or "").strip().isdigit() and int(e.get("tabindex")) > 0 for e in page.with_tabindex):
        return
    stops = [e for e in page.elements if isinstance(e.tag, str) and _tab_stop(e) and not page.is_hidden(e)
             and "disabled" not in e.attrib]
    positive = [e for e in stops if (e.get("tabindex") or "").strip().isdigit() and int(e.get("tabindex")) > 0]
    tab_order = sorted(positive, key=lambda e: int(e.get("tabindex"))) + [e for e in stops if e not in positive]
    for place, element in enumerate(tab_order):
        if stops[place] is not element:
            yield element, (f"tabindex={element.get('tabindex')} makes this element Tab stop {place + 1}, though it is "
                            f"focusable element {stops.index(element) + 1} in the page's order")
            return


@rule("focus-blur", "critical", ("2.1.1", "2.4.7", "3.2.1"),
      "不要在获得焦点时调用 blur()（onfocus=\"this.blur()\"）：键盘用户会因此无法看到焦点、也无法使用该控件；删除该脚本。")
def focus_blur(page: Page):
    for element in page.with_handlers:
        code = element.get("onfocus")
        if code and re.search(r"\bblur\s*\(", code):
            yield element, "the element throws focus away as soon as it receives it (onfocus calls blur())"


def _focus_replacement(page: Page, element) -> bool:
    """The page's own CSS gives ``element`` a visible focus style (an outline or another indicator)."""
    plain = computed(page, element)
    for state in ("focus", "focus-visible"):
        style = computed(page, element, frozenset({state}))
        changed = [name for name in _VISIBLE_FOCUS if style.get(name) != plain.get(name)]
        if any(not name.startswith("outline") for name in changed) or (changed and not _removes_outline(style)):
            return True
    return False


def _removes_outline(style: dict) -> bool:
    return any(re.match(r"^(none|0|0px)(\s|$)", style.get(name, "x")) for name in ("outline", "outline-style", "outline-width"))


@rule("focus-outline-removed", "serious", ("2.4.7",),
      "不要去掉焦点轮廓（outline: none / 0）而不提供替代：用 :focus-visible 设置清晰的轮廓或其他足够明显的焦点样式。")
def focus_outline_removed(page: Page):
    removing = [(css, selector) for css, selector in parsed_rules(page) if _removes_outline(css.declarations)]
    if not removing and not any("outline" in e.get("style") for e in page.with_style):
        return
    tab_stops = [e for e in page.elements if isinstance(e.tag, str) and _tab_stop(e) and not page.is_hidden(e)]
    reported = set()
    for css, selector in removing:
        if selector.negated_states & {"focus-visible"}:
            continue
        for element in tab_stops:
            if id(element) in reported or not matches(element, selector):
                continue
            if not _removes_outline(computed(page, element, selector.states)) or _focus_replacement(page, element):
                continue
            reported.add(id(element))
            yield from _outline_finding(page, element, f"the rule `{css.selector}`")
            break
    for element in tab_stops:
        if id(element) not in reported and _removes_outline(inline_style(element)) and not _focus_replacement(page, element):
            reported.add(id(element))
            yield from _outline_finding(page, element, "its style attribute")


def _outline_finding(page: Page, element, where: str):
    message = f"{where} removes the focus outline of <{element.tag}> and the page's CSS gives no other focus style"
    if links_stylesheets(page):
        yield element, message + " (a linked stylesheet may: does focus show?)", REVIEW
    else:
        yield element, message


def _inside_control(element) -> bool:
    """The element is, or sits in, a control the keyboard reaches (the handler is reached through it)."""
    node = element
    while node is not None:
        if isinstance(node.tag, str) and node is not element and _tab_stop(node):
            return True
        node = node.getparent()
    return any(_tab_stop(child) for child in element.iter() if child is not element and isinstance(child.tag, str))


@rule("mouse-only-control", "serious", ("2.1.1",),
      "控件必须能用键盘操作：用 <a href> 或 <button> 代替带 onclick 的 div/span/td，悬停菜单同时响应 focus，"
      "没有 href 的链接补上 href 或改为按钮。")
def mouse_only_control(page: Page):
    key_script = None
    for element in page.with_handlers:
        if page.is_hidden(element):
            continue
        attrib = element.attrib
        pointer = [name for name in _POINTER_ONLY if name in attrib and not _COSMETIC.match(attrib[name])]
        if pointer and not (set(attrib) & {"onfocus", "onfocusin", "onclick", *_KEY_HANDLERS}):
            if element.tag in ("a", "area") and _tab_stop(element):  # the link works; is what hover adds elsewhere?
                yield element, (f"the link's {', '.join(pointer)} has no focus or key equivalent: is what it shows "
                                "reachable by keyboard too?"), REVIEW
            else:
                yield element, f"the element works only with a mouse ({', '.join(pointer)} and no focus or key handler)"
            continue
        if "onclick" not in attrib or element.tag in _NATIVE_CONTROLS and element.tag != "a":
            continue
        if element.tag == "a" and element.get("href") is None and not _tab_stop(element):
            yield element, "the link has no href: a script drives it on click, but the keyboard cannot reach it"
        elif element.tag != "a" and not _tab_stop(element) and not _inside_control(element):
            yield element, f"<{element.tag} onclick> is not focusable: only a mouse can use it (use a button or link)"
        elif element.tag != "a" and _tab_stop(element) and "tabindex" in attrib and _role(element) != "link" \
                and not (set(attrib) & set(_KEY_HANDLERS)):
            if key_script is None:
                key_script = bool(re.search(r"key(?:down|up|press)", _scripts(page), re.I))
            if key_script:
                continue
            yield element, f"<{element.tag} tabindex onclick> can be focused but Enter and Space do nothing (no key handler)"


@rule("change-on-input", "serious", ("3.2.2",),
      "选择或输入不应自动跳转页面或提交表单：去掉 onchange 中的跳转/提交，改为用户点击“前往”或“提交”按钮后再执行。")
def change_on_input(page: Page):
    for element in page.tags("select", "input", "textarea"):
        for handler in ("onchange", "oninput"):
            code = element.get(handler)
            if code and changes_context(page, code):
                yield element, f"choosing or typing in this field changes the page ({handler}={code[:60]!r})"
                break


@rule("change-on-focus", "serious", ("3.2.1",), "获得焦点时不应跳转页面、提交表单或打开新窗口：把这些动作交给用户明确的点击。")
def change_on_focus(page: Page):
    for element in page.with_handlers:
        code = element.get("onfocus")
        if code and changes_context(page, code):
            yield element, f"focusing this element changes the page (onfocus={code[:60]!r})"
