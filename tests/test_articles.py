"""Unit tests for govsite/articles.py: metadata keys, column, lead image, attachments."""

from govsite.articles import (
    ARTICLE_KEYS, PAGE_KEYS, check_column, check_image, check_keys, check_todo, join_text_fields, parse_attachments,
    split_keywords,
)
from govsite.registry import load_group


def test_split_keywords_accepts_chinese_separators():
    assert split_keywords("甲, 乙，丙、丁;戊") == ("甲", "乙", "丙", "丁", "戊")
    assert split_keywords("") == () and split_keywords(None) == ()


def test_text_fields_over_several_lines_are_one_text():
    metadata = {"summary": ["第一行", "第二行<b>"], "keywords": ["甲, 乙", "丙"], "title": "标题"}
    join_text_fields(metadata)
    assert metadata == {"summary": "第一行\n第二行<b>", "keywords": "甲, 乙\n丙", "title": "标题"}
    assert split_keywords(metadata["keywords"]) == ("甲", "乙", "丙")


def test_unknown_key_suggests_the_known_one():
    problems = check_keys("a.md", {"title": "t", "reader": "markdown", "imgalt": "x"}, ARTICLE_KEYS)
    assert len(problems) == 1 and "did you mean 'Imagealt'" in problems[0].expected


def test_a_todo_line_is_a_draft_named_with_what_to_write():
    draft = {"title": "联系我们", "todo": "请写明联系电话"}
    assert check_keys("pages/contact.md", draft, PAGE_KEYS) == [], "not an unknown key: its own problem"
    [problem] = check_todo("pages/contact.md", draft)
    assert str(problem).startswith("pages/contact.md: Todo = '请写明联系电话': expected the file finished")
    assert check_todo("pages/contact.md", {"title": "联系我们"}) == []


def test_column_image_and_attachments(group):
    site = load_group(group.root).get("city")
    assert check_column("a.md", site, "news") == []
    assert "news, notices" in check_column("a.md", site, "misc")[0].expected
    assert check_image("a.md", site, "images/chart.png", "图") == []
    assert [p.field for p in check_image("a.md", site, "images/chart.png", " ")] == ["ImageAlt"]
    assert "not found" in check_image("a.md", site, "images/none.png", "图")[0].expected
    assert "an image file" in check_image("a.md", site, "attachments/notice.pdf", "图")[0].expected
    assert check_image("a.md", site, None, "孤立的说明")[0].field == "ImageAlt"
    files, problems = parse_attachments("a.md", site, "attachments/notice.pdf | 方案; attachments/x.exe")
    assert [(f.path, f.label, f.kind) for f in files] == [("attachments/notice.pdf", "方案", "PDF")]
    assert files[0].size > 0 and "a document" in problems[0].expected
