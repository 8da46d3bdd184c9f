"""Scalability benchmark of the fact-check generator (a script, not a test).

    .venv/bin/python bench/run.py            # N = 1,000 and 10,000 (about 10 minutes)
    .venv/bin/python bench/run.py --full     # also N = 20,000, paired with 10,000
    .venv/bin/python bench/run.py --smoke    # every step once at tiny N, no targets

For each N it writes a synthetic desk (bench/corpus.py) into a temporary folder and
measures, as whole processes (interpreter start-up included):

  (a) `python -m generator check`          vs (b) a bare CSafeLoader parse of facts/
  (c) `mkdocs build` through our plugin     vs (d) a plain `mkdocs build` of the same
      pages pre-written as Markdown files, and (d2) the same pages handed to MkDocs
      the way our plugin does (front matter, HTML swapped in by a tiny hook): the
      floor MkDocs + Material cannot beat, so full/hook floor is our own overhead
  (e) N=20,000 against N=10,000 (--full)    (f) peak RSS of the builds
  (g) claim page HTML sizes                 (h) what a first search downloads

A and B runs alternate (A B A B) and each ratio is the median of the pair ratios, as
/work/shared/research/performance-baselines.md recommends on this noisy machine.
Targets are judged on wall time; CPU-time ratios are printed beside them because
they move much less when other jobs share the two cores.
Progress goes to stderr; the figures go to stdout as a Markdown table.

The generator/ folder is copied once at start and put first on PYTHONPATH, so the
whole run measures one version even while others edit the working tree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
BIN = Path(sys.executable).parent
TIME = Path("/usr/bin/time")

PARSE = """\
import sys, pathlib, yaml
for path in sorted(pathlib.Path(sys.argv[1]).glob("**/*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""
"""The floor of (a): libyaml building Python objects, nothing else."""

RUSAGE_WRAPPER = """\
import resource, subprocess, sys
status = subprocess.run(sys.argv[1:]).returncode
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(usage.ru_maxrss, usage.ru_utime + usage.ru_stime, file=sys.stderr)
sys.exit(status)
"""
"""Fallback without /usr/bin/time: a fresh parent per command, so the rusage of its
children is exactly that command's."""

TARGETS = {
    "check/parse": 1.5,
    "full/floor": 1.15,
    "RSS full/floor": 1.2,
    "scaling": 1.05,  # per unit of size growth: 2.1 for 20k/10k
    "claim KB": 40.0,
    "search KB": 500.0,
}


@dataclass(frozen=True)
class Run:
    wall: float
    rss_mib: float
    cpu: float
    """User + system seconds."""


@dataclass
class Row:
    n: int | str
    figure: str
    value: str
    target: str = ""
    status: str = "info"


@dataclass
class Bench:
    env: dict[str, str]
    smoke: bool = False
    search: str = "material"
    """The desk's search: the theme's plugin, or Pagefind run by our plugin after the build."""
    max_load: float | None = None
    """Wait (up to 5 minutes) for the 1-minute load to drop below this before each pair."""
    rows: list[Row] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)

    def add(self, n, figure: str, value: str, target: str = "", ok: bool | None = None) -> None:
        if ok is None:
            status = "info"
        elif self.smoke:
            status = "n/a (smoke)"
        else:
            status = "ok" if ok else "MISS"
        self.rows.append(Row(n, figure, value, target, status))

    def settle(self) -> None:
        if self.max_load is None:
            return
        deadline = time.monotonic() + 300
        while os.getloadavg()[0] > self.max_load and time.monotonic() < deadline:
            time.sleep(5)

    def measure(self, cmd: list[str]) -> Run:
        """Wall time, peak RSS and CPU time of one command; stops the run if it fails."""
        with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
            if TIME.exists():
                full = [str(TIME), "-v", "-o", report.name, *cmd]
            else:  # pragma: no cover - depends on the machine
                full = [sys.executable, "-c", RUSAGE_WRAPPER, *cmd]
            start = time.perf_counter()
            result = subprocess.run(full, env=self.env, capture_output=True, text=True)
            wall = time.perf_counter() - start
            if result.returncode != 0:
                sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
                raise SystemExit(f"command failed ({result.returncode}): {' '.join(cmd)}")
            if TIME.exists():
                fields = {
                    name.strip(): value.strip()
                    for name, _, value in (
                        line.rpartition(":") for line in report.read().splitlines()
                    )
                }
                kb = int(fields["Maximum resident set size (kbytes)"])
                cpu = float(fields["User time (seconds)"]) + float(fields["System time (seconds)"])
            else:  # pragma: no cover
                kb_text, cpu_text = result.stderr.strip().splitlines()[-1].split()
                kb, cpu = int(kb_text), float(cpu_text)
        self.loads.append(os.getloadavg()[0])
        return Run(wall, kb / 1024, cpu)

    def ratio(self, n, figure: str, pairs: list[tuple[Run, Run]], limit: float) -> None:
        """Median of the pair ratios of wall time against `limit`, with the CPU ratio beside."""
        walls = [a.wall / b.wall for a, b in pairs]
        cpus = [a.cpu / b.cpu for a, b in pairs]
        value = f"{_ratio_text(walls)}; CPU {statistics.median(cpus):.3f}"
        self.add(n, figure, value, f"<= {limit}", statistics.median(walls) <= limit)


def _ratio_text(ratios: list[float]) -> str:
    low, mid, high = min(ratios), statistics.median(ratios), max(ratios)
    return f"{mid:.3f} ({low:.3f}-{high:.3f}, {len(ratios)} pairs)"


def _spread(runs: list[Run]) -> str:
    walls = [r.wall for r in runs]
    cpu = statistics.median([r.cpu for r in runs])
    return (
        f"{statistics.median(walls):.2f} s ({min(walls):.2f}-{max(walls):.2f}, n={len(walls)}); "
        f"CPU {cpu:.2f} s"
    )


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def corpus_cmd(n: int, seed: int, out: Path, search: str = "material") -> list[str]:
    corpus = [str(BENCH / "corpus.py"), "--claims", str(n), "--seed", str(seed)]
    return [sys.executable, *corpus, "--out", str(out), "--search", search]


def check_cmd(desk: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "--root", str(desk), "check"]


def parse_cmd(desk: Path) -> list[str]:
    return [sys.executable, "-c", PARSE, str(desk / "facts")]


def build_cmd(desk: Path, out: Path) -> list[str]:
    config = str(desk / "mkdocs.yml")
    return [str(BIN / "mkdocs"), "build", "--strict", "-f", config, "-d", str(out)]


HOOK = """\
# Swaps in the pre-rendered HTML after Markdown, as our plugin does, and nothing else.
from pathlib import Path

HTML = Path(__file__).parent / "html"


def on_page_content(html, page, config, files):
    path = HTML / (page.file.src_uri.removesuffix(".md") + ".html")
    return path.read_text(encoding="utf-8") if path.is_file() else html
"""
"""MkDocs hook of the second floor: MkDocs + Material with no generator work at all."""


def make_floors(desk: Path, work: Path) -> dict[str, float]:
    """Both floors: the same pages without our plugin; returns in-process phase times.

    floor: each page's HTML written as the Markdown source (what the brief asks for;
        MkDocs then runs Markdown over ~20 KB of raw HTML per page, which our plugin
        skips, so this floor is slower than the real build).
    hook floor: each page's front matter as the source, as our plugin gives MkDocs,
        and the HTML swapped in by a 10-line hook: exactly our plugin minus loading,
        checking and rendering the records.
    """
    import yaml

    import generator
    from generator.render import MARKERS, Renderer
    from generator.settings import read_settings
    from generator.validate import Layout, load_corpus

    times = {}
    start = time.perf_counter()
    corpus, problems = load_corpus(Layout(desk))
    if corpus is None:
        raise SystemExit(f"the synthetic desk has problems: {problems[:3]}")
    times["load_corpus (load + check)"] = time.perf_counter() - start
    start = time.perf_counter()
    # The plugin's settings (site_url, publisher), so page bytes match the full build.
    renderer = Renderer(corpus, read_settings(desk / "mkdocs.yml"))
    pages = renderer.pages()
    fragments = {
        (md.name, name): renderer.fragment(name, md.stem)
        for md in (desk / "docs").glob("*.md")
        for name in MARKERS
    }
    times["Renderer.pages() (render)"] = time.perf_counter() - start
    times["pages"] = len(pages)

    start = time.perf_counter()
    config = yaml.safe_load((desk / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [p for p in config["plugins"] if p == "search"]
    config["extra_css"] = ["assets/factcheck/factcheck.css", "assets/factcheck/verdicts.css"]
    config.pop("watch", None)
    for folder, hooked in (("floor", False), ("hookfloor", True)):
        floor = work / folder
        docs = floor / "docs"
        shutil.copytree(desk / "docs", docs)
        for page in pages.values():
            path = docs / page.src_uri
            path.parent.mkdir(parents=True, exist_ok=True)
            if hooked:
                path.write_text(page.front_matter(), encoding="utf-8")
                html = floor / "html" / (page.key + ".html")
                html.parent.mkdir(parents=True, exist_ok=True)
                html.write_text(page.html, encoding="utf-8")
            else:
                path.write_text(page.front_matter() + page.html, encoding="utf-8")
        # Hand-written pages get their generated blocks, as the plugin adds them.
        for md in docs.glob("*.md"):
            text = md.read_text(encoding="utf-8")
            for name in MARKERS:
                text = text.replace(f"<!-- factcheck:{name} -->", fragments[(md.name, name)])
            md.write_text(text, encoding="utf-8")
        css = docs / "assets" / "factcheck"
        css.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(generator.__file__).parent / "assets" / "factcheck.css", css)
        (css / "verdicts.css").write_text(renderer.stylesheet(), encoding="utf-8")
        if hooked:
            (floor / "swap_hook.py").write_text(HOOK, encoding="utf-8")
        settings = {**config, "hooks": ["swap_hook.py"]} if hooked else config
        text = yaml.safe_dump(settings, sort_keys=False)
        (floor / "mkdocs.yml").write_text(text, encoding="utf-8")
    times["write both floors"] = time.perf_counter() - start
    return times


def _transfer(data: bytes) -> int:
    """Bytes on the wire from a server that gzips (-6) whatever gets smaller."""
    return min(len(data), len(gzip.compress(data, compresslevel=6)))


def search_rows(bench: Bench, n: int, site: Path) -> None:
    """(h): what a reader downloads before the first search result shows."""
    limit = TARGETS["search KB"]
    index = site / "search" / "search_index.json"
    if index.exists():
        # Material's search fetches the whole index before it shows a first result.
        data = index.read_bytes()
        packed = _transfer(data) / 1024
        bench.add(n, "(h) search/search_index.json, raw", f"{len(data) / 1024:,.0f} KB")
        bench.add(n, "(h) first-search download (gzip -6)", f"{packed:,.0f} KB",
                  f"<= {limit:.0f} KB", packed <= limit)  # fmt: skip
        return
    bundle = site / "pagefind"
    if not bundle.is_dir():
        bench.add(n, "(h) search", "no search index in the site")
        return
    # Pagefind: its UI, loader, worker, entry, metadata and wasm for the site's
    # language (the search page's UI pulls them in), then one index chunk for the
    # term and the fragments of the first results (the UI shows 5).
    metas = sorted(bundle.glob("pagefind.*.pf_meta"))
    language = metas[0].name.split(".")[1].split("_")[0] if metas else "en"
    names = {"pagefind-ui.js", "pagefind-ui.css", "pagefind.js", "pagefind-worker.js",
             "pagefind-entry.json", f"wasm.{language}.pagefind"}  # fmt: skip
    loaded = [p for p in bundle.iterdir() if p.name in names] + metas[:1]
    fixed = sum(_transfer(p.read_bytes()) for p in loaded)
    chunks = sorted(_transfer(p.read_bytes()) for p in bundle.glob("index/*"))
    fragments = sorted(_transfer(p.read_bytes()) for p in bundle.glob("fragment/*"))
    total = sum(p.stat().st_size for p in bundle.glob("**/*") if p.is_file()) / 1e6
    bench.add(n, "(h) Pagefind bundle on disk", f"{total:.1f} MB, {len(chunks)} index chunks")
    first = (fixed + statistics.median(chunks) + 5 * statistics.median(fragments)) / 1024
    worst = (fixed + chunks[-1] + 5 * fragments[-1]) / 1024
    bench.add(n, "(h) first-search download, Pagefind (median chunk)", f"{first:,.0f} KB "
              f"(UI+loader+wasm+meta {fixed / 1024:,.0f} KB; largest chunk: {worst:,.0f} KB)",
              f"<= {limit:.0f} KB", first <= limit)  # fmt: skip


def one_size(
    bench: Bench,
    n: int,
    seed: int,
    reps: int,
    work: Path,
    partner: tuple[int, Path] | None,
    keep: bool,
) -> Path:
    """Every measurement at one N; `partner` is a smaller desk the scaling runs pair with."""
    desk = work / "desk"
    log(f"N={n:,}: writing the corpus")
    written = bench.measure(corpus_cmd(n, seed, desk, bench.search))
    bench.add(n, "corpus written (bench/corpus.py)", f"{written.wall:.2f} s")
    facts_bytes = sum(p.stat().st_size for p in (desk / "facts").glob("**/*.yaml"))
    bench.add(n, "facts/**/*.yaml", f"{facts_bytes / 1e6:.1f} MB")

    # (a)/(b): the check against a bare parse of the same files, alternating.
    checks: list[tuple[Run, Run]] = []
    check_scaling: list[tuple[Run, Run]] = []
    for rep in range(reps):
        log(f"N={n:,}: check/parse pair {rep + 1}/{reps}")
        bench.settle()
        pair = (bench.measure(check_cmd(desk)), bench.measure(parse_cmd(desk)))
        checks.append(pair)
        if partner is not None:
            check_scaling.append((pair[0], bench.measure(check_cmd(partner[1]))))
    bench.add(n, "(a) generator check", _spread([a for a, _ in checks]))
    bench.add(n, "(a) generator check, peak RSS",
              f"{statistics.median([a.rss_mib for a, _ in checks]):.0f} MiB")  # fmt: skip
    bench.add(n, "(b) bare CSafeLoader parse", _spread([b for _, b in checks]))
    bench.ratio(n, "ratio check/parse", checks, TARGETS["check/parse"])

    # (c)/(d): the build through our plugin against the pre-written floors.
    log(f"N={n:,}: writing the floor pages")
    phases = make_floors(desk, work)
    pages = int(phases.pop("pages"))
    for phase, seconds in phases.items():
        bench.add(n, f"in-process {phase}", f"{seconds:.2f} s ({pages:,} pages)")
    runs: list[tuple[Run, Run, Run]] = []
    build_scaling: list[tuple[Run, Run]] = []
    for rep in range(reps):
        log(f"N={n:,}: full/floor/hook-floor builds {rep + 1}/{reps}")
        bench.settle()
        trio = (
            bench.measure(build_cmd(desk, work / "site-full")),
            bench.measure(build_cmd(work / "floor", work / "site-floor")),
            bench.measure(build_cmd(work / "hookfloor", work / "site-hookfloor")),
        )
        runs.append(trio)
        if partner is not None:
            log(f"N={n:,}: scaling partner build, N={partner[0]:,}")
            other = bench.measure(build_cmd(partner[1], work / "site-partner"))
            build_scaling.append((trio[0], other))
    fulls = [a for a, _, _ in runs]
    bench.add(n, "(c) mkdocs build, our plugin", _spread(fulls))
    per_claim = 1000 * statistics.median([r.wall for r in fulls]) / n
    bench.add(n, "(c) mkdocs build per claim", f"{per_claim:.2f} ms")
    bench.add(n, "(d) mkdocs build, pages pre-written as Markdown (floor)",
              _spread([b for _, b, _ in runs]))  # fmt: skip
    bench.add(n, "(d2) mkdocs build, front matter + HTML swap hook (hook floor)",
              _spread([c for _, _, c in runs]))  # fmt: skip
    bench.ratio(n, "ratio full/floor", [(a, b) for a, b, _ in runs], TARGETS["full/floor"])
    bench.ratio(n, "ratio full/hook floor", [(a, c) for a, _, c in runs], TARGETS["full/floor"])
    rss = [(a.rss_mib, b.rss_mib, c.rss_mib) for a, b, c in runs]
    bench.add(n, "(f) peak RSS full / floor / hook floor",
              " / ".join(f"{statistics.median(col):.0f}" for col in zip(*rss, strict=True)) + " MiB")  # fmt: skip
    limit = TARGETS["RSS full/floor"]
    for name, column in (("floor", 1), ("hook floor", 2)):
        ratios = [row[0] / row[column] for row in rss]
        bench.add(n, f"ratio RSS full/{name}", _ratio_text(ratios), f"<= {limit}",
                  statistics.median(ratios) <= limit)  # fmt: skip
    if partner is not None:
        limit = round(TARGETS["scaling"] * n / partner[0], 2)
        name = f"{n:,}/{partner[0]:,}"
        bench.ratio(n, f"(e) ratio build time {name}", build_scaling, limit)
        bench.ratio(n, f"(e) ratio check time {name}", check_scaling, limit)

    # (g): claim pages as built (theme included), not the bare generated fragment.
    site = work / "site-full"
    sizes = sorted(p.stat().st_size / 1024 for p in site.glob("claims/*/index.html"))
    limit = TARGETS["claim KB"]
    middle = statistics.median(sizes)
    bench.add(n, "(g) claim page HTML, median", f"{middle:.1f} KB", f"<= {limit:.0f} KB",
              middle <= limit)  # fmt: skip
    bench.add(n, "(g) claim page HTML, max", f"{sizes[-1]:.1f} KB", f"<= {limit:.0f} KB",
              sizes[-1] <= limit)  # fmt: skip
    site_bytes = sum(p.stat().st_size for p in site.glob("**/*") if p.is_file())
    bench.add(n, "built site size", f"{site_bytes / 1e6:.1f} MB")

    search_rows(bench, n, site)
    if not keep:
        for name in ("site-full", "site-floor", "site-hookfloor", "site-partner", "floor",
                     "hookfloor"):  # fmt: skip
            shutil.rmtree(work / name, ignore_errors=True)
    return desk


def machine() -> list[str]:
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    git = ["git", "-C", str(REPO)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "--", "generator"], capture_output=True, text=True
    ).stdout.strip()
    versions = []
    for package in ("mkdocs", "mkdocs-material", "markdown", "jinja2", "jsonschema", "pyyaml"):
        try:
            versions.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            versions.append(f"{package} ?")
    return [
        f"- date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- machine: nproc {os.cpu_count()}, {mem_kb / 1024**2:.1f} GiB RAM, {cpu}",
        f"- Python {platform.python_version()} on {platform.platform()}",
        f"- {', '.join(versions)}",
        f"- generator: git {head.stdout.strip()}"
        f"{' + uncommitted changes in generator/' if dirty else ''} (copied at start)",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="add N=20,000, paired with 10,000")
    parser.add_argument("--smoke", action="store_true", help="tiny N, one repetition, no targets")
    parser.add_argument("--sizes", help="comma-separated N (default 1000,10000)")
    parser.add_argument("--reps", type=int, help="A/B pairs per N (default 3 up to 2,000, else 2)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--max-load", type=float, help="before each pair, wait (<= 5 min) for a lower load"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    parser.add_argument(
        "--search",
        choices=("material", "pagefind"),
        default="material",
        help="the desk's search (pagefind: the full build includes indexing; floors have none)",
    )
    args = parser.parse_args(argv)
    if args.smoke:
        sizes = [30, 60]
    elif args.sizes:
        sizes = sorted(int(s) for s in args.sizes.split(","))
    else:
        sizes = [1000, 10000, *([20000] if args.full else [])]
    # The largest N is paired with the next one down for (e).
    paired = (args.smoke or args.full) and len(sizes) > 1

    work = Path(tempfile.mkdtemp(prefix="factcheck-bench-", dir="/tmp"))
    snapshot = work / "src"
    shutil.copytree(REPO / "generator", snapshot / "generator",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    sys.path.insert(0, str(snapshot))
    pythonpath = [str(snapshot), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": os.pathsep.join(pythonpath)}
    bench = Bench(env, smoke=args.smoke, search=args.search, max_load=args.max_load)
    header = ["## Benchmark run", "", *machine(), f"- search: {args.search}"]
    started = time.perf_counter()
    try:
        # Warm-up: bytecode caches and the page cache, so no timed run is the first.
        log("warm-up")
        bench.measure(corpus_cmd(20, args.seed, work / "warm"))
        bench.measure(check_cmd(work / "warm"))
        bench.measure(build_cmd(work / "warm", work / "warm-site"))
        desks: dict[int, Path] = {}
        for n in sizes:
            reps = args.reps or (1 if args.smoke else 3 if n <= 2000 else 2)
            partner = None
            if paired and n == sizes[-1]:
                partner = (sizes[-2], desks[sizes[-2]])
            desks[n] = one_size(bench, n, args.seed, reps, work / f"n{n}", partner, args.keep)
            # Free the disk early; only the scaling partner is needed later.
            for old in [s for s in desks if s != n and not (paired and s == sizes[-2])]:
                if not args.keep:
                    shutil.rmtree(desks.pop(old).parent, ignore_errors=True)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    header.append(f"- total benchmark time: {time.perf_counter() - started:.0f} s")
    loads = bench.loads
    header.append(
        f"- 1-minute load average after each measured command: median "
        f"{statistics.median(loads):.2f}, max {max(loads):.2f} (2 cores: above 2 means others ran)"
    )
    print("\n".join(header))
    print()
    print("| N | figure | value | target | status |")
    print("|---|---|---|---|---|")
    for row in bench.rows:
        n = f"{row.n:,}" if isinstance(row.n, int) else row.n
        print(f"| {n} | {row.figure} | {row.value} | {row.target} | {row.status} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
