"""The compliance report: ``compliance.json`` (schema ``govsite-compliance-report/1``) and
``compliance.html`` (Chinese, a score card per rule family, SVG charts with table alternatives).

Another rule family (e.g. links) is added by passing its findings in ``extra``: they are scored and
listed like the others (its label comes from ``findings.FAMILIES``, else its name).
"""

from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from pathlib import Path

from govsite.checks.report import _CSS
from govsite.files import write_text_atomic

from .findings import FAMILIES, SEVERITIES, Finding, family_label

SCHEMA = "govsite-compliance-report/1"
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS_ZH = {"blank": "空白", "stale": "超期未更新", "approaching": "临近超期", "ok": "正常", "no-cycle": "无更新周期要求"}
e = html.escape


def family_scores(findings: list[Finding], checked: tuple[str, ...] = ()) -> dict[str, dict]:
    """Per family: counts by severity, a verdict and an indicative score (100 − 20/error − 5/warning);
    ``checked``: families another part checked, shown even when they found nothing."""
    families = list(FAMILIES) + sorted({f.family for f in findings} - set(FAMILIES))
    scores = {}
    for family in families:
        mine = [f for f in findings if f.family == family]
        if family not in ("privacy", "review", "deadlines", "interpretations", "freshness", "wording") \
                and family not in checked and not mine:
            continue  # a family another part adds (links) appears once it reports
        counts = {s: sum(1 for f in mine if f.severity == s) for s in SEVERITIES}
        verdict = "fail" if counts["error"] else "warn" if counts["warning"] else "pass"
        scores[family] = {"label": family_label(family), **counts, "verdict": verdict,
                          "score": max(0, 100 - 20 * counts["error"] - 5 * counts["warning"])}
    return scores


def report_data(run, extra: list[Finding] = (), checked: tuple[str, ...] = ()) -> dict:
    """The JSON report of one site's run (plus findings of other families)."""
    findings = list(run.findings) + list(extra)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    has_errors = any(f.severity == "error" for f in findings)
    return {
        "schema": SCHEMA,
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "site": run.site_id, "domain": run.domain, "name": run.name,
        "build_day": run.today.isoformat(), "as_of": run.as_of.isoformat(),
        "articles": run.articles,
        "passed": not has_errors,
        "single_veto": any(f.veto and f.severity == "error" for f in findings),
        "families": family_scores(findings, checked),
        "migration": run.migration,
        "columns": [c.to_dict() for c in run.columns],
        "monthly": run.monthly,
        "interpretations": {str(y): v for y, v in run.interpretations.items()},
        "findings": [f.to_dict() for f in sorted(findings, key=lambda f: (order[f.severity], f.family, f.file))],
    }


_MORE_CSS = """
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));gap:1rem;margin:1rem 0}
.card{border:2px solid #767676;border-radius:6px;padding:.75rem 1rem}
.card h3{margin:0 0 .3rem} .card p{margin:.2rem 0} .score{font-size:1.6rem;font-weight:700}
.card.fail{border-color:#b3261e} .card.warn{border-color:#8a5a00} .card.pass{border-color:#0b5a1d}
.veto{background:#8a1010;color:#fff;padding:.75rem 1rem;font-size:1.2rem;font-weight:700}
.error{color:#8a1010;font-weight:700} .warning{color:#6b4500;font-weight:700} .info{color:#1a1a1a}
figure{margin:1rem 0} svg text{font-size:12px;fill:#1a1a1a}
details{margin:.5rem 0}
"""


def freshness_svg(columns: list[dict]) -> str:
    """Horizontal bars: days since each column's newest item, with its stale threshold marked."""
    rows = [c for c in columns if c["stale_days"] is not None or c["status"] == "blank"]
    if not rows:
        return "<p>没有有更新周期要求的栏目。</p>"
    width, left, bar_h, gap = 640, 170, 18, 10
    scale_max = max([c["stale_days"] or 0 for c in rows] + [c["days"] or 0 for c in rows] + [1])
    height = len(rows) * (bar_h + gap) + 40
    unit = (width - left - 20) / scale_max
    parts = [f'<svg role="img" aria-labelledby="fresh-title fresh-desc" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             '<title id="fresh-title">栏目更新情况</title>',
             '<desc id="fresh-desc">每个栏目距最近一次更新的天数（条形）与超期阈值（竖线）；'
             '详细数字见下表。</desc>']
    for index, column in enumerate(rows):
        y = 10 + index * (bar_h + gap)
        label = column["name"] if column["name"] == column["type"] else f'{column["name"]}（{column["type"]}）'
        parts.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{e(label)}</text>')
        if column["status"] == "blank":
            parts.append(f'<text x="{left + 4}" y="{y + 13}">空白栏目</text>')
            continue
        colour = {"stale": "#b3261e", "approaching": "#8a5a00"}.get(column["status"], "#0b5a1d")
        parts.append(f'<rect x="{left}" y="{y}" width="{max(column["days"] * unit, 1):.1f}" height="{bar_h}" '
                     f'fill="{colour}"/>')
        x = left + column["stale_days"] * unit
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 3}" y2="{y + bar_h + 3}" stroke="#1a1a1a" '
                     f'stroke-width="2" stroke-dasharray="3 2"/>')
    parts.append(f'<text x="{left}" y="{height - 8}">0 天</text>'
                 f'<text x="{width - 20}" y="{height - 8}" text-anchor="end">{scale_max} 天</text></svg>')
    return "".join(parts)


