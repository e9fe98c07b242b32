"""The command-line surface (tasks.py through invoke): exit codes and messages."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
INVOKE = [sys.executable, "-m", "invoke"]


def run(*args):
    return subprocess.run(INVOKE + list(args), cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_task_list_documents_every_task():
    listing = run("--list").stdout
    for name in ("build", "validate", "serve", "clean"):
        assert name in listing


def test_validate_bad_group_exits_non_zero_with_every_problem(group):
    group.set("city", "domain", '"www.chenghu.com"')
    group.set("dept", "site_code", '"123"')
    result = run("validate", "--content", str(group.root))
    assert result.returncode == 1
    assert "www.chenghu.com" in result.stderr and "ending in .gov.cn" in result.stderr
    assert "site_code = '123'" in result.stderr and "dept" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_writes_output_and_reports_failures(group, tmp_path):
    output = tmp_path / "out"
    folders = ("--output", str(output), "--cache", str(tmp_path / "c"), "--reports", str(tmp_path / "r"))
    ok = run("build", "--content", str(group.root), *folders)
    assert ok.returncode == 0, ok.stderr
    assert (output / "www.chenghu.gov.cn" / "index.html").is_file()
    assert not (group.root / "_records").exists(), "a build into another --output is a rehearsal: no record"
    assert "rehearsal" in ok.stdout
    group.write("dept/articles/bad.md", "Title: 坏\nDate: 2026-11-02\nCategory: nope\n\n正文")
    failed = run("build", "--content", str(group.root), *folders, "--site", "dept")
    assert failed.returncode == 1
    assert "previous output kept" in failed.stderr and "bad.md" in failed.stderr


def test_build_unknown_site_is_a_usage_error(group, tmp_path):
    result = run("build", "--content", str(group.root), "--output", str(tmp_path / "o"), "--site", "nope")
    assert result.returncode == 2 and "unknown site id" in result.stderr


def test_check_task_runs_the_gate(built_fixture, tmp_path):
    site = str(built_fixture / "www.chenghu.gov.cn")
    ok = run("check", "--path", site, "--engine", "static", "--report", str(tmp_path / "r"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "accessibility gate PASSED" in ok.stdout and (tmp_path / "r" / "report.json").is_file()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "index.html").write_text("<html><body><img src=a.png></body></html>")
    failed = run("check", "--path", str(bad), "--engine", "static")
    assert failed.returncode == 1 and "image-alt" in failed.stdout
