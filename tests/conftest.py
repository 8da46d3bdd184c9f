"""Shared fixtures: a small fictional desk that tests copy and break at will."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE_SITE = Path(__file__).parent / "fixtures" / "site"
PROJECT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A writable copy of the fixture desk."""
    target = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, target)
    return target


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright, one per test session.

    Playwright's sync API runs one event loop per process, so every browser test
    shares this instance instead of starting its own.
    """
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def mkdocs_build(root: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run a real `mkdocs build --strict` of the desk at `root`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [
            str(BIN / "mkdocs"),
            "build",
            "--strict",
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(out),
            *extra,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def check(root: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run `python -m generator check` on the desk at `root`."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "check", *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )
