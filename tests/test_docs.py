"""The documentation's examples work: every command line parses, every TOML, Python and YAML block reads,
every relative link and anchor resolves, and the command-line tour (docs/tasks.md) runs for real."""

from __future__ import annotations

import re
import shlex
import tomllib
import unicodedata
from pathlib import Path

import pytest

from govsite import cli
from govsite.checks.cli import parser as check_parser
from govsite.checks.links_cli import parser as links_parser

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def blocks(language: str) -> list[tuple[str, str]]:
    """``(page name, text)`` of every fenced block in ``language``."""
    return [(page.name, body) for page in PAGES for lang, body in FENCE.findall(page.read_text("utf-8"))
            if lang == language]


def command_lines(text: str) -> list[str]:
    """The command lines of a shell block: continuations joined, comments dropped."""
    joined = text.replace("\\\n", " ")
    return [line.split(" #")[0].strip() for line in joined.splitlines() if line.strip() and not line.startswith("#")]


def is_synopsis(line: str) -> bool:
    """A usage synopsis (``[--opt X]``, ``PATH...``, ``SOURCE SITE``), not an example to run."""
    return "[" in line or "..." in line or "(" in line or re.search(r"\b[A-Z]{3,}\b", line) is not None


def govsite_lines() -> list[tuple[str, str]]:
    found = []
    for page, text in blocks("sh"):
        for line in command_lines(text):
            line = re.sub(r"^(\.venv/bin/|cd \S+ && )", "", line)
            if line.startswith("govsite ") and not is_synopsis(line):
                found.append((page, line))
    return found


def test_the_docs_have_examples_to_test():
    assert len(govsite_lines()) >= 15 and blocks("toml") and blocks("python")


@pytest.mark.parametrize("page, line", govsite_lines())
def test_every_govsite_example_parses(page, line):
    argv = shlex.split(line)[1:]
    if argv[0] == "check":
        check_parser().parse_args(argv[1:])
    elif argv[0] == "check-links":
        links_parser().parse_args(argv[1:])
    else:
        cli.parser().parse_args(argv)  # argparse exits 2 (SystemExit) on anything unknown or malformed


@pytest.mark.parametrize("page, text", blocks("toml"))
def test_every_toml_example_reads(page, text):
    tomllib.loads(text)


@pytest.mark.parametrize("page, text", blocks("python"))
def test_every_python_example_compiles(page, text):
    compile(text, page, "exec")


@pytest.mark.parametrize("page, text", blocks("yaml"))
def test_every_yaml_example_reads(page, text):
    yaml = pytest.importorskip("yaml")
    assert yaml.safe_load(text)


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower()
    text = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LN")
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = FENCE.sub("", page.read_text("utf-8"))
    return {slug(m) for m in re.findall(r"^#+ (.+)$", text, re.M)}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_and_anchor_resolves(page):
    text = FENCE.sub("", page.read_text("utf-8"))
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(target)
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(target)
    assert not broken, f"{page.name}: {broken}"


def test_the_command_line_tour_runs(tmp_path, monkeypatch, capsys):
    """docs/tasks.md's example, for real in a temporary folder: init, validate, lifecycle (no build: the
    installed-package test builds an init'd group through the gate)."""
    tour = next(text for page, text in blocks("sh") if page == "tasks.md")
    monkeypatch.chdir(tmp_path)
    ran = []
    for line in command_lines(tour):
        argv = shlex.split(line)
        if argv[0] == "cd":
            monkeypatch.chdir(Path.cwd() / argv[1])
        elif argv[0] == "govsite" and argv[1] in ("init", "validate", "lifecycle"):
            assert cli.main(argv[1:]) == 0, (line, capsys.readouterr())
            ran.append(argv[1])
    assert ran == ["init", "validate", "lifecycle"]
    assert "launch" in (tmp_path / "my-group" / "content" / "portal" / "site.toml").read_text("utf-8")
