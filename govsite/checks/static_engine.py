"""The static engine: every rule on every page, in parallel processes for large folders, then the
site rules over the facts the pages gave (the same <title> on many pages, for one)."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from govsite.files import page_names
from govsite.workers import process_pool

from .findings import Finding, engine_error
from .html_page import Page, UnreadableInput
from .rules import error_text, page_facts, run_rules, run_site_rules

#: Below this many pages one process is faster than starting a pool.
PARALLEL_THRESHOLD = 400
HTML_SUFFIXES = (".html", ".htm")


#: The modules whose code decides the static findings (with the vocabularies they check against).
RULE_MODULES = ("checks/html_page.py", "checks/rules.py", "checks/a11y_rules.py", "checks/platform_rules.py",
                "checks/structure_rules.py", "checks/keyboard_rules.py", "checks/site_rules.py", "checks/page_css.py",
                "checks/govmeta.py", "checks/aria.py", "checks/findings.py", "vocabulary.py", "identity.py",
                "charset.py")
_PACKAGE = Path(__file__).resolve().parent.parent  # govsite/


def rules_fingerprint(options: dict, disabled: frozenset[str]) -> str:
    """Changes when the rules' code, their options or the disabled rules change (then every page is re-checked)."""
    digest = hashlib.sha256(json.dumps([sorted(disabled), options], sort_keys=True, default=str).encode())
    for module in RULE_MODULES:
        digest.update((_PACKAGE / module).read_bytes())
    return digest.hexdigest()[:16]


def list_pages(root: Path) -> list[Path]:
    """Every HTML file under ``root`` (``page_names``), or ``root`` itself when it is a file."""
    root = Path(root)
    if root.is_file():
        return [root]
    return [root / name for name in page_names(root, HTML_SUFFIXES)]


@dataclass
class StaticRun:
    """The page rules' findings and, per page, the facts the site rules take from it."""

    findings: list[Finding] = field(default_factory=list)
    facts: dict[str, dict] = field(default_factory=dict)


def check_files(root: str, files: list[str], options: dict, disabled: frozenset[str]) -> StaticRun:
    """Run the rules on a batch of files (a worker's unit of work)."""
    base = Path(root)
    run = StaticRun()
    findings = run.findings
    for file in files:
        try:
            page = Page.from_file(Path(file), base if base.is_dir() else None, options)
        except UnreadableInput:
            raise
        except Exception as exc:  # noqa: BLE001 - a page the parser fails on is a failing finding
            name = Path(file).relative_to(base).as_posix() if base.is_dir() else Path(file).as_posix()
            findings.append(engine_error(name, "static", "html-parse", error_text(exc)))
            continue
        findings += run_rules(page, disabled)
        run.facts[page.path], errors = page_facts(page, disabled)
        findings += errors
    return run


def check_static(root: Path, files: list[Path], options: dict | None = None,
                 disabled: frozenset[str] = frozenset(), workers: int | None = None, progress=None) -> StaticRun:
    """The page rules on ``files`` (under ``root``) and their facts; ``progress(n)`` is called as batches finish."""
    options = options or {}
    names = [str(f) for f in files]
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(names) < PARALLEL_THRESHOLD:
        run = check_files(str(root), names, options, disabled)
        if progress:
            progress(len(names))
        return run
    size = max(50, len(names) // (workers * 8))
    batches = [names[i:i + size] for i in range(0, len(names), size)]
    run = StaticRun()
    with process_pool(workers) as pool:
        for batch, result in zip(batches, pool.map(check_files, [str(root)] * len(batches), batches,
                                                   [options] * len(batches), [disabled] * len(batches))):
            run.findings += result.findings
            run.facts.update(result.facts)
            if progress:
                progress(len(batch))
    return run


def run_static(root: Path, files: list[Path], options: dict | None = None,
               disabled: frozenset[str] = frozenset(), workers: int | None = None, progress=None) -> list[Finding]:
    """Every page rule on ``files`` (under ``root``), then the site rules over those pages."""
    run = check_static(root, files, options, disabled, workers, progress)
    return run.findings + run_site_rules(run.facts, disabled)
