"""A real Selenium 4 Grid (standalone: router, distributor and one node) on a free loopback port.

The server jar is installed by ``make setup`` (scripts/ensure-selenium-grid, pinned checksums) into
the virtualenv's ``share/govsite``; ``GOVSITE_SELENIUM_JAR`` names another. The node drives the
Debian chromedriver and chromium, nothing is detected or downloaded (Selenium Manager off).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from govsite.archive.replay import free_port
from govsite.checks.browser import CHROMEDRIVER, kill_group

JAR = Path(os.environ.get("GOVSITE_SELENIUM_JAR") or Path(sys.prefix) / "share" / "govsite" / "selenium-server.jar")
#: Seconds the Grid may take to start and report itself ready (about 3 s on an idle machine).
START_TIMEOUT = 60
CONFIG = """[node]
detect-drivers = false
selenium-manager = false
max-sessions = 2

[[node.driver-configuration]]
display-name = "Debian chromium"
webdriver-executable = "{driver}"
max-sessions = 2
stereotype = '{{"browserName": "chrome", "platformName": "linux"}}'
"""


class Grid:
    """A running Grid: its WebDriver URL and its log."""

    def __init__(self, url: str, log: Path, process: subprocess.Popen):
        self.url, self.log, self.process = url, log, process

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text("utf-8", "replace").splitlines()[-lines:])


def ready(url: str) -> bool:
    """Whether the Grid at ``url`` answers /status with ready: true."""
    try:
        with urllib.request.urlopen(url + "/status", timeout=2) as answer:
            return json.load(answer)["value"]["ready"] is True
    except (OSError, ValueError, KeyError):
        return False


def start_grid(folder: Path) -> Grid:
    """Start the Grid with its config and log in ``folder``; fails with the log's end if it is not
    ready within START_TIMEOUT seconds."""
    java = shutil.which("java")
    assert java and JAR.is_file(), f"no Java or no Selenium server at {JAR}: run `make setup` (scripts/ensure-selenium-grid)"
    config = folder / "grid.toml"
    config.write_text(CONFIG.format(driver=CHROMEDRIVER), "utf-8")
    port, log = free_port(), folder / "grid.log"
    with log.open("wb") as out:
        process = subprocess.Popen([java, "-jar", str(JAR), "standalone", "--config", str(config), "--port", str(port),
                                    "--host", "127.0.0.1"], stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    grid = Grid(f"http://127.0.0.1:{port}", log, process)
    deadline = time.monotonic() + START_TIMEOUT
    while not ready(grid.url):
        if process.poll() is not None or time.monotonic() > deadline:
            kill_group(process)
            raise AssertionError(f"the Selenium Grid did not become ready within {START_TIMEOUT} s:\n{grid.log_tail()}")
        time.sleep(0.2)
    return grid


class SilentServer:
    """Accepts connections on a loopback port and never answers (a hung Grid)."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        while True:
            try:
                self.held.append(self.socket.accept()[0])
            except OSError:
                return

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.socket.close()
        for conn in self.held:
            conn.close()
