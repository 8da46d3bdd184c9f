"""Edit-to-reload under `mkdocs serve --dirty`, as `make serve` runs it.

    python bench/serve.py --claims 10000 [--edits 3] [--seed 1] [--search pagefind]

Generates a synthetic desk, starts the live preview on 127.0.0.1, then changes one
claim's verdict several times and times each save until the served claim page shows
the new verdict. A benchmark: it prints figures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

BIN = Path(sys.executable).parent
HERE = Path(__file__).parent
DEADLINE = 1800.0


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait(condition, seconds: float) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > seconds:
            raise SystemExit(f"gave up after {seconds:.0f} s")
        time.sleep(0.05)
    return time.monotonic() - start


def measure(root: Path, edits: int) -> tuple[float, list[float]]:
    """Seconds to the first served page, and per edit seconds to the new verdict."""
    claims = sorted((root / "facts" / "claims").glob("*.yaml"))
    record = claims[len(claims) // 2]
    verdicts = [
        v["id"] for v in yaml.safe_load((root / "facts/scale.yaml").read_text())["verdicts"]
    ]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/claims/{record.stem}/"
    log = (root / "serve.log").open("w")
    process = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--livereload", "--dirty", "-a", f"127.0.0.1:{port}",
         "-f", str(root / "mkdocs.yml")],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    try:
        startup = _wait(lambda: "fc-summary" in _fetch(url), DEADLINE)
        original = record.read_text()
        current = re.search(r"^verdict: (\S+)$", original, re.M).group(1)
        times = []
        for new in [v for v in verdicts if v != current][:edits]:
            record.write_text(
                re.sub(r"^verdict: \S+$", f"verdict: {new}", record.read_text(), flags=re.M)
            )
            times.append(_wait(lambda new=new: f"fc-summary fc-v-{new}" in _fetch(url), 600))
        record.write_text(original)
        return startup, times
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="factcheck-serve-") as folder:
        root = Path(folder) / "desk"
        subprocess.run(
            [sys.executable, str(HERE / "corpus.py"), "--claims", str(args.claims),
             "--seed", str(args.seed), "--out", str(root)],
            check=True, capture_output=True,
        )  # fmt: skip
        startup, times = measure(root, args.edits)
    print(f"claims                      {args.claims:>10,}")
    print(f"serve start to first page   {startup:>10.1f} s")
    for number, seconds in enumerate(times, 1):
        print(f"edit {number} to new page served  {seconds:>10.2f} s")
    if times:
        print(
            f"edit-to-reload median       {statistics.median(times):>10.2f} s   (target <= 3 s at 10,000)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
