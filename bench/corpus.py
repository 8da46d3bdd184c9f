"""Synthetic fact-check desk for benchmarks: `python bench/corpus.py --claims N --seed S --out DIR`.

Writes a complete desk (mkdocs.yml, docs/, facts/, seeds/) that passes
`python -m generator check`. Everything derives from one random.Random(seed), so the
same arguments give byte-identical files. Text is pseudo-English: a Zipf-weighted
vocabulary of invented words plus real function words, at the lengths real records
have (explanations of 150-250 words, 2-5 sources per claim), so page, index and
search sizes are realistic while no word collides with a verdict label.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import re
import sys
from pathlib import Path
from random import Random

import yaml

CLAIMS_PER_ARTICLE = 50
CLAIMS_PER_SOURCE = 3
CLAIMS_PER_ENTITY = 10
PUBLICATIONS = 12
"""How many entities are newspapers; articles are spread over them."""

SCALE = [
    ("accurate", "Accurate", "Independent sources confirm the claim as stated.", "check",
     "#1b7f3b", "5"),
    ("mostly-accurate", "Mostly accurate",
     "The core is confirmed; a detail is imprecise or needs context.", "check-partial",
     "#5b8c1a", "4"),
    ("misleading", "Misleading",
     "The facts are broadly real, but what the claim implies is not supported.", "warning",
     "#c26a00", "2"),
    ("inaccurate", "Inaccurate", "The sources found contradict the claim.", "cross",
     "#b3261e", "1"),
    ("unproven", "Unproven", "No evidence either way was found.", "question", "#5f6b7a", None),
    ("split-evidence", "Split evidence", "Credible sources disagree.", "split", "#6a4c93", None),
]  # fmt: skip

_FUNCTION_TEXT = (
    "the the the the of of of and and and to to in in a a that is was for on with as by at "
    "from it be has have not but its this which were are an or more than their had been "
    "would will after about over between into per cent said also most some when while "
    "since before under only about new first last year years"
)
FUNCTION_WORDS = _FUNCTION_TEXT.split()
STANCES = ("supports", "supports", "contradicts", "context")
SOURCE_KINDS = ("news", "wire-copy", "opinion", "analysis", "blog", "report", "dataset",
                "official", "corporate", "reference", "code", "transcript")  # fmt: skip
ENTITY_KINDS = ("person", "person", "person", "organisation", "organisation", "product",
                "report", "model", "dataset", "policy", "event", "place", "group")  # fmt: skip
SECTIONS = ("Business", "Politics", "Science", "Technology", "Health", "Economy", "World")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

ONSETS = ("b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "k", "l", "m", "n", "p", "pr",
          "r", "s", "sh", "st", "t", "tr", "v", "w", "z")  # fmt: skip
VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou", "io")
CODAS = ("", "", "", "n", "r", "l", "s", "t", "m", "nd", "st", "rk")


class _Dumper(yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper):
    """Block style for multi-line text (as editors write it) and never an alias."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


class Words:
    """Pseudo-English text from one Random."""

    def __init__(self, rng: Random, size: int = 6000) -> None:
        self.rng = rng
        banned = re.compile(r"accurate|mislead|unproven|split|evidence", re.I)
        vocab: set[str] = set()
        while len(vocab) < size:
            syllables = rng.choice((1, 1, 2, 2, 2, 3))
            word = "".join(
                rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                for _ in range(syllables)
            )
            if 3 <= len(word) <= 14 and not banned.search(word):
                vocab.add(word)
        self.vocab = sorted(vocab)
        rng.shuffle(self.vocab)
        # Zipf-Mandelbrot weights: a long tail of rare words as in real text; the
        # offset keeps the head flat, since function words are the truly common ones.
        self._cum = list(itertools.accumulate(1 / (rank + 25) for rank in range(size)))

    def content(self, count: int) -> list[str]:
        return self.rng.choices(self.vocab, cum_weights=self._cum, k=count)

    def word(self) -> str:
        if self.rng.random() < 0.42:
            return self.rng.choice(FUNCTION_WORDS)
        if self.rng.random() < 0.04:
            return self.number()
        return self.content(1)[0]

    def number(self) -> str:
        return self.rng.choice(
            (
                str(self.rng.randint(2, 99)),
                f"{self.rng.randint(1, 95)}%",
                str(self.rng.randint(1990, 2024)),
                f"${self.rng.randint(1, 900)}bn",
                f"{self.rng.randint(1, 40)}.{self.rng.randint(1, 9)}m",
            )
        )

    def sentence(self, low: int = 10, high: int = 24) -> str:
        words = [self.word() for _ in range(self.rng.randint(low, high))]
        if self.rng.random() < 0.3:
            at = self.rng.randint(3, len(words) - 2)
            words[at] += ","
        return " ".join(words).capitalize() + "."

    def sentences(self, count: int, low: int = 10, high: int = 24) -> str:
        return " ".join(self.sentence(low, high) for _ in range(count))

    def title(self, low: int = 3, high: int = 8) -> str:
        return " ".join(self.content(self.rng.randint(low, high))).capitalize()

    def uniform(self, count: int) -> list[str]:
        # Names and ids are spread evenly, unlike running text.
        return [self.rng.choice(self.vocab) for _ in range(count)]

    def name(self) -> str:
        return " ".join(w.capitalize() for w in self.uniform(self.rng.randint(2, 3)))

    def slug(self, count: int = 3) -> str:
        return "-".join(self.uniform(count))[:40].strip("-")


