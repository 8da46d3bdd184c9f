"""The real site in a real browser: layout, accessibility, search, print, copy link.

Playwright drives Debian's Chromium (/usr/bin/chromium; never a downloaded browser).
The site is built once per session from the repository's own mkdocs.yml and served
from a local http.server thread. Screenshots, PDFs and axe results are written to
test-artifacts/ for people to look at.

Everything lives in this one module: a conftest.py here would shadow tests/conftest.py,
which the other test modules import by the bare name `conftest`.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"
    ),
]

HERE = Path(__file__).parent
PROJECT = HERE.parent.parent
BIN = Path(sys.executable).parent
ARTIFACTS = PROJECT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
FACTCHECK_JS = PROJECT / "generator" / "assets" / "factcheck.js"


CLAIM = "claims/yandexgpt2-beats-gpt35/"
WIDTHS = (1280, 390)
SCHEMES = ("light", "dark")
PAGE_TYPES = (
    "home",
    "article",
    "claim",
    "source",
    "entity",
    "verdict",
    "methodology",
    "dashboard",
    "data",
    "claims-index",
    "articles-index",
    "sources-index",
    "entities-index",
    "verdicts-index",
)

# Material fetches repository stats for the header from api.github.com (repo_url in
# mkdocs.yml). Tests run offline, so that request is answered with a DNS failure and
# exactly this console message, from exactly that host, is expected.
GITHUB_API = "api.github.com"
GITHUB_API_ERROR = "Failed to load resource: net::ERR_NAME_NOT_RESOLVED"


@dataclass(frozen=True)
class Site:
    root: Path
    base: str
    pages: dict[str, str]
    """Page type -> site-relative URL of one page of that type."""


# -- session fixtures -----------------------------------------------------------


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core from npm (tests/browser/package.json), installed once if missing."""
    if not AXE.is_file():
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(HERE)],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return AXE.read_text(encoding="utf-8")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    out = tmp_path_factory.mktemp("browser") / "site"
    config = str(PROJECT / "mkdocs.yml")
    result = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "-f", config, "-d", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(out))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(out, f"http://127.0.0.1:{server.server_port}/", _page_types(out))
    finally:
        server.shutdown()
        server.server_close()


def _page_types(root: Path) -> dict[str, str]:
    """One URL per page type; leaf pages are the ones the sample claim links to."""
    claim = (root / CLAIM / "index.html").read_text(encoding="utf-8")

    def linked(section: str) -> str:
        found = re.search(rf'href="\.\./\.\./({section}/[a-z0-9-]+/)"', claim)
        assert found, f"{CLAIM} links to no {section} page"
        return found.group(1)

    pages = {
        "home": "",
        "article": linked("articles"),
        "claim": CLAIM,
        "source": linked("sources"),
        "entity": linked("entities"),
        "verdict": linked("verdicts"),
        "methodology": "methodology/",
        "dashboard": "dashboard/",
        "claims-index": "claims/",
        "articles-index": "articles/",
        "sources-index": "sources/",
        "entities-index": "entities/",
        "verdicts-index": "verdicts/",
    }
    if (root / "data" / "index.html").is_file():
        pages["data"] = "data/"
    return pages


# -- helpers ----------------------------------------------------------------------


@dataclass
class Opened:
    page: object
    errors: list[str]
    external: list[str]


@contextmanager
def open_page(
    browser, site: Site, path: str, width: int, scheme: str = "light", **options
) -> Iterator[Opened]:
    """A fresh context at `width` px in `scheme`, with console errors collected.

    The scheme is chosen the way a reader's system would choose it: the palette in
    mkdocs.yml follows prefers-color-scheme until the reader toggles it.
    """
    context = browser.new_context(
        viewport={"width": width, "height": 844 if width < 600 else 800},
        color_scheme=scheme,
        **options,
    )
    opened = Opened(context.new_page(), [], [])

    def route(route) -> None:
        url = route.request.url
        if url.startswith(site.base):
            route.continue_()
        elif urlsplit(url).hostname == GITHUB_API:
            route.abort("namenotresolved")
        else:
            # The site must not load anything from elsewhere.
            opened.external.append(url)
            route.abort("blockedbyclient")

    def console(message) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "")
        if message.text == GITHUB_API_ERROR and urlsplit(where).hostname == GITHUB_API:
            return
        opened.errors.append(f"{message.text} ({where})")

    context.route("**/*", route)
    opened.page.on("console", console)
    opened.page.on("pageerror", lambda error: opened.errors.append(f"uncaught: {error}"))
    try:
        opened.page.goto(site.base + path, wait_until="load")
        yield opened
    finally:
        context.close()


