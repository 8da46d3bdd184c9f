"""The cross-link index: which claims each article, source, entity and verdict has.

Built once per corpus in one pass over the claims, so every page can list its
backlinks without searching.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from generator.model import Claim, Corpus


@dataclass(frozen=True, slots=True)
class EntityLinks:
    """The claims an entity made and the claims about it."""

    by: tuple[Claim, ...] = ()
    about: tuple[Claim, ...] = ()


@dataclass(frozen=True, slots=True)
class Graph:
    """Backlinks of a corpus. All tuples of claims are in a stable, documented order."""

    by_article: dict[str, tuple[Claim, ...]]
    """Article id -> its claims in the order their quotes stand in the text."""
    by_source: dict[str, tuple[Claim, ...]]
    """Source id -> claims citing it, by id."""
    by_entity: dict[str, EntityLinks]
    """Entity id -> claims by it (claimant) and about it, by id."""
    by_verdict: dict[str, tuple[Claim, ...]]
    """Verdict id -> claims with that verdict, by id; every scale verdict is a key."""
    articles_by_publication: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Entity id -> ids of articles it published."""
    latest: tuple[Claim, ...] = ()
    """Claims newest first (by last change; ties by id)."""

    def verdict_counts(self, claims: tuple[Claim, ...]) -> Counter[str]:
        """How many of `claims` carry each verdict."""
        return Counter(claim.verdict for claim in claims)


def build_graph(corpus: Corpus) -> Graph:
    """Index every cross-link of `corpus` in one pass."""
    by_article: dict[str, list[Claim]] = {article: [] for article in corpus.articles}
    by_source: dict[str, list[Claim]] = {source: [] for source in corpus.sources}
    by: dict[str, list[Claim]] = {entity: [] for entity in corpus.entities}
    about: dict[str, list[Claim]] = {entity: [] for entity in corpus.entities}
    by_verdict: dict[str, list[Claim]] = {verdict.id: [] for verdict in corpus.scale.verdicts}
    for claim in corpus.claims.values():
        by_article[claim.article].append(claim)
        for citation in claim.sources:
            by_source[citation.source].append(claim)
        by[claim.claimant].append(claim)
        for entity in claim.entities:
            about[entity].append(claim)
        if claim.verdict:
            by_verdict[claim.verdict].append(claim)

    def position(claim: Claim) -> tuple[int, int, int, str]:
        span = corpus.spans[claim.id]
        return (span.block, span.start, -span.end, claim.id)

    publications: dict[str, list[str]] = {}
    for article in corpus.articles.values():
        publications.setdefault(article.publication, []).append(article.id)
    entities = {
        entity: EntityLinks(tuple(by[entity]), tuple(about[entity])) for entity in corpus.entities
    }
    by_id = sorted(corpus.claims.values(), key=lambda c: c.id)
    latest = sorted(by_id, key=lambda c: c.modified, reverse=True)
    return Graph(
        by_article={a: tuple(sorted(claims, key=position)) for a, claims in by_article.items()},
        by_source={s: tuple(claims) for s, claims in by_source.items()},
        by_entity=entities,
        by_verdict={v: tuple(claims) for v, claims in by_verdict.items()},
        articles_by_publication={e: tuple(ids) for e, ids in publications.items()},
        latest=tuple(latest),
    )
