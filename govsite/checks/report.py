"""Gate reports: JSON (schema ``govsite-a11y-report/1``), JUnit XML, and an HTML report in Chinese."""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path
from xml.etree import ElementTree as ET

from govsite.files import write_text_atomic

from .findings import IMPACTS, STATUSES, impact_rank

SCHEMA = "govsite-a11y-report/1"
STATUS_ZH = {"fail": "不通过", "warn": "警告", "review": "需人工复核", "waived": "已豁免",
             "baseline": "基线已知", "disabled": "已停用"}
IMPACT_ZH = {"critical": "致命", "serious": "严重", "moderate": "中等", "minor": "轻微"}
#: Findings that mean the check itself did not finish (JUnit <error>, listed first in the HTML report).
CHECK_ERRORS = ("engine-error", "page-unchecked")
PROFILE_ZH = {"platform": "平台规则（WCAG 与政府网站规范）", "wcag": "仅 WCAG 规则（不含平台规则）"}
MODE_ZH = {"normal": "常规", "care": "关怀版", "contrast": "高对比度", "dark": "白字黑底", "yellow": "黄字黑底",
           "large-text": "最大字号", "plain-text": "纯文本"}


def report_data(result) -> dict:
    """The JSON report: stable keys, findings sorted worst first."""
    violations = [f for f in result.findings if f.kind == "violation"]
    review = [f for f in result.findings if f.kind != "violation"]
    order = lambda f: (STATUSES.index(f.status) if f.status in STATUSES else 9, -impact_rank(f.impact),  # noqa: E731
                       f.rule, f.page, f.target, f.mode)
    by_rule: dict[str, dict] = {}
    for finding in violations:
        entry = by_rule.setdefault(finding.rule, {"impact": finding.impact, "count": 0,
                                                  **{status: 0 for status in STATUSES}})
        entry["count"] += 1
        entry[finding.status] = entry.get(finding.status, 0) + 1
        if impact_rank(finding.impact) > impact_rank(entry["impact"]):
            entry["impact"] = finding.impact
    by_impact = {impact: dict(Counter(f.status for f in violations if f.impact == impact)) for impact in IMPACTS}
    policy = result.policy
    return {
        "schema": SCHEMA,
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "root": str(result.root),
        "passed": result.passed,
        "engines": list(result.engines),
        "axe_version": result.axe_version,
        "axe": {"version": result.axe_version, "sha512": result.axe_integrity,
                "post_filters": policy.axe_post_filters, "filtered": dict(sorted(result.axe_filtered.items()))},
        "profile": policy.profile,
        "modes": list(policy.modes),
        "seconds": round(result.seconds, 2),
        "policy": {
            "wcag": policy.wcag,
            "fail_impacts": sorted(policy.fail_impacts, key=impact_rank),
            "pages": policy.pages,
            "disabled_rules": policy.disabled_rules,
            "waivers": [{"rule": w.rule, "pages": w.pages, "selector": w.selector, "reason": w.reason,
                         "expires": w.expires.isoformat()} for w in policy.waivers],
            "baseline": policy.baseline,
        },
        "pages": {"total": len(result.pages), "static_reused": result.static_reused,
                  "browser": len(result.browser_pages),
                  "browser_checked": sorted(result.browser_pages), "unchecked": result.unchecked},
        "summary": {
            "by_status": {status: sum(1 for f in result.findings if f.status == status) for status in STATUSES},
            "by_impact": by_impact,
            "by_rule": dict(sorted(by_rule.items(), key=lambda i: (-impact_rank(i[1]["impact"]), -i[1]["count"]))),
        },
        "findings": [f.to_dict() for f in sorted(violations, key=order)],
        "review": [f.to_dict() for f in sorted(review, key=order)],
    }


