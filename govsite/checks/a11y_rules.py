"""Static accessibility rules (lxml). Ids follow axe-core where the rule is the same check."""

from __future__ import annotations

import re
from urllib.parse import unquote


from . import aria
from .html_page import Page, folded
from .rules import rule

#: ISO 639-1 codes plus common ISO 639-2/3 codes, for lang validity.
LANGUAGES = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee
el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is
it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms
mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk
sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi
yo za zh zu cmn yue wuu hak nan gan hsn cjy
""".split())
_LANG = re.compile(r"^([a-zA-Z]{2,3})(-[a-zA-Z0-9]{1,8})*$")
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_REFRESH = re.compile(r"^\s*(\d+(?:\.\d*)?)\s*(?:[;,]|$)")
_NO_NAME_INPUTS = frozenset({"hidden", "submit", "reset", "button", "image"})
#: Roles of form fields that need an accessible name (ACT e086e5).
_FIELD_ROLES = frozenset({"checkbox", "combobox", "listbox", "menuitemcheckbox", "menuitemradio", "radio",
                          "searchbox", "slider", "spinbutton", "switch", "textbox"})
_NAME_FROM_CONTENT = frozenset({"checkbox", "radio", "switch", "menuitemcheckbox", "menuitemradio"})
_NON_FIELD_ROLES = frozenset({"button", "link", "menuitem", "tab", "option", "img"})


def _role(element) -> str:
    return (element.get("role") or "").strip().lower().split(" ")[0]


def _focusable(element) -> bool:
    """Natively or explicitly focusable (then a presentational role is ignored)."""
    if "tabindex" in element.attrib:
        return True
    if element.tag in ("button", "select", "textarea") or (element.tag == "input" and element.get("type") != "hidden"):
        return "disabled" not in element.attrib
    return element.tag in ("a", "area") and element.get("href") is not None


def _presentational(element) -> bool:
    """role none/presentation that the browser honours (not on focusable elements)."""
    return _role(element) in ("none", "presentation") and not _focusable(element)


@rule("html-has-lang", "serious", ("3.1.1",), "在 <html> 元素上声明页面语言，如 lang=\"zh-CN\"。", axe=True)
def html_has_lang(page: Page):
    html = page.root
    if html.tag != "html" or page.path.lower().endswith((".svg", ".xml", ".mml")):
        return  # an SVG or other XML document is not an HTML page (ACT b5c3f8: inapplicable)
    if not folded(html.get("lang")):
        yield html, "the <html> element has no lang attribute (xml:lang alone does not count in HTML)"


@rule("html-lang-valid", "serious", ("3.1.1",), "lang 取值应为有效的语言代码，如 zh-CN、en。", axe=True)
def html_lang_valid(page: Page):
    lang = folded(page.root.get("lang"))
    match = _LANG.match(lang)
    if lang and (not match or match.group(1).lower() not in LANGUAGES):
        yield page.root, f"lang={lang!r} is not a valid language tag"


@rule("document-title", "serious", ("2.4.2",), "为每个页面提供非空、能说明页面主题的 <title>。", axe=True)
def document_title(page: Page):
    titles = page.head_titles() or page.tags("title")
    if not titles or not folded("".join(titles[0].itertext())):
        yield None, "the page has no non-empty <title>"


@rule("page-has-heading-one", "moderate", ("1.3.1",), "每个页面有且只有一个一级标题 <h1>，说明页面主体内容。")
def page_has_heading_one(page: Page):
    ones = [h for h in page.tags("h1") if not page.is_hidden(h)]
    if not ones:
        yield None, "the page has no <h1>"
    for extra in ones[1:]:
        yield extra, f"the page has {len(ones)} <h1> elements; keep one"


def _heading_level(element) -> int | None:
    if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and _role(element) in ("", "heading"):
        return int(element.tag[1])
    if _role(element) == "heading":
        level = element.get("aria-level", "2")
        return int(level) if level.isdigit() else 2
    return None


@rule("heading-order", "moderate", ("1.3.1",), "标题层级逐级递进，不要跳级（如 h2 之后直接 h4）。")
def heading_order(page: Page):
    previous = None
    role_headings = bool(page.by_role.get("heading"))
    headings = [e for e in page.elements if e.tag in _HEADING_TAGS or (role_headings and _role(e) == "heading")]
    for element in headings:
        level = _heading_level(element)
        if level is None or page.is_hidden(element):
            continue
        if previous is not None and level > previous + 1:
            yield element, f"heading level jumps from h{previous} to h{level}"
        previous = level


@rule("image-alt", "critical", ("1.1.1",), "为有意义的图片提供说明其内容的 alt 文本；装饰性图片使用空 alt=\"\"。", axe=True)
def image_alt(page: Page):
    for img in page.tags("img") + [e for e in page.with_role("img") if e.tag != "img"]:
        if _presentational(img) or page.is_hidden(img) or page.accessible_name(img, use_text=False):
            continue
        if img.tag == "svg" and folded(" ".join(img.xpath("./*[local-name()='title']//text()"))):
            continue  # an SVG's <title> child names it
        alt = img.get("alt")
        if img.tag == "img" and alt == "" and not _focusable(img):
            continue  # explicitly decorative
        if alt is None:
            yield img, "the image has no alt attribute" if img.tag == "img" else "role=img has no accessible name"
        elif not alt.strip():
            yield img, "the alt text is only white space: use alt=\"\" for decoration, or describe the image"


@rule("input-image-alt", "critical", ("1.1.1", "4.1.2"), "图片按钮 <input type=\"image\"> 需要说明其功能的 alt 文本。", axe=True)
def input_image_alt(page: Page):
    for element in page.tags("input"):
        if (element.get("type") or "").lower() == "image" and not page.is_hidden(element):
            if not folded(element.get("alt")) and not page.accessible_name(element, use_text=False):
                yield element, "the image button has no text alternative"


@rule("area-alt", "critical", ("1.1.1", "2.4.4", "4.1.2"), "图片热区 <area href> 需要 alt 文本。", axe=True)
def area_alt(page: Page):
    for area in page.tags("area"):
        if area.get("href") is not None and not folded(area.get("alt")) and not page.accessible_name(area, False):
            yield area, "the image-map area has no text alternative"


@rule("link-name", "serious", ("2.4.4", "4.1.2"), "链接需要可读的文字；仅含图片的链接请给图片写 alt，或使用 aria-label。", axe=True)
def link_name(page: Page):
    link_roles = ("link", "doc-backlink", "doc-biblioref", "doc-glossref", "doc-noteref")
    links = [a for a in page.tags("a", "area") if a.get("href") is not None
             and _role(a) in ("", "none", "presentation") + link_roles]
    links += [e for e in page.with_role(*link_roles) if e.tag not in ("a", "area")]
    for link in links:
        if page.is_hidden(link):
            continue
        name = page.accessible_name(link, use_text=link.tag != "area") or folded(link.get("alt"))
        if not name:
            yield link, "the link has no accessible name"


@rule("button-name", "critical", ("4.1.2",), "按钮需要可读的名称：按钮文字、aria-label 或 title。", axe=True)
def button_name(page: Page):
    for element in page.tags("button") + [e for e in page.with_role("button") if e.tag != "button"]:
        if _presentational(element) or page.is_hidden(element) or element.tag == "input":
            continue
        if element.tag == "button" and _role(element) not in ("", "button", "none", "presentation"):
            continue  # another role: its own rule applies
        if not page.accessible_name(element):
            yield element, "the button has no accessible name"
    for element in page.tags("input"):
        kind = (element.get("type") or "").lower()
        if kind in ("button", "submit", "reset") and not page.is_hidden(element):
            has_default = kind in ("submit", "reset") and "value" not in element.attrib
            if not has_default and not folded(element.get("value")) and not page.accessible_name(element, False):
                yield element, f"the {kind} button has no value or label"


def _label_text(page: Page, element) -> str:
    id_ = element.get("id")
    texts = []
    if id_:
        texts += [page.text_name(label) for label in page.tags("label") if label.get("for") == id_]
    parent = element.getparent()
    while parent is not None:
        if parent.tag == "label" and not parent.get("for"):
            texts.append(page.text_name(parent))
            break
        parent = parent.getparent()
    return folded(" ".join(texts))


@rule("label", "critical", ("1.3.1", "4.1.2"), "每个表单控件都要有标签：<label for>、包裹它的 <label> 或 aria-label。", axe=True)
def label(page: Page):
    for element in page.tags("input", "select", "textarea"):
        if element.tag == "input" and (element.get("type") or "text").lower() in _NO_NAME_INPUTS:
            continue
        if _presentational(element) or page.is_hidden(element) or _role(element) in _NON_FIELD_ROLES:
            continue
        if _label_text(page, element) or page.accessible_name(element, use_text=False) \
                or folded(element.get("placeholder")):
            continue
        yield element, f"the form control <{element.tag}> has no label"
    for element in page.with_role(*_FIELD_ROLES):
        if element.tag not in ("input", "select", "textarea"):
            from_content = _role(element) in _NAME_FROM_CONTENT
            if not page.is_hidden(element) and not page.accessible_name(element, use_text=from_content):
                yield element, f"the {_role(element)} has no accessible name (a <label> cannot name a <{element.tag}>)"


_ID_REFERENCES = ("aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "aria-activedescendant",
                  "aria-details", "aria-errormessage", "aria-flowto")


@rule("duplicate-id", "serious", ("4.1.1",), "id 在页面内必须唯一（WCAG 2.0/2.1 的 4.1.1 解析要求）。",
      versions=("2.0", "2.1"))
def duplicate_id(page: Page):
    if all(len(elements) == 1 for elements in page.ids.values()):
        return
    referenced = _referenced_ids(page)
    for id_, elements in page.ids.items():
        if len(elements) > 1 and id_ not in referenced:
            for extra in elements[1:]:
                yield extra, f"id {id_!r} is used {len(elements)} times"


@rule("duplicate-id-aria", "critical", ("4.1.2",), "被 aria-labelledby、label for 等引用的 id 必须唯一，否则名称会指向错误的元素。", axe=True)
def duplicate_id_aria(page: Page):
    if all(len(elements) == 1 for elements in page.ids.values()):
        return
    referenced = _referenced_ids(page)
    for id_, elements in page.ids.items():
        if len(elements) > 1 and id_ in referenced:
            for extra in elements[1:]:
                yield extra, f"id {id_!r} is referenced for a name or relation but used {len(elements)} times"


def _referenced_ids(page: Page) -> set[str]:
    referenced = {label.get("for") for label in page.tags("label") if label.get("for")}
    for element in page.with_aria:
        for name in _ID_REFERENCES:
            referenced.update((element.get(name) or "").split())
    return referenced


@rule("table-has-header", "serious", ("1.3.1",), "数据表格用 <th>（或 scope/headers）标明表头。")
def table_has_header(page: Page):
    from .structure_rules import layout_cues  # it imports this module
    for table in page.tags("table"):
        if _presentational(table) or page.is_hidden(table) or layout_cues(page, table):
            continue  # a layout table is layout-table's matter
        rows = [r for r in table.iter("tr") if _closest_table(r) is table]
        cells = [c for r in rows for c in r if c.tag in ("td", "th")]
        if len(rows) < 2 or max((len([c for c in r if c.tag in ("td", "th")]) for r in rows), default=0) < 2:
            continue  # a single row or column is a list, not a data table
        has_header = any(c.tag == "th" or c.get("scope") or c.get("headers") or
                         _role(c) in ("columnheader", "rowheader") for c in cells)
        if not has_header:
            yield table, "the data table has no header cells"


def _closest_table(element):
    node = element.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node


def _scalable(value: str) -> bool:
    """user-scalable as browsers read it: yes/device sizes allow zoom; numbers below 1 and other words don't."""
    if value in ("yes", "device-width", "device-height"):
        return True
    try:
        return abs(float(value)) >= 1
    except ValueError:
        return False


