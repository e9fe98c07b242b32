"""``govsite build --watch``: build now, then again each time a watched file changes.

The builds run in the watching process (``build_group(in_process=True)``), so what a build loads
once — the platform's and Pelican's modules, Python-Markdown, the compiled templates — stays loaded
for the next: an editor's save is published by a build that starts warm. Each build is an ordinary
incremental build (fingerprints, kept pages), so its output is what ``govsite build`` would write
(``tests/test_incremental_identical.py`` runs its incremental builds this way too).
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from pathlib import Path
from typing import Callable, Iterable

#: ``{path: (inode, size, mtime_ns)}`` of every file under the watched folders.
State = dict[str, tuple[int, int, int]]


def tree_state(paths: Iterable[Path | str], ignore: Iterable[Path | str] = ()) -> State:
    """Every file under ``paths`` (files or folders) with its inode, size and mtime; folders under
    ``ignore`` (what the build itself writes, such as the records) are left out."""
    skipped = {os.path.abspath(p) for p in ignore}
    state: State = {}
    for root in map(os.path.abspath, paths):
        if os.path.isfile(root):
            info = os.stat(root)
            state[root] = (info.st_ino, info.st_size, info.st_mtime_ns)
            continue
        for folder, subfolders, names in os.walk(root):
            subfolders[:] = [d for d in subfolders if os.path.join(folder, d) not in skipped]
            for name in names:
                path = os.path.join(folder, name)
                try:
                    info = os.stat(path)
                except FileNotFoundError:  # removed while walking: the next scan sees it gone
                    continue
                state[path] = (info.st_ino, info.st_size, info.st_mtime_ns)
    return state


@contextlib.contextmanager
def collector_paused():
    """No cyclic garbage collection while a build runs; one full collection once it has reported.

    A watching process holds what it keeps between builds (the content index, memos) besides each
    build's objects, and Python's full collections, which went over all of it two or three times
    per build, took 1.5–2 s of a 10,000-article publish on a loaded machine. Reference counting
    still frees everything but cycles during the build; the cycles (the previous build's context
    and articles among them) are collected after it, while the editor reads the result."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
            gc.collect()


def watch(build: Callable[[], object], scan: Callable[[], object], interval: float = 1.0,
          stop: Callable[[], bool] = lambda: False, sleep: Callable[[float], None] = time.sleep) -> int:
    """Run ``build`` now and whenever ``scan()`` (a state of the inputs, e.g. :func:`tree_state` and the
    build day) differs from the state the last build started from, once two scans ``interval`` apart
    agree (an editor saving several files is one build). Returns how many builds ran when ``stop()``
    is true (checked after each scan); Ctrl-C ends the loop the same way."""
    builds = 0
    try:
        state = scan()
        with collector_paused():
            build()
        builds += 1
        while not stop():
            sleep(interval)
            current = scan()
            if current == state:
                continue
            while not stop():  # wait until the saves settle
                sleep(interval)
                settled = scan()
                if settled == current:
                    break
                current = settled
            state = current
            with collector_paused():
                build()
            builds += 1
    except KeyboardInterrupt:
        pass
    return builds
