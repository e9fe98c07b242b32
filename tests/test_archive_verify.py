"""archive.verify: clean snapshots pass; damaged copies (a changed byte, truncation, a removed member,
a wrong index offset) fail with the member and record named. ``warcio check`` agrees."""

import gzip
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from govsite.archive.errors import ArchiveDamaged, ArchiveUsageError
from govsite.archive.verify import archives_in, verify_archive
from archive_fixtures import CITY, members, rewrite_zip, snapshot_of_city  # noqa: F401 (fixtures)


def _warc_name(path):
    return next(n for n in members(path) if n.startswith("archive/"))


def _problems(path) -> list[str]:
    with pytest.raises(ArchiveDamaged) as caught:
        verify_archive(path)
    assert caught.value.exit_code == 1
    return caught.value.problems


def test_a_clean_snapshot_verifies(snapshot_of_city):
    report = verify_archive(snapshot_of_city.path)
    assert report.ok and report.records == snapshot_of_city.records
    assert report.index_lines == snapshot_of_city.records - 1 and report.pages == snapshot_of_city.pages
    assert report.resources == 4  # the WARC, index.cdx.gz, index.idx, pages.jsonl


def test_a_changed_page_is_named_by_record_and_url(snapshot_of_city, tmp_path):
    name = _warc_name(snapshot_of_city.path)
    warc = members(snapshot_of_city.path)[name]
    # re-compress the WARC with one page's text changed (same length), as a careful forger would
    records, position = [], 0
    decompressor = None
    while position < len(warc):
        decompressor = gzip.zlib.decompressobj(31)
        data = decompressor.decompress(warc[position:])
        used = len(warc) - position - len(decompressor.unused_data)
        records.append(data)
        position += used
    target = next(i for i, r in enumerate(records) if b"/about.html\r\n" in r)
    records[target] = records[target].replace("关于本站".encode(), "篡改内容".encode(), 1)
    forged = b"".join(gzip.compress(r, mtime=0) for r in records)
    copy = rewrite_zip(snapshot_of_city.path, tmp_path / "forged.wacz", replace={name: forged})
    problems = _problems(copy)
    (tmp_path / "forged.warc.gz").write_bytes(forged)
    checked = subprocess.run([str(Path(sys.executable).with_name("warcio")), "check", str(tmp_path / "forged.warc.gz")],
                             capture_output=True, text=True)
    assert checked.returncode == 1 and "digest failed" in checked.stdout  # warcio's own checker agrees
    assert any(f"{name}: record {target + 1} at offset" in p and f"https://{CITY}/about.html" in p
               and "digest failed" in p for p in problems), problems
    assert any(p.startswith(f"{name}: ") and "datapackage.json" in p for p in problems)  # size or sha256


def test_a_flipped_byte_in_the_file_is_found(snapshot_of_city, tmp_path):
    data = bytearray(snapshot_of_city.path.read_bytes())
    start = data.find(b"archive/") + 200  # inside the stored WARC member
    data[start] ^= 0xFF
    copy = tmp_path / "flipped.wacz"
    copy.write_bytes(bytes(data))
    problems = _problems(copy)
    assert any(_warc_name(snapshot_of_city.path) in p for p in problems), problems


