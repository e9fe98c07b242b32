"""Static rules for what the markup shows: layout tables, headings, bypass blocks, form labels and
instructions, links told apart by colour alone."""

from __future__ import annotations

import re

from .a11y_rules import _closest_table, _label_text, _presentational, _role
from .html_page import Page, folded
from .page_css import computed, inline_style, links_stylesheets, parsed_rules
from .rules import REVIEW, rule

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
#: Content that a data table's cell does not hold but a page layout does.
_LAYOUT_BLOCKS = {"h1": "headings", "h2": "headings", "h3": "headings", "h4": "headings", "h5": "headings",
                  "h6": "headings", "ul": "lists", "ol": "lists", "nav": "navigation", "form": "forms",
                  "iframe": "frames", "header": "page regions", "footer": "page regions", "aside": "page regions"}
_TEXT_INPUTS = frozenset({"text", "search", "email", "tel", "url", "password", "number", "date", "month", "week",
                          "time", "datetime-local"})
#: Words a heading carries when nobody wrote one (compared case-insensitively, whole heading).
_GENERIC_HEADINGS = frozenset({"标题", "无标题", "新标题", "标题一", "标题二", "栏目名称", "内容", "正文", "新建",
                               "更多", "点击这里", "heading", "title", "untitled", "new heading", "text", "more",
                               "click here", "lorem ipsum"})
_REQUIRED_MARK = re.compile(r"[*＊※]|必填|必选|必须|必需|不能为空|不得为空|required|mandatory", re.I)
_ALL_REQUIRED = re.compile(r"(均|都|全部|所有.{0,6})(为|是|须|需)?(必填|必须填写)|all fields are required", re.I)
#: Text this long (characters) is content, not a label in a navigation block.
_SENTENCE = 40
_BLOCK_PARENTS = frozenset({"p", "li", "dd", "td", "th", "blockquote", "div", "figcaption", "caption"})


def _heading_role(element) -> bool:
    """An h1-h6 or role=heading that stays a heading (role none is ignored when a global aria-* is set)."""
    role = _role(element)
    if role == "heading":
        return True
    if element.tag not in _HEADINGS:
        return False
    return role == "" or (role in ("none", "presentation") and ("aria-label" in element.attrib
                                                              or "aria-labelledby" in element.attrib))


def _headings(page: Page) -> list[tuple[object, str]]:
    """Every visible heading with its accessible name, in document order (cached on the page)."""
    cached = page.__dict__.get("_headings")
    if cached is None:
        candidates = page.tags(*_HEADINGS) + [e for e in page.with_role("heading") if e.tag not in _HEADINGS]
        found = [e for e in candidates if _heading_role(e) and not page.is_hidden(e)]
        if page.by_role.get("heading") or len({e.tag for e in found}) > 1:
            order = {id(e): i for i, e in enumerate(page.elements)}
            found.sort(key=lambda e: order[id(e)])
        cached = page.__dict__["_headings"] = [(e, page.accessible_name(e)) for e in found]
    return cached


def layout_cues(page: Page, table) -> list[str]:
    """Why a table looks like page layout rather than data ([] when it does not)."""
    cues = []
    if any(t is not table for t in table.iter("table")):
        cues.append("nested tables")
    kinds = []
    for element in table.iter(*_LAYOUT_BLOCKS):
        if _closest_table(element) is table and _LAYOUT_BLOCKS[element.tag] not in kinds:
            kinds.append(_LAYOUT_BLOCKS[element.tag])
    return cues + kinds


def _data_markup(table) -> list[str]:
    """The data-table markup a table carries (header cells, caption, summary, thead, scope, headers)."""
    found = []
    if any(_closest_table(c) is table for c in table.iter("th")):
        found.append("<th>")
    if any(c.getparent() is table for c in table.iter("caption")):
        found.append("<caption>")
    if folded(table.get("summary")):
        found.append("summary")
    if any(c.get("scope") or c.get("headers") for c in table.iter("td") if _closest_table(c) is table):
        found.append("scope/headers")
    return found


