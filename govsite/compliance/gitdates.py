"""When each file was first committed (``git log --diff-filter=A``), to catch back-dated articles."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path


def _git(folder: Path | str, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-c", "core.quotepath=off", "-C", str(folder), *args],
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def first_commits(folder: Path | str, files: list[Path | str]) -> dict[str, datetime]:
    """First-commit (author) time of each file under ``folder`` that git knows, keyed by
    ``os.path.abspath`` of the file; {} without git or a repo.

    One ``git log`` over the folder, then ``--follow`` for tracked files it does not show as added
    (renamed); files git does not track (not committed yet) are skipped without a query each. Paths
    are joined, not resolved (resolving 10,000 paths cost a second per build)."""
    folder = os.path.abspath(folder)
    if not shutil.which("git") or not files or _git(folder, "rev-parse", "--show-toplevel") is None:
        return {}
    wanted = {os.path.abspath(f) for f in files}
    found: dict[str, datetime] = {}
    log = _git(folder, "log", "--diff-filter=A", "--relative", "--format=@%aI", "--name-only", "--", ".") or ""
    when = None
    for line in log.splitlines():
        if line.startswith("@"):
            when = datetime.fromisoformat(line[1:])
        elif line.strip() and when is not None:
            path = os.path.join(folder, line.strip())
            if path in wanted:
                found[path] = when  # newest first: the last line seen is the first commit
    tracked = {os.path.join(folder, name) for name in (_git(folder, "ls-files", "-z", "--", ".") or "").split("\0")
               if name}
    for path in (wanted - set(found)) & tracked:
        dates = (_git(folder, "log", "--diff-filter=A", "--follow", "--format=%aI", "--", path) or "").split()
        if dates:
            found[path] = datetime.fromisoformat(dates[-1])
    return found
