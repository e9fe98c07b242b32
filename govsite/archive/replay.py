"""Replay with pywb: a collection made from WACZ files, and the ``wayback`` server on loopback.

How a reader sees that a page is archived: pywb's framed replay. ``/<coll>/<url>`` opens pywb's
top frame, whose banner shows the capture date (and a calendar of captures), with the recorded page
in an iframe below; the recorded page itself is never changed. ``/<coll>/<timestamp>id_/<url>``
returns the recorded bytes exactly, with the recorded Content-Type.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .errors import ArchiveError, ArchiveUsageError

COLLECTION = "archives"
CONFIG = """# Written by govsite (archive.replay): pywb serving govsite snapshots, framed replay with its banner.
collections_root: collections
framed_replay: true
enable_memento: true
"""


def _tool(name: str) -> str:
    """A pywb console script next to this Python (the venv's bin/), else on PATH."""
    candidate = Path(sys.executable).with_name(name)
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if not found:
        raise ArchiveError(f"pywb's {name} is not installed: run `make setup` (pywb is in requirements.txt)")
    return found


def make_collection(root: Path | str, waczs: list[Path | str], name: str = COLLECTION) -> Path:
    """A pywb folder at ``root`` with one collection holding the WARCs and indexes of ``waczs``.

    Uses pywb's own ``wb-manager init`` and ``wb-manager add --unpack-wacz``.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.yaml").write_text(CONFIG, "utf-8")
    if not (root / "collections" / name).is_dir():
        _run([_tool("wb-manager"), "init", name], root)
    for wacz in waczs:
        _run([_tool("wb-manager"), "add", "--unpack-wacz", name, str(Path(wacz).resolve())], root)
    return root


def _run(argv: list[str], cwd: Path) -> None:
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise ArchiveError(f"{' '.join(argv[1:3])} failed in {cwd}:\n{(done.stderr or done.stdout).strip()[-2000:]}")


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """``count`` distinct free loopback ports: bound at once, so none is handed out twice (two calls
    of :func:`free_port` can return the same port)."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


class ReplayServer:
    """``wayback`` running on 127.0.0.1 as a subprocess (a context manager; stops on exit)."""

    def __init__(self, root: Path | str, port: int | None = None, timeout: float = 60.0):
        self.root = Path(root)
        self.port = port or free_port()
        self.timeout = timeout
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "ReplayServer":
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        self.process = subprocess.Popen([_tool("wayback"), "--bind", "127.0.0.1", "-p", str(self.port)],
                                        cwd=self.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ArchiveError(f"wayback stopped at start:\n{self.process.stderr.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2):
                    return self
            except urllib.error.HTTPError:
                return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise ArchiveError(f"wayback did not answer on {self.url} within {self.timeout:.0f} s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process and self.process.stderr:
            self.process.stderr.close()

    def __enter__(self) -> "ReplayServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def replay_url(base: str, url: str, timestamp: str = "", raw: bool = False, collection: str = COLLECTION) -> str:
    """The replay URL of a recorded URL: framed (with the banner), or the raw recorded bytes (``id_``)."""
    if raw:
        return f"{base}/{collection}/{timestamp}id_/{url}"
    return f"{base}/{collection}/{timestamp + '/' if timestamp else ''}{url}"


def serve(waczs: list[Path], root: Path, port: int) -> None:
    """Make the collection and run wayback in the foreground until Ctrl-C."""
    if not waczs:
        raise ArchiveUsageError("no snapshots to replay (run `invoke archive` first)")
    if root.exists():
        shutil.rmtree(root)
    make_collection(root, waczs)

    def interrupted(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)  # stop wayback too when we are terminated
    with ReplayServer(root, port):
        print(f"Replaying {len(waczs)} snapshot(s): {replay_url(f'http://127.0.0.1:{port}', '')}<URL>  "
              f"(e.g. {replay_url(f'http://127.0.0.1:{port}', 'https://<domain>/index.html')}); Ctrl-C stops.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
