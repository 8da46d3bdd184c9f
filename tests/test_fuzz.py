"""Property tests: the loader never raises, the renderers never emit markup off the allowlist.

About 2,850 examples by default; FUZZ_EXAMPLES=<n> runs n per property instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE
from hostile import CONTENT_ATTRIBUTES, element_problems, parse_fragment
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import prose, validate
from generator.load import Document, parse_yaml
from generator.model import Claim, Gap
from generator.render import _highlight

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 0)


def fuzz(default: int):
    """Hypothesis settings: `default` examples unless FUZZ_EXAMPLES says otherwise."""
    return settings(
        max_examples=EXAMPLES or default,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )


# -- the loader ---------------------------------------------------------------

YAML_PIECES = [
    "a", "id", "verdict", ":", ": ", "-", "- ", "? ", "[", "]", "{", "}", ",", "#", "&a",
    "*a", "!", "!!str", "!!python/object/apply:os.system", "!include", "<<", "|", ">",
    "|-", ">+", "'", '"', "\\", "\\e", "\\u202e", "\\ud800", "\\x00", "---", "...", "%YAML 1.1",
    "%TAG ! tag:x,2000:", "\n", "\n  ", "\n    ", "\t", " ", "~", "null", "true", "no",
    "NO", "on", "0777", "1.10", "12:30", ".nan", "2024-02-30", "0x1F", "1_000", "1e3",
    "é", "e\u0301", "\u200b", "\ufeff", "\u2028", "😀",
]  # fmt: skip

yaml_ish = st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=5), max_size=40).map("".join)

scalars = st.sampled_from(
    ["yes", "No", "off", "0777", "1.10", "12:30", ".inf", "-.nan", "2024-02-08", "~", "null"]
) | st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)

structures = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(scalars, children, max_size=4)
    ),
    max_leaves=20,
)


def _yaml_from(value: object, indent: int = 0) -> str:
    """Block-style YAML of `value`, every scalar double-quoted (JSON escapes are YAML's)."""
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "".join(
            f"\n{pad}{json.dumps(k)}: {_yaml_from(v, indent + 1)}" for k, v in value.items()
        )
    if isinstance(value, list):
        if not value:
            return "[]"
        return "".join(f"\n{pad}- {_yaml_from(v, indent + 1)}" for v in value)
    return json.dumps(value)


def _only_strings(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _only_strings(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_only_strings(v) for v in value)
    return isinstance(value, str)


def _loads_or_refuses(text: str) -> None:
    document, problems = parse_yaml(text, "f.yaml")
    assert document is not None or problems
    for problem in problems:
        assert problem.path == "f.yaml"
        assert problem.line >= 0
        assert problem.message and "\n" not in problem.message
    if document is not None:
        assert isinstance(document, Document)
        assert _only_strings(document.data), document.data


@fuzz(600)
@given(st.text())
def test_loader_on_random_unicode(text: str) -> None:
    _loads_or_refuses(text)


@fuzz(600)
@given(yaml_ish)
def test_loader_on_yaml_like_text(text: str) -> None:
    _loads_or_refuses(text)


@fuzz(300)
@given(structures)
def test_loader_reads_back_every_scalar_as_the_string_written(value: object) -> None:
    text = "root: " + _yaml_from(value, 1) + "\n"
    document, problems = parse_yaml(text, "f.yaml")
    if document is not None and not problems:
        assert document.data == {"root": value}
    else:
        assert problems


# -- the renderers --------------------------------------------------------------

MARKDOWN_PIECES = [
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "<svg onload=x>", "<a href='",
    "javascript:", "JaVaScRiPt:", "jav&#x61;script:", "data:text/html,", "//evil.example/",
    "https://example.org/", "mailto:a@example.org", "[", "]", "(", ")", "![", "{: onclick=x }",
    "{#__config}", "<", ">", "&", "&lt;", "&#60;", "\"", "'", "`", "```", "*", "_", "**", "#",
    "## ", "> ", "- ", "1. ", "    ", "\n", "\n\n", "---", "<!--", "-->", "<![CDATA[", "<style>",
    "<textarea>", "<base href=x>", "<math><mtext><table><mglyph><style>", "<noscript>",
    "--8<-- ", "{{ 7*7 }}", "\\", "\u2028", "é",
]  # fmt: skip

clean = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=4)
markdownish = st.lists(st.sampled_from(MARKDOWN_PIECES) | clean, max_size=40).map("".join)


def _allowlisted(html: str, *, tags, attributes) -> None:
    found = element_problems(parse_fragment(html), tags=tags, attributes=attributes)
    assert found == [], (html, found)


@fuzz(450)
@given(markdownish)
def test_explanations_render_to_allowlisted_html(source: str) -> None:
    try:
        html = prose.to_html(source)
    except prose.ProseError:
        return
    _allowlisted(
        html,
        tags=prose.ALLOWED_TAGS,
        attributes=frozenset().union(*prose.ALLOWED_ATTRIBUTES.values()) | {"rel"},
    )
    for href in prose.links(html):
        assert href.lower().startswith(("http://", "https://", "mailto:")), href


def _claim(claim_id: str, verdict: str) -> Claim:
    return Claim(
        claim_id, "a", "q", "c", "x", verdict, "k", "e", "", (), "2024-01-01", "2024-01-01",
        "2024-01-01", "p",
    )  # fmt: skip


@st.composite
def highlighted(draw):
    text = draw(markdownish)
    size = len(text)
    spans = []
    for number in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, size))
        end = draw(st.integers(start, size))
        spans.append((start, end, _claim(f"c{number}", draw(st.sampled_from(["", "accurate"])))))
    # Validation guarantees quotes nest or stand apart; keep only such spans.
    spans.sort(key=lambda s: (s[0], -s[1]))
    kept: list = []
    for span in spans:
        if all(span[1] <= k[1] or span[0] >= k[1] for k in kept):
            kept.append(span)
    gaps = [
        (draw(st.integers(0, size)), number, Gap("x", draw(markdownish), "n"))
        for number in range(draw(st.integers(0, 2)))
    ]
    return text, kept, gaps


