"""The remembered text checks (a watching process checks every article each build): each answer is
the one its own arguments give, never one remembered for other arguments."""

from __future__ import annotations

from govsite.compliance.privacy import found_in
from govsite.compliance.wording import Lexicon, words_in

ID = "11010519491231002X"  # the GB 11643 example


def test_remembered_findings_follow_every_argument():
    text = f"联系人证号 {ID}，邮箱 zhou@example.org"
    assert [m.kind for m in found_in(text, frozenset(), ())] == ["id_card", "email"]
    assert [m.kind for m in found_in(text, frozenset({ID}), ())] == ["email"]
    assert [m.kind for m in found_in(text, frozenset(), ("example.org",))] == ["id_card"]
    assert [m.kind for m in found_in(text + "。", frozenset(), ())] == ["id_card", "email"]


def test_remembered_words_follow_the_lexicons_entries_and_the_field():
    first, other = Lexicon({"政冶": "政治"}, frozenset()), Lexicon({}, frozenset({"内部资料"}))
    text = "<p>政冶<b>学习</b>内部资料</p>"
    assert words_in(first, text, True) == ("政冶",) and words_in(other, text, True) == ("内部资料",)
    assert words_in(Lexicon({"政冶": "政治"}, frozenset()), text, True) == ("政冶",)  # the same entries again
    tagged = Lexicon({"p>政": "x"}, frozenset())  # found in the markup only, i.e. not in a body's text
    assert words_in(tagged, text, False) == ("p>政",) and words_in(tagged, text, True) == ()
