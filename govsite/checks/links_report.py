"""The link check's reports: ``links.json`` and a readable Chinese ``links.html``; the build failure."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from govsite.errors import GovsiteError

from .links import MESSAGES_ZH, LinkReport


class LinksBroken(GovsiteError):
    """Broken internal links or anchors (the message lists page, link and what is wrong)."""


def _rows(findings) -> str:
    return "\n".join(
        f"<tr><td>{escape(f.page)}</td><td>{f.line}</td><td><code>{escape(f.url)}</code></td>"
        f"<td>{escape(MESSAGES_ZH[f.code])}</td><td>{escape(f.detail)}</td></tr>" for f in findings)


def _table(caption: str, findings) -> str:
    if not findings:
        return f"<h2>{caption}</h2><p>无。</p>"
    return (f"<h2>{caption}</h2><table><caption>{caption}（{len(findings)} 处）</caption><thead><tr>"
            "<th scope='col'>页面</th><th scope='col'>行</th><th scope='col'>链接</th>"
            "<th scope='col'>问题</th><th scope='col'>说明</th></tr></thead><tbody>"
            f"{_rows(findings)}</tbody></table>")


def render_html(report: LinkReport, site_name: str = "", external: dict | None = None) -> str:
    """A report page for people: verdict, broken links, unverifiable links, external link results."""
    verdict = "通过" if report.passed else "未通过"
    parts = [f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>链接检查 {escape(site_name)}</title>",
             "<style>body{font:16px/1.6 sans-serif;margin:2rem}table{border-collapse:collapse}"
             "td,th{border:1px solid #999;padding:.3rem .5rem;text-align:left}code{word-break:break-all}</style>",
             f"</head><body><main><h1>链接可用性检查：{escape(site_name)}</h1>",
             f"<p>结论：<strong>{verdict}</strong>。共检查 {report.pages} 个页面、{report.links} 个链接和资源引用；"
             f"失效 {len(report.broken)} 处，无法核验 {len(report.unverifiable)} 处，外部链接 {len(report.external)} 个"
             "（外部链接仅在执行 <code>invoke check-links --external</code> 时检查）。</p>",
             _table("失效链接", report.broken), _table("无法核验的站群链接", report.unverifiable)]
    if external:
        rows = "\n".join(f"<tr><td><code>{escape(url)}</code></td><td>{escape(str(r.get('status') or ''))}</td>"
                         f"<td>{'正常' if r.get('ok') else '失效'}</td><td>{escape(r.get('error') or '')}</td></tr>"
                         for url, r in sorted(external.items()))
        parts.append("<h2>外部链接</h2><table><caption>外部链接检查结果</caption><thead><tr><th scope='col'>地址</th>"
                     f"<th scope='col'>状态码</th><th scope='col'>结论</th><th scope='col'>说明</th></tr></thead><tbody>{rows}</tbody></table>")
    parts.append("</main></body></html>")
    return "\n".join(parts)


def write_reports(report: LinkReport, folder: Path, site_name: str = "", external: dict | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = report.as_dict()
    if external is not None:
        data["external_results"] = external
    (folder / "links.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    (folder / "links.html").write_text(render_html(report, site_name, external), "utf-8")
