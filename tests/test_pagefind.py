"""Pagefind, the search for large desks: built after the site, used from a page."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, mkdocs_build

pytestmark = pytest.mark.site


def pagefind_desk(root: Path) -> None:
    shutil.copytree(FIXTURE_SITE, root)
    config = root / "mkdocs.yml"
    text = config.read_text()
    text = text.replace("  - search\n", "").replace(
        "      publisher: Fixture Fact Desk\n",
        "      publisher: Fixture Fact Desk\n      search: pagefind\n",
    )
    config.write_text(
        text.replace(
            "  - Methodology: methodology.md\n",
            "  - Search: search/index.md\n  - Methodology: methodology.md\n",
        )
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pagefind") / "site"
    pagefind_desk(root)
    result = mkdocs_build(root, root.parent / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    return root.parent / "out"


def test_build_writes_a_chunked_index_and_a_search_page(built: Path) -> None:
    assert (built / "pagefind" / "pagefind-entry.json").is_file()
    assert list((built / "pagefind" / "index").iterdir())
    assert not (built / "search" / "search_index.json").exists()
    page = (built / "search" / "index.html").read_text()
    assert 'id="fc-search"' in page
    assert "'wasm-unsafe-eval'" in page  # WebAssembly on the search page only
    assert "'wasm-unsafe-eval'" not in (built / "index.html").read_text()


def test_the_theme_search_and_pagefind_exclude_each_other(tmp_path: Path) -> None:
    root = tmp_path / "site"
    pagefind_desk(root)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("plugins:\n", "plugins:\n  - search\n"))
    result = mkdocs_build(root, tmp_path / "out")
    assert result.returncode == 1
    assert "search: pagefind replaces the theme's search; remove `- search`" in result.stderr


@pytest.fixture(scope="module")
def served(built: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(built))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_searching_a_word_finds_the_claim(served: str, browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(served + "search/")
        field = page.locator("#fc-search input")
        field.wait_for(timeout=15_000)
        field.fill("parks")
        result = page.locator(".pagefind-ui__result-link").first
        result.wait_for(timeout=15_000)
        hrefs = page.locator(".pagefind-ui__result-link").evaluate_all(
            "els => els.map(e => e.href)"
        )
        assert served + "claims/parks-spending/" in hrefs
        assert errors == []
    finally:
        context.close()
