"""When each file was first committed (``git log --diff-filter=A``), to catch back-dated articles.

What the history says is a function of the commit at ``HEAD``: it is remembered in this process per
folder while ``HEAD`` is that commit (``govsite build --watch`` builds again and again; the log of a
content repository grows with its history), so a build asks git one question when nothing was
committed since the last."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


def _git(folder: Path | str, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-c", "core.quotepath=off", "-C", str(folder), *args],
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


@dataclass
class History:
    """What the commits reachable from ``head`` say about the files under a folder."""

    head: str
    added: dict[str, datetime]  # path -> first time it was added under its name (one git log)
    committed: frozenset[str]  # the paths in HEAD's tree
    followed: dict[str, datetime | None] = field(default_factory=dict)  # renamed files' (--follow), as asked


#: ``{folder: History}``: the latest history read per folder in this process.
_histories: dict[str, History] = {}


def read_history(folder: str, head: str) -> History:
    """One ``git log`` of the files added under ``folder``, and the files of ``head``'s tree."""
    added: dict[str, datetime] = {}
    log = _git(folder, "log", "--diff-filter=A", "--relative", "--format=@%aI", "--name-only", head, "--", ".") or ""
    when = None
    for line in log.splitlines():
        if line.startswith("@"):
            when = datetime.fromisoformat(line[1:])
        elif line.strip() and when is not None:
            added[os.path.join(folder, line.strip())] = when  # newest first: the last line seen is the first commit
    tree = _git(folder, "ls-tree", "-r", "-z", "--name-only", head, "--", ".") or ""
    return History(head, added, frozenset(os.path.join(folder, name) for name in tree.split("\0") if name))


def first_commits(folder: Path | str, files: list[Path | str]) -> dict[str, datetime]:
    """First-commit (author) time of each file under ``folder`` that git knows, keyed by
    ``os.path.abspath`` of the file; {} without git, a repository or a commit.

    One ``git log`` over the folder, then ``--follow`` for committed files it does not show as added
    (renamed); files not in ``HEAD``'s tree (not committed yet) are skipped without a query each. Paths
    are joined, not resolved (resolving 10,000 paths cost a second per build)."""
    folder = os.path.abspath(folder)
    if not shutil.which("git") or not files:
        return {}
    head = (_git(folder, "rev-parse", "--verify", "--quiet", "HEAD^{commit}") or "").strip()
    if not head:
        return {}
    history = _histories.get(folder)
    if history is None or history.head != head:
        history = _histories[folder] = read_history(folder, head)
    wanted = {os.path.abspath(f) for f in files}
    found = {path: history.added[path] for path in wanted if path in history.added}
    for path in (wanted - set(found)) & history.committed:
        if path not in history.followed:
            dates = (_git(folder, "log", "--diff-filter=A", "--follow", "--format=%aI", head, "--", path) or "").split()
            history.followed[path] = datetime.fromisoformat(dates[-1]) if dates else None
        if history.followed[path] is not None:
            found[path] = history.followed[path]
    return found
