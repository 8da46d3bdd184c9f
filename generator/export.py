"""Open data: the records as JSON, CSV, JSON-LD, JSON Schema and an Atom feed.

Every file is a pure function of the corpus and settings: no build time, no
randomness, sorted keys, so the same records always give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from importlib import resources

from generator.claimreview import claim_review
from generator.graph import build_graph
from generator.model import Claim, Corpus
from generator.settings import Settings, page_url
from generator.templating import environment

SCHEMA_KINDS = ("claim", "source", "entity", "article", "scale")
CSV_COLUMNS = (
    "id", "claim", "verdict", "verdict_label", "conclusion", "claimant", "claimant_name",
    "article", "article_title", "quote", "sources", "published", "reviewed",
    "evidence_as_of", "modified", "corrections", "url",
)  # fmt: skip
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Cells starting with these run as formulas in spreadsheets (CSV injection)."""

DATA_FILES = {
    "data/claims.json": "Every claim with its article, claimant, verdict, sources and entities resolved.",
    "data/claims.csv": "One row per claim, for spreadsheets.",
    "data/claimreview.jsonld": "The schema.org ClaimReview of every claim, as one JSON-LD graph.",
    "data/feed.xml": "Atom feed of new and corrected fact-checks.",
    **{
        f"data/schemas/{kind}.schema.json": f"JSON Schema of {kind} records."
        for kind in SCHEMA_KINDS
    },
}
"""Site path -> what the file holds, for the data page."""


def export_files(corpus: Corpus, settings: Settings) -> dict[str, str]:
    """Every open-data file, keyed by its site path."""
    files = {
        "data/claims.json": claims_json(corpus, settings),
        "data/claims.csv": claims_csv(corpus, settings),
        "data/claimreview.jsonld": claimreview_jsonld(corpus, settings),
        "data/feed.xml": atom_feed(corpus, settings),
    }
    for kind in SCHEMA_KINDS:
        source = resources.files("generator") / "schemas" / f"{kind}.schema.json"
        files[f"data/schemas/{kind}.schema.json"] = source.read_text(encoding="utf-8")
    return files


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _plain(value: object) -> object:
    """A record as JSON-ready values (dataclasses.asdict is several times slower)."""
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def _record(value: object) -> dict:
    data = {k: v for k, v in _plain(value).items() if v not in (None, [], "")}
    data.pop("path", None)
    data.pop("explanation_html", None)
    return data


def claims_json(corpus: Corpus, settings: Settings) -> str:
    """Every record; each claim carries the names and titles it refers to.

    Full source, entity and article records sit once each at the top level, so the
    file grows with the records, not with claims times references.
    """
    claims = []
    for claim in corpus.claims.values():
        data = _record(claim)
        article = corpus.articles[claim.article]
        claimant = corpus.entities[claim.claimant]
        verdict = corpus.scale.get(claim.verdict)
        data.update(
            url=_claim_url(claim, settings),
            modified=claim.modified,
            article={"id": article.id, "title": article.title, "published": article.published},
            claimant={"id": claimant.id, "name": claimant.name, "kind": claimant.kind.value},
            verdict={"id": verdict.id, "label": verdict.label} if verdict else None,
            sources=[
                {
                    "id": c.source, "title": corpus.sources[c.source].title,
                    "publisher": corpus.sources[c.source].publisher,
                    "url": corpus.sources[c.source].url, "stance": c.stance.value, "note": c.note,
                }
                for c in claim.sources
            ],
            entities=[{"id": e, "name": corpus.entities[e].name} for e in claim.entities],
        )  # fmt: skip
        claims.append(data)
    return _dump(
        {
            "publisher": settings.publisher,
            "scale": {
                "name": corpus.scale.name,
                "verdicts": [_record(v) for v in corpus.scale.verdicts],
            },
            "claims": claims,
            "articles": [_record(a) for a in corpus.articles.values()],
            "sources": [_record(s) for s in corpus.sources.values()],
            "entities": [_record(e) for e in corpus.entities.values()],
        }
    )


def claims_csv(corpus: Corpus, settings: Settings) -> str:
    """One row per claim; cells that a spreadsheet would run as formulas are quoted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for claim in corpus.claims.values():
        verdict = corpus.scale.get(claim.verdict)
        row = (
            claim.id, claim.claim, claim.verdict, verdict.label if verdict else "",
            claim.conclusion, claim.claimant, corpus.entities[claim.claimant].name,
            claim.article, corpus.articles[claim.article].title, claim.quote,
            ";".join(c.source for c in claim.sources), claim.published, claim.reviewed,
            claim.evidence_as_of, claim.modified, str(len(claim.corrections)),
            _claim_url(claim, settings),
        )  # fmt: skip
        writer.writerow([guard_cell(cell) for cell in row])
    return out.getvalue()


def guard_cell(cell: str) -> str:
    """Prefix a cell that would start a spreadsheet formula with an apostrophe."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def claimreview_jsonld(corpus: Corpus, settings: Settings) -> str:
    """Every ClaimReview as one JSON-LD document."""
    graph = []
    for claim in corpus.claims.values():
        review = claim_review(claim, corpus, settings)
        review.pop("@context")
        graph.append(review)
    return _dump({"@context": "https://schema.org", "@graph": graph})


def atom_feed(corpus: Corpus, settings: Settings) -> str:
    """Atom feed of fact-checks, newest change first; dates come from the records."""
    claims = build_graph(corpus).latest
    return (
        environment()
        .get_template("feed.xml.j2")
        .render(
            corpus=corpus,
            settings=settings,
            claims=claims,
            updated=claims[0].modified if claims else "1970-01-01",
            feed_id=settings.site_url or "urn:factcheck:feed",
            entry_id=lambda c: _claim_url(c, settings) or f"urn:factcheck:claim:{c.id}",
            url=lambda c: _claim_url(c, settings) or page_url(f"claims/{c.id}"),
        )
    )


def _claim_url(claim: Claim, settings: Settings) -> str:
    return settings.absolute(f"claims/{claim.id}")
