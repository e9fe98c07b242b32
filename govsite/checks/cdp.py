"""Chrome DevTools Protocol commands for a WebDriver session's page, in bounded time.

A local Chromium exposes its DevTools address (``goog:chromeOptions.debuggerAddress``): commands
then go over one direct WebSocket to the page (about 1 ms each, against about 10 ms through
chromedriver's ``executeCdpCommand``), which is what makes a Tab walk affordable. A remote
driver (Selenium Grid) falls back to ``executeCdpCommand``.
"""

from __future__ import annotations

import json
import time

import websocket


class CdpFailed(RuntimeError):
    """A DevTools command failed, or got no answer in time."""


class Cdp:
    """Send DevTools commands to the page of ``driver`` (its current window)."""

    def __init__(self, driver, timeout: float, local: bool = True):
        """``local``: the browser runs on this machine (its DevTools address is reachable from here)."""
        self.driver, self.timeout = driver, timeout
        self.socket = None
        self.next_id = 0
        address = (getattr(driver, "capabilities", {}).get("goog:chromeOptions") or {}).get("debuggerAddress")
        if local and address and address.split(":")[0] in ("localhost", "127.0.0.1"):
            url = f"ws://{address}/devtools/page/{driver.current_window_handle}"
            try:
                self.socket = websocket.create_connection(url, timeout=timeout, suppress_origin=True)
            except (OSError, websocket.WebSocketException):
                self.socket = None  # fall back to the driver

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
                self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
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
