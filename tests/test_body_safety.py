"""Dangerous markup in rendered bodies (govsite/body_safety.py): found however it is written, named."""

import pytest

from govsite.body_safety import REFUSED_ELEMENTS, check_body, find_dangers, url_scheme

#: Bodies a browser would run script from (or load a whole document from a URL), each with what must be named.
DANGEROUS = {
    "script": ("<p>a</p><script>alert(1)</script>", "<script>"),
    "script any case": ("<ScRiPt>alert(1)</ScRiPt>", "<script>"),
    "script with slash": ("<script/x>alert(1)</script>", "<script>"),
    "script after an abrupt comment": ("<!--> <script>alert(1)</script> -->", "<script>"),
    "script in svg": ("<svg><script>alert(1)</script></svg>", "<script>"),
    "iframe": ('<iframe src="https://example.com/"></iframe>', "<iframe>"),
    "object": ('<object data="x.swf"></object>', "<object>"),
    "embed": ('<embed src="x.swf">', "<embed>"),
    "base": ('<base href="https://evil.example.com/">', "<base>"),
    "meta refresh": ('<meta http-equiv="refresh" content="0;url=https://evil.example.com/">', "<meta>"),
    "link": ('<link rel="stylesheet" href="x.css">', "<link>"),
    "style": ("<style>body{display:none}</style>", "<style>"),
    "form": ('<form action="https://evil.example.com/"><input name="id"></form>', "<form>"),
    "noscript breakout": ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', "<noscript>"),
    "textarea breakout": ('<textarea><p title="</textarea><img src=x onerror=alert(1)>">', "<img onerror=...>"),
    "onerror": ("<img src=x onerror=alert(1)>", "<img onerror=...>"),
    "onerror after slash": ('<img/src="x"/onerror=alert(1)>', "<img onerror=...>"),
    "onerror glued to a quoted value": ('<img src="x"onerror="alert(1)">', "<img onerror=...>"),
    "handler any case": ('<div OnClick="x()">y</div>', "<div onclick=...>"),
    "handler on svg": ("<svg onload=alert(1)>", "<svg onload=...>"),
    "handler of an unclosed tag": ("<p>a</p><img src=x onerror=alert(1)//", "<img onerror=...>"),
    "javascript href": ('<a href="javascript:alert(1)">x</a>', "<a href=javascript:...>"),
    "javascript any case": ("<IMG SRC=JaVaScRiPt:alert(1)>", "<img src=javascript:...>"),
    "javascript with a tab": ('<a href="jav&#x09;ascript:alert(1)">x</a>', "<a href=javascript:...>"),
    "javascript with a newline": ('<a href="java\nscript:alert(1)">x</a>', "<a href=javascript:...>"),
    "javascript after spaces and controls": ('<a href=" &#14; javascript:alert(1)">x</a>', "<a href=javascript:...>"),
    "javascript after a raw control": ('<a href="\x01javascript:alert(1)">x</a>', "<a href=javascript:...>"),
    "javascript as entities": ('<a href="&#x6A;avascript&colon;alert(1)">x</a>', "<a href=javascript:...>"),
    "javascript as padded decimal references": (
        '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116'
        '&#0000058alert(1)">x</a>', "<a href=javascript:...>"),
    "javascript in xlink:href": ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
                                 "<a xlink:href=javascript:...>"),
    "javascript in formaction": ('<button formaction="javascript:alert(1)">x</button>',
                                 "<button formaction=javascript:...>"),
    "javascript in poster": ('<video poster="javascript:alert(1)"></video>', "<video poster=javascript:...>"),
    "javascript set by svg animation": ('<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>',
                                        "<animate to=javascript:...>"),
    "vbscript": ('<a href="vbscript:msgbox(1)">x</a>', "<a href=vbscript:...>"),
    "data document": ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "<a href=data:...>"),
    "data in srcset": ('<img alt="x" srcset="a.png 1x, data:image/png;base64,xx 2x">', "<img srcset=data:...>"),
}

#: Bodies that are safe and must build: markup shown as text, words that look like schemes, ordinary links.
SAFE = {
    "plain markdown output": '<h2 id="a">标题</h2><p>正文<a href="../x.html?a=1&amp;b=2">链接</a><strong>强调</strong></p>',
    "absolute and relative links": '<p><a href="https://www.jichuan.gov.cn/">门户</a> <a href="#top">顶部</a>'
                                   ' <a href="mailto:office@jichuan.gov.cn">邮箱</a></p>',
    "image with alt": '<figure><img src="../../images/chart.png" alt="柱状图"></figure>',
    "escaped markup": "<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img onerror=x&gt;</p>",
    "code sample": "<pre><code>&lt;iframe src=&quot;javascript:x&quot;&gt;</code></pre>",
    "scheme-like words": "<p>javascript: is a language; data: 数据。</p>",
    "scheme in a query": '<p><a href="/x?u=javascript:1">ok</a></p>',
    "scheme in a title": '<p><a href="https://ok.gov.cn/" title="javascript:x">ok</a></p>',
    "a broken tag is text": "<scr<script>ipt>",
    "table": "<table><thead><tr><th>项目</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
    "empty": "",
}


@pytest.mark.parametrize("name", DANGEROUS)
def test_dangerous_markup_is_found(name):
    body, found = DANGEROUS[name]
    assert found in [d.found for d in find_dangers(body)]


@pytest.mark.parametrize("name", SAFE)
def test_safe_markup_passes(name):
    assert find_dangers(SAFE[name]) == []


@pytest.mark.parametrize("tag", sorted(REFUSED_ELEMENTS))
def test_every_refused_element_is_found(tag):
    assert [d.found for d in find_dangers(f"<p>x</p><{tag.upper()}>y</{tag}>")] == [f"<{tag}>"]


def test_problem_names_the_file_the_field_and_what_is_expected():
    problems = check_body("articles/x.md", "<p>a</p><script>alert(1)</script><img src=x onerror=alert(1)>")
    assert [(p.file, p.field, p.value) for p in problems] == [
        ("articles/x.md", "body", "<img onerror=...>"), ("articles/x.md", "body", "<script>")]
    text = " ".join(str(p) for p in problems)
    assert "no <script> element: scripts are not allowed in content" in text
    assert "no onerror attribute: event handlers" in text


def test_each_danger_is_named_once():
    assert len(check_body("x.md", "<script>1</script><script>2</script>")) == 1


@pytest.mark.parametrize("url, scheme", [
    ("javascript:x", "javascript"), ("  JAVASCRIPT:x", "javascript"), ("\x00\x1fdata:x", "data"),
    ("ja\tva\nscript:x", "javascript"), ("https://a.gov.cn/", "https"), ("../a.html", ""), ("a.html#x:y", ""),
    ("/x?u=javascript:1", ""), ("", ""),
])
def test_url_scheme_as_a_browser_reads_it(url, scheme):
    assert url_scheme(url) == scheme
