"""The CSS a page carries itself (``<style>`` elements and ``style`` attributes), read just enough for
static rules: rules with simple selectors, declarations, and matching those selectors to elements.

Linked stylesheets are not read: a rule that needs them leaves the decision to the browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .html_page import Page

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_BLOCK = re.compile(r"([^{}]+)\{([^{}]*)\}")
#: ``@media print { ... }`` (one level of nested rules): not what the screen shows.
_PRINT = re.compile(r"@media\s+print\b[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", re.I)
#: One compound selector: type (or *), then ids, classes and attribute tests, then pseudo-classes.
_COMPOUND = re.compile(r"(\*|[a-zA-Z][\w-]*)?((?:[.#][\w-]+|\[[^\]]*\])*)((?::[\w-]+(?:\([^)]*\))?)*)")
_PART = re.compile(r"([.#])([\w-]+)|\[\s*([\w-]+)\s*(?:([~|^$*]?=)\s*[\"']?([^\"'\]]*)[\"']?)?\s*\]")
#: Pseudo-classes that hold for any link (:link/:visited/:any-link) or are a user state.
LINK_PSEUDOS = frozenset({"link", "visited", "any-link"})
STATE_PSEUDOS = frozenset({"hover", "focus", "focus-visible", "focus-within", "active"})


@dataclass(frozen=True)
class CssRule:
    """One style rule of a ``<style>`` element: a selector, its declarations, where it stands."""

    selector: str
    declarations: dict[str, str]
    order: int
    source: object  # the <style> element


@dataclass(frozen=True)
class Selector:
    """A parsed simple selector: compounds (tag, parts) joined by combinators, and the subject's states."""

    steps: tuple[tuple[str, str, tuple], ...]  # (combinator, tag, parts) from left to right
    states: frozenset[str]  # :hover, :focus... on the subject
    negated_states: frozenset[str]  # :not(:focus-visible) and the like on the subject
    specificity: tuple[int, int, int]


def declarations(text: str) -> dict[str, str]:
    """``prop: value; ...`` as a dict of lower-case properties and values (``!important`` dropped)."""
    result = {}
    for part in text.split(";"):
        name, colon, value = part.partition(":")
        if colon and name.strip():
            result[name.strip().lower()] = value.replace("!important", "").strip().lower()
    return result


def inline_style(element) -> dict[str, str]:
    return declarations(element.get("style") or "")


def style_rules(page: Page) -> list[CssRule]:
    """Every rule of the page's ``<style>`` elements, in order (cached on the page)."""
    cached = page.__dict__.get("_style_rules")
    if cached is None:
        cached = []
        for style in page.tags("style"):
            if (style.get("media") or "all").strip().lower() == "print":
                continue
            text = _PRINT.sub("", _COMMENT.sub("", "".join(style.itertext())))
            for match in _BLOCK.finditer(text):
                selectors, body = match.group(1).strip(), declarations(match.group(2))
                if selectors.startswith("@") or not body:
                    continue
                for selector in selectors.split(","):
                    if selector.strip():
                        cached.append(CssRule(" ".join(selector.split()), body, len(cached), style))
        page.__dict__["_style_rules"] = cached
    return cached


def links_stylesheets(page: Page) -> bool:
    """The page loads stylesheets we do not read (``<link rel=stylesheet>`` or ``@import``)."""
    if any("stylesheet" in (link.get("rel") or "").lower().split() for link in page.tags("link")):
        return True
    return any("@import" in "".join(style.itertext()) for style in page.tags("style"))


def parse_selector(text: str) -> Selector | None:
    """A selector we can match (type, #id, .class, [attr], descendant and child combinators,
    link and state pseudo-classes), else None."""
    tokens = text.replace(">", " > ").split()
    steps, combinator, states, negated = [], " ", set(), set()
    ids = classes = types = 0
    for index, token in enumerate(tokens):
        if token == ">":
            combinator = ">"
            continue
        match = _COMPOUND.fullmatch(token)
        if not match or not any(match.groups()):
            return None
        tag, parts_text, pseudos = match.group(1) or "*", match.group(2), match.group(3)
        parts = tuple(_PART.findall(parts_text))
        for pseudo in re.findall(r":([\w-]+)(?:\(([^)]*)\))?", pseudos):
            name, argument = pseudo
            last = index == len(tokens) - 1
            if name in LINK_PSEUDOS:
                continue
            if name in STATE_PSEUDOS and last:
                states.add(name)
            elif name == "not" and last and argument.strip(" :") in STATE_PSEUDOS:
                negated.add(argument.strip(" :"))
            else:
                return None
            classes += 1
        ids += sum(1 for p in parts if p[0] == "#")
        classes += sum(1 for p in parts if p[0] != "#")
        types += tag != "*"
        steps.append((combinator, tag.lower(), parts))
        combinator = " "
    if not steps:
        return None
    return Selector(tuple(steps), frozenset(states), frozenset(negated), (ids, classes, types))


def _compound_matches(element, tag: str, parts: tuple) -> bool:
    if not isinstance(element.tag, str) or tag not in ("*", element.tag):
        return False
    for kind, name, attribute, operator, value in parts:
        if kind == "#" and element.get("id") != name:
            return False
        if kind == "." and name not in (element.get("class") or "").split():
            return False
        if attribute:
            actual = element.get(attribute)
            if actual is None or (operator == "=" and actual != value) \
                    or (operator == "~=" and value not in actual.split()):
                return False
    return True


def matches(element, selector: Selector) -> bool:
    """The element is the selector's subject (state pseudo-classes aside)."""
    steps = selector.steps
    if not _compound_matches(element, steps[-1][1], steps[-1][2]):
        return False
    node, index = element, len(steps) - 2
    combinator = steps[-1][0]
    while index >= 0:
        _, tag, parts = steps[index]
        node = node.getparent()
        if combinator == ">":
            if node is None or not _compound_matches(node, tag, parts):
                return False
        else:
            while node is not None and not _compound_matches(node, tag, parts):
                node = node.getparent()
            if node is None:
                return False
        combinator = steps[index][0]
        index -= 1
    return True


def parsed_rules(page: Page) -> list[tuple[CssRule, Selector]]:
    """The page's style rules whose selectors we can match, parsed once (cached on the page)."""
    cached = page.__dict__.get("_parsed_rules")
    if cached is None:
        cached = [(r, s) for r in style_rules(page) if (s := parse_selector(r.selector)) is not None]
        page.__dict__["_parsed_rules"] = cached
    return cached


def computed(page: Page, element, states: frozenset[str] = frozenset()) -> dict[str, str]:
    """The declarations that apply to ``element`` from the page's own CSS, cascaded by specificity
    and order, inline style last; ``states`` (e.g. {"hover"}) adds the rules for those states."""
    applying = [(s.specificity, r.order, r.declarations) for r, s in parsed_rules(page)
                if s.states <= states and not (s.negated_states & states) and matches(element, s)]
    result: dict[str, str] = {}
    for _, _, values in sorted(applying, key=lambda item: (item[0], item[1])):
        result.update(values)
    result.update(inline_style(element))
    return result