def _scale(value: str) -> float:
    """maximum-scale as browsers read it: negative values are ignored, unknown words count as 0.1."""
    keywords = {"yes": 1.0, "no": 0.1, "device-width": 10.0, "device-height": 10.0}
    if value in keywords:
        return keywords[value]
    try:
        number = float(value)
    except ValueError:
        return 0.1
    return float("inf") if number < 0 else number


@rule("meta-viewport", "critical", ("1.4.4",), "不要在 viewport 中禁止缩放（user-scalable=no 或 maximum-scale 小于 2）。", axe=True)
def meta_viewport(page: Page):
    for meta in page.tags("meta"):
        if (meta.get("name") or "").lower() != "viewport":
            continue
        settings = {}
        for part in re.split(r"[,;]", (meta.get("content") or "").lower()):
            key, _, value = part.partition("=")
            settings[key.strip()] = value.strip()
        if "user-scalable" in settings and not _scalable(settings["user-scalable"]):
            yield meta, f"the viewport forbids zooming (user-scalable={settings['user-scalable']})"
        if "maximum-scale" in settings and _scale(settings["maximum-scale"]) < 2:
            yield meta, f"the viewport limits zoom (maximum-scale={settings['maximum-scale']})"


@rule("meta-refresh", "critical", ("2.2.1", "2.2.4", "3.2.5"), "不要使用带延时的 meta refresh 自动刷新或跳转；改用服务器端 301 跳转。", axe=True)
def meta_refresh(page: Page):
    refreshes = [m for m in page.tags("meta") if (m.get("http-equiv") or "").lower() == "refresh"]
    valid = [(m, match) for m in refreshes if (match := _REFRESH.match(m.get("content") or ""))]
    for meta, match in valid[:1]:  # browsers act on the first valid one only
        if 0 < float(match.group(1)) <= 72000:
            yield meta, f"the page refreshes or redirects after {match.group(1)} seconds"


