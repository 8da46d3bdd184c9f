"""`mkdocs serve` on 127.0.0.1: edits to records show up; a broken record does not stop it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import BIN

pytestmark = pytest.mark.site

DEADLINE = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(condition: Callable[[], bool], seconds: float = DEADLINE) -> float:
    """Poll until `condition` holds; return the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if condition():
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"condition not met within {seconds} s")


@pytest.fixture(params=["full", "dirty"])
def server(site: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """`mkdocs serve`, rebuilding everything or (as `make serve` does) only what changed."""
    port = free_port()
    log = (site.parent / "serve.log").open("w")
    dirty = ["--dirty"] if request.param == "dirty" else []
    process = subprocess.Popen(
        [
            str(BIN / "mkdocs"),
            "serve",
            "--livereload",
            *dirty,
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(site / "mkdocs.yml"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: fetch(base) is not None)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def test_editing_a_verdict_changes_the_served_page(site: Path, server: str) -> None:
    url = server + "claims/parks-spending/"
    assert "fc-v-accurate" in (fetch(url) or "")
    record = site / "facts/claims/parks-spending.yaml"
    record.write_text(record.read_text().replace("verdict: accurate", "verdict: unproven"))
    took = wait_for(lambda: "fc-summary fc-v-unproven" in (fetch(url) or ""))
    assert took < 30
    # Pages that show the claim follow, hand-written ones with generated blocks too.
    wait_for(lambda: "parks-spending" in (fetch(server + "verdicts/unproven/") or ""))
    assert "parks-spending" not in (fetch(server + "verdicts/accurate/") or "")
    wait_for(lambda: "Spending on parks rose by 40%" in (fetch(server) or ""))
    home = fetch(server) or ""
    assert home.count("fc-v-unproven") > home.count("fc-v-accurate")


def test_a_broken_record_is_shown_and_the_server_keeps_answering(site: Path, server: str) -> None:
    url = server + "claims/parks-spending/"
    record = site / "facts/claims/parks-spending.yaml"
    good = record.read_text()
    record.write_text(good.replace("verdict: accurate", "verdict: maybe"))
    wait_for(lambda: "fc-problems" in (fetch(url) or ""))
    page = fetch(url)
    assert "got &#x27;maybe&#x27;" in page or "got 'maybe'" in page
    assert "fc-v-accurate" in page  # the last good version is still served
    assert "fc-problems" in (fetch(server) or "")  # hand-written pages show it too
    record.write_text(good.replace("verdict: accurate", "verdict: inaccurate"))
    wait_for(lambda: "fc-summary fc-v-inaccurate" in (fetch(url) or ""))
    assert "fc-problems" not in fetch(url)
    wait_for(lambda: "fc-problems" not in (fetch(server) or ""))
