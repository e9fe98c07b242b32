"""Console front-ends for the archive tasks: progress bars, summaries, exit codes (0 ok, 1 damage, 2 usage)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from govsite.console import console, errors, fail
from govsite.errors import GovsiteError

from .errors import ArchiveUsageError, Damaged
from .sitefiles import MANIFEST_NAME


def _bar(label: str) -> Progress:
    return Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TextColumn("{task.description}"), console=console, transient=not console.is_terminal)


def _write_report(path: str | None, data) -> None:
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")


def _targets(content: str, output: str, site_ids: list[str] | None) -> list[tuple[str, Path, str]]:
    """``(label, folder, domain)`` for every selected built site."""
    from govsite.build import select_sites
    from govsite.registry import load_group

    targets = []
    for site in select_sites(load_group(content), site_ids):
        folder = Path(output) / site.domain
        if not folder.is_dir():
            manifests = [m for m in Path(output).glob(f"*/{MANIFEST_NAME}")
                         if json.loads(m.read_bytes()).get("site", {}).get("id") == site.id]
            if not manifests:
                raise ArchiveUsageError(f"{folder}: site {site.id} is not built; run `invoke build --site {site.id}`")
            folder = manifests[0].parent
        targets.append((site.id, folder, folder.name))
    return targets


def archive(content: str, output: str, archives: str, site_ids: list[str] | None, from_dir: str | None,
            domain: str | None, redirects: str | None, ignore_manifest: bool = False) -> int:
    """Snapshot built sites (or one legacy folder); print a table of the snapshots."""
    from .snapshot import read_redirects, snapshot_site

    try:
        if from_dir or domain:
            if not (from_dir and domain):
                raise ArchiveUsageError("--from-dir DIR and --domain D go together (a legacy folder and its host)")
            if site_ids:
                raise ArchiveUsageError("--site cannot be combined with --from-dir")
            targets = [(Path(from_dir).name, Path(from_dir), domain)]
        else:
            targets = _targets(content, output, site_ids)
        extra = read_redirects(redirects) if redirects else None
        results = []
        with _bar("archiving") as bar:
            for label, folder, host in targets:
                total = sum(1 for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0
                task = bar.add_task(label, total=total)
                results.append((label, snapshot_site(folder, host, archives, redirects=extra,
                                                     check_manifest=not ignore_manifest,
                                                     progress=lambda _item, t=task: bar.advance(t))))
                bar.update(task, completed=total)
    except GovsiteError as exc:
        return fail(exc)
    table = Table(title=f"snapshots in {Path(archives).resolve()}")
    for column in ("site", "snapshot", "files", "pages", "records", "MB", "seconds", ""):
        table.add_column(column)
    for label, r in results:
        table.add_row(label, str(r.path), str(r.files), str(r.pages), str(r.records), f"{r.bytes / 1e6:.1f}",
                      f"{r.seconds:.1f}", "identical snapshot already there" if r.existed else "new")
    console.print(table)
    for label, r in results:
        for warning in r.warnings:
            errors.print(f"[yellow]warning[/] {label}: {warning}", soft_wrap=True)
    return 0


def verify_archive(path: str, report: str | None = None) -> int:
    """Verify every archive a path names; one line per archive, every problem listed."""
    from .verify import archives_in, verify_archive as verify

    try:
        paths = archives_in(path)
    except GovsiteError as exc:
        return fail(exc)
    results, code = [], 0
    with _bar("verifying") as bar:
        task = bar.add_task("", total=len(paths))
        for item in paths:
            bar.update(task, description=item.name)
            try:
                outcome = verify(item)
                results.append(outcome.to_json())
                console.print(f"[green]ok[/] {item}: {outcome.records} records, {outcome.index_lines} index lines, "
                              f"{outcome.pages} pages, {outcome.resources} resources re-hashed", soft_wrap=True)
            except Damaged as exc:
                results.append(exc.report.to_json())
                code = max(code, fail(exc))
            except GovsiteError as exc:
                code = max(code, fail(exc))
            bar.advance(task)
    _write_report(report, {"archives": results})
    return code


def verify_deploy(folder: str, manifest: str | None, public_key: str | None, output: str,
                  report: str | None = None) -> int:
    """Compare a deployed copy with its build manifest; list added, removed and changed files."""
    from .manifest import load_manifest, verify_deploy as verify

    deployed = Path(folder)
    built = Path(output) / deployed.name / MANIFEST_NAME
    if not manifest and built.is_file() and deployed.resolve() != built.parent.resolve():
        manifest = str(built)  # the build's own copy: the trustworthy reference
    try:
        reference = load_manifest(Path(manifest) if manifest else deployed / MANIFEST_NAME)
        with _bar("verifying") as bar:
            task = bar.add_task(deployed.name, total=reference.document.get("totals", {}).get("bytes") or None)
            outcome = verify(deployed, manifest, public_key, progress=lambda size: bar.advance(task, size))
    except Damaged as exc:
        outcome = exc.report
        _write_report(report, outcome.to_json())
        errors.print(f"signature: {outcome.signature}", soft_wrap=True)
        return fail(exc)
    except GovsiteError as exc:
        return fail(exc)
    _write_report(report, outcome.to_json())
    console.print(f"[green]ok[/] {deployed}: {outcome.checked} files match {outcome.manifest} "
                  f"(SHA-256 and SM3); signature: {outcome.signature}", soft_wrap=True)
    own_build = built.is_file() and deployed.resolve() == built.parent.resolve()
    for note in outcome.notes:
        if not (own_build and note.startswith("the manifest came from the deployed folder")):
            errors.print(f"[yellow]note[/] {note}", soft_wrap=True)
    return 0


def keygen(algorithm: str, out: str) -> int:
    """Write a new signing key pair: ``<out>.pem`` (private, mode 600) and ``<out>.pub.pem``."""
    from .signing import generate_key, load_verifier

    private_path, public_path = Path(f"{out}.pem"), Path(f"{out}.pub.pem")
    try:
        for path in (private_path, public_path):
            if path.exists():
                raise ArchiveUsageError(f"{path}: already exists (keys are never overwritten)")
        private, public = generate_key(algorithm)
        private_path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(private)
        public_path.write_bytes(public)
        key_id = load_verifier(public_path).key_id
    except GovsiteError as exc:
        return fail(exc)
    console.print(f"{algorithm} key pair written: {private_path} (keep it secret; set GOVSITE_MANIFEST_KEY to its "
                  f"path) and {public_path} (give it to verify-deploy --public-key); key id {key_id}", soft_wrap=True)
    return 0


def replay(path: str, port: int, root: str) -> int:
    """Serve snapshots in pywb on loopback until Ctrl-C."""
    from .replay import serve
    from .verify import archives_in

    try:
        waczs = [p for p in archives_in(path) if p.suffix == ".wacz"]
        serve(waczs, Path(root), port)
    except GovsiteError as exc:
        return fail(exc)
    return 0

