"""The keyboard engine's own time per page, this checkout against another one, paired page by page.

    python bench/keyboard_paired.py --before DIR [--pages 20] [--rounds 2] [--modes normal,care,contrast]

DIR is another checkout (e.g. ``git worktree add /tmp/kb-before <commit>``). One Chromium session checks
the demo pages of bench/keyboard_speed.py; each page is loaded and checked by one engine, loaded again and
checked by the other (the order alternating from page to page), so both see the same machine load. The
engine's time is ``check_keys`` alone (axe and the page load are not in it), wall clock and CPU seconds of
the browser's processes and this one (what a loaded machine stretches, the CPU time less so). This checkout's engine keeps
its session memory (``KeyMemory``) from page to page, as the gate does.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govsite.checks import keyboard_engine as after  # noqa: E402
from govsite.checks.axe_engine import PageServer  # noqa: E402
from govsite.checks.browser import quit_chromium, start_chromium  # noqa: E402
from govsite.checks.static_engine import list_pages  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from keyboard_speed import demo  # noqa: E402


def other_engine(checkout: Path):
    """The keyboard engine of another checkout, imported as the package ``govsite_before``."""
    link = Path(tempfile.mkdtemp(prefix="govsite-before-")) / "govsite_before"
    link.symlink_to(checkout.resolve() / "govsite")
    sys.path.insert(0, str(link.parent))
    return importlib.import_module("govsite_before.checks.keyboard_engine")


def browser_cpu(driver) -> float:
    """CPU seconds used so far by the session's chromedriver and browser processes (their own Unix session)."""
    session, total = driver._govsite_process.pid, 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # field 6 of stat, counted after the command name
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--modes", default="normal,care,contrast")
    args = parser.parse_args()
    before = other_engine(args.before)
    modes = tuple(args.modes.split(","))
    root = demo()
    files = list_pages(root)
    sample = [f.relative_to(root).as_posix() for f in files[:: max(1, len(files) // args.pages)]][:args.pages]
    times: dict[str, list[float]] = {"before": [], "after": []}
    cpu: dict[str, list[float]] = {"before": [], "after": []}
    found: dict[str, int] = {"before": 0, "after": 0}
    loads = [os.getloadavg()[0]]
    memory = after.KeyMemory()
    driver = start_chromium()
    try:
        with PageServer(root) as server:
            for round_ in range(args.rounds):
                for index, page in enumerate(sample):
                    order = ("before", "after") if (index + round_) % 2 == 0 else ("after", "before")
                    for name in order:
                        url = server.url(page)
                        driver.get(url)
                        started, used = time.perf_counter(), browser_cpu(driver) + time.process_time()
                        if name == "before":
                            check = before.check_keys(driver, url, modes, 60, 0)
                        else:
                            check = after.check_keys(driver, url, modes, 60, 0, memory=memory)
                        times[name].append(time.perf_counter() - started)
                        cpu[name].append(browser_cpu(driver) + time.process_time() - used)
                        found[name] += len(check.issues) + len(check.errors)
                        for issue in check.issues:
                            print(f"  {name} {page}: {issue.kind} {issue.rule} [{issue.mode}] {issue.target}: "
                                  f"{issue.message[:120]}")
                        for step, why, mode in check.errors:
                            print(f"  {name} {page}: engine error in {step} [{mode}]: {why[:120]}")
                loads.append(os.getloadavg()[0])
    finally:
        memory.close()
        quit_chromium(driver)
    for name in ("before", "after"):
        values = times[name]
        print(f"{name:6}: mean {statistics.mean(values):.3f} s/page, median {statistics.median(values):.3f}; CPU (browser "
              f"and this process) mean {statistics.mean(cpu[name]):.3f} s/page ({len(values)} checks, {found[name]} "
              "issues or errors)")
    pairs = [a - b for a, b in zip(times["after"], times["before"])]
    print(f"after - before: mean {statistics.mean(pairs):+.3f} s/page, median {statistics.median(pairs):+.3f} "
          f"({len(sample)} pages x {args.rounds} rounds, modes {args.modes}; load average "
          + " -> ".join(f"{v:.1f}" for v in loads) + ")")


if __name__ == "__main__":
    main()
