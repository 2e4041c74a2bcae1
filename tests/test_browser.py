"""The HTML report in a real browser (Debian's headless Chromium), with the network blocked.

No request may leave the page, no console error or uncaught exception may occur, every image
(the figures, embedded as data: URLs) must load, and the page holds no script. A screenshot of
the first screen is saved as outputs/test-artifacts/report_first_page.png.

Needs /usr/bin/chromium (``apt-get install chromium``; .ci/run installs it). Without it the
tests are skipped, unless LKJ_REQUIRE_BROWSER=1 (set by CI), which makes them fail instead.
The driver is tests/browser_check.py (DevTools protocol over a pipe, standard library only).
"""

from __future__ import annotations

import json
from dataclasses import asdict

from browser_check import check_page
from conftest import ARTIFACTS, browser_marks

pytestmark = browser_marks()

SCREENSHOT = ARTIFACTS / "report_first_page.png"


def test_the_checks_can_fail(tmp_path):
    """The driver sees what a bad page does (so a clean report means something)."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<html><body><p>x</p><img src='http://example.com/a.png'><img src='nope.png'>"
        "<script>console.error('boom'); alert('hi')</script></body></html>",
        encoding="utf-8",
    )
    report = check_page(page)
    assert report.loaded
    assert "http://example.com/a.png" in report.external_requests
    assert any("boom" in e for e in report.console_errors)
    assert len(report.broken_images) == 2
    assert report.dialogs == ["alert: hi"]
    assert report.script_elements == 1


def test_report_opens_offline_without_errors(built_2022):
    html = built_2022 / "out" / "2022" / "LKj_2022.html"
    report = check_page(html, screenshot=SCREENSHOT)
    summary = asdict(report)
    summary["requests"] = len(report.requests)
    (ARTIFACTS / "browser_check.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(
        f"\n{report.browser}: {len(report.requests)} requests "
        f"({len(report.external_requests)} external), {len(report.console_errors)} console "
        f"errors, {len(report.images)} images ({len(report.broken_images)} broken), "
        f"screenshot {report.screenshot_bytes} bytes"
    )
    assert report.loaded
    assert report.external_requests == []
    assert all(r.startswith(("file:", "data:")) for r in report.requests)
    assert report.console_errors == []
    assert report.dialogs == []
    assert report.script_elements == 0
    # every image of the page (the figures, embedded) and no other: counted in the file itself
    from bs4 import BeautifulSoup

    in_file = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").find_all("img")
    assert len(in_file) == 7  # Gambar 1.1, Grafik 1-4, the two grafik of 3.5
    assert len(report.images) == len(in_file)
    assert report.broken_images == []
    assert all(i["src"].startswith("data:image/") for i in report.images)
    assert report.title and report.text_length > 10_000
    data = SCREENSHOT.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
