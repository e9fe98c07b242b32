"""The migration report: ``<reports>/migrate/<site-id>.json`` for tools, ``.html`` for people.

JSON (schema ``govsite-migrate-report/1``)::

    { "schema", "generated", "site_id", "source", "source_kind", "url_base", "dry_run", "update",
      "seconds", "pages_per_second",
      "site": {name, domain, site_code, site_toml, draft: {action, todo, problems},
               migration: {migrated, grace_days, grace_until}, drafted_pages: [{file, title, action, new_path}]},
      "totals": {pages, imported, skipped, failed, by_kind, by_extractor, by_layout, by_encoding,
                 missing_title, missing_date, images, images_missing_alt, broken_links, assets,
                 chars_source, chars_kept, edits},
      "edits": [{file, line, rule, what, fix, url?, field?}]  (everything the first build will demand:
               rule image-alt | table-has-header | link-outside-crawl | todo | site-toml; migrate/edits.py),
      "columns": [{slug, name, type, old_names, pages, created, review}],
      "unmapped_columns": {old column: pages}, "notes": [...],
      "redirects": {file, rows, added, existing, conflicts},
      "pages": [entry...], "assets": [{old_url, output_path, status, reason, size}] }
    entry = { "source_path", "old_url", "status" (imported|skipped|failed), "reason", "action",
      "kind", "kind_why", "title", "pubdate" (YYYY-MM-DD HH:MM[:SS]), "date_from", "content_source", "author",
      "column", "old_column", "output_path", "new_path", "encoding", "layout", "extractor",
      "images", "images_missing_alt": [url], "broken_links": [url], "assets": [path],
      "dropped_urls": [{element, attribute, url, why}] (unsafe URLs left out: javascript:, data:, ...),
      "chars_source", "chars_kept", "removed": {what: n}, "warnings": [...] }
"""

from __future__ import annotations

import html
import json
import os
import tomllib
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from .values import toml_string

SCHEMA = "govsite-migrate-report/1"


def entry(r, m) -> dict:
    """The report entry of one page (status filled in by the caller)."""
    missing_alt = [url for url, alt in r.images if alt is None]
    return {
        "source_path": r.key, "old_url": r.old_url, "status": "", "reason": "", "action": "",
        "kind": r.kind, "kind_why": r.kind_why, "title": r.title, "pubdate": r.pubdate, "date_from": r.date_from,
        "content_source": r.source, "author": r.author, "column": m.column_of.get(r.key) or "",
        "old_column": m.old_column.get(r.key, r.column_name), "output_path": "", "new_path": "",
        "encoding": r.encoding, "layout": r.layout, "extractor": r.extractor, "images": len(r.images),
        "images_missing_alt": missing_alt, "broken_links": [], "assets": [], "dropped_urls": list(r.dropped_urls),
        "chars_source": r.chars_source, "chars_kept": r.chars_kept, "removed": r.removed, "warnings": r.warnings,
    }


