"""A large migration runs in worker processes (extraction, then the checks of the written pages for the
edits the build will demand): it writes and reports exactly what a migration in one process does."""

from pathlib import Path

from bench.migrate_speed import make_mirror
from govsite.migrate import Settings, migrate


def _migrate(source: Path, out: Path, workers: int):
    outcome = migrate(Settings(source=str(source), site_id="qinglan", content=str(out / "content"),
                               report=str(out / "reports"), workers=workers))
    files = {p.relative_to(out / "content").as_posix(): p.read_bytes()
             for p in sorted((out / "content").rglob("*")) if p.is_file() and ".migrate" not in p.parts}
    edits = [{**e, "file": Path(e["file"]).relative_to(out).as_posix()} for e in outcome.data["edits"]]
    return outcome, files, edits


def test_workers_write_and_report_what_one_process_does(tmp_path):
    pages, _ = make_mirror(tmp_path / "legacy", 230)           # above the 200 pages that start workers
    one, one_files, one_edits = _migrate(tmp_path / "legacy", tmp_path / "one", workers=1)
    two, two_files, two_edits = _migrate(tmp_path / "legacy", tmp_path / "two", workers=2)
    assert one.data["totals"]["pages"] == two.data["totals"]["pages"] == pages
    assert one_files == two_files and len(one_files) > 200
    assert one_edits == two_edits
    rules = {e["rule"] for e in two_edits}
    assert "table-has-header" in rules and "todo" in rules    # Word tables without <th>; about/contact drafts
    assert sum(e["rule"] == "table-has-header" for e in two_edits) > 100
