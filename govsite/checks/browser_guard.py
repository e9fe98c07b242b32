"""Run chromedriver and end everything it started when it ends or when the build that started it dies.

    python browser_guard.py <builder pid> <profile folder> <chromedriver> [arguments...]

``start_chromium`` starts this guard as the leader of a new process group, and the guard starts
chromedriver in it; chromedriver starts Chromium in the same group. A build stopped normally ends
the group itself (``kill_group``). A build killed outright (SIGKILL, the OOM killer, a CI timeout)
cannot, and Chromium outlives its chromedriver: the guard sees its parent change, stops every other
process of its group (TERM, then KILL after ``GRACE`` seconds) and removes the temporary profile. It
does the same, exiting with chromedriver's status, when chromedriver ends by itself.

Standard library only: it runs as a script with the build's interpreter.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

#: Seconds between looks at chromedriver and the build.
POLL = 0.2
#: Seconds the group's other processes get to end on TERM before they are killed.
GRACE = 2.0


def group_members() -> list[int]:
    """The other processes of this process's group (Linux: read from /proc)."""
    group, me, found = os.getpgrp(), os.getpid(), []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[2]) == group and fields[0] != b"Z":  # the fields after the name: state, ppid, pgrp
            found.append(int(name))
    return found


def end_group() -> None:
    """TERM every other process of the group, then KILL what is left after ``GRACE`` seconds."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the group's TERM is for the others
    for sig in (signal.SIGTERM, signal.SIGKILL):
        members = group_members()
        for pid in members:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + GRACE
        while members and time.monotonic() < deadline:
            time.sleep(0.05)
            members = group_members()
        if not members:
            return


def main(argv: list[str]) -> int:
    builder, profile, command = int(argv[0]), argv[1], argv[2:]
    driver = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    while driver.poll() is None and os.getppid() == builder:
        time.sleep(POLL)
    orphaned = os.getppid() != builder
    end_group()
    if orphaned:
        shutil.rmtree(profile, ignore_errors=True)  # nobody else will
    status = driver.wait()
    return status if status >= 0 else 128 - status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
