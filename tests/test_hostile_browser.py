"""Every page of the payload-filled desk in Chromium: no payload runs, the console stays clean.

Each payload in tests/hostile.py tries to set `window.__pwned` or
`document.documentElement.dataset.pwned`. The desk is built strictly, served from a
local http.server thread, and every HTML page is opened in Debian's Chromium through
Playwright (never a downloaded browser). Search results are a sink of their own, so
the test also searches for the payloads.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import hostile
import pytest
from conftest import CHROMIUM

# Material's own repository widget would fetch stats from api.github.com (repo_url)
# and fail offline with exactly this message; the generator's theme replaces that
# widget, so it should not appear, but it is the one message that is not ours.
OFFLINE_GITHUB = "Failed to load resource: net::ERR_NAME_NOT_RESOLVED"

pytestmark = [
    pytest.mark.site,
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"
    ),
]

MARKERS_SET = (
    "() => [document.documentElement.dataset.pwned ?? null, window.__pwned ?? null,"
    " window.parent.__pwned ?? null]"
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("hostile-browser") / "site"
    out = root.parent / "out"
    result = hostile.build_site(root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    handler = functools.partial(_Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", out
    finally:
        server.shutdown()
        server.server_close()


class Watch:
    """Console errors, uncaught exceptions and requests that leave our server."""

    def __init__(self, page, base: str) -> None:
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on(
            "request",
            lambda request: (
                None if request.url.startswith(base) else self.foreign.append(request.url)
            ),
        )

    def _console(self, message) -> None:
        if message.type == "error" and message.text != OFFLINE_GITHUB:
            self.errors.append(message.text)


def test_no_payload_runs_on_any_page(served: tuple[str, Path], browser) -> None:
    base, out = served
    paths = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert len(paths) > len(hostile.PAYLOADS) * 4
    page = browser.new_page()
    watch = Watch(page, base)
    ran, errors = {}, {}
    for path in paths:
        page.goto(base + path, wait_until="load")
        # Handlers such as ontoggle fire after load; give them a turn of the loop.
        page.evaluate("() => new Promise(resolve => setTimeout(resolve, 0))")
        if any(page.evaluate(MARKERS_SET)):
            ran[path] = page.evaluate(MARKERS_SET)
        if watch.errors:
            errors[path], watch.errors = watch.errors, []
    page.close()
    assert ran == {}
    assert errors == {}
    assert watch.foreign == []  # no <base> hijack, no script or frame from elsewhere


def test_search_results_show_payloads_as_text(served: tuple[str, Path], browser) -> None:
    base, _ = served
    page = browser.new_page()
    watch = Watch(page, base)
    page.goto(base, wait_until="load")
    field = page.locator("input.md-search__input")
    # Search splits words on white space and hyphens only: query the tags' names.
    for query in ("onerror", "script", "title", "textarea", "config", "Fixture"):
        field.click()
        field.fill("")
        field.press_sequentially(query, delay=10)
        page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15_000)
        page.evaluate("() => new Promise(resolve => setTimeout(resolve, 50))")
        assert page.evaluate(MARKERS_SET) == [None, None, None], query
        if query == "onerror":
            # The payloads are in the results, as text.
            assert "<img src=x onerror=window.__pwned=1>" in page.inner_text(
                ".md-search-result__list"
            )
    assert watch.errors == []
    assert watch.foreign == []
    page.close()
