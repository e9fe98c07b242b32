"""Each static rule on small pages: it fires on the failing example and stays quiet on the passing one."""

import pytest

from govsite.checks.html_page import Page
from govsite.checks.rules import load_rules, run_rules

HEAD = '<head><meta charset="utf-8"><title>测试</title></head>'


def findings(body, head=HEAD, lang='lang="zh-CN"', data=None, options=None):
    page = Page("p.html", data if data is not None else f"<!DOCTYPE html><html {lang}>{head}<body>{body}</body></html>".encode(),
                options)
    return [f for f in run_rules(page) if f.rule == "page-encoding" or load_rules()[f.rule].group == "a11y"]


def rules(body, **kwargs):
    """The rules that report a violation (not the results left for review)."""
    return sorted({f.rule for f in findings(body, **kwargs) if f.kind == "violation"})


H1 = "<h1>标题</h1>"

CASES = [
    # rule, failing body, passing body
    ("image-alt", H1 + '<img src="a.png">', H1 + '<img src="a.png" alt=""><img src="b.png" alt="图表">'),
    ("image-alt", H1 + '<img src="a.png" title="">', H1 + '<img src="a.png" role="presentation"><img src="c.png" aria-label="图">'),
    ("link-name", H1 + '<a href="/x"></a>', H1 + '<a href="/x">首页</a><a href="/y"><img src="l.png" alt="首页"></a>'),
    ("link-name", H1 + '<a href="/x"><img src="l.png" alt=""></a>', H1 + '<a href="/x" aria-label="首页"><svg></svg></a>'),
    ("button-name", H1 + "<button></button>", H1 + '<button>搜索</button><input type="submit"><button title="关闭"></button>'),
    ("button-name", H1 + '<input type="button">', H1 + '<input type="button" value="确定">'),
    ("label", H1 + '<input type="text">', H1 + '<label for="q">搜索</label><input id="q"><label>姓名<input></label>'),
    ("label", H1 + "<select></select><textarea></textarea>", H1 + '<select aria-label="地区"></select><input type="hidden">'),
    ("page-has-heading-one", "<h2>二</h2>", H1),
    ("page-has-heading-one", H1 + H1, H1 + '<h1 hidden>隐藏</h1>'),
    ("heading-order", H1 + "<h3>三</h3>", H1 + "<h2>二</h2><h3>三</h3><h2>二</h2>"),
    ("duplicate-id-aria", H1 + '<p id="a">1</p><p id="a">2</p><div aria-labelledby="a"></div>', H1 + '<p id="a">1</p><div aria-labelledby="a"></div>'),
    ("table-has-header", H1 + "<table><tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table>",
     H1 + "<table><tr><th>甲</th><th>乙</th></tr><tr><td>3</td><td>4</td></tr></table><table role=presentation><tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table>"),
    ("aria-roles", H1 + '<div role="buton">x</div>', H1 + '<div role="button">x</div><div role="foo region">x</div>'),
    ("aria-valid-attr", H1 + '<div aria-hiden="true">x</div>', H1 + '<div aria-hidden="true">x</div>'),
    ("aria-valid-attr-value", H1 + '<div role="checkbox" aria-checked="maybe">x</div>', H1 + '<div role="checkbox" aria-checked="mixed">x</div><div aria-level="2" role="heading">h</div>'),
    ("aria-valid-attr-value", H1 + '<div role="heading" aria-level="two">x</div>', H1 + '<a href="/" aria-current="page">首页</a>'),
    ("aria-valid-attr-value", H1 + '<div role="heading" aria-level="0">x</div>',
     H1 + '<ul><li aria-setsize="-1" aria-posinset="+1">a</li></ul><div role="heading" aria-level="+2">h</div>'),
    ("skip-link", H1 + '<a href="#main">跳到主要内容</a>', H1 + '<a href="#main">跳到主要内容</a><main id="main"></main><a href="#top">顶部</a>'),
    ("frame-title", H1 + '<iframe src="a.html"></iframe>', H1 + '<iframe src="a.html" title="地图"></iframe>'),
    ("marquee", H1 + "<marquee>滚动</marquee>", H1 + "<p>静止</p>"),
    ("blink", H1 + "<blink>闪</blink>", H1),
    ("no-autoplay-audio", H1 + '<video src="a.mp4" autoplay></video>', H1 + '<video src="a.mp4" autoplay muted></video><audio src="a.mp3" controls></audio>'),
    ("input-image-alt", H1 + '<input type="image" src="go.png">', H1 + '<input type="image" src="go.png" alt="搜索">'),
    ("area-alt", H1 + '<map name="m"><area href="/a"></map>', H1 + '<map name="m"><area href="/a" alt="城区"></map>'),
]


@pytest.mark.parametrize("rule, failing, passing", CASES)
def test_rule_fires_on_failing_and_not_on_passing(rule, failing, passing):
    assert rule in rules(failing)
    assert rule not in rules(passing)


