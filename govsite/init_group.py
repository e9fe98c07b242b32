"""``govsite init DIR``: a new site group repository from the package's template (govsite/group_template/).

The template holds a portal and one department whose site.toml values are TODO-marked placeholders
that pass every check, the platform settings file, the public record folder, a ``.gitignore`` and CI
templates (GitHub Actions, GitLab CI). Nothing is ever overwritten: DIR must be new or empty.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from . import identity
from .defaults import TIMEZONE
from .errors import UsageError

TEMPLATE = Path(__file__).resolve().with_name("group_template")
#: Template names that are not their place in the repository (dotfiles do not travel well as package data).
RENAMED = {"gitignore": ".gitignore", "github-actions.yml": ".github/workflows/govsite.yml",
           "gitlab-ci.yml": ".gitlab-ci.yml"}
#: The placeholders each template site's pages show (its site.toml says the same).
SITE_VALUES = {
    "portal": {"name": "示例市人民政府", "organizer": "示例市人民政府办公室", "phone": "0999-1234567"},
    "department": {"name": "示例市教育局", "organizer": "示例市教育局", "phone": "0999-1234568"},
}


def starter_times(today: date | None) -> tuple[date, str, str]:
    """The starter articles' day and two times of day (welcome, then the notice): 09:00 and 10:00 of
    ``today`` when given, else the day and minute now in the platform's time zone and the minute
    before, so the first build never meets an article dated later than itself."""
    if today is not None:
        return today, "09:00", "10:00"
    now = datetime.now(ZoneInfo(TIMEZONE)).replace(second=0, microsecond=0)
    before = max(now - timedelta(minutes=1), now.replace(hour=0, minute=0))
    return now.date(), before.strftime("%H:%M"), now.strftime("%H:%M")


def init_group(folder: Path | str, portal: str = "portal", department: str = "dept",
               today: date | None = None) -> Path:
    """Write the template into ``folder`` (new or empty) with the two site ids; return the folder.

    :raises UsageError: a folder that has files, a bad or repeated site id.
    """
    folder = Path(folder)
    for option, site_id in (("--portal", portal), ("--department", department)):
        if not identity.SITE_ID.fullmatch(site_id) or site_id.startswith("_"):
            raise UsageError(f"{option} {site_id!r}: expected a site id of lower-case letters, digits and "
                             f"hyphens, e.g. {option} education")
    if portal == department:
        raise UsageError(f"--portal and --department are both {portal!r}: the two sites need their own ids")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder}: already exists and is not an empty folder; govsite init never overwrites "
                         "files: name a new folder")
    day, first, second = starter_times(today)
    common = {"portal": portal, "department": department, "today": day.isoformat(), "day": day.strftime("%Y%m%d"),
              "first_time": first, "second_time": second, "portal_name": SITE_VALUES["portal"]["name"]}
    ids = {"portal": portal, "department": department}
    for source in sorted(p for p in TEMPLATE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        relative = source.relative_to(TEMPLATE).as_posix()
        parts = relative.split("/")
        values = dict(common)
        if parts[0] == "content" and parts[1] in ids:
            values.update(SITE_VALUES[parts[1]])
            parts[1] = ids[parts[1]]
        target = folder / RENAMED.get(relative, "/".join(parts))
        target = target.with_name(_filled(target.name, values))
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix in (".png", ".jpg"):
            target.write_bytes(source.read_bytes())
        else:
            target.write_text(_filled(source.read_text("utf-8"), values), "utf-8")
    return folder


def _filled(text: str, values: dict[str, str]) -> str:
    """``text`` with each ``{{key}}`` replaced by its value."""
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text
