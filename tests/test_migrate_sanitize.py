"""Sanitising with nh3 and removing page furniture."""

from lxml import html

from govsite.migrate import sanitize


def test_clean_removes_scripts_handlers_styles_iframes_and_forms():
    dirty = ('<p style="color:red" onclick="x()">正文<script>alert(1)</script></p>'
             '<iframe src="https://video.example.com/"></iframe><form><input name="q"><button>搜索</button></form>'
             '<a href="javascript:alert(1)">坏链接</a><a href="/ok.html" target="_blank" class="c">好链接</a>'
             '<img src="a.png" alt="图" onerror="x()"><table><tr><td colspan="2" style="width:9px">格</td></tr></table>')
    clean = sanitize.clean(dirty)
    for bad in ("script", "onclick", "style=", "iframe", "<form", "<input", "button", "javascript:", "onerror",
                "target=", "class="):
        assert bad not in clean
    assert "正文" in clean and '<a href="/ok.html">好链接</a>' in clean and 'alt="图"' in clean
    assert '<td colspan="2">格</td>' in clean


def test_audit_counts_what_goes():
    body = html.fragment_fromstring('<div><script>x</script><p style="a" onclick="b">t</p><iframe></iframe></div>')
    assert sanitize.audit(body) == {"scripts": 1, "event_handlers": 1, "styles": 1, "iframes": 1}


def test_strip_noise_removes_furniture_only():
    body = html.fragment_fromstring(
        '<div><p>正文第一段。</p><div class="bdsharebuttonbox">分享到：微信</div><p>【字体：大 中 小】</p>'
        '<p>【打印本页】【关闭窗口】</p><div class="qrcode">扫一扫</div><p>上一篇：旧闻</p>'
        '<p>关于打印机采购的说明，详见附件。</p></div>')
    assert sanitize.strip_noise(body) == 5
    text = body.text_content()
    assert "正文第一段" in text and "关于打印机采购的说明" in text and "分享" not in text


def test_strip_noise_removes_breadcrumbs_and_the_disclaimer():
    body = html.fragment_fromstring(
        '<div><div class="crumb"><a href="/">首页</a> &gt; <a href="/x/">工作动态</a></div>'
        '<p>您现在的位置：<a href="/">首页</a> &gt; 公报</p><p>正文第一段。</p>'
        '<p>本站位置：城东路一号，欢迎来访。</p>'
        '<div class="article-end"><p>版权与免责声明：凡本网注明来源的作品，版权均属本网。</p></div>'
        '<p>正文第二段。</p><h4>\n  免责声明\n</h4><p>一、凡本网注明……</p><p>二、转载目的……</p></div>')
    sanitize.strip_noise(body)
    text = body.text_content()
    assert "首页" not in text and "位置：" not in text.replace("本站位置：", "")
    assert "版权" not in text and "免责" not in text and "转载" not in text
    assert "正文第一段" in text and "正文第二段" in text and "本站位置：城东路一号" in text


UNSAFE_URLS = ["javascript:alert(1)", " javascript:alert(1)", "\x01\x02javascript:alert(1)", "JAVASCRIPT:alert(1)",
               "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "jav\nascript:alert(1)", "java\rscript:alert(1)",
               "&#106;avascript:alert(1)", "&#x6A;avascript&colon;alert(1)", "&#0000106avascript:alert(1)",
               "javascript&#58;alert(1)", "&amp;#106;avascript:alert(1)", "\u3000javascript:alert(1)",
               "\u200bjavascript:alert(1)", "\ufeffjavascript:alert(1)", "vbscript:msgbox(1)", "VBScript:msgbox(1)",
               "data:text/html,<script>alert(1)</script>", "DaTa:text/html;base64,PHNjcmlwdD4=",
               "data:image/svg+xml;base64,PHN2Zz4=", "file:///etc/passwd", "ftp://ftp.example.com/x", "blob:x",
               "java\x00script:alert(1)"]
SAFE_URLS = ["http://www.example.com/", "HTTPS://www.example.com/a?b=1&c=2", "mailto:zfb@fenglan.gov.cn",
             "tel:0991-2345678", "/a.html", "a.html", "../a.html", "#top", "?page=2", "//www.example.com/x",
             "javascript.html", "./javascript:x.html"]


def test_only_safe_schemes_pass_in_every_spelling():
    for url in UNSAFE_URLS:
        assert not sanitize.is_safe_url(url), repr(url)
        assert sanitize.url_problem(url)
    for url in SAFE_URLS:
        assert sanitize.is_safe_url(url), url


URL_PLACES = [("a", "href"), ("img", "src"), ("img", "srcset"), ("video", "poster"), ("form", "action"),
              ("button", "formaction"), ("a", "xlink:href"), ("td", "background"), ("blockquote", "cite"),
              ("img", "longdesc"), ("object", "data"), ("area", "href"), ("img", "data-src"), ("iframe", "src")]


def test_unsafe_urls_are_dropped_from_every_url_attribute_and_listed():
    for tag, attribute in URL_PLACES:
        for url in ("javascript:alert(1)", "&#106;avascript:alert(1)", "data:text/html,x", "VBSCRIPT:x"):
            body = html.fragment_fromstring(f'<div><{tag} {attribute}="{url}" title="t">x</{tag}></div>')
            dropped = sanitize.drop_unsafe_urls(body)
            element = next(e for e in body.iter(tag))
            assert attribute not in element.attrib and element.get("title") == "t", (tag, attribute, url)
            assert [(d["element"], d["attribute"]) for d in dropped] == [(tag, attribute)] and dropped[0]["why"]
    body = html.fragment_fromstring('<div><a href="/ok.html">好</a><img src="https://x.example/a.png" '
                                    'srcset="a.png 1x, b.png 2x"></div>')
    assert sanitize.drop_unsafe_urls(body) == []
    assert body.find("a").get("href") == "/ok.html" and body.find("img").get("srcset") == "a.png 1x, b.png 2x"


PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgaGAAAAEEAIFw9selAAAAAElFTkSuQmCC")


def test_inline_images_only_raster_with_matching_bytes():
    body = html.fragment_fromstring(
        f'<div><img src="data:image/png;base64,{PNG}" alt="a"><img src="data:image/svg+xml;base64,PHN2Zz4=" alt="b">'
        f'<img src="data:image/jpeg;base64,{PNG}" alt="c"><a href="data:image/png;base64,{PNG}">d</a></div>')
    dropped = sanitize.drop_unsafe_urls(body)
    assert [(d["element"], d["url"][:15]) for d in dropped] == [("img", "data:image/svg+"), ("img", "data:image/jpeg"),
                                                               ("a", "data:image/png;")]
    held = sanitize.hold_inline_images(body)
    assert held == [f"data:image/png;base64,{PNG}"]
    clean = sanitize.clean(html.tostring(body, encoding="unicode"))
    assert f'src="{sanitize.INLINE_MARK}0"' in clean and "data:" not in clean


def test_clean_keeps_no_data_or_script_url_even_on_its_own():
    dirty = ('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">d</a><a href=" &#106;avascript:x">j</a>'
             '<img src="data:image/png;base64,AAAA" alt="i"><a href="ftp://x.example/f">f</a><a href="/ok">ok</a>')
    clean = sanitize.clean(dirty)
    assert "data:" not in clean and "javascript" not in clean and "ftp:" not in clean and 'href="/ok"' in clean
