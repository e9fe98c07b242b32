"""Where a warm one-article publish spends its time: wall seconds of each stage, without a profiler.

    BENCH_OUT=/tmp/b10k python bench/publish_phases.py [--runs N]

Run after ``bench/build_group.py`` has built its group into the same ``BENCH_OUT`` (its ``full``
step). As the benchmark's ``publish`` step does, one article is changed and built in this process
(the untimed first save of a watch), then another, timed; the timed build's seconds are printed for
each Pelican generator step, each stage's receiver and the build's own steps (a profiler's
overhead, several times a Python call's cost, would misstate their shares). With ``--runs N``, N
articles are published one after another in the same process and the median of each figure is
printed (one run varies by about 0.3 s on a 2-core VM).
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SECONDS: defaultdict[str, float] = defaultdict(float)
CALLS: Counter = Counter()


def timed(label: str, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            SECONDS[label] += time.perf_counter() - started
            CALLS[label] += 1
    wrapper.timed = True
    return wrapper


def instrument() -> None:
    """Time Pelican's generators, the build's steps and (at each run) every stage's receivers."""
    import pelican
    import pelican.generators as generators

    from govsite import build, fingerprint, stages
    from govsite.archive import manifest

    for cls in (generators.ArticlesGenerator, generators.PagesGenerator, generators.StaticGenerator):
        for method in ("generate_context", "generate_output"):
            setattr(cls, method, timed(f"{cls.__name__}.{method}", getattr(cls, method)))
    for name in ("fingerprints_of", "keep_unchanged_times", "swap_into_place", "write_record", "identity_findings",
                 "output_links", "page_names", "remove_leftovers", "output_intact", "intact_files", "with_template_cache",
                 "load_group", "edits_since_last_build", "remember_inputs", "raise_deferred"):
        if hasattr(build, name):
            setattr(build, name, timed(f"build.{name}", getattr(build, name)))
    manifest.write_build_manifest = timed("manifest.write_build_manifest", manifest.write_build_manifest)
    from govsite import content_index, incremental, kept_folders
    from govsite.archive import staged_files
    for module, names in ((staged_files, ("walk_staged", "keep_times", "output_digest_of")),
                          (incremental, ("check_kept", "save_json", "load_json")),
                          (kept_folders, ("take_folders", "remove_empty_folders")),
                          (content_index, ("commit_results",))):
        for name in names:
            setattr(module, name, timed(f"{module.__name__.rpartition('.')[2]}.{name}", getattr(module, name)))
    fingerprint.output_digest = timed("fingerprint.output_digest", fingerprint.output_digest)
    run = pelican.Pelican.run

    def run_timing_stages(self):
        for signal, table in stages._receivers.items():
            for stage, receivers in table.items():
                table[stage] = [r if getattr(r, "timed", False) else timed(f"stage {stage} at {signal}: {r.__name__}", r)
                                for r in receivers]
        return run(self)
    pelican.Pelican.run = timed("Pelican.run", run_timing_stages)


def main() -> None:
    import bench.build_group as bench

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="publishes timed one after another (median printed)")
    runs = max(1, parser.parse_args().runs)
    instrument()
    bench.change_one_article(0.25)
    started = time.perf_counter()
    bench.watched_build()
    print(f"first save (untimed in the benchmark): {time.perf_counter() - started:.2f} s")
    totals, stages = [], defaultdict(list)
    for run in range(runs):
        SECONDS.clear()
        CALLS.clear()
        bench.change_one_article(0.75 if run == 0 else 0.3 + 0.6 * run / runs)
        started = time.perf_counter()
        figures, cleanup = bench.watched_build()
        totals.append(time.perf_counter() - started - cleanup)
        print(f"publish: {totals[-1]:.2f} s {figures}")
        for label, seconds in SECONDS.items():
            stages[label].append(seconds)
    if runs > 1:
        print(f"median of {runs}: {statistics.median(totals):.2f} s (range {min(totals):.2f}-{max(totals):.2f})")
    for label, seconds in sorted(stages.items(), key=lambda item: -statistics.median(item[1])):
        if statistics.median(seconds) >= 0.01:
            print(f"{statistics.median(seconds):8.3f} s {CALLS[label]:6d}x  {label}")


if __name__ == "__main__":
    main()
