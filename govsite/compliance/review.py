"""Review separation (权限分离, 严格审校) and reprints (转载注明来源和原文链接)."""

from __future__ import annotations

from .findings import Finding
from .items import Item


def own_sources(site, extra=()) -> frozenset[str]:
    """Sources that are the site itself: its name, its organizer, and the configured own sources."""
    return frozenset({site.name, site.organizer, *extra})


def check_review(items: list[Item], own: frozenset[str], reviewer_level: str = "error",
                 reprint_level: str = "error") -> list[Finding]:
    """Every article has an Author and a different Reviewer; a reprint names its source and original URL."""
    findings = []
    for item in items:
        if item.generated:
            continue
        if reviewer_level != "off":
            if not item.author or not item.reviewer:
                missing = "、".join(k for k, v in (("Author", item.author), ("Reviewer", item.reviewer)) if not v)
                findings.append(Finding("review", "author-reviewer", reviewer_level, item.file,
                                        f"缺少 {missing}（撰稿人、审核人）",
                                        "在文章元数据中填写 Author: 撰稿人 和 Reviewer: 审核人（两人不同）"))
            elif item.author.strip() == item.reviewer.strip():
                findings.append(Finding("review", "same-person", reviewer_level, item.file,
                                        f"撰稿人与审核人是同一人（{item.author}）",
                                        "由另一名工作人员审核后，把其姓名填入 Reviewer"))
        if reprint_level != "off" and item.source and item.source not in own and not item.original_url:
            findings.append(Finding("review", "reprint", reprint_level, item.file,
                                    f"转载自“{item.source}”，未注明原文链接",
                                    "填写 OriginalURL: 原文网址；若来源是本单位，把它加入 site.toml "
                                    "[compliance] own_sources"))
    return findings
