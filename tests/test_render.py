"""Rendering: escaping, sanitizing, nesting highlights, links between pages."""

from __future__ import annotations

import json

import html5lib
import pytest

from generator import prose
from generator.claimreview import script_json
from generator.model import Claim
from generator.render import Page, _highlight
from generator.settings import relative_url


def claim(claim_id: str, verdict: str = "accurate") -> Claim:
    return Claim(
        claim_id, "a", "q", "c", "x", verdict, "k", "e", "", (), "2024-01-01", "2024-01-01",
        "2024-01-01", "p",
    )  # fmt: skip


def test_highlight_nests_identical_and_contained_quotes() -> None:
    text = "Alpha beta <gamma> delta."
    spans = [(0, 25, claim("outer")), (6, 18, claim("inner")), (6, 18, claim("twin"))]
    html = _highlight(text, spans, [], lambda c: f"[{c.id}]")
    assert html == (
        '<mark class="fc-quote fc-v-accurate" data-claim="outer">Alpha '
        '<mark class="fc-quote fc-v-accurate" data-claim="inner">'
        '<mark class="fc-quote fc-v-accurate" data-claim="twin">beta &lt;gamma&gt;</mark>[twin]'
        "</mark>[inner] delta.</mark>[outer]"
    )


def test_highlight_inserts_gap_markers() -> None:
    from generator.model import Gap

    html = _highlight(
        "refused to answer ’s questions", [], [(18, 0, Gap("’s", "name missing", "n"))]
    )
    assert (
        html == 'refused to answer <a class="fc-gap" href="#gap-1">[name missing]</a>’s questions'
    )


def test_front_matter_escapes_title_and_description() -> None:
    page = Page("claims/x", '</title><script>alert("t")</script>', '"><img src=x onerror=y>', "")
    front = page.front_matter()
    assert "<" not in front and ">" not in front
    assert front == (
        "---\n"
        'title: "&lt;/title&gt;&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;"\n'
        'description: "&quot;&gt;&lt;img src=x onerror=y&gt;"\n'
        "og: true\n"
        "---\n"
    )


def test_script_json_cannot_close_its_script_element() -> None:
    data = {"claimReviewed": "</script><script>alert(1)</script><!--", "x": "a\u2028b & 'c'"}
    text = script_json(data)
    assert "<" not in text and ">" not in text and "&" not in text and "'" not in text
    assert json.loads(text) == data


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ('<img src=x onerror="alert(1)">', '<p>&lt;img src=x onerror="alert(1)"&gt;</p>'),
        ("[x](javascript:alert(1))", '<p><a rel="nofollow noopener noreferrer ugc">x</a></p>'),
        ("[x](//evil.example/)", '<p><a rel="nofollow noopener noreferrer ugc">x</a></p>'),
        ("[x](data:text/html,hi)", '<p><a rel="nofollow noopener noreferrer ugc">x</a></p>'),
        (
            "[x](https://example.org/a)",
            '<p><a href="https://example.org/a" rel="nofollow noopener noreferrer ugc">x</a></p>',
        ),
        ("# Big\n\n## Smaller", "<h3>Big</h3>\n<h3>Smaller</h3>"),
        ("![x](a.png){ onerror=alert(1) }", "<p>{ onerror=alert(1) }</p>"),
        ('--8<-- "mkdocs.yml"', '<p>--8&lt;-- "mkdocs.yml"</p>'),
        ("## x {#__config}", "<h3>x {#__config}</h3>"),
        ("{{ 7*7 }}", "<p>{{ 7*7 }}</p>"),
    ],
)
def test_explanations_are_rendered_safely(markdown: str, expected: str) -> None:
    assert prose.to_html(markdown) == expected


def test_explanation_output_is_allowlist_only() -> None:
    payload = (
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>\n\n"
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">\n\n'
        "<textarea>\n\n<base href='https://evil.example/'>\n\n*emph* and **strong**"
    )
    tree = html5lib.parseFragment(prose.to_html(payload), namespaceHTMLElements=False)
    for element in tree.iter():
        if isinstance(element.tag, str):
            assert element.tag in prose.ALLOWED_TAGS | {"DOCUMENT_FRAGMENT"}, element.tag
            assert not [a for a in element.attrib if a.startswith("on")]


def test_deep_blockquotes_are_refused() -> None:
    with pytest.raises(prose.ProseError, match="nested more than 20 deep"):
        prose.to_html("> " * 10_000 + "x")


@pytest.mark.parametrize(
    ("source", "target", "directory_urls", "expected"),
    [
        ("claims/x", "sources/y", True, "../../sources/y/"),
        ("claims/x", "claims/index", True, "../"),
        ("index", "claims/x", True, "claims/x/"),
        ("claims/index", "claims/x", True, "x/"),
        ("claims/x", "index", True, "../../"),
        ("claims/x", "sources/y", False, "../sources/y.html"),
        ("claims/index", "claims/x", False, "x.html"),
        ("index", "claims/index", False, "claims/index.html"),
    ],
)
def test_relative_urls(source: str, target: str, directory_urls: bool, expected: str) -> None:
    assert relative_url(source, target, directory_urls) == expected


def test_long_listings_are_split_into_linked_pages() -> None:
    from generator.render import paginate

    pages = paginate("claims/index", list(range(120)), per_page=50)
    assert [key for key, _, _ in pages] == ["claims/index", "claims/page/2", "claims/page/3"]
    assert [len(items) for _, items, _ in pages] == [50, 50, 20]
    first, middle, last = (pager for _, _, pager in pages)
    assert (first.previous, first.next) == (None, "claims/page/2")
    assert (middle.previous, middle.next) == ("claims/index", "claims/page/3")
    assert (last.previous, last.next, last.total) == ("claims/page/2", None, 120)
    (only,) = paginate("verdicts/accurate", [], per_page=50)
    assert only[0] == "verdicts/accurate" and only[2].keys == ("verdicts/accurate",)


def test_rendering_again_reuses_exactly_the_pages_an_edit_does_not_touch(site) -> None:
    from generator.render import Renderer
    from generator.settings import Settings
    from generator.validate import Layout, load_corpus

    before, _ = load_corpus(Layout(site))
    first = Renderer(before, Settings())
    old = first.pages()
    record = site / "facts/claims/parks-spending.yaml"
    record.write_text(record.read_text().replace("verdict: accurate", "verdict: unproven"))
    after, _ = load_corpus(Layout(site))
    again = Renderer(after, Settings(), previous=first.memo).pages()
    fresh = Renderer(after, Settings()).pages()

    assert again.keys() == fresh.keys()
    for key in fresh:  # reuse never changes what a page shows
        assert again[key] == fresh[key], key
    reused = {key for key in again if again[key] is old.get(key)}
    assert "claims/free-bus-fares" in reused
    assert "entities/transport-office" in reused
    for touched in (
        "claims/parks-spending", "articles/daily-2024-01-01-budget", "sources/parks-report",
        "entities/the-mayor", "verdicts/accurate", "verdicts/unproven", "claims/index",
    ):  # fmt: skip
        assert touched not in reused, touched
