"""Pages from a corpus: Jinja2 templates in, {page key: Page} out.

Every record string reaches HTML through Jinja's autoescape or through the
sanitized explanation; page titles and descriptions are handed over as plain text
and escaped by whoever writes them into a theme (see `Page.front_matter`).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from functools import partial
from importlib import resources

from markupsafe import Markup

from generator.claimreview import claim_review, script_json
from generator.export import DATA_FILES
from generator.graph import Graph, build_graph
from generator.model import Article, Claim, Corpus, Verdict
from generator.settings import Settings, relative_file, relative_url
from generator.templating import environment

ICONS = {
    "check": "M4 12l5 5L20 6",
    "check-partial": "M4 12l5 5L20 6M14 18h6",
    "cross": "M6 6l12 12M18 6L6 18",
    "question": "M9 9a3 3 0 1 1 4 2.8c-.8.4-1 1-1 2V15M12 18.5v.5",
    "warning": "M12 4L2 20h20zM12 10v4M12 17v.5",
    "split": "M12 3v18M5 8l-3 4 3 4M19 8l3 4-3 4",
    "clock": "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7v5l3 3",
    "dot": "M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6z",
}
"""SVG path data for the scale's icon names (24x24, stroked)."""

MARKERS = ("verdict-totals", "latest", "scale", "dashboard")
"""Fragments a hand-written page can ask for with <!-- factcheck:NAME -->."""


@dataclass(frozen=True, slots=True)
class Page:
    """A generated page: plain-text title and description, finished HTML body."""

    key: str
    """Site path without extension: 'claims/x', 'claims/index'."""
    title: str
    description: str
    html: str
    record: str | None = None
    """The record file behind the page, for its edit link."""

    @property
    def src_uri(self) -> str:
        return self.key + ".md"

    @property
    def in_nav(self) -> bool:
        """Only index pages may be listed in a navigation."""
        return self.key.endswith("/index")

    def front_matter(self) -> str:
        """YAML front matter with HTML-escaped strings (themes print them raw)."""
        meta = {
            "title": html.escape(self.title, quote=True),
            "description": html.escape(self.description, quote=True),
            "og": True,
        }
        return "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in meta.items()) + "---\n"


@dataclass(frozen=True, slots=True)
class Bar:
    """One segment of a verdict bar."""

    verdict: Verdict
    count: int
    x: float
    width: float


