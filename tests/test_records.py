"""The public record (govsite/records.py): where it lives, who writes it, damaged records, and the
published-events guard from a fresh clone."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from govsite.build import build_group
from govsite.console import publishing_build
from govsite.errors import ContentInvalid, UsageError
from govsite.records import default_records_dir, read_record
from conftest import NOTICES, TEMP

ROOT = Path(__file__).parent.parent
STATIC = {"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_SEARCH": {"enabled": False}}
GOOD = {"site": "dept", "domain": "jtj.chenghu.gov.cn", "events": [], "notices": [], "urls": [], "archived": {}}


def build(content, tmp_path, today="2026-11-25", pin=True, site_ids=("dept",)):
    results = build_group(content, tmp_path / "output", list(site_ids), cache_dir=tmp_path / "cache",
                          reports_dir=None, records_dir=default_records_dir(content), pin_records=pin,
                          settings={**STATIC, "GOVSITE_TODAY": today})
    return {r.site_id: r for r in results}


def change_published_end(content: Path) -> None:
    toml = content / "dept" / "site.toml"
    toml.write_text(toml.read_text("utf-8").replace("end = 2026-12-10", "end = 2026-12-12"), "utf-8")


@pytest.mark.parametrize("damage, field, expected", [
    (b'{"site": "dept", "events": [', "", "complete JSON"),
    ('{"site": "dept"}'.encode("utf-16"), "", "UTF-8 text"),
    (b"{}", "site", "every record has it"),
    (json.dumps({**GOOD, "events": None}).encode(), "events", "a JSON array"),
    (json.dumps({k: v for k, v in GOOD.items() if k != "urls"}).encode(), "urls", "every record has it"),
    (json.dumps({**GOOD, "urls": [3]}).encode(), "urls[0]", "a path inside the site"),
    (json.dumps({**GOOD, "events": [{"date": "2026-01-10"}]}).encode(), "events[0]", "an 'event' name"),
    (json.dumps({**GOOD, "notices": [{"slug": "launch-20260110"}]}).encode(), "notices[0].about", "a JSON string"),
    (json.dumps({**GOOD, "archived": []}).encode(), "archived", "a JSON object"),
    (json.dumps({**GOOD, "site": "city"}).encode(), "site", "the record of site 'dept'"),
    (b"[]", "", "a JSON object"),
])
def test_a_damaged_record_is_an_error_naming_the_file_and_the_fix(tmp_path, damage, field, expected):
    path = tmp_path / "_records" / "dept.json"
    path.parent.mkdir()
    path.write_bytes(damage)
    with pytest.raises(ContentInvalid) as info:
        read_record(path, "dept")
    [problem] = info.value.problems
    assert problem.file == path and problem.field == field and expected in problem.expected
    assert f"restore it from git (git checkout -- {path}" in str(info.value)


def test_a_missing_record_is_none_and_a_good_one_reads_back(tmp_path):
    assert read_record(tmp_path / "dept.json", "dept") is None
    (tmp_path / "dept.json").write_text(json.dumps(GOOD), "utf-8")
    assert read_record(tmp_path / "dept.json", "dept") == GOOD


def test_a_record_reduced_to_nothing_fails_the_build_instead_of_accepting_changes(lifecycle_group, tmp_path):
    assert build(lifecycle_group.root, tmp_path)["dept"].ok
    record = default_records_dir(lifecycle_group.root) / "dept.json"
    record.write_text("{}", "utf-8")
    change_published_end(lifecycle_group.root)
    result = build(lifecycle_group.root, tmp_path, "2026-11-26")["dept"]
    assert not result.ok and str(record) in result.error and "restore it from git" in result.error
    assert "Traceback" not in result.error


def test_a_rehearsal_reads_the_record_but_pins_nothing(lifecycle_group, tmp_path):
    records = default_records_dir(lifecycle_group.root)
    assert build(lifecycle_group.root, tmp_path, "2026-11-20")["dept"].ok
    before = (records / "dept.json").read_bytes()
    assert [e["event"] for e in json.loads(before)["events"]] == ["launch"]  # the offline's notice is not out
    assert build(lifecycle_group.root, tmp_path, "2026-11-25", pin=False)["dept"].ok  # rehearsing the notice
    assert (records / "dept.json").read_bytes() == before
    change_published_end(lifecycle_group.root)  # not published: the rehearsal pinned nothing
    assert build(lifecycle_group.root, tmp_path, "2026-11-21", pin=False)["dept"].ok
    # the record still guards a rehearsal: the launch it has pinned may not change
    toml = lifecycle_group.site_toml("dept")
    toml.write_text(toml.read_text("utf-8").replace("date = 2026-01-10", "date = 2026-01-11"), "utf-8")
    result = build(lifecycle_group.root, tmp_path, "2026-11-21", pin=False)["dept"]
    assert not result.ok and "the published launch event of 2026-01-10 was removed" in result.error


def test_writing_the_record_does_not_count_as_a_change(lifecycle_group, tmp_path):
    records = default_records_dir(lifecycle_group.root)
    assert build(lifecycle_group.root, tmp_path)["dept"].status == "built"
    pinned = (records / "dept.json").read_bytes()
    assert json.loads(pinned)["notices"][0]["slug"] == "launch-20260110"
    assert build(lifecycle_group.root, tmp_path)["dept"].status == "unchanged"
    assert (records / "dept.json").read_bytes() == pinned, "an unchanged site leaves its record as it was"
    older = json.loads(pinned)
    older["notices"][0]["body"] = "开通时的措辞。"  # e.g. `git checkout` of an older record
    (records / "dept.json").write_text(json.dumps(older, ensure_ascii=False), "utf-8")
    again = build(lifecycle_group.root, tmp_path)["dept"]
    assert again.status == "built", "a record changed since the last build runs the guards again"
    page = tmp_path / "output" / "jtj.chenghu.gov.cn" / "notices" / "202601" / "launch-20260110.html"
    assert "开通时的措辞。" in page.read_text("utf-8"), "a pinned notice is rendered as the record has it"


def test_which_builds_pin_the_record(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert publishing_build("output", None, False)
    assert publishing_build(str(tmp_path / "output"), None, False)
    assert not publishing_build("/tmp/preview", None, False)
    assert not publishing_build("output", "2026-12-01", False)
    assert publishing_build("/srv/www", None, True)
    with pytest.raises(UsageError, match="--pin-records with --today 2026-12-01"):
        publishing_build("output", "2026-12-01", True)


def git(*args, cwd):
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@jichuan.gov.cn", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_guard_holds_on_a_fresh_clone(lifecycle_group, tmp_path):
    """A web office's repository: content with its records committed; CI clones it afresh and builds."""
    repo = tmp_path / "office"
    shutil.copytree(lifecycle_group.root, repo / "content")
    git("init", "-q", cwd=repo)
    assert build(repo / "content", tmp_path / "first", site_ids=("city", "dept"))["dept"].ok
    git("add", "content", cwd=repo)
    git("commit", "-q", "-m", "content and its records", cwd=repo)
    assert "content/_records/dept.json" in git("ls-files", cwd=repo)
    clone = tmp_path / "ci"
    git("clone", "-q", str(repo), str(clone), cwd=tmp_path)
    change_published_end(clone / "content")
    done = subprocess.run([sys.executable, "-m", "invoke", "--search-root", str(ROOT), "build", "--site", "dept"],
                          cwd=clone, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "the published temporary_offline event of 2026-12-01: end changed from '2026-12-10' to '2026-12-12'" \
        in done.stderr.replace("\n", "")
    assert "Traceback" not in done.stderr
    assert git("status", "--porcelain", "content", cwd=clone) == " M content/dept/site.toml\n", "no record written"
