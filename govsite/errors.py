"""Exceptions raised by govsite, each mapped to a command-line exit code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One violation: which file, which field, what value, what was expected."""

    file: Path | str
    field: str
    value: object
    expected: str

    def __str__(self) -> str:
        value = "(missing)" if self.value is None else repr(self.value)
        where = f"{self.file}: {self.field}" if self.field else f"{self.file}"
        return f"{where} = {value}: expected {self.expected}"


class GovsiteError(Exception):
    """Base class: a failure the user can fix, reported without a traceback."""

    exit_code = 1


class ProblemsFound(GovsiteError):
    """A list of problems, all reported at once."""

    what = "problems"

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.format_message())

    def __reduce__(self):
        """Pickled with its problems (a build worker's error crosses processes), not its message."""
        return type(self), (self.problems,)

    def format_message(self) -> str:
        count = len(self.problems)
        lines = [f"{self.what} ({count} problem{'s' if count != 1 else ''}):"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


class GroupInvalid(ProblemsFound):
    """The site group's configuration violates the identity rules."""

    what = "the site group is invalid"


class ContentInvalid(ProblemsFound):
    """Articles or pages carry bad metadata."""

    what = "the content is invalid"


class UsageError(GovsiteError):
    """Bad command-line usage (unknown site id, missing folder)."""

    exit_code = 2


class BuildFailed(GovsiteError):
    """One or more sites failed to build; their previous output was kept."""

    def __init__(self, failures: dict[str, str]):
        self.failures = dict(failures)
        lines = [f"{len(failures)} site(s) failed to build (previous output kept):"]
        for site_id, reason in failures.items():
            lines.append(f"  - {site_id}: {reason}")
        super().__init__("\n".join(lines))


#: Where checks of the built output (links, accessibility) leave their failures, so that one build
#: reports every one of them instead of stopping at the first.
DEFERRED = "GOVSITE_DEFERRED_FAILURES"


class ChecksFailed(GovsiteError):
    """Several checks of the built output failed; the message has each one's own message."""

    def __init__(self, failures: list[GovsiteError]):
        self.failures = list(failures)
        super().__init__("\n\n".join(str(f) for f in self.failures))


def defer_failure(settings: dict, failure: GovsiteError) -> None:
    """Record a failed output check; ``raise_deferred`` raises them all once every check has run."""
    settings.setdefault(DEFERRED, []).append(failure)


def raise_deferred(settings: dict) -> None:
    """Raise the recorded failures (the single one itself, several as ChecksFailed) and forget them."""
    failures = settings.pop(DEFERRED, [])
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise ChecksFailed(failures)
