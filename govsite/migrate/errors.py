"""The importer's errors: each names the file (and field) at fault and carries an exit code."""

from __future__ import annotations

from govsite.errors import GovsiteError, UsageError


class MigrateError(GovsiteError):
    """The migration could not run (exit 1)."""


class SourceUnreadable(UsageError):
    """The --source path does not exist, is not a folder, WARC or WACZ file, or holds no HTML page (exit 2)."""


class MappingInvalid(UsageError):
    """The column mapping file is not valid TOML or names columns wrongly (exit 2)."""


class SiteConfigUnreadable(MigrateError):
    """The existing site.toml of the target site cannot be read."""


class Interrupted(MigrateError):
    """Stopped by Ctrl-C: what was done is recorded; a re-run continues (exit 130)."""

    exit_code = 130