def test_duplicate_id_is_a_wcag_2_0_and_2_1_failure_only():
    twice = H1 + '<p id="a">1</p><p id="a">2</p>'
    for version in ("2.0", "2.1"):
        assert "duplicate-id" in rules(twice, options={"wcag": version})
        assert "duplicate-id" not in rules(H1 + '<p id="a">1</p><p id="b">2</p>', options={"wcag": version})
    assert "duplicate-id" not in rules(twice) and "duplicate-id" not in rules(twice, options={"wcag": "2.2"})


def test_head_rules():
    assert "html-has-lang" in rules(H1, lang="")
    assert "html-lang-valid" in rules(H1, lang='lang="chinese"')
    assert "html-lang-valid" not in rules(H1, lang='lang="zh-Hans-CN"')
    assert "document-title" in rules(H1, head="<head><title> </title></head>")
    assert "meta-viewport" in rules(H1, head=HEAD.replace("</head>", '<meta name="viewport" content="width=device-width, maximum-scale=1.0"></head>'))
    assert "meta-viewport" not in rules(H1, head=HEAD.replace("</head>", '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'))
    assert "meta-refresh" in rules(H1, head=HEAD.replace("</head>", '<meta http-equiv="refresh" content="5; url=/x"></head>'))
    assert "meta-refresh" not in rules(H1, head=HEAD.replace("</head>", '<meta http-equiv="refresh" content="0; url=/x"></head>'))


def test_finding_names_element_and_fix():
    [finding] = [f for f in findings(H1 + '<p><img src="a.png"></p>') if f.rule == "image-alt"]
    assert finding.target == "html > body > p > img" and finding.impact == "critical"
    assert finding.wcag == ("1.1.1",) and "alt" in finding.help and '<img src="a.png">' in finding.snippet


def test_selector_uses_a_unique_id():
    [finding] = [f for f in findings(H1 + '<div id="box"><span><img src="a.png"></span></div>') if f.rule == "image-alt"]
    assert finding.target == "#box > span > img"


def test_non_utf8_page_is_reported_not_crashed():
    gbk = '<html lang="zh-CN"><head><meta charset="gbk"><title>标题</title></head><body><h1>政府</h1></body></html>'.encode("gbk")
    assert rules("", data=gbk) == []
    broken = b'<html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head><body><h1>\xb9\xfa</h1></body></html>'
    assert "page-encoding" in rules("", data=broken)


PLATFORM = '<meta name="SiteName" content="澄湖市人民政府"><meta name="SiteDomain" content="www.chenghu.gov.cn"><meta name="SiteIDCode" content="9902000001">'


def platform_rules(body, options=None):
    page = Page("p.html", f'<html lang="zh-CN"><head><title>t</title>{PLATFORM}</head><body>{body}</body></html>'.encode(), options)
    return sorted({f.rule for f in run_rules(page) if load_rules()[f.rule].group == "platform"})


def test_platform_rules():
    assert "third-party-script" in platform_rules('<script src="https://cdn.example.com/a.js"></script>')
    assert "third-party-script" not in platform_rules('<script src="/theme/a.js"></script><script src="https://www.chenghu.gov.cn/a.js"></script>')
    assert "third-party-script" not in platform_rules('<script src="https://stats.example.com/a.js"></script>',
                                                      {"allowed_script_hosts": ["stats.example.com"]})
    assert "ad-link" in platform_rules('<a href="https://pos.baidu.com/x">广告</a>')
    assert "ad-link" in platform_rules('<a href="https://shop.example.com/">店</a>', {"ad_domains": ["example.com"]})
    assert "ipv4-literal" in platform_rules('<a href="http://10.1.2.3/">内网</a>')
    assert "ipv4-literal" not in platform_rules('<a href="https://[2001:db8::1]/">v6</a>')
    assert "insecure-resource" in platform_rules('<img src="http://www.chenghu.gov.cn/a.png" alt="a">')
    assert "insecure-resource" not in platform_rules('<a href="http://www.example.gov.cn/">链接不是资源</a>')
    assert {"gov-footer"} <= set(platform_rules("<p>无页脚</p>"))


def test_unreadable_file_raises_naming_it(tmp_path):
    from govsite.checks.html_page import UnreadableInput

    folder = tmp_path / "page.html"
    folder.mkdir()
    with pytest.raises(UnreadableInput, match="page.html: cannot read"):
        Page.from_file(folder)


def test_empty_and_xml_declared_pages_parse():
    assert "page-has-heading-one" in {f.rule for f in run_rules(Page("e.html", b""))}
    xhtml = '<?xml version="1.0" encoding="utf-8"?><html lang="zh-CN"><head><title>t</title></head><body><h1>标题</h1></body></html>'
    assert rules("", data=xhtml.encode()) == []
