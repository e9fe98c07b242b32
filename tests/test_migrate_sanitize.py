"""Sanitising with nh3 and removing page furniture."""

from lxml import html

from migrate import sanitize


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
