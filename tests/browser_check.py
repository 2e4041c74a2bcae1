"""Open an HTML file in headless Chromium with the network blocked and report what happened.

Standard library only: Chromium is driven over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: the browser reads JSON commands on fd 3 and writes on fd 4,
each message ended by a NUL byte), so nothing is downloaded and no port is opened.

What is recorded while the page loads (and for a short quiet period after ``load``):

* every request the page makes (``Network.requestWillBeSent``); anything that is not
  ``file:`` or ``data:`` is a request that would leave the machine, and is also failed on
  purpose (``Fetch.failRequest``) besides being unresolvable (``--host-resolver-rules``) and
  unroutable (a dead proxy);
* console errors (``Runtime.consoleAPICalled`` of type error/assert), uncaught exceptions
  (``Runtime.exceptionThrown``), browser log errors (``Log.entryAdded`` level error, e.g. a
  resource that failed to load), and JavaScript dialogs (``alert``) the page opens;
* every ``<img>``: loaded (``complete`` with ``naturalWidth > 0``) or not;
* a screenshot of the first screen (A4 width at 96 dpi), saved as PNG.

Usage: ``python tests/browser_check.py report.html --screenshot first_page.png`` prints the
result as JSON.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")
A4_WIDTH, A4_HEIGHT = 794, 1123  # CSS pixels at 96 dpi


def find_chromium() -> str | None:
    """The Chromium executable (Debian's /usr/bin/chromium first), or None."""
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class PageReport:
    """What happened when the page was opened."""

    url: str
    loaded: bool = False
    requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    broken_images: list[dict] = field(default_factory=list)
    script_elements: int = 0
    title: str = ""
    text_length: int = 0
    links: list[str] = field(default_factory=list)
    screenshot: str = ""
    screenshot_bytes: int = 0
    browser: str = ""
    evaluated: list = field(default_factory=list)


class DevTools:
    """A minimal DevTools-protocol client over Chromium's debugging pipe."""

    def __init__(self, proc: subprocess.Popen, to_browser: int, from_browser: int) -> None:
        self.proc = proc
        self.to_browser = to_browser
        self.from_browser = from_browser
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            written = os.write(self.to_browser, data)
            data = data[written:]
        return self.next_id

    def _read_message(self, deadline: float) -> dict | None:
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe (did it crash?)")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(
        self, method: str, params: dict | None = None, session: str | None = None, timeout=30
    ) -> dict:
        """Send a command and wait for its answer; events seen meanwhile are kept."""
        wanted = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            message = self._read_message(deadline)
            if message is None:
                raise TimeoutError(f"no answer to {method} within {timeout} s")
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def pump(self, seconds: float) -> None:
        """Collect events for ``seconds``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            message = self._read_message(deadline)
            if message is None:
                return
            if "method" in message:
                self.events.append(message)

    def wait_event(self, method: str, timeout: float) -> bool:
        """Wait until an event ``method`` has been seen (True) or ``timeout`` passed."""
        deadline = time.monotonic() + timeout
        while not any(e["method"] == method for e in self.events):
            message = self._read_message(deadline)
            if message is None:
                return False
            if "method" in message:
                self.events.append(message)
        return True


def _high_fd(fd: int) -> int:
    import fcntl

    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


def _launch(chromium: str, profile: Path) -> tuple[subprocess.Popen, int, int]:
    # fd 3: commands to the browser; fd 4: answers and events from it. The child's ends are
    # first moved above 10 so that putting them on 3 and 4 cannot overwrite one another.
    cmd_read, cmd_write = os.pipe()
    ev_read, ev_write = os.pipe()
    cmd_read, ev_write = (_high_fd(fd) for fd in (cmd_read, ev_write))

    def child_fds() -> None:  # runs in the child between fork and exec
        os.dup2(cmd_read, 3)
        os.dup2(ev_write, 4)

    args = [
        chromium,
        "--headless",
        "--remote-debugging-pipe",
        "--no-sandbox",  # containers and CI run as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--metrics-recording-only",
        "--mute-audio",
        "--hide-scrollbars",
        # the network is blocked twice: no name resolves, and everything goes to a dead proxy
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=socks5://127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        f"--user-data-dir={profile}",
        f"--window-size={A4_WIDTH},{A4_HEIGHT}",
        "about:blank",
    ]
    proc = subprocess.Popen(
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=child_fds,  # only dup2, no locks
        pass_fds=(3, 4),  # kept open in the child (preexec_fn runs before fds are closed)
        start_new_session=True,
    )
    os.close(cmd_read)
    os.close(ev_write)
    return proc, cmd_write, ev_read


def _text(args: list[dict]) -> str:
    out = []
    for arg in args:
        if "value" in arg:
            out.append(str(arg["value"]))
        else:
            out.append(str(arg.get("description", arg.get("type", ""))))
    return " ".join(out)


IMAGES_JS = """
Array.from(document.images).map(img => ({
  src: img.currentSrc.slice(0, 48),
  complete: img.complete,
  naturalWidth: img.naturalWidth,
  naturalHeight: img.naturalHeight,
  alt: img.alt.slice(0, 80),
}))
"""


def check_page(
    html: Path,
    screenshot: Path | None = None,
    settle: float = 1.5,
    timeout: float = 60,
    scripts: tuple[str, ...] = (),
    pdf: Path | None = None,
) -> PageReport:
    """Open ``html`` in headless Chromium, offline, and report requests, errors and images.

    Args:
        html: the HTML file.
        screenshot: where to save a PNG of the first screen (None: no screenshot).
        settle: seconds to keep listening after the load event (late requests, errors).
        timeout: seconds to wait for the load event.
        scripts: JavaScript expressions evaluated in turn after the load (e.g. a click, then
            what the page shows); their values in ``evaluated``. An error one raises is
            recorded in ``console_errors``.
        pdf: where to save the page printed to PDF as a reader's "Print" does it (print
            media, the page's own @page sizes, backgrounds, no browser header or footer);
            None: not printed.

    Returns:
        What happened.
    """
    chromium = find_chromium()
    if chromium is None:
        raise FileNotFoundError("chromium not found (Debian: apt-get install chromium)")
    url = Path(html).resolve().as_uri()
    report = PageReport(url=url)
    with tempfile.TemporaryDirectory(prefix="lkj-chromium-") as profile:
        proc, to_browser, from_browser = _launch(chromium, Path(profile))
        cdp = DevTools(proc, to_browser, from_browser)
        try:
            report.browser = cdp.call("Browser.getVersion").get("product", "")
            target = cdp.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = cdp.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
                "sessionId"
            ]
            for domain in ("Page", "Runtime", "Log", "Network"):
                cdp.call(f"{domain}.enable", session=session)
            # Every request the page makes passes here first; only local ones go on.
            cdp.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session=session)
            cdp.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": A4_WIDTH, "height": A4_HEIGHT, "deviceScaleFactor": 1, "mobile": False},
                session=session,
            )
            cdp.events.clear()
            cdp.send("Page.navigate", {"url": url}, session=session)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and not report.loaded:
                cdp.pump(0.2)
                _answer_paused(cdp, session)
                report.loaded = any(e["method"] == "Page.loadEventFired" for e in cdp.events)
            end = time.monotonic() + settle
            while time.monotonic() < end:
                cdp.pump(0.2)
                _answer_paused(cdp, session)
            images = cdp.call(
                "Runtime.evaluate",
                {"expression": IMAGES_JS, "returnByValue": True},
                session=session,
            )["result"].get("value", [])
            facts = cdp.call(
                "Runtime.evaluate",
                {
                    "expression": "[document.scripts.length, document.title,"
                    " document.body ? document.body.innerText.length : 0]",
                    "returnByValue": True,
                },
                session=session,
            )["result"]["value"]
            report.script_elements, report.title, report.text_length = facts
            report.links = cdp.call(
                "Runtime.evaluate",
                {
                    "expression": "Array.from(document.links, a => a.href)",
                    "returnByValue": True,
                },
                session=session,
            )["result"].get("value", [])
            for expression in scripts:
                result = cdp.call(
                    "Runtime.evaluate",
                    {"expression": expression, "returnByValue": True},
                    session=session,
                )
                report.evaluated.append(result["result"].get("value"))
                if "exceptionDetails" in result:
                    report.console_errors.append(f"{expression}: {result['exceptionDetails']}")
                cdp.pump(0.1)
            report.images = images
            report.broken_images = [
                i for i in images if not (i["complete"] and i["naturalWidth"] > 0)
            ]
            if screenshot is not None:
                shot = cdp.call(
                    "Page.captureScreenshot",
                    {"format": "png", "captureBeyondViewport": False},
                    session=session,
                )
                data = base64.b64decode(shot["data"])
                screenshot = Path(screenshot)
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                screenshot.write_bytes(data)
                report.screenshot = str(screenshot)
                report.screenshot_bytes = len(data)
            if pdf is not None:
                printed = cdp.call(
                    "Page.printToPDF",
                    {
                        "preferCSSPageSize": True,
                        "printBackground": True,
                        "displayHeaderFooter": False,
                    },
                    session=session,
                    timeout=timeout,
                )
                Path(pdf).write_bytes(base64.b64decode(printed["data"]))
            _collect(cdp.events, report)
            try:
                cdp.call("Browser.close", timeout=5)
            except (TimeoutError, RuntimeError):
                pass
        finally:
            os.close(to_browser)
            os.close(from_browser)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()  # the browser we started, by its own handle
                proc.wait(timeout=10)
    return report


def _answer_paused(cdp: DevTools, session: str) -> None:
    """Let local requests through, fail every other one (it is still recorded as tried),
    and dismiss any dialog (an ``alert`` would otherwise block the page)."""
    for event in cdp.events:
        if event.get("_answered"):
            continue
        if event["method"] == "Page.javascriptDialogOpening":
            event["_answered"] = True
            cdp.send("Page.handleJavaScriptDialog", {"accept": True}, session)
            continue
        if event["method"] != "Fetch.requestPaused":
            continue
        event["_answered"] = True
        params = event["params"]
        if params["request"]["url"].startswith(LOCAL_SCHEMES):
            cdp.send("Fetch.continueRequest", {"requestId": params["requestId"]}, session)
        else:
            cdp.send(
                "Fetch.failRequest",
                {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                session,
            )


def _collect(events: list[dict], report: PageReport) -> None:
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            report.requests.append(url[:120])
            if not url.startswith(LOCAL_SCHEMES):
                report.external_requests.append(url)
        elif method == "Fetch.requestPaused":
            url = params["request"]["url"]
            if not url.startswith(LOCAL_SCHEMES) and url not in report.external_requests:
                report.external_requests.append(url)
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            report.console_errors.append("console: " + _text(params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text", "")
            report.console_errors.append("exception: " + text)
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            entry = params["entry"]
            report.console_errors.append(f"log: {entry.get('text')} {entry.get('url', '')}")
        elif method == "Page.javascriptDialogOpening":
            report.dialogs.append(f"{params.get('type')}: {params.get('message')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args(argv)
    report = check_page(args.html, args.screenshot)
    json.dump(asdict(report), sys.stdout, indent=2, ensure_ascii=False)
    print()
    ok = (
        report.loaded
        and not report.external_requests
        and not report.console_errors
        and not report.broken_images
        and not report.dialogs
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
