"""Unit tests for the per-value identity rules (govsite/identity.py)."""

import pytest

from govsite import identity


@pytest.mark.parametrize("domain", ["www.chenghu.gov.cn", "jtj.chenghu.gov.cn", "a-b.c.gov.cn", "澄湖市人民政府.政务"])
def test_valid_domains(domain):
    assert identity.check_domain(domain) is None


@pytest.mark.parametrize("domain", ["www.chenghu.com", "chenghu.gov", "https://www.chenghu.gov.cn",
                                    "www.chenghu.gov.cn/", "-x.gov.cn", "www.chenghu.gov.cn.evil.com", ""])
def test_invalid_domains(domain):
    assert ".gov.cn" in identity.check_domain(domain)


def test_upper_case_domain_is_named():
    assert identity.check_domain("WWW.Chenghu.gov.cn") == "a lower-case domain"


def test_portal_domain_needs_www():
    assert identity.check_portal_domain("www.chenghu.gov.cn") is None
    assert "www.<region>.gov.cn" in identity.check_portal_domain("chenghu.gov.cn")
    assert "www.<region>.gov.cn" in identity.check_portal_domain("gov.chenghu.gov.cn")


def test_department_domain_is_sub_domain_of_portal():
    assert identity.check_department_domain("jtj.chenghu.gov.cn", "www.chenghu.gov.cn") is None
    for bad in ("jtj.other.gov.cn", "www.chenghu.gov.cn", "a.jtj.chenghu.gov.cn", "chenghu.gov.cn"):
        assert "<name>.chenghu.gov.cn" in identity.check_department_domain(bad, "www.chenghu.gov.cn")


@pytest.mark.parametrize("code", ["9902000001", "bm01000001", "1304000009"])
def test_valid_site_codes(code):
    assert identity.check_site_code(code) is None


@pytest.mark.parametrize("code", ["990200000", "99020000011", "bm0100000", "BM01000001", "ab12345678", "990200000X"])
def test_invalid_site_codes(code):
    assert "10-character" in identity.check_site_code(code)


@pytest.mark.parametrize("number", ["京ICP备05070218号", "宁ICP备99980001号-1", "粤ICP备123456号-12"])
def test_valid_icp(number):
    assert identity.check_icp(number) is None


@pytest.mark.parametrize("number", ["ICP备05070218号", "京ICP05070218号", "京ICP备05070218", "XICP备05070218号",
                                    "京ICP备05070218号-", "京icp备05070218号"])
def test_invalid_icp(number):
    assert "ICP" in identity.check_icp(number)


def test_police_filing_with_and_without_space():
    assert identity.check_police_filing("京公网安备 11010202000001号") is None
    assert identity.check_police_filing("京公网安备11010202000001号") is None
    assert identity.police_record_code("京公网安备 11010202000001号") == "11010202000001"


@pytest.mark.parametrize("number", ["京公网安备 1101020200000号", "公网安备 11010202000001号", "京公安备 11010202000001号",
                                    "京公网安备 110102020000012号"])
def test_invalid_police_filing(number):
    assert "14-digit" in identity.check_police_filing(number)


@pytest.mark.parametrize("name", ["澄湖市人民政府", "澄湖市人民政府门户网站", "某某自治区人民政府", "某某县人民政府",
                                  "某某旗人民政府"])
def test_valid_portal_names(name):
    assert identity.check_portal_name(name) is None


@pytest.mark.parametrize("name", ["澄湖市政府", "澄湖市人民政府网", "人民政府", "澄湖市人民政府办公室"])
def test_invalid_portal_names(name):
    assert "人民政府" in identity.check_portal_name(name)


def test_department_name_contains_organizer():
    assert identity.check_department_name("澄湖市交通运输局网站", "澄湖市交通运输局") is None
    assert "澄湖市交通运输局" in identity.check_department_name("交通网", "澄湖市交通运输局")


# Values as they are (issue 15, item 2): each rule accepts what Chinese government sites write and
# refuses hostile values: markup, quotes, control characters, full-width spaces, other schemes.
HOSTILE = ['x@y.gov.cn"><script>alert(1)</script>', "javascript:alert(1)", "a\nb", "a\x00b", "a\u3000b",
           "a\u202eb", "'onmouseover='alert(1)"]


