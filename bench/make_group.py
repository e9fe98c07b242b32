"""Generate a realistic synthetic site group for benchmarks: one portal + N-1 departments, M Chinese
articles each, every column type, lead images with text alternatives, about/contact pages.

    python bench/make_group.py ROOT [--sites 4] [--articles 500]
"""

from __future__ import annotations

import argparse
import random
import shutil
import struct
import zlib
from datetime import datetime, timedelta
from pathlib import Path

#: One column per column type (govsite/vocabulary.py: COLUMN_TYPES), in navigation order.
COLUMNS = [("news", "工作动态", "要闻动态"), ("notices", "通知公告", "通知公告"), ("policies", "政策文件", "政策文件"),
           ("explain", "政策解读", "政策解读"), ("personnel", "人事信息", "人事信息"), ("plans", "规划计划", "规划计划"),
           ("about-us", "机构概况", "机构概况"), ("services", "办事服务", "办事服务"),
           ("interact", "互动交流", "互动交流"), ("topics", "专题专栏", "专题专栏"),
           ("open", "信息公开", "信息公开"), ("data", "数据发布", "数据发布")]
#: Most articles are news, notices and policies, as on real sites (weights per column above).
WEIGHTS = [30, 15, 12, 8, 4, 3, 1, 8, 6, 5, 5, 3]
WORDS = ("推进 落实 加强 完善 服务 群众 企业 改革 发展 安全 生态 教育 医疗 就业 项目 政策 会议 部署 工作 建设 营商环境 "
         "乡村振兴 数字政府 一网通办 民生实事 基层治理 高质量 公共服务 社会保障 城市更新 绿色低碳 应急管理").split()
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><title>{name}</title><circle cx="32" cy="32" r="30" fill="#9b1c1c"/></svg>\n'
END = datetime(2026, 11, 26, 9, 0)
IMAGES = 8  # lead images per site; about one article in six has one


def png(seed: int, size: int = 48) -> bytes:
    """A small real PNG (a solid colour), so the logo/image sniffing and static copying are exercised."""
    colour = bytes([(seed * 53) % 256, (seed * 97) % 256, (seed * 31) % 256])
    raw = b"".join(b"\x00" + colour * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def site_toml(index: int) -> str:
    portal = index == 0
    name = "样例市人民政府" if portal else f"样例市第{index}局"
    lines = [
        f'kind = "{"portal" if portal else "department"}"',
        *([] if portal else ['parent = "s000"']),
        f'name = "{name}"', f'organizer = "{organizer(index)}"',
        'operator = "样例市信息中心"',
        f'domain = "{"www" if portal else f"d{index:03d}"}.yangli.gov.cn"',
        f'site_code = "99990{index:05d}"', f'icp = "宁ICP备99970001号-{index + 1}"',
        f'police_filing = "宁公网安备 99990002{index:06d}号"', 'logo = "images/logo.svg"',
        f'description = "{name}网站：政务公开、政务服务、互动交流。"', "",
        "[contact]", 'phone = "0999-1234567"', 'email = "office@yangli.gov.cn"', 'address = "样例市中心路1号"',
        'postcode = "999000"', "",
    ]
    for slug, col_name, col_type in COLUMNS:
        lines += ["[[columns]]", f'slug = "{slug}"', f'name = "{col_name}"', f'type = "{col_type}"',
                  f'description = "{col_name}栏目。"', ""]
    return "\n".join(lines)


def sentence(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def organizer(index: int) -> str:
    return "样例市人民政府办公室" if index == 0 else f"样例市第{index}局"


def article(rng: random.Random, number: int, when: datetime, column: str, source: str, policy: str = "") -> str:
    """One article in the platform's metadata (Title, Date, Category, Source, Author, Reviewer, ...)."""
    title = "样例市" + sentence(rng, 5, 7) + f"（第{number}号）"
    paragraphs = [sentence(rng, 40, 120) + "。" for _ in range(rng.randint(4, 8))]
    head = (f"Title: {title}\nDate: {when:%Y-%m-%d %H:%M}\nCategory: {column}\nSource: {source}\n"
            f"Author: 编辑{number % 7}\nReviewer: 审核{number % 5}\nSummary: {paragraphs[0][:60]}\n"
            f"Keywords: {rng.choice(WORDS)}, {rng.choice(WORDS)}\n")
    if column == "policies":
        head += f"Issued: {when - timedelta(days=3):%Y-%m-%d}\n"
    if policy:  # every policy document has an interpretation (政策解读) published with it
        head += f"Policy: {policy}\n"
    if number % 6 == 0:
        head += f"Image: images/photo{number % IMAGES}.png\nImageAlt: {sentence(rng, 3, 5)}现场照片\n"
    body = (f"## 基本情况\n\n{paragraphs[0]}\n\n{paragraphs[1]}\n\n## 主要内容\n\n"
            + "\n".join(f"{i}. {sentence(rng, 8, 20)}。" for i in range(1, 4)) + "\n\n" + "\n\n".join(paragraphs[2:]))
    if number % 9 == 0:
        body += "\n\n| 项目 | 数量 | 说明 |\n|---|---|---|\n" + "".join(
            f"| {rng.choice(WORDS)} | {rng.randint(1, 999)} | {sentence(rng, 2, 4)} |\n" for _ in range(4))
    return head + "\n" + body + "\n"


def page(title: str, slug: str, text: str) -> str:
    return f"Title: {title}\nSlug: {slug}\nSummary: {text[:60]}\n\n## {title}\n\n{text}\n"


def make_group(root: Path, sites: int, articles: int, seed: int = 1) -> Path:
    """Write the group under ``root`` (replacing it) and return it."""
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    step = timedelta(minutes=max(1, (6 * 365 * 24 * 60) // max(articles, 1)))  # spread over six years
    start = END - step * max(articles - 1, 0)  # the newest article the day before the bench's build day
    columns = rng.choices([c[0] for c in COLUMNS], weights=WEIGHTS, k=articles)
    columns[:len(COLUMNS)] = [c[0] for c in COLUMNS][:articles]  # every column has articles
    policies = {}  # explain article number -> the policy it interprets (the one just before it)
    for number in range(articles - 1):
        if columns[number] == "policies" and number not in policies:
            columns[number + 1] = "explain"
            policies[number + 1] = f"a{number:05d}"
    if columns[-1] == "policies":
        columns[-1] = "news"
    for index in range(sites):
        folder = root / f"s{index:03d}"
        (folder / "images").mkdir(parents=True)
        (folder / "pages").mkdir()
        (folder / "site.toml").write_text(site_toml(index), "utf-8")
        (folder / "images" / "logo.svg").write_text(LOGO.format(name=f"site {index}"), "utf-8")
        for number in range(IMAGES):
            (folder / "images" / f"photo{number}.png").write_bytes(png(index * IMAGES + number))
        (folder / "pages" / "about.md").write_text(page("关于本站", "about", sentence(rng, 60, 90) + "。"), "utf-8")
        (folder / "pages" / "contact.md").write_text(page("联系我们", "contact", sentence(rng, 30, 40) + "。"), "utf-8")
        for number in range(articles):
            column = columns[number]
            path = folder / "articles" / column / f"a{number:05d}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(article(rng, number, start + step * number, column, organizer(index),
                                           policies.get(number, "")), "utf-8")
    return root


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--sites", type=int, default=4)
    parser.add_argument("--articles", type=int, default=500)
    args = parser.parse_args()
    make_group(args.root, args.sites, args.articles)
    print(f"wrote {args.sites} sites x {args.articles} articles to {args.root}")
