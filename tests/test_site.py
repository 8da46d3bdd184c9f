"""A real `mkdocs build --strict` of the fixture desk, read back as HTML."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import html5lib
import pytest
from conftest import BIN, FIXTURE_SITE, mkdocs_build, write

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("desk") / "site"
    shutil.copytree(FIXTURE_SITE, root)
    out = root.parent / "out"
    result = mkdocs_build(root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def parse(path: Path):
    return html5lib.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=False)


def links(path: Path, selector: str = ".//article//a") -> dict[str, str]:
    """Text -> href of the links in the page's generated article."""
    return {"".join(a.itertext()).strip(): a.get("href") for a in parse(path).iterfind(selector)}


def test_every_generated_page_exists(built: Path) -> None:
    expected = [
        "claims/budget-doubled", "claims/parks-spending", "claims/free-bus-fares", "claims",
        "articles/daily-2024-01-01-budget", "articles",
        "sources/city-accounts-2023", "sources/parks-report", "sources",
        "entities/example-daily", "entities/the-mayor", "entities/transport-office", "entities",
        "verdicts/accurate", "verdicts/inaccurate", "verdicts/unproven", "verdicts",
    ]  # fmt: skip
    for page in expected:
        assert (built / page / "index.html").is_file(), page


def test_claim_page_links_both_ways(built: Path) -> None:
    claim = links(built / "claims/budget-doubled/index.html")
    assert claim["City accounts 2023"] == "../../sources/city-accounts-2023/"
    assert claim["The Mayor"] == "../../entities/the-mayor/"
    assert claim["The Example Daily"] == "../../entities/example-daily/"
    assert claim["Inaccurate"] == "../../verdicts/inaccurate/"
    source = links(built / "sources/city-accounts-2023/index.html")
    assert source["The city budget doubled between 2020 and 2023"] == "../../claims/budget-doubled/"
    assert source["Bus fares will be free from March"] == "../../claims/free-bus-fares/"
    entity = links(built / "entities/the-mayor/index.html")
    assert entity["The city budget doubled between 2020 and 2023"] == "../../claims/budget-doubled/"
    verdict = links(built / "verdicts/accurate/index.html")
    assert verdict["Spending on parks rose by 40%"] == "../../claims/parks-spending/"
    assert "The city budget doubled between 2020 and 2023" not in verdict


def test_edit_links_point_at_the_records(built: Path) -> None:
    def edit_link(page: str) -> str:
        tree = parse(built / page / "index.html")
        return tree.find(".//a[@title='Edit this page']").get("href")

    base = "https://github.com/example/desk/edit/main/"
    assert edit_link("claims/parks-spending") == base + "facts/claims/parks-spending.yaml"
    assert edit_link("sources/parks-report") == base + "facts/sources/parks-report.yaml"
    assert edit_link("entities/the-mayor") == base + "facts/entities/the-mayor.yaml"
    assert (
        edit_link("articles/daily-2024-01-01-budget")
        == base + "facts/articles/daily-2024-01-01-budget.yaml"
    )
    assert edit_link("methodology") == base + "docs/methodology.md"


def test_leaf_pages_stay_out_of_the_nav(built: Path) -> None:
    nav = parse(built / "index.html").find(".//nav[@class='md-nav md-nav--primary']")
    hrefs = [a.get("href") for a in nav.iter("a")]
    assert "claims/" in hrefs
    assert not [
        h
        for h in hrefs
        if h and h.startswith(("claims/", "sources/", "entities/")) and h.count("/") > 1
    ]


def test_home_page_fragments_are_filled(built: Path) -> None:
    home = (built / "index.html").read_text()
    assert "factcheck:" not in home
    tree = parse(built / "index.html")
    figure = tree.find(".//figure[@class='fc-bar']")
    assert (
        "".join(figure.find(".//span[@class='fc-bar-total']").itertext())
        == "All verdicts: 3 claims"
    )
    latest = [a.get("href") for a in tree.iterfind(".//a[@class='fc-claim-link']")]
    assert latest == ["claims/budget-doubled/", "claims/free-bus-fares/", "claims/parks-spending/"]


def test_article_page_nests_highlights(built: Path) -> None:
    tree = parse(built / "articles/daily-2024-01-01-budget/index.html")
    outer = tree.find(".//mark[@data-claim='budget-doubled']")
    inner = outer.find(".//mark[@data-claim='parks-spending']")
    assert "".join(inner.itertext()) == "Spending on parks rose by 40%."
    badges = {a.get("data-claim"): a.get("href") for a in tree.iterfind(".//a[@data-claim]")}
    assert badges == {
        "budget-doubled": "../../claims/budget-doubled/",
        "parks-spending": "../../claims/parks-spending/",
        "free-bus-fares": "../../claims/free-bus-fares/",
    }