@rule("layout-table", "serious", ("1.3.1", "1.3.2"),
      "不要用表格排版：改用 CSS 布局；确需保留的排版表格加 role=\"presentation\"，不用 <th>、<caption>、summary，"
      "并确认按源代码顺序朗读时内容次序合理。")
def layout_table(page: Page):
    for table in page.tags("table"):
        if page.is_hidden(table):
            continue
        markup, cues = _data_markup(table), layout_cues(page, table)
        if _presentational(table):
            if markup and cues:  # a layout table (F46); without layout cues it may be a data table hidden by mistake
                yield table, f"a layout table (role={_role(table)}) uses data-table markup ({', '.join(markup)})"
            continue
        if cues and not markup:
            yield table, (f"the table lays out the page (its cells hold {', '.join(cues)}) but is announced as a data "
                          "table: use CSS for layout, or mark it role=\"presentation\"")


@rule("empty-heading", "serious", ("1.3.1", "2.4.6"), "标题不能为空：写出说明该部分内容的标题文字，不需要标题就删除标题标签。")
def empty_heading(page: Page):
    for heading, name in _headings(page):
        if not name:
            yield heading, f"the <{heading.tag}> heading is empty: it names no section"


@rule("heading-duplicate", "moderate", ("2.4.6",), "同一页面中同级标题不要重复：为每一部分写出能区分它的标题。")
def heading_duplicate(page: Page):
    seen: dict[tuple, object] = {}
    for heading, name in _headings(page):
        text = name.lower()
        if not text:
            continue
        key = (heading.tag if heading.tag in _HEADINGS else "role", text)
        if key in seen:
            yield heading, f"the heading {text[:60]!r} repeats one earlier on the page: do both describe their section?", REVIEW
        seen.setdefault(key, heading)


@rule("heading-descriptive", "moderate", ("2.4.6",), "标题要说明其下内容的主题，不要用“标题”“更多”等占位文字，也不要把整段正文设为标题。")
def heading_descriptive(page: Page):
    for heading, text in _headings(page):
        if not text:
            continue
        if text.lower().strip(" ：:.。") in _GENERIC_HEADINGS or re.fullmatch(r"[\W\d_]+", text):
            yield heading, f"the heading {text[:60]!r} does not say what its section is about", REVIEW
        elif len(text) > 120:
            yield heading, f"the heading is {len(text)} characters long: is it a paragraph marked as a heading?", REVIEW


def _in_page_target(page: Page, link) -> bool:
    href = (link.get("href") or "").strip()
    if not href.startswith("#") or len(href) < 2:
        return False
    target = href[1:]
    return target in page.ids or any(a.get("name") == target for a in page.tags("a"))


@rule("bypass-blocks", "serious", ("2.4.1",),
      "在页面开头提供“跳到主要内容”链接，并用 <main> 标出主要内容、用标题开始正文，使键盘和读屏用户能跳过重复的导航。")
def bypass_blocks(page: Page):
    """Fails a page that opens with five links before any sentence of content, with no main landmark,
    no skip link before them and no heading after them."""
    if page.tags("main") or page.with_role("main"):
        return
    body = page.tags("body")
    if not body:
        return
    leading = []  # the links before the first sentence of content
    for element in body[0].iter():
        if not isinstance(element.tag, str) or page.is_hidden(element):
            continue
        if element.tag in ("a", "area") and element.get("href") is not None:
            if _in_page_target(page, element):
                return  # a skip link before the repeated block
            leading.append(element)
        elif element.tag not in ("script", "style") and not _inside_link(element) \
                and len(folded(element.text)) >= _SENTENCE:
            break
        if element.tail and len(folded(element.tail)) >= _SENTENCE and not _inside_link(element.getparent()):
            break
    nav_end = next((leading[i + 4] for i in range(len(leading) - 4)
                    if _link_block(leading[i], leading[i + 4])), None)
    if nav_end is None:
        return
    after = False
    for element in page.elements:
        if element is nav_end:
            after = True
        elif after and _heading_role(element) and not page.is_hidden(element) and page.accessible_name(element):
            return  # the content starts with a heading (H69)
    yield nav_end, ("the page opens with a block of links and gives no way past it: no skip link, no <main> "
                    "landmark and no heading where the content starts")


