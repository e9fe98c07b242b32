"""Shards (govsite/shard.py, `invoke build --shard K/N`): an exact, stable partition of the sites."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from govsite.build import build_group
from govsite.errors import UsageError
from govsite.shard import in_shard, parse_shard, shard_of

from conftest import DEMO_DAY

ROOT = Path(__file__).resolve().parent.parent


class FakeSite:
    def __init__(self, site_id):
        self.id = site_id


site_ids = st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True), unique=True, max_size=60)


@given(ids=site_ids, count=st.integers(min_value=1, max_value=12), seed=st.randoms())
def test_shards_partition_the_sites_exactly_whatever_the_order(ids, count, seed):
    sites = [FakeSite(i) for i in ids]
    shuffled = sites[:]
    seed.shuffle(shuffled)
    shards = [[s.id for s in in_shard(sites, f"{k}/{count}")] for k in range(1, count + 1)]
    assert sorted(i for shard in shards for i in shard) == sorted(ids)  # every site in exactly one shard
    assert [sorted(s.id for s in in_shard(shuffled, f"{k}/{count}")) for k in range(1, count + 1)] == \
        [sorted(shard) for shard in shards]  # the group's order does not matter


def test_shard_of_is_stable_across_runs():
    # computed in a fresh interpreter (another hash seed): the same shards
    code = "from govsite.shard import shard_of; print([shard_of(s, 4) for s in ('portal', 'education', 'health')])"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                           env={"PYTHONHASHSEED": "123", "PATH": ""}, check=True).stdout.strip()
    assert other == str([shard_of(s, 4) for s in ("portal", "education", "health")])
    assert {shard_of(f"site{i}", 4) for i in range(40)} == {1, 2, 3, 4}  # spread over every shard


@pytest.mark.parametrize("spec", ["0/2", "3/2", "1/0", "a/b", "2", "1/2/3", "-1/2"])
def test_bad_shard_is_a_usage_error_naming_the_option(spec):
    with pytest.raises(UsageError) as caught:
        parse_shard(spec)
    assert "--shard" in str(caught.value) and caught.value.exit_code == 2


def test_sharded_builds_cover_the_group(group, tmp_path):
    settings = {"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": DEMO_DAY}
    built = []
    for k in (1, 2):
        results = build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache", reports_dir=None,
                              settings=settings, shard=f"{k}/2")
        assert all(r.ok for r in results), [r.error for r in results]
        assert [r.site_id for r in results] == sorted(i for i in ("city", "dept") if shard_of(i, 2) == k)
        built += [r.site_id for r in results]
    assert sorted(built) == ["city", "dept"]
    assert (tmp_path / "output" / "www.chenghu.gov.cn" / "index.html").is_file()
    assert (tmp_path / "output" / "jtj.chenghu.gov.cn" / "index.html").is_file()


def test_invoke_build_rejects_a_bad_shard(tmp_path):
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "invoke"), "build", "--shard", "3/2", "--content",
                           str(ROOT / "tests" / "fixtures" / "group"), "--output", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2
    assert "--shard '3/2'" in done.stderr and not (tmp_path / "out" / "www.chenghu.gov.cn").exists()


def test_sharded_build_with_the_browser_gate_on_a_remote_webdriver(group, tmp_path, chromedriver_url):
    """The Grid path of a CI shard: the gate's axe engine through a WebDriver URL (a standalone
    chromedriver speaks the same protocol as a Selenium Grid)."""
    shard = f"{shard_of('dept', 2)}/2"
    settings = {"GOVSITE_TODAY": DEMO_DAY, "GOVSITE_A11Y": {
        "engine": "both", "modes": ["normal"], "workers": 1, "remote": chromedriver_url}}
    results = build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache",
                          reports_dir=tmp_path / "reports", settings=settings, shard=shard)
    dept = {r.site_id: r for r in results}["dept"]
    assert dept.ok, dept.error
    report = json.loads((tmp_path / "reports" / "jtj.chenghu.gov.cn" / "report.json").read_text("utf-8"))
    assert report["engines"] == ["static", "axe"] and report["passed"]
    assert "index.html" in report["pages"]["browser_checked"]  # checked in the (remote) browser
    assert not report["pages"]["unchecked"]


#: Report files compared as parsed data: their cross-site link findings depend on which other sites'
#: output existed when the site was checked (see the test below).
LINK_REPORTS = ("links.json", "compliance.json")


def normalised(text: str, job: Path) -> str:
    """A report or manifest without what differs between any two builds: the job's folder, staging
    suffixes, times and durations."""
    text = text.replace(str(job), "<job>")
    text = re.sub(r"(\.staging/[^/\"\s<]+)\.\d+", r"\1.<pid>", text)
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?", "<time>", text)
    return re.sub(r'("seconds": |time="|<dd>)[\d.]+(?=["\s,<])', r"\1<s>", text)


def twins(whole: Path, shards: list[Path]) -> dict[str, tuple[Path, Path]]:
    """``{reports/<domain>/<name>.html: (the whole build's JSON twin, the shard job's)}`` of the link reports."""
    found = {}
    for report in sorted((whole / "reports").rglob("*.json")):
        if report.name in LINK_REPORTS:
            relative = report.relative_to(whole)
            shard = next((s / relative for s in shards if (s / relative).is_file()), None)
            if shard is not None:
                found[relative.with_suffix(".html").as_posix()] = (report, shard)
    return found


def unverifiable_count(report: Path) -> int:
    """How many unverifiable cross-site links a link report (its list of them) or a compliance report
    (its findings of that rule) holds."""
    data = json.loads(report.read_text("utf-8"))
    listed = data.get("unverifiable")
    return len(listed) if isinstance(listed, list) else sum(f["rule"] == "unverifiable" for f in data.get("findings", []))


def job_files(job: Path) -> dict[str, object]:
    """What one CI job leaves to merge: output, reports and records by path (bytes; reports and the
    manifest normalised; the link reports parsed, without their cross-site "unverifiable" links)."""
    files: dict[str, object] = {}
    for part in ("output", "reports", "records"):
        for path in sorted((job / part).rglob("*")):
            if not path.is_file():
                continue
            data = path.read_bytes()
            if path.name in LINK_REPORTS:
                report = json.loads(normalised(data.decode("utf-8"), job))
                data = {"passed": report["passed"], "broken": report.get("broken"),
                        "findings": [f for f in report.get("findings", []) if f["rule"] != "unverifiable"]}
            elif part == "reports" or path.name == ".govsite-manifest.json":
                data = normalised(data.decode("utf-8"), job).encode("utf-8")
            files[f"{part}/{path.relative_to(job / part)}"] = data
    return files


def test_shard_jobs_merged_equal_the_whole_build(tmp_path):
    """The CI matrix of docs/build.md: N independent jobs (each its own checkout, output, reports,
    records and cache), their folders merged, give the files one unsharded build gives, byte for
    byte. Only a cross-site link can differ: a job checks it against the other sites' output it
    has (none here), as the whole build does against the sites that finished before; the merge
    job's `govsite check-links` then verifies every one against the merged output."""
    settings = {"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": DEMO_DAY}
    count = 3
    assert len({shard_of(s, count) for s in ("city", "dept")}) == 2, "the sites fall in different shards"

    def job(name: str, shard: str | None) -> Path:
        folder = tmp_path / name
        shutil.copytree(ROOT / "tests" / "fixtures" / "group", folder / "content")
        # the whole build one site after another: side by side, a site's link check could meet another's
        # output between the two renames of its swap (a race of reading a folder being replaced)
        results = build_group(folder / "content", folder / "output", cache_dir=folder / "cache",
                              reports_dir=folder / "reports", records_dir=folder / "records", settings=settings,
                              shard=shard, workers=1 if shard is None else None)
        assert all(r.ok for r in results), [r.error for r in results]
        return folder

    whole = job_files(job("whole", None))
    merged: dict[str, object] = {}
    for k in range(1, count + 1):  # one shard is empty: a job with nothing to build still succeeds
        folder = job(f"shard{k}", f"{k}/{count}")
        files = job_files(folder)
        assert not set(files) & set(merged), "shards never write the same file"
        merged.update(files)
        shutil.copytree(folder / "output", tmp_path / "merged", dirs_exist_ok=True)
    assert sorted(merged) == sorted(whole)
    # a link report's HTML twin lists the unverifiable cross-site links too: compared when both builds
    # found the same number (which sites a whole build finds built first depends on the order they end in)
    unverifiable = {name: [unverifiable_count(f) for f in files]
                    for name, files in twins(tmp_path / "whole", [tmp_path / f"shard{k}" for k in range(1, count + 1)]).items()}
    differing = {name for name, (in_whole, in_shard) in unverifiable.items() if in_whole != in_shard}
    assert [name for name in whole if merged[name] != whole[name] and name not in differing] == []
    assert any(name.endswith("atom.xml") and b"<entry>" not in data for name, data in whole.items()), \
        "an empty feed is compared too (its <updated> is the build day, not the time of writing)"
    done = subprocess.run([sys.executable, "-m", "govsite", "check-links", "--output", str(tmp_path / "merged"),
                           "--report", str(tmp_path / "links")], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    for domain in ("www.chenghu.gov.cn", "jtj.chenghu.gov.cn"):
        report = json.loads((tmp_path / "links" / domain / "links.json").read_text("utf-8"))
        assert report["passed"] and report["unverifiable"] == [] and not report["broken"], domain
