"""The live-preview benchmark runs end to end at a tiny size, so it cannot rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.site
BENCH = Path(__file__).parent.parent / "bench" / "serve.py"


def test_serve_benchmark_smoke() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--claims", "40", "--edits", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "edit-to-reload median" in result.stdout