@rule("aria-roles", "critical", ("4.1.2",), "role 属性必须使用 WAI-ARIA 规定的有效角色。", axe=True)
def aria_roles(page: Page):
    for element in page.with_aria:
        value = element.get("role")
        if value is None or not value.strip():
            continue
        if not any(token in aria.ROLES for token in value.lower().split()):
            yield element, f"role={value!r} is not a valid ARIA role"


@rule("aria-valid-attr", "critical", ("4.1.2",), "只使用 WAI-ARIA 规定的 aria-* 属性名（检查拼写）。", axe=True)
def aria_valid_attr(page: Page):
    for element in page.with_aria:
        for name in element.attrib:
            if name.startswith("aria-") and name not in aria.ATTRIBUTES:
                yield element, f"{name} is not an ARIA attribute"


@rule("aria-valid-attr-value", "critical", ("4.1.2",), "aria-* 属性的取值必须符合规范（如 true/false、整数、规定的词）。", axe=True)
def aria_valid_attr_value(page: Page):
    for element in page.with_aria:
        for name, value in element.attrib.items():
            if name.startswith("aria-") and (expected := aria.value_problem(name, value)):
                yield element, f"{name}={value!r} should be {expected}"


@rule("skip-link", "moderate", ("2.4.1",), "页内跳转链接（如“跳到主要内容”）的目标 id 必须存在。")
def skip_link(page: Page):
    names = {a.get("name") for a in page.tags("a") if a.get("name")}
    for link in page.tags("a"):
        href = link.get("href") or ""
        if not href.startswith("#") or len(href) < 2:
            continue
        target = unquote(href[1:])
        if target.lower() != "top" and target not in page.ids and target not in names:
            yield link, f"the in-page link target #{target} does not exist"


