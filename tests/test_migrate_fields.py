"""Government metadata tags, fixed 发布时间/来源 blocks, dates and titles."""

from datetime import datetime

import pytest
from lxml import html

from govsite.migrate import fields


@pytest.mark.parametrize("text,expected", [
    ("2024-05-06 10:30", datetime(2024, 5, 6, 10, 30)),
    ("2024-05-06 10:30:59", datetime(2024, 5, 6, 10, 30, 59)),
    ("2007-08-20-23:59:59", datetime(2007, 8, 20, 23, 59, 59)),      # firstpublishedtime as one CMS writes it
    ("2024-05-06", datetime(2024, 5, 6)),
    ("2024年05月06日 10:30", datetime(2024, 5, 6, 10, 30)),
    ("2024年5月6日", datetime(2024, 5, 6)),
    ("2024/5/6 9:05", datetime(2024, 5, 6, 9, 5)),
    ("2024.05.06", datetime(2024, 5, 6)),
    ("发布时间：2024-02-30", None),
    ("no date", None),
])
def test_parse_date_accepts_the_formats_seen_on_government_pages(text, expected):
    assert fields.parse_date(text) == expected


def test_format_date_is_the_platform_format():
    assert fields.format_date(datetime(2024, 5, 6, 9, 5)) == "2024-05-06 09:05"


@pytest.mark.parametrize("text,expected", [
    ("2022-04-24 10:00:43", "2022-04-24 10:00:43"),       # the page's seconds are kept
    ("2022-04-24 10:00:00", "2022-04-24 10:00:00"),
    ("2022年4月24日 10:00", "2022-04-24 10:00"),
    ("2022-04-24", "2022-04-24 00:00"),
    ("2007-08-20-23:59:59", "2007-08-20 23:59:59"),
    ("无日期", ""),
])
def test_date_text_keeps_the_pages_precision(text, expected):
    assert fields.date_text(text) == expected


def test_a_bare_time_label_inside_a_word_is_not_the_date():
    assert "date" not in fields.info_block("开标时间：2022-05-10 09:30 响应文件提交截止日期：2022-05-09")
    assert fields.info_block("时间：2022-05-10")["date"] == "2022-05-10"


def test_gov_meta_prefers_the_exact_spelling_of_keywords_and_description():
    tree = html.fromstring('<html><head><meta name="keywords" content="site-wide"><meta name="Keywords" content="文章">'
                           '<meta name="sitename" content="枫岚市人民政府"><meta name="ArticleTitle" content=" 标题 ">'
                           '<meta name="description" content="seo"></head><body></body></html>')
    meta = fields.gov_meta(tree)
    assert meta["Keywords"] == "文章" and meta["_seo:keywords"] == "site-wide"
    assert meta["SiteName"] == "枫岚市人民政府" and meta["ArticleTitle"] == "标题"
    assert "Description" not in meta and meta["_seo:description"] == "seo"


@pytest.mark.parametrize("block,expected", [
    ("发布时间：2024-05-06 10:30 来源：枫岚市发展和改革委员会 作者：陈立 【字体：大 中 小】",
     {"date": "2024-05-06 10:30", "source": "枫岚市发展和改革委员会", "author": "陈立"}),
    ("发布日期：2024-04-08　信息来源：枫岚市医疗保障局　浏览次数：12",
     {"date": "2024-04-08", "source": "枫岚市医疗保障局"}),
    ("日期: 2024年5月10日 文章来源: 市应急管理局 审核：王五", {"date": "2024年5月10日", "source": "市应急管理局",
                                                    "reviewer": "王五"}),
    ("来源：枫岚市水利局|发布时间：2024-06-01", {"source": "枫岚市水利局", "date": "2024-06-01"}),
    # the other labels of such blocks end a value too (this platform's 适用对象, the 索引号 of 信息公开 pages)
    ("来源：枫岚市生态环境局 审核：贺铭川 适用对象：企业 招商引资",
     {"source": "枫岚市生态环境局", "reviewer": "贺铭川"}),
    ("作者：钱泽民 索引号：001-2024-0001", {"author": "钱泽民"}),
])
def test_info_block(block, expected):
    assert fields.info_block(block) == expected


@pytest.mark.parametrize("title,site,expected", [
    ("枫岚市召开防汛工作会议_工作动态_枫岚市人民政府", "枫岚市人民政府", "枫岚市召开防汛工作会议"),
    ("关于2024-2025学年的通知 - 枫岚市人民政府", "枫岚市人民政府", "关于2024-2025学年的通知"),
    ("市应急管理局开展宣传活动--枫岚市人民政府", "", "市应急管理局开展宣传活动"),
])
def test_clean_title_removes_the_site_name(title, site, expected):
    assert fields.clean_title(title, site) == expected


@pytest.mark.parametrize("value,expected", [
    ("www.fenglan.gov.cn", ["www.fenglan.gov.cn"]),
    ("fenglan.gov.cn,www.fenglan.gov.cn", ["www.fenglan.gov.cn", "fenglan.gov.cn"]),
    ("http://www.fenglan.gov.cn/, fenglan.gov.cn；WWW.FENGLAN.GOV.CN", ["www.fenglan.gov.cn", "fenglan.gov.cn"]),
    ("www.fenglan.com,www.fenglan.gov.cn", ["www.fenglan.gov.cn", "www.fenglan.com"]),
])
def test_site_domains_puts_the_sites_own_www_gov_domain_first(value, expected):
    assert fields.site_domains(value) == expected
