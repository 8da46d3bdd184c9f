"""`python -m generator`: the same core as the site build, for editors and CI."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.claimreview import lint
from generator.problem import Problem
from generator.settings import Settings, read_settings
from generator.validate import Layout, load_corpus


def main(argv: list[str] | None = None) -> int:
    """Run a command; returns the exit status (0 clean, 1 problems, 2 usage)."""
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: .)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate every record; exit 1 on any problem")
    check.add_argument("--format", choices=("text", "github"), default="text")
    args = parser.parse_args(argv)
    settings = _settings(args.root)
    layout = Layout(args.root.resolve(), settings.facts_dir, settings.seeds_dir)
    if args.command == "check":
        return _check(layout, settings, args.format)
    return 2  # pragma: no cover - argparse rejects unknown commands


def _settings(root: Path) -> Settings:
    config = root / "mkdocs.yml"
    return read_settings(config) if config.is_file() else Settings()


def _check(layout: Layout, settings: Settings, output: str) -> int:
    corpus, problems = load_corpus(layout)
    if corpus is not None:
        problems = lint(corpus, settings)
    for problem in problems:
        print(_format(problem, output))
    if problems:
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
        message = problem.message.replace("%", "%25").replace("\n", "%0A")
        line = f",line={problem.line}" if problem.line else ""
        return f"::error file={problem.path}{line}::{message}"
    return str(problem)
