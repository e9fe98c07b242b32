"""Legacy values written as text: one-line metadata values and TOML strings that read back exactly."""

import tomllib

import markdown
import pytest

from govsite.migrate.values import header_value, toml_comment, toml_string, toml_value

HOSTILE = ['霁川"><script>alert("T")</script>', "a\\b\\\\c", "line\nStatus: draft", "tab\there", "'''", '"""',
           "\x00\x01\x08\x0b\x0c\x1f\x7f\x85", "\u2028\u2029", "# not a comment", "\ud800 lone surrogate",
           "key = \"value\"\n[site]\nname = \"evil\"", "中文，全角　空格"]


@pytest.mark.parametrize("value", HOSTILE)
def test_toml_strings_read_back_with_tomllib(value):
    expected = value.replace("\ud800", "\ufffd")
    assert tomllib.loads(f"x = {toml_string(value)}\n") == {"x": expected}
    assert tomllib.loads(f"x = {toml_value([value, value])}\n") == {"x": [expected, expected]}


def test_toml_values_of_other_types():
    import datetime
    text = "\n".join(f"k{n} = {toml_value(v)}" for n, v in enumerate([True, 3, datetime.date(2024, 3, 5), []]))
    assert tomllib.loads(text) == {"k0": True, "k1": 3, "k2": datetime.date(2024, 3, 5), "k3": []}
    with pytest.raises(TypeError):
        toml_value({"a": 1})


def test_a_comment_stays_one_line():
    text = f"x = 1  # {toml_comment('type guessed\n[site]\nname = \"evil\"')}\n"
    assert tomllib.loads(text) == {"x": 1}


@pytest.mark.parametrize("value, expected", [
    ("标题\nStatus: draft", "标题 Status: draft"), ("标题\r\nSlug: ../x", "标题 Slug: ../x"),
    ("标题\rSave_as: x.html", "标题 Save_as: x.html"), ("标题\u2028Template: x", "标题 Template: x"),
    ("标题\x85Lang: x", "标题 Lang: x"), ("标题\x0bStatus: draft", "标题 Status: draft"),
    ("  \u3000\u200b\ufeff标题\u200f\u00a0 ", "标题"), ("\x00标\x01题\x7f", "标题"),
    ('霁川<script>alert("T")</script>', '霁川<script>alert("T")</script>'),
])
def test_header_values_are_one_line_and_read_back_by_the_meta_extension(value, expected):
    line = header_value(value)
    assert line == expected
    md = markdown.Markdown(extensions=["meta"])
    md.convert(f"Title: {line}\nDate: 2024-03-05 10:30\n\n正文\n")
    assert md.Meta == {"title": [expected], "date": ["2024-03-05 10:30"]}
