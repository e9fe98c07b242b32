"""The content boundary: a site's build reads and publishes only files inside the site's own folder.

One rule, ``resolve_inside``, for every path the build follows: names in site.toml (``logo``, a
lifecycle event's ``pages``), in metadata (``Image``, ``Attachments``), the files Pelican reads
(articles, pages, ``{static}`` links) and the portal files a department reprints. ``link_problems``
applies it to every entry of a site folder before anything is read: a symbolic link leading out of
the folder, to a folder (which could loop or publish a folder twice) or to nothing is refused.
A file link that stays inside the folder is allowed and published as a plain copy.
``output_links`` checks the result: a built site holds no symbolic link at all.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import Iterator

from . import site_files
from .errors import Problem

FIELD = "symbolic link"
#: How to fix a link leading out (``{link}``: the link's path).
COPY_FIX = ("replace the link with a copy of the file, once you have checked that it may be published: "
            "cp --remove-destination \"$(readlink -f {link})\" {link}")


def is_inside(folder: Path | str, path: Path | str) -> bool:
    """Whether ``path`` (links followed) is ``folder`` (links followed) or under it."""
    return _within(os.path.realpath(folder), os.path.realpath(path))


def _within(top: str, real: str) -> bool:
    """Whether the resolved path ``real`` is the resolved folder ``top`` or under it."""
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def leaving(folder: Path | str, relatives) -> list[str]:
    """The ``relatives`` whose path under ``folder`` resolves outside it (as :func:`resolve_inside`
    decides), for the many files a build reads: the folder and each parent folder are resolved once
    per call, and a file that is not a link is its resolved folder joined with its name; a file the
    build's walk of the folder reached without a link (``site_files.plain_files``) is inside."""
    top = os.path.realpath(folder)
    folders: dict[str, str] = {}
    found = []
    plain = site_files.plain_files(folder) or ()  # during a build: no link on their way (not lstat'ed)
    for relative in relatives:
        if relative in plain:
            continue
        path = os.path.join(folder, relative)
        parent, name = os.path.split(path)
        if name in ("", ".", "..") or os.path.islink(path):
            real = os.path.realpath(path)
        else:
            if parent not in folders:
                folders[parent] = os.path.realpath(parent)
            real = os.path.join(folders[parent], name)
        if not _within(top, real):
            found.append(relative)
    return found


def resolve_inside(folder: Path | str, relative: Path | str) -> Path | None:
    """``folder / relative`` with links followed, or None when that leaves ``folder`` (an absolute
    ``relative`` or one climbing out with ``..`` leaves it too)."""
    real = os.path.realpath(os.path.join(folder, relative))
    return Path(real) if _within(os.path.realpath(folder), real) else None


def check_inside(folder: Path | str, relative: str, file: Path | str, field: str) -> Problem | None:
    """A problem when the path named by ``field`` of ``file`` resolves outside the site folder."""
    if resolve_inside(folder, relative) is not None:
        return None
    resolved = os.path.realpath(os.path.join(folder, relative))
    return Problem(file, field, relative, f"a path inside the site folder {folder} (it resolves to {resolved}, "
                                          "outside it: nothing outside a site's folder is read or published)")


def _entries(folder: str) -> Iterator[os.DirEntry]:
    """Every entry under ``folder``, links not followed (a linked folder is yielded, not entered)."""
    stack = [folder]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                yield entry
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)


def link_problem(link: str, folder: str) -> Problem | None:
    """What is wrong with one symbolic link of a site folder, or None for a file link inside it."""
    target = os.path.realpath(link)
    if not os.path.exists(target):
        return Problem(link, FIELD, os.readlink(link), "a link to an existing file (it points to nothing): "
                                                       "remove it, or put a copy of the file in its place")
    if os.path.isdir(target):
        return Problem(link, FIELD, target, "no link to a folder (one is never followed: it could lead out of the "
                                            "site folder, loop, or publish a folder twice): remove the link and "
                                            "copy the files that may be published into a real folder")
    if not is_inside(folder, target):
        return Problem(link, FIELD, target, "a file inside the site folder (this link leads outside it, and "
                                            "nothing outside a site's folder is published): "
                       + COPY_FIX.format(link=shlex.quote(link)))
    return None


def link_problems(folder: Path | str, content_root: Path | str | None = None) -> list[Problem]:
    """Every symbolic link of a site folder that leads out of it, to a folder or to nothing; and the
    folder itself when it is a link leading out of ``content_root``."""
    folder = str(folder)
    if content_root is not None and not is_inside(content_root, folder):
        return [Problem(folder, "site folder", os.path.realpath(folder),
                        f"a folder inside the content folder {content_root} (this one is a link leading out "
                        "of it): move or copy the site's folder into the content folder")]
    if not os.path.isdir(folder):
        return []
    try:
        found = [link_problem(e.path, folder) for e in _entries(folder) if e.is_symlink()]
    except OSError as exc:
        return [Problem(exc.filename or folder, "", None, f"a readable folder ({exc.strerror})")]
    return sorted((p for p in found if p), key=lambda p: str(p.file))


def output_links(folder: Path | str) -> list[str]:
    """The symbolic links under a built site's folder, as relative POSIX paths (there must be none)."""
    top = len(str(folder).rstrip(os.sep)) + 1
    return sorted(e.path[top:].replace(os.sep, "/") for e in _entries(str(folder)) if e.is_symlink())
