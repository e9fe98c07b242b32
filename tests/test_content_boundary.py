"""The content boundary (govsite/boundary.py): nothing that resolves outside a site's folder is read or
published. Every hostile case is a real build of the fixture group; its output is then searched for
symbolic links and for the bytes of the outside files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from govsite import fingerprint
from govsite.boundary import check_inside, link_problems, output_links
from govsite.build import build_group
from govsite.errors import GroupInvalid
from govsite.registry import load_group

STATIC_ONLY = {"GOVSITE_A11Y": {"engine": "static"}}
#: In every outside file: finding it anywhere in the output means the boundary was crossed.
MARK = "霁川-OUTSIDE-7f3a"
ARTICLE = """Title: 霁川测试{mark}
Date: 2026-11-02 10:00
Category: news
Source: 澄湖市人民政府办公室
Author: 周敏
Reviewer: 陈立
{extra}
正文 {mark}
"""


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the content folder holding files no site may publish."""
    folder = tmp_path / "outside"
    (folder / "etc").mkdir(parents=True)
    (folder / "secret.txt").write_text(MARK, "utf-8")
    (folder / "etc" / "shadow").write_text(MARK, "utf-8")
    (folder / "etc" / "hosts").write_text(MARK, "utf-8")
    (folder / "leak.md").write_text(ARTICLE.format(mark=MARK, extra=""), "utf-8")
    (folder / "page.md").write_text(f"Title: 泄露页面\nSlug: leak\n\n{MARK}\n", "utf-8")
    png = (Path(__file__).parent / "fixtures/group/city/images/chart.png").read_bytes()
    (folder / "leak.png").write_bytes(png + MARK.encode())
    (folder / "redirects.csv").write_text(f"old_url,new_path\n/{MARK}.html,index.html\n", "utf-8")
    (folder / "annual.toml").write_text(f'[traffic]\nnote = "{MARK}"\n', "utf-8")
    return folder


def build(group, tmp_path, **kwargs):
    """Build the portal with the static gate only."""
    kwargs.setdefault("settings", STATIC_ONLY)
    kwargs.setdefault("site_ids", ["city"])
    return build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache",
                       reports_dir=tmp_path / "reports", **kwargs)


def leaked(output: Path) -> list[str]:
    """Symbolic links in the output, and output files holding the outside mark."""
    if not output.exists():
        return []
    found = [f"link {p}" for p in output.rglob("*") if p.is_symlink()]
    mark = MARK.encode()
    for path in output.rglob("*"):
        if path.is_file() and not path.is_symlink() and mark in path.read_bytes():
            found.append(f"mark in {path}")
    return found


def refused(group, tmp_path, link: Path, target: Path) -> str:
    """Build; expect the group to be refused before anything is written, naming the link, its target
    and the fix. Returns the message."""
    with pytest.raises(GroupInvalid) as caught:
        build(group, tmp_path)
    message = str(caught.value)
    assert str(link) in message and str(target.resolve()) in message, message
    assert "copy" in message, message  # the fix: put a copy of the file inside the site folder
    assert not (tmp_path / "output").exists(), "nothing is written when the group is refused"
    assert leaked(tmp_path / "output") == []
    return message


