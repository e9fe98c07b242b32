"""The build manifest (防篡改): SHA-256 and SM3 of every output file, optionally signed; deploy checks.

Every successful build writes ``<output>/<domain>/.govsite-manifest.json`` (and, when a signing key
is configured, ``.govsite-manifest.sig``) into the staging folder just before it is swapped into
place, so the manifest always describes exactly the output it travels with. ``verify_deploy``
compares a deployed copy against it: added, removed and changed files.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from govsite.files import write_bytes_atomic

from .errors import DeployMismatch, ManifestInvalid, SignatureInvalid
from .hashing import file_digests, sha256_hex, sm3_hex
from .signing import Signer, Verifier, load_signer
from .sitefiles import MANIFEST_NAME, RESERVED, SIGNATURE_NAME, SiteFile, walk

SCHEMA = "govsite-manifest/1"
SIGNATURE_SCHEMA = "govsite-manifest-signature/1"
KEY_SETTING = "GOVSITE_MANIFEST_KEY"  # Pelican setting and environment variable: the signing key's path
PUBLIC_KEY_ENV = "GOVSITE_MANIFEST_PUBLIC_KEY"
IDENTITY_FIELDS = ("id", "kind", "name", "organizer", "operator", "domain", "site_code", "icp", "police_filing")
_HEX64 = re.compile(r"[0-9a-f]{64}")


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def build_time(files, environ=os.environ) -> datetime:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the newest file's mtime, whole seconds."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    newest = max((f.mtime for f in files), default=0.0)
    return datetime.fromtimestamp(int(newest), timezone.utc)


def source_commit(folder: Path | str) -> tuple[str, bool | None]:
    """``(commit, dirty)`` of the git work tree holding ``folder``; ``("", None)`` outside git."""
    return asked_source_commit(folder)()


def asked_source_commit(folder: Path | str) -> Callable[[], tuple[str, bool | None]]:
    """``source_commit``, asked now (git's two questions run side by side, and beside the build that
    asks at its start); the returned function waits for the answer (once: called again, it gives it
    again; a build that fails calls it to reap the processes)."""
    try:
        head = subprocess.Popen(["git", "-C", str(folder), "rev-parse", "HEAD"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
    except OSError:
        return lambda: ("", None)
    try:
        status = subprocess.Popen(["git", "-C", str(folder), "status", "--porcelain", "--", "."],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    except OSError:
        status = None

    @functools.cache
    def answer() -> tuple[str, bool | None]:
        try:
            commit = _output(head, 20)
            dirty = _output(status, 60) if status is not None else None
        finally:
            for process in (head, status):
                if process is not None and process.poll() is None:
                    process.kill()
                    process.wait()
        if commit is None:
            return "", None
        return commit.strip(), None if dirty is None else bool(dirty.strip())
    return answer


def _output(process: subprocess.Popen, timeout: float) -> str | None:
    """What ``process`` printed, once it has ended; None when it failed or took over ``timeout`` s."""
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.SubprocessError:
        return None
    return out if process.returncode == 0 else None


def make_manifest(folder: Path | str, identity: dict, built: datetime | None = None, commit: str = "",
                  dirty: bool | None = None, progress: Callable[[int], None] | None = None,
                  known: dict[str, dict] | None = None, kept: dict[str, int] | None = None,
                  files: list[SiteFile] | None = None, unchanged: set[str] | frozenset[str] = frozenset()) -> dict:
    """The manifest of every file under ``folder`` (the manifest and its signature excepted).

    :param known: entries to take as they are instead of reading the file (``linked_entries``).
    :param kept: ``{path: inode}``: take a ``known`` entry only for a file that is still that inode,
        or whose path is in ``unchanged`` (its bytes were compared with the file ``known`` describes).
    :param files: ``walk(folder)`` when the caller has walked it already (``govsite.archive.staged_files``).
    A known entry whose size is not the file's is never taken."""
    files = walk(folder) if files is None else files
    escaping = [f"{f.rel} -> {f.link_outside}" for f in files if f.link_outside]
    if escaping:
        raise ManifestInvalid(f"{folder}: symbolic links leave the folder: {', '.join(escaping)}")
    entries, total, known = [], 0, known or {}
    for item in files:
        entry = known.get(item.rel)
        if entry is not None and ((kept is not None and kept.get(item.rel) != item.inode and item.rel not in unchanged)
                                  or entry.get("bytes") != item.size):
            entry = None  # replaced since it was kept: read it
        if entry is None:
            size, sha, national = file_digests(item.path)
            entry = {"path": item.rel, "bytes": size, "sha256": sha, "sm3": national}
        size = entry["bytes"]
        entries.append(entry)
        total += size
        if progress:
            progress(size)
    return {
        "schema": SCHEMA,
        "site": {k: v for k, v in identity.items() if v},
        "built": _utc(built or build_time(files)),
        "commit": commit,
        "dirty": dirty,
        "algorithms": ["sha256", "sm3"],
        "totals": {"files": len(entries), "bytes": total},
        "files": entries,
    }


