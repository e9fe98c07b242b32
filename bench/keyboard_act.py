"""Run the keyboard engine on the W3C ACT Rules test cases of the rules it covers and print, per
ACT rule, failed cases caught and passed / inapplicable cases flagged (a Markdown table).

    python bench/keyboard_act.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checks.conformance import PREFIX, load_cases  # noqa: E402

SUITE = Path("/work/shared/conformance/act-rules") if Path("/work/shared").is_dir() else Path(__file__).resolve().parents[3] / "shared" / "conformance" / "act-rules"
from checks.axe_engine import run_axe_pages  # noqa: E402
from checks.policy import load_policy  # noqa: E402

#: ACT rule -> the keyboard engine's rules that decide it.
MAPPING = {
    "80af7b": ("keyboard-trap",),
    "oj04fd": ("focus-visible",),
    "59br37": ("resize-text",),
    "b33eff": ("orientation",),
    "ffbc54": (),  # character key shortcuts (2.1.4): not checked
}


def main() -> None:
    started = time.perf_counter()
    cases = [c for c in load_cases(SUITE) if c["ruleId"] in MAPPING]
    with tempfile.TemporaryDirectory(prefix="govsite-act-keys-") as temporary:
        root = Path(temporary)
        (root / PREFIX).mkdir(parents=True)
        for name in ("testcases", "test-assets"):
            (root / PREFIX / name).symlink_to(SUITE / name)
        policy = load_policy({"engine": "keyboard", "modes": ["normal"], "pages": "all", "page_timeout": 20,
                              "screenshots": 0})
        pages = sorted({(PREFIX / c["relativePath"]).as_posix() for c in cases})
        result = run_axe_pages(root, pages, policy)
    flagged: dict[str, set[str]] = {}
    for finding in result.findings:
        if finding.kind == "violation":
            flagged.setdefault(finding.page.removeprefix(PREFIX.as_posix() + "/"), set()).add(finding.rule)
    print("| ACT rule | name | failed cases caught | passed cases flagged | inapplicable cases flagged |")
    print("|---|---|---|---|---|")
    for rule, ours in MAPPING.items():
        mine = [c for c in cases if c["ruleId"] == rule]
        count = {k: [c for c in mine if c["expected"] == k] for k in ("failed", "passed", "inapplicable")}
        hit = lambda c: bool(flagged.get(c["relativePath"], set()) & set(ours))  # noqa: E731
        cells = [f"{sum(map(hit, count[k]))}/{len(count[k])}" for k in ("failed", "passed", "inapplicable")]
        print(f"| {rule} | {mine[0]['ruleName']} | " + " | ".join(cells) + " |")
        for c in mine:
            if hit(c) != (c["expected"] == "failed"):
                print(f"<!-- {c['expected']} {c['relativePath']}: {sorted(flagged.get(c['relativePath'], []))} -->")
    errors = [f for f in result.findings if f.rule == "engine-error"]
    print(f"\n({len(pages)} pages, {len(errors)} engine errors, {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
