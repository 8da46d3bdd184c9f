"""Contributor tooling: schemas in editors, pre-commit hooks, workflows and forms."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BIN, FIXTURE_SITE, PROJECT


def run(*args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_workflows_match_the_github_workflow_schema() -> None:
    workflows = sorted(str(p) for p in (PROJECT / ".github/workflows").glob("*.yml"))
    assert len(workflows) == 3
    result = run(
        str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *workflows
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pull_request_workflow_is_safe_for_forks() -> None:
    text = (PROJECT / ".github/workflows/pr.yml").read_text()
    assert "pull_request_target" not in text
    assert "secrets." not in text
    assert "permissions:\n  contents: read\n" in text


def test_correction_form_matches_the_issue_form_schema() -> None:
    form = PROJECT / ".github/ISSUE_TEMPLATE/correction.yml"
    result = run(
        str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-issue-forms", str(form)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The claim page pre-fills the field whose id is `claim`.
    assert "    id: claim\n" in form.read_text()


def test_every_record_names_its_schema() -> None:
    records = sorted((PROJECT / "facts").rglob("*.yaml"))
    assert records
    for record in records:
        first = record.read_text(encoding="utf-8").split("\n", 1)[0]
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix), record
        assert (record.parent / first.removeprefix(prefix)).resolve().is_file(), record


def test_editor_settings_map_every_folder_to_its_schema() -> None:
    mapping = json.loads((PROJECT / ".vscode/settings.json").read_text())["yaml.schemas"]
    for schema, pattern in mapping.items():
        assert (PROJECT / schema).is_file(), schema
        assert list(PROJECT.glob(pattern)), pattern


@pytest.fixture
def hooked_repo(tmp_path: Path) -> Path:
    """A git repository holding the fixture desk and this project's hook config."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE_SITE, repo)
    shutil.copytree(PROJECT / "generator" / "schemas", repo / "generator" / "schemas")
    for name in (".pre-commit-config.yaml", ".yamllint"):
        shutil.copy(PROJECT / name, repo / name)
    # The hooks call the tools of the project's virtualenv.
    (repo / ".venv").symlink_to(Path(BIN).parent)
    (repo / ".gitignore").write_text(".venv\n")
    for args in (("init", "-q"), ("add", "-A")):
        subprocess.run(["git", "-C", str(repo), *args], check=True)
    return repo


def pre_commit(repo: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home")}
    return subprocess.run(
        [str(BIN / "pre-commit"), "run", "--all-files", "--color", "never"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_pre_commit_hooks_pass_on_good_records(hooked_repo: Path) -> None:
    result = pre_commit(hooked_repo)
    assert result.returncode == 0, result.stdout + result.stderr
    for hook in ("fact records check", "claim records match their JSON Schema", "yamllint"):
        assert hook in result.stdout


def test_pre_commit_hooks_fail_on_a_broken_record(hooked_repo: Path) -> None:
    record = hooked_repo / "facts/claims/parks-spending.yaml"
    record.write_text(record.read_text().replace("stance: supports", "stance: refutes"))
    subprocess.run(["git", "-C", str(hooked_repo), "add", "-A"], check=True)
    result = pre_commit(hooked_repo)
    assert result.returncode == 1
    assert (
        "facts/claims/parks-spending.yaml:12: sources[0].stance must be one of: "
        "supports, contradicts, context; got 'refutes'"
    ) in result.stdout
