"""The build summary (govsite/console.py BuildSummary) of a real build, as a terminal shows it."""

import io
import shutil

import pytest
from rich.console import Console

from conftest import FIXTURES, NOTICES, GroupCopy
from govsite.build import build_group
from govsite.console import BuildSummary

DOMAIN_CHANGE = '[[lifecycle]]\nevent = "domain_change"\ndate = 2026-12-01\nnew_domain = "jt.chenghu.gov.cn"'


@pytest.fixture(scope="module")
def moved_group_builds(tmp_path_factory):
    """The fixture group whose department moved to jt.chenghu.gov.cn, built as of 2026-12-02, then
    built again (nothing changed): both results."""
    base = tmp_path_factory.mktemp("moved")
    shutil.copytree(FIXTURES / "group", base / "content")
    group = GroupCopy(base / "content")
    group.append("dept", NOTICES)
    group.append("dept", DOMAIN_CHANGE)
    settings = {"GOVSITE_TODAY": "2026-12-02", "GOVSITE_A11Y": {"engine": "static"}}
    runs = [build_group(group.root, base / "output", cache_dir=base / "cache", reports_dir=base / "reports",
                        settings=settings) for _ in range(2)]
    for results in runs:
        assert all(r.ok for r in results), [r.error for r in results]
    return base, runs


def rendered(summary, width: int) -> str:
    terminal = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    terminal.print(summary)
    return terminal.export_text()


@pytest.mark.parametrize("width", [80, 60])
def test_every_domain_whole_and_the_old_domain_explained(moved_group_builds, width):
    base, runs = moved_group_builds
    assert [r.status for r in runs[1]] == ["unchanged", "unchanged"]
    for results in runs:
        text = rendered(BuildSummary(results, base / "output", base / "reports", base / "records", False), width)
        assert "…" not in text, text
        lines = text.splitlines()
        for domain in ("www.chenghu.gov.cn", "jt.chenghu.gov.cn", "jtj.chenghu.gov.cn"):
            assert any(domain in line for line in lines), (domain, text)
        note = " ".join(line.strip() for line in lines[lines.index(next(l for l in lines if "jtj." in l)):])
        assert "old domain" in note and "redirect" in note, text
        assert (base / "output" / "jtj.chenghu.gov.cn" / "index.html").is_file(), "the folder the note explains"
