"""ClaimReview: the schema.org description of one fact-check, and its safe embedding."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from generator.model import Claim, Corpus, Entity
from generator.problem import Problem
from generator.settings import Settings

_SCHEMA_TYPES = {"person": "Person"}


def claim_review(claim: Claim, corpus: Corpus, settings: Settings) -> dict:
    """The ClaimReview object for `claim`, following Google's fact-check profile."""
    article = corpus.articles[claim.article]
    publication = corpus.entities[article.publication]
    appearance: dict = {
        "@type": "CreativeWork",
        "headline": article.title,
        "datePublished": article.published,
        "publisher": _party(publication),
    }
    if article.url:
        appearance["url"] = article.url
    review: dict = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim.claim,
        "datePublished": claim.published,
        "dateModified": claim.modified,
        "author": {"@type": "Organization", "name": settings.publisher},
        "itemReviewed": {
            "@type": "Claim",
            "author": _party(corpus.entities[claim.claimant]),
            "datePublished": article.published,
            "appearance": [appearance],
            "firstAppearance": appearance,
        },
        "reviewRating": _rating(claim, corpus),
    }
    if settings.publisher_url or settings.site_url:
        review["author"]["url"] = settings.publisher_url or settings.site_url
    url = settings.absolute(f"claims/{claim.id}")
    if url:
        review["url"] = url
    return review


def _party(entity: Entity) -> dict:
    party = {"@type": _SCHEMA_TYPES.get(entity.kind.value, "Organization"), "name": entity.name}
    if entity.wikidata:
        party["sameAs"] = f"https://www.wikidata.org/wiki/{entity.wikidata}"
    return party


def _rating(claim: Claim, corpus: Corpus) -> dict:
    verdict = corpus.scale.get(claim.verdict)
    if verdict is None:
        # No scale: the written conclusion is the verdict, with no numbers.
        return {"@type": "Rating", "alternateName": claim.conclusion}
    rating: dict = {
        "@type": "Rating",
        "alternateName": verdict.label,
        "ratingExplanation": claim.conclusion,
    }
    if verdict.value is not None:
        rating["ratingValue"] = verdict.value
        rating["bestRating"] = corpus.scale.best
        rating["worstRating"] = corpus.scale.worst
    return rating


def lint(corpus: Corpus, settings: Settings) -> list[Problem]:
    """What ClaimReview consumers would reject, beyond the record rules.

    The record rules already hold claimReviewed to 75 characters without verdict
    words; this checks the parts that come from the scale and the site settings.
    """
    problems = []
    rated = [v for v in corpus.scale.verdicts if v.value is not None]
    if rated and not corpus.scale.best > corpus.scale.worst:
        problems.append(
            Problem(
                corpus.scale.path,
                0,
                "bestRating must be greater than worstRating: "
                "give at least two verdicts different values",
            )
        )
    site = urlsplit(settings.site_url).hostname if settings.site_url else None
    for claim in corpus.claims.values():
        review = claim_review(claim, corpus, settings)
        url = review.get("url")
        if url is not None and urlsplit(url).hostname != site:
            problems.append(
                Problem(claim.path, 0, f"ClaimReview url {url} is not on the site's domain")
            )
        if len(review["claimReviewed"]) > 75:
            problems.append(
                Problem(claim.path, 0, "ClaimReview claimReviewed is over 75 characters")
            )
    return problems


def script_json(data: dict) -> str:
    """JSON that cannot end its `<script>` element or open an HTML comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("'", "\\u0027"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text
