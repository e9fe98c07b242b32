"""govsite.parallel_pages: article and column list pages rendered by forked processes are the pages
one process renders, the writer's records (page keys, kept links, what each page shows) come back so the next build keeps what it
should, a child's warning reaches the build, and a child that fails fails the build with its error.

Each build runs in a fresh Python process (forking needs a process with one thread; pytest's may
have others), with the threshold set low so the fixture group's articles are shared out."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import DEMO_DAY, FIXTURES

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = """
import json, logging, os, sys
sys.path.insert(0, sys.argv[1])
import govsite.parallel_pages as parallel
from govsite.build import build_group
from govsite.incremental import IncrementalWriter

base, threshold, inject = sys.argv[2], int(sys.argv[3]), sys.argv[4]
parallel.PARALLEL_THRESHOLD = threshold
parent, forks = os.getpid(), []
in_processes = parallel._in_processes
def counted(generator, write, shares, render):
    forks.append(render.__name__)
    return in_processes(generator, write, shares, render)
parallel._in_processes = counted
write_file = IncrementalWriter.write_file
def injected(self, name, *args, **kwargs):
    if os.getpid() != parent and kwargs.get("article") is not None:
        if inject == "fail":
            raise RuntimeError("模板渲染失败 in a child")
        if inject == "warn":
            logging.getLogger("govsite.test").warning("child warning for %s", name)
    return write_file(self, name, *args, **kwargs)
IncrementalWriter.write_file = injected
results = build_group(sys.argv[5], base + "/output", cache_dir=base + "/cache", reports_dir=base + "/reports",
                      records_dir=base + "/records", full=sys.argv[6] == "full", in_process=True,
                      settings={"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": sys.argv[7]})
from govsite import dependencies
graphs = {site: {name: sorted(shown) for name, shown in graph.items()} for site, graph in dependencies.last_built.items()}
print(json.dumps({"forks": forks, "graphs": graphs, "results": [
    {"ok": r.ok, "error": r.error, "warnings": r.warnings, "rendered": r.rendered, "kept": r.kept, "status": r.status}
    for r in results]}, ensure_ascii=False))
"""


def build(base: Path, content: Path, threshold: int, full: bool = True, inject: str = "") -> dict:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT), str(base), str(threshold), inject, str(content),
                           "full" if full else "incremental", DEMO_DAY], capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1795000000"}, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_forked_rendering_writes_what_one_process_writes_and_the_next_build_keeps_pages(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "group", content)
    shared, alone = build(tmp_path / "shared", content, 2), build(tmp_path / "alone", content, 10 ** 9)
    assert {"generate_articles", "generate_categories"} <= set(shared["forks"]) and alone["forks"] == []
    assert all(r["ok"] for r in shared["results"] + alone["results"])
    assert tree(tmp_path / "shared" / "output") == tree(tmp_path / "alone" / "output")
    keys = lambda base: {n: b for n, b in tree(base / "cache" / "build").items() if n.endswith(".pages.json")}  # noqa: E731
    assert keys(tmp_path / "shared") == keys(tmp_path / "alone") and len(keys(tmp_path / "alone")) == 2
    assert shared["graphs"] == alone["graphs"] and len(alone["graphs"]["city"]) > 10  # what each page shows
    # One article edited: the next build, shared out too, renders it and keeps every other article page.
    article = sorted((content / "city" / "articles").rglob("*.md"))[0]
    article.write_text(article.read_text("utf-8").replace("Title: ", "Title: 修订：", 1), "utf-8")
    again = build(tmp_path / "shared", content, 2, full=False)
    city = next(r for r in again["results"] if r["status"] == "built")
    assert city["rendered"] == 1 and city["kept"] >= 1
    build(tmp_path / "fresh", content, 10 ** 9)
    assert tree(tmp_path / "shared" / "output") == tree(tmp_path / "fresh" / "output")


def test_a_child_warning_reaches_the_build_and_a_failing_child_fails_it_leaving_the_output(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "group", content)
    warned = build(tmp_path / "site", content, 2, inject="warn")
    assert "generate_articles" in warned["forks"] and all(r["ok"] for r in warned["results"])
    assert any("child warning for" in w for r in warned["results"] for w in r["warnings"])
    before = tree(tmp_path / "site" / "output")
    failed = build(tmp_path / "site", content, 2, full=True, inject="fail")
    errors = [r["error"] for r in failed["results"] if not r["ok"]]
    assert errors and all("rendering pages in parallel failed" in e and "模板渲染失败" in e for e in errors)
    assert tree(tmp_path / "site" / "output") == before  # the published output is untouched


#: The start of a script building a group in one process as a watch does (``argv``: the checkout, the
#: output's base, the content), the threshold low and the forks counted.
IN_ONE_PROCESS = """
import json, os, random, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[1] + "/tests")
import govsite.parallel_pages as parallel
from govsite import kept_folders
from govsite.build import after_report, build_group
from test_dependencies import SETTINGS, edit

