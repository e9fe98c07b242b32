"""Score the gate's axe and static engines on one of axe-core's own rule fixtures.

    python bench/axe_fixture.py FIXTURE.html FIXTURE.json

axe-core's integration fixtures (``test/integration/rules/<rule>/<rule>.{html,json}`` in a checkout of
the axe-core repository; not shipped in its npm package, not copied here) list, for one rule, the
nodes that must be violations, passes and incomplete. The page is checked by the gate (axe-core with
its post-filters in Chromium, then the static rule of the same name, if there is one), and the script
prints, per engine: violations caught, expected passes flagged, and the nodes found for review.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govsite.checks.gate import run_gate  # noqa: E402
from govsite.checks.policy import load_policy  # noqa: E402


def node_of(target: str) -> str:
    """The fixture's selector a finding's target names (fixtures select nodes by id)."""
    return target.split(" > ")[-1].split(" ")[0]


def main(html: Path, expected_file: Path) -> None:
    expected = json.loads(expected_file.read_text("utf-8"))
    rule = expected["rule"]
    kind_of = {sel[-1]: kind for kind in ("violations", "passes", "incomplete") for sel in expected.get(kind, [])}
    with tempfile.TemporaryDirectory(prefix="govsite-axe-fixture-") as folder:
        site = Path(folder) / "site"
        site.mkdir()
        text = html.read_text("utf-8")
        if "<html" not in text:  # fixtures are body fragments
            text = f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{rule}</title></head><body>{text}</body></html>'
        (site / "index.html").write_text(text, "utf-8")
        for engine in ("axe", "static"):
            policy = load_policy({"engine": engine, "modes": ["normal"], "pages": "all", "workers": 1, "wcag": "2.1"})
            result = run_gate(site, policy)
            found = {"violation": set(), "incomplete": set()}
            for finding in result.findings:
                if finding.rule == rule:
                    found[finding.kind].add(node_of(finding.target))
            caught = len([s for s in found["violation"] if kind_of.get(s) == "violations"])
            flagged = sorted(s for s in found["violation"] if kind_of.get(s) == "passes")
            missed = sorted(s for s, k in kind_of.items() if k == "violations" and s not in found["violation"])
            print(f"{engine:6} {rule}: violations caught {caught}/{len(expected.get('violations', []))}, "
                  f"passes flagged {len(flagged)}/{len(expected.get('passes', []))}, for review {len(found['incomplete'])}"
                  f" (expected incomplete {len(expected.get('incomplete', []))})")
            if flagged:
                print("       passes flagged:", " ".join(flagged))
            if missed:
                print("       violations missed:", " ".join(missed))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
