"""The installed package, as a web office uses it: a wheel built from this checkout, installed into a fresh
virtual environment, run from a folder that has nothing of this repository.

The new environment borrows the dependencies of the test environment (a ``.pth`` file: no network), never
the checkout: every command runs in a temporary folder without PYTHONPATH, and the test checks where
``govsite`` was imported from.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: What the wheel is built from (copied, so that the build writes nothing into the checkout).
SOURCES = ("pyproject.toml", "README.md", "govsite", "pelican")
SHUFFLED = ["govsite_search", "govsite_a11y_gate", "govsite_incremental", "govsite_links", "govsite_sitemap",
            "govsite_compliance", "govsite_annual_report", "govsite_syndication", "govsite_lifecycle",
            "govsite_identity", "govsite_interaction", "govsite_inspection", "govsite_service_guides",
            "govsite_audiences"]


def site_pages(output: Path) -> list[Path]:
    """The HTML pages of a built group (not its hidden staging, deploy or server folders)."""
    return sorted(p.relative_to(output) for p in output.rglob("*.html")
                  if not any(part.startswith(".") for part in p.relative_to(output).parts))


def run(venv_dir: Path, *argv, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = f"{venv_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the wheel of this checkout installed (dependencies borrowed, the checkout absent)."""
    base = tmp_path_factory.mktemp("installed")
    source = base / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    wheels = base / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                            "--no-index", "-w", str(wheels), str(source)], capture_output=True, text=True,
                           timeout=300)
    assert built.returncode == 0, built.stderr
    target = base / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    site_packages = Path(sysconfig.get_path("purelib", vars={"base": str(target), "platbase": str(target)}))
    (site_packages / "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", "utf-8")
    wheel = next(wheels.glob("govsite-*.whl"))
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(target / "bin" / "python"), "install",
                           "--quiet", "--no-deps", "--no-index", str(wheel)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return target


def test_govsite_is_imported_from_the_new_environment(installed, tmp_path):
    found = run(installed, installed / "bin" / "python", "-c",
                "import govsite, pelican.plugins.govsite_identity as p; print(govsite.__file__); print(p.__file__)",
                cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    for line in found.stdout.split():
        assert line.startswith(str(installed)) and not line.startswith(str(ROOT)), line


def test_govsite_help_and_version(installed, tmp_path):
    helped = run(installed, "govsite", "--help", cwd=tmp_path)
    assert helped.returncode == 0 and "manifest-keygen" in helped.stdout
    version = run(installed, "govsite", "--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.split() == ["govsite", "0.9.0"]


def test_pelican_lists_the_namespace_plugins(installed, tmp_path):
    listed = run(installed, installed / "bin" / "python", "-c",
                 "from pelican.plugins._utils import get_namespace_plugins; print(sorted(get_namespace_plugins()))",
                 cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    for name in SHUFFLED + ["govsite"]:
        assert f"'pelican.plugins.{name}'" in listed.stdout


def test_init_then_build_passes_the_gate(installed, tmp_path):
    """`govsite init` then `govsite build` with the full gate; then the same group with a hand-written
    pelicanconf listing the namespace plugins in another order builds the same pages."""
    from govsite import stages
    assert sorted(SHUFFLED) == sorted(f"govsite_{stage}" for stage in stages.STAGES)  # every stage, reordered
    made = run(installed, "govsite", "init", "g", cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    group = tmp_path / "g"
    built = run(installed, "govsite", "build", cwd=group, timeout=900)
    assert built.returncode == 0, built.stdout + built.stderr
    for domain in ("www.example-city.gov.cn", "dept.example-city.gov.cn"):
        assert (group / "output" / domain / "index.html").is_file()
        report = json.loads((group / "reports" / domain / "report.json").read_text("utf-8"))
        assert report["passed"] is True and set(report["engines"]) == {"static", "axe", "keyboard"}
        assert set(report["modes"]) == {"normal", "care", "contrast"}
    assert sorted(p.name for p in (group / "content" / "_records").glob("*.json")) == ["dept.json", "portal.json"]

    conf = group / "pelicanconf.py"
    conf.write_text(conf.read_text("utf-8") + f"\nPLUGINS = {SHUFFLED!r}\nGOVSITE_A11Y = {{'engine': 'static'}}\n",
                    "utf-8")
    again = run(installed, "govsite", "build", "--output", "shuffled", "--reports", "shuffled-reports",
                cwd=group, timeout=900)
    assert again.returncode == 0, again.stdout + again.stderr
    first, second = group / "output", group / "shuffled"
    pages = site_pages(first)
    assert len(pages) > 15 and pages == site_pages(second)
    for page in pages:
        assert (first / page).read_bytes() == (second / page).read_bytes(), page
