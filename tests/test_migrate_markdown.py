"""HTML bodies to Markdown: structure kept, syntax escaped, URLs through the hook, alt never invented."""

import markdown
from lxml import html

from govsite.migrate.markdown import fragment, to_markdown

MD = markdown.Markdown(extensions=["markdown.extensions.extra", "markdown.extensions.toc"], output_format="html5")


def convert(source):
    return to_markdown(fragment(source), lambda kind, url: url)


def render_text(md_text):
    return html.fromstring(f"<div>{MD.reset().convert(md_text)}</div>").text_content()


def test_structure():
    text, _ = convert("<h2>一、总则</h2><p>第一条　<strong>重要</strong>内容<em>强调</em>。</p>"
                      "<ul><li>甲</li><li>乙<ol><li>子项</li></ol></li></ul><blockquote><p>引文</p></blockquote>"
                      "<hr><pre>code  x</pre>")
    assert "## 一、总则" in text and "第一条　**重要**内容*强调*。" in text
    assert "- 甲\n- 乙\n\n    1. 子项" in text and "> 引文" in text and "---" in text and "```\ncode  x\n```" in text


def test_markdown_syntax_in_text_is_escaped_and_round_trips():
    source = "<p>1. 不是列表 # 不是标题 *星号* _下划线_ [方括号] <b>&lt;尖括号&gt;</b> a|b {x} &amp;copy;</p><p>- 不是项目</p>"
    text, _ = convert(source)
    assert render_text(text).replace("\n", "") == html.fromstring(f"<div>{source}</div>").text_content()


def test_links_and_images_go_through_the_hook_and_alt_is_never_invented():
    seen = []
    text, converter = to_markdown(fragment('<p><a href="/a.html" title="提示">链接</a> <img src="x.png" alt="图一">'
                                           '<img src="y.png"><img src="z.png" alt=""></p>'),
                                  lambda kind, url: seen.append((kind, url)) or f"NEW-{url}")
    assert seen == [("a", "/a.html"), ("img", "x.png"), ("img", "y.png"), ("img", "z.png")]
    assert '[链接](NEW-/a.html "提示")' in text and "![图一](NEW-x.png)" in text
    assert '<img src="NEW-y.png">' in text and "![](NEW-z.png)" in text
    assert converter.images == [("x.png", "图一"), ("y.png", None), ("z.png", "")]


def test_tables_stay_html_with_urls_rewritten():
    text, _ = to_markdown(fragment('<table><tr><td rowspan="2"><a href="f.pdf">文件</a>\n\n</td></tr></table>'),
                          lambda kind, url: "NEW")
    assert text.startswith("<table>") and 'rowspan="2"' in text and 'href="NEW"' in text and "\n\n" not in text


def test_line_breaks_are_kept():
    text, _ = convert("<p>枫岚市医疗保障局<br>2024年4月8日</p>")
    assert text == "枫岚市医疗保障局<br>\n2024年4月8日"


def same_text(source, md_text):
    """The rendered Markdown shows the source HTML's text, block by block (white space aside)."""
    def texts(root):
        return ["".join(block.text_content().split()) for block in root]
    rendered = html.fromstring(f"<div>{MD.reset().convert(md_text)}</div>")
    return texts(rendered) == texts(html.fromstring(f"<div>{source}</div>")), rendered


HOSTILE_TEXT = [
    "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;b&amp;gt; &amp;#106; &amp;copy; &lt;http://x.example/&gt;</p>",
    "<p>## 不是标题</p><p>#也不是</p><p>---</p><p>***</p><p>___</p><p>- - -</p><p>===</p><p>~~~</p>"
    "<p>```</p><p>: 不是定义</p><p>+ 不是列表</p><p>12. 不是列表</p><p>&gt; 不是引文</p>",
    "<p>标题<br>===<br>---<br>~~~<br>: 定义<br>#井号</p>",
    "<p>*[HTML]: 缩写 [^1]: 脚注 {: .cls} [TOC] a|b \\ `c` ![x](y) [x](javascript:alert(1))</p>",
    "<p><code>a\n\n## b</code> <code>x``y</code> <code>`</code></p><pre>```\nx\n~~~\n````</pre>",
    "<h2>标题 ##</h2><h3># 井号开头</h3>",
    "<table><tr><td>&lt;b&gt;表&lt;/b&gt; &amp;#106;</td></tr></table>",
]


def test_hostile_text_renders_as_the_same_text_and_no_markup():
    for source in HOSTILE_TEXT:
        text, _ = convert(source)
        same, rendered = same_text(source, text)
        assert same, (source, text)
        source_tags = [e.tag for e in html.fromstring(f"<div>{source}</div>").iter()]
        made = [e.tag for e in rendered.iter() if e.tag != "br" and not (e.tag == "code" and e.getparent().tag == "pre")]
        assert made == [t for t in source_tags if t != "br"], text        # no heading, rule, list, link, code block


def test_link_titles_and_alt_text_stay_text():
    source = ('<p><a href="/a.html" title="说明) &quot;x\\y &amp;#106; &lt;b&gt;\n\n# 标题">链接</a>'
              '<img src="/x.png" alt="图*一* [x](y) &lt;b&gt; &amp;#106;"></p>')
    text, _ = convert(source)
    rendered = html.fromstring(f"<div>{MD.reset().convert(text)}</div>")
    assert rendered.find(".//a").get("title") == '说明) "x\\y &#106; <b> # 标题'
    assert rendered.find(".//img").get("alt") == "图*一* [x](y) <b> &#106;"
    assert [e.tag for e in rendered.iter()] == ["div", "p", "a", "img"]


def test_table_urls_are_written_as_the_hook_returns_them():
    text, _ = to_markdown(fragment('<table><tr><td><a href="/a.html">甲</a><img src="/b.png" alt="乙"></td></tr></table>'),
                          lambda kind, url: "\ue000" + kind + "\ue001")
    assert 'href="\ue000a\ue001"' in text and 'src="\ue000img\ue001"' in text
