"""Personal information in published text (隐私信息): detection, masking, findings.

Kinds: ``id_card`` (18-digit GB 11643 numbers with a valid check digit and birth date, and
15-digit legacy numbers), ``mobile`` (mainland mobile numbers), ``bank_card`` (16–19 digits passing
the Luhn check) and ``email`` (addresses outside the allowed domains). Masking formats follow
common practice (standards.md §6): ``110105********1234``, ``138****1234``, card: last 4 digits.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .findings import Finding
from .items import Item, text_attachments

KINDS = ("id_card", "bank_card", "mobile", "email")
KIND_ZH = {"id_card": "居民身份证号码", "bank_card": "银行卡号", "mobile": "手机号码", "email": "个人电子邮箱"}
ACTIONS = ("fail", "mask", "off")

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

_ID18 = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[0-9Xx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{14}(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:(?:\+|00)86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9A-Za-z])")
_CARD = re.compile(r"(?<![0-9A-Za-z])(?:\d{4}[ -]){3,4}\d{1,4}(?![0-9A-Za-z])|(?<![0-9A-Za-z])\d{16,19}(?![0-9A-Za-z])")
#: A run of 10+ digits (with separators): only texts that have one are searched for numbers (10x faster).
_DIGIT_RUN = re.compile(r"\d[\d Xx+-]{9,}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|[A-Za-z0-9._%+-]+@[\w.-]+\.政务")


@dataclass(frozen=True)
class Match:
    """One piece of personal information found in a text."""

    kind: str
    start: int
    end: int
    text: str


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date(2100, 12, 31)


def is_id18(number: str) -> bool:
    """A valid 18-digit resident ID: real birth date and matching check digit."""
    if not re.fullmatch(r"[1-9]\d{16}[0-9Xx]", number):
        return False
    if not _real_date(int(number[6:10]), int(number[10:12]), int(number[12:14])):
        return False
    return id_check_digit(number[:17]) == number[17].upper()


def is_id15(number: str) -> bool:
    """A plausible 15-digit legacy ID: 6-digit area, a real 19YYMMDD birth date, 3-digit sequence."""
    return bool(re.fullmatch(r"[1-9]\d{14}", number)) and _real_date(
        1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum of a digit string."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def digits_of(text: str) -> str:
    return re.sub(r"\D", "", text)


def _mobile_digits(text: str) -> str:
    digits = digits_of(text)
    return digits[-11:]


def find(text: str, allowed: frozenset[str] = frozenset(), email_domains: tuple[str, ...] = ()) -> list[Match]:
    """Personal information in ``text``, not overlapping, in order. ``allowed`` holds official numbers
    (digits only) and addresses (lower case); e-mails under ``email_domains`` are not personal."""
    found: list[Match] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, match: re.Match) -> None:
        start, end = match.span()
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(Match(kind, start, end, match.group()))

    for m in _EMAIL.finditer(text) if "@" in text else ():
        address = m.group().lower()
        domain = address.rsplit("@", 1)[1]
        if address in allowed or any(domain == d.lstrip(".") or domain.endswith("." + d.lstrip("."))
                                      for d in email_domains):
            taken.append(m.span())  # an official address: its digits are not searched either
            continue
        add("email", m)
    if not _DIGIT_RUN.search(text):
        return sorted(found, key=lambda match: match.start)
    for m in _ID18.finditer(text):
        if is_id18(m.group()) and m.group().upper() not in allowed:
            add("id_card", m)
    for m in _ID15.finditer(text):
        if is_id15(m.group()) and m.group() not in allowed:
            add("id_card", m)
    for m in _MOBILE.finditer(text):
        if _mobile_digits(m.group()) not in allowed:
            add("mobile", m)
    for m in _CARD.finditer(text):
        digits = digits_of(m.group())
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and digits not in allowed:
            add("bank_card", m)
    return sorted(found, key=lambda match: match.start)


def mask_value(kind: str, text: str) -> str:
    """The masked form shown to readers."""
    if kind == "id_card":
        return text[:6] + "*" * (len(text) - 10) + text[-4:]
    if kind == "mobile":
        digits = _mobile_digits(text)
        return digits[:3] + "****" + digits[-4:]
    if kind == "bank_card":
        digits = digits_of(text)
        return "*" * (len(digits) - 4) + digits[-4:]
    local, _, domain = text.partition("@")
    return local[:1] + "***@" + domain


def mask(text: str, matches: list[Match]) -> str:
    """``text`` with every match replaced by its masked form."""
    parts, last = [], 0
    for match in sorted(matches, key=lambda m: m.start):
        parts += [text[last:match.start], mask_value(match.kind, match.text)]
        last = match.end
    return "".join(parts) + text[last:]


def allowed_values(values) -> frozenset[str]:
    """Official numbers and addresses as compared: digits only for numbers, lower-case e-mails."""
    out = set()
    for value in values:
        value = value.strip()
        out.add(value.lower() if "@" in value else digits_of(value).upper() or value)
        if "@" not in value and value.upper().endswith("X"):
            out.add(digits_of(value) + "X")
    return frozenset(out)


def privacy_allowed(site, config: dict, facts: dict) -> tuple[frozenset[str], tuple[str, ...]]:
    """The site's official numbers and addresses (``facts``: its compliance table), and the e-mail
    domains that are not personal (its own and ``config["privacy"]["email_domains"]``)."""
    allowed = allowed_values([site.contact.phone, site.contact.email, *facts.get("allowed_numbers", ())])
    return allowed, (site.domain, *config["privacy"]["email_domains"])


#: Texts whose findings ``found_in`` remembers: six fields for each of 20,000 articles.
TEXTS_REMEMBERED = 1 << 17


@functools.lru_cache(maxsize=TEXTS_REMEMBERED)
def found_in(text: str, allowed: frozenset[str], email_domains: tuple[str, ...]) -> tuple[Match, ...]:
    """:func:`find`, remembered by its arguments: a watching process (``govsite build --watch``)
    checks each build every article, almost all of them unchanged."""
    return tuple(find(text, allowed, email_domains))


def check_name(file: str, name: str, actions: dict[str, str], allowed: frozenset[str],
               email_domains: tuple[str, ...], fix: str) -> list[Finding]:
    """Personal information in a published name (a slug, a file or folder name): an error whatever
    the masking setting, since a URL cannot be masked where it appears (lists, sitemaps, feeds,
    links); only a kind set to ``off`` is not looked for."""
    findings = []
    for match in found_in(name, allowed, email_domains):
        if actions.get(match.kind, "fail") == "off":
            continue
        findings.append(Finding("privacy", match.kind, "error", file,
                                f"网址（文件名或 Slug）含有{KIND_ZH[match.kind]} {mask_value(match.kind, match.text)}"
                                "：网址无法遮掩，会出现在每个列表、站点地图和订阅中", fix))
    return findings


def check_item(item: Item, actions: dict[str, str], allowed: frozenset[str], email_domains: tuple[str, ...],
               site_folder: Path | None = None) -> tuple[list[Finding], dict[str, list[Match]]]:
    """Findings for one article, and the matches to mask per field (``body``, ``Title``…) of the output.

    Attachments are scanned too; their masks are keyed by the attachment's path in the site folder."""
    findings, masks = [], {}
    texts = dict(item.texts())
    for path in text_attachments(item, site_folder) if site_folder else []:
        texts[path.relative_to(site_folder).as_posix()] = path.read_text("utf-8", errors="replace")
    for field, text in texts.items():
        for match in found_in(text, allowed, email_domains):
            action = actions.get(match.kind, "fail")
            if action == "off":
                continue
            shown = mask_value(match.kind, match.text)
            where = "正文" if field == "body" else field
            if action == "mask":
                masks.setdefault(field, []).append(match)
                findings.append(Finding("privacy", match.kind, "info", item.file,
                                        f"{where}中的{KIND_ZH[match.kind]}已在发布页面中遮掩为 {shown}",
                                        "确认无需公开后可从原文删除"))
            else:
                findings.append(Finding("privacy", match.kind, "error", item.file,
                                        f"{where}含有{KIND_ZH[match.kind]} {shown}（未遮掩）",
                                        f"从原文中删除或改为遮掩形式（如 {shown}）；若为本单位公开号码，"
                                        "加入 site.toml [compliance] allowed_numbers"))
    return findings, masks