def test_escaped_titles_reach_the_theme_escaped(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    path = root / "facts/claims/parks-spending.yaml"
    path.write_text(path.read_text().replace(
        "claim: Spending on parks rose by 40%", 'claim: "</title><script>alert(1)</script>"'
    ))  # fmt: skip
    result = mkdocs_build(root, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    for page in (tmp_path / "out").rglob("*.html"):
        text = page.read_text()
        assert "<script>alert(1)" not in text, page
    title = parse(tmp_path / "out/claims/parks-spending/index.html").find(".//title")
    assert title.text.startswith("</title><script>alert(1)</script>")


def test_broken_record_fails_the_strict_build_with_located_problems(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    path = root / "facts/claims/parks-spending.yaml"
    path.write_text(path.read_text().replace("verdict: accurate", "verdict: maybe"))
    result = mkdocs_build(root, tmp_path / "out")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert (
        "1 problem(s) in the fact records; nothing was built:\n"
        "facts/claims/parks-spending.yaml:6: verdict must be one of: accurate, inaccurate, unproven; got 'maybe'"
    ) in result.stderr
    assert not (tmp_path / "out/claims").exists()


def test_generated_page_colliding_with_a_hand_written_one_fails(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    write(root / "docs/claims/Parks-Spending.md", "# Hand-written\n")
    result = mkdocs_build(root, tmp_path / "out")
    assert result.returncode == 1
    assert (
        "generated page claims/parks-spending.md (from facts/claims/parks-spending.yaml) would collide "
        "with claims/Parks-Spending.md, which writes the same claims/parks-spending/index.html"
    ) in result.stderr


def test_docs_folder_is_untouched_by_a_build(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)

    def digest() -> dict[str, str]:
        return {
            str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "docs").rglob("*"))
            if p.is_file()
        }

    before = digest()
    assert mkdocs_build(root, tmp_path / "out").returncode == 0
    assert digest() == before


@pytest.fixture
def public_copy(built: Path) -> Iterator[Path]:
    """A copy of the built site that linkchecker's `nobody` user can read.

    linkchecker run as root drops to `nobody`; pytest keeps its own temp folders
    private (and resets their mode), so the copy lives in a folder of its own.
    """
    folder = Path(tempfile.mkdtemp(prefix="factcheck-linkcheck-"))
    try:
        site = folder / "site"
        shutil.copytree(built, site)
        subprocess.run(["chmod", "-R", "a+rX", str(folder)], check=True)
        yield site
    finally:
        shutil.rmtree(folder)


def linkchecker(start: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "linkchecker"), "--no-status", "--no-warnings", str(start)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_linkchecker_passes_on_the_built_site(public_copy: Path) -> None:
    result = linkchecker(public_copy / "index.html")
    assert result.returncode == 0, result.stdout
    assert "0 errors found" in result.stdout
    checked = int(result.stdout.split(" links in ")[1].split(" URLs")[0])
    assert checked > 40  # it crawled the generated pages, not just the home page


def test_linkchecker_catches_a_broken_internal_link(public_copy: Path) -> None:
    shutil.rmtree(public_copy / "sources" / "parks-report")
    result = linkchecker(public_copy / "index.html")
    assert result.returncode == 1
    assert "parks-report" in result.stdout


def test_every_page_carries_a_policy_that_hashes_exactly_its_inline_scripts(built: Path) -> None:
    import base64
    import re

    pages = sorted(built.rglob("*.html"))
    assert built / "404.html" in pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        policies = re.findall(
            r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html
        )
        assert len(policies) == 1, page
        assert html.index('<meta charset="utf-8">') < html.index("Content-Security-Policy")
        policy = policies[0]
        for directive in (
            "default-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "object-src 'none'",
        ):
            assert directive in policy, (page, directive)
        tree = html5lib.parse(html, namespaceHTMLElements=False)
        for script in tree.iter("script"):
            if script.get("src") or (script.get("type") or "").startswith("application/"):
                continue
            digest = base64.b64encode(
                hashlib.sha256((script.text or "").encode()).digest()
            ).decode()
            assert f"'sha256-{digest}'" in policy, page


def test_a_foreign_inline_script_fails_the_policy() -> None:
    from generator import csp

    page = '<html><head><meta charset="utf-8"></head><body><script>alert(1)</script></body></html>'
    with pytest.raises(csp.PolicyError, match="inline script not from the theme: 'alert"):
        csp.protect(page, "x.md")