@dataclass(frozen=True, slots=True)
class Pager:
    """Where one page of a long listing stands among its siblings."""

    number: int
    keys: tuple[str, ...]
    """Page keys of the whole listing, first page first."""
    total: int
    """How many items the whole listing holds."""

    @property
    def previous(self) -> str | None:
        return self.keys[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.keys[self.number] if self.number < len(self.keys) else None


PER_PAGE = 50
"""Items per page of a long listing, so no page grows with the desk."""
ENTITY_PREVIEW = 20
"""Claims an entity page lists before pointing to the full listing."""


def paginate(
    first_key: str, items: tuple | list, per_page: int = PER_PAGE
) -> list[tuple[str, object, Pager]]:
    """Split `items` into pages: (page key, slice, pager). Page 1 keeps `first_key`."""
    base = first_key.removesuffix("/index")
    count = max(1, -(-len(items) // per_page))
    keys = tuple(first_key if n == 1 else f"{base}/page/{n}" for n in range(1, count + 1))
    return [
        (keys[n], items[n * per_page : (n + 1) * per_page], Pager(n + 1, keys, len(items)))
        for n in range(count)
    ]


class Renderer:
    """Renders the pages of one corpus. Build once per corpus; cheap per page."""

    def __init__(
        self,
        corpus: Corpus,
        settings: Settings,
        graph: Graph | None = None,
        previous: dict[str, tuple[tuple, object]] | None = None,
    ) -> None:
        self.corpus = corpus
        self.settings = settings
        self.graph = graph or build_graph(corpus)
        self.previous = previous or {}
        """The `memo` of the renderer of the previous corpus (live preview)."""
        self.memo: dict[str, tuple[tuple, object]] = {}
        """Page key -> (everything the page shows, the page): reused when unchanged."""
        self.env = environment()
        self.totals = self.graph.verdict_counts(self.graph.latest)
        self.env.globals.update(
            corpus=corpus,
            graph=self.graph,
            settings=settings,
            scale=corpus.scale,
            icon_paths=ICONS,
            bars=self.bars,
            data_files=DATA_FILES,
        )

    def _memo(self, key: str, inputs: tuple, produce):
        """`produce()`, unless the previous corpus gave `key` equal inputs.

        The inputs are the frozen records a page shows, so an edit to one record
        re-renders only the pages that show it.
        """
        inputs = (self.settings, self.corpus.scale, *inputs)
        old = self.previous.get(key)
        result = old[1] if old is not None and old[0] == inputs else produce()
        self.memo[key] = (inputs, result)
        return result

    def _articles_of(self, claims) -> tuple:
        return tuple(self.corpus.articles[claim.article] for claim in claims)

    # -- helpers the templates call -----------------------------------------

    def bars(self, claims: tuple[Claim, ...]) -> list[Bar]:
        """Verdict bar segments for `claims`, in scale order, widths in percent."""
        counts = self.graph.verdict_counts(claims)
        total = sum(counts.values()) or 1
        segments, x = [], 0.0
        for verdict in self.corpus.scale.verdicts:
            count = counts.get(verdict.id, 0)
            width = round(100 * count / total, 3)
            if count:
                segments.append(Bar(verdict, count, round(x, 3), width))
            x += width
        return segments

    def corrections(self) -> list[tuple[Claim, object]]:
        """Every correction with its claim, newest first (ties by claim id)."""
        entries = [(claim, c) for claim in self.corpus.claims.values() for c in claim.corrections]
        entries.sort(key=lambda entry: entry[0].id)
        entries.sort(key=lambda entry: entry[1].date, reverse=True)
        return entries

    def _render(self, template: str, key: str, **context: object) -> str:
        urls = self.settings.directory_urls
        return self.env.get_template(template).render(
            link=partial(relative_url, key, directory_urls=urls),
            file_link=partial(relative_file, key, directory_urls=urls),
            page_key=key,
            **context,
        )

    # -- pages ---------------------------------------------------------------

    def pages(self) -> dict[str, Page]:
        """Every generated page, keyed by page key, in a stable order."""
        corpus = self.corpus
        pages = [
            *(self._claim_page(claim) for claim in corpus.claims.values()),
            *(self._article_page(article) for article in corpus.articles.values()),
            *(self._source_page(source_id) for source_id in corpus.sources),
            *(page for entity_id in corpus.entities for page in self._entity_pages(entity_id)),
            *(page for verdict in corpus.scale.verdicts for page in self.verdict(verdict)),
            *self.listing(
                "claims/index", "claims_index.html.j2", self.graph.latest,
                "All fact-checks", "Every checked claim, newest first.",
            ),
            *self.listing(
                "articles/index", "articles_index.html.j2", tuple(corpus.articles.values()),
                "Articles", "Every article the desk has checked.",
            ),
            *self.listing(
                "sources/index", "sources_index.html.j2", tuple(corpus.sources.values()),
                "Sources", "Every source cited as evidence.", per_page=100,
            ),
            *self.listing(
                "entities/index", "entities_index.html.j2", tuple(corpus.entities.values()),
                "People and organisations", "Who made the claims and whom they concern.",
                per_page=100,
            ),
            *self.listing(
                "corrections/index", "corrections_index.html.j2", tuple(self.corrections()),
                "Corrections", "Every correction to a published fact-check, newest first.",
                per_page=100,
            ),
            self.index("data", "Open data", "The fact-check records as open data."),
        ]  # fmt: skip
        if corpus.scale.rated:
            pages.append(self.index("verdicts", "Verdicts", "Claims grouped by verdict."))
        if self.settings.search == "pagefind":
            pages.append(self.index("search", "Search", "Search every fact-check and article."))
        return {page.key: page for page in pages}

    def listing(
        self, first_key: str, template: str, items: tuple, title: str, description: str,
        per_page: int = PER_PAGE, record: str | None = None, **context: object,
    ) -> list[Page]:  # fmt: skip
        """The pages of one long listing, each with a pager."""
        pages = []
        for key, chunk, pager in paginate(first_key, items, per_page):
            suffix = f" (page {pager.number} of {len(pager.keys)})" if pager.number > 1 else ""

            def produce(key=key, chunk=chunk, pager=pager, suffix=suffix) -> Page:
                body = self._render(
                    template, key, items=chunk, pager=pager, title=title + suffix,
                    description=description, **context,
                )  # fmt: skip
                return Page(key, title + suffix, description, body, record)

            inputs = (
                template, chunk, pager, title, description, tuple(context.items()),
                self._listing_extras(template, chunk, pager.number == 1),
            )  # fmt: skip
            pages.append(self._memo(key, inputs, produce))
        return pages

    def _listing_extras(self, template: str, chunk: tuple, first_page: bool) -> tuple:
        """What a listing's rows show beyond the items themselves."""
        graph = self.graph
        if template == "sources_index.html.j2":
            return tuple(len(graph.by_source[s.id]) for s in chunk)
        if template == "entities_index.html.j2":
            links = [graph.by_entity[e.id] for e in chunk]
            return tuple((len(link.by), len(link.about)) for link in links)
        if template == "articles_index.html.j2":
            publishers = tuple(self.corpus.entities[a.publication] for a in chunk)
            return (publishers, tuple(graph.by_article[a.id] for a in chunk))
        if template == "corrections_index.html.j2":
            return ()  # rows are (claim, correction): the items say everything
        # Claim listings show each claim's article title and, on the first page of
        # all claims, the totals of every verdict.
        first = template == "claims_index.html.j2" and first_page
        return (self._articles_of(chunk), self.totals if first else None)

    def _claim_page(self, claim: Claim) -> Page:
        corpus = self.corpus
        article = corpus.articles[claim.article]
        inputs = (
            claim, article, corpus.texts[article.id][corpus.spans[claim.id].block],
            corpus.entities[article.publication], corpus.entities[claim.claimant],
            tuple(corpus.sources[c.source] for c in claim.sources),
            tuple(corpus.entities[e] for e in claim.entities),
        )  # fmt: skip
        return self._memo(f"claims/{claim.id}", inputs, lambda: self.claim(claim))

    def _article_page(self, article: Article) -> Page:
        corpus = self.corpus
        claims = self.graph.by_article[article.id]
        inputs = (
            article, claims, tuple(corpus.spans[c.id] for c in claims), corpus.texts[article.id],
            corpus.entities[article.publication],
            tuple(corpus.gap_spans.get((article.id, n)) for n in range(len(article.gaps))),
        )  # fmt: skip
        return self._memo(f"articles/{article.id}", inputs, lambda: self.article(article))

    def _source_page(self, source_id: str) -> Page:
        inputs = (self.corpus.sources[source_id], self.graph.by_source[source_id])
        return self._memo(f"sources/{source_id}", inputs, lambda: self.source(source_id))

    def _entity_pages(self, entity_id: str) -> list[Page]:
        links = self.graph.by_entity[entity_id]
        published = self.graph.articles_by_publication.get(entity_id, ())
        inputs = (
            self.corpus.entities[entity_id], links.by, links.about,
            self._articles_of(links.by + links.about),
            tuple(self.corpus.articles[a] for a in published),
        )  # fmt: skip
        return self._memo(f"entities/{entity_id}", inputs, lambda: self.entity(entity_id))

    def claim(self, claim: Claim) -> Page:
        key = f"claims/{claim.id}"
        article = self.corpus.articles[claim.article]
        span = self.corpus.spans[claim.id]
        # Gaps in the stored text are marked here too, linking to their notes.
        gaps = [
            (at.start, number, article.gaps[number])
            for (article_id, number), at in self.corpus.gap_spans.items()
            if article_id == article.id and at.block == span.block
        ]
        context = _highlight(
            self.corpus.texts[article.id][span.block].text,
            [(span.start, span.end, None)],
            gaps,
            gap_page=relative_url(key, f"articles/{article.id}", self.settings.directory_urls),
        )
        review = script_json(claim_review(claim, self.corpus, self.settings))
        body = self._render(
            "claim.html.j2",
            key,
            claim=claim,
            article=article,
            context=context,
            verdict=self.corpus.scale.get(claim.verdict),
            claimreview=Markup(review),
        )
        return Page(key, claim.claim, claim.conclusion, body, claim.path)

    def article(self, article: Article) -> Page:
        key = f"articles/{article.id}"
        claims = self.graph.by_article[article.id]
        body = self._render(
            "article.html.j2",
            key,
            article=article,
            claims=claims,
            blocks=self._annotated_text(article, claims, key),
        )
        description = f"{len(claims)} claims checked in {article.title}"
        return Page(key, article.title, description, body, article.path)

    def source(self, source_id: str) -> Page:
        key = f"sources/{source_id}"
        source = self.corpus.sources[source_id]
        claims = self.graph.by_source[source_id]
        body = self._render("source.html.j2", key, source=source, claims=claims)
        return Page(
            key,
            source.title,
            f"{source.publisher}: cited by {len(claims)} claims",
            body,
            source.path,
        )

    def entity(self, entity_id: str) -> list[Page]:
        """The entity's page, plus full listings when it has many claims."""
        key = f"entities/{entity_id}"
        entity = self.corpus.entities[entity_id]
        links = self.graph.by_entity[entity_id]
        pages = []
        for role, claims, title in (
            ("by", links.by, f"Claims made by {entity.name}"),
            ("about", links.about, f"Claims about {entity.name}"),
        ):
            if len(claims) > ENTITY_PREVIEW:
                pages += self.listing(
                    f"{key}/{role}", "listing.html.j2", claims, title,
                    f"Every claim {role} {entity.name} this desk has checked.",
                    record=entity.path, parent=key,
                )  # fmt: skip
        body = self._render(
            "entity.html.j2",
            key,
            entity=entity,
            links=links,
            preview=ENTITY_PREVIEW,
            articles=self.graph.articles_by_publication.get(entity_id, ()),
        )
        return [Page(key, entity.name, entity.description, body, entity.path), *pages]

    def verdict(self, verdict: Verdict) -> list[Page]:
        claims = self.graph.by_verdict[verdict.id]
        return self.listing(
            f"verdicts/{verdict.id}", "verdict.html.j2", claims, f"Rated {verdict.label}",
            verdict.definition, record=self.corpus.scale.path, verdict=verdict,
        )  # fmt: skip

    def index(self, section: str, title: str, description: str) -> Page:
        key = f"{section}/index"
        body = self._render(f"{section}_index.html.j2", key, title=title, description=description)
        return Page(key, title, description, body)

    def fragment(self, name: str, key: str) -> str:
        """A block a hand-written page embeds with <!-- factcheck:NAME -->."""
        return self._render(f"fragment_{name.replace('-', '_')}.html.j2", key)

    def stylesheet(self) -> str:
        """CSS for the verdict colours, generated from the scale."""
        return self.env.get_template("verdicts.css.j2").render()

    def assets(self) -> dict[str, str]:
        """The static files the pages need, keyed by site path."""
        package = resources.files("generator") / "assets"
        files = {
            f"assets/factcheck/{item.name}": item.read_text(encoding="utf-8")
            for item in sorted(package.iterdir(), key=lambda item: item.name)
            if item.name.endswith((".css", ".js"))
        }
        files["assets/factcheck/verdicts.css"] = self.stylesheet()
        return files

    # -- the annotated article text --------------------------------------------

    def _annotated_text(self, article: Article, claims: tuple[Claim, ...], key: str):
        spans: dict[int, list] = {}
        for claim in claims:
            span = self.corpus.spans[claim.id]
            spans.setdefault(span.block, []).append((span.start, span.end, claim))
        gaps: dict[int, list] = {}
        for number, gap in enumerate(article.gaps):
            at = self.corpus.gap_spans[(article.id, number)]
            gaps.setdefault(at.block, []).append((at.start, number, gap))
        badge = self.env.get_template("_badge.html.j2")
        link = partial(relative_url, key, directory_urls=self.settings.directory_urls)

        def close(claim: Claim) -> Markup:
            # Stripped: a trailing newline would put a space before the sentence's full stop.
            verdict = self.corpus.scale.get(claim.verdict)
            return Markup(badge.render(claim=claim, link=link, verdict=verdict).strip())

        annotated = []
        for number, block in enumerate(self.corpus.texts[article.id]):
            annotated.append(
                (block, _highlight(block.text, spans.get(number, []), gaps.get(number, []), close))
            )
        return annotated


def _highlight(text: str, spans: list, gaps: list, close=None, gap_page: str = "") -> Markup:
    """Escape `text`, wrapping each (start, end, claim) span in a nested <mark>.

    Spans either nest or stand apart (validation guarantees it). After each span
    `close(claim)` adds the claim's badge; gaps insert a visible marker.
    """
    events: list[tuple[int, int, int, object]] = []
    for order, (start, end, claim) in enumerate(sorted(spans, key=_span_order)):
        events.append((start, 2, order, ("open", claim)))
        events.append((end, 0, -order, ("close", claim)))
    for start, number, gap in gaps:
        events.append((start, 1, number, ("gap", (number, gap))))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    out: list[str] = []
    cursor = 0
    for position, _, _, (kind, item) in events:
        out.append(html.escape(text[cursor:position], quote=False))
        cursor = position
        if kind == "open":
            if item is None:
                out.append('<mark class="fc-quote">')
            else:
                out.append(
                    Markup('<mark class="fc-quote fc-v-{}" data-claim="{}">').format(
                        item.verdict or "none", item.id
                    )
                )
        elif kind == "close":
            out.append("</mark>")
            if close is not None and item is not None:
                out.append(close(item))
        else:
            number, gap = item
            out.append(
                Markup('<a class="fc-gap" href="{}#gap-{}">[{}]</a>').format(
                    gap_page, number + 1, gap.label
                )
            )
    out.append(html.escape(text[cursor:], quote=False))
    return Markup("".join(out))


def _span_order(span: tuple) -> tuple:
    start, end, claim = span
    return (start, -end, claim.id if claim is not None else "")