base, content = sys.argv[2], sys.argv[3]
parallel.PARALLEL_THRESHOLD = 4
forks, in_processes = [], parallel._in_processes
parallel._in_processes = lambda *args: forks.append(args[3].__name__) or in_processes(*args)
"""
WATCH_SCRIPT = IN_ONE_PROCESS + """
def build():
    forks.clear()
    results = build_group(content, base + "/output", cache_dir=base + "/cache", reports_dir=base + "/reports",
                          records_dir=base + "/records", settings=SETTINGS, in_process=True)
    assert all(r.ok for r in results), [r.error for r in results]
    return list(forks)
first, second = build(), build()
from pathlib import Path
edit(Path(content) / "city/articles/20261101-more0.md", random.Random(1), "body")
print(json.dumps({"first": first, "second": second, "publish": build()}))
"""


def in_one_process(script: str, base: Path, content: Path) -> dict:
    """Run ``script`` (``IN_ONE_PROCESS`` and its builds) on ``content`` (dated 10 s back) into ``base``;
    the JSON it printed last."""
    from test_content_index import age

    age(content)
    done = subprocess.run([sys.executable, "-c", script, str(ROOT), str(base), str(content)], capture_output=True,
                          text=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1795000000"}, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_publish_keeping_the_other_pages_untouched_renders_in_the_watching_process(tmp_path):
    """Forking the watching process costs more than keeping untouched pages: an in-place edit is
    rendered without forking (the first build, keying every page, forks), with the same output."""
    from govsite.build import build_group
    from test_dependencies import SETTINGS, group

    content = group(tmp_path)
    forks = in_one_process(WATCH_SCRIPT, tmp_path / "watch", content)
    assert {"generate_articles", "generate_categories"} <= set(forks["first"]), forks
    assert forks["publish"] == [], forks
    fresh = tmp_path / "fresh"
    results = build_group(content, fresh / "output", cache_dir=fresh / "cache", reports_dir=fresh / "reports",
                          records_dir=fresh / "records", settings=SETTINGS, full=True)
    assert all(r.ok for r in results)
    pages = lambda base: {n: b for n, b in tree(base).items() if ".govsite-manifest" not in n}  # noqa: E731 (build times)
    assert pages(tmp_path / "watch" / "output") == pages(fresh / "output")


AHEAD_SCRIPT = IN_ONE_PROCESS + """
taken, take = [], kept_folders.take_folders
kept_folders.take_folders = lambda *paths, **options: taken.append(take(*paths, **options)) or taken[-1]
def build():
    forks.clear()
    results = build_group(content, base + "/output", cache_dir=base + "/cache", reports_dir=base + "/reports",
                          records_dir=base + "/records", settings=SETTINGS, in_process=True, defer_cleanup=True)
    assert all(r.ok for r in results), [r.error for r in results]
    after_report(base + "/output", results)
    return list(forks)
build()
edit(Path(content) / "city/articles/20261101-more0.md", random.Random(1), "body")
build()  # its replaced output's folders hold the live pages, linked ahead
(Path(content) / "city/articles/20261103-added.md").write_text(  # every page keyed again, in forked processes
    "Title: 新增动态\\nDate: 2026-11-03 18:00\\nCategory: news\\nSource: 澄湖市人民政府办公室\\n"
    "Author: 周敏\\nReviewer: 陈立\\nSummary: 摘要。\\nKeywords: 测试\\n\\n正文。\\n", "utf-8")
print(json.dumps({"forks": build(), "ahead": len(taken[-1] or {})}))
"""


def test_forked_processes_take_the_pages_linked_ahead_and_the_output_is_a_full_builds(tmp_path):
    from govsite.build import build_group
    from test_dependencies import SETTINGS, group

    content = group(tmp_path)
    report = in_one_process(AHEAD_SCRIPT, tmp_path / "watch", content)
    assert "generate_articles" in report["forks"] and report["ahead"] > 10, report
    fresh = tmp_path / "fresh"
    results = build_group(content, fresh / "output", cache_dir=fresh / "cache", reports_dir=fresh / "reports",
                          records_dir=fresh / "records", settings=SETTINGS, full=True)
    assert all(r.ok for r in results)
    pages = lambda base: {n: b for n, b in tree(base).items()  # noqa: E731 (build times; the watch's kept folders)
                          if ".govsite-manifest" not in n and not n.startswith(".staging/")}
    assert pages(tmp_path / "watch" / "output") == pages(fresh / "output")