def run_axe(page, axe_source: str) -> list[dict]:
    """axe-core's violations on the current page (all rules axe runs by default)."""
    # Evaluated over the DevTools protocol, so the site's CSP does not block it.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 10),
                count: v.nodes.length,
                why: v.nodes[0] ? v.nodes[0].failureSummary : "",
            }));
        }"""
    )


def screenshot(page, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def horizontal_overflow(page) -> list[str]:
    """The page's horizontal scroll, and the elements that stick out to the right."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            const out = [`page is ${document.documentElement.scrollWidth}px wide in ${width}px`];
            for (const el of document.querySelectorAll("body *")) {
                const box = el.getBoundingClientRect();
                if (box.right > width + 1 && box.width > 0) {
                    out.push(`${el.tagName.toLowerCase()}.${el.className}: right ${box.right}`);
                }
                if (out.length > 8) break;
            }
            return out;
        }"""
    )


# -- every page type, both widths, both schemes ----------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_page_renders_accessibly(
    site: Site, browser, axe_source: str, kind: str, width: int, scheme: str
) -> None:
    if kind not in site.pages:
        pytest.skip(f"the site has no {kind} page yet")
    with open_page(browser, site, site.pages[kind], width, scheme) as opened:
        page = opened.page
        expected = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected
        screenshot(page, f"{kind}-{width}-{scheme}")
        if width < 600:
            assert horizontal_overflow(page) == []
        violations = run_axe(page, axe_source)
        _save_axe(f"{kind}-{width}-{scheme}", violations)
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert serious == [], json.dumps(serious, indent=1)
        assert opened.errors == []
        assert opened.external == []


def _save_axe(name: str, violations: list[dict]) -> None:
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    impacts = Counter(v["impact"] for v in violations)
    (folder / f"{name}.json").write_text(
        json.dumps({"impacts": impacts, "violations": violations}, indent=1), encoding="utf-8"
    )


# -- the claim page -------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_claim_verdict_is_in_the_first_viewport(site: Site, browser, width: int) -> None:
    with open_page(browser, site, CLAIM, width) as opened:
        page = opened.page
        label = page.locator(".fc-summary .fc-verdict-label").first
        assert label.is_visible()
        box = label.bounding_box()
        viewport = page.viewport_size
        assert box is not None
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], box
        conclusion = page.locator(".fc-summary .fc-conclusion")
        assert conclusion.bounding_box()["y"] < viewport["height"]
        screenshot(page, f"claim-first-viewport-{width}", full_page=False)


def test_claim_page_prints_without_site_chrome(site: Site, browser) -> None:
    # 794 CSS px is the width of A4 paper, so the screenshot looks like the print.
    with open_page(browser, site, CLAIM, 794) as opened:
        page = opened.page
        page.emulate_media(media="print")
        for chrome in (
            ".md-header",
            ".md-sidebar--primary",
            ".md-sidebar--secondary",
            ".md-footer",
        ):
            assert not page.locator(chrome).first.is_visible(), chrome
        assert page.locator(".fc-summary .fc-verdict-label").is_visible()
        # Links print their address after the text.
        after = page.evaluate(
            """() => [...document.querySelectorAll(".fc-evidence a, .fc-explanation a")]
                .map(a => getComputedStyle(a, "::after").content)"""
        )
        assert after, "no links in the evidence or explanation"
        assert all(content not in ("none", "normal", "") for content in after), after
        screenshot(page, "claim-print")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pdf = page.pdf(path=str(ARTIFACTS / "claim-print.pdf"), format="A4")
        assert pdf.startswith(b"%PDF")
        assert opened.errors == []


# -- copy link ------------------------------------------------------------------------


COPY_LINK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Copy link</title>
<link rel="stylesheet" href="/assets/factcheck/factcheck.css"></head>
<body><main><p class="fc-actions">{link}</p>
<script src="/__factcheck.js"></script></main></body></html>
"""


