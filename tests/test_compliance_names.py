"""Personal information in published names (issue 15 item 6): a slug or a file name is in the URL, and
a URL cannot be masked, so personal data there is an error (compliance.privacy.check_name, the same
detectors as for texts). Unit tests on names, then real builds that fail naming the file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from govsite.compliance.privacy import check_name, id_check_digit, luhn_ok
from govsite import fingerprint
from govsite.build import build_group

ACTIONS = {"id_card": "fail", "bank_card": "fail", "mobile": "mask", "email": "mask"}
DOMAINS = ("www.chenghu.gov.cn", ".gov.cn")
DEMO = Path(__file__).parent.parent / "content"
FIXTURE = Path(__file__).parent / "fixtures" / "group"
MOBILE = "13812345678"
ID = "99010219900307123" + id_check_digit("99010219900307123")
CARD = next(n for n in (f"622202020011223344{d}" for d in range(10)) if luhn_ok(n))


def kinds(name, actions=ACTIONS, allowed=frozenset()):
    return [f.rule for f in check_name("x.md", name, actions, allowed, DOMAINS, "fix")]


@pytest.mark.parametrize("name, kind", [
    (f"20261120-{MOBILE}", "mobile"),
    (f"news/202611/20261120-{MOBILE}.html", "mobile"),
    (f"attachments/{ID}.pdf", "id_card"),
    (f"attachments/{MOBILE}/plan.pdf", "mobile"),
    (f"images/card-{CARD}.png", "bank_card"),
    ("attachments/zhangsan@example.com.txt", "email"),
])
def test_personal_data_in_a_name_is_found(name, kind):
    assert kinds(name) == [kind]


def test_a_name_finding_is_an_error_naming_the_file_kind_and_fix():
    [finding] = check_name("articles/20261120-x.md", f"20261120-{MOBILE}", ACTIONS, frozenset(), DOMAINS, "改名")
    assert finding.severity == "error" and finding.family == "privacy" and finding.rule == "mobile"
    assert finding.file == "articles/20261120-x.md" and finding.fix == "改名"
    assert "手机号码" in finding.message and "138****5678" in finding.message and MOBILE not in finding.message


def test_masking_is_no_way_out_for_a_name_but_off_and_allowed_numbers_are():
    assert kinds(f"x-{MOBILE}", {**ACTIONS, "mobile": "mask"}) == ["mobile"]
    assert kinds(f"x-{MOBILE}", {**ACTIONS, "mobile": "off"}) == []
    assert kinds(f"x-{MOBILE}", allowed=frozenset({MOBILE})) == []


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)), st.integers(0, 9999),
       st.sampled_from(["{d:%Y%m%d}", "{d:%Y%m%d}-jjyx", "{d:%Y%m%d}{n:04d}", "{d:%Y-%m-%d}-{n}",
                        "{d:%Y%m%d}-{n}", "news/{d:%Y%m}/{d:%Y%m%d}-{n:04d}.html", "{d:%Y}-{n:04d}"]))
def test_dates_and_sequence_numbers_are_not_personal_data(day, number, pattern):
    assert kinds(pattern.format(d=day, n=number)) == []


def test_no_file_name_of_the_demo_or_the_fixture_is_flagged():
    names = [p.relative_to(root).as_posix() for root in (DEMO, FIXTURE) for p in root.rglob("*") if p.is_file()]
    assert len(names) > 100
    assert [n for n in names if kinds(n)] == []


# --- real builds ------------------------------------------------------------------------------------

STATIC_ONLY = {"GOVSITE_A11Y": {"engine": "static"}}
ARTICLE = """Title: 澄湖市召开防汛工作会议
Date: 2026-11-05 10:00
Category: news
Source: 澄湖市人民政府办公室
Author: 周敏
Reviewer: 陈立
{extra}
会议部署了防汛工作。
"""


def build(group, tmp_path):
    results = build_group(group.root, tmp_path / "output", site_ids=["city"], cache_dir=tmp_path / "cache",
                          reports_dir=tmp_path / "reports", settings=STATIC_ONLY)
    return results[0]


def everything(output: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file())


@pytest.fixture
def built(group, tmp_path):
    """The portal built once (the output a failing build must leave as it was)."""
    first = build(group, tmp_path)
    assert first.ok, first.error
    return tmp_path / "output" / "www.chenghu.gov.cn"


@pytest.mark.parametrize("path, text, named", [
    (f"articles/news/20261105-{MOBILE}.md", ARTICLE.format(extra=""), "Slug"),
    ("articles/news/20261105-fangxun.md", ARTICLE.format(extra=f"Slug: fangxun-{MOBILE}"), "Slug"),
    (f"pages/contact-{MOBILE}.md", f"Title: 联系人\n\n联系我们。\n", "Slug"),
    (f"attachments/{ID}.txt", "名单", "重命名文件"),
    (f"images/{MOBILE}.png", None, "重命名文件"),
])
def test_personal_data_in_a_published_name_fails_the_build_and_writes_nothing(group, tmp_path, built, path,
                                                                                text, named):
    before = fingerprint.output_digest(built)
    if text is None:
        (group.root / "city" / path).write_bytes((group.root / "city/images/chart.png").read_bytes())
    else:
        group.write(f"city/{path}", text)
    result = build(group, tmp_path)
    assert not result.ok
    assert path.rsplit("/", 1)[-1] in result.error and "[privacy/" in result.error, result.error
    assert ("手机号码" if MOBILE in path or MOBILE in (text or "") else "居民身份证号码") in result.error
    assert named in result.error
    assert fingerprint.output_digest(built) == before, "the previous output stays as it was"
    assert not (tmp_path / "output" / ".staging").exists() or not any((tmp_path / "output" / ".staging").iterdir())
    assert MOBILE.encode() not in everything(tmp_path / "output") and ID.encode() not in everything(tmp_path / "output")


def test_a_clean_slug_publishes_a_file_whose_name_has_a_number(group, tmp_path):
    group.write(f"city/articles/news/20261105-{MOBILE}.md", ARTICLE.format(extra="Slug: 20261105-fangxun"))
    result = build(group, tmp_path)
    assert result.ok, result.error
    site = tmp_path / "output" / "www.chenghu.gov.cn"
    assert (site / "news/202611/20261105-fangxun.html").is_file()
    assert MOBILE.encode() not in everything(site)
