"""Checks on the real fact-check records in facts/, using only the core API.

These tests load the desk's actual records (not fixtures) and assert the
properties the site promises readers: the records validate, every claim rests on
evidence beyond the article itself, every link is a web address, the YandexGPT-2
verdict keeps the editor's reasoning, and every claim's quote is highlighted on
the article page with a badge that links to the claim.
"""

from __future__ import annotations

from pathlib import Path

import html5lib
import pytest

from generator.render import Renderer
from generator.settings import Settings
from generator.text import fold
from generator.validate import Layout, load_corpus

ROOT = Path(__file__).parent.parent
ARTICLE_ID = "economist-2024-02-08-tsargpt"
ANNOTATION_CLASSES = frozenset({"fc-badge", "fc-gap"})
"""Elements the renderer inserts into highlighted text: verdict badges of nested
claims and markers for words missing from the stored article text. They are not
part of the article's words, so they are left out when a highlight is compared
with its quote."""


@pytest.fixture(scope="module")
def loaded():
    return load_corpus(Layout(ROOT))


@pytest.fixture(scope="module")
def corpus(loaded):
    corpus, problems = loaded
    assert problems == [], "\n".join(str(problem) for problem in problems)
    assert corpus is not None
    return corpus


@pytest.fixture(scope="module")
def article_tree(corpus):
    page = Renderer(corpus, Settings()).pages()[f"articles/{ARTICLE_ID}"]
    return html5lib.parse(page.html, namespaceHTMLElements=False)


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _words(element) -> str:
    """The article text inside `element`, without inserted badges and gap markers.

    A block of article text is a single line, so a newline can only come from the
    renderer: the badge template ends with one. It is dropped from the text that
    follows an annotation, so that a nested badge does not add a space to the quote.
    """
    parts: list[str] = []

    def walk(node) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            tail = child.tail or ""
            if child.tag == "a" and _classes(child) & ANNOTATION_CLASSES:
                tail = tail.removeprefix("\n")  # skip the annotation and its newline
            else:
                walk(child)
            parts.append(tail)

    walk(element)
    return fold("".join(parts))


def test_records_load_without_problems(loaded):
    corpus, problems = loaded
    assert problems == []
    assert corpus is not None


def test_at_least_thirty_claims(corpus):
    assert len(corpus.claims) >= 30


def test_every_claim_cites_a_source_beyond_the_article(corpus):
    missing = []
    for claim in corpus.claims.values():
        article_url = corpus.articles[claim.article].url
        urls = {corpus.sources[citation.source].url for citation in claim.sources}
        if not any(url != article_url for url in urls):
            missing.append(claim.id)
    assert missing == []


def test_source_addresses_are_web_urls(corpus):
    for source in corpus.sources.values():
        assert source.url.startswith(("http://", "https://")), source.id
        if source.archived_url is not None:
            assert source.archived_url.startswith(("http://", "https://")), source.id


def test_yandexgpt2_claim_stays_unverified_with_contradicting_benchmark(corpus):
    claim = corpus.claims["yandexgpt2-beats-gpt35"]
    assert claim.verdict == "unverified"
    stances = {citation.source: citation.stance for citation in claim.sources}
    assert "rulm-sbs2" in stances
    assert stances["rulm-sbs2"] == "contradicts"


def test_every_quote_is_highlighted_and_linked_on_the_article_page(corpus, article_tree):
    marks: dict[str, list] = {}
    badges: dict[str, list] = {}
    for mark in article_tree.iter("mark"):
        if mark.get("data-claim"):
            marks.setdefault(mark.get("data-claim"), []).append(mark)
    for link in article_tree.iter("a"):
        if link.get("data-claim") and "fc-badge" in _classes(link):
            badges.setdefault(link.get("data-claim"), []).append(link)

    claims = [c for c in corpus.claims.values() if c.article == ARTICLE_ID]
    assert claims
    for claim in claims:
        quote = fold(claim.quote)
        found = [mark for mark in marks.get(claim.id, []) if _words(mark) == quote]
        assert found, f"no highlight of the quote of {claim.id}"
        hrefs = [link.get("href") for link in badges.get(claim.id, [])]
        assert f"../../claims/{claim.id}/" in hrefs, f"no badge linking to {claim.id}: {hrefs}"


def test_gaps_in_the_stored_text_are_marked_on_claim_pages_too(corpus):
    page = Renderer(corpus, Settings()).pages()["claims/alice-refuses-ukraine-navalny"]
    tree = html5lib.parse(page.html, namespaceHTMLElements=False)
    gaps = tree.findall(".//blockquote//a[@class='fc-gap']")
    assert [(g.get("href"), g.text) for g in gaps] == [
        ("../../articles/economist-2024-02-08-tsargpt/#gap-1", "[publication name missing]"),
        ("../../articles/economist-2024-02-08-tsargpt/#gap-2", "[name missing]"),
    ]