@fuzz(450)
@given(highlighted())
def test_article_text_highlighter_escapes_everything(case) -> None:
    text, spans, gaps = case
    html = _highlight(
        text, spans, gaps, lambda claim: f'<a class="fc-badge" href="#">{claim.id}</a>'
    )
    _allowlisted(html, tags=frozenset({"mark", "a"}), attributes=CONTENT_ATTRIBUTES)
    # The text comes back unchanged: nothing was dropped or decoded.
    tree = parse_fragment(html)
    badges = "".join("".join(a.itertext()) for a in tree.iter("a") if a.get("class") == "fc-badge")
    gap_labels = "".join(
        "".join(a.itertext()) for a in tree.iter("a") if a.get("class") == "fc-gap"
    )
    shown = "".join(tree.itertext())
    assert len(shown) == len(text) + len(badges) + len(gap_labels)


@pytest.mark.parametrize(
    "source",
    [
        "[" * 20_000,
        "[" * 100 + "a" * 19_800,
        "-\n" * 10_000,
        "=\n" * 10_000,
        "a\n=\n" * 5_000,
        "- " * 10_000 + "x",
        ">" * 10_000 + " x",
        "*" * 10_000 + "x" + "*" * 9_999,
        "_*" * 10_000,
        "<" * 20_000,
        "`" * 20_000,
    ],
    ids=lambda s: repr(s[:6]),
)
def test_worst_case_explanations_render_or_are_refused_quickly(source: str) -> None:
    start = time.process_time()
    with contextlib.suppress(prose.ProseError):
        prose.to_html(source)
    assert time.process_time() - start < 1.0
    # The shared converter still works afterwards.
    assert prose.to_html("*a*") == "<p><em>a</em></p>"


# -- whole records ----------------------------------------------------------------

URL_PATTERN = r"\Ahttps?://[^\s<>\"'`\\]+\Z"


@fuzz(300)
@given(st.from_regex(URL_PATTERN) | st.sampled_from(["http://[::1/", "http://[x]/", "http://a]b/"]))
def test_every_url_the_schema_admits_gets_an_answer(url: str) -> None:
    """The URL policy answers with a message or None; it never raises."""
    message = validate._url_problem(url)
    assert message is None or isinstance(message, str)


CLAIM_FIELDS = [
    "id", "article", "quote", "claim", "claimant", "verdict", "conclusion", "explanation",
    "sources", "entities", "published", "reviewed", "evidence_as_of", "corrections", "template",
]  # fmt: skip

VALID_CLAIM = {
    "article": "daily-2024-01-01-budget",
    "quote": "Bus fares will be free from March",
    "claim": "Bus fares will be free",
    "claimant": "transport-office",
    "verdict": "unproven",
    "conclusion": "No decision was found.",
    "explanation": "Nothing was published.",
    "sources": [{"source": "city-accounts-2023", "stance": "context", "note": "No line."}],
    "entities": ["transport-office"],
    "published": "2024-02-01",
    "reviewed": "2024-02-01",
    "evidence_as_of": "2024-02-01",
    "corrections": [{"date": "2024-02-01", "change": "C.", "reason": "R."}],
}


@st.composite
def records(draw) -> dict:
    """A valid claim with some fields replaced, removed or added at random."""
    record = dict(VALID_CLAIM)
    for field in draw(st.lists(st.sampled_from(CLAIM_FIELDS), max_size=4)):
        if draw(st.booleans()):
            record.pop(field, None)
        else:
            record[field] = draw(structures | st.sampled_from(["x", "", "../x", "2024-02-30"]))
    if draw(st.booleans()):
        record["sources"] = draw(
            st.lists(
                st.fixed_dictionaries(
                    {"source": st.sampled_from(["parks-report", "nope", ""])},
                    optional={"stance": scalars, "note": scalars, "extra": scalars},
                ),
                max_size=3,
            )
        )
    return record


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "site"
    shutil.copytree(FIXTURE_SITE, root)
    return root


def test_random_records_are_checked_without_crashing(desk: Path) -> None:
    @fuzz(150)
    @given(records())
    def check(record: dict) -> None:
        (desk / "facts/claims/fuzzed.yaml").write_text(
            "id: fuzzed" + _yaml_from({k: v for k, v in record.items() if k != "id"}) + "\n",
            encoding="utf-8",
        )
        corpus, problems = validate.load_corpus(validate.Layout(desk))
        assert (corpus is None) == bool(problems)
        for problem in problems:
            assert "\n" not in str(problem)

    check()
