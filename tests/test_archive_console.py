"""The archive tasks through invoke: archive, verify-archive, verify-deploy, manifest-keygen; exit codes."""

import shutil
import subprocess
import sys
from pathlib import Path

from archive_fixtures import CITY, rewrite_zip

ROOT = Path(__file__).parent.parent
INVOKE = [sys.executable, "-m", "invoke", "-r", str(ROOT)]
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "group"


def run(*args, cwd=ROOT):
    return subprocess.run(INVOKE + [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, "COLUMNS": "200"})


def test_tasks_are_listed():
    listing = run("--list").stdout
    for name in ("archive", "verify-archive", "verify-deploy", "manifest-keygen", "replay"):
        assert name in listing


def test_archive_verify_and_damage_through_the_command_line(built_fixture, tmp_path):
    archives = tmp_path / "archives"
    done = run("archive", "--content", FIXTURE_CONTENT, "--output", built_fixture, "--archives", archives)
    assert done.returncode == 0, done.stderr
    snapshots = sorted(archives.rglob("*.wacz"))
    assert [p.parent.name for p in snapshots] == ["jtj.chenghu.gov.cn", CITY]
    again = run("archive", "--content", FIXTURE_CONTENT, "--output", built_fixture, "--archives", archives,
                "--site", "city")
    assert again.returncode == 0 and "identical snapshot already there" in again.stdout
    ok = run("verify-archive", archives, "--report", tmp_path / "r.json")
    assert ok.returncode == 0 and ok.stdout.count("ok ") == 2 and (tmp_path / "r.json").is_file()
    damaged = rewrite_zip(snapshots[1], tmp_path / "damaged.wacz", drop=("datapackage-digest.json",))
    bad = run("verify-archive", damaged)
    assert bad.returncode == 1 and "datapackage-digest.json: missing" in bad.stderr and "Traceback" not in bad.stderr
    assert run("archive", "--site", "nope", "--content", FIXTURE_CONTENT).returncode == 2
    assert run("archive", "--from-dir", tmp_path).returncode == 2  # --domain missing
    assert run("verify-archive", tmp_path / "none.wacz").returncode == 2


def test_legacy_folder_snapshot(tmp_path):
    old = tmp_path / "old"
    old.mkdir()
    (old / "index.html").write_text("<title>旧站</title>", "utf-8")
    done = run("archive", "--from-dir", old, "--domain", "www.old.gov.cn", "--archives", tmp_path / "a")
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "a" / "www.old.gov.cn").glob("*.wacz"))) == 1


def test_verify_deploy_and_signing_through_the_command_line(built_fixture, tmp_path):
    deployed = tmp_path / CITY
    shutil.copytree(built_fixture / CITY, deployed)
    ok = run("verify-deploy", deployed, "--output", built_fixture)
    assert ok.returncode == 0 and "files match" in ok.stdout and str(built_fixture) in ok.stdout
    (deployed / "about.html").write_text("x")
    bad = run("verify-deploy", deployed, "--output", built_fixture, "--report", tmp_path / "d.json")
    assert bad.returncode == 1 and "changed: about.html" in bad.stderr
    assert '"ok": false' in (tmp_path / "d.json").read_text()
    keys = run("manifest-keygen", "--algorithm", "sm2", "--out", tmp_path / "keys" / "k")
    assert keys.returncode == 0 and (tmp_path / "keys" / "k.pem").stat().st_mode & 0o777 == 0o600
    assert run("manifest-keygen", "--out", tmp_path / "keys" / "k").returncode == 2  # never overwritten
    unsigned = run("verify-deploy", built_fixture / CITY, "--public-key", tmp_path / "keys" / "k.pub.pem")
    assert unsigned.returncode == 1 and "not signed" in unsigned.stderr
