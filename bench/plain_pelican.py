"""Plain Pelican on the same content: its default theme, no plugins, the same Markdown files with our
metadata — the yardstick of the build benchmark.

    python bench/plain_pelican.py CONTENT_SITE_FOLDER OUTPUT [--cache DIR]

Settings are Pelican's defaults except the folders (``PATH``, ``OUTPUT_PATH``, ``CACHE_PATH``),
``ARTICLE_PATHS``/``PAGE_PATHS``/``STATIC_PATHS`` (our folder layout) and the content cache (on,
as Pelican's documentation recommends for large sites, so a rebuild can use it).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
from pathlib import Path


def plain_settings(site_folder: Path, output: Path, cache: Path) -> dict:
    """Pelican's default settings for one site folder of the group."""
    from pelican.settings import DEFAULT_CONFIG, read_settings

    return read_settings(None, override={
        "PATH": str(site_folder.resolve()), "OUTPUT_PATH": str(output.resolve()), "CACHE_PATH": str(cache.resolve()),
        "ARTICLE_PATHS": ["articles"], "PAGE_PATHS": ["pages"], "STATIC_PATHS": ["images", "attachments"],
        "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "PLUGINS": [], "THEME": DEFAULT_CONFIG["THEME"],
        "TIMEZONE": "Asia/Shanghai", "SITEURL": "", "RELATIVE_URLS": True, "DELETE_OUTPUT_DIRECTORY": False,
    })


def build(site_folder: Path, output: Path, cache: Path) -> int:
    """Build one site folder with plain Pelican; return the number of HTML pages written."""
    from pelican import Pelican

    logging.getLogger().setLevel(logging.ERROR)
    with contextlib.redirect_stdout(io.StringIO()):
        Pelican(plain_settings(site_folder, output, cache)).run()
    return sum(1 for _ in output.rglob("*.html"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--cache", type=Path, default=Path(".cache/plain"))
    args = parser.parse_args()
    print(f"{build(args.site, args.output, args.cache)} pages written to {args.output}")