def link(path: Path, target: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    return path


# --- item 3 (a)-(f): each way an outside file could be read or published ---------------------------

def test_attachment_linked_outside_is_refused(group, tmp_path, outside):
    leak = link(group.root / "city/attachments/leak.txt", outside / "secret.txt")
    group.write("city/articles/20261102-leak.md",
                ARTICLE.format(mark="", extra="Attachments: attachments/leak.txt | 附件\n"))
    refused(group, tmp_path, leak, outside / "secret.txt")


def test_article_linked_outside_is_refused(group, tmp_path, outside):
    leak = link(group.root / "city/articles/20261102-leak.md", outside / "leak.md")
    refused(group, tmp_path, leak, outside / "leak.md")


def test_folder_linked_outside_is_refused_though_nothing_refers_to_it(group, tmp_path, outside):
    leak = link(group.root / "city/attachments/etc", outside / "etc")
    refused(group, tmp_path, leak, outside / "etc")


def test_image_linked_outside_is_refused(group, tmp_path, outside):
    leak = link(group.root / "city/images/leak.png", outside / "leak.png")
    group.write("city/articles/20261102-leak.md",
                ARTICLE.format(mark="", extra="Image: images/leak.png\nImageAlt: 图表\n"))
    refused(group, tmp_path, leak, outside / "leak.png")


def test_page_linked_outside_is_refused(group, tmp_path, outside):
    leak = link(group.root / "city/pages/leak.md", outside / "page.md")
    refused(group, tmp_path, leak, outside / "page.md")


@pytest.mark.parametrize("name, target", [("redirects.csv", "redirects.csv"), ("annual/2026.toml", "annual.toml"),
                                          ("site.toml", "secret.txt")])
def test_other_site_files_linked_outside_are_refused(group, tmp_path, outside, name, target):
    path = group.root / "city" / name
    if path.exists():
        path.unlink()
    leak = link(path, outside / target)
    refused(group, tmp_path, leak, outside / target)


def test_logo_linked_outside_is_refused_by_the_same_rule(group, tmp_path, outside):
    (group.root / "city/images/logo.svg").unlink()
    svg = outside / "logo.svg"
    svg.write_text(f'<svg xmlns="http://www.w3.org/2000/svg"><title>{MARK}</title></svg>', "utf-8")
    leak = link(group.root / "city/images/logo.svg", svg)
    message = refused(group, tmp_path, leak, svg)
    assert "logo" in message


def test_site_folder_linked_outside_the_content_folder_is_refused(group, tmp_path, outside):
    elsewhere = tmp_path / "elsewhere"
    shutil.move(str(group.root / "city"), elsewhere)
    leak = link(group.root / "city", elsewhere)
    refused(group, tmp_path, leak, elsewhere)


def test_portal_syndicated_article_linked_outside_is_refused_for_the_department_too(group, tmp_path, outside):
    text = ARTICLE.format(mark=MARK, extra="Syndicate: true\n")
    (outside / "syndicated.md").write_text(text, "utf-8")
    leak = link(group.root / "city/articles/20261102-syndicated.md", outside / "syndicated.md")
    with pytest.raises(GroupInvalid) as caught:
        build(group, tmp_path, site_ids=["dept"])
    assert str(leak) in str(caught.value)
    assert not (tmp_path / "output").exists()


# --- paths in metadata and links that climb out with ".." --------------------------------------------

def test_lifecycle_pages_file_outside_the_site_folder_is_refused(group, outside):
    group.append("city", '[[lifecycle]]\nevent = "launch"\ndate = 2026-01-05\npages = "../../outside/redirects.csv"')
    with pytest.raises(GroupInvalid) as caught:
        load_group(group.root)
    problem = next(p for p in caught.value.problems if p.field == "lifecycle[0].pages")
    assert problem.file == group.site_toml("city") and "a path inside the site folder" in problem.expected


@pytest.mark.parametrize("extra", ["Attachments: ../../outside/secret.txt | 附件\n",
                                   "Image: ../../outside/leak.png\nImageAlt: 图表\n"])
def test_metadata_path_climbing_out_is_refused(group, tmp_path, outside, extra):
    group.write("city/articles/20261102-leak.md", ARTICLE.format(mark="", extra=extra))
    results = build(group, tmp_path)
    assert not results[0].ok
    assert "a path inside the site folder" in results[0].error, results[0].error
    assert "20261102-leak.md" in results[0].error
    assert leaked(tmp_path / "output") == []


def test_static_link_climbing_out_is_refused(group, tmp_path, outside):
    body = ARTICLE.format(mark="", extra="") + "\n[下载]({static}../../../outside/secret.txt)\n"
    group.write("city/articles/20261102-leak.md", body)
    results = build(group, tmp_path)
    assert not results[0].ok
    assert "secret.txt" in results[0].error and "inside the site folder" in results[0].error, results[0].error
    assert "20261102-leak.md: {static} link" in results[0].error
    assert leaked(tmp_path / "output") == []


# --- what stays allowed, and the previous output -----------------------------------------------------

def test_file_link_inside_the_site_folder_is_published_as_a_plain_file(group, tmp_path):
    link(group.root / "city/attachments/latest.pdf", Path("notice.pdf"))
    results = build(group, tmp_path)
    assert results[0].ok, results[0].error
    site = tmp_path / "output/www.chenghu.gov.cn"
    copy = site / "attachments/latest.pdf"
    assert copy.is_file() and not copy.is_symlink()
    assert copy.read_bytes() == (group.root / "city/attachments/notice.pdf").read_bytes()
    assert leaked(tmp_path / "output") == []


def test_folder_link_inside_the_site_folder_is_refused(group, tmp_path):
    loop = link(group.root / "city/attachments/all", Path(".."))
    with pytest.raises(GroupInvalid) as caught:
        build(group, tmp_path)
    assert str(loop) in str(caught.value) and "folder" in str(caught.value)


def test_refused_link_keeps_the_previous_output_and_the_next_build_keeps_pages(group, tmp_path, outside):
    first = build(group, tmp_path)
    assert first[0].ok, first[0].error
    site = tmp_path / "output/www.chenghu.gov.cn"
    before = fingerprint.output_digest(site)
    leak = link(group.root / "city/attachments/leak.txt", outside / "secret.txt")
    with pytest.raises(GroupInvalid):
        build(group, tmp_path)
    assert fingerprint.output_digest(site) == before
    assert leaked(tmp_path / "output") == []
    leak.unlink()
    group.write("city/articles/20261102-new.md", ARTICLE.format(mark="", extra=""))
    again = build(group, tmp_path)
    assert again[0].ok and again[0].kept > 0, (again[0].error, again[0].kept)
    page = site / "news/202611/20261101-first-news.html"
    assert page.is_file() and not page.is_symlink() and "澄湖市召开全市重点项目推进会" in page.read_text("utf-8")
    assert leaked(tmp_path / "output") == []


# --- the rule itself --------------------------------------------------------------------------------

def test_check_inside_names_the_file_the_field_and_what_is_expected(tmp_path):
    folder = tmp_path / "site"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "a.png").write_bytes(b"x")
    assert check_inside(folder, "images/a.png", "a.md", "Image") is None
    for value in ("../x.png", "/etc/hosts", "images/../../x.png"):
        problem = check_inside(folder, value, "a.md", "Image")
        assert problem is not None and problem.field == "Image" and problem.value == value
        assert "a path inside the site folder" in problem.expected


