"""Bad usage and damaged state end with a clear message and exit code, never a traceback (issue 15,
item 14): typed options through the real command line, damaged cache state files, a read-only
output folder (through the command line) and a full disk (real tmpfs mounts when run as root)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from govsite.build import build_group
from govsite.files import read_json

ROOT = Path(__file__).parent.parent
INVOKE = [sys.executable, "-m", "invoke"]


def run(*args, timeout=300):
    return subprocess.run(INVOKE + [str(a) for a in args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def build(group, tmp_path, output=None, **kwargs):
    """The build in this process with the static gate only (the command line runs the browser too)."""
    return {r.site_id: r for r in build_group(group.root, output or tmp_path / "output", cache_dir=tmp_path / "cache",
                                               reports_dir=None, settings={"GOVSITE_A11Y": {"engine": "static"}},
                                               **kwargs)}


def build_args(group, tmp_path, output=None, *extra):
    return ["build", "--content", group.root, "--output", output or tmp_path / "output", "--cache", tmp_path / "cache",
            "--reports", tmp_path / "reports", "--records", tmp_path / "records", *extra]


@pytest.mark.parametrize("option, value, expected", [
    ("--today", "yesterday", "YYYY-MM-DD"), ("--today", "2026-13-01", "YYYY-MM-DD"),
    ("--today", "2026-02-30", "YYYY-MM-DD"), ("--today", "2026-1-5", "YYYY-MM-DD"),
    ("--workers", "abc", "whole number"), ("--workers", "0", "at least 1"), ("--workers", "-2", "whole number"),
    ("--shard", "junk", "K/N"), ("--shard", "3/2", "between 1 and N"),
])
def test_build_bad_option_is_exit_2_naming_option_and_form(group, tmp_path, option, value, expected):
    result = run(*build_args(group, tmp_path), option, value)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{option} {value!r}" in result.stderr and expected in result.stderr
    assert not (tmp_path / "output").exists(), "nothing is written on bad usage"


@pytest.mark.parametrize("args, option", [
    (["annual-report", "--site", "city", "--year", "abc"], "--year"),
    (["annual-report", "--site", "city", "--year", "20261"], "--year"),
    (["lifecycle", "launch", "--site", "city", "--date", "2026-13-01"], "--date"),
    (["lifecycle", "temporary_offline", "--site", "dept", "--start", "soon", "--end", "2026-12-02",
      "--reason", "x", "--approval", "y"], "--start"),
    (["check", "--path", "nowhere", "--workers", "0"], "--workers"),
    (["check-links", "--path", "nowhere", "--workers", "many"], "--workers"),
    (["serve", "--port", "http"], "--port"),
    (["serve", "--port", "70000"], "--port"),
    (["migrate", "--source", "nowhere", "--site", "old", "--workers", "0"], "--workers"),
])
def test_other_tasks_bad_typed_options_are_exit_2(group, args, option):
    before = group.site_toml("city").read_text("utf-8")
    result = run(*args, "--content", group.root) if args[0] in ("annual-report", "lifecycle", "migrate") else run(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout and option in result.stderr
    assert group.site_toml("city").read_text("utf-8") == before


def test_read_json_treats_damaged_state_as_absent_with_a_warning(tmp_path, caplog):
    cases = {"truncated.json": b'{"fingerprint": "ab', "latin1.json": '{"a": "\u00e9"}'.encode("latin-1"),
             "list.json": b"[1, 2]", "empty.json": b""}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        assert read_json(tmp_path / name) == {}
        assert f"damaged state file ignored: {tmp_path / name}" in caplog.text
    caplog.clear()
    assert read_json(tmp_path / "missing.json") == {} and not caplog.text, "an absent file is no warning"


def test_build_with_damaged_cache_state_rebuilds_and_names_the_files(group, tmp_path, caplog):
    assert all(r.ok for r in build(group, tmp_path).values())
    state = tmp_path / "cache" / "build"
    damaged = [state / "city.json", state / "dept.pages.json", state / "dept.files.json"]
    damaged += sorted((tmp_path / "cache" / "checks").glob("*.json"))[:1]
    for path in damaged:
        assert path.is_file(), path
        path.write_bytes(path.read_bytes()[:7] + b"\xff\xfe")  # truncated and not UTF-8
    results = build(group, tmp_path, strict=True)  # a damaged cache is no strict failure
    assert all(r.ok for r in results.values()), [r.error for r in results.values()]
    said = caplog.text + "\n".join(w for r in results.values() for w in r.warnings)
    for path in damaged:
        assert f"damaged state file ignored: {path}" in said
    assert read_json(state / "city.json").get("fingerprint"), "the state is written again"


@pytest.fixture
def small_mount(tmp_path):
    """A real tmpfs of its own (root only), unmounted afterwards."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a tmpfs")
    folder = tmp_path / "mnt"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield folder
    subprocess.run(["umount", "-l", str(folder)])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_read_only_output_fails_naming_the_path_and_keeps_the_output(group, tmp_path, small_mount):
    output = small_mount / "output"
    assert run(*build_args(group, tmp_path, output)).returncode == 0
    before = snapshot(output)
    assert subprocess.run(["mount", "-o", "remount,ro", str(small_mount)]).returncode == 0
    result = run(*build_args(group, tmp_path, output, "--full"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert str(output) in result.stderr and "make the folder writable" in result.stderr
    assert snapshot(output) == before


def test_full_disk_fails_naming_the_path_and_keeps_the_output(group, tmp_path, small_mount):
    output = small_mount / "output"
    assert all(r.ok for r in build(group, tmp_path, output).values())
    before = snapshot(output)
    free = shutil.disk_usage(small_mount).free
    with open(small_mount / "filler", "wb") as filler:  # leave about 64 kB: less than one site
        filler.write(b"\0" * max(free - 64 * 1024, 0))
    results = build(group, tmp_path, output, full=True)
    (small_mount / "filler").unlink()
    for result in results.values():
        assert not result.ok and "Traceback" not in result.error
        assert "no space left on the device" in result.error and str(output) in result.error
    assert snapshot(output) == before