#: ``{entry's items: its line}``: a watching build writes mostly the lines of its last manifest again.
_LINES: dict[tuple, str] = {}
#: ``{identity of a manifest file this process wrote or read: its entries by path}`` (identity: device,
#: inode, size, mtime): a watching build takes the live manifest's entries without parsing it again.
_DOCUMENTS: dict[tuple[int, int, int, int], dict[str, dict]] = {}
#: Bounds of the two memos (entries): past them they are emptied, so memory follows the output's size.
MEMO_LIMIT = 1 << 18


def _entry_line(entry: dict) -> str:
    try:
        key = tuple(entry.items())
        line = _LINES.get(key)
    except TypeError:  # an unhashable value (a foreign manifest): not remembered
        return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    if line is None:
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        if len(_LINES) >= MEMO_LIMIT:
            _LINES.clear()
        _LINES[key] = line
    return line


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns


def _remember(path: Path, document: dict) -> None:
    identity = _identity(path)
    if identity is None:
        return
    if sum(len(files) for files in _DOCUMENTS.values()) + len(document["files"]) > MEMO_LIMIT:
        _DOCUMENTS.clear()
    _DOCUMENTS[identity] = {entry["path"]: dict(entry) for entry in document["files"]}  # copies: the caller's stay its own


def manifest_files(path: Path | str) -> dict[str, dict]:
    """The entries by path of the manifest at ``path`` (``load_manifest(path).files``), from memory
    while the file is still the one this process wrote or read there (read-only: shared).

    :raises ManifestInvalid: as ``load_manifest``."""
    path = Path(path)
    identity = _identity(path)
    if identity is not None and identity in _DOCUMENTS:
        return _DOCUMENTS[identity]
    manifest = load_manifest(path)
    if identity is not None and identity == _identity(path):
        _remember(path, {"files": list(manifest.files.values())})
    return manifest.files


def files_digest(document: dict) -> str:
    """SHA-256 (hex) of the manifest's file lines as written, one per line: a digest of the output's
    files (paths, sizes, SHA-256, SM3) that, unlike the whole manifest's, does not change with the build time."""
    return sha256_hex("\n".join(_entry_line(entry) for entry in document["files"]).encode("utf-8"))


def manifest_bytes(document: dict) -> bytes:
    """The manifest as written: UTF-8 JSON, one file per line, stable order."""
    head = {k: v for k, v in document.items() if k != "files"}
    text = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    lines = [_entry_line(entry) for entry in document["files"]]
    text += ',\n "files": [\n  ' + ",\n  ".join(lines) + "\n ]\n}\n"
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ManifestInvalid(f"a file name is not valid UTF-8: {exc.object[max(0, exc.start - 40):exc.end]!r}") \
            from None


def signature_document(data: bytes, signer: Signer) -> dict:
    import base64

    return {"schema": SIGNATURE_SCHEMA, "signed": MANIFEST_NAME, "algorithm": signer.algorithm,
            "key_id": signer.key_id, "sha256": sha256_hex(data), "sm3": sm3_hex(data),
            "signature": base64.b64encode(signer.sign(data)).decode("ascii")}


