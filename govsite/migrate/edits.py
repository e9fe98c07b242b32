"""The edits the first ``invoke build`` will demand of what the importer wrote, each with file and line.

The build refuses an image without a text alternative and a data table without header cells (the
gate's ``image-alt`` and ``table-has-header``: found here with the gate's own static rules on the
written Markdown, whose raw HTML keeps its line), a link to an old page outside the crawl (the link
check), a page drafted with a ``Todo:`` line (govsite.articles), and every problem of the draft
site.toml (govsite.registry), at the line of its field. An edit is a dict
``{file, line, rule, what, fix}`` (plus ``url`` or ``field``); the report lists them all.
"""

from __future__ import annotations

import re

from govsite.checks.html_page import Page
from govsite.checks.rules import load_rules

#: The gate rules an imported body can break: the importer keeps images without alt and tables as found.
BODY_RULES = {"image-alt": "图片没有替代文本（alt）", "table-has-header": "数据表格没有表头单元格（th）"}
OUTSIDE_FIX = "改为本站现有页面的链接，或删除链接只保留文字（旧网站的这个页面没有导入）"
TODO_FIX = "按 Todo 行的要求写好本页，然后删除 Todo 这一行（带 Todo 的页面不会发布）"
TOML_FIX = "填写或改正该值（删除行尾的 TODO 注释）"
_TABLE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_-]+)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


def edit(file: str, line: int, rule: str, what: str, fix: str, **extra) -> dict:
    return {"file": file, "line": line, "rule": rule, "what": what, "fix": fix, **extra}


def body_edits(file: str, text: str, outside: list[tuple[str, str]]) -> list[dict]:
    """The gate's and the link check's demands on one written content file; ``outside`` holds
    ``(old URL, URL as written)`` of the links to old pages that were not imported."""
    found: dict[tuple, dict] = {}
    markup = "<img" in text or "<table" in text or "role=" in text     # else neither rule can find anything
    page = Page(file, text.encode("utf-8")) if markup else None
    rules = load_rules()
    for rule_id, what in BODY_RULES.items() if markup else ():
        for element, _ in rules[rule_id].check(page):
            line = element.sourceline or 1
            found.setdefault((line, rule_id, ""), edit(file, line, rule_id, what, rules[rule_id].help))
    lines = text.splitlines()
    for old_url, written in outside:
        for number, line in enumerate(lines, 1):
            if f"({written})" in line or f'"{written}"' in line:
                found.setdefault((number, "link-outside-crawl", written), edit(
                    file, number, "link-outside-crawl", f"链接指向没有导入的旧网站页面 {old_url}", OUTSIDE_FIX,
                    url=written))
    return sorted(found.values(), key=lambda e: e["line"])


def todo_edits(file: str, text: str) -> list[dict]:
    """The ``Todo:`` line of a content file's header, if it has one."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            break
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == "todo":
            return [edit(file, number, "todo", value.strip(), TODO_FIX)]
    return []


def field_line(text: str, field: str) -> int:
    """The line of a registry field (``icp``, ``contact.phone``, ``columns[1].type``) in a TOML text;
    for a field that is not written, the line of its table, else the line after the last."""
    lines = text.splitlines()
    table, counts, table_lines = "", {}, {}
    for number, line in enumerate(lines, 1):
        if match := _TABLE.match(line):
            name = match.group(1)
            if line.lstrip().startswith("[["):
                counts[name] = counts.get(name, -1) + 1
                table = f"{name}[{counts[name]}]"
            else:
                table = name
            table_lines.setdefault(name, number)
            table_lines[table] = number
        elif match := _KEY.match(line):
            if (f"{table}.{match.group(1)}" if table else match.group(1)) == field:
                return number
    owner = field.rpartition(".")[0] or field
    return table_lines.get(owner) or table_lines.get(re.sub(r"\[\d+\]$", "", owner)) or len(lines) + 1


def toml_edits(file: str, text: str, problems) -> list[dict]:
    """One edit per registry problem of the draft site.toml (``problems``: govsite Problems)."""
    edits = []
    for problem in problems:
        line = field_line(text, problem.field) if problem.field and str(problem.file) == file else 1
        value = "（缺失）" if problem.value is None else repr(problem.value)
        edits.append(edit(str(problem.file), line, "site-toml", f"{problem.field} = {value}：应为 {problem.expected}",
                          TOML_FIX, field=problem.field))
    return edits
