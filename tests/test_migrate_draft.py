"""The draft site.toml: legacy values read back by tomllib exactly as found, whatever they contain."""

import tomllib

from govsite.migrate.columns import ColumnSpec
from govsite.migrate.draft import draft_toml

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
