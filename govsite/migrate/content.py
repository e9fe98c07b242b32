"""Writing into the site folder safely: never overwrite, update only untouched importer files.

The importer records the sha256 of every file it writes in ``<site>/.migrate/state.json``
(appended to ``journal.jsonl`` before each write, folded into ``state.json`` at the end, so an
interrupted run loses nothing). A file is rewritten only with ``--update`` and only while its
current hash is the recorded one (nobody edited it since). Every target path is checked to stay
inside the site folder; new files are created without ever clobbering (``os.link``), updates are
atomic (``os.replace``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

STATE_DIR = ".migrate"
STATE_FILE = "state.json"
JOURNAL_FILE = "journal.jsonl"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_segment(segment: str, fallback: str = "") -> str:
    """One path segment reduced to ``[A-Za-z0-9._-]``; never empty, ``.`` or ``..``."""
    cleaned = _UNSAFE.sub("-", segment).strip("-.")[:80]
    if not cleaned or cleaned in (".", ".."):
        cleaned = fallback or "f-" + hashlib.sha1(segment.encode("utf-8", "replace")).hexdigest()[:8]
    return cleaned


class PathEscape(ValueError):
    """A target path would leave the site folder."""


@dataclass
class Decision:
    """What happens to one target file: ``write``, ``update``, ``unchanged`` or ``skip`` (with why)."""

    action: str
    reason: str = ""


class SiteWriter:
    """All writes into one site folder go through here."""

    def __init__(self, site_folder: Path, dry_run: bool, update: bool):
        self.folder = Path(site_folder)
        self.root = self.folder.resolve() if self.folder.exists() else self.folder.absolute()
        self.dry_run = dry_run
        self.update = update
        self.state_dir = self.folder / STATE_DIR
        self.recorded: dict[str, str] = {}
        self.written: list[str] = []
        self._journal = None
        self._folders: dict[Path, Path] = {}    # existing folder -> where it resolves (see target)
        self._load()

    # -- state ---------------------------------------------------------------------------------
    def _load(self) -> None:
        state = self.state_dir / STATE_FILE
        if state.is_file():
            try:
                self.recorded.update(json.loads(state.read_text("utf-8")).get("files", {}))
            except (ValueError, OSError):
                pass
        journal = self.state_dir / JOURNAL_FILE
        if journal.is_file():
            for line in journal.read_text("utf-8", "replace").splitlines():
                try:
                    entry = json.loads(line)
                    self.recorded[entry["path"]] = entry["sha256"]
                except (ValueError, KeyError, TypeError):
                    continue          # a line cut short by an interruption

    def previous_state(self) -> dict:
        """The state.json of the last completed run ({} when none)."""
        try:
            return json.loads((self.state_dir / STATE_FILE).read_text("utf-8"))
        except (OSError, ValueError):
            return {}

    def _record(self, rel: str, digest: str) -> None:
        self.recorded[rel] = digest
        if self.dry_run:
            return
        if self._journal is None:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            self._journal = open(self.state_dir / JOURNAL_FILE, "a", encoding="utf-8")
        self._journal.write(json.dumps({"path": rel, "sha256": digest,
                                        "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}) + "\n")
        self._journal.flush()

    def save_state(self, extra: dict | None = None) -> None:
        """Fold the journal into state.json (atomically)."""
        if self.dry_run:
            return
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        self.state_dir.mkdir(parents=True, exist_ok=True)
        previous = {}
        state = self.state_dir / STATE_FILE
        if state.is_file():
            try:
                previous = json.loads(state.read_text("utf-8"))
            except ValueError:
                previous = {}
        data = {**previous, **(extra or {}), "schema": "govsite-migrate-state/1",
                "files": dict(sorted(self.recorded.items()))}
        self._atomic_replace(state, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        (self.state_dir / JOURNAL_FILE).unlink(missing_ok=True)

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    # -- paths -----------------------------------------------------------------------------------
    def target(self, rel: str) -> Path:
        """The absolute path of a site-relative path; raises PathEscape when it leaves the folder."""
        if not rel or rel.startswith(("/", "\\")) or ".." in Path(rel).parts or ":" in rel or "\\" in rel:
            raise PathEscape(f"{rel!r} is not a relative path inside the site folder")
        path = (self.root / rel)
        resolved = self._resolve(path)
        if resolved != self.root and self.root not in resolved.parents:
            raise PathEscape(f"{rel!r} resolves to {resolved}, outside {self.root}")
        return path

    def _resolve(self, path: Path) -> Path:
        """``path.resolve()``, with the resolution of its folder remembered once the folder exists:
        a migration writes thousands of files into a few folders, and only creates real folders."""
        folder = path.parent
        where = self._folders.get(folder)
        if where is None:
            where = folder.resolve()
            if folder.is_dir():
                self._folders[folder] = where
        return path.resolve() if os.path.islink(path) else where / path.name

    def exists(self, rel: str) -> bool:
        return self.target(rel).exists()

    # -- decisions and writes -------------------------------------------------------------------------
    def decide(self, rel: str, data: bytes) -> Decision:
        """What writing ``data`` to ``rel`` would do under the safety rules."""
        path = self.target(rel)
        if not path.exists():
            return Decision("write")
        current = sha256(path.read_bytes())
        recorded = self.recorded.get(rel)
        if current == sha256(data):
            return Decision("unchanged", "already imported (identical)" if recorded else "identical file exists")
        if recorded is None:
            return Decision("skip", "a file exists that the importer did not write: not overwritten")
        if current != recorded:
            return Decision("skip", "edited since the import (hash differs from the recorded one): not overwritten")
        if not self.update:
            return Decision("skip", "written by an earlier import and changed in the source: use --update to refresh")
        return Decision("update", "updated (untouched since the import)")

    def write(self, rel: str, data: bytes, decision: Decision | None = None) -> Decision:
        """Apply the safety rules and write (unless dry run); returns the decision."""
        decision = decision or self.decide(rel, data)
        if decision.action not in ("write", "update") or self.dry_run:
            return decision
        path = self.target(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.target(rel)        # re-check after creating folders (a symlinked folder)
        digest = sha256(data)
        self._record(rel, digest)
        if decision.action == "write":
            self._create_new(path, data)
        else:
            self._atomic_replace(path, data)
        self.written.append(rel)
        return decision

    def _create_new(self, path: Path, data: bytes) -> None:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".migrate-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.link(temp, path)          # fails if the file appeared meanwhile: never clobbers
        finally:
            os.unlink(temp)

    def _atomic_replace(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".migrate-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def write_owned(self, rel: str, data: bytes) -> None:
        """Files the importer alone maintains (redirects.csv, the draft): atomic replace, recorded."""
        if self.dry_run:
            return
        path = self.target(rel)
        self._record(rel, sha256(data))
        self._atomic_replace(path, data)


def read_header(path: Path) -> dict[str, str]:
    """The ``Key: value`` metadata lines at the top of a Markdown content file (lower-case keys)."""
    header = {}
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    break
                key, sep, value = line.partition(":")
                if not sep or " " in key.strip():
                    break
                header[key.strip().lower()] = value.strip()
    except (OSError, UnicodeDecodeError):
        pass
    return header
