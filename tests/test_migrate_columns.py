"""Old columns to new slugs: mapping file, existing columns, draft columns; mapping errors named."""

import pytest

from govsite.migrate.columns import ColumnResolver, ColumnSpec, folder_slug, guess_type, load_mapping, pinyin_slug
from govsite.migrate.errors import MappingInvalid


def test_slugs_from_url_folders_and_pinyin():
    assert folder_slug("http://x.gov.cn/xwzx/gzdt/202403/t20240305_1.html") == "gzdt"
    assert folder_slug("http://x.gov.cn/col/col2001/index.html") == ""
    assert folder_slug("http://x.gov.cn/art/2024/4/8/art_1_2.html") == ""
    assert pinyin_slug("工作动态") == "gzdt" and pinyin_slug("通知公告") == "tzgg"


def test_column_types():
    assert guess_type("政策文件", "信息公开，政策文件") == ("政策文件", False)
    assert guess_type("部门动态") == ("要闻动态", True)
    assert guess_type("领导信箱") == ("互动交流", True)


def test_mapping_file(tmp_path):
    path = tmp_path / "map.toml"
    path.write_text('[columns]\n"工作动态" = "yaowen"\n"/old/news/" = "yaowen"\n"领导信箱" = ""\n'
                    '"政策解读" = { slug = "zcjd", name = "政策解读", type = "政策解读", description = "解读" }\n'
                    '[site]\nicp = "宁ICP备99990009号"\n', "utf-8")
    mapping = load_mapping(path)
    resolver = ColumnResolver([ColumnSpec("yaowen", "要闻", "要闻动态", "d")], mapping, can_create=True)
    assert resolver.resolve("工作动态", "http://x/a.html") == ("yaowen", "mapping file")
    assert resolver.resolve("", "http://x/old/news/1.html")[0] == "yaowen"
    assert resolver.resolve("领导信箱", "http://x/a.html")[0] is None
    assert resolver.resolve("政策解读", "http://x/a.html")[0] == "zcjd"
    assert resolver.columns["zcjd"].description == "解读" and mapping.site == {"icp": "宁ICP备99990009号"}


def test_reviewed_site_does_not_get_new_columns():
    resolver = ColumnResolver([ColumnSpec("yaowen", "要闻动态", "要闻动态", "d")], load_mapping(None), False)
    assert resolver.resolve("要闻动态", "http://x/a.html")[0] == "yaowen"
    slug, why = resolver.resolve("工作动态", "http://x/gzdt/a.html")
    assert slug is None and "mapping file" in why and resolver.unmapped == {"工作动态": 1}
    assert '"工作动态" = ""' in resolver.suggestion()


@pytest.mark.parametrize("text,message", [
    ("[columns\n", "expected valid TOML"),
    ("[colums]\n", "colums: unknown table"),
    ('[columns]\n"a" = "Bad Slug"\n', "expected a lower-case column slug"),
    ('[columns]\n"a" = { slug = "x", type = "新闻" }\n', "type = '新闻'"),
    ('[columns]\n"a" = 3\n', "expected a column slug"),
    ('[site]\nicpp = "x"\n', "site.icpp: unknown key"),
])
def test_mapping_errors_name_file_and_key(tmp_path, text, message):
    path = tmp_path / "map.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(MappingInvalid, match=message) as info:
        load_mapping(path)
    assert str(path) in str(info.value) and info.value.exit_code == 2
