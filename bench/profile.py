"""Where our own time goes: `python bench/profile.py --claims 10000 [--build]`.

Writes a synthetic desk into a temporary folder, then prints
  - the slowest imports of `python -m generator check` (-X importtime),
  - the in-process phases without a profiler (load_corpus, prose, render, export),
  - cProfile of `python -m generator check` (and with --build, of one `mkdocs build`),
    sorted by cumulative time.
cProfile inflates call-heavy code (Python-Markdown, Jinja, html.parser) about 2x,
so read its shares, and take absolute times from the phase table.
"""

from __future__ import annotations

import argparse
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent

PHASES = """\
import sys, time
from pathlib import Path
import yaml
from generator import prose
from generator.render import Renderer
from generator.settings import read_settings
from generator.validate import Layout, load_corpus

desk = Path(sys.argv[1])
def timed(name, work):
    start = time.perf_counter()
    result = work()
    print(f"{name:<44} {time.perf_counter() - start:7.2f} s")
    return result

files = sorted((desk / "facts").glob("**/*.yaml"))
timed("CSafeLoader over facts/ (the parse floor)",
      lambda: [yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader) for p in files])
texts = [yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)["explanation"]
         for p in files if p.parent.name == "claims"]
timed(f"prose.to_html x {len(texts)} explanations", lambda: [prose.to_html(t) for t in texts])
corpus, _ = timed("validate.load_corpus (all of check)", lambda: load_corpus(Layout(desk)))
settings = read_settings(desk / "mkdocs.yml")
renderer = Renderer(corpus, settings)
timed("render.Renderer.pages()", renderer.pages)
try:
    from generator.export import export_files
except ImportError:
    pass
else:
    timed("export.export_files()", lambda: export_files(corpus, settings))
"""


def run(cmd: list[str], env: dict[str, str], **kw) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, **kw)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result


def top(path: Path, count: int, restrict: str | None = None) -> None:
    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative")
    if restrict:
        stats.print_stats(restrict, count)
    else:
        stats.print_stats(count)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--build", action="store_true", help="also profile one mkdocs build")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args(argv)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    work = Path(tempfile.mkdtemp(prefix="factcheck-profile-", dir="/tmp"))
    desk = work / "desk"
    try:
        corpus = [str(BENCH / "corpus.py"), "--claims", str(args.claims), "--seed", str(args.seed)]
        run([sys.executable, *corpus, "--out", str(desk)], env)
        check = ["-m", "generator", "--root", str(desk), "check"]

        print("## Slowest imports of `python -m generator check` (cumulative µs)\n")
        imports = run([sys.executable, "-X", "importtime", *check], env).stderr.splitlines()
        rows = [line.split("|") for line in imports if line.startswith("import time:")]
        rows = [(int(r[1]), r[2].rstrip()) for r in rows if r[1].strip().isdigit()]
        for cumulative, name in sorted(rows, reverse=True)[:12]:
            print(f"{cumulative:>9}  {name}")

        print("\n## In-process phases, no profiler\n")
        start = time.perf_counter()
        phases = run([sys.executable, "-c", PHASES, str(desk)], env).stdout
        print(phases + f"(phases script: {time.perf_counter() - start:.1f} s)")

        print("\n## cProfile: python -m generator check\n")
        prof = work / "check.prof"
        run([sys.executable, "-m", "cProfile", "-o", str(prof), *check], env)
        top(prof, args.top)

        if args.build:
            print("\n## cProfile: mkdocs build\n")
            prof = work / "build.prof"
            config = str(desk / "mkdocs.yml")
            mkdocs = [str(BIN / "mkdocs"), "build", "-q", "-f", config, "-d", str(work / "site")]
            run([sys.executable, "-m", "cProfile", "-o", str(prof), *mkdocs], env)
            top(prof, args.top)
            print("\n### our code only\n")
            top(prof, args.top, "generator/")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
