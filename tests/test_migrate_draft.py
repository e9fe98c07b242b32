"""The draft site.toml: legacy values read back by tomllib exactly as found, whatever they contain."""

import tomllib
from datetime import date

from govsite.migrate.columns import ColumnSpec
from govsite.migrate.draft import draft_toml
from govsite.migrate.edits import field_line
from govsite.migrate.run import page_slug

HOSTILE = 'x"\\y\n[site]\nname = "evil"\x7f\x01\'\'\'<script>'


def test_every_legacy_value_reads_back_exactly():
    facts = {"name": "枫岚市" + HOSTILE, "organizer": HOSTILE, "operator": HOSTILE, "domain": "www.fenglan.gov.cn",
             "site_code": HOSTILE, "icp": HOSTILE, "police_filing": HOSTILE, "description": HOSTILE,
             "phone": HOSTILE, "email": HOSTILE, "address": HOSTILE, "postcode": HOSTILE, "conac_id": HOSTILE}
    column = ColumnSpec("gzdt", HOSTILE, "要闻动态", HOSTILE, [HOSTILE, "动态"], created=True,
                        review=["type guessed\n[site]\nkind = \"portal\""])
    text, _ = draft_toml("fenglan", facts, [column], {"contact": {}, "badges": {"bad key\n=": HOSTILE}}, [], "", "src")
    data = tomllib.loads(text)
    assert data["name"] == "枫岚市" + HOSTILE
    for key in ("organizer", "operator", "site_code", "icp", "police_filing", "description"):
        assert data[key] == HOSTILE, key
    assert data["contact"] == {"phone": HOSTILE, "email": HOSTILE, "address": HOSTILE, "postcode": HOSTILE}
    assert data["badges"] == {"bad key\n=": HOSTILE, "conac_id": HOSTILE}
    assert data["columns"] == [{"slug": "gzdt", "name": HOSTILE, "type": "要闻动态", "description": HOSTILE,
                                "keywords": [HOSTILE, "动态"]}]
    assert "site" not in data and data["kind"] == "department"      # the comment did not add a [site] table


def test_the_draft_sets_the_migration_day_and_keeps_an_earlier_one():
    column = ColumnSpec("gzdt", "工作动态", "要闻动态", "动态", [])
    text, _ = draft_toml("fenglan", {}, [column], {}, [], "", "src", grace_days=45)
    data = tomllib.loads(text)
    assert data["compliance"]["migrated"] == date.today() and "warnings for 45 days" in text
    again, _ = draft_toml("fenglan", {}, [column], {"compliance": {"migrated": date(2026, 1, 5)}}, [], "", "src")
    assert tomllib.loads(again)["compliance"]["migrated"] == date(2026, 1, 5)
    lines = text.splitlines()
    assert lines[field_line(text, "contact.email") - 1].startswith('email = ""  # TODO')
    assert lines[field_line(text, "columns[0].type") - 1].startswith('type = "要闻动态"')
    assert lines[field_line(text, "columns[0].keywords") - 1] == "[[columns]]", "not written: its table's line"


def test_about_and_contact_pages_by_title_or_old_name():
    assert page_slug("http://www.fenglan.gov.cn/jgzn/wzjj.html", "本委概况") == "about"
    assert page_slug("http://www.fenglan.gov.cn/lxfs/index.html", "办公地址") == "contact"
    assert page_slug("http://www.fenglan.gov.cn/a/b.html", "网站介绍") == "about"
    assert page_slug("http://www.fenglan.gov.cn/a/zhinan.html", "办事指南") == "zhinan"
