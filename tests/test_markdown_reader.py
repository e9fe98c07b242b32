"""govsite.markdown_reader: one reused Markdown instance gives exactly what Pelican's own reader
gives, file after file (no state leaks from one document into the next); articles converted in
worker processes give the same as converted here."""

import pickle
from pathlib import Path

import pytest
from pelican.readers import MarkdownReader
from pelican.settings import read_settings

from govsite.build import build_group
from govsite.markdown_reader import Prefetch, ReusingMarkdownReader
from govsite.settings import DEFAULTS_FILE

from conftest import DEMO_DAY

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = {"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": DEMO_DAY}


def test_reused_instance_reads_every_demo_and_fixture_file_like_pelican(tmp_path):
    files = sorted([*ROOT.glob("content/*/**/*.md"), *ROOT.glob("tests/fixtures/**/*.md")])
    assert len(files) > 50
    # footnotes, abbreviations and a table of contents: state that must not leak into the next file
    stateful = tmp_path / "stateful.md"
    stateful.write_text("Title: 状态\nSummary: 摘要*强调*[^1]\n\n## 小节\n\n正文[^1]，*[HTML]: 超文本\n\nHTML 页面。\n\n"
                        "[^1]: 脚注。\n", "utf-8")
    files = [stateful, *files, stateful]
    ours = ReusingMarkdownReader(read_settings(str(DEFAULTS_FILE)))
    for file in files:
        theirs = MarkdownReader(read_settings(str(DEFAULTS_FILE))).read(str(file))
        assert ours.read(str(file)) == theirs, file


def test_files_converted_in_workers_read_as_converted_here_and_a_changed_file_is_read_again(tmp_path):
    """Prefetched files give what the reader gives alone; a file edited after its worker converted it,
    and one no worker could convert, are converted here (the error, if any, raised here)."""
    files = sorted(ROOT.glob("tests/fixtures/group/**/*.md"))[:12]
    assert len(files) >= 6
    settings = read_settings(str(DEFAULTS_FILE))
    alone = [ReusingMarkdownReader(settings).read(str(f)) for f in files]
    copies = []
    for number, file in enumerate(files):
        copies.append(tmp_path / f"{number}.md")
        copies[-1].write_bytes(file.read_bytes())
    broken = tmp_path / "broken.md"
    broken.write_bytes(b"Title: \xff\xfe\n\nnot UTF-8")
    reader = ReusingMarkdownReader(settings)
    markdown = pickle.dumps(reader.settings["MARKDOWN"])
    reader.prefetched = Prefetch(markdown, [str(p) for p in [*copies, broken]], workers=2)
    try:
        edited = copies[3]
        reader.prefetched._batches[str(edited)].result()  # converted before the edit
        edited.write_text(edited.read_text("utf-8") + "\n\n追加的一段。\n", "utf-8")
        assert [reader.read(str(p)) for p in copies[:3]] == alone[:3]
        assert "追加的一段" in reader.read(str(edited))[0]
        assert [reader.read(str(p)) for p in copies[4:]] == alone[4:]
        with pytest.raises(UnicodeDecodeError):
            reader.read(str(broken))
        assert reader.prefetched._batches == {}
    finally:
        reader.prefetched.close()


def test_a_build_whose_articles_were_converted_in_workers_writes_the_same_output(tmp_path, monkeypatch):
    """The fixture group built with every article converted in workers (threshold 1) and with none."""
    import govsite.markdown_reader as markdown_reader

    used = []
    original = markdown_reader.Prefetch.take

    def take(self, path):
        found = original(self, path)
        used.append(found is not None)
        return found
    monkeypatch.setattr(markdown_reader.Prefetch, "take", take)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    outputs = {}
    for threshold in (1, 10 ** 9):
        monkeypatch.setattr(markdown_reader, "PARALLEL_THRESHOLD", threshold)
        base = tmp_path / str(threshold)
        results = build_group(ROOT / "tests" / "fixtures" / "group", base / "output", cache_dir=base / "cache",
                              records_dir=base / "records", reports_dir=base / "reports", settings=SETTINGS, full=True,
                              in_process=True)
        assert all(r.ok for r in results), [r.error[:500] for r in results]
        outputs[threshold] = {p.relative_to(base / "output").as_posix(): p.read_bytes()
                              for p in sorted((base / "output").rglob("*")) if p.is_file()}
        if threshold == 1:
            assert used and all(used), "every article read should have come from a worker"
            assert markdown_reader._active == []  # the workers were stopped once reading ended
    assert outputs[1] == outputs[10 ** 9]
