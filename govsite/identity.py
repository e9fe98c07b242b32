"""Identity rules for one value at a time: domains, codes, filing numbers, names.

Each ``check_*`` function returns ``None`` when the value is valid, else a
sentence saying what is expected. The registry applies them and adds the file
and field.
"""

from __future__ import annotations

import re

#: Province abbreviations (省级行政区简称) used in ICP and public-security filings.
PROVINCE_ABBREVIATIONS = (
    "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀贵黔云滇藏陕秦甘陇青宁新"
)
_PROV = f"[{PROVINCE_ABBREVIATIONS}]"

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
GOV_CN_DOMAIN = re.compile(rf"^(?:{_LABEL}\.)+gov\.cn$")
ZHENGWU_DOMAIN = re.compile(r"^[\u4e00-\u9fff0-9a-z-]+(?:\.[\u4e00-\u9fff0-9a-z-]+)*\.政务$")
PORTAL_DOMAIN = re.compile(rf"^www\.({_LABEL})\.gov\.cn$")

#: 网站标识码: 6-digit division code + 4-digit serial, or ``bm`` + 8 digits.
SITE_CODE = re.compile(r"^(?:\d{6}\d{4}|bm\d{8})$")
ICP_NUMBER = re.compile(rf"^{_PROV}ICP备\d{{6,10}}号(?:-\d{{1,3}})?$")
POLICE_FILING = re.compile(rf"^{_PROV}公网安备 ?(\d{{14}})号$")

#: A portal is named after its region: 地区 + 人民政府 [+ 门户网站].
REGION_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "县", "区", "旗", "盟")
PORTAL_NAME = re.compile(
    r"^(.+(?:" + "|".join(REGION_SUFFIXES) + r"))人民政府(?:门户网站)?$"
)

SITE_ID = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
COLUMN_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9\- ()]{5,24}[0-9]$")
HTTPS_URL = re.compile(r"^https://[^\s\"'<>]+$")


def check_domain(domain: str) -> str | None:
    """A government domain: ``*.gov.cn`` in lower case, or a Chinese ``.政务`` domain."""
    if GOV_CN_DOMAIN.match(domain) or ZHENGWU_DOMAIN.match(domain):
        return None
    if domain != domain.lower() and GOV_CN_DOMAIN.match(domain.lower()):
        return "a lower-case domain"
    return "a domain ending in .gov.cn (or a Chinese .政务 domain), host name only, no scheme or path"


def check_portal_domain(domain: str) -> str | None:
    """A portal lives at ``www.<region>.gov.cn`` (or a ``.政务`` domain)."""
    if PORTAL_DOMAIN.match(domain) or ZHENGWU_DOMAIN.match(domain):
        return None
    return "a portal domain of the form www.<region>.gov.cn"


def portal_base(domain: str) -> str | None:
    """The registrable part of a portal domain: ``www.x.gov.cn`` -> ``x.gov.cn``."""
    match = PORTAL_DOMAIN.match(domain)
    return f"{match.group(1)}.gov.cn" if match else None


def check_department_domain(domain: str, parent_domain: str) -> str | None:
    """A department site is ``<y>.<x>.gov.cn`` under its portal ``www.<x>.gov.cn``."""
    if ZHENGWU_DOMAIN.match(domain):
        return None
    base = portal_base(parent_domain)
    if base is None:
        return None  # the parent's own domain is reported on the parent
    match = re.match(rf"^({_LABEL})\.{re.escape(base)}$", domain)
    if match and match.group(1) != "www":
        return None
    return f"a sub-domain of the parent portal's domain without www. (<name>.{base})"


def check_site_code(code: str) -> str | None:
    """网站标识码: 10 characters, 6-digit division code + 4-digit serial or bm + 8 digits."""
    if SITE_CODE.match(code):
        return None
    return "a 10-character site identification code: 6-digit division code + 4-digit serial, or bm + 8 digits"


def check_icp(number: str) -> str | None:
    """ICP备案号: ``<省简称>ICP备<digits>号`` with an optional ``-N`` suffix."""
    if ICP_NUMBER.match(number):
        return None
    return "an ICP filing number like 京ICP备12345678号 or 京ICP备12345678号-1"


def check_police_filing(number: str) -> str | None:
    """公安机关备案号: ``<省简称>公网安备 <14 digits>号``."""
    if POLICE_FILING.match(number):
        return None
    return "a public-security filing number like 京公网安备 11010202000001号 (14-digit record code)"


def police_record_code(number: str) -> str:
    """The 14-digit record code inside a public-security filing number."""
    match = POLICE_FILING.match(number)
    return match.group(1) if match else ""


def check_portal_name(name: str) -> str | None:
    """A portal's name is ``<地区>人民政府`` or ``<地区>人民政府门户网站``."""
    if PORTAL_NAME.match(name):
        return None
    return "a portal name of the form <地区>人民政府 or <地区>人民政府门户网站 (e.g. 某某市人民政府)"


def check_department_name(name: str, organizer: str) -> str | None:
    """A department site's name contains its organizer's name."""
    if organizer and organizer in name:
        return None
    return f"a department site name that contains its organizer ({organizer!r})"


def check_https_url(url: str) -> str | None:
    """An absolute https URL."""
    return None if HTTPS_URL.match(url) else "an absolute https:// URL"