def junit_xml(result) -> str:
    """JUnit XML: one test case per page; each failing finding is a <failure>, an unchecked page or an
    engine error an <error>."""
    by_page = defaultdict(list)
    for finding in result.findings:
        by_page[finding.page].append(finding)
    suite = ET.Element("testsuite", name=f"govsite-a11y {result.root}", tests=str(len(result.pages)),
                       time=f"{result.seconds:.2f}")
    properties = ET.SubElement(suite, "properties")
    for name, value in (("profile", result.policy.profile), ("engines", ",".join(result.engines)),
                        ("modes", ",".join(result.policy.modes)), ("axe-core.version", result.axe_version),
                        ("axe-core.sha512", result.axe_integrity)):
        if value:
            ET.SubElement(properties, "property", name=name, value=value)
    failures = errors = 0
    for page in [""] + sorted(result.pages):
        found = by_page.get(page, [])
        if page == "" and not found:
            continue
        case = ET.SubElement(suite, "testcase", classname="accessibility", name=page or "(policy)")
        for finding in found:
            if finding.status != "fail":
                continue
            if finding.rule in CHECK_ERRORS:
                errors += 1
                error = ET.SubElement(case, "error", message=finding.message, type=finding.rule)
                error.text = f"{finding.engine} [{finding.mode}] {finding.target}: {finding.message}".replace(" :", ":")
            else:
                failures += 1
                failure = ET.SubElement(case, "failure", message=f"{finding.rule} ({finding.impact})", type=finding.rule)
                failure.text = f"{finding.target} [{finding.mode}]: {finding.message}\n{finding.help}"
        warnings = [f"{f.status}: {f.rule} {f.target}: {f.message}" for f in found if f.status != "fail"]
        if warnings:
            ET.SubElement(case, "system-out").text = "\n".join(warnings)
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"


_CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif;line-height:1.6;margin:0;color:#1a1a1a}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.8rem} h2{margin-top:2rem;border-bottom:3px solid #9b1c1c} h3{font-size:1.1rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;margin:1rem 0} th,td{border:1px solid #767676;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f0f0f0} .verdict{font-size:1.3rem;font-weight:700;padding:.5rem 1rem;display:inline-block}
.pass{background:#e6f4ea;color:#0b5a1d} .failv{background:#fde8e8;color:#8a1010}
.finding{border:1px solid #999;border-left:6px solid #666;padding:.5rem 1rem;margin:.75rem 0}
.finding.fail{border-left-color:#b3261e} .finding.warn{border-left-color:#8a5a00}
code,pre{font-family:monospace;background:#f4f4f4;white-space:pre-wrap;word-break:break-all}
img.shot{max-width:100%;border:2px solid #b3261e} a{color:#0b4f8a}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0} dt{font-weight:700} dd{margin:0}
"""


def html_report(result, data: dict) -> str:
    """A readable, self-contained HTML report in Chinese."""
    e = html.escape
    verdict = "通过" if result.passed else "不通过"
    parts = [f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">'
             f"<title>无障碍检查报告：{e(str(result.root))}</title><style>{_CSS}</style></head><body><main>",
             f"<h1>无障碍检查报告</h1>",
             f'<p class="verdict {"pass" if result.passed else "failv"}">结论：{verdict}</p>',
             "<dl>",
             f"<dt>检查对象</dt><dd>{e(str(result.root))}</dd>",
             f"<dt>生成时间</dt><dd>{e(data['generated'])}</dd>",
             f"<dt>页面</dt><dd>静态规则 {len(result.pages)} 页；浏览器（axe-core {e(result.axe_version or '未运行')}）"
             f"{len(result.browser_pages)} 页{'（含键盘与焦点检查）' if 'keyboard' in result.engines else ''}，模式：{e('、'.join(MODE_ZH.get(m, m) for m in result.policy.modes))}</dd>",
             f"<dt>规则集</dt><dd>{PROFILE_ZH.get(result.policy.profile, e(result.policy.profile))}</dd>",
             f"<dt>axe-core</dt><dd>{e(result.axe_version or '未运行')}"
             + (f"（sha512 已校验：<code>{e(result.axe_integrity)}</code>）" if result.axe_integrity else "") + "</dd>",
             f"<dt>判定规则</dt><dd>影响程度为 {e('、'.join(IMPACT_ZH[i] for i in data['policy']['fail_impacts']))} 的问题不通过；"
             f"其余为警告</dd>",
             f"<dt>用时</dt><dd>{result.seconds:.1f} 秒</dd></dl>"]
    parts.append("<h2>按影响程度汇总</h2><table><thead><tr><th scope=\"col\">影响程度</th>"
                 + "".join(f'<th scope="col">{STATUS_ZH[s]}</th>' for s in STATUSES) + "</tr></thead><tbody>")
    for impact in reversed(IMPACTS):
        counts = data["summary"]["by_impact"][impact]
        parts.append(f'<tr><th scope="row">{IMPACT_ZH[impact]}（{impact}）</th>'
                     + "".join(f"<td>{counts.get(s, 0)}</td>" for s in STATUSES) + "</tr>")
    parts.append("</tbody></table>")
    if data["summary"]["by_rule"]:
        parts.append('<h2>按规则汇总</h2><table><thead><tr><th scope="col">规则</th><th scope="col">影响程度</th>'
                     '<th scope="col">问题数</th><th scope="col">不通过</th></tr></thead><tbody>')
        for rule, entry in data["summary"]["by_rule"].items():
            parts.append(f'<tr><th scope="row"><a href="#rule-{e(rule)}">{e(rule)}</a></th>'
                         f"<td>{IMPACT_ZH.get(entry['impact'], entry['impact'])}</td><td>{entry['count']}</td>"
                         f"<td>{entry.get('fail', 0)}</td></tr>")
        parts.append("</tbody></table>")
    if result.unchecked:
        parts.append("<h2>未能检查的页面</h2><ul>" + "".join(
            f"<li>{e(p)}：{e(w)}</li>" for p, w in sorted(result.unchecked.items())) + "</ul>")
    errors = [f for f in data["findings"] if f["rule"] == "engine-error"]
    if errors:
        parts.append("<h2>检查出错的页面（结果不完整，不能上线）</h2><ul>" + "".join(
            f"<li>{e(f['page'])}（{e(f['engine'])}{'，' + e(MODE_ZH.get(f['mode'], f['mode'])) if f['engine'] == 'axe' else ''}）："
            f"{e(f['message'])}</li>"
            for f in errors) + "</ul>")
    parts.append("<h2>问题明细</h2>")
    parts += _finding_sections(data["findings"], anchor=True) or ["<p>没有发现问题。</p>"]
    parts.append("<h2>需人工复核（axe “incomplete”）</h2>")
    parts += _finding_sections(data["review"], anchor=False) or ["<p>没有需要复核的项目。</p>"]
    parts.append("</main></body></html>")
    return "\n".join(parts)


def _finding_sections(findings: list[dict], anchor: bool) -> list[str]:
    e = html.escape
    parts, seen_rules = [], set()
    for item in findings:
        rule_id = ""
        if anchor and item["rule"] not in seen_rules:
            seen_rules.add(item["rule"])
            rule_id = f' id="rule-{e(item["rule"])}"'
        wcag = "、".join(item["wcag"]) or "—"
        link = f'<a href="{e(item["help_url"])}">规则说明</a>' if item["help_url"] else ""
        shot = (f'<p><img class="shot" src="{e(item["screenshot"])}" alt="问题元素截图：{e(item["rule"])}"></p>'
                if item["screenshot"] else "")
        parts.append(
            f'<section class="finding {e(item["status"])}"{rule_id}>'
            f'<h3>{STATUS_ZH.get(item["status"], item["status"])} · {e(item["rule"])} · '
            f'{IMPACT_ZH.get(item["impact"], item["impact"])}</h3><dl>'
            f'<dt>页面</dt><dd>{e(item["page"] or "（策略）")}</dd>'
            f'<dt>元素</dt><dd><code>{e(item["target"] or "（整页）")}</code></dd>'
            f'<dt>模式</dt><dd>{MODE_ZH.get(item["mode"], e(item["mode"]))}（{e(item["engine"])}）</dd>'
            f'<dt>WCAG 准则</dt><dd>{e(wcag)}</dd>'
            f'<dt>问题</dt><dd>{e(item["message"])}</dd>'
            f'<dt>修改方法</dt><dd>{e(item["help"])} {link}</dd>'
            + (f'<dt>说明</dt><dd>{e(item["reason"])}</dd>' if item["reason"] else "")
            + (f'<dt>代码</dt><dd><pre>{e(item["snippet"])}</pre></dd>' if item["snippet"] else "")
            + f"</dl>{shot}</section>")
    return parts


def write_reports(result, report_dir: Path) -> dict:
    """Write report.json, junit.xml and index.html into ``report_dir``; returns the JSON data."""
    report_dir.mkdir(parents=True, exist_ok=True)
    data = report_data(result)
    write_text_atomic(report_dir / "report.json", json.dumps(data, ensure_ascii=False, indent=1))
    write_text_atomic(report_dir / "junit.xml", junit_xml(result))
    write_text_atomic(report_dir / "index.html", html_report(result, data))
    return data