@pytest.mark.parametrize("phone", ["0990-1234567", "(0990) 1234567", "+86 990 1234567", "+86-990-1234567",
                                   "0990-1234567转8001", "0990-1234567 ext. 12", "0991-2345678-123", "12345",
                                   "400-123-4567"])
def test_valid_phones(phone):
    assert identity.check_phone(phone) is None


@pytest.mark.parametrize("phone", ["call us", "123", "0990--1234567", "０９９０-1234567", "0990-1234567\n",
                                   "tel:0990-1234567", "0990-1234567<script>", *HOSTILE])
def test_invalid_phones(phone):
    assert "telephone number" in identity.check_phone(phone)


@pytest.mark.parametrize("email", ["office@jichuan.gov.cn", "bgs.office+news@jichuan.gov.cn", "a_b@x.政务",
                                   "Office@Jichuan.Gov.Cn"])
def test_valid_emails(email):
    assert identity.check_email(email) is None


@pytest.mark.parametrize("email", ["office", "a@b", "a b@jichuan.gov.cn", '"a"@jichuan.gov.cn', "a..b@jichuan.gov.cn",
                                   "<a@jichuan.gov.cn>", "a@jichuan.gov.cn\n", "a@-x.gov.cn", "a@x_y.gov.cn",
                                   "mailto:a@jichuan.gov.cn", *HOSTILE])
def test_invalid_emails(email):
    assert "e-mail address" in identity.check_email(email)


@pytest.mark.parametrize("url", ["https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=9901000001",
                                 "https://www.jichuan.gov.cn:8443/a/b.html#top", "http://www.jichuan.gov.cn/",
                                 "https://dcs.conac.cn/js/33/000/0000/60429971/CA330000000604299710001.js"])
def test_valid_urls(url):
    assert identity.check_url(url) is None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>x</script>",
                                 "vbscript:msgbox", "//www.jichuan.gov.cn/", "/relative", "ftp://x.gov.cn/",
                                 "https://", "https:///path", "https://evil.example@www.jichuan.gov.cn/",
                                 "https://www.jichuan.gov.cn:0/", "https://www.jichuan.gov.cn:99999/",
                                 'https://www.jichuan.gov.cn/"><script>', "https://www.jichuan.gov.cn/a b",
                                 "https://www.jichuan.gov.cn/\u3000", "https://www.jichuan.gov.cn/\x00",
                                 "https://www.jichuan.gov.cn/\n", "https://WWW.jichuan.gov.cn/", "https://a_b.gov.cn/"])
def test_invalid_urls(url):
    assert "absolute" in identity.check_url(url)


def test_https_only_refuses_http():
    assert identity.check_https_url("https://www.jichuan.gov.cn/") is None
    assert "https://" in identity.check_https_url("http://www.jichuan.gov.cn/")


def test_postcode_and_conac_id():
    assert identity.check_postcode("999001") is None
    for bad in ("99900", "9990011", "９９９００１", "999001\n", "99 001"):
        assert "6 digits" in identity.check_postcode(bad)
    assert identity.check_conac_id("JC0000000001") is None
    assert "as issued" in identity.check_conac_id('JC1"><script>')


def test_free_text_allows_markup_characters_but_not_control_characters():
    assert identity.check_text("霁川市<生态>环境局 & “蓝天”") is None  # escaped at output, not refused
    assert "U+000A" in identity.check_text("第一行\n第二行")
    assert identity.check_text("第一行\n第二行", multiline=True) is None
    for bad, code in (("a\x00", "U+0000"), ("a\x1b[31m", "U+001B"), ("a\u202e", "U+202E"), ("a\u2028", "U+2028"),
                      ("a\r\n", "U+000D")):
        assert code in identity.check_text(bad, multiline=True)


def test_codes_need_ascii_digits():
    assert "10-character" in identity.check_site_code("９９０１０００００１")
    assert "ICP" in identity.check_icp("宁ICP备９９９９０００１号")
    assert "14-digit" in identity.check_police_filing("宁公网安备 ９９０１０００２０００００１号")
