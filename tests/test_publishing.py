"""Publishing standards: ClaimReview, open data, feed, corrections, a desk without a scale."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import feedparser
import html5lib
import pytest
from conftest import FIXTURE_SITE, mkdocs_build, write

from generator.claimreview import lint
from generator.export import claims_csv, export_files
from generator.settings import Settings, read_settings
from generator.validate import Layout, load_corpus

pytestmark = pytest.mark.site
VOCABULARY = Path(__file__).parent / "fixtures" / "schemaorg"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("publishing") / "site"
    shutil.copytree(FIXTURE_SITE, root)
    result = mkdocs_build(root, root.parent / "out")
    assert result.returncode == 0, result.stderr
    return root.parent / "out"


def fixture_corpus(root: Path = FIXTURE_SITE):
    corpus, problems = load_corpus(Layout(root.resolve()))
    assert problems == []
    return corpus


def ld_json(page: Path) -> list[dict]:
    tree = html5lib.parse(page.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    blocks = [s for s in tree.iter("script") if s.get("type") == "application/ld+json"]
    return [json.loads(block.text) for block in blocks]


def test_each_claim_page_has_exactly_one_claimreview_matching_its_record(built: Path) -> None:
    corpus = fixture_corpus()
    for claim in corpus.claims.values():
        blocks = ld_json(built / "claims" / claim.id / "index.html")
        assert len(blocks) == 1, claim.id
        review = blocks[0]
        verdict = corpus.scale.get(claim.verdict)
        article = corpus.articles[claim.article]
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert review["claimReviewed"] == claim.claim
        assert review["url"] == f"https://desk.example.org/claims/{claim.id}/"
        assert review["datePublished"] == claim.published
        assert review["dateModified"] == claim.modified
        assert review["author"] == {
            "@type": "Organization", "name": "Fixture Fact Desk", "url": "https://desk.example.org/",
        }  # fmt: skip
        rating = review["reviewRating"]
        assert rating["alternateName"] == verdict.label
        assert rating.get("ratingValue") == verdict.value
        if verdict.value is not None:
            assert (rating["bestRating"], rating["worstRating"]) == (3, 1)
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["author"]["name"] == corpus.entities[claim.claimant].name
        assert item["appearance"][0]["headline"] == article.title
        assert item["firstAppearance"]["datePublished"] == article.published


def _vocabulary() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    with (VOCABULARY / "types.csv").open(newline="") as handle:
        parents = {row["label"]: set(row["subTypeOf"].split()) for row in csv.DictReader(handle)}
    with (VOCABULARY / "properties.csv").open(newline="") as handle:
        domains = {
            row["label"]: set(row["domainIncludes"].split()) for row in csv.DictReader(handle)
        }
    return parents, domains


def _ancestors(kind: str, parents: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), [kind]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(parents.get(current, ()))
    return seen


def test_every_type_and_property_exists_in_schema_org(built: Path) -> None:
    parents, domains = _vocabulary()

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        if not isinstance(node, dict):
            return
        kind = node["@type"]
        assert kind in parents, f"unknown type {kind}"
        for name, value in node.items():
            if name.startswith("@"):
                continue
            assert name in domains, f"unknown property {name}"
            assert domains[name] & _ancestors(kind, parents), f"{name} does not apply to {kind}"
            walk(value)

    graph = json.loads((built / "data" / "claimreview.jsonld").read_text())["@graph"]
    assert len(graph) == 3
    walk(graph)


def test_claimreview_cannot_break_out_of_its_script(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    record = root / "facts/claims/parks-spending.yaml"
    record.write_text(record.read_text().replace(
        "claim: Spending on parks rose by 40%", 'claim: "</script><script>alert(1)</script><!--"'
    ))  # fmt: skip
    assert mkdocs_build(root, tmp_path / "out").returncode == 0
    page = tmp_path / "out/claims/parks-spending/index.html"
    assert ld_json(page)[0]["claimReviewed"] == "</script><script>alert(1)</script><!--"


def test_feed_is_atom_with_record_dates(built: Path) -> None:
    feed = feedparser.parse((built / "data" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.updated == "2024-02-02T00:00:00Z"
    titles = [entry.title for entry in feed.entries]
    assert titles == [
        "The city budget doubled between 2020 and 2023",
        "Corrected: Bus fares will be free from March",
        "Spending on parks rose by 40%",
    ]
    assert feed.entries[1].link == "https://desk.example.org/claims/free-bus-fares/"


def test_csv_round_trips_and_guards_formulas() -> None:
    corpus = fixture_corpus()
    text = claims_csv(corpus, Settings())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["id"] for row in rows] == ["budget-doubled", "free-bus-fares", "parks-spending"]
    assert rows[0]["quote"] == corpus.claims["budget-doubled"].quote


def test_csv_guards_cells_that_start_a_formula(site: Path) -> None:
    record = site / "facts/claims/parks-spending.yaml"
    record.write_text(record.read_text().replace(
        "claim: Spending on parks rose by 40%", 'claim: "=HYPERLINK(\\"https://evil.example\\")"'
    ).replace("conclusion: The parks", "conclusion: +The parks"))  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(claims_csv(fixture_corpus(site), Settings()))))
    row = next(r for r in rows if r["id"] == "parks-spending")
    assert row["claim"] == '\'=HYPERLINK("https://evil.example")'
    assert row["conclusion"].startswith("'+The parks")


def test_claims_json_resolves_references() -> None:
    corpus = fixture_corpus()
    data = json.loads(export_files(corpus, Settings())["data/claims.json"])
    claim = next(c for c in data["claims"] if c["id"] == "budget-doubled")
    assert claim["claimant"]["name"] == "The Mayor"
    assert claim["article"]["title"] == "The budget, explained"
    assert claim["sources"][0]["title"] == "City accounts 2023"
    assert claim["sources"][0]["stance"] == "contradicts"
    assert claim["verdict"]["label"] == "Inaccurate"


def test_data_page_links_every_file(built: Path) -> None:
    tree = html5lib.parse((built / "data/index.html").read_text(), namespaceHTMLElements=False)
    hrefs = {a.get("href") for a in tree.iterfind(".//table//a")}
    for href in hrefs:
        assert (built / "data" / href).is_file(), href
    assert {"claims.json", "claims.csv", "claimreview.jsonld", "feed.xml"} <= hrefs


def test_corrections_page_lists_newest_first(built: Path) -> None:
    tree = html5lib.parse(
        (built / "corrections/index.html").read_text(), namespaceHTMLElements=False
    )
    items = tree.findall(".//ol[@class='fc-corrections-log']/li")
    assert len(items) == 1
    assert items[0].find("time").get("datetime") == "2024-02-01"
    claim = html5lib.parse(
        (built / "claims/free-bus-fares/index.html").read_text(), namespaceHTMLElements=False
    )
    listed = claim.findall(".//ul[@class='fc-corrections']/li")
    assert "The earlier source was about another city." in "".join(listed[0].itertext())


def test_open_graph_tags_come_from_the_record(built: Path) -> None:
    tree = html5lib.parse(
        (built / "claims/parks-spending/index.html").read_text(), namespaceHTMLElements=False
    )
    meta = {m.get("property") or m.get("name"): m.get("content") for m in tree.iter("meta")}
    assert meta["og:title"] == "Spending on parks rose by 40%"
    assert meta["og:description"] == "The parks report gives the same figure."
    assert meta["description"] == "The parks report gives the same figure."
    assert meta["og:url"] == "https://desk.example.org/claims/parks-spending/"


def test_lint_catches_a_scale_whose_best_is_not_above_worst(site: Path) -> None:
    scale = site / "facts/scale.yaml"
    scale.write_text(scale.read_text().replace('value: "3"', 'value: "1"'))
    problems = lint(fixture_corpus(site), read_settings(site / "mkdocs.yml"))
    assert [str(p) for p in problems] == [
        "facts/scale.yaml: bestRating must be greater than worstRating: "
        "give at least two verdicts different values"
    ]


def test_no_scale_desk_builds_and_uses_the_conclusion_as_rating(tmp_path: Path) -> None:
    """A Full Fact-style desk: no rating scale; the written conclusion is the verdict."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    write(root / "facts/scale.yaml", "name: Written conclusions\nverdicts: []\n")
    for record in (root / "facts/claims").glob("*.yaml"):
        lines = record.read_text().splitlines(keepends=True)
        record.write_text(
            "".join(
                line
                for line in lines
                if not line.lstrip().startswith(("verdict:", "previous_verdict:"))
            )
        )
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - Verdicts: verdicts/index.md\n", ""))
    result = mkdocs_build(root, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    corpus = fixture_corpus(root)
    for claim in corpus.claims.values():
        (review,) = ld_json(tmp_path / "out/claims" / claim.id / "index.html")
        assert review["reviewRating"] == {"@type": "Rating", "alternateName": claim.conclusion}
    assert not (tmp_path / "out/verdicts").exists()
