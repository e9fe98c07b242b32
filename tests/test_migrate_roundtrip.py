"""Round trip: the platform's own built demo group, imported into fresh sites, gives back its content."""

import re
from pathlib import Path

import markdown
import pytest
from lxml import html

from govsite.registry import load_group
from govsite.migrate.content import read_header
from migrate_helpers import run

DEMO = Path(__file__).parent.parent / "content"
MD = markdown.Markdown(extensions=["markdown.extensions.extra", "markdown.extensions.toc"], output_format="html5")


def body_text(path: Path) -> str:
    text = path.read_text("utf-8")
    body = text.split("\n\n", 1)[1] if "\n\n" in text else ""
    rendered = MD.reset().convert(body)
    return re.sub(r"\s+", "", html.fromstring(f"<div>{rendered}</div>").text_content())


def articles(site_folder: Path) -> dict[str, tuple[dict, Path]]:
    found = {}
    for path in sorted((site_folder / "articles").rglob("*.md")):
        header = read_header(path)
        found[header["title"]] = (header, path)
    return found


@pytest.fixture(scope="module")
def reimported(built_demo, tmp_path_factory):
    output, results = built_demo
    assert all(r.ok for r in results)
    group = load_group(DEMO)
    base = tmp_path_factory.mktemp("roundtrip")
    outcomes = {}
    for site in sorted(group, key=lambda s: (s.kind != "portal", s.id)):   # the portal first: departments' parent
        outcomes[site.id] = run(output / site.domain, base / "content", base / "reports", site=site.id)
    return group, base / "content", outcomes


def test_every_article_comes_back_with_title_date_column_and_text(reimported):
    group, content, outcomes = reimported
    compared = 0
    for site in group:
        assert outcomes[site.id].data["totals"]["failed"] == 0
        before, after = articles(site.folder), articles(content / site.id)
        for title, (header, path) in before.items():
            if header.get("status") == "draft":
                continue
            assert title in after, f"{site.id}: {title!r} not reimported"
            new_header, new_path = after[title]
            assert new_header["date"] == header["date"][:16]
            assert new_header["category"] == header["category"]
            assert new_path.stem == path.stem                # same slug, so the same URL
            assert body_text(new_path) == body_text(path), f"{site.id}: body of {title!r} differs"
            for key in ("source", "author", "reviewer", "imagealt"):
                if header.get(key):
                    assert new_header.get(key) == header[key], (title, key)
            compared += 1
    assert compared >= 60


def test_pages_and_site_identity_come_back(reimported):
    group, content, outcomes = reimported
    rebuilt = load_group(content)          # the drafts validate as a group, parents found
    for site in group:
        new = rebuilt.get(site.id)
        assert (new.name, new.domain, new.site_code, new.icp, new.police_filing, new.kind, new.parent) == \
            (site.name, site.domain, site.site_code, site.icp, site.police_filing, site.kind, site.parent)
        assert [(c.slug, c.name, c.type, c.description) for c in sorted(new.columns, key=lambda c: c.slug)] == \
            [(c.slug, c.name, c.type, c.description) for c in sorted(site.columns, key=lambda c: c.slug)]
        for slug in ("about", "contact"):
            assert body_text(content / site.id / "pages" / f"{slug}.md") == body_text(site.folder / "pages" / f"{slug}.md")
