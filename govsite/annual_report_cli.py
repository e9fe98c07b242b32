"""``invoke annual-report --site ID --year YYYY``: the yearly report as CSV and HTML in reports/<domain>/."""

from __future__ import annotations

from html import escape
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .annual_report import build_report, display
from .compliance.config import load_config
from .errors import GovsiteError, UsageError
from .registry import load_group
from .settings import platform_settings


def run(content: str, site_id: str, year: int, reports: str = "reports") -> int:
    """Write ``annual-report-<year>.csv`` and ``.html``; exit 1 on a bad data file, 2 on bad usage."""
    out, err = Console(highlight=False), Console(stderr=True, highlight=False)
    try:
        group = load_group(content)
        site = group.get(site_id)
        if site is None:
            raise UsageError(f"no site {site_id!r} in {content}; sites: " + ", ".join(group.sites))
        report = build_report(site, group, int(year), compliance=load_config(platform_settings().get("GOVSITE_COMPLIANCE")))
    except GovsiteError as exc:
        err.print(f"error: {exc}", markup=False, soft_wrap=True)
        return exc.exit_code
    folder = Path(reports) / site.domain
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"annual-report-{year}.csv").write_text("\ufeff" + report.csv_text(), "utf-8")  # BOM: Excel reads UTF-8
    (folder / f"annual-report-{year}.html").write_text(
        f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{escape(site.name)}{year}年度政府网站"
        f"工作报表</title></head><body><main><h1>{escape(site.name)}{year}年度政府网站工作报表</h1>"
        f"{report.html_fragment()}</main></body></html>", "utf-8")
    table = Table("部分", "指标", "数值", "来源", title=f"{site.name} {year} 年度政府网站工作报表")
    for row in report.rows:
        table.add_row(row.section, row.label, display(row.value), row.origin)
    out.print(table)
    if not report.data_file.is_file():
        out.print(f"no yearly data file {report.data_file}: every field not computed from the content is 未填报",
                  markup=False)
    out.print(f"{len(report.missing)} field(s) not filled in; written: {folder / f'annual-report-{year}.csv'} "
              f"and .html", markup=False)
    return 0
