"""The data files of 政民互动 read and checked: letters (``[[letter]]`` entries), interviews and surveys
(one record per file). Every problem names the file and the field (``letter[2].reply_date``).

Personal information: the writer is stored masked (``王**``, ``匿名``), never by name; an ID number,
mobile number, bank card or personal e-mail inside any text is refused (mask it in the file: the error
shows the masked form), except the site's own published numbers (``site.toml`` contact and
``[compliance] allowed_numbers``). A forwarded letter (上级转办) carries ``forwarded_from =
"<site id>:<letter id>"``; its origin has status 已转办, and the group counts the letter once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from govsite.compliance.config import DEFAULTS as COMPLIANCE_DEFAULTS
from govsite.compliance.privacy import KIND_ZH, find, mask_value, privacy_allowed
from govsite.datafiles import Field, Record, page_name_problem, read_folder
from govsite.errors import ContentInvalid, Problem
from govsite.registry import Site, SiteGroup
from govsite.syndication import LETTERS_FOLDER

LETTER_TYPES = ("领导信箱", "咨询投诉", "建议")
RECEIVED, IN_PROGRESS, DONE, FORWARDED = "受理", "办理中", "已办结", "已转办"
STATUSES = (RECEIVED, IN_PROGRESS, DONE, FORWARDED)
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,39}")
#: A masked writer: the surname and asterisks (王**; a two-character surname takes two or more: 欧阳**), or
#: 匿名, optionally after 网友.
WRITER_PATTERN = re.compile(r"(?:网友)?(?:匿名|[\u4e00-\u9fff][*＊]{1,3}|[\u4e00-\u9fff]{2}[*＊]{2,3}|[A-Za-z][*＊]{1,3})")

LETTER = (
    Field("id", "编号, unique on the site (e.g. JC-2026-0001)"),
    Field("type", "类型", "choice", choices=LETTER_TYPES),
    Field("received", "来信日期", "date"),
    Field("subject", "标题"),
    Field("writer", "来信人 (masked)"),
    Field("content", "来信内容"),
    Field("handling_unit", "办理单位"),
    Field("status", "办理状态", "choice", choices=STATUSES),
    Field("reply_date", "答复日期", "date", required=False),
    Field("reply", "答复内容", required=False),
    Field("forwarded_from", "上级转办: <site id>:<letter id>", required=False),
)
INTERVIEW = (
    Field("title", "访谈主题"),
    Field("date", "访谈日期", "date"),
    Field("host", "主办单位"),
    Field("guests", "嘉宾", "texts"),
    Field("summary", "内容摘要", required=False),
    Field("messages", "网民留言数量", "int", required=False),
    Field("qa", "访谈实录", "tables", required=False,
          fields=(Field("question", "提问"), Field("asker", "提问网民 (masked)", required=False),
                  Field("answer", "回答"))),
)
SURVEY = (
    Field("title", "征集主题"),
    Field("host", "征集单位"),
    Field("start", "开始日期", "date"),
    Field("end", "截止日期", "date"),
    Field("description", "征集说明"),
    Field("questions", "征集（调查）问题", "texts"),
    Field("opinions", "收到意见数量", "int", required=False),
    Field("result_date", "结果公布日期", "date", required=False),
    Field("result", "征集结果", required=False),
)
#: Fields whose text is published (checked for personal information).
LETTER_TEXTS = ("subject", "content", "handling_unit", "reply")
INTERVIEW_TEXTS = ("title", "host", "summary")
SURVEY_TEXTS = ("title", "host", "description", "result")


@dataclass(frozen=True)
class Letter:
    """One letter as published: who handles it, how far it is, what was answered."""

    site: str
    id: str
    type: str
    received: date
    subject: str
    writer: str
    content: str
    handling_unit: str
    status: str
    reply_date: date | None
    reply: str | None
    forwarded_from: str | None
    file: Path
    place: str
    #: The origin's receipt day for a forwarded letter (the writer's wait starts there), else ``received``.
    started: date | None = None

    @property
    def key(self) -> str:
        return f"{self.site}:{self.id}"

    @property
    def done(self) -> bool:
        return self.status == DONE

    @property
    def where(self) -> str:
        return f"{self.file} {self.place}"


@dataclass(frozen=True)
class Interview:
    site: str
    slug: str
    title: str
    date: date
    host: str
    guests: tuple[str, ...]
    summary: str | None
    messages: int | None
    qa: tuple[dict, ...]
    file: Path


@dataclass(frozen=True)
class Survey:
    site: str
    slug: str
    title: str
    host: str
    start: date
    end: date
    description: str
    questions: tuple[str, ...]
    opinions: int | None
    result_date: date | None
    result: str | None
    file: Path


def personal_problems(site: Site, record: Record, keys, problems: list[Problem], values: dict | None = None,
                      config: dict | None = None) -> None:
    """An ID number, mobile, bank card or personal e-mail in a published text is refused (``config``: the
    loaded GOVSITE_COMPLIANCE, whose privacy e-mail domains are not personal; its defaults when None)."""
    allowed, domains = privacy_allowed(site, config or COMPLIANCE_DEFAULTS, site.compliance)
    values = record.values if values is None else values
    for key in keys:
        text = values.get(key)
        if not isinstance(text, str):
            continue
        for match in find(text, allowed, domains):
            shown = mask_value(match.kind, match.text)
            problems.append(Problem(record.file, record.where(key), shown,  # never the number itself
                                    f"no {KIND_ZH[match.kind]} ({match.kind}) in published text: write it "
                                    "masked as shown, or remove it"))


def check_letter(record: Record, today: date, problems: list[Problem]) -> None:
    """The rules across a letter's fields (run once its fields are typed)."""
    value = record.values
    if value["id"] is not None and not ID_PATTERN.fullmatch(value["id"]):
        problems.append(record.problem("id", "letters, digits and hyphens (e.g. JC-2026-0001), at most 40"))
    if value["writer"] is not None and not WRITER_PATTERN.fullmatch(value["writer"]):
        problems.append(record.problem("writer", "a masked writer: the surname and asterisks (王**) or 匿名, "
                                                 "never the writer's name, phone or ID"))
    received, replied, reply, status = value["received"], value["reply_date"], value["reply"], value["status"]
    for key in ("received", "reply_date"):
        if value[key] is not None and value[key] > today:
            problems.append(record.problem(key, f"a day not after the build day ({today})"))
    if received and replied and replied < received:
        problems.append(record.problem("reply_date", f"a day on or after the letter was received ({received})"))
    if reply and replied is None:
        problems.append(record.problem("reply_date", "the day of the reply (a reply is dated)"))
    if replied and not reply:
        problems.append(record.problem("reply", "the reply's text (a reply date without a reply)"))
    if status == DONE and not reply and replied is None:
        problems.append(record.problem("reply", "the reply's text and reply_date: a letter 已办结 has a reply"))
    if status in (RECEIVED, IN_PROGRESS) and reply:
        problems.append(record.problem("status", "已办结 for a letter with a reply"))
    if status == FORWARDED and (reply or replied):
        problems.append(record.problem("reply", "no reply on a letter 已转办: the site it went to replies"))
    origin = value["forwarded_from"]
    if origin is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]*:" + ID_PATTERN.pattern, origin):
        problems.append(record.problem("forwarded_from", "'<site id>:<letter id>' of the letter it was "
                                                         "forwarded from (e.g. 'portal:JC-2026-0003')"))