def build(m, results, seconds: float) -> dict:
    """The whole report for a finished migration."""
    pages = [m.entries[r.key] for r in sorted(results, key=lambda r: r.key) if r.key in m.entries]
    content = [p for p in pages if p["kind"] in ("article", "page")]
    statuses = Counter(p["status"] for p in pages)
    totals = {
        "pages": len(pages), "imported": statuses["imported"], "skipped": statuses["skipped"],
        "failed": statuses["failed"],
        "by_kind": dict(Counter(p["kind"] for p in pages)),
        "by_extractor": dict(Counter(p["extractor"] for p in content if p["extractor"])),
        "by_layout": dict(Counter(p["layout"] for p in pages if p["layout"])),
        "by_encoding": dict(Counter(p["encoding"] for p in pages if p["encoding"])),
        "missing_title": sum(1 for p in content if not p["title"]),
        "missing_date": sum(1 for p in content if p["kind"] == "article" and not p["pubdate"]),
        "images": sum(p["images"] for p in content),
        "images_missing_alt": sum(len(p["images_missing_alt"]) for p in content),
        "broken_links": sum(len(p["broken_links"]) for p in content),
        "dropped_urls": sum(len(p["dropped_urls"]) for p in content),
        "assets": sum(1 for a in m.assets.by_key.values() if a.rel),
        "chars_source": sum(p["chars_source"] for p in content),
        "chars_kept": sum(p["chars_kept"] for p in content),
        "edits": len(m.edits),
    }
    columns = [{"slug": c.slug, "name": c.name, "type": c.type, "old_names": sorted(c.old_names), "pages": c.pages,
                "created": c.created, "review": c.review} for c in sorted(m.resolver.columns.values(),
                                                                          key=lambda c: c.slug)]
    return {
        "schema": SCHEMA, "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "site_id": m.s.site_id, "source": str(m.s.source), "source_kind": m.source.kind, "url_base": m.s.url_base,
        "dry_run": m.s.dry_run, "update": m.s.update, "seconds": round(seconds, 2),
        "pages_per_second": round(len(pages) / seconds, 1) if seconds else None,
        "site": {"name": m.facts.get("name", ""), "domain": m.facts.get("domain", ""),
                 "site_code": m.facts.get("site_code", ""), "site_toml": str(m.site_file),
                 "draft": {"action": m.draft_action, "todo": m.draft_todo, "problems": m.draft_problems}
                 if m.can_create else None,
                 "migration": migration(m), "drafted_pages": m.drafted_pages},
        "edits": sorted(m.edits, key=lambda e: (e["file"], e["line"], e["rule"])),
        "totals": totals, "columns": columns, "unmapped_columns": dict(m.resolver.unmapped),
        "notes": list(m.source.notes), "redirects": getattr(m, "redirect_summary", {}),
        "pages": pages,
        "assets": [{"old_url": a.old_url, "output_path": a.rel, "status": a.status, "reason": a.reason,
                    "size": a.size} for a in m.assets.by_key.values()],
    }


def migration(m) -> dict | None:
    """The migration day of the site's configuration (the draft's, else site.toml's) and its freshness grace."""
    text = getattr(m, "draft_text", None)
    if text is None and m.site_file.is_file():
        text = m.site_file.read_text("utf-8", "replace")
    try:
        day = (tomllib.loads(text or "").get("compliance") or {}).get("migrated")
    except tomllib.TOMLDecodeError:
        day = None
    if type(day) is not date:
        return None
    return {"migrated": day.isoformat(), "grace_days": m.grace_days,
            "grace_until": (day + timedelta(days=m.grace_days)).isoformat()}


def write(data: dict, report_dir: Path, site_id: str, dry_run: bool) -> tuple[Path, Path]:
    """Write the JSON and HTML reports (a dry run's are named ``<id>.dry-run.*``)."""
    folder = Path(report_dir) / "migrate"
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{site_id}.dry-run" if dry_run else site_id
    json_path, html_path = folder / f"{stem}.json", folder / f"{stem}.html"
    _atomic(json_path, json.dumps(data, ensure_ascii=False, indent=1))
    _atomic(html_path, render_html(data))
    if data.get("unmapped_columns"):
        lines = ["# Suggested by invoke migrate: give each old column a column slug of the site "
                 "(\"\" = do not import)", "[columns]"]
        lines += [f'{toml_string(k)} = ""   # {n} page(s)' for k, n in sorted(data["unmapped_columns"].items())]
        _atomic(folder / f"{site_id}.mapping-suggested.toml", "\n".join(lines) + "\n")
    return json_path, html_path


def _atomic(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}")
    temp.write_text(text, "utf-8")
    os.replace(temp, path)


_STATUS_ZH = {"imported": "已导入", "skipped": "已跳过", "failed": "失败"}
_KIND_ZH = {"article": "文章", "list": "栏目列表", "home": "首页", "page": "单页", "other": "其他"}
_CSS = """body{font-family:system-ui,"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:1.5rem;
line-height:1.6;color:#1a1a1a;background:#fff}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #767676;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f0f0f0}
.failed{color:#a00000}.skipped{color:#6b4e00}.imported{color:#0a5c0a}code{word-break:break-all}
caption{text-align:left;font-weight:bold}"""


def _e(value) -> str:
    return html.escape(str(value if value is not None else ""))


def _table(caption: str, headers: list[str], rows: list[list], limit: int = 0) -> str:
    if not rows:
        return f"<p>{_e(caption)}：无。</p>"
    shown = rows[:limit] if limit else rows
    out = [f"<table><caption>{_e(caption)}（{len(rows)}）</caption><thead><tr>"]
    out += [f'<th scope="col">{_e(h)}</th>' for h in headers]
    out.append("</tr></thead><tbody>")
    for row in shown:
        out.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>")
    out.append("</tbody></table>")
    if limit and len(rows) > limit:
        out.append(f"<p>仅列出前 {limit} 条，完整内容见 JSON 报告。</p>")
    return "".join(out)


