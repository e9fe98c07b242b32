"""Pelican settings for one site: the platform settings file overlaid with the site's identity."""

from __future__ import annotations

from pathlib import Path

from pelican.settings import get_settings_from_file, read_settings

from .registry import Site

#: The package's platform settings, used when the current folder has no ``pelicanconf.py``.
DEFAULTS_FILE = Path(__file__).resolve().with_name("defaults.py")
#: The settings file a group repository keeps beside its content folder (as Pelican's own default).
SETTINGS_NAME = "pelicanconf.py"


def platform_conf(folder: Path | str | None = None) -> Path:
    """The platform settings file: ``pelicanconf.py`` in ``folder`` (default: the current folder)
    when there is one, else the package defaults (govsite/defaults.py)."""
    candidate = Path(folder or Path.cwd()) / SETTINGS_NAME
    return candidate.resolve() if candidate.is_file() else DEFAULTS_FILE


def platform_settings(conf: Path | None = None) -> dict:
    """The platform settings file's settings (:func:`platform_conf`) over Pelican's defaults: for the
    commands that read content without building (validate, annual-report, inspect, migrate)."""
    return get_settings_from_file(str(Path(conf or platform_conf()).resolve()))


def platform_theme(conf: Path | None = None) -> Path:
    """The theme folder ``conf`` (default: :func:`platform_conf`) names (relative to the file, as Pelican
    reads it).

    Read without Pelican's checks: those are for a site's settings, and the platform file alone has
    no SITEURL or FEED_DOMAIN (each site's identity sets them), so Pelican would warn "Feeds generated
    without SITEURL or FEED_DOMAIN set properly may not be valid" on every build though every feed is
    written with its site's domain.
    """
    conf = Path(conf or platform_conf()).resolve()
    return (conf.parent / get_settings_from_file(str(conf))["THEME"]).resolve()


def identity_overrides(site: Site, content_dir: Path, output_path: Path, cache_path: Path,
                       report_dir: Path | None = None, state_path: Path | None = None) -> dict:
    """The settings one site's identity and build folders override."""
    return {
        "GOVSITE_REPORT_DIR": str(Path(report_dir).resolve()) if report_dir else "",
        "GOVSITE_CHECK_STATE": str(Path(state_path).resolve()) if state_path else "",
        "SITENAME": site.name,
        "SITEURL": site.url.rstrip("/"),  # feeds need it; pages stay relative (RELATIVE_URLS)
        "FEED_DOMAIN": site.url.rstrip("/"),
        "AUTHOR": site.organizer,
        "PATH": str(site.folder.resolve()),
        "OUTPUT_PATH": str(Path(output_path).resolve()),
        "CACHE_PATH": str(Path(cache_path).resolve()),
        "DELETE_OUTPUT_DIRECTORY": False,
        "GOVSITE_CONTENT": str(Path(content_dir).resolve()),
        "GOVSITE_SITE_ID": site.id,
    }


def site_settings(site: Site, content_dir: Path, output_path: Path, cache_path: Path,
                  report_dir: Path | None = None, state_path: Path | None = None,
                  extra: dict | None = None, conf: Path | None = None) -> dict:
    """Read ``conf`` (default: :func:`platform_conf`) and overlay the site's identity and folders (then
    ``extra`` settings)."""
    overrides = identity_overrides(site, content_dir, output_path, cache_path, report_dir, state_path)
    return read_settings(str(conf or platform_conf()), override={**overrides, **(extra or {})})