def test_a_truncated_wacz_is_not_readable(snapshot_of_city, tmp_path):
    data = snapshot_of_city.path.read_bytes()
    copy = tmp_path / "cut.wacz"
    copy.write_bytes(data[:len(data) // 2])
    problems = _problems(copy)
    assert len(problems) == 1 and "not a readable WACZ (ZIP) file" in problems[0] and "truncated" in problems[0]


def test_a_removed_member_is_named(snapshot_of_city, tmp_path):
    copy = rewrite_zip(snapshot_of_city.path, tmp_path / "nopages.wacz", drop=("pages/pages.jsonl",))
    problems = _problems(copy)
    assert "pages/pages.jsonl: missing (a required member was removed)" in problems
    assert "pages/pages.jsonl: listed in datapackage.json but missing from the package (removed?)" in problems
    copy = rewrite_zip(snapshot_of_city.path, tmp_path / "nowarc.wacz", drop=(_warc_name(snapshot_of_city.path),))
    problems = _problems(copy)
    assert "archive/: no WARC file" in problems
    assert any("is not in archive/" in p for p in problems)


def test_an_added_member_and_a_changed_datapackage_are_found(snapshot_of_city, tmp_path):
    files = members(snapshot_of_city.path)
    package = files["datapackage.json"].replace(b'"wacz_version"', b'"wacz_version" ', 1)
    copy = tmp_path / "extra.wacz"
    rewrite_zip(snapshot_of_city.path, copy, replace={"datapackage.json": package})
    with zipfile.ZipFile(copy, "a") as zf:
        zf.writestr("archive/extra.warc", b"")
    problems = _problems(copy)
    assert "archive/extra.warc: not listed in datapackage.json (added after packaging?)" in problems
    assert any(p.startswith("datapackage-digest.json: the hash of datapackage.json differs") for p in problems)


def test_wrong_cdxj_offsets_are_found(snapshot_of_city, tmp_path):
    files = members(snapshot_of_city.path)
    lines = gzip.decompress(files["indexes/index.cdx.gz"]).decode().splitlines()
    bad = [line.replace('"offset": "', '"offset": "1', 1) if "/about.html " in line else line for line in lines]
    copy = rewrite_zip(snapshot_of_city.path, tmp_path / "offsets.wacz",
                       replace={"indexes/index.cdx.gz": gzip.compress(("\n".join(bad) + "\n").encode(), mtime=0)})
    problems = _problems(copy)
    about = f"https://{CITY}/about.html"
    assert any(p.startswith(f"indexes/index.cdx.gz: line ") and about in p and "is not the start of a record" in p
               for p in problems), problems
    assert any(about in p and "is not in the index" in p for p in problems)
    assert any(p.startswith("indexes/index.idx: line 2") for p in problems)  # the block no longer matches


def test_bare_warc_truncated_and_warcio_check_agree(snapshot_of_city, tmp_path):
    name = _warc_name(snapshot_of_city.path)
    warc = members(snapshot_of_city.path)[name]
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(warc)
    assert verify_archive(whole).records == snapshot_of_city.records
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(warc[:len(warc) * 2 // 3])
    problems = _problems(cut)
    assert any("truncated" in p and "record" in p for p in problems), problems
    flipped = bytearray(warc)
    flipped[len(warc) // 2] ^= 0x01
    bad = tmp_path / "flipped.warc.gz"
    bad.write_bytes(bytes(flipped))
    assert _problems(bad)
    # (warcio check only prints a zlib error for a corrupt gzip stream and may still exit 0: ours fails)
    warcio = str(Path(sys.executable).with_name("warcio"))
    assert subprocess.run([warcio, "check", str(whole)], capture_output=True).returncode == 0


def test_members_escaping_the_package_are_reported(snapshot_of_city, tmp_path):
    copy = tmp_path / "escape.wacz"
    shutil.copy(snapshot_of_city.path, copy)
    copy.chmod(0o644)
    with zipfile.ZipFile(copy, "a") as zf:
        zf.writestr("../../etc/cron.d/x", b"boom")
    problems = _problems(copy)
    assert "member '../../etc/cron.d/x': a path that escapes the package (never extract this file)" in problems


def test_paths_naming_archives(snapshot_of_city, tmp_path):
    assert archives_in(snapshot_of_city.path.parent.parent) == [snapshot_of_city.path]
    with pytest.raises(ArchiveUsageError):
        archives_in(tmp_path)
    with pytest.raises(ArchiveUsageError):
        verify_archive(tmp_path / "none.wacz")


def _warcio_warc(path: Path, gz: bool) -> Path:
    """A WARC written by warcio itself, with no warcinfo record (optional in WARC 1.1)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gz, warc_version="1.1")
        for number in range(3):
            body = f"<title>第{number}页</title>".encode()
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://www.chenghu.gov.cn/{number}.html", "response",
                                                          payload=io.BytesIO(body), http_headers=http))
    return path


@pytest.mark.parametrize("name", ["plain.warc", "members.warc.gz"])
def test_a_warc_without_warcinfo_is_valid(tmp_path, name):
    report = verify_archive(_warcio_warc(tmp_path / name, name.endswith(".gz")))
    assert report.ok and report.records == 3


def _stored_start(path: Path, member: str) -> int:
    """Where a STORED member's bytes start in the ZIP file."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    header = path.read_bytes()[info.header_offset:info.header_offset + 30]
    return info.header_offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")


def _index(path: Path) -> list[dict]:
    import json
    lines = gzip.decompress(members(path)["indexes/index.cdx.gz"]).decode().splitlines()
    return sorted((json.loads(line.split(" ", 2)[2]) for line in lines), key=lambda f: int(f["offset"]))


def test_one_flipped_byte_names_the_damaged_record_and_nothing_else(snapshot_of_city, tmp_path):
    name = _warc_name(snapshot_of_city.path)
    entries = _index(snapshot_of_city.path)
    damaged = entries[len(entries) // 2]  # a record in the middle of the WARC
    data = bytearray(snapshot_of_city.path.read_bytes())
    data[_stored_start(snapshot_of_city.path, name) + int(damaged["offset"]) + int(damaged["length"]) // 2] ^= 0x55
    copy = tmp_path / "flipped.wacz"
    copy.write_bytes(bytes(data))
    problems = _problems(copy)
    about_record = [p for p in problems if "is damaged" in p]
    assert len(about_record) == 1, problems
    assert about_record[0].startswith(f"{name}: record ") and "reading resumed at the next record" in about_record[0]
    assert f" at offset {damaged['offset']} ({damaged['url']}) is damaged: " in about_record[0]
    # the member's own CRC (and its hash in datapackage.json) fail too; nothing else is reported
    assert all(name in p for p in problems) and len(problems) <= 3, problems


@pytest.mark.parametrize("where", [0.0, 0.2, 0.4, 0.6, 0.8, 0.999])
@pytest.mark.parametrize("position", [0.1, 0.5, 0.9])
def test_a_flipped_byte_anywhere_names_one_damaged_record(snapshot_of_city, tmp_path, where, position):
    """Whichever record and wherever in it: deflate may fail, end early (truncated) or pass a wrong digest."""
    name = _warc_name(snapshot_of_city.path)
    entries = sorted(_index(snapshot_of_city.path), key=lambda e: int(e["offset"]))
    damaged = entries[min(len(entries) - 1, int(where * len(entries)))]
    data = bytearray(snapshot_of_city.path.read_bytes())
    data[_stored_start(snapshot_of_city.path, name) + int(damaged["offset"]) + int(int(damaged["length"]) * position)] ^= 0x55
    copy = tmp_path / "flipped.wacz"
    copy.write_bytes(bytes(data))
    problems = _problems(copy)
    about_record = [p for p in problems if f" at offset {damaged['offset']} " in p]
    assert about_record, problems
    assert all(name in p or "datapackage" in p for p in problems) and len(problems) <= 4, problems


def test_a_damaged_pages_list_is_reported_once(snapshot_of_city, tmp_path):
    data = bytearray(snapshot_of_city.path.read_bytes())
    with zipfile.ZipFile(snapshot_of_city.path) as zf:
        info = zf.getinfo("pages/pages.jsonl")
    data[info.header_offset + 30 + len(info.filename) + info.compress_size // 2] ^= 0x01  # inside the deflated data
    copy = tmp_path / "pages.wacz"
    copy.write_bytes(bytes(data))
    problems = _problems(copy)
    assert len([p for p in problems if p.startswith("pages/pages.jsonl")]) == 1, problems


def test_a_truncated_warc_summarises_the_unread_records_in_one_line(snapshot_of_city, tmp_path):
    name = _warc_name(snapshot_of_city.path)
    entries = _index(snapshot_of_city.path)
    cut_at = int(entries[len(entries) // 2]["offset"]) + 10  # inside a record: it and all after it are lost
    warc = members(snapshot_of_city.path)[name][:cut_at]
    copy = rewrite_zip(snapshot_of_city.path, tmp_path / "cut.wacz", replace={name: warc})
    problems = _problems(copy)
    damaged = [p for p in problems if "is damaged" in p]
    assert len(damaged) == 1 and "nothing after it could be read" in damaged[0], problems
    unread = [p for p in problems if "point into the unreadable part" in p]
    assert len(unread) == 1, problems
    assert not any("is not in the index" in p or "is not the start of a record" in p for p in problems), problems
