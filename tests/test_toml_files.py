"""TOML files people write (govsite/toml_files.py): a UTF-8 BOM is accepted, other encodings are named."""

import codecs

import pytest

from govsite.compliance.wording import read_lexicon_file
from govsite.annual_report import load_data
from govsite.errors import ContentInvalid, GroupInvalid
from govsite.registry import load_group
from govsite.toml_files import TomlUnreadable, parse_toml
from govsite.migrate.columns import load_mapping
from govsite.migrate.draft import existing_sites
from govsite.migrate.errors import MappingInvalid

TEXT = 'name = "澄湖市人民政府"\n'


@pytest.mark.parametrize("data, named", [
    (TEXT.encode("utf-16"), "UTF-16 (it starts with a UTF-16 byte-order mark)"),
    (TEXT.encode("utf-32"), "UTF-32"),
    (TEXT.encode("utf-16-le"), "NUL bytes (it looks like UTF-16 without a byte-order mark)"),
    (("a = 1\n" + TEXT).encode("gbk"), "byte 0xb3 at line 2, column 9 is not UTF-8: the file looks saved as GBK"),
    (b'name = "\xff"\n', "byte 0xff at line 1, column 9 is not UTF-8; save it as UTF-8"),
    (b"name = = 1\n", "valid TOML (Invalid value (at line 1, column 8))"),
])
def test_what_is_wrong_is_named(data, named):
    with pytest.raises(TomlUnreadable) as raised:
        parse_toml(data)
    assert named in raised.value.expected
    assert "UTF-8" in raised.value.expected or "TOML" in raised.value.expected


def test_a_leading_utf8_bom_is_dropped():
    assert parse_toml(codecs.BOM_UTF8 + TEXT.encode()) == {"name": "澄湖市人民政府"}
    with pytest.raises(TomlUnreadable, match="Invalid statement"):
        parse_toml(TEXT.encode() + codecs.BOM_UTF8)  # only at the start, as in the TOML tools


def with_bom(path):
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    return path


def as_gbk(path):
    path.write_bytes(path.read_text("utf-8-sig").encode("gbk"))
    return path


def test_site_toml_with_bom_loads_and_gbk_is_named(group):
    with_bom(group.site_toml("city"))
    assert load_group(group.root).get("city").name
    as_gbk(group.site_toml("dept"))
    with pytest.raises(GroupInvalid) as raised:
        load_group(group.root)
    message = str(raised.value)
    assert str(group.site_toml("dept")) in message and "GBK" in message and "city" not in message


def test_every_toml_people_write_reads_the_same_way(group, tmp_path):
    annual = with_bom(group.write("city/annual/2026.toml", "[traffic]\npage_views = 5600\n"))
    assert load_data(annual)
    with pytest.raises(ContentInvalid, match="GBK"):
        load_data(as_gbk(group.write("city/annual/2025.toml", '[filing]\nhead = "张三"\n')))
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\n"工作动态" = "yaowen"\n', "utf-8")
    assert load_mapping(with_bom(mapping)).by_name == {"工作动态": "yaowen"}
    with pytest.raises(MappingInvalid, match=f"{mapping}: expected UTF-8 text.*GBK"):
        load_mapping(as_gbk(mapping))
    lexicon = tmp_path / "local.toml"
    lexicon.write_text('[serious]\n"霁川市人名政府" = "霁川市人民政府"\n', "utf-8")
    assert read_lexicon_file(with_bom(lexicon))[0] == {"霁川市人名政府": "霁川市人民政府"}
    with pytest.raises(ContentInvalid, match="GBK"):
        read_lexicon_file(as_gbk(lexicon))
    with_bom(group.site_toml("dept"))
    assert [site["id"] for site in existing_sites(group.root, "city")] == ["dept"], "migrate reads it too"
