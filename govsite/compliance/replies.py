"""Replies to letters (政民互动, 件件有落实、事事有回音): late replies, letters left unanswered after the
limit, and replies that only repeat the letter (for review). The limit and levels come from
``GOVSITE_INTERACTION`` (govsite/interaction/settings.py); days are working days.
"""

from __future__ import annotations

import re
from datetime import date
from difflib import SequenceMatcher

from govsite.interaction.records import FORWARDED, Letter
from govsite.interaction.statistics import workdays_used

from .findings import Finding
from .workdays import WorkdayCalendar

#: Punctuation and spaces ignored when comparing a reply with its letter.
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
#: A reply is an echo when at least this share of it is copied from the letter (runs of 4+ characters).
ECHO_SHARE = 0.7
ECHO_RUN = 4


def _plain(text: str) -> str:
    return _NOISE.sub("", text or "")


def echoes(letter: Letter) -> bool:
    """The reply adds (almost) nothing to the letter: most of it is the subject or the letter copied."""
    reply, asked = _plain(letter.reply), _plain(f"{letter.subject}{letter.content}")
    if not reply:
        return False
    matcher = SequenceMatcher(None, reply, asked, autojunk=False)
    copied = sum(block.size for block in matcher.get_matching_blocks() if block.size >= ECHO_RUN)
    return copied / len(reply) >= ECHO_SHARE


def check_replies(letters: list[Letter], calendar: WorkdayCalendar, as_of: date, options: dict) -> list[Finding]:
    """Findings for one site's letters (family ``interaction``)."""
    limit, findings = options["reply_workdays"], []
    for letter in letters:
        if letter.status == FORWARDED:
            continue
        used = workdays_used(letter, calendar, as_of)
        due = calendar.add_workdays(letter.started or letter.received, limit)
        name = f"留言 {letter.id}（{letter.place}，{letter.subject[:20]}）"
        if letter.done and used > limit and options["late"] != "off":
            findings.append(Finding("interaction", "reply-late", options["late"], str(letter.file),
                                    f"{name}在受理后第 {used} 个工作日才答复（应在 {due} 前，{limit} 个工作日内）",
                                    "今后在时限内答复；不得改动受理或答复日期"))
        elif not letter.done and used > limit and options["unanswered"] != "off":
            findings.append(Finding("interaction", "unanswered", options["unanswered"], str(letter.file),
                                    f"{name}受理已 {used} 个工作日仍未答复（时限 {limit} 个工作日，应在 {due} 前）",
                                    "尽快办理并公开答复（填写 reply、reply_date，状态改为 已办结）"))
        if letter.done and options["echo"] != "off" and echoes(letter):
            findings.append(Finding("interaction", "reply-echo", options["echo"], str(letter.file),
                                    f"{name}的答复基本是重复来信内容，没有答复实质问题",
                                    "复核答复：说明办理结果、依据和联系渠道"))
    return findings
