"""Builds are reproducible, and `make build` replaces the site only when it succeeds."""

from __future__ import annotations

import filecmp
import hashlib
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import BIN, FIXTURE_SITE, PROJECT, mkdocs_build

pytestmark = pytest.mark.site


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    assert mkdocs_build(root, tmp_path / "one").returncode == 0
    time.sleep(1.1)  # a build-time stamp anywhere would now differ
    assert mkdocs_build(root, tmp_path / "two").returncode == 0
    comparison = filecmp.dircmp(tmp_path / "one", tmp_path / "two")
    assert digest(tmp_path / "one") == digest(tmp_path / "two"), comparison.report_full_closure()
    sitemap = (tmp_path / "one" / "sitemap.xml").read_text()
    assert "<lastmod>2024-02-02</lastmod>" in sitemap  # the newest record date, not today


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of this desk whose Makefile uses the already installed virtualenv."""
    copy = tmp_path / "desk"
    copy.mkdir()
    for name in ("facts", "seeds", "docs", "overrides"):
        shutil.copytree(PROJECT / name, copy / name)
    for name in ("mkdocs.yml", "Makefile", "pyproject.toml"):
        shutil.copy(PROJECT / name, copy / name)
    (copy / ".venv").symlink_to(Path(BIN).parent)
    return copy


def make_build(project: Path) -> subprocess.CompletedProcess:
    # -o: treat the install stamp as up to date, so make never reinstalls here.
    return subprocess.run(
        ["make", "-o", ".venv/.installed-stamp", "build"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_failing_build_leaves_the_previous_site_intact(project: Path) -> None:
    first = make_build(project)
    assert first.returncode == 0, first.stdout + first.stderr
    before = digest(project / "site")
    assert "claims/kremlin-banned-chatgpt/index.html" in before

    # A problem only the strict MkDocs build sees: a broken link in a hand-written page.
    about = project / "docs" / "about.md"
    about.write_text(about.read_text() + "\n[broken](no-such-page.md)\n")
    failed = make_build(project)
    assert failed.returncode != 0
    assert "no-such-page.md" in failed.stdout + failed.stderr
    assert digest(project / "site") == before
    assert not (project / "site.new").exists()

    # A problem the record check sees stops the build before MkDocs runs.
    about.write_text(about.read_text().replace("\n[broken](no-such-page.md)\n", ""))
    claim = project / "facts/claims/kremlin-banned-chatgpt.yaml"
    claim.write_text(claim.read_text().replace("verdict: misleading", "verdict: maybe"))
    refused = make_build(project)
    assert refused.returncode != 0
    assert "facts/claims/kremlin-banned-chatgpt.yaml" in refused.stdout
    assert digest(project / "site") == before
