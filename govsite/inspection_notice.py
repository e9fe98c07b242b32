"""The published 通报 of a quarterly inspection: the frozen data file, its schema, its HTML and CSV.

``govsite inspect --publish`` writes ``content/<portal>/inspections/<quarter>.toml`` once (the web
office reviews and commits it; a published notice is a public record, never rewritten); the portal's
build renders the notice page from that file alone (govsite/plugins/inspection.py), so every later
build prints the same text. The file is read with the shared schema reader (govsite/datafiles.py):
each problem names the file and the field (``site[1].problem[0].text``). Texts are untrusted: the
HTML escapes every value.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

from .datafiles import Field, data_files, read_records
from .errors import Problem, UsageError
from .inspection import CLOSED, FAIL, NOT_INSPECTED, PASS, RUNNING, TEMPORARY, VERDICTS, Quarter
from .registry import Site, SiteGroup
from .toml_files import toml_value

FOLDER = "inspections"
KINDS = ("政府门户网站", "部门网站")
PROBLEM_FIELDS = (
    Field("indicator", "指标"),
    Field("text", "问题"),
    Field("deduction", "扣分", "number", required=False),
    Field("veto", "单项否决", "bool", required=False),
)
SITE_FIELDS = (
    Field("id", "网站标识（site.toml 所在文件夹名）"),
    Field("name", "网站名称"),
    Field("domain", "域名"),
    Field("kind", "网站类型", "choice", choices=KINDS),
    Field("state", "运行状态", "choice", choices=(RUNNING, TEMPORARY, CLOSED)),
    Field("score", "得分", "number", required=False),
    Field("verdict", "结论", "choice", choices=VERDICTS),
    Field("veto", "单项否决", "bool"),
    Field("problem", "问题", "tables", required=False, fields=PROBLEM_FIELDS),
)
NOTICE_FIELDS = (
    Field("quarter", "季度（YYYYQN，与文件名相同）"),
    Field("title", "标题"),
    Field("issuer", "发文单位"),
    Field("checked", "检查日期", "date"),
    Field("issued", "发布日期", "date"),
    Field("intro", "导语", required=False),
    Field("method", "评分办法"),
    Field("pass_score", "合格分数线", "number"),
    Field("site", "网站", "tables", fields=SITE_FIELDS),
)
DEFAULT_INTRO = ("按照政府网站监管工作要求，现将本季度全面检查情况通报如下。请存在问题的网站主办单位对照问题清单"
                 "逐项整改，并于下季度检查前完成。")


@dataclass(frozen=True)
class Notice:
    """One frozen quarterly notice as read (values typed by the schema)."""

    file: Path
    quarter: Quarter
    values: dict

    @property
    def slug(self) -> str:
        return f"inspection-{str(self.quarter).lower()}"

    @property
    def sites(self) -> list[dict]:
        return self.values["site"]


def notices_folder(portal: Site) -> Path:
    return portal.folder / FOLDER


def read_notices(portal: Site, group: SiteGroup) -> tuple[list[Notice], list[Problem]]:
    """Every frozen notice of the portal, oldest first, and every problem in them."""
    problems: list[Problem] = []
    notices = []
    for path in data_files(notices_folder(portal)):
        before = len(problems)
        records = read_records(path, NOTICE_FIELDS, None, problems)
        if not records or len(problems) > before:
            continue
        notice = _checked(records[0], group, problems)
        if notice is not None and len(problems) == before:
            notices.append(notice)
    return sorted(notices, key=lambda n: (n.quarter.year, n.quarter.number)), problems


def _checked(record, group: SiteGroup, problems: list[Problem]) -> Notice | None:
    """The rules across fields: the quarter is the file's name, sites are the group's, scores fit verdicts."""
    try:
        quarter = Quarter.parse(record["quarter"])
    except UsageError:
        problems.append(record.problem("quarter", "a quarter YYYYQN, e.g. 2026Q4"))
        return None
    if str(quarter) != record.file.stem:
        problems.append(record.problem("quarter", f"the quarter the file is named for ({record.file.stem})"))
    seen = set()
    for index, site in enumerate(record["site"] or []):
        where = f"site[{index}]"
        if site["id"] is not None and group.get(site["id"]) is None:
            problems.append(Problem(record.file, f"{where}.id", site["id"],
                                    "the id of a site of the group: " + ", ".join(group.sites)))
        if site["id"] in seen:
            problems.append(Problem(record.file, f"{where}.id", site["id"], "each site once"))
        seen.add(site["id"])
        score, verdict = site["score"], site["verdict"]
        if score is not None and score > 100:
            problems.append(Problem(record.file, f"{where}.score", score, "a score from 0 to 100"))
        if verdict == PASS and (score is None or site["veto"]):
            problems.append(Problem(record.file, f"{where}.verdict", verdict,
                                    f"{FAIL} or {NOT_INSPECTED}: a {PASS} site has a score and no single veto"))
        if site["veto"] and verdict != FAIL:
            problems.append(Problem(record.file, f"{where}.verdict", verdict, f"{FAIL} (the site has a single veto)"))
    return Notice(record.file, quarter, record.values)


# --- from the inspection to the frozen form ---------------------------------------------------


def frozen_form(data: dict, issued: date, intro: str = DEFAULT_INTRO) -> dict:
    """The notice's values (as the data file holds them) from the inspection's JSON data."""
    sites = []
    for site in data["sites"]:
        problems = [{"indicator": p["label"], "text": p["text"], "deduction": p["deduction"], "veto": p["veto"]}
                    for p in site["problems"]]
        sites.append({"id": site["id"], "name": site["name"], "domain": site["domain"], "kind": site["kind"],
                      "state": site["state"], "score": site["score"], "verdict": site["verdict"],
                      "veto": site["veto"], "problem": problems})
    return {"quarter": data["quarter"], "title": data["title"], "issuer": data["issuer"],
            "checked": date.fromisoformat(data["checked"]), "issued": issued, "intro": intro,
            "method": data["method"], "pass_score": data["pass_score"], "site": sites}


def toml_text(values: dict) -> str:
    """The data file: top-level values, then ``[[site]]`` and ``[[site.problem]]`` tables."""
    lines = [f"# {values['title']}".replace("\n", " "),
             "# Frozen by `govsite inspect --publish`: the portal's notice page is rendered from this file alone.",
             "# A published notice is a public record: review it, commit it, and never rewrite it.", ""]
    for spec in NOTICE_FIELDS:
        if spec.key != "site" and values.get(spec.key) is not None:
            lines.append(f"{spec.key} = {toml_value(values[spec.key])}")
    for site in values["site"]:
        lines += ["", "[[site]]"]
        lines += [f"{spec.key} = {toml_value(site[spec.key])}" for spec in SITE_FIELDS
                  if spec.key != "problem" and site.get(spec.key) is not None]
        for problem in site.get("problem") or []:
            lines.append("[[site.problem]]")
            lines += [f"{spec.key} = {toml_value(problem[spec.key])}" for spec in PROBLEM_FIELDS
                      if problem.get(spec.key) is not None and (spec.key != "veto" or problem[spec.key])]
    return "\n".join(lines) + "\n"


# --- rendering --------------------------------------------------------------------------------


def _score(site: dict) -> str:
    if site["score"] is not None:
        return f"{site['score']:g}"
    return "不计分（单项否决）" if site["veto"] else "—"


def _counts(sites: list[dict]) -> str:
    inspected = [s for s in sites if s["verdict"] != NOT_INSPECTED]
    passed = sum(1 for s in inspected if s["verdict"] == PASS)
    vetoed = sum(1 for s in inspected if s["veto"])
    text = (f"本次共检查网站 {len(inspected)} 个：合格 {passed} 个，不合格 {len(inspected) - passed} 个"
            f"（其中单项否决 {vetoed} 个）")
    closed = len(sites) - len(inspected)
    return text + (f"；{closed} 个网站已永久下线，不纳入检查。" if closed else "。")


def notice_html(values: dict) -> str:
    """The notice as HTML (the body of the portal page and of the command's report): every text escaped."""
    e = escape
    label = Quarter.parse(values["quarter"]).label
    parts = [f'<p class="inspection-meta">发文单位：{e(values["issuer"])}　检查日期：{e(str(values["checked"]))}'
             f'　发布日期：{e(str(values["issued"]))}</p>']
    if values.get("intro"):
        parts += [f"<p>{e(line)}</p>" for line in values["intro"].splitlines() if line.strip()]
    parts.append(f"<p>{e(_counts(values['site']))}</p>")
    rows = []
    for index, site in enumerate(values["site"], 1):
        problems = site.get("problem") or []
        rows.append(f'<tr><td>{index}</td><th scope="row"><a href="#site-{e(site["id"])}">{e(site["name"])}</a></th>'
                    f'<td>{e(site["domain"])}</td><td>{e(site["state"])}</td><td>{e(_score(site))}</td>'
                    f'<td>{e(site["verdict"])}</td><td>{len(problems)}</td></tr>')
    parts.append(f'<h2 id="results">检查结果</h2><table class="inspection-table"><caption>{e(label)}各网站检查结果'
                 '</caption><thead><tr><th scope="col">序号</th><th scope="col">网站名称</th><th scope="col">域名</th>'
                 '<th scope="col">运行状态</th><th scope="col">得分</th><th scope="col">结论</th>'
                 f'<th scope="col">问题数</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    parts.append('<h2 id="problems">各网站存在的问题</h2>')
    for site in values["site"]:
        parts.append(f'<h3 id="site-{e(site["id"])}">{e(site["name"])}（{e(site["domain"])}）</h3>'
                     f'<p>运行状态：{e(site["state"])}；得分：{e(_score(site))}；结论：{e(site["verdict"])}。</p>')
        problems = site.get("problem") or []
        if not problems:
            parts.append("<p>未发现问题。</p>")
            continue
        items = []
        for problem in problems:
            cost = "（单项否决）" if problem.get("veto") else \
                f"（扣 {problem['deduction']:g} 分）" if problem.get("deduction") else ""
            items.append(f"<li>〔{e(problem['indicator'])}〕{e(problem['text'])}{e(cost)}</li>")
        parts.append(f'<ul class="inspection-problems">{"".join(items)}</ul>')
    parts.append(f'<h2 id="method">评分办法</h2><p>{e(values["method"])}</p>')
    return "\n".join(parts)


def notice_page(values: dict) -> str:
    """A self-contained page of the notice (the command's ``inspection-<quarter>.html``)."""
    title = escape(values["title"])
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>{title}</title></head><body><main>'
            f"<h1>{title}</h1>\n{notice_html(values)}\n</main></body></html>\n")


def csv_text(data: dict) -> str:
    """One row per site: result, deductions per indicator, the problems (the supervising office's sheet)."""
    indicators = data["indicators"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["季度", "网站标识", "网站名称", "域名", "网站类型", "运行状态", "得分", "结论", "单项否决",
                     *(f"{spec['label']}扣分" for spec in indicators.values()), "问题数", "问题"])
    for site in data["sites"]:
        writer.writerow([data["quarter"], site["id"], site["name"], site["domain"], site["kind"], site["state"],
                         "" if site["score"] is None else f"{site['score']:g}", site["verdict"],
                         "是" if site["veto"] else "否",
                         *(f"{site['deducted'][name]:g}" for name in indicators), len(site["problems"]),
                         "；".join(f"〔{p['label']}〕{p['text']}" for p in site["problems"])])
    return out.getvalue()