def letter_of(site: Site, record: Record) -> Letter:
    v = record.values
    return Letter(site.id, v["id"], v["type"], v["received"], v["subject"], v["writer"], v["content"],
                  v["handling_unit"], v["status"], v["reply_date"], v["reply"], v["forwarded_from"],
                  record.file, record.place, v["received"])


def read_letters(site: Site, today: date, config: dict | None = None) -> tuple[list[Letter], list[Problem]]:
    """A site's letters (``letters/*.toml``) and the problems in them; unique ids within the site."""
    records, problems = read_folder(site.folder / LETTERS_FOLDER, LETTER, "letter")
    seen: dict[str, Record] = {}
    letters = []
    for record in records:
        before = len(problems)
        check_letter(record, today, problems)
        personal_problems(site, record, LETTER_TEXTS, problems, config=config)
        ident = record["id"]
        if ident in seen:
            first = seen[ident]
            problems.append(record.problem("id", f"an id used once on the site (also {first.file} {first.place})"))
        elif ident:
            seen[ident] = record
        if len(problems) == before and None not in (record[f.key] for f in LETTER if f.required):
            letters.append(letter_of(site, record))
    return letters, problems


def resolve_forwards(by_site: dict[str, list[Letter]], problems: list[Problem]) -> dict[str, list[Letter]]:
    """Links each forwarded letter to its origin: the origin exists on another site, has status 已转办
    and was forwarded once; every 已转办 letter was taken up. Forwarded letters start on the origin's day."""
    index = {letter.key: letter for letters in by_site.values() for letter in letters}
    taken: dict[str, Letter] = {}
    resolved: dict[str, list[Letter]] = {}
    for site_id, letters in by_site.items():
        out = []
        for letter in letters:
            origin_key = letter.forwarded_from
            if origin_key is None:
                out.append(letter)
                continue
            origin = index.get(origin_key)
            record = Record(letter.file, letter.place, {"forwarded_from": origin_key, "received": letter.received})
            if origin_key.split(":", 1)[0] == site_id:
                problems.append(record.problem("forwarded_from", "a letter of ANOTHER site of the group"))
            elif origin is None:
                problems.append(record.problem("forwarded_from", "the id of a letter of another site of the group "
                                               "(no such letter: '<site id>:<letter id>')"))
            elif origin.status != FORWARDED:
                problems.append(record.problem("forwarded_from", f"a letter with status 已转办 ({origin.where} "
                                               f"has status {origin.status})"))
            elif origin_key in taken:
                problems.append(record.problem("forwarded_from", "a letter forwarded once (also taken up by "
                                               f"{taken[origin_key].where})"))
            elif letter.received < origin.received:
                problems.append(record.problem("received", f"a day on or after the origin received it "
                                               f"({origin.received})"))
            else:
                taken[origin_key] = letter
                out.append(replace(letter, started=origin.started))
                continue
            out.append(letter)
        resolved[site_id] = out
    for letter in index.values():
        if letter.status == FORWARDED and letter.key not in taken:
            problems.append(Problem(letter.file, f"{letter.place}.status", letter.status,
                                    f"已转办 only when the receiving site's letter has forwarded_from = '{letter.key}'"))
    return resolved