def render_html(d: dict) -> str:
    """The report for people (Chinese): totals, problems first, then every page."""
    t = d["totals"]
    pages = d["pages"]
    content = [p for p in pages if p["kind"] in ("article", "page")]
    ratio = f"{t['chars_kept'] / t['chars_source']:.1%}" if t["chars_source"] else "—"
    title = f"网站迁移报告：{d['site_id']}" + ("（演练，未写入）" if d["dry_run"] else "")
    parts = [f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
             f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_e(title)}</title>'
             f"<style>{_CSS}</style></head><body><main><h1>{_e(title)}</h1>",
             f"<p>来源：<code>{_e(d['source'])}</code>（{_e(d['source_kind'])}），生成于 {_e(d['generated'])}，"
             f"用时 {_e(d['seconds'])} 秒（每秒 {_e(d['pages_per_second'])} 页）。</p>",
             "<h2>总计</h2>",
             _table("汇总", ["项目", "数量"], [[_e(k), _e(v)] for k, v in (
                 ("源页面", t["pages"]), ("已导入", t["imported"]), ("已跳过", t["skipped"]), ("失败", t["failed"]),
                 ("缺标题", t["missing_title"]), ("缺发布日期", t["missing_date"]), ("图片", t["images"]),
                 ("图片缺替代文本", t["images_missing_alt"]), ("源站内部死链", t["broken_links"]),
                 ("删除的不安全地址", t["dropped_urls"]),
                 ("复制的图片和附件", t["assets"]), ("正文字数（源）", t["chars_source"]),
                 ("正文字数（保留）", t["chars_kept"]), ("保留比例", ratio))]),
             _table("页面类型", ["类型", "数量"], [[_e(_KIND_ZH.get(k, k)), _e(v)] for k, v in t["by_kind"].items()]),
             _table("正文提取方式", ["方式", "数量"], [[_e(k), _e(v)] for k, v in t["by_extractor"].items()]),
             _table("编码", ["编码", "数量"], [[_e(k), _e(v)] for k, v in t["by_encoding"].items()])]
    site = d["site"]
    parts.append("<h2>首次构建前必须完成的修改</h2>"
                 "<p>以下每一处不改，<code>invoke build</code> 就不会发布本站（无障碍检查、链接检查、站点配置校验、"
                 "待填写页面）。改完后构建即可通过。</p>")
    parts.append(_table("必须完成的修改", ["文件", "行", "规则", "问题", "处理办法"], [
        [f"<code>{_e(x['file'])}</code>", _e(x["line"]), f"<code>{_e(x['rule'])}</code>", _e(x["what"]), _e(x["fix"])]
        for x in d.get("edits", [])], limit=5000))
    if site.get("drafted_pages"):
        parts.append(_table("旧网站没有、由迁移工具起草的页面（须填写）", ["文件", "标题", "新地址"], [
            [f"<code>{_e(x['file'])}</code>", _e(x["title"]), _e(x["new_path"])] for x in site["drafted_pages"]]))
    if site.get("migration"):
        g = site["migration"]
        parts.append(f"<p>迁移日期 {_e(g['migrated'])}（site.toml [compliance] migrated）：栏目更新和首页更新的检查"
                     f"在 {_e(g['grace_until'])} 前（宽限 {_e(g['grace_days'])} 天，设置 GOVSITE_COMPLIANCE['freshness']"
                     "['migration_grace_days']）只报警告，之后按正常规则检查，请在此之前发布新信息。</p>")
    if site.get("draft"):
        draft = site["draft"]
        parts.append("<h2>站点配置草稿（需人工审核）</h2>"
                     f"<p><code>{_e(site['site_toml'])}</code>：{_e(draft['action'] or '未写入')}。</p>")
        parts.append(_table("待填写或核对", ["项目"], [[_e(x)] for x in draft["todo"]]))
        parts.append(_table("校验问题", ["问题"], [[_e(x)] for x in draft["problems"]]))
    parts.append("<h2>栏目</h2>")
    parts.append(_table("栏目对应", ["新栏目", "名称", "类型", "原栏目", "文章数", "新建", "待核对"], [
        [f"<code>{_e(c['slug'])}</code>", _e(c["name"]), _e(c["type"]), _e("、".join(c["old_names"])),
         _e(c["pages"]), "是" if c["created"] else "否", _e("；".join(c["review"]))] for c in d["columns"]]))
    if d["unmapped_columns"]:
        parts.append(_table("未对应的原栏目（请在映射文件中指定）", ["原栏目", "页面数"],
                            [[_e(k), _e(v)] for k, v in d["unmapped_columns"].items()]))
    parts.append("<h2>需要编辑处理的问题</h2>")
    parts.append(_table("缺标题或发布日期的页面", ["源文件", "标题", "发布日期", "原因"], [
        [f"<code>{_e(p['source_path'])}</code>", _e(p["title"]), _e(p["pubdate"]), _e(p["reason"])]
        for p in content if not p["title"] or (p["kind"] == "article" and not p["pubdate"])]))
    parts.append(_table("缺替代文本（alt）的图片：请编辑补充，导入工具不会编造", ["页面", "输出文件", "图片"], [
        [f"<code>{_e(p['source_path'])}</code>", f"<code>{_e(p['output_path'])}</code>",
         "<br>".join(f"<code>{_e(u)}</code>" for u in p["images_missing_alt"])]
        for p in content if p["images_missing_alt"]]))
    parts.append(_table("源站内部死链", ["页面", "链接"], [
        [f"<code>{_e(p['source_path'])}</code>", "<br>".join(f"<code>{_e(u)}</code>" for u in p["broken_links"])]
        for p in content if p["broken_links"]]))
    parts.append(_table("删除的不安全地址（javascript:、data: 等；正文中的链接文字保留）",
                        ["页面", "元素", "属性", "地址", "原因"], [
        [f"<code>{_e(p['source_path'])}</code>", _e(d_["element"]), _e(d_["attribute"]),
         f"<code>{_e(d_['url'])}</code>", _e(d_["why"])] for p in content for d_ in p["dropped_urls"]]))
    low = sorted((p for p in content if p["chars_source"]), key=lambda p: p["chars_kept"] / p["chars_source"])
    parts.append(_table("正文保留比例最低的页面", ["页面", "源字数", "保留字数", "比例", "提取方式"], [
        [f"<code>{_e(p['source_path'])}</code>", _e(p["chars_source"]), _e(p["chars_kept"]),
         f"{p['chars_kept'] / p['chars_source']:.0%}", _e(p["extractor"])] for p in low[:30]
        if p["chars_kept"] < 0.9 * p["chars_source"]]))
    parts.append(_table("失败的页面", ["源文件", "原因"], [
        [f"<code>{_e(p['source_path'])}</code>", _e(p["reason"])] for p in pages if p["status"] == "failed"]))
    if d["notes"]:
        parts.append(_table("来源说明", ["说明"], [[_e(n)] for n in d["notes"]]))
    r = d.get("redirects") or {}
    if r:
        parts.append(f"<h2>旧地址跳转登记</h2><p><code>{_e(r.get('file'))}</code>：共 {_e(r.get('rows'))} 条，"
                     f"本次新增 {_e(r.get('added'))} 条。</p>")
        parts.append(_table("冲突（保留已有记录）", ["旧地址", "保留", "导入工具计算"], [
            [f"<code>{_e(c['old_url'])}</code>", _e(c["kept"]), _e(c["importer"])] for c in r.get("conflicts", [])]))
    parts.append("<h2>全部页面</h2>")
    parts.append(_table("页面", ["源文件", "状态", "类型", "标题", "发布日期", "来源", "栏目", "新地址", "说明"], [
        [f"<code>{_e(p['source_path'])}</code>", f'<span class="{_e(p["status"])}">'
         f'{_e(_STATUS_ZH.get(p["status"], p["status"]))}</span>', _e(_KIND_ZH.get(p["kind"], p["kind"])),
         _e(p["title"]), _e(p["pubdate"]), _e(p["content_source"]), _e(p["column"]), _e(p["new_path"]),
         _e(p["reason"])] for p in pages], limit=5000))
    parts.append("</main></body></html>\n")
    return "\n".join(parts)
