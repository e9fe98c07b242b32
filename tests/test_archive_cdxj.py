"""archive.cdxj: CDXJ lines as pywb writes them, parsing errors, the ZipNum blocks and their summary."""

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from govsite.archive import cdxj
from govsite.archive.warc import Written
from archive_fixtures import snapshot_of_city  # noqa: F401 (fixture)


def _entry(n):
    return Written(f"https://www.chenghu.gov.cn/p{n:04d}.html", 100 * n, 100, 200, "text/html", "sha256:X", "<id>")


def test_line_has_the_surt_key_and_pywb_fields():
    line = cdxj.line_for(_entry(3), "20261120083005", "a.warc.gz")
    key, ts, body = line.split(" ", 2)
    assert key == "cn,gov,chenghu)/p0003.html" and ts == "20261120083005"
    assert json.loads(body) == {"url": "https://www.chenghu.gov.cn/p0003.html", "mime": "text/html", "status": "200",
                                "digest": "sha256:X", "length": "100", "offset": "300", "filename": "a.warc.gz"}
    parsed = cdxj.parse_line(line, 1)
    assert (parsed.offset, parsed.length, parsed.key) == (300, 100, key)


@pytest.mark.parametrize("text, message", [
    ("garbage", "not a CDXJ line"),
    ("cn,gov)/ 2026 {bad json", "bad JSON"),
    ('cn,gov)/ 2026 {"url": "u", "offset": "1", "filename": "f"}', "no 'length'"),
    ('cn,gov)/ 2026 {"url": "u", "offset": "x", "length": "1", "filename": "f"}', "not integers"),
])
def test_parse_errors_name_the_line(text, message):
    with pytest.raises(ValueError, match=f"line 7: .*{message}"):
        cdxj.parse_line(text, 7)


def test_zipnum_blocks_are_independent_gzip_members_listed_in_the_idx(monkeypatch):
    monkeypatch.setattr(cdxj, "BLOCK_LINES", 4)
    lines = sorted(cdxj.line_for(_entry(n), "20261120083005", "a.warc.gz") for n in range(10))
    data, idx = cdxj.zipnum(lines)
    idx_lines = idx.splitlines()
    assert idx_lines[0] == cdxj.IDX_META
    assert len(idx_lines) == 1 + 3
    assert gzip.decompress(data).decode().splitlines() == lines
    for number, summary in enumerate(idx_lines[1:]):
        key, ts, body = summary.split(" ", 2)
        meta = json.loads(body)
        block = data[meta["offset"]:meta["offset"] + meta["length"]]
        assert meta["digest"] == "sha256:" + hashlib.sha256(block).hexdigest()
        assert gzip.decompress(block).decode().splitlines() == lines[number * 4:number * 4 + 4]
        assert lines[number * 4].startswith(f"{key} {ts} ")


def test_our_index_equals_what_pywb_indexes_from_our_warc(snapshot_of_city, tmp_path):
    import zipfile

    with zipfile.ZipFile(snapshot_of_city.path) as zf:
        warc = next(n for n in zf.namelist() if n.startswith("archive/"))
        zf.extract(warc, tmp_path)
        ours = gzip.decompress(zf.read("indexes/index.cdx.gz")).decode().splitlines()
    indexer = Path(sys.executable).with_name("cdx-indexer")
    theirs = subprocess.run([str(indexer), "-j", "-s", str(tmp_path / warc)], capture_output=True, text=True,
                            check=True).stdout.splitlines()
    theirs = [line for line in theirs if line.strip() and not line.startswith("!")]

    def fields(line):
        key, ts, body = line.split(" ", 2)
        data = json.loads(body)
        return key, ts, data["url"], data["offset"], data["length"], data["status"], data["mime"]

    assert sorted(map(fields, ours)) == sorted(map(fields, theirs))