@rule("frame-title", "serious", ("4.1.2",), "为 <iframe> 提供说明其内容的 title。", axe=True)
def frame_title(page: Page):
    for frame in page.tags("iframe", "frame"):
        if page.is_hidden(frame) or _presentational(frame):
            continue
        if not page.accessible_name(frame, use_text=False):
            yield frame, "the frame has no title"


@rule("marquee", "serious", ("2.2.2",), "不要使用 <marquee> 滚动文字；如需滚动须提供暂停控制。", axe=True)
def marquee(page: Page):
    for element in page.tags("marquee"):
        yield element, "<marquee> moves content that cannot be paused"


@rule("blink", "serious", ("2.2.2",), "不要使用 <blink> 闪烁文字。", axe=True)
def blink(page: Page):
    for element in page.tags("blink"):
        yield element, "<blink> flashes content that cannot be stopped"


@rule("no-autoplay-audio", "moderate", ("1.4.2",), "不要自动播放有声音的音视频；去掉 autoplay，或静音并提供控制。", axe=True)
def no_autoplay_audio(page: Page):
    for media in page.tags("audio", "video"):
        if "autoplay" in media.attrib and "muted" not in media.attrib and "controls" not in media.attrib \
                and not page.is_hidden(media):  # visible controls let the visitor stop it (ACT 80f0bf, 4c31df)
            yield media, f"<{media.tag}> plays sound automatically"


@rule("valid-lang", "serious", ("3.1.2",), "元素上的 lang 属性应为有效的语言代码。", axe=True)
def valid_lang(page: Page):
    for element in page.with_lang:
        if not _in_body(element):
            continue
        if element.get("lang") == "":
            continue  # lang="" means "unknown language", not an invalid tag (ACT de46e4; lang="  " fails)
        lang = element.get("lang").strip()
        match = _LANG.match(lang)
        if (not match or match.group(1).lower() not in LANGUAGES) and not page.is_hidden(element) \
                and _has_own_text(element):
            yield element, f"lang={lang!r} is not a valid language tag"


def _in_body(element) -> bool:
    """The element is <body> or inside it."""
    node = element
    while node is not None:
        if node.tag == "body":
            return True
        node = node.getparent()
    return False


def _has_own_text(element) -> bool:
    """Text whose language this element sets (not text inside a descendant with its own lang)."""
    if folded(element.text):
        return True
    for child in element:
        if folded(child.tail):
            return True
        if not isinstance(child.tag, str) or "lang" in child.attrib:
            continue
        if folded(child.get("alt")) or folded(child.get("aria-label")) or _has_own_text(child):
            return True
    return False
