"""Personal information: detection (property-based for ID numbers), masking, official numbers allowed."""

from datetime import date, datetime, timezone

from hypothesis import given, settings, strategies as st

from govsite.compliance.items import Item
from govsite.compliance.privacy import allowed_values, check_item, find, id_check_digit, is_id18, luhn_ok, mask, mask_value

ACTIONS = {"id_card": "fail", "bank_card": "fail", "mobile": "mask", "email": "mask"}
DOMAINS = ("www.example.gov.cn", ".gov.cn")

birthdays = st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 12, 31))
areas = st.integers(min_value=100000, max_value=999999)
sequences = st.integers(min_value=0, max_value=999)


def make_id(area: int, born: date, seq: int) -> str:
    first = f"{area}{born:%Y%m%d}{seq:03d}"
    return first + id_check_digit(first)


def kinds(text, **kwargs):
    return [m.kind for m in find(text, **kwargs)]


@settings(max_examples=300, deadline=None)
@given(areas, birthdays, sequences, st.sampled_from(["", "身份证号：", "公民", "ID "]), st.sampled_from(["", "。", "，男"]))
def test_every_valid_id_is_detected(area, born, seq, before, after):
    number = make_id(area, born, seq)
    assert is_id18(number)
    found = find(before + number + after)
    assert [(m.kind, m.text) for m in found] == [("id_card", number)]


@settings(max_examples=300, deadline=None)
@given(areas, birthdays, sequences, st.integers(min_value=1, max_value=10))
def test_a_wrong_check_digit_is_not_an_id(area, born, seq, shift):
    number = make_id(area, born, seq)
    wrong = "0123456789X"[("0123456789X".index(number[-1]) + shift) % 11]
    assert not is_id18(number[:17] + wrong)
    assert "id_card" not in kinds(number[:17] + wrong)


def test_known_ids_dates_and_legacy_numbers():
    assert is_id18("11010519491231002X")  # the GB 11643 example
    assert kinds("证号 11010519491231002x") == ["id_card"]
    assert not is_id18("110105194902300021"), "30 February is not a birth date"
    assert kinds("旧证 110105491231002") == ["id_card"], "15-digit legacy number with a real date"
    assert kinds("编号 110105491331002") == [], "month 13: not an ID"
    assert kinds("订单号 1101051949123100291") == [], "19 digits failing Luhn are nothing"


def test_mobile_card_email_and_allowed_values():
    text = "联系 138-1234-5678 或 +86 13912345678；卡号 6222 0200 0000 0000 000；邮箱 zhang.san@example.com"
    assert kinds(text) == ["mobile", "mobile", "bank_card", "email"]
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert kinds("卡 4111111111111112") == []
    assert kinds("座机 0990-1234567，邮编 999001") == []
    assert kinds("office@jichuan.gov.cn、help@www.example.gov.cn", email_domains=DOMAINS) == []
    allowed = allowed_values(["138 1234 5678", "Zhang.San@example.com"])
    assert kinds(text, allowed=allowed) == ["mobile", "bank_card"]


def test_masking_formats():
    assert mask_value("id_card", "110105194912310021") == "110105********0021"
    assert mask_value("mobile", "138-1234-5678") == "138****5678"
    assert mask_value("bank_card", "6222 0200 0000 0000 000") == "***************0000"
    assert mask_value("email", "zhang@example.com") == "z***@example.com"
    text = "<p>王某，电话13812345678，身份证11010519491231002X。</p>"
    assert mask(text, find(text)) == "<p>王某，电话138****5678，身份证110105********002X。</p>"


def test_check_item_fails_on_ids_masks_phones_and_scans_text_attachments(tmp_path):
    (tmp_path / "attachments").mkdir()
    (tmp_path / "attachments" / "list.csv").write_text("姓名,电话\n李四,13700001111\n", "utf-8")
    (tmp_path / "attachments" / "scan.pdf").write_bytes(b"%PDF 13700002222")
    item = Item("a.md", "a", "名单公示", "tzgg", "通知公告", datetime(2026, 11, 2, tzinfo=timezone.utc),
                body="<p>身份证 11010519491231002X，电话 13812345678</p>",
                attachments=("attachments/list.csv", "attachments/scan.pdf"))
    findings, masks = check_item(item, ACTIONS, frozenset(), DOMAINS, tmp_path)
    assert [(f.rule, f.severity) for f in findings] == [("id_card", "error"), ("mobile", "info"), ("mobile", "info")]
    assert "110105********002X" in findings[0].message and "a.md" == findings[0].file
    assert set(masks) == {"body", "attachments/list.csv"}, "PDFs are not text attachments"
    findings, masks = check_item(item, {**ACTIONS, "id_card": "mask"}, frozenset(), DOMAINS, tmp_path)
    assert all(f.severity == "info" for f in findings) and len(masks["body"]) == 2