def group_letters(group: SiteGroup, today: date, config: dict | None = None) -> dict[str, list[Letter]]:
    """Every site's letters, forwards resolved (raises ContentInvalid with every problem of the group);
    ``config`` as for :func:`personal_problems`."""
    by_site, problems = {}, []
    for site in group:
        letters, found = read_letters(site, today, config)
        by_site[site.id] = letters
        problems += found
    resolved = resolve_forwards(by_site, problems)
    if problems:
        raise ContentInvalid(problems)
    return resolved


def _slug(record: Record, problems: list[Problem]) -> str:
    if problem := page_name_problem(record.file):
        problems.append(problem)
    return record.file.stem


def read_interviews(site: Site, config: dict | None = None) -> list[Interview]:
    """The site's interviews (``interviews/*.toml``, one per file); raises ContentInvalid."""
    records, problems = read_folder(site.folder / "interviews", INTERVIEW)
    out = []
    for record in records:
        before = len(problems)
        slug = _slug(record, problems)
        personal_problems(site, record, INTERVIEW_TEXTS, problems, config=config)
        for index, entry in enumerate(record["qa"] or ()):
            place = Record(record.file, f"qa[{index}]", entry)
            personal_problems(site, place, ("question", "answer"), problems, config=config)
            if entry.get("asker") is not None and not WRITER_PATTERN.fullmatch(entry["asker"]):
                problems.append(place.problem("asker", "a masked name (网友王**) or 匿名, never a name"))
        guests = {f"guests[{index}]": guest for index, guest in enumerate(record["guests"] or ())}
        personal_problems(site, record, guests, problems, guests, config)
        if len(problems) == before and None not in (record[f.key] for f in INTERVIEW if f.required):
            v = record.values
            out.append(Interview(site.id, slug, v["title"], v["date"], v["host"], tuple(v["guests"]), v["summary"],
                                 v["messages"], tuple(v["qa"] or ()), record.file))
    if problems:
        raise ContentInvalid(problems)
    return sorted(out, key=lambda i: (i.date, i.slug), reverse=True)


def read_surveys(site: Site, config: dict | None = None) -> list[Survey]:
    """The site's surveys (``surveys/*.toml``, one per file); raises ContentInvalid."""
    records, problems = read_folder(site.folder / "surveys", SURVEY)
    out = []
    for record in records:
        before = len(problems)
        slug = _slug(record, problems)
        personal_problems(site, record, SURVEY_TEXTS, problems, config=config)
        v = record.values
        if v["start"] and v["end"] and v["end"] < v["start"]:
            problems.append(record.problem("end", f"a day on or after the start ({v['start']})"))
        if v["result"] and v["result_date"] is None:
            problems.append(record.problem("result_date", "the day the result was published"))
        if v["result_date"] and not v["result"]:
            problems.append(record.problem("result", "the result's text (a result date without a result)"))
        if v["result_date"] and v["end"] and v["result_date"] < v["end"]:
            problems.append(record.problem("result_date", f"a day on or after the survey closed ({v['end']})"))
        if len(problems) == before and None not in (record[f.key] for f in SURVEY if f.required):
            out.append(Survey(site.id, slug, v["title"], v["host"], v["start"], v["end"], v["description"],
                              tuple(v["questions"]), v["opinions"], v["result_date"], v["result"], record.file))
    if problems:
        raise ContentInvalid(problems)
    return sorted(out, key=lambda s: (s.start, s.slug), reverse=True)