def test_link_problems_lists_every_bad_link_and_skips_good_ones(tmp_path):
    folder = tmp_path / "site"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "real.txt").write_text("x")
    (tmp_path / "out.txt").write_text("x")
    link(folder / "a" / "good.txt", Path("real.txt"))
    link(folder / "a" / "out.txt", tmp_path / "out.txt")
    link(folder / "a" / "dir", tmp_path)
    link(folder / "a" / "broken.txt", Path("missing.txt"))
    problems = {Path(p.file).name: p for p in link_problems(folder)}
    assert sorted(problems) == ["broken.txt", "dir", "out.txt"]
    assert problems["out.txt"].value == str((tmp_path / "out.txt").resolve())
    assert "leads outside" in problems["out.txt"].expected


def test_output_links_finds_symbolic_links(tmp_path):
    (tmp_path / "x").mkdir()
    assert output_links(tmp_path) == []
    link(tmp_path / "x" / "l", Path("/"))
    assert output_links(tmp_path) == ["x/l"]


def test_the_fixture_and_demo_have_no_bad_links():
    root = Path(__file__).parent
    for content in (root / "fixtures" / "group", root.parent / "content"):
        for site in load_group(content):
            assert link_problems(site.folder, content) == []
    assert not [p for p in (root.parent / "content").rglob("*") if os.path.islink(p)]


def test_leaving_decides_as_check_inside_for_every_kind_of_path(tmp_path):
    """The batch form the build uses for every file it reads (folders resolved once) against the
    one-path rule: files, links to files inside and outside, a linked folder leading out, a link in a
    folder, climbing out with .., an absolute path, a missing file and a dangling link."""
    from govsite.boundary import leaving

    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    (site / "articles" / "news").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "secret.md").write_text("x", "utf-8")
    (site / "articles" / "a.md").write_text("x", "utf-8")
    (site / "articles" / "news" / "b.md").write_text("x", "utf-8")
    (site / "articles" / "in.md").symlink_to(site / "articles" / "a.md")
    (site / "articles" / "out.md").symlink_to(elsewhere / "secret.md")
    (site / "articles" / "news" / "up.md").symlink_to("../../../elsewhere/secret.md")
    (site / "linked").symlink_to(elsewhere)
    (site / "articles" / "dangling.md").symlink_to(tmp_path / "nothing.md")
    relatives = ["articles/a.md", "articles/news/b.md", "articles/in.md", "articles/out.md", "articles/news/up.md",
                 "linked/secret.md", "articles/../../elsewhere/secret.md", "articles/news/../a.md",
                 str(elsewhere / "secret.md"), "articles/missing.md", "articles/dangling.md", "articles/news/..",
                 "linked/.."]
    expected = [r for r in relatives if check_inside(site, r, r, "file")]
    assert expected == ["articles/out.md", "articles/news/up.md", "linked/secret.md",
                        "articles/../../elsewhere/secret.md", str(elsewhere / "secret.md"), "articles/dangling.md",
                        "linked/.."]
    assert leaving(site, relatives) == expected
    assert leaving(str(site) + "/", relatives) == expected