def _link_block(first, last) -> bool:
    """The smallest element holding both links is a block of links (little text besides them)."""
    ancestors = set()
    node = first
    while node is not None:
        ancestors.add(node)
        node = node.getparent()
    block = last
    while block is not None and block not in ancestors:
        block = block.getparent()
    if block is None:
        return False
    text = len(folded("".join(block.itertext())))
    links = sum(len(folded("".join(a.itertext()))) for a in block.iter("a", "button"))
    return text - links < _SENTENCE


def _inside_link(element) -> bool:
    node = element
    while node is not None:
        if node.tag in ("a", "button"):
            return True
        node = node.getparent()
    return False


def _text_fields(page: Page) -> list:
    fields = [e for e in page.tags("input") if (e.get("type") or "text").lower() in _TEXT_INPUTS]
    return fields + page.tags("textarea")


def _nearby_text(element) -> str:
    """Visible text beside a field in its parent (and the previous table cell): a label not tied to it."""
    parent = element.getparent()
    parts = [parent.text or ""] if parent is not None else []
    parts += [folded("".join(s.itertext())) + (s.tail or "") for s in (parent if parent is not None else [])
              if isinstance(s.tag, str) and s is not element and s.tag not in ("input", "select", "textarea", "button")]
    parts.append(element.tail or "")
    if parent is not None and parent.tag == "td" and parent.getprevious() is not None:
        parts.append("".join(parent.getprevious().itertext()))
    return folded(" ".join(parts))


def _labelling_button(page: Page, field) -> bool:
    """A named button right after the field says what it is for (G167: a search field and its 搜索 button)."""
    following = field.getnext()
    if following is None or folded(field.tail):
        return False
    if following.tag == "button":
        return bool(page.accessible_name(following))
    kind = (following.get("type") or "").lower()
    return following.tag == "input" and kind in ("submit", "button", "image") and \
        bool(folded(following.get("value")) or folded(following.get("alt")) or kind == "submit")


@rule("placeholder-label", "serious", ("3.3.2",),
      "占位文字（placeholder）在输入时消失，不能代替标签：为输入框加上始终可见的 <label>，提示文字可保留在 placeholder 或说明中。")
def placeholder_label(page: Page):
    for field in _text_fields(page):
        if page.is_hidden(field) or not folded(field.get("placeholder")):
            continue
        if _label_text(page, field) or page.labelledby_name(field) or folded(field.get("aria-label")) \
                or folded(field.get("title")) or _labelling_button(page, field):
            continue
        if _nearby_text(field):
            yield field, ("the field's only label is its placeholder; text beside it is not tied to it: "
                          "is that text its visible label?"), REVIEW
        else:
            yield field, f"the field is labelled only by its placeholder {field.get('placeholder')[:40]!r}, which disappears as one types"


def _required(field) -> bool:
    return "required" in field.attrib or (field.get("aria-required") or "").lower() == "true"


def _field_texts(page: Page, field) -> str:
    texts = [_label_text(page, field), page.labelledby_name(field), folded(field.get("aria-label")),
             folded(field.get("title")), folded(field.get("placeholder"))]
    for id_ in (field.get("aria-describedby") or "").split():
        if (described := page.element_by_id(id_)) is not None:
            texts.append(page.text_name(described))
    node = field.getparent()
    while node is not None:
        if node.tag == "fieldset":
            texts += [page.text_name(legend) for legend in node if legend.tag == "legend"]
        node = node.getparent()
    return " ".join(texts)


def _form_of(field):
    node = field.getparent()
    while node is not None and node.tag != "form":
        node = node.getparent()
    return node


