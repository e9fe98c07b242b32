"""Safe writes: decisions, recorded hashes, the journal, never clobbering."""

from govsite.migrate.content import SiteWriter, read_header, safe_segment


def test_decisions_and_recorded_hashes(tmp_path):
    writer = SiteWriter(tmp_path / "site", dry_run=False, update=False)
    assert writer.write("articles/a/x.md", b"one").action == "write"
    assert writer.decide("articles/a/x.md", b"one").action == "unchanged"
    assert writer.decide("articles/a/x.md", b"two").action == "skip"
    writer.save_state()
    again = SiteWriter(tmp_path / "site", dry_run=False, update=True)
    assert again.decide("articles/a/x.md", b"two").action == "update"
    (tmp_path / "site/articles/a/x.md").write_bytes(b"edited")
    assert "edited since the import" in again.decide("articles/a/x.md", b"two").reason
    (tmp_path / "site/mine.md").write_bytes(b"hand")
    assert again.decide("mine.md", b"x").action == "skip"


def test_journal_survives_an_interruption(tmp_path):
    writer = SiteWriter(tmp_path / "site", dry_run=False, update=False)
    writer.write("a.md", b"a")
    writer.close()                                       # no save_state: as after Ctrl-C
    journal = tmp_path / "site/.migrate/journal.jsonl"
    journal.write_text(journal.read_text() + '{"path": "b.md", "sha', "utf-8")     # a cut line
    assert "a.md" in SiteWriter(tmp_path / "site", False, False).recorded


def test_dry_run_writes_nothing(tmp_path):
    writer = SiteWriter(tmp_path / "site", dry_run=True, update=False)
    assert writer.write("a.md", b"a").action == "write"
    writer.save_state()
    assert not (tmp_path / "site").exists()


def test_safe_segments_and_headers(tmp_path):
    assert safe_segment("..") .startswith("f-") and safe_segment("a b/c.png") == "a-b-c.png"
    assert safe_segment("枫岚市_files").startswith("_files") or safe_segment("枫岚市_files")
    (tmp_path / "x.md").write_text("Title: 标题\nDate: 2024-01-01 08:00\n\n正文: 不是元数据\n", "utf-8")
    assert read_header(tmp_path / "x.md") == {"title": "标题", "date": "2024-01-01 08:00"}
