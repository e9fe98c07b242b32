"""Time the publishing-compliance rules on a synthetic site: ``python bench/compliance_speed.py --articles N``.

Generates N Chinese articles (~2 kB of body each, a phone number in every tenth, a lexicon error in every
hundredth) over the demo portal's columns and times ``compliance.run.check_site`` (git look-ups off) and
masking, without Pelican. Figures go to bench/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govsite.compliance.config import load_config, site_facts  # noqa: E402
from govsite.compliance.items import Item  # noqa: E402
from govsite.compliance.privacy import mask  # noqa: E402
from govsite.compliance.run import check_site  # noqa: E402
from govsite.registry import load_group  # noqa: E402

PARAGRAPH = ("霁川市持续深化政务公开，围绕稳就业、优化营商环境、老旧小区改造等重点工作，及时发布政策文件和解读，"
             "回应群众关切，推动各项政策落地见效。")


def articles(site, count: int) -> list[Item]:
    rng = random.Random(7)
    zone = ZoneInfo("Asia/Shanghai")
    start = datetime(2026, 11, 27, 9, tzinfo=zone)
    items = []
    for n in range(count):
        column = site.columns[n % len(site.columns)]
        body = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(12))
        if n % 10 == 0:
            body += f"<p>联系电话：139{rng.randrange(10**8):08d}</p>"
        if n % 100 == 0:
            body += "<p>中华人民共合国</p>"
        items.append(Item(f"articles/{n}.md", f"a{n}", f"第{n}号信息", column.slug, column.type,
                          start - timedelta(hours=n), body=body, summary=PARAGRAPH, author="甲", reviewer="乙",
                          source=site.organizer))
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    args = parser.parse_args()
    site = load_group(Path(__file__).resolve().parent.parent / "content").get("portal")
    items = articles(site, args.articles)
    size = sum(len(i.body) for i in items)
    now = datetime(2026, 11, 27, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
    started = time.perf_counter()
    run = check_site(site, items, load_config(None), site_facts(site, now.date()), now, git=False)
    checked = time.perf_counter() - started
    started = time.perf_counter()
    for item in items:
        if item.file in run.masks:
            mask(item.body, run.masks[item.file]["body"])
    masked = time.perf_counter() - started
    print(f"{args.articles} articles, {size / 1e6:.1f} MB of body text: rules {checked:.2f} s "
          f"({args.articles / checked:,.0f} articles/s), {len(run.findings)} findings, "
          f"masking {len(run.masks)} articles {masked * 1000:.0f} ms")


if __name__ == "__main__":
    main()