def write_manifest(folder: Path | str, document: dict, signer: Signer | None = None) -> Path:
    """Write ``.govsite-manifest.json`` (and ``.govsite-manifest.sig`` when signing) into ``folder``."""
    folder = Path(folder)
    data = manifest_bytes(document)
    write_bytes_atomic(folder / MANIFEST_NAME, data)
    _remember(folder / MANIFEST_NAME, document)
    signature = folder / SIGNATURE_NAME
    if signer:
        write_bytes_atomic(signature, (json.dumps(signature_document(data, signer), indent=1) + "\n").encode("ascii"))
    elif signature.exists():
        signature.unlink()
    return folder / MANIFEST_NAME


def configured_key(settings: dict | None = None, environ=os.environ) -> str:
    """The signing key's path: ``$GOVSITE_MANIFEST_KEY``, else the ``GOVSITE_MANIFEST_KEY`` setting, else ""."""
    return environ.get(KEY_SETTING, "").strip() or str((settings or {}).get(KEY_SETTING) or "").strip()


def linked_entries(staging: Path | str, live: Path | str) -> dict[str, dict]:
    """The live manifest's entries for staged files that ARE the live files (the same inode: pages an
    incremental build kept by linking), so their bytes need not be read and hashed again.

    Sound because the build reuses live pages only when the live output is exactly what the last
    build left (``govsite.build.output_intact``) and fails if a kept page was written in place."""
    try:
        previous = manifest_files(Path(live) / MANIFEST_NAME)
    except ManifestInvalid:
        return {}
    known, staging, live = {}, str(staging), str(live)
    for rel, entry in previous.items():
        try:
            same = os.stat(os.path.join(staging, rel)).st_ino == os.stat(os.path.join(live, rel)).st_ino
        except OSError:
            continue
        if same:
            known[rel] = entry
    return known


def kept_entries(live: Path | str, kept) -> dict[str, dict]:
    """The live manifest's entries for the files an incremental build kept from the live output
    (``kept``: ``{path: inode}`` of the links it made, ``govsite.incremental.kept_inodes``, or any
    paths); with ``make_manifest(kept=...)`` each is used only while the staged file is still that
    inode — no file is read or stat'ed for it besides the walk. Sound as ``linked_entries`` is."""
    if not kept:
        return {}
    try:
        previous = manifest_files(Path(live) / MANIFEST_NAME)
    except ManifestInvalid:
        return {}
    return {rel: previous[rel] for rel in kept if rel in previous}


def write_build_manifest(staging: Path | str, site, settings: dict | None = None,
                         live: Path | str | None = None, kept: dict[str, int] | None = None,
                         files: list[SiteFile] | None = None, unchanged: set[str] | None = None,
                         source: Callable[[], tuple[str, bool | None]] | None = None) -> Path:
    """The build's hook: manifest (signed when a key is configured) for a site built into ``staging``.

    :param site: a ``govsite.registry.Site`` (its identity goes into the manifest).
    :param settings: the site's Pelican settings (``GOVSITE_MANIFEST_KEY``, ``PATH`` for the commit).
    :param live: the site's live output: entries of files linked from it are reused (``linked_entries``).
    :param kept: ``{path: inode}`` of the files the build linked from ``live`` (``kept_entries``: no stat
        of the live output); None: found by comparing inodes (``linked_entries``).
    :param files: the walk of ``staging``, when the build has it (``govsite.archive.staged_files``).
    :param unchanged: staged files whose bytes were compared equal to the live files, when the live
        output is what the live manifest describes (the build checked it, ``build.output_intact``):
        their live entries are taken as well.
    :param source: ``asked_source_commit`` of the site folder, asked when the build started (else asked here).
    :raises KeyProblem: the configured key cannot be used (the site fails; its old output stays).
    """
    key = configured_key(settings)
    signer = load_signer(key) if key else None
    identity = {name: str(getattr(site, name, "") or "") for name in IDENTITY_FIELDS}
    commit, dirty = (source or asked_source_commit((settings or {}).get("PATH") or getattr(site, "folder", ".")
                                                   or "."))()
    unchanged = unchanged or set()
    if live and (kept is not None or unchanged):
        known, kept = kept_entries(live, {**(kept or {}), **dict.fromkeys(unchanged, 0)}), kept or {}
    else:
        known, kept = (linked_entries(staging, live) if live else {}), None
    document = make_manifest(staging, identity, commit=commit, dirty=dirty, known=known, kept=kept, files=files,
                             unchanged=unchanged)
    return write_manifest(staging, document, signer)