def _date(day: dt.date) -> str:
    return day.isoformat()


def _write(path: Path, record: dict, schema: str) -> None:
    header = f"# yaml-language-server: $schema=../../generator/schemas/{schema}.schema.json\n"
    body = yaml.dump(record, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(header + body, encoding="utf-8")


def _explanation(w: Words, rng: Random, source_urls: list[str]) -> str:
    """150-250 words of Markdown: paragraphs, emphasis, a list and a link."""
    target = rng.randint(150, 250)
    parts: list[str] = []
    words = 0
    while words < target:
        roll = rng.random()
        if roll < 0.15 and parts:
            items = [w.sentence(5, 12) for _ in range(rng.randint(2, 4))]
            parts.append("\n".join(f"- {item}" for item in items))
            words += sum(len(item.split()) for item in items)
            continue
        paragraph = w.sentences(rng.randint(2, 4))
        tokens = paragraph.split(" ")
        if roll < 0.55:
            at = rng.randrange(len(tokens) - 3)
            tokens[at] = f"**{tokens[at].rstrip(',.')}**"
        if roll > 0.5 and source_urls:
            at = rng.randrange(len(tokens) - 4)
            link = " ".join(tokens[at : at + 3]).rstrip(",.")
            tokens[at : at + 3] = [f"[{link}]({rng.choice(source_urls)})"]
        paragraph = " ".join(tokens)
        parts.append(paragraph)
        words += len(paragraph.split())
    return "\n\n".join(parts) + "\n"


def _verdict_patterns() -> list[re.Pattern]:
    # Mirrors the validator's rule: no verdict label or id words in the claim line.
    words = {label.casefold() for _, label, *_ in SCALE} | {v.replace("-", " ") for v, *_ in SCALE}
    return [
        re.compile(r"\b" + re.escape(word).replace(r"\ ", r"[\s-]+") + r"\b", re.I)
        for word in words
    ]


def generate(claims: int, seed: int, out: Path, search: str = "material") -> dict[str, int]:
    """Write a desk of `claims` claims into `out`; return the record counts.

    `search` is the factcheck plugin's search option: "material" (the theme's own
    search plugin) or "pagefind" (no theme search; Pagefind runs after the build).
    """
    if claims < 1:
        raise ValueError("--claims must be at least 1")
    rng = Random(seed)
    w = Words(rng)
    n_articles = max(1, claims // CLAIMS_PER_ARTICLE)
    n_sources = max(2, round(claims / CLAIMS_PER_SOURCE))
    n_entities = max(PUBLICATIONS + 2, round(claims / CLAIMS_PER_ENTITY))
    facts = out / "facts"
    for folder in ("claims", "sources", "entities", "articles"):
        (facts / folder).mkdir(parents=True, exist_ok=True)
    (out / "seeds").mkdir(parents=True, exist_ok=True)
    (out / "docs").mkdir(parents=True, exist_ok=True)

    _write_site(out, search)
    scale = {
        "name": "Six-step evidence scale",
        "verdicts": [
            {"id": v, "label": label, "definition": d, "icon": icon, "colour": colour}
            | ({"value": value} if value else {})
            for v, label, d, icon, colour, value in SCALE
        ],
    }
    (facts / "scale.yaml").write_text(
        "# yaml-language-server: $schema=../generator/schemas/scale.schema.json\n"
        + yaml.dump(scale, Dumper=_Dumper, sort_keys=False, width=100),
        encoding="utf-8",
    )

    # Entities: the first PUBLICATIONS are newspapers; the rest make and concern claims.
    entity_ids: list[str] = []
    for number in range(n_entities):
        publication = number < PUBLICATIONS
        kind = "organisation" if publication else rng.choice(ENTITY_KINDS)
        name = f"The {w.name()} {rng.choice(('Times', 'Post', 'Herald', 'Daily'))}" if publication else w.name()  # fmt: skip
        entity_id = f"{w.slug(2)}-{number:05d}"
        record: dict = {
            "id": entity_id,
            "name": name,
            "kind": kind,
            "description": w.sentences(rng.randint(1, 2), 8, 18),
        }
        if rng.random() < 0.25:
            record["aliases"] = sorted({w.name() for _ in range(rng.randint(1, 3))})
        if rng.random() < 0.4:
            record["wikidata"] = f"Q{rng.randint(1, 99_999_999)}"
        if rng.random() < 0.3:
            record["url"] = f"https://www.{w.slug(1)}.example.org/"
        entity_ids.append(entity_id)
        _write(facts / "entities" / f"{entity_id}.yaml", record, "entity")
    speakers = entity_ids[PUBLICATIONS:]

    source_ids: list[str] = []
    source_urls: dict[str, str] = {}
    for number in range(n_sources):
        source_id = f"{w.slug(3)}-{number:05d}"
        host = f"{w.slug(1)}.example.{rng.choice(('org', 'com', 'net'))}"
        url = f"https://{host}/{rng.randint(2015, 2024)}/{w.slug(4)}"
        record = {
            "id": source_id,
            "title": w.title(4, 12),
            "publisher": w.name(),
            "url": url,
            "kind": rng.choice(SOURCE_KINDS),
        }
        if rng.random() < 0.7:
            day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3650))
            record["published"] = _date(day)
        if rng.random() < 0.5:
            record["accessed"] = _date(dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 300)))
        if rng.random() < 0.3:
            record["archived_url"] = f"https://web.archive.org/web/2025/{url}"
        if rng.random() < 0.6:
            record["description"] = w.sentences(rng.randint(1, 2), 8, 20)
        if rng.random() < 0.05:
            record["mirror_of"] = w.name()
        source_ids.append(source_id)
        source_urls[source_id] = url
        _write(facts / "sources" / f"{source_id}.yaml", record, "source")

    patterns = _verdict_patterns()
    verdict_ids = [v for v, *_ in SCALE]
    claim_number = 0
    for article_number in range(n_articles):
        # Spread the claims evenly: the first `claims % n_articles` articles get one more.
        share = claims // n_articles + (article_number < claims % n_articles)
        published = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 2000))
        article_id = f"{w.slug(2)}-{published.isoformat()}-{article_number:04d}"
        title = w.title(5, 11)
        quotes = [w.sentence(12, 28) for _ in range(share)]
        text, gap = _article_text(w, rng, title, published, quotes)
        article: dict = {
            "id": article_id,
            "title": title,
            "publication": entity_ids[article_number % PUBLICATIONS],
            "published": _date(published),
            "text": f"{article_id}.txt",
        }
        if rng.random() < 0.5:
            article["headline"] = w.title(1, 3)
        if rng.random() < 0.8:
            article["section"] = rng.choice(SECTIONS)
        if rng.random() < 0.7:
            article["url"] = f"https://news.example.com/{published.year}/{article_id}"
        if gap:
            article["gaps"] = [{"before": gap, "label": "image caption missing",
                                "note": w.sentence(8, 16)}]  # fmt: skip
        _write(facts / "articles" / f"{article_id}.yaml", article, "article")
        (out / "seeds" / f"{article_id}.txt").write_text(text, encoding="utf-8")

        for quote in quotes:
            claim_id = f"{w.slug(3)}-{claim_number:06d}"
            claim_number += 1
            restated = _restate(quote, patterns)
            claim_published = published + dt.timedelta(days=rng.randint(1, 60))
            reviewed = claim_published + dt.timedelta(days=rng.choice((0, 0, 3, 30, 200)))
            evidence = claim_published - dt.timedelta(days=rng.randint(0, 10))
            verdict = rng.choice(verdict_ids)
            cited = rng.sample(source_ids, k=min(len(source_ids), rng.randint(2, 5)))
            record = {
                "id": claim_id,
                "article": article_id,
                "quote": quote,
                "claim": restated,
                "claimant": rng.choice(speakers),
                "verdict": verdict,
                "conclusion": w.sentences(rng.randint(1, 2), 10, 25),
                "explanation": _explanation(w, rng, [source_urls[s] for s in cited]),
                "sources": [
                    {"source": s, "stance": rng.choice(STANCES), "note": w.sentence(8, 20)}
                    for s in cited
                ],
            }
            about = sorted(set(rng.sample(entity_ids, k=rng.randint(0, 3))))
            if about:
                record["entities"] = about
            record |= {
                "published": _date(claim_published),
                "reviewed": _date(reviewed),
                "evidence_as_of": _date(evidence),
            }
            if rng.random() < 0.08 and reviewed > claim_published:
                record["corrections"] = [
                    {
                        "date": _date(reviewed),
                        "change": w.sentence(6, 14),
                        "reason": w.sentence(6, 14),
                        "previous_verdict": rng.choice([v for v in verdict_ids if v != verdict]),
                    }
                ]
            _write(facts / "claims" / f"{claim_id}.yaml", record, "claim")
    return {
        "claims": claim_number,
        "articles": n_articles,
        "sources": n_sources,
        "entities": n_entities,
    }


