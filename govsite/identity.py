"""Identity rules for one value at a time: domains, codes, filing numbers, names.

Each ``check_*`` function returns ``None`` when the value is valid, else a
sentence saying what is expected. The registry applies them and adds the file
and field.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

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
SITE_CODE = re.compile(r"^(?:\d{6}\d{4}|bm\d{8})$", re.ASCII)
ICP_NUMBER = re.compile(rf"^{_PROV}ICP备\d{{6,10}}号(?:-\d{{1,3}})?$", re.ASCII)
POLICE_FILING = re.compile(rf"^{_PROV}公网安备 ?(\d{{14}})号$", re.ASCII)

#: A portal is named after its region: 地区 + 人民政府 [+ 门户网站].
REGION_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "县", "区", "旗", "盟")
PORTAL_NAME = re.compile(
    r"^(.+(?:" + "|".join(REGION_SUFFIXES) + r"))人民政府(?:门户网站)?$"
)

SITE_ID = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
COLUMN_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
#: A conservative addr-spec: a dot-atom local part of letters, digits and ``._%+-`` (no quotes, no
#: spaces, no ``<>``), ``@``, and a host name (checked by ``check_host``).
EMAIL_LOCAL = re.compile(r"^[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*$")
#: A host name of LDH labels ending in a letter-only top-level label (or a Chinese one, e.g. 政务).
HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|[\u4e00-\u9fff]{1,20})$")
#: A telephone number as Chinese sites write it: optional ``+country``, optional ``(area)``, digit
#: groups separated by single spaces or hyphens, an optional extension (``转``, ``分机``, ``ext.``).
PHONE = re.compile(r"^(?:\+\d{1,3}[ -]?)?(?:\(\d{2,5}\) ?)?\d+(?:[ -]\d+)*"
                   r"(?: ?(?:转|分机|ext\.?|x) ?\d{1,6})?$", re.ASCII | re.IGNORECASE)
PHONE_DIGITS = (5, 20)
POSTCODE = re.compile(r"^\d{6}$", re.ASCII)
#: 党政机关网站标识 (CONAC) badge ids: letters and digits, as issued.
CONAC_ID = re.compile(r"^[A-Za-z0-9]{1,40}$")
#: Characters never allowed in a URL field: white space (any), quotes, angle brackets, backslash,
#: backtick, braces (placeholders are replaced before checking).
URL_FORBIDDEN = re.compile(r"[\s\"'<>\\`{}|^]")
#: Line breaks: allowed only in multi-line text (a lifecycle notice's body).
LINE_BREAKS = "\n"


def check_domain(domain: str) -> str | None:
    """A government domain: ``*.gov.cn`` in lower case, or a Chinese ``.政务`` domain."""
    if GOV_CN_DOMAIN.fullmatch(domain) or ZHENGWU_DOMAIN.fullmatch(domain):
        return None
    if domain != domain.lower() and GOV_CN_DOMAIN.fullmatch(domain.lower()):
        return "a lower-case domain"
    return "a domain ending in .gov.cn (or a Chinese .政务 domain), host name only, no scheme or path"


def check_portal_domain(domain: str) -> str | None:
    """A portal lives at ``www.<region>.gov.cn`` (or a ``.政务`` domain)."""
    if PORTAL_DOMAIN.fullmatch(domain) or ZHENGWU_DOMAIN.fullmatch(domain):
        return None
    return "a portal domain of the form www.<region>.gov.cn"


def portal_base(domain: str) -> str | None:
    """The registrable part of a portal domain: ``www.x.gov.cn`` -> ``x.gov.cn``."""
    match = PORTAL_DOMAIN.fullmatch(domain)
    return f"{match.group(1)}.gov.cn" if match else None


def check_department_domain(domain: str, parent_domain: str) -> str | None:
    """A department site is ``<y>.<x>.gov.cn`` under the site leading its group, ``www.<x>.gov.cn`` (a
    regional portal, or a national department leading its ministry's group)."""
    if ZHENGWU_DOMAIN.fullmatch(domain):
        return None
    base = portal_base(parent_domain)
    if base is None:
        return None  # the parent's own domain is reported on the parent
    match = re.fullmatch(rf"^({_LABEL})\.{re.escape(base)}$", domain)
    if match and match.group(1) != "www":
        return None
    return f"a sub-domain of the parent site's domain without www. (<name>.{base})"


def is_national_department(site_code: str) -> bool:
    """A 网站标识码 of a national department (国务院部门): ``bm`` + 8 digits; such a site may lead its
    own group (a ministry's site group) instead of sitting under a regional portal."""
    return bool(re.fullmatch(r"bm\d{8}", site_code, re.ASCII))


def check_site_code(code: str) -> str | None:
    """网站标识码: 10 characters, 6-digit division code + 4-digit serial or bm + 8 digits."""
    if SITE_CODE.fullmatch(code):
        return None
    return "a 10-character site identification code: 6-digit division code + 4-digit serial, or bm + 8 digits"


def check_icp(number: str) -> str | None:
    """ICP备案号: ``<省简称>ICP备<digits>号`` with an optional ``-N`` suffix."""
    if ICP_NUMBER.fullmatch(number):
        return None
    return "an ICP filing number like 京ICP备12345678号 or 京ICP备12345678号-1"


def check_police_filing(number: str) -> str | None:
    """公安机关备案号: ``<省简称>公网安备 <14 digits>号``."""
    if POLICE_FILING.fullmatch(number):
        return None
    return "a public-security filing number like 京公网安备 11010202000001号 (14-digit record code)"


def police_record_code(number: str) -> str:
    """The 14-digit record code inside a public-security filing number."""
    match = POLICE_FILING.fullmatch(number)
    return match.group(1) if match else ""


def check_portal_name(name: str) -> str | None:
    """A portal's name is ``<地区>人民政府`` or ``<地区>人民政府门户网站``."""
    if PORTAL_NAME.fullmatch(name):
        return None
    return "a portal name of the form <地区>人民政府 or <地区>人民政府门户网站 (e.g. 某某市人民政府)"


def check_department_name(name: str, organizer: str) -> str | None:
    """A department site's name contains its organizer's name."""
    if organizer and organizer in name:
        return None
    return f"a department site name that contains its organizer ({organizer!r})"


def check_https_url(url: str) -> str | None:
    """An absolute https URL (``check_url`` with only https allowed)."""
    return check_url(url, schemes=("https",))


def check_host(host: str) -> str | None:
    """A host name: lower-case LDH labels and a top-level label (``*.gov.cn``, ``example.com``, ``x.政务``)."""
    if HOST.fullmatch(host) or ZHENGWU_DOMAIN.fullmatch(host):
        return None
    if host != host.lower() and check_host(host.lower()) is None:
        return "a lower-case host name"
    return "a host name like www.example.gov.cn (letters, digits, hyphens and dots)"


def check_url(url: str, schemes: tuple[str, ...] = ("https", "http")) -> str | None:
    """An absolute URL with one of ``schemes``, a valid host (no user name, port digits only) and no
    white space, quotes, angle brackets or control characters (so ``javascript:`` and ``data:`` fail)."""
    wanted = " or ".join(f"{s}://" for s in schemes)
    expected = f"an absolute {wanted} URL with a host name and no spaces, quotes, <> or control characters"
    if URL_FORBIDDEN.search(url) or control_characters(url):
        return expected
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return expected
    scheme, _, rest = url.partition("://")
    if scheme not in schemes or not rest or "@" in parts.netloc or port == 0:
        return expected
    if check_host(parts.hostname or "") or parts.netloc.lower() != parts.netloc:
        return expected + " (a lower-case host name like www.example.gov.cn)"
    return None


def check_email(address: str) -> str | None:
    """An e-mail address: ``local@host`` with a dot-atom local part and a valid host name."""
    local, at, host = address.rpartition("@")
    if at and len(local) <= 64 and EMAIL_LOCAL.fullmatch(local) and check_host(host.lower()) is None:
        return None
    return ("an e-mail address like office@example.gov.cn (letters, digits and ._%+- before the @, "
            "a host name after it; no quotes, spaces or <>)")


def check_phone(number: str) -> str | None:
    """A telephone number: digits with spaces or hyphens, optional ``+86``, ``(0990)``, ``转 123``."""
    digits = sum(c.isdigit() for c in number)
    if PHONE.fullmatch(number) and PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        return None
    return ("a telephone number like 0990-1234567, (0990) 1234567, +86 990 1234567 or 0990-1234567转8001 "
            "(ASCII digits, single spaces or hyphens)")


def check_postcode(code: str) -> str | None:
    """邮政编码: six digits."""
    return None if POSTCODE.fullmatch(code) else "a postcode of 6 digits, like 750001"


def check_conac_id(badge_id: str) -> str | None:
    """The CONAC badge id as issued: letters and digits."""
    return None if CONAC_ID.fullmatch(badge_id) else "the CONAC badge id as issued (letters and digits)"


def control_characters(text: str, allowed: str = "") -> list[str]:
    """The control, format and line/paragraph-separator characters in ``text`` (as ``U+XXXX``),
    except those in ``allowed``: NUL, escape, bidi overrides, zero-width joiners, U+2028 ..."""
    found = {c for c in text if c not in allowed and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs")}
    return sorted(f"U+{ord(c):04X}" for c in found)


def check_text(text: str, multiline: bool = False) -> str | None:
    """Free text (a name, an address, a reason): no control characters; line breaks only when
    ``multiline``. Markup characters are allowed: the theme escapes every value."""
    bad = control_characters(text, LINE_BREAKS if multiline else "")
    if not bad:
        return None
    what = "text without control characters" if multiline else "a single line of text without control characters"
    return f"{what} (found {', '.join(bad)})"
