"""Chrome DevTools Protocol commands for a WebDriver session's page, in bounded time.

A local Chromium exposes its DevTools address (``goog:chromeOptions.debuggerAddress``): commands
then go over one direct WebSocket to the page (about 1 ms each, against about 10 ms through
chromedriver's ``executeCdpCommand``), which is what makes a Tab walk affordable. A Selenium 4
Grid gives the browser's DevTools socket through itself (the session's ``se:cdp`` capability):
commands then go over that socket to the page's target (``Target.attachToTarget``, flat mode). A
remote driver with neither, or whose socket cannot be reached from here, falls back to
``executeCdpCommand`` (a Grid forwards it to the node's chromedriver); a command that fails either
way raises CdpFailed, which the keyboard engine reports as a failing ``engine-error``.
"""

from __future__ import annotations

import json
import time

import websocket


#: Seconds to wait for a Grid's DevTools socket before using the driver's ``executeCdpCommand`` instead.
GRID_CONNECT_TIMEOUT = 5.0


class CdpFailed(RuntimeError):
    """A DevTools command failed, or got no answer in time."""


class Cdp:
    """Send DevTools commands to the page of ``driver`` (its current window)."""

    def __init__(self, driver, timeout: float, local: bool = True):
        """``local``: the browser runs on this machine (its DevTools address is reachable from here)."""
        self.driver, self.timeout = driver, timeout
        self.socket = None
        self.session = ""  # the page target's session on a browser-wide socket (a Grid's se:cdp)
        self.next_id = 0
        capabilities = getattr(driver, "capabilities", {}) or {}
        address = (capabilities.get("goog:chromeOptions") or {}).get("debuggerAddress")
        if local and address and address.split(":")[0] in ("localhost", "127.0.0.1"):
            url = f"ws://{address}/devtools/page/{driver.current_window_handle}"
            try:
                self.socket = websocket.create_connection(url, timeout=timeout, suppress_origin=True)
            except (OSError, websocket.WebSocketException):
                self.socket = None  # fall back to the driver
        elif not local and capabilities.get("se:cdp") and not getattr(driver, "_govsite_no_se_cdp", False):
            self._attach_through_grid(capabilities["se:cdp"])

    def _attach_through_grid(self, url: str) -> None:
        """Open the Grid's DevTools socket for the session and attach to the driver's page; on any
        failure use the driver instead, for this page and every later one of the session."""
        try:
            self.socket = websocket.create_connection(url, timeout=min(self.timeout, GRID_CONNECT_TIMEOUT),
                                                      suppress_origin=True)
            target = self.driver.current_window_handle  # chromedriver's window handle is the target id
            self.session = self("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        except (OSError, websocket.WebSocketException, CdpFailed, KeyError, TypeError):
            self.close()
            self.session = ""
            self.driver._govsite_no_se_cdp = True

    @property
    def direct(self) -> bool:
        return self.socket is not None

    def __call__(self, method: str, **params):
        """Run one command and return its result (raises CdpFailed with DevTools' message)."""
        return self.batch([(method, params)])[0]

    def batch(self, commands: list[tuple[str, dict]]) -> list:
        """Send several commands at once (over the direct socket they are pipelined) and return their results."""
        if self.socket is None:
            results = []
            for method, params in commands:
                try:
                    results.append(self.driver.execute("executeCdpCommand", {"cmd": method, "params": params})["value"])
                except Exception as exc:  # noqa: BLE001 - named and re-raised as one kind
                    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                    raise CdpFailed(f"{method}: {text}") from exc
            return results
        deadline = time.monotonic() + self.timeout
        waiting: dict[int, str] = {}
        answers: dict[int, dict] = {}
        method = commands[0][0]
        try:
            for method, params in commands:
                self.next_id += 1
                waiting[self.next_id] = method
                message = {"id": self.next_id, "method": method, "params": params}
                if self.session:
                    message["sessionId"] = self.session
                self.socket.send(json.dumps(message))
            while len(answers) < len(waiting):
                if time.monotonic() > deadline:
                    raise TimeoutError
                self.socket.settimeout(max(0.05, deadline - time.monotonic()))
                message = json.loads(self.socket.recv())
                if message.get("id") in waiting:
                    answers[message["id"]] = message
        except (TimeoutError, websocket.WebSocketTimeoutException):
            raise CdpFailed(f"{method}: no answer within {self.timeout:g} s") from None
        except (OSError, websocket.WebSocketException, ValueError) as exc:
            raise CdpFailed(f"{method}: DevTools connection failed ({type(exc).__name__})") from exc
        results = []
        for ident, method in waiting.items():
            message = answers[ident]
            if "error" in message:
                raise CdpFailed(f"{method}: {message['error'].get('message', message['error'])}")
            results.append(message.get("result", {}))
        return results

    def evaluate(self, expression: str, wait: bool = False):
        """The JSON value of ``expression`` in the page (awaited when ``wait``); a thrown error is CdpFailed."""
        result = self("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=wait)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = (details.get("exception") or {}).get("description") or details.get("text", "")
            raise CdpFailed(f"in-page measurement failed: {text.splitlines()[0] if text else 'error'}")
        return result.get("result", {}).get("value")

    def close(self) -> None:
        if self.socket is not None:
            try:
                self.socket.close()
            except (OSError, websocket.WebSocketException):
                pass
            self.socket = None
