"""archive.warc: records written with warcio read back with warcio, digests checked, one gzip member each."""

import gzip
import io
from datetime import datetime, timezone

from warcio.archiveiterator import ArchiveIterator

from govsite.archive.warc import SnapshotWriter, derived_id, timestamp14, warc_date

BUILT = datetime(2026, 11, 20, 8, 30, 5, tzinfo=timezone.utc)


def _write(make_id=None):
    out = io.BytesIO()
    writer = SnapshotWriter(out, BUILT, make_id=make_id)
    info = writer.write_warcinfo("x.warc.gz", [("software", "test"), ("site-name", "澄湖市人民政府"), ("empty", "")])
    page = "<title>澄湖</title>".encode()
    response = writer.write_response("https://www.chenghu.gov.cn/a.html", io.BytesIO(page), len(page),
                                     "text/html; charset=utf-8")
    redirect = writer.write_redirect("https://www.chenghu.gov.cn/news/", "https://www.chenghu.gov.cn/news/index.html")
    return out.getvalue(), [info, response, redirect], page


def test_records_read_back_with_digests_checked():
    data, written, page = _write()
    records = []
    for record in ArchiveIterator(io.BytesIO(data), check_digests=True):
        body = record.content_stream().read()
        records.append((record, body))
        assert record.digest_checker.passed in (True, None), record.digest_checker.problems
    kinds = [r.rec_type for r, _ in records]
    assert kinds == ["warcinfo", "response", "response"]
    info, info_body = records[0]
    assert info.rec_headers.get_header("WARC-Date") == "2026-11-20T08:30:05Z"
    assert "site-name: 澄湖市人民政府" in info_body.decode() and "empty" not in info_body.decode()
    response, body = records[1]
    assert body == page
    assert response.http_headers.get_statuscode() == "200"
    assert response.http_headers.get_header("Content-Type") == "text/html; charset=utf-8"
    assert response.rec_headers.get_header("WARC-Payload-Digest").startswith("sha256:")
    assert response.rec_headers.get_header("WARC-Block-Digest").startswith("sha256:")
    redirect, _ = records[2]
    assert redirect.http_headers.get_statuscode() == "301"
    assert redirect.http_headers.get_header("Location") == "https://www.chenghu.gov.cn/news/index.html"
    assert data.startswith(b"\x1f\x8b")


def test_each_record_is_its_own_gzip_member_at_its_offset():
    data, written, _ = _write()
    for entry in written:
        member = data[entry.offset:entry.offset + entry.length]
        assert gzip.decompress(member).startswith(b"WARC/1.1\r\n")
    assert written[-1].offset + written[-1].length == len(data)


def test_same_input_same_bytes_and_ids_are_injectable():
    assert _write()[0] == _write()[0]
    ids = iter(f"<urn:uuid:00000000-0000-0000-0000-00000000000{n}>" for n in range(9))
    data, written, _ = _write(make_id=lambda kind, url, digest: next(ids))
    assert [w.record_id for w in written] == [f"<urn:uuid:00000000-0000-0000-0000-00000000000{n}>" for n in range(3)]
    assert derived_id("a", "b") == derived_id("a", "b") != derived_id("a", "c")


def test_dates():
    assert warc_date(BUILT) == "2026-11-20T08:30:05Z"
    assert timestamp14(BUILT) == "20261120083005"
