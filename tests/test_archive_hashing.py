"""archive.hashing: SM3 (GB/T 32905-2016 test vectors, and agreement with gmssl), SHA-256, WARC digests."""

import base64
import hashlib
import os

from gmssl import func, sm3 as gmssl_sm3

from govsite.archive.hashing import SM3, file_digests, hex_from_warc_digest, sm3_hex, warc_digest


def test_sm3_matches_the_standard_examples():
    # GB/T 32905-2016 appendix A: "abc" and "abcd" x 16
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_sm3_agrees_with_gmssl_and_streams():
    data = os.urandom(5000)
    assert sm3_hex(data) == gmssl_sm3.sm3_hash(func.bytes_to_list(data))
    streamed = SM3()
    for start in range(0, len(data), 777):
        streamed.update(data[start:start + 777])
    assert streamed.hexdigest() == sm3_hex(data)


def test_file_digests_give_size_sha256_and_sm3(tmp_path):
    path = tmp_path / "页面.html"
    path.write_bytes(b"<p>\xe6\xbe\x84\xe6\xb9\x96</p>" * 100_000)  # several chunks
    size, sha, national = file_digests(path)
    data = path.read_bytes()
    assert (size, sha, national) == (len(data), hashlib.sha256(data).hexdigest(), sm3_hex(data))
    assert file_digests(path, sm3=False)[2] == ""


def test_warc_digest_round_trip():
    raw = hashlib.sha256(b"x").digest()
    value = warc_digest(raw)
    assert value == "sha256:" + raw.hex()
    assert hex_from_warc_digest(value) == raw.hex()
    assert hex_from_warc_digest("sha256:" + base64.b32encode(raw).decode()) == raw.hex()
    assert hex_from_warc_digest("sha1:AAAA") == ""
