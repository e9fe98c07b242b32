"""`invoke migrate`: a summary and report paths; bad input named with exit code 2."""

import subprocess
import sys
from pathlib import Path

from migrate_helpers import MIRROR

ROOT = Path(__file__).parent.parent


def invoke(*args):
    return subprocess.run([sys.executable, "-m", "invoke", "migrate", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_migrate_task_runs_and_reports(tmp_path):
    result = invoke("--source", str(MIRROR), "--site", "fenglan", "--content", str(tmp_path / "c"),
                    "--report", str(tmp_path / "r"))
    assert result.returncode == 0, result.stderr
    assert "fenglan: 12 source pages" in result.stdout and "report:" in result.stdout
    assert "DRAFT" in result.stderr and "validates" in result.stderr
    assert "2 edit(s) to make (1 image-alt, 1 link-outside-crawl)" in result.stderr
    assert "grace until" in result.stderr
    assert (tmp_path / "r/migrate/fenglan.json").is_file()


def test_bad_input_is_named(tmp_path):
    missing = invoke("--source", str(tmp_path / "nope"), "--site", "fenglan", "--content", str(tmp_path / "c"))
    assert missing.returncode == 2 and "nope" in missing.stderr and "Traceback" not in missing.stderr
    bad_site = invoke("--source", str(MIRROR), "--site", "Bad_Id", "--content", str(tmp_path / "c"))
    assert bad_site.returncode == 2 and "--site 'Bad_Id'" in bad_site.stderr
    (tmp_path / "m.toml").write_text("[columns]\n'x' = 'Bad'\n", "utf-8")
    bad_map = invoke("--source", str(MIRROR), "--site", "fenglan", "--content", str(tmp_path / "c"),
                     "--mapping", str(tmp_path / "m.toml"))
    assert bad_map.returncode == 2 and "m.toml" in bad_map.stderr and "columns.'x'" in bad_map.stderr
