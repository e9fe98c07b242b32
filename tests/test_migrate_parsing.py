"""migrate.parsing and the faster selectors (layouts.fast_xpath): each replaced algorithm gives
exactly what the one it replaced gave, on every fixture page and a realistic benchmark page."""

import re

import pytest
from lxml import etree, html as lxml_html

from govsite.migrate import layouts, parsing
from govsite.migrate.extract import _FOOTER, _FOOTER_XPATH, _has_text, _keep_text_out_of_tokens, _text
from migrate_helpers import fixture_pages

OLD_CLASS = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"  # has_class before the prefilter
TRICKY = ('<html><body><div class=" fj\tx "><a href="a.pdf">a</a></div><div class="fjx"><a href="b">b</a></div>'
          '<p id="fj"><a href="c">c</a></p><div class="foot-note bottom">f</div><span class="title">t</span>'
          '<div class="xtitle">no</div><footer>ft</footer><div id="copyright">c</div><!-- c --><ul class="list">'
          '<li><a href="d">d</a></li></ul></body></html>')
PAGES = fixture_pages(TRICKY)
HAS_CLASS = re.escape(layouts.has_class("@@")).replace("@@", "([^']+)", 1).replace("@@", r"\1", 1)


def _old_text(element) -> str:
    return re.sub(r"\s+", " ", " ".join(t.strip() for t in element.itertext() if t and t.strip())).strip()


@pytest.mark.parametrize("raw", PAGES, ids=range(len(PAGES)))
def test_the_parser_and_text_helpers_match_lxml_html(raw):
    tree = lxml_html.document_fromstring(raw, parser=parsing.PARSER)
    reference = lxml_html.document_fromstring(raw)
    assert etree.tostring(tree, encoding="unicode") == etree.tostring(reference, encoding="unicode")
    assert all(isinstance(e, lxml_html.HtmlElement) for e in tree.iter(etree.Element))
    for element in tree.iter(etree.Element):
        assert parsing.texts(element) == list(element.itertext())
        assert _text(element) == _old_text(element) and _has_text(element) == bool(_old_text(element))
    text = tree.text_content()
    assert parsing.visible_chars(text) == len(re.sub(r"\s+", "", text))
    body = tree.find("body")
    piece = "lead text " + "".join(etree.tostring(c, encoding="unicode") for c in list(body)[:20]) \
        if body is not None else "<p>x</p>"
    made = parsing.fragment(piece)
    expected = lxml_html.fragment_fromstring(piece, create_parent="div")
    assert etree.tostring(made, encoding="unicode") == etree.tostring(expected, encoding="unicode")


@pytest.mark.parametrize("raw", PAGES, ids=range(len(PAGES)))
def test_prefiltered_selectors_select_the_same_elements(raw):
    tree = lxml_html.document_fromstring(raw, parser=parsing.PARSER)
    expressions = {x for layout in (*layouts.LAYOUTS, layouts.GENERIC)
                   for group in (layout.title, layout.info, layout.body, layout.attachments, layout.breadcrumbs,
                                 layout.list_items, layout.lead_image) for x in group}
    rewritten = 0
    for expression in sorted(expressions):
        fast = layouts.fast_xpath(expression)
        rewritten += fast != expression
        before = re.sub(HAS_CLASS, lambda m: OLD_CLASS.format(m.group(1)), expression)  # the expression as it was
        assert tree.xpath(fast) == tree.xpath(before), expression
    assert rewritten >= 10  # the selectors by class and id are the ones rewritten
    assert _FOOTER(tree) == tree.xpath(_FOOTER_XPATH)


def test_every_whitespace_the_regex_counts_is_what_split_counts():
    assert all(bool(re.fullmatch(r"\s", chr(c))) == chr(c).isspace() for c in range(0x110000))


def test_token_characters_are_still_replaced():
    body = lxml_html.fragment_fromstring('<div><p title="a\ue000b">x\ue001y</p>tail\ue000</div>')
    _keep_text_out_of_tokens(body)
    text = etree.tostring(body, encoding="unicode")
    assert "\ue000" not in text and "\ue001" not in text and text.count("\ufffd") == 3
