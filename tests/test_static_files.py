"""Only safe files are published (issue 15): every file copied as is lies in images/ or attachments/, is
of a type that folder may hold, and an SVG runs no script and loads nothing from elsewhere
(govsite/svg_safety.py); ``Slug``, ``Status`` and ``Template`` hold only safe values (govsite/articles.py).

Each hostile case is a real build of the fixture group after a good one: the build fails naming the file,
nothing of the case reaches the output, and the previous output stays byte for byte the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from govsite import fingerprint
from govsite.build import build_group
from govsite.errors import GroupInvalid
from govsite.registry import load_group

STATIC_ONLY = {"GOVSITE_A11Y": {"engine": "static"}}
SITE = "www.chenghu.gov.cn"
MARK = "EVIL-MARK-5c1e"
EVIL_SVG = f'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script>{MARK}</svg>'
ARTICLE = """Title: 霁川测试文章
Date: 2026-11-02 10:00
Category: news
Source: 澄湖市人民政府办公室
Author: 周敏
Reviewer: 陈立
{extra}
正文{body}
"""
PAGE = "Title: 测试页面\n{extra}\n正文。\n"

#: (file under city/, its text, what the error must say besides the file name)
HOSTILE_FILES = [
    ("images/evil.svg", EVIL_SVG, "<script>"),
    ("attachments/evil.svg", EVIL_SVG, "onload"),
    ("images/evil.html", f"<script>alert(1)</script>{MARK}", ".html"),
    ("images/evil.htm", f"<script>alert(1)</script>{MARK}", ".htm"),
    ("images/evil.xhtml", f"<html xmlns='http://www.w3.org/1999/xhtml'><script>alert(1)</script>{MARK}</html>",
     ".xhtml"),
    ("images/evil.js", f"alert(1)//{MARK}", ".js"),
    ("images/evil.svgz", MARK, ".svgz"),
    ("images/evil.php", f"<?php echo '{MARK}'; ?>", ".php"),
    ("images/evil", MARK, "(no extension)"),
    ("images/deep/er/evil.html", MARK, ".html"),
    ("attachments/evil.html", f"<script>alert(1)</script>{MARK}", ".html"),
    ("attachments/evil.md", f"Title: {MARK}\n\n{MARK}\n", ".md"),
]


def build(group, tmp_path):
    """Build the portal with the static gate only."""
    return build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache",
                       reports_dir=tmp_path / "reports", settings=STATIC_ONLY, site_ids=["city"])


def traces(tmp_path: Path) -> list[str]:
    """Output files named like a hostile case, or holding its mark (anywhere under tmp_path's output)."""
    output = tmp_path / "output"
    found = [str(p) for p in output.rglob("*") if "evil" in p.name or "pwned" in p.name]
    found += [str(p) for p in output.rglob("*") if p.is_file() and MARK.encode() in p.read_bytes()]
    return found + [str(p) for p in tmp_path.rglob("pwned*")]


@pytest.fixture
def built(group, tmp_path):
    """The fixture group built once, good; returns the site's output digest."""
    first = build(group, tmp_path)
    assert first[0].ok, first[0].error
    return fingerprint.output_digest(tmp_path / "output" / SITE)


def refused(group, tmp_path, before, *expected: str) -> str:
    """Build; expect failure naming each of ``expected``, no trace of the case, the previous output kept."""
    result = build(group, tmp_path)[0]
    assert not result.ok, "the hostile case was published"
    for text in expected:
        assert text in result.error, (text, result.error)
    assert traces(tmp_path) == []
    assert fingerprint.output_digest(tmp_path / "output" / SITE) == before
    return result.error


def test_hostile_files_are_refused_and_nothing_reaches_the_output(group, tmp_path, built):
    for relative, text, expected in HOSTILE_FILES:
        path = group.write(f"city/{relative}", text)
        error = refused(group, tmp_path, built, str(path), expected)
        if not relative.endswith(".svg"):
            assert "a file type published from" in error and ".png" in error, error  # the allowed types
        path.unlink()


def test_an_svg_in_a_subfolder_or_with_an_upper_case_name_is_checked(group, tmp_path, built):
    for relative in ("images/icons/evil.svg", "images/EVIL.SVG"):
        path = group.write(f"city/{relative}", EVIL_SVG)
        refused(group, tmp_path, built, str(path), "<script>")
        path.unlink()


def test_a_static_link_outside_images_and_attachments_is_refused(group, tmp_path, built):
    """``{static}`` copies any linked file of the site folder: only images/ and attachments/ are published."""
    group.write("city/extra/evil.txt", MARK)
    body = "[下载]({static}/extra/evil.txt)"
    group.write("city/articles/20261102-link.md", ARTICLE.format(extra="", body=body))
    refused(group, tmp_path, built, "extra/evil.txt", "a file in images/ or attachments/")


def test_a_logo_svg_with_script_is_a_validation_error(group, tmp_path, built):
    logo = group.root / "city/images/logo.svg"
    logo.write_text(EVIL_SVG, "utf-8")
    with pytest.raises(GroupInvalid) as caught:
        load_group(group.root)
    assert str(logo) in str(caught.value) and "logo (SVG)" in str(caught.value), caught.value
    with pytest.raises(GroupInvalid):
        build(group, tmp_path)
    assert fingerprint.output_digest(tmp_path / "output" / SITE) == built


def test_safe_files_are_published(group, tmp_path):
    """A plain SVG (gradient, title, link, inline PNG), an image attachment and a migrated archive type pass."""
    png = (group.root / "city/images/chart.png").read_bytes()
    group.write("city/images/safe.svg", SAFE_SVGS[1])
    (group.root / "city/attachments/scan.png").write_bytes(png)
    (group.root / "city/attachments/files.rar").write_bytes(b"Rar!\x1a\x07\x00")
    (group.root / "city/images/old-icon.ico").write_bytes(b"\x00\x00\x01\x00")
    result = build(group, tmp_path)[0]
    assert result.ok, result.error
    site = tmp_path / "output" / SITE
    for name in ("images/safe.svg", "attachments/scan.png", "attachments/files.rar", "images/old-icon.ico",
                 "images/logo.svg"):
        assert (site / name).is_file(), name


# --- metadata values ---------------------------------------------------------------------------------

HOSTILE_SLUGS = ['a"><script>x', "a/b", "../../../../pwned", "..", "Upper-Case", "a b", "-lead", "a..b",
                 "霁川", "x" * 101]


def test_hostile_article_slugs_are_refused(group, tmp_path, built):
    for slug in HOSTILE_SLUGS:
        path = group.write("city/articles/20261102-evil.md", ARTICLE.format(extra=f"Slug: {slug}", body=MARK))
        refused(group, tmp_path, built, f"{path}: Slug = {slug!r}", "a URL-safe name matching")
    path.unlink()


def test_hostile_page_slugs_templates_and_statuses_are_refused(group, tmp_path, built):
    cases = [("Slug: ../../../../pwned", "Slug"), ("Slug: a/b", "Slug"), ('Slug: a"><script>x', "Slug"),
             ("Template: base", "Template"), ("Template: ../../../etc/passwd", "Template"),
             ("Status: skip", "Status"), ("Status: bogus", "Status")]
    for extra, field in cases:
        path = group.write("city/pages/evil.md", PAGE.format(extra=extra + f"\nSummary: {MARK}"))
        refused(group, tmp_path, built, f"{path}: {field} = ", "expected")
    path.unlink()


def test_hostile_article_statuses_are_refused(group, tmp_path, built):
    for status in ("skip", "bogus", "Published"):
        path = group.write("city/articles/20261102-evil.md", ARTICLE.format(extra=f"Status: {status}", body=MARK))
        refused(group, tmp_path, built, f"{path}: Status = {status!r}", "published, draft, hidden")
    path.unlink()


def test_safe_slugs_statuses_and_templates_build(group, tmp_path):
    group.write("city/articles/20261102-a.md", ARTICLE.format(extra="Slug: 20261102-zcjd_v2.1", body="。"))
    group.write("city/articles/20261103-b.md", ARTICLE.format(extra="Status: draft", body="。"))
    group.write("city/articles/20261104-c.md", ARTICLE.format(extra="Status: hidden", body="。"))
    group.write("city/pages/guide.md", PAGE.format(extra="Slug: bszn\nTemplate: page\nStatus: hidden"))
    result = build(group, tmp_path)[0]
    assert result.ok, result.error
    site = tmp_path / "output" / SITE
    assert (site / "news/202611/20261102-zcjd_v2.1.html").is_file()
    assert (site / "bszn.html").is_file()
    assert (site / "news/202611/20261104-c.html").is_file()  # hidden: written, not listed


# --- the SVG checker ---------------------------------------------------------------------------------

NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
HOSTILE_SVGS = [
    EVIL_SVG,
    f"<svg {NS}><script>alert(1)</script></svg>",
    f"<svg {NS}><SCRIPT>alert(1)</SCRIPT></svg>",
    f'<svg {NS}><script xlink:href="https://evil.example/x.js"/></svg>',
    f'<svg {NS}><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>',
    f'<svg {NS}><h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>',
    f'<svg {NS}><h:img xmlns:h="http://www.w3.org/1999/xhtml" src="x"/></svg>',
    f'<svg {NS}><rect onclick="alert(1)"/></svg>',
    f'<svg {NS}><rect ONMOUSEOVER="alert(1)"/></svg>',
    f'<svg {NS}><rect xmlns:e="urn:x" e:onload="alert(1)"/></svg>',
    f'<svg {NS}><a href="javascript:alert(1)"><text>x</text></a></svg>',
    f'<svg {NS}><a xlink:href="&#106;avascript:alert(1)"><text>x</text></a></svg>',
    f'<svg {NS}><a xlink:href=" JaVaScRiPt:alert(1)"><text>x</text></a></svg>',
    f'<svg {NS}><a href="java&#9;script:alert(1)"><text>x</text></a></svg>',
    f'<svg {NS}><a href="vbscript:msgbox(1)"><text>x</text></a></svg>',
    f'<svg {NS}><a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"><text>x</text></a></svg>',
    f'<svg {NS}><image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="/></svg>',
    f'<svg {NS}><use href="data:image/svg+xml,&lt;svg/&gt;#x"/></svg>',
    f'<svg {NS}><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
    f'<svg {NS}><a><set attributeName="xlink:href" to="javascript:alert(1)"/><text>x</text></a></svg>',
    f'<svg {NS}><a><animate attributeName="href" from="#a" to="#b"/><text>x</text></a></svg>',
    f'<svg {NS}><rect><set attributeName="onmouseover" to="alert(1)"/></rect></svg>',
    f'<svg {NS}><image href="https://evil.example/track.png"/></svg>',
    f'<svg {NS}><image xlink:href="//evil.example/track.png"/></svg>',
    f'<svg {NS}><image xlink:href="\\\\evil.example/track.png"/></svg>',
    f'<svg {NS}><use href="http://evil.example/sprite.svg#a"/></svg>',
    f'<svg {NS}><filter><feImage href="https://evil.example/x.png"/></filter></svg>',
    f'<svg {NS}><rect style="fill:url(https://evil.example/x.svg#p)"/></svg>',
    f'<svg {NS}><rect style="fill:u\\72l(https://evil.example/x)"/></svg>',
    f'<svg {NS}><rect fill="url(\'//evil.example/x#p\')"/></svg>',
    f'<svg {NS}><style>@import "https://evil.example/x.css";</style></svg>',
    f'<svg {NS}><style>rect{{background:url(https://evil.example/x.png)}}</style></svg>',
    f'<svg {NS}><style><![CDATA[rect{{fill:url(data:image/png;base64,AAAA)}}]]></style></svg>',
    f'<svg {NS}><style>rect{{background:image-set("https://evil.example/x.png" 1x)}}</style></svg>',
    f'<svg {NS} xml:base="https://evil.example/"><image href="x.png"/></svg>',
    f'<!DOCTYPE svg [<!ENTITY x "y">]><svg {NS}>&x;</svg>',
    f'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg {NS}/>',
    f'<!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><svg {NS}><text>&lol2;</text></svg>',
    f'<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg {NS}><text>&xxe;</text></svg>',
    f'<?xml-stylesheet type="text/xsl" href="evil.xsl"?><svg {NS}/>',
    f'<svg {NS}><?xml-stylesheet href="x.css"?></svg>',
    '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
    "<svg><script>alert(1)</script></svg>",  # no namespace: not an SVG root
    f"<svg {NS}><script>alert(1)</script>",  # not well-formed
    "<svg xmlns='http://www.w3.org/2000/svg'",
    "",
]
SAFE_SVGS = [
    f'<svg {NS} viewBox="0 0 64 64"><title>澄湖市人民政府</title>'
    '<circle cx="32" cy="32" r="30" fill="#9b1c1c"/></svg>',
    f'<?xml version="1.0" encoding="UTF-8"?>\n<!-- a comment -->\n<svg {NS} viewBox="0 0 10 10" role="img">'
    '<title>霁川</title><desc>说明</desc><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/>'
    '</linearGradient><clipPath id="c"><rect width="5" height="5"/></clipPath></defs>'
    '<style>.a{fill:url(#g)} rect{stroke:#000}</style>'
    '<rect class="a" width="10" height="10" clip-path="url(#c)" style="fill: url( \'#g\' )"/>'
    '<use href="#c"/><use xlink:href="sprite.svg#b"/><image href="photo.png" width="1" height="1"/>'
    '<image xlink:href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>'
    '<a href="https://www.jichuan.gov.cn/"><text>霁川</text></a><a xlink:href="mailto:ban@jichuan.gov.cn">'
    '<text>信箱</text></a><animate attributeName="opacity" values="0;1" dur="1s"/></svg>',
]


@pytest.mark.parametrize("svg", HOSTILE_SVGS)
def test_hostile_svgs_are_refused(svg):
    from govsite.svg_safety import svg_dangers

    assert svg_dangers(svg.encode()), svg


@pytest.mark.parametrize("svg", SAFE_SVGS)
def test_safe_svgs_pass(svg):
    from govsite.svg_safety import svg_dangers

    assert svg_dangers(svg.encode()) == []


def test_the_demo_and_fixture_svgs_pass():
    from govsite.svg_safety import check_svg

    root = Path(__file__).parent.parent
    files = sorted([*root.glob("content/*/images/*.svg"), *(root / "tests/fixtures").rglob("*.svg")])
    assert len(files) >= 5
    assert {str(f): check_svg(f) for f in files} == {str(f): [] for f in files}


def test_a_problem_names_the_file_the_field_and_what_is_expected(tmp_path):
    from govsite.svg_safety import check_svg

    file = tmp_path / "evil.svg"
    file.write_text(EVIL_SVG, "utf-8")
    problems = check_svg(file)
    assert {p.value for p in problems} == {"<script>", "<svg onload=...>"}
    assert all(p.file == file and p.field == "SVG" and p.expected for p in problems)


def test_hidden_articles_and_translations_get_every_article_rule(group, tmp_path, built):
    """Pelican writes hidden articles and translations too: their bodies and keys are checked like any."""
    hidden = group.write("city/articles/20261102-evil.md",
                         ARTICLE.format(extra="Status: hidden", body=f"<script>alert(1)</script>{MARK}"))
    refused(group, tmp_path, built, f"{hidden}: body = '<script>'")
    hidden.unlink()
    translation = group.write("city/articles/20261103-evil.md", ARTICLE.format(
        extra="Lang: en\nSlug: 20261101-first-news", body=f"<script>alert(1)</script>{MARK}"))
    refused(group, tmp_path, built, f"{translation}: body = '<script>'", f"{translation}: Lang")


# --- migration ---------------------------------------------------------------------------------------

def test_migration_drops_an_svg_with_script_and_reports_it(tmp_path):
    """An old site's SVG with script is not imported (dropped, not sanitised): no file, no link to the old
    copy, and a line in the migration report; a plain SVG is imported."""
    import shutil

    from migrate_helpers import FIXTURES, by_source, run

    source = tmp_path / "old"
    shutil.copytree(FIXTURES / "hostile", source)
    site = source / "www.fenglan.gov.cn"
    (site / "images/evil.svg").write_text(EVIL_SVG, "utf-8")
    (site / "images/plain.svg").write_text(SAFE_SVGS[0], "utf-8")
    article = site / "xwzx/gzdt/202403/t20240305_2001.html"
    text = article.read_text("utf-8")
    marker = "<p>正文写着"
    assert marker in text
    article.write_text(text.replace(marker, '<p><img src="/images/evil.svg" alt="恶意图">'
                                            '<img src="/images/plain.svg" alt="普通图"></p>' + marker, 1), "utf-8")
    outcome = run(source, tmp_path / "content", tmp_path / "reports")
    new = tmp_path / "content/fenglan"
    assert not list(new.rglob("evil*")), "the SVG with script was imported"
    assert list(new.rglob("plain.svg"))
    markdown_text = (new / "articles/gzdt/20240305-2001.md").read_text("utf-8")
    assert "evil.svg" not in markdown_text and "plain.svg" in markdown_text
    dropped = by_source(outcome)["xwzx/gzdt/202403/t20240305_2001.html"]["dropped_urls"]
    evil = [d for d in dropped if d["url"].endswith("/images/evil.svg")]
    assert len(evil) == 1 and "<script>" in evil[0]["why"] and "not imported" in evil[0]["why"], dropped
    assets = {a["old_url"]: a for a in outcome.data["assets"]}
    assert any(url.endswith("evil.svg") and a["status"] == "refused" for url, a in assets.items()), assets
