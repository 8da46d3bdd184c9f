"""The command line: new, stats, render --out, diff."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BIN, check

from generator.outdir import MANIFEST


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_new_claim_lists_every_placeholder_then_passes_once_filled(site: Path) -> None:
    created = run(site, "new", "claim", "--article", "daily-2024-01-01-budget")
    assert created.returncode == 0, created.stderr
    assert created.stdout == "facts/claims/new-claim.yaml\n"
    record = site / "facts/claims/new-claim.yaml"
    text = record.read_text()
    assert text.startswith(
        "# yaml-language-server: $schema=../../generator/schemas/claim.schema.json\n"
    )
    result = check(site)
    assert result.returncode == 1
    path = "facts/claims/new-claim.yaml"
    assert result.stdout.splitlines() == [
        f"{path}:4: quote is still a placeholder: fill it in",
        f"{path}:5: claim is still a placeholder: fill it in",
        f"{path}:6: claimant is still a placeholder: fill it in",
        f"{path}:7: verdict is still a placeholder: fill it in",
        f"{path}:8: conclusion is still a placeholder: fill it in",
        f"{path}:9: explanation is still a placeholder: fill it in",
        f"{path}:11: sources[0].source is still a placeholder: fill it in",
        f"{path}:12: sources[0].stance is still a placeholder: fill it in",
        f"{path}:13: sources[0].note is still a placeholder: fill it in",
    ]
    filled = {
        "quote": "Bus fares will be free from March",
        "claim": "Fares on city buses will be free from March",
        "claimant": "transport-office",
        "verdict": "unproven",
        "conclusion": "No decision was found.",
        "explanation": "Nothing was published.",
        "- source": "parks-report",
        "stance": "context",
        "note": "Unrelated.",
    }
    lines = []
    for line in text.splitlines():
        key = line.strip().split(":")[0]
        if key in filled and "TODO:" in line:
            line = line.split(":")[0] + f': "{filled[key]}"'
        lines.append(line)
    record.write_text("\n".join(lines) + "\n")
    # The scaffold dates the record today; the fixture article is from 2024, so that is fine.
    result = check(site)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


@pytest.mark.parametrize("kind", ["source", "entity"])
def test_new_source_and_entity_are_scaffolded_with_placeholders(site: Path, kind: str) -> None:
    created = run(site, "new", kind, "--id", f"fresh-{kind}")
    assert created.returncode == 0, created.stderr
    folder = {"source": "sources", "entity": "entities"}[kind]
    assert created.stdout == f"facts/{folder}/fresh-{kind}.yaml\n"
    problems = check(site).stdout.splitlines()
    assert problems and all("is still a placeholder: fill it in" in p for p in problems)


def test_new_refuses_to_overwrite_and_needs_an_article(site: Path) -> None:
    taken = run(site, "new", "source", "--id", "parks-report")
    assert taken.returncode == 2
    assert taken.stderr == "facts/sources/parks-report.yaml already exists; choose another --id\n"
    orphan = run(site, "new", "claim")
    assert orphan.returncode == 2
    assert orphan.stderr == "new claim needs --article ID\n"


def test_free_ids_count_up(site: Path) -> None:
    assert run(site, "new", "entity").stdout == "facts/entities/new-entity.yaml\n"
    assert run(site, "new", "entity").stdout == "facts/entities/new-entity-2.yaml\n"


def test_stats(site: Path) -> None:
    result = run(site, "stats")
    assert result.returncode == 0
    assert result.stdout == (
        "3 claims\n\n"
        "by verdict:\n      1  Accurate\n      1  Inaccurate\n      1  Unproven\n\n"
        "by article:\n      3  The budget, explained\n\n"
        "by claimant:\n      2  The Mayor\n      1  Transport Office\n"
    )


def test_render_out_writes_only_changes_and_never_foreign_files(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    first = run(site, "render", "--out", str(out))
    assert first.returncode == 0, first.stderr
    page = out / "claims/parks-spending.md"
    assert page.read_text().startswith('---\ntitle: "Spending on parks rose by 40%"\n')
    assert (out / "data/claims.json").is_file()
    assert (out / "assets/factcheck/verdicts.css").is_file()
    total = len((out / MANIFEST).read_text().split())
    assert first.stdout == f"{total} files in {out}: {total} written, 0 unchanged, 0 removed.\n"
    stamp = page.stat().st_mtime_ns

    again = run(site, "render", "--out", str(out))
    assert again.stdout == f"{total} files in {out}: 0 written, {total} unchanged, 0 removed.\n"
    assert page.stat().st_mtime_ns == stamp

    (site / "facts/claims/free-bus-fares.yaml").unlink()
    gone = run(site, "render", "--out", str(out))
    assert gone.returncode == 0, gone.stderr
    assert not (out / "claims/free-bus-fares.md").exists()
    assert ", 1 removed." in gone.stdout

    mine = out / "claims/free-bus-fares.md"
    mine.write_text("hand-written\n")
    (site / "facts/claims/free-bus-fares.yaml").write_text(
        (Path(__file__).parent / "fixtures/site/facts/claims/free-bus-fares.yaml").read_text()
    )
    refused = run(site, "render", "--out", str(out))
    assert refused.returncode == 1
    assert (
        refused.stderr
        == f"{mine} exists and was not written by the generator; not overwriting it\n"
    )
    assert mine.read_text() == "hand-written\n"


def test_render_out_builds_with_properdocs(site: Path, tmp_path: Path) -> None:
    properdocs = BIN / "properdocs"
    if not properdocs.exists():
        pytest.skip("properdocs is not installed in this environment")
    project = tmp_path / "engine"
    docs = project / "docs"
    assert run(site, "render", "--out", str(docs)).returncode == 0
    for page in (site / "docs").glob("*.md"):
        shutil.copy(page, docs / page.name)
    (project / "properdocs.yml").write_text(
        "site_name: Engine check\ntheme:\n  name: material\n"
        "extra_css:\n  - assets/factcheck/factcheck.css\n  - assets/factcheck/verdicts.css\n"
        "nav:\n  - Home: index.md\n  - Claims: claims/index.md\n"
    )
    result = subprocess.run(
        [str(properdocs), "build", "--strict", "-f", str(project / "properdocs.yml")],
        capture_output=True,
        text=True,
        timeout=300,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    built = (project / "site/claims/parks-spending/index.html").read_text()
    assert "fc-summary fc-v-accurate" in built


def test_diff_lists_changed_verdicts(site: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(site), *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "base")
    record = site / "facts/claims/parks-spending.yaml"
    record.write_text(record.read_text().replace("verdict: accurate", "verdict: unproven"))
    (site / "facts/claims/free-bus-fares.yaml").unlink()
    result = run(site, "diff", "HEAD")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "removed  free-bus-fares (was unproven)\nchanged  parks-spending: accurate -> unproven\n"
    )
    assert run(site, "diff", "no-such-rev").returncode == 2
