"""Exceptions raised by the archive package, each a GovsiteError with its exit code."""

from __future__ import annotations

from govsite.errors import GovsiteError


class ArchiveError(GovsiteError):
    """Base class: an archive, manifest or key problem the user can fix (exit 1)."""


class ArchiveUsageError(ArchiveError):
    """Bad command-line input: a missing folder, an unknown site, conflicting options (exit 2)."""

    exit_code = 2


class Damaged(ArchiveError):
    """A list of findings (damaged records, changed files), all reported at once."""

    what = "damaged"

    def __init__(self, subject: str, problems: list[str]):
        self.subject = str(subject)
        self.problems = list(problems)
        count = len(self.problems)
        shown = self.problems[:200]
        lines = [f"{self.subject}: {self.what} ({count} problem{'s' if count != 1 else ''}):"]
        lines += [f"  - {p}" for p in shown]
        if count > len(shown):
            lines.append(f"  ... and {count - len(shown)} more")
        super().__init__("\n".join(lines))


class ArchiveDamaged(Damaged):
    """A WACZ or WARC failed verification."""

    what = "the archive is damaged"


class DeployMismatch(Damaged):
    """A deployed copy differs from its build manifest."""

    what = "the deployed copy differs from the build manifest"


class TamperDetected(Damaged):
    """The files to snapshot differ from the build manifest written by the build."""

    what = "the files differ from the build manifest, so the snapshot would preserve altered content"


class ManifestInvalid(ArchiveError):
    """A manifest that cannot be trusted as input: bad JSON, unknown schema, a path escaping the folder."""


class SignatureInvalid(ArchiveError):
    """A manifest signature that is missing, malformed, made with another key, or does not verify."""


class KeyProblem(ArchiveError):
    """A signing or verification key that cannot be read or is of an unsupported kind."""
