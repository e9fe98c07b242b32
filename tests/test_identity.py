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