def monthly_svg(monthly: dict[str, int]) -> str:
    """Vertical bars: articles published per month."""
    if not monthly:
        return "<p>尚无发布记录。</p>"
    months = list(monthly)
    width, height, bottom = max(320, 44 * len(months) + 40), 220, 40
    top = max(monthly.values())
    unit = (height - bottom - 20) / top
    parts = [f'<svg role="img" aria-labelledby="month-title month-desc" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             '<title id="month-title">每月发布信息数量</title>',
             f'<desc id="month-desc">{e(months[0])} 至 {e(months[-1])} 每月发布的文章数（柱形）；详细数字见下表。</desc>']
    for index, month in enumerate(months):
        x, count = 30 + index * 44, monthly[month]
        h = count * unit
        parts.append(f'<rect x="{x}" y="{height - bottom - h:.1f}" width="30" height="{h:.1f}" fill="#0b4f8a"/>'
                     f'<text x="{x + 15}" y="{height - bottom - h - 4:.1f}" text-anchor="middle">{count}</text>'
                     f'<text x="{x + 15}" y="{height - bottom + 16}" text-anchor="middle">{e(month[2:])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def html_report(data: dict) -> str:
    """A self-contained Chinese HTML page for the head of the web office."""
    verdict = "通过" if data["passed"] else "不通过"
    parts = [f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">'
             f'<title>发布合规检查报告：{e(data["name"])}</title><style>{_CSS}{_MORE_CSS}</style></head><body><main>',
             f'<h1>发布合规检查报告：{e(data["name"])}</h1>']
    if data["single_veto"]:
        parts.append('<p class="veto">单项否决：存在按《政府网站与政务新媒体检查指标》直接判定为不合格的问题，见下文。</p>')
    if data["as_of"] != data["build_day"]:
        parts.append(f'<p class="veto">注意：本站 site.toml 的 [compliance] as_of 把栏目更新的计算日固定为 {e(data["as_of"])}，'
                     f'早于构建日期 {e(data["build_day"])}。这只适用于样例和测试内容；正式网站请删除 as_of，'
                     '否则“栏目不更新”“首页不更新”等问题不会被发现。</p>')
    migration = data.get("migration")
    if migration:
        state = (f'迁移宽限期至 {e(migration["grace_until"])}：期间栏目更新类错误（含单项否决）按警告处理'
                 if migration["grace_until"] else "迁移宽限期已结束，按正常规则检查")
        parts.append(f'<p>本站于 {e(migration["migrated"])} 由旧网站迁移（site.toml [compliance] migrated），'
                     f'宽限 {migration["grace_days"]} 天：{state}。</p>')
    parts += [f'<p class="verdict {"pass" if data["passed"] else "failv"}">结论：{verdict}</p>',
              "<dl>",
              f'<dt>网站</dt><dd>{e(data["name"])}（{e(data["domain"])}）</dd>',
              f'<dt>构建日期</dt><dd>{e(data["build_day"])}</dd>',
              f'<dt>栏目更新计算日</dt><dd>{e(data["as_of"])}</dd>',
              f'<dt>文章数</dt><dd>{data["articles"]}</dd>',
              f'<dt>生成时间</dt><dd>{e(data["generated"])}</dd></dl>',
              "<h2>各项检查结论</h2>",
              '<p>错误会使构建失败（保留上一版网站）；警告和提示请在下次更新时处理。参考分 = 100 − 每个错误 20 − 每个警告 5。</p>',
              '<div class="cards">']
    for family, card in data["families"].items():
        word = {"fail": "不通过", "warn": "有警告", "pass": "通过"}[card["verdict"]]
        parts.append(f'<section class="card {card["verdict"]}" aria-labelledby="card-{e(family)}">'
                     f'<h3 id="card-{e(family)}">{e(card["label"])}</h3><p>{word}</p>'
                     f'<p><span class="score">{card["score"]}</span> 参考分</p>'
                     f'<p>错误 {card["error"]} · 警告 {card["warning"]} · 提示 {card["info"]}</p>'
                     f'<p><a href="#family-{e(family)}">查看明细</a></p></section>')
    parts.append("</div>")
    parts += ["<h2>栏目更新情况</h2>", f"<figure>{freshness_svg(data['columns'])}</figure>",
              '<table><caption>栏目更新情况（图表的文字版）</caption><thead><tr><th scope="col">栏目</th>'
              '<th scope="col">类型</th><th scope="col">文章数</th><th scope="col">最近更新</th>'
              '<th scope="col">距今天数</th><th scope="col">超期阈值（天）</th><th scope="col">状态</th></tr></thead><tbody>']
    for c in data["columns"]:
        parts.append(f'<tr><th scope="row">{e(c["name"])}</th><td>{e(c["type"])}</td><td>{c["items"]}</td>'
                     f'<td>{e(c["newest"] or "—")}</td><td>{"—" if c["days"] is None else c["days"]}</td>'
                     f'<td>{c["stale_days"] or "—"}</td><td>{STATUS_ZH[c["status"]]}</td></tr>')
    parts += ["</tbody></table>", "<h2>每月发布数量</h2>", f"<figure>{monthly_svg(data['monthly'])}</figure>",
              '<table><caption>每月发布数量（图表的文字版）</caption><thead><tr><th scope="col">月份</th>'
              '<th scope="col">文章数</th></tr></thead><tbody>']
    parts += [f'<tr><th scope="row">{e(m)}</th><td>{n}</td></tr>' for m, n in data["monthly"].items()]
    parts.append("</tbody></table>")
    if data["interpretations"]:
        parts.append('<h2>政策解读形式</h2><table><caption>各年图解类解读占比</caption><thead><tr>'
                     '<th scope="col">年份</th><th scope="col">解读</th><th scope="col">图解类</th>'
                     '<th scope="col">占比</th></tr></thead><tbody>')
        parts += [f'<tr><th scope="row">{e(y)}</th><td>{v["total"]}</td><td>{v["graphic"]}</td>'
                  f'<td>{v["share"]:.0%}</td></tr>' for y, v in data["interpretations"].items()]
        parts.append("</tbody></table>")
    parts.append("<h2>问题明细</h2>")
    for family, card in data["families"].items():
        mine = [f for f in data["findings"] if f["family"] == family]
        parts.append(f'<h3 id="family-{e(family)}">{e(card["label"])}（{len(mine)}）</h3>')
        if not mine:
            parts.append("<p>没有发现问题。</p>")
            continue
        parts.append('<table><thead><tr><th scope="col">级别</th><th scope="col">文件</th><th scope="col">问题</th>'
                     '<th scope="col">处理办法</th></tr></thead><tbody>')
        parts += [f'<tr><td class="{f["severity"]}">{SEVERITY_ZH[f["severity"]]}{"（单项否决）" if f["veto"] else ""}'
                  f'</td><td><code>{e(_short(f["file"]))}</code></td><td>{e(f["message"])}</td>'
                  f'<td>{e(f["fix"])}</td></tr>' for f in mine]
        parts.append("</tbody></table>")
    parts.append("</main></body></html>")
    return "\n".join(parts)


def _short(file: str) -> str:
    """A path from the site folder on (/…/content/<site>/articles/x.md → <site>/articles/x.md)."""
    path, colon, rest = file.partition(": ")
    if "/" in path:
        path = "/".join(Path(path).parts[-3:]) if "/articles/" not in path else \
            Path(path.split("/articles/", 1)[0]).name + "/articles/" + path.split("/articles/", 1)[1]
    return path + colon + rest


def write_reports(run, report_dir: Path | str, extra: list[Finding] = (), checked: tuple[str, ...] = ()) -> dict:
    """Write compliance.json and compliance.html into ``report_dir``; returns the JSON data."""
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    data = report_data(run, extra, checked)
    write_text_atomic(report_dir / "compliance.json", json.dumps(data, ensure_ascii=False, indent=1))
    write_text_atomic(report_dir / "compliance.html", html_report(data))
    return data
