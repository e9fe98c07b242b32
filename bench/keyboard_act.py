"""Run the keyboard engine on the W3C ACT Rules test cases of the rules it covers and print, per
ACT rule, failed cases caught and passed / inapplicable cases flagged (a Markdown table).

    python bench/keyboard_act.py [--all]   (GOVSITE_ACT_SUITE=DIR for a suite elsewhere)

``--all`` runs the engine on every case of the suite and also counts, per rule of ours, the pages
ACT expects to pass (or finds inapplicable) for any of its rules on which that rule reports a violation.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govsite.checks import conformance  # noqa: E402
from govsite.checks.axe_engine import run_axe_pages  # noqa: E402
from govsite.checks.conformance import PREFIX, load_cases  # noqa: E402
from govsite.checks.policy import load_policy  # noqa: E402

#: The suite next to the checkout (``../shared/conformance/act-rules``), or $GOVSITE_ACT_SUITE (from a worktree).
SUITE = Path(os.environ.get("GOVSITE_ACT_SUITE", conformance.SUITE))

#: ACT rule -> the keyboard engine's rules that decide it.
MAPPING = {
    "80af7b": ("keyboard-trap",),
    "oj04fd": ("focus-visible",),
    "59br37": ("resize-text",),
    "b33eff": ("orientation",),
    "ffbc54": ("character-key-shortcut",),
}


def main() -> None:
    every = "--all" in sys.argv[1:]  # every case of the suite: which of our rules fire on pages ACT expects to pass
    started = time.perf_counter()
    cases = [c for c in load_cases(SUITE) if every or c["ruleId"] in MAPPING]
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
    if every:
        clean = [c for c in cases if c["expected"] != "failed"]
        fired: dict[str, int] = {}
        for case in clean:
            for rule in flagged.get(case["relativePath"], ()):
                fired[rule] = fired.get(rule, 0) + 1
        print(f"\nOver all {len(clean)} passed and inapplicable cases of the suite, pages with a violation of: "
              + (", ".join(f"{rule} {n}" for rule, n in sorted(fired.items())) or "none"))
    errors = [f for f in result.findings if f.rule == "engine-error"]
    causes: dict[str, int] = {}
    for error in errors:
        cause = error.message.split(":")[0] + ": " + error.message.split(":", 1)[-1].strip()[:90]
        causes[cause] = causes.get(cause, 0) + 1
    for cause, n in sorted(causes.items(), key=lambda i: -i[1])[:12]:
        print(f"<!-- engine-error x{n}: {cause} -->")
    print(f"\n({len(pages)} pages, {len(errors)} engine errors, {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
