"""The benchmark scripts still run end to end, so they cannot rot between real runs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import PROJECT, check

pytestmark = pytest.mark.site

BENCH = PROJECT / "bench"


def test_corpus_passes_the_check(tmp_path) -> None:
    desk = tmp_path / "desk"
    made = subprocess.run(
        [
            sys.executable,
            str(BENCH / "corpus.py"),
            "--claims",
            "60",
            "--seed",
            "7",
            "--out",
            str(desk),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    assert len(list((desk / "facts" / "claims").glob("*.yaml"))) == 60
    result = check(desk)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: 60 claims, 1 articles" in result.stderr


def test_corpus_is_deterministic(tmp_path) -> None:
    def files(out):
        subprocess.run(
            [
                sys.executable,
                str(BENCH / "corpus.py"),
                "--claims",
                "5",
                "--seed",
                "3",
                "--out",
                str(out),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_benchmark_smoke_run() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    for line in (
        "| 60 | ratio check/parse |",
        "| 60 | ratio full/floor |",
        "| 60 | ratio full/hook floor |",
        "| 60 | ratio RSS full/floor |",
        "| 60 | (e) ratio build time 60/30 |",
        "| 60 | (e) ratio check time 60/30 |",
        "| 60 | (g) claim page HTML, max |",
        "| 60 | (h) first-search download (gzip -6) |",
    ):
        assert line in out, f"missing {line!r} in:\n{out}"
    assert "MISS" not in out  # smoke runs judge no targets