@rule("required-indication", "serious", ("3.3.2",),
      "必填项要在可见的标签中注明（如“*”或“必填”），并在表单开头说明“*”的含义；不能只靠 required 属性或颜色。")
def required_indication(page: Page):
    for field in page.tags("input", "select", "textarea"):
        kind = (field.get("type") or "text").lower()
        if not _required(field) or page.is_hidden(field) or kind in ("hidden", "submit", "reset", "button", "image"):
            continue
        if _REQUIRED_MARK.search(_field_texts(page, field)):
            continue
        form = _form_of(field)
        if form is not None and _ALL_REQUIRED.search(folded(" ".join(form.itertext()))):
            continue
        classes = " ".join((e.get("class") or "") for e in (field, field.getparent()) if e is not None)
        classes += " " + " ".join(label.get("class") or "" for label in page.tags("label")
                                  if field.get("id") and label.get("for") == field.get("id"))
        if re.search(r"requir|must|mandatory|必填", classes, re.I):
            yield field, "the required field's mark may come from CSS (a class says so): is it visible?", REVIEW
        else:
            yield field, "the field is required but its label and instructions do not say so"


def _underlined(style: dict) -> bool | None:
    """True/False when the declarations set the text decoration, None when they do not."""
    for name in ("text-decoration-line", "text-decoration"):
        if name in style:
            return "underline" in style[name]
    return None


def _other_cue(style: dict) -> bool:
    """A cue other than colour: bold, italic, a border, a background, an outline."""
    weight = style.get("font-weight", "")
    if weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600):
        return True
    if style.get("font-style") in ("italic", "oblique"):
        return True
    for name, value in style.items():
        if name.startswith(("border", "outline", "box-shadow")) and value and not re.match(r"^(none|0|0px|hidden)\b", value):
            return True
        if name in ("background", "background-color", "background-image") and value not in ("none", "transparent", "inherit", "initial"):
            return True
    return False


def _text_block(page: Page, link):
    """The block the link sits in when the block has text of its own around the link, else None."""
    node = link.getparent()
    while node is not None and node.tag in ("span", "em", "strong", "b", "i", "small", "font", "u"):
        node = node.getparent()
    if node is None or node.tag not in _BLOCK_PARENTS:
        return None
    own = [node.text or ""]
    for child in node.iter():
        if child is node or not isinstance(child.tag, str):
            continue
        if not _inside_link(child):
            own.append(child.text or "")
        if child.tail and not _inside_link(child.getparent()):
            own.append(child.tail)
    return node if len(folded("".join(own))) >= 10 else None


@rule("link-color-only", "serious", ("1.4.1",),
      "正文段落中的链接除颜色外还要有其他区分方式：保留下划线（或加粗、边框等），不要只用 text-decoration: none 加颜色。")
def link_color_only(page: Page):
    external = None
    decorating = any("text-decoration" in d or "text-decoration-line" in d for d in
                     (css.declarations for css, _ in parsed_rules(page)))
    for link in page.tags("a"):
        if not decorating and "text-decoration" not in (link.get("style") or ""):
            continue  # nothing on the page removes an underline (a linked stylesheet is the browser's matter)
        if link.get("href") is None or page.is_hidden(link) or not folded("".join(link.itertext())):
            continue
        style = computed(page, link)
        if _underlined(style) is not False or _other_cue(style):
            continue
        if _text_block(page, link) is None:
            continue
        if any(_underlined(computed(page, link, frozenset({state}))) or _other_cue(computed(page, link, frozenset({state})))
               for state in ("hover", "focus")):
            yield link, ("the link in the text has no underline but gains one on hover or focus: does its colour "
                         "differ from the text by 3:1 or more?"), REVIEW
            continue
        external = links_stylesheets(page) if external is None else external
        inline = _underlined(inline_style(link)) is False
        if external and not inline:
            yield link, "the link in the text has no underline here; a linked stylesheet may add another cue", REVIEW
        else:
            yield link, "the link in the text is told apart from the words around it by colour alone (no underline or other cue)"
