"""Search speed and recall in headless Chromium on a large site: 50 queries drawn from its own text.

    python bench/search_query_speed.py [--site DIR] [--parts 1000] [--queries 50] [--seed 1]

Takes a built site (default: the generated 10,000-article site of ``bench/search_speed.py --keep``,
else the first site of ``bench/build_group.py``), makes a copy per part size (pages hard-linked, the
theme's current search scripts) indexed as the build does, serves it over loopback
(``govsite.serve``) and:

- draws the queries (seeded) from the indexed text: 2-6 character pieces of words, names (the
  sources' organisation names, 4-6 characters) and numbers with units (``123号``, ``2026年``);
- recall: for each query the search worker's literal results against the pages whose text
  contains it (the same normalisation; computed here from the index's stored texts);
- speed: on the search page with the index loaded (a first search done, so every part's page list
  is in), each query typed into the form and submitted (no reload), timed in the page from submit
  to results shown, twice: first pass (each gram's postings fetched when first needed, empty HTTP
  cache) and second pass (all in the worker's memory). Median, 95th percentile and maximum.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govsite.checks.browser import quit_chromium, start_chromium  # noqa: E402
from govsite.search import BUNDLE, SearchSettings, index_site, read_stamp  # noqa: E402
from govsite.search_text import normalise  # noqa: E402
from govsite.serve import make_server  # noqa: E402

WORK = ROOT / "bench" / "out" / "search-query"
#: Submit the search form with arguments[0] and resolve with the milliseconds until results are shown.
TIMED_SUBMIT = """
const [query, done] = arguments;
const root = document.querySelector("[data-search-page]");
const input = root.querySelector("[data-search-input]");
const observer = new MutationObserver(() => {
  const state = root.dataset.searchState;
  if (state === "done" || state === "error") {
    observer.disconnect();
    done(state === "done" ? performance.now() - started : "error");
  }
});
input.value = query;
const started = performance.now();
root.setAttribute("data-search-state", "submitting");
observer.observe(root, {attributes: true, attributeFilter: ["data-search-state"]});
root.querySelector("[data-search-form]").requestSubmit();
"""
#: Run the worker itself on every query: per query the URL paths of its literal results (also the recall
#: test's, tests/test_search_browser.py).
LITERAL_RESULTS = """
const [workerUrl, bundle, queries, done] = arguments;
const worker = new Worker(workerUrl, {type: "module"});
let next = 1;
const ask = (message) => new Promise((resolve, reject) => {
  message.id = next++;
  const listen = (event) => {
    if (event.data.id !== message.id) return;
    worker.removeEventListener("message", listen);
    event.data.ok ? resolve(event.data) : reject(new Error(event.data.error));
  };
  worker.addEventListener("message", listen);
  worker.postMessage(message);
});
(async () => {
  const out = [];
  for (const query of queries) {
    const reply = await ask({type: "search", config: {bundle, group: [], lowResults: 0}, scope: "site", query});
    const page = await ask({type: "page", list: "full", from: 0, count: reply.summary.full, excerpts: false});
    out.push(page.items.filter((item) => item.exact).map((item) => new URL(item.url).pathname));
  }
  worker.terminate();
  return out;
})().then(done, (error) => done("error: " + error));
"""


def default_site() -> Path | None:
    for output in (ROOT / "bench/out/search/output", ROOT / "bench/out/build/output"):
        found = sorted(p for p in output.glob("*") if p.is_dir() and not p.name.startswith("."))
        if found:
            return found[0]
    return None


def site_copy(site: Path, part_pages: int) -> Path:
    """A copy of ``site`` (links) with the current search scripts, indexed in parts of ``part_pages``."""
    copy = WORK / f"parts-{part_pages}" / site.name
    if copy.parent.exists():
        shutil.rmtree(copy.parent)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(BUNDLE, "pagefind"), copy_function=os.link)
    for script in ("search.js", "search-worker.js"):  # the search code as it is now, not as built
        target = copy / "theme" / "js" / script
        target.unlink()  # a link to the built site's file: replaced, never written through
        shutil.copy2(ROOT / "govsite" / "theme" / "static" / "js" / script, target)
    index_site(copy, SearchSettings.of({"part_pages": part_pages}))
    return copy


def indexed_texts(bundle: Path) -> dict[str, str]:
    """{page path: normalised text} of every page of the index (all parts)."""
    texts = {}
    for directory in ["", *read_stamp(bundle)["parts"]]:
        index = json.loads((bundle / directory / "pages.json").read_text("utf-8"))
        chunks: dict[int, list] = {}
        for number, row in enumerate(index["pages"]):
            chunk = number // index["chunk"]
            if chunk not in chunks:
                chunks[chunk] = json.loads((bundle / directory / "t" / f"{chunk}.json").read_text("utf-8"))
            texts[row[0]] = normalise(chunks[chunk][number % index["chunk"]])
    return texts


def draw_queries(texts: dict[str, str], count: int, seed: int) -> list[tuple[str, str]]:
    """(kind, query), distinct: 60% pieces of 2-6 characters of words, 20% names (3-6 characters of
    the sources' organisation names, and the authors and reviewers: the generated text has no
    personal names), 20% numbers with units (``219号``, ``2026年``)."""
    rng = random.Random(seed)
    pages = sorted(texts)
    queries: list[tuple[str, str]] = []
    for _ in range(1000 * count):
        if len(queries) == count:
            return queries
        kind = ("word", "word", "word", "name", "number")[len(queries) % 5]
        text = texts[rng.choice(pages)]
        if kind == "word":
            words = [w for w in text.split() if len(w) >= 2]
            word = rng.choice(words)
            size = rng.randint(2, min(6, len(word)))
            start = rng.randrange(len(word) - size + 1)
            query = word[start:start + size]
        elif kind == "name":
            found = re.search(r"来源(\S+?)作者(\S+) 审核(\S+)", text)
            if not found:
                continue
            organisation, author, reviewer = found.groups()
            name = rng.choice([organisation, organisation, author, reviewer])
            size = rng.randint(min(3, len(name)), min(6, len(name)))
            start = rng.randrange(len(name) - size + 1)
            query = name[start:start + size]
        else:
            numbers = re.findall(r"\d+(?:\.\d+)?[号年月日个万元项次]", text)
            if not numbers:
                continue
            query = rng.choice(numbers)
        if (kind, query) not in queries:
            queries.append((kind, query))
    raise SystemExit(f"could not draw {count} distinct queries from the site's text")


def nearest_rank(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summary(label: str, times: list[float]) -> str:
    return (f"{label}: median {statistics.median(times):.0f} ms, p95 {nearest_rank(times, 0.95):.0f} ms, "
            f"max {max(times):.0f} ms")


def wait_done(driver, seconds: float = 120) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        state = driver.execute_script("const r = document.querySelector('[data-search-page]'); "
                                      "return r ? r.dataset.searchState : ''")
        if state in ("done", "error"):
            if state == "error":
                raise SystemExit("the search page reported an error")
            return time.perf_counter() - started
        time.sleep(0.01)
    raise SystemExit(f"search did not finish in {seconds} s")


def run(driver, copy: Path, queries: list[tuple[str, str]]) -> None:
    bundle = copy / BUNDLE
    texts = indexed_texts(bundle)
    server = make_server(copy.parent, port=0)  # the site by path: /<domain>/...
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/{copy.name}"
    try:
        driver.set_script_timeout(600)
        driver.get(f"{base}/search.html")
        found = driver.execute_async_script(LITERAL_RESULTS, f"{base}/theme/js/search-worker.js", f"{base}/{BUNDLE}/",
                                            [q for _, q in queries])
        if not isinstance(found, list):
            raise SystemExit(f"the worker failed: {found}")
        expected_total = hits = wrong = 0
        for (kind, query), urls in zip(queries, found):
            expected = {f"/{copy.name}/{path}" for path, text in texts.items() if query in text}
            expected_total += len(expected)
            hits += len(expected & set(urls))
            wrong += len(set(urls) - expected)
            if set(urls) != expected:
                print(f"  recall miss: {kind} {query!r}: {len(expected & set(urls))} of {len(expected)}, "
                      f"{len(set(urls) - expected)} wrong")
        print(f"recall {hits}/{expected_total} = {100 * hits / max(1, expected_total):.1f}% "
              f"({wrong} pages listed as containing a query that do not); {len(queries)} queries: "
              + ", ".join(f"{k}s {sum(1 for x, _ in queries if x == k)}" for k in ("word", "name", "number")))
        driver.execute_cdp_cmd("Network.clearBrowserCache", {})
        started = time.perf_counter()
        driver.get(f"{base}/search.html?q={quote('营商环境')}")
        wait_done(driver)
        first = time.perf_counter() - started
        print(f"first search on a fresh page (page lists of {1 + len(read_stamp(bundle)['parts'])} parts loaded): "
              f"{first * 1000:.0f} ms")
        for label in ("first pass (postings fetched as needed)", "second pass (postings in memory)"):
            times = []
            for _, query in queries:
                elapsed = driver.execute_async_script(TIMED_SUBMIT, query)
                if elapsed == "error":
                    raise SystemExit(f"search failed: {query}")
                times.append(float(elapsed))
            slowest = sorted(zip(times, (q for _, q in queries)), reverse=True)[:3]
            print(summary(label, times) + "; slowest: " + ", ".join(f"{q} {t:.0f} ms" for t, q in slowest), flush=True)
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=default_site())
    parser.add_argument("--parts", default="1000", help="part sizes to compare, e.g. 1000,3000")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.site is None or not args.site.is_dir():
        raise SystemExit("no built site: run `bench/search_speed.py --keep` first or give --site")
    print(f"{platform.node()}: {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"load {os.getloadavg()[0]:.1f}; site {args.site}")
    driver = start_chromium()
    try:
        for size in [int(x) for x in args.parts.split(",")]:
            copy = site_copy(args.site, size)
            texts = indexed_texts(copy / BUNDLE)
            queries = draw_queries(texts, args.queries, args.seed)
            print(f"part_pages={size}: {len(texts)} indexed pages; queries: " + " ".join(q for _, q in queries))
            run(driver, copy, queries)
    finally:
        quit_chromium(driver)
    print(f"load at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
