"""Decoding legacy pages: declared charsets, BOMs, detection, and never mojibake."""

import codecs

import pytest

from govsite.migrate.decoding import decode_html, looks_like_mojibake

TEXT = "枫岚市召开2024年一季度经济运行分析会，部署二季度重点工作。"


def page(charset_meta: str, body: str = TEXT) -> str:
    return f'<html><head>{charset_meta}<title>{body[:8]}</title></head><body><p>{body}</p></body></html>'


@pytest.mark.parametrize("declared", ["gb2312", "GBK", "gb18030", "x-gbk"])
def test_gbk_family_declarations_read_as_gb18030(declared):
    data = page(f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">').encode("gbk")
    decoded = decode_html(data)
    assert TEXT in decoded.text and decoded.encoding == "gb18030" and decoded.how == "meta"


def test_gb2312_declared_page_with_gbk_only_characters_is_not_damaged():
    body = "镕瑢堃喆：GBK 有而 GB2312 没有的字"
    data = page('<meta charset="gb2312">', body).encode("gbk")
    assert body in decode_html(data).text


def test_http_charset_beats_meta_when_it_decodes():
    data = page('<meta charset="iso-8859-1">').encode("utf-8")
    decoded = decode_html(data, "text/html; charset=UTF-8")
    assert decoded.how == "http" and TEXT in decoded.text


def test_wrong_declaration_is_overruled_instead_of_producing_mojibake():
    data = page('<meta charset="iso-8859-1">').encode("utf-8")
    decoded = decode_html(data)
    assert TEXT in decoded.text and decoded.encoding == "utf-8"
    assert "iso-8859-1" in decoded.note   # overruled, or found not to decode
    gbk = page('<meta charset="windows-1252">').encode("gbk")
    assert TEXT in decode_html(gbk).text


def test_declared_charset_that_cannot_decode_falls_back_to_detection():
    data = page('<meta charset="utf-8">').encode("gbk")
    decoded = decode_html(data)
    assert TEXT in decoded.text and decoded.encoding == "gb18030" and "does not decode" in decoded.note


@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")])
def test_bom_wins(bom, codec):
    data = bom + page('<meta charset="gbk">').encode(codec)
    decoded = decode_html(data)
    assert decoded.how == "bom" and TEXT in decoded.text


@pytest.mark.parametrize("codec", ["utf-8", "gbk", "gb18030"])
def test_undeclared_pages_are_detected(codec):
    decoded = decode_html(page("").encode(codec))
    assert TEXT in decoded.text and not looks_like_mojibake(decoded.text)


def test_unknown_charset_is_noted_and_detection_used():
    decoded = decode_html(page('<meta charset="x-no-such-charset">').encode("utf-8"))
    assert TEXT in decoded.text and "unknown" in decoded.note


def test_mojibake_signature_is_recognised():
    assert looks_like_mojibake(TEXT.encode("utf-8").decode("latin-1"))
    assert not looks_like_mojibake(TEXT)
