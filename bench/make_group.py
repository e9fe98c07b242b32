"""Generate a synthetic site group (one portal + N departments, M articles each) for benchmarks."""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

COLUMNS = [("news", "工作动态", "要闻动态"), ("notices", "通知公告", "通知公告"), ("policies", "政策文件", "政策文件"),
           ("explain", "政策解读", "政策解读"), ("services", "办事服务", "办事服务")]
WORDS = "推进 落实 加强 完善 服务 群众 企业 改革 发展 安全 生态 教育 医疗 就业 项目 政策 会议 部署 工作 建设".split()
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><title>{name}</title><circle cx="32" cy="32" r="30" fill="#9b1c1c"/></svg>\n'


def site_toml(index: int, sites: int) -> str:
    portal = index == 0
    name = "样例市人民政府" if portal else f"样例市第{index}局"
    lines = [
        f'kind = "{"portal" if portal else "department"}"',
        *([] if portal else ['parent = "s000"']),
        f'name = "{name}"', f'organizer = "{"样例市人民政府办公室" if portal else name}"',
        'operator = "样例市信息中心"',
        f'domain = "{"www" if portal else f"d{index:03d}"}.yangli.gov.cn"',
        f'site_code = "99990{index:05d}"', f'icp = "宁ICP备99970001号-{index + 1}"',
        f'police_filing = "宁公网安备 99990002{index:06d}号"', 'logo = "images/logo.svg"', "",
        "[contact]", 'phone = "0999-1234567"', 'email = "office@yangli.gov.cn"', 'address = "样例市中心路1号"', "",
    ]
    for slug, col_name, col_type in COLUMNS:
        lines += ["[[columns]]", f'slug = "{slug}"', f'name = "{col_name}"', f'type = "{col_type}"',
                  f'description = "{col_name}栏目。"', ""]
    return "\n".join(lines)


def article(rng: random.Random, number: int, when: datetime, column: str) -> str:
    title = "样例市" + "".join(rng.choice(WORDS) for _ in range(6)) + f"（第{number}号）"
    paragraphs = ["".join(rng.choice(WORDS) for _ in range(rng.randint(40, 120))) + "。" for _ in range(6)]
    return (f"Title: {title}\nDate: {when:%Y-%m-%d %H:%M}\nCategory: {column}\nSource: 样例市人民政府办公室\n"
            f"Author: 编辑{number % 7}\nReviewer: 审核{number % 5}\nSummary: {paragraphs[0][:60]}\n"
            f"Keywords: {rng.choice(WORDS)}, {rng.choice(WORDS)}\n\n## 基本情况\n\n" + "\n\n".join(paragraphs) + "\n")


def make_group(root: Path, sites: int, articles: int, seed: int = 1) -> Path:
    """Write the group under ``root`` (replacing it) and return it."""
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, 9, 0)
    for index in range(sites):
        folder = root / f"s{index:03d}"
        (folder / "images").mkdir(parents=True)
        (folder / "site.toml").write_text(site_toml(index, sites), "utf-8")
        (folder / "images" / "logo.svg").write_text(LOGO.format(name=f"site {index}"), "utf-8")
        for number in range(articles):
            column = COLUMNS[number % len(COLUMNS)][0]
            path = folder / "articles" / column / f"a{number:05d}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(article(rng, number, start + timedelta(hours=number * 3), column), "utf-8")
    return root


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--sites", type=int, default=4)
    parser.add_argument("--articles", type=int, default=500)
    args = parser.parse_args()
    make_group(args.root, args.sites, args.articles)
    print(f"wrote {args.sites} sites x {args.articles} articles to {args.root}")
