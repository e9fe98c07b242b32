"""Worker processes for a build's parallel steps (Markdown, article pages, search, links, the gate).

A spawned worker starts a new interpreter and imports what it runs: about 0.3–0.5 s of CPU each,
for every pool of every site build. A forked worker starts with this process's modules loaded, so
pools are forked where that is safe: a POSIX system and a process with one thread (forking a
process with other threads can copy a lock another thread holds). Elsewhere they are spawned.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor


def can_fork() -> bool:
    """Whether this process may fork: POSIX ``fork`` and no thread besides this one."""
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods() \
        and threading.active_count() == 1


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes: forked when :func:`can_fork`, else spawned."""
    return ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context("fork" if can_fork() else "spawn"))
