"""`python -m generator`: the same core as the site build, for editors and CI.

check    validate every record (exit 1 on any problem)
new      scaffold a claim, source or entity record
stats    counts by verdict, article and claimant
render   write the generated pages as Markdown files for other site engines
diff     claims whose verdict changed since a git revision
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
from collections import Counter
from pathlib import Path

from generator import scaffold
from generator.claimreview import lint
from generator.export import export_files
from generator.load import parse_yaml
from generator.model import Corpus
from generator.outdir import write_tree
from generator.problem import Problem
from generator.render import Renderer
from generator.settings import Settings, read_settings
from generator.validate import Layout, load_corpus


def main(argv: list[str] | None = None) -> int:
    """Run a command; returns the exit status (0 done, 1 problems found, 2 usage)."""
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: .)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="validate every record; exit 1 on any problem")
    check.add_argument("--format", choices=("text", "github"), default="text")
    new = commands.add_parser("new", help="scaffold a record with placeholders")
    new.add_argument("kind", choices=("claim", "source", "entity"))
    new.add_argument("--article", help="the claim's article id (claims only)")
    new.add_argument("--id", dest="record_id", help="the new id (default: a free one)")
    commands.add_parser("stats", help="counts by verdict, article and claimant")
    render = commands.add_parser("render", help="write pages as Markdown for other engines")
    render.add_argument("--out", type=Path, required=True, help="folder to write into")
    diff = commands.add_parser("diff", help="claims whose verdict changed since a git revision")
    diff.add_argument("rev", help="a git revision, e.g. origin/main")
    args = parser.parse_args(argv)

    root = args.root.resolve()
    settings = _settings(root)
    layout = Layout(root, settings.facts_dir, settings.seeds_dir)
    if args.command == "check":
        return _check(layout, settings, args.format)
    if args.command == "new":
        return _new(layout, args.kind, args.article, args.record_id)
    corpus = _corpus_or_report(layout, settings)
    if corpus is None:
        return 1
    if args.command == "stats":
        return _stats(corpus)
    if args.command == "render":
        return _render(corpus, settings, args.out)
    return _diff(layout, corpus, args.rev)


def _settings(root: Path) -> Settings:
    config = root / "mkdocs.yml"
    return read_settings(config) if config.is_file() else Settings()


def _problems(layout: Layout, settings: Settings) -> tuple[Corpus | None, list[Problem]]:
    corpus, problems = load_corpus(layout)
    if corpus is not None:
        problems = lint(corpus, settings)
    return (corpus if not problems else None), problems


def _corpus_or_report(layout: Layout, settings: Settings) -> Corpus | None:
    corpus, problems = _problems(layout, settings)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found; run `check` for details.", file=sys.stderr)
    return corpus


def _check(layout: Layout, settings: Settings, output: str) -> int:
    corpus, problems = _problems(layout, settings)
    for problem in problems:
        print(_format(problem, output))
    if corpus is None:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print(
        f"OK: {len(corpus.claims)} claims, {len(corpus.articles)} articles, "
        f"{len(corpus.sources)} sources, {len(corpus.entities)} entities.",
        file=sys.stderr,
    )
    return 0


def _format(problem: Problem, output: str) -> str:
    if output == "github":
        message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        line = f",line={problem.line}" if problem.line else ""
        return f"::error file={problem.path}{line}::{message}"
    return str(problem)


def _new(layout: Layout, kind: str, article: str | None, record_id: str | None) -> int:
    folder = (
        layout.root
        / layout.facts
        / {"claim": "claims", "source": "sources", "entity": "entities"}[kind]
    )
    if kind == "claim" and not article:
        print("new claim needs --article ID", file=sys.stderr)
        return 2
    record_id = record_id or scaffold.free_id(folder, f"new-{kind}")
    path = folder / f"{record_id}.yaml"
    if path.exists():
        print(f"{layout.display(path)} already exists; choose another --id", file=sys.stderr)
        return 2
    if kind == "claim":
        corpus, _ = load_corpus(layout)
        scale = corpus.scale if corpus is not None else None
        text = scaffold.claim(record_id, article, scale, datetime.date.today())
    else:
        text = getattr(scaffold, kind)(record_id)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(layout.display(path))
    return 0


def _stats(corpus: Corpus) -> int:
    claims = list(corpus.claims.values())
    sections = {
        "verdict": Counter(c.verdict or "(conclusion only)" for c in claims),
        "article": Counter(corpus.articles[c.article].title for c in claims),
        "claimant": Counter(corpus.entities[c.claimant].name for c in claims),
    }
    print(f"{len(claims)} claims")
    for name, counts in sections.items():
        print(f"\nby {name}:")
        labels = {v.id: v.label for v in corpus.scale.verdicts} if name == "verdict" else {}
        ordered = (
            [v.id for v in corpus.scale.verdicts if v.id in counts]
            + sorted(set(counts) - set(labels))
            if name == "verdict"
            else sorted(counts, key=lambda key: (-counts[key], key))
        )
        for key in ordered:
            print(f"  {counts[key]:>5}  {labels.get(key, key)}")
    return 0


def _render(corpus: Corpus, settings: Settings, out: Path) -> int:
    renderer = Renderer(corpus, settings)
    files = {page.src_uri: page.front_matter() + page.html for page in renderer.pages().values()}
    files.update(export_files(corpus, settings))
    files.update(renderer.assets())
    try:
        written, removed = write_tree(out, files)
    except FileExistsError as error:
        print(error, file=sys.stderr)
        return 1
    print(
        f"{len(files)} files in {out}: {written} written, {len(files) - written} unchanged, {removed} removed."
    )
    return 0


def _diff(layout: Layout, corpus: Corpus, rev: str) -> int:
    folder = f"{layout.facts}/claims/"
    listing = _git(layout.root, "ls-tree", "--name-only", rev, folder)
    if listing is None:
        print(f"git does not know the revision {rev!r}", file=sys.stderr)
        return 2
    before: dict[str, str] = {}
    for path in listing.splitlines():
        text = _git(layout.root, "show", f"{rev}:{path}")
        document, _ = parse_yaml(text or "", path)
        if document is not None and isinstance(document.data, dict):
            before[Path(path).stem] = str(document.data.get("verdict", ""))
    changes = []
    for claim_id in sorted(set(before) | set(corpus.claims)):
        old, claim = before.get(claim_id), corpus.claims.get(claim_id)
        if claim is None:
            changes.append(f"removed  {claim_id} (was {old or 'no verdict'})")
        elif old is None:
            changes.append(f"added    {claim_id}: {claim.verdict or 'no verdict'}")
        elif old != claim.verdict:
            changes.append(f"changed  {claim_id}: {old} -> {claim.verdict}")
    print("\n".join(changes) if changes else f"No verdict changed since {rev}.")
    return 0


def _git(root: Path, *args: str) -> str | None:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else None