# ---- reading and checking ------------------------------------------------------------------------

def _safe_path(value) -> str:
    """Why a manifest path is unacceptable, or "" when it is a plain relative path inside the folder."""
    if not isinstance(value, str) or not value:
        return "not a non-empty string"
    if "\x00" in value or "\\" in value:
        return "contains a NUL or a backslash"
    if value.startswith("/") or re.match(r"^[A-Za-z]:", value):
        return "is absolute: it escapes the folder"
    parts = value.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "has an empty, '.' or '..' segment: it escapes or is not canonical"
    if value in RESERVED:
        return "names the manifest itself"
    return ""


@dataclass
class Manifest:
    path: Path
    data: bytes
    document: dict
    files: dict = field(default_factory=dict)  # rel -> entry

    @property
    def site(self) -> dict:
        return self.document.get("site") or {}

    @property
    def built(self) -> datetime:
        return parse_time(self.document["built"])


def load_manifest(path: Path | str) -> Manifest:
    """Read and check a manifest: JSON, schema, every entry's path (no escaping), sizes and digests.

    :raises ManifestInvalid: naming the file and the entry.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ManifestInvalid(f"{path}: cannot read the manifest ({exc.strerror})") from exc
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestInvalid(f"{path}: not a JSON manifest ({exc})") from None
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        found = document.get("schema") if isinstance(document, dict) else type(document).__name__
        raise ManifestInvalid(f"{path}: schema = {found!r}: expected {SCHEMA!r}")
    try:
        parse_time(str(document.get("built")))
    except ValueError:
        raise ManifestInvalid(f"{path}: built = {document.get('built')!r}: expected YYYY-MM-DDTHH:MM:SSZ") from None
    entries = document.get("files")
    if not isinstance(entries, list):
        raise ManifestInvalid(f"{path}: files: expected a list")
    problems, files = [], {}
    for number, entry in enumerate(entries):
        where = f"files[{number}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: not an object")
            continue
        why = _safe_path(entry.get("path"))
        if why:
            problems.append(f"{where}.path = {entry.get('path')!r}: {why}")
            continue
        if entry["path"] in files:
            problems.append(f"{where}.path = {entry['path']!r}: listed twice")
        if not isinstance(entry.get("bytes"), int) or entry["bytes"] < 0:
            problems.append(f"{where}.bytes = {entry.get('bytes')!r}: expected a size in bytes")
        for algorithm in ("sha256", "sm3"):
            if not _HEX64.fullmatch(str(entry.get(algorithm, ""))):
                problems.append(f"{where}.{algorithm} = {entry.get(algorithm)!r}: expected 64 lower-case hex digits")
        files[entry["path"]] = entry
    if problems:
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        raise ManifestInvalid(f"{path}: the manifest is invalid and was not used ({len(problems)} problem(s)):\n{shown}")
    return Manifest(path, data, document, files)


def check_signature(manifest: Manifest, verifier: Verifier, signature_path: Path | None = None) -> dict:
    """Verify the detached signature next to the manifest with a trusted public key.

    :raises SignatureInvalid: missing, malformed, another key, or not valid for these bytes.
    """
    import base64

    signature_path = signature_path or manifest.path.with_name(SIGNATURE_NAME)
    if not signature_path.exists():
        raise SignatureInvalid(f"{manifest.path}: not signed ({signature_path.name} is missing), "
                               "but a public key was given: the manifest cannot be trusted")
    try:
        document = json.loads(signature_path.read_bytes())
        value = base64.b64decode(document["signature"], validate=True)
        algorithm, signed_by = document["algorithm"], document["key_id"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SignatureInvalid(f"{signature_path}: not a readable signature file ({exc})") from None
    if algorithm != verifier.algorithm or signed_by != verifier.key_id:
        raise SignatureInvalid(f"{signature_path}: signed with another key ({algorithm} {signed_by[:23]}…), "
                               f"not the given {verifier.algorithm} key {verifier.key_id[:23]}…")
    if not verifier.verify(manifest.data, value):
        raise SignatureInvalid(f"{signature_path}: the signature does not match {manifest.path.name}: "
                               "the manifest was altered after signing (or the signature was)")
    return document


@dataclass
class DeployReport:
    folder: Path
    manifest: Path
    checked: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # "path: why"
    signature: str = ""  # what was concluded about the signature
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def problems(self) -> list[str]:
        return ([f"added: {p}" for p in self.added] + [f"removed: {p}" for p in self.removed]
                + [f"changed: {p}" for p in self.changed])

    def to_json(self) -> dict:
        return {"schema": "govsite-deploy-check/1", "folder": str(self.folder), "manifest": str(self.manifest),
                "ok": self.ok, "checked": self.checked, "added": self.added, "removed": self.removed,
                "changed": self.changed, "signature": self.signature, "notes": self.notes}


def compare(folder: Path | str, manifest: Manifest, progress: Callable[[int], None] | None = None) -> DeployReport:
    """Compare every file under ``folder`` with the manifest (sizes, then SHA-256 and SM3 of each)."""
    folder = Path(folder)
    report = DeployReport(folder, manifest.path)
    skipped: list[str] = []
    present = {f.rel: f for f in walk(folder, skipped)}
    report.notes += skipped
    for rel, item in present.items():
        entry = manifest.files.get(rel)
        if entry is None:
            report.added.append(rel)
            continue
        if item.link_outside:
            report.changed.append(f"{rel}: a symbolic link to {item.link_outside}, outside the folder")
            continue
        report.checked += 1
        size, sha, national = file_digests(item.path)
        if progress:
            progress(size)
        differ = [name for name, have in (("SHA-256", sha), ("SM3", national))
                  if have != entry["sha256" if name == "SHA-256" else "sm3"]]
        if size != entry["bytes"]:
            report.changed.append(f"{rel}: {entry['bytes']} bytes in the manifest, {size} deployed")
        elif differ:
            report.changed.append(f"{rel}: same size, different content ({' and '.join(differ)} differ)")
    report.removed = sorted(rel for rel in manifest.files if rel not in present)
    return report


def verify_deploy(folder: Path | str, manifest_path: Path | str | None = None, public_key: Path | str | None = None,
                  progress: Callable[[int], None] | None = None) -> DeployReport:
    """Check a deployed copy against its build manifest; raise DeployMismatch listing every difference.

    :param manifest_path: default: the manifest inside ``folder`` (trustworthy only when signed).
    :param public_key: a trusted public key; when given, the manifest must carry a valid signature.
    """
    from .signing import load_verifier

    folder = Path(folder)
    if not folder.is_dir():
        from .errors import ArchiveUsageError

        raise ArchiveUsageError(f"{folder}: not a folder")
    manifest = load_manifest(Path(manifest_path) if manifest_path else folder / MANIFEST_NAME)
    public_key = public_key or os.environ.get(PUBLIC_KEY_ENV, "").strip() or None
    signature_file = manifest.path.with_name(SIGNATURE_NAME)
    if public_key:
        verifier = load_verifier(public_key)
        check_signature(manifest, verifier, signature_file)
        status = f"valid {verifier.algorithm} signature, key {verifier.key_id[:23]}…"
    elif signature_file.exists():
        status = "signed, but not checked: give --public-key to check it"
    else:
        status = "not signed"
    report = compare(folder, manifest, progress)
    report.signature = status
    if not manifest_path and not public_key:
        report.notes.append("the manifest came from the deployed folder itself and no public key was given: "
                            "this finds damage, not deliberate tampering (sign the manifest, or keep a copy)")
    if not report.ok:
        error = DeployMismatch(str(folder), report.problems())
        error.report = report
        raise error
    return report