def _restate(quote: str, patterns: list[re.Pattern]) -> str:
    """A neutral restatement: the quote's opening words, at most 75 characters."""
    restated = ""
    for word in quote.rstrip(".").replace(",", "").split():
        if len(restated) + len(word) + 1 > 75:
            break
        restated = f"{restated} {word}".strip()
    # The vocabulary has no verdict words, so this only guards against edits to it.
    assert not any(p.search(restated) for p in patterns), restated
    return restated


def _article_text(
    w: Words, rng: Random, title: str, published: dt.date, quotes: list[str]
) -> tuple[str, str | None]:
    """The seed text: every quote is a sentence of its own, and stands there only once."""
    lines = [f"# {title}", f"> {MONTHS[published.month - 1]} {published.day} {published.year}"]
    gap = None
    pending = list(quotes)
    while pending:
        sentences = [w.sentence() for _ in range(rng.randint(1, 3))]
        for _ in range(rng.randint(1, 2)):
            if pending:
                sentences.insert(rng.randint(0, len(sentences)), pending.pop(0))
        lines.append(" ".join(sentences))
        if rng.random() < 0.08:
            lines.append(f"## {w.title(2, 5)}")
        if gap is None and rng.random() < 0.1:
            # A lost caption: the gap sits at the start of the next paragraph.
            lines.append("![image](images/figure.jpg)")
            first = w.sentence()
            lines.append(f"{first} {w.sentences(2)}")
            gap = first
    text = "\n".join(lines) + "\n"
    for needle in [*quotes, *([gap] if gap else [])]:
        if text.count(needle) != 1:
            raise RuntimeError(f"quote is not unique in its article: {needle!r}")
    return text, gap