@pytest.fixture(scope="session")
def copy_link_page(site: Site) -> str:
    """A page with the claim page's copy-link markup and factcheck.js.

    The markup comes from the copy_link macro the claim template uses, the script
    straight from generator/assets, so the behaviour is tested whether or not the
    plugin serves the script yet.
    """
    from jinja2 import Environment, PackageLoader

    from generator.settings import Settings

    env = Environment(loader=PackageLoader("generator", "templates"), autoescape=True)
    env.globals["settings"] = Settings(site_url="https://factcheck.example.org/")
    macro = env.get_template("_macros.html.j2").module.copy_link
    markup = str(macro(CLAIM.rstrip("/"), lambda key: "../../" + key + "/"))
    script = FACTCHECK_JS.read_text(encoding="utf-8")
    (site.root / "__factcheck.js").write_text(script, encoding="utf-8")
    (site.root / "__copy-link.html").write_text(
        COPY_LINK_PAGE.format(link=markup), encoding="utf-8"
    )
    return "__copy-link.html"


def test_copy_link_copies_the_canonical_address(site: Site, browser, copy_link_page) -> None:
    with open_page(browser, site, copy_link_page, 390) as opened:
        page = opened.page
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        button = page.get_by_role("button", name="Copy link")
        assert button.is_visible()
        assert not page.locator("a.fc-copy-link").is_visible()
        button.click()
        page.get_by_role("status").filter(has_text="Link copied").wait_for()
        screenshot(page, "copy-link-after-click", full_page=False)
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == "https://factcheck.example.org/" + CLAIM
        assert opened.errors == []


def test_copy_link_is_a_plain_link_without_javascript(site: Site, browser, copy_link_page) -> None:
    with open_page(browser, site, copy_link_page, 390, java_script_enabled=False) as opened:
        page = opened.page
        link = page.get_by_role("link", name="Link to this fact-check")
        assert link.is_visible()
        assert link.get_attribute("href") == "https://factcheck.example.org/" + CLAIM
        assert page.get_by_role("button").count() == 0


def test_claim_page_has_the_copy_link_button(site: Site, browser) -> None:
    with open_page(browser, site, CLAIM, 1280) as opened:
        page = opened.page
        assert page.get_by_role("button", name="Copy link").is_visible()
        assert opened.errors == []


def test_factcheck_js_is_served(site: Site) -> None:
    html = (site.root / CLAIM / "index.html").read_text(encoding="utf-8")
    served = re.search(r'<script src="([^"]*factcheck\.js)"', html)
    assert served, "factcheck.js must be loaded by a <script src>, never inline (CSP)"
    target = (site.root / CLAIM / served.group(1)).resolve()
    assert target.read_text(encoding="utf-8") == FACTCHECK_JS.read_text(encoding="utf-8")


# -- search -------------------------------------------------------------------------


def test_search_finds_the_yandexgpt_claim(site: Site, browser) -> None:
    with open_page(browser, site, "", 1280) as opened:
        page = opened.page
        field = page.locator("input.md-search__input")
        field.click()
        field.press_sequentially("YandexGPT", delay=20)
        result = page.locator(f'.md-search-result__link[href$="{CLAIM}"]')
        result.first.wait_for(state="visible", timeout=15_000)
        screenshot(page, "search-yandexgpt", full_page=False)
        result.first.click()
        page.wait_for_url(f"**/{CLAIM}**")
        assert opened.errors == []
