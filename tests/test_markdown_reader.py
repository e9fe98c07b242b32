"""govsite.markdown_reader: one reused Markdown instance gives exactly what Pelican's own reader
gives, file after file (no state leaks from one document into the next)."""

from pathlib import Path

from pelican.readers import MarkdownReader
from pelican.settings import read_settings

from govsite.markdown_reader import ReusingMarkdownReader
from govsite.settings import DEFAULTS_FILE

ROOT = Path(__file__).resolve().parent.parent


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