def _write_site(out: Path, search: str) -> None:
    config = MKDOCS_YML
    if search == "pagefind":
        config = config.replace("  - search\n", "").replace(
            "      publisher: Synthetic Fact Desk\n",
            "      publisher: Synthetic Fact Desk\n      search: pagefind\n",
        )
        config = config.replace("  - Methodology: methodology.md\n",
                                "  - Methodology: methodology.md\n  - Search: search/index.md\n")  # fmt: skip
    (out / "mkdocs.yml").write_text(config, encoding="utf-8")
    (out / "docs" / "index.md").write_text(INDEX_MD, encoding="utf-8")
    (out / "docs" / "methodology.md").write_text(METHODOLOGY_MD, encoding="utf-8")


MKDOCS_YML = """\
site_name: Synthetic desk
site_url: https://desk.example.org/
theme:
  name: material
  font: false
  features:
    - content.action.edit
plugins:
  - search
  - factcheck:
      publisher: Synthetic Fact Desk
nav:
  - Home: index.md
  - Claims: claims/index.md
  - Articles: articles/index.md
  - Verdicts: verdicts/index.md
  - Sources: sources/index.md
  - Entities: entities/index.md
  - Methodology: methodology.md
watch:
  - facts
  - seeds
validation:
  omitted_files: info
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
  not_found: warn
"""

INDEX_MD = """\
# Synthetic desk

A generated desk for benchmarks. Start with [all claims](claims/index.md) or the
[methodology](methodology.md).

## Verdicts so far

<!-- factcheck:verdict-totals -->

## Latest fact-checks

<!-- factcheck:latest -->
"""

METHODOLOGY_MD = """\
# Methodology

Every claim is checked against the sources listed on its page.

## The rating scale

<!-- factcheck:scale -->
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--search", choices=("material", "pagefind"), default="material")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    counts = generate(args.claims, args.seed, args.out, args.search)
    print(", ".join(f"{count} {kind}" for kind, count in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
