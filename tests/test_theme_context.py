"""The theme's helpers (govsite/theme_context.py): plain-text summaries, quoted contact URLs."""

from types import SimpleNamespace

import pytest

from govsite.theme_context import description_of, mailto_url, tel_url


def item(summary_metadata=None, summary_html=""):
    metadata = {} if summary_metadata is None else {"summary": summary_metadata}
    return SimpleNamespace(metadata=metadata, summary=summary_html)


def test_a_written_summary_is_text_exactly_as_written():
    written = '摘要<script>alert(1)</script> &lt;b&gt; "引号" & ]]>'
    assert description_of(item(written, summary_html="<p>ignored</p>")) == written


def test_without_a_summary_the_automatic_one_is_the_text_of_the_body():
    assert description_of(item(summary_html="<p>正文 <b>粗体</b> &lt;i&gt;</p>")) == "正文 粗体 <i>"


@pytest.mark.parametrize("address, url", [
    ("office@jichuan.gov.cn", "mailto:office@jichuan.gov.cn"),
    ("a+b@jichuan.gov.cn", "mailto:a+b@jichuan.gov.cn"),
    ('x@y.gov.cn"><script>', "mailto:x@y.gov.cn%22%3E%3Cscript%3E"),
    ("x@y.gov.cn?cc=evil@example.com", "mailto:x@y.gov.cn%3Fcc%3Devil@example.com"),
])
def test_mailto_url_is_quoted(address, url):
    assert mailto_url(address) == url


@pytest.mark.parametrize("phone, url", [
    ("0991-7654321", "tel:0991-7654321"),
    ("+86 991 765 4321", "tel:+869917654321"),
    ('0991"><img src=x onerror=alert(1)>',
     "tel:0991%22%3E%3Cimgsrc%3Dxonerror%3Dalert%281%29%3E"),
])
def test_tel_url_is_quoted_without_spaces(phone, url):
    assert tel_url(phone) == url
