"""govsite.output_listing: a build's output checks (links, search, the gate) share one listing of the
output, and a page written after they listed it (never checked) fails the build, leaving the
published output as it was."""

from pelican import signals

from govsite import files
from govsite.build import build_group

STATIC = {"GOVSITE_A11Y": {"engine": "static"}}


def build(group, tmp_path):
    return build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache", reports_dir=None,
                       settings=STATIC, site_ids=["city"], in_process=True)


def test_the_output_checks_share_one_listing_of_the_output(group, tmp_path, monkeypatch):
    listed = []
    of = files.Listing.of.__func__
    monkeypatch.setattr(files.Listing, "of", classmethod(lambda cls, root: listed.append(root) or of(cls, root)))
    [city] = build(group, tmp_path)
    assert city.ok, city.error
    assert len(listed) == 1, listed


def test_a_page_written_after_the_checks_listed_the_output_fails_the_build(group, tmp_path):
    [city] = build(group, tmp_path)
    assert city.ok, city.error
    live = tmp_path / "output" / city.domain
    before = {p.relative_to(live): p.read_bytes() for p in live.rglob("*") if p.is_file()}

    def write_late_page(pelican):  # connected after the platform's stages: runs after the gate
        (tmp_path / "output").joinpath(pelican.settings["OUTPUT_PATH"], "late.html").write_text(
            "<p>never checked</p>", "utf-8")

    signals.finalized.connect(write_late_page)
    try:
        group.write("city/articles/20261120-second.md", "Title: 第二篇\nDate: 2026-11-20\nCategory: news\n\n正文。")
        [city] = build(group, tmp_path)
    finally:
        signals.finalized.disconnect(write_late_page)
    assert not city.ok and "written after the output checks" in city.error and "late.html" in city.error
    assert {p.relative_to(live): p.read_bytes() for p in live.rglob("*") if p.is_file()} == before
