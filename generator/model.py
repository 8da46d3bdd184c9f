"""The records of a fact-check desk, as frozen values with no I/O and no MkDocs."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Stance(StrEnum):
    """What a source does for a claim."""

    SUPPORTS = "supports"
    """The source confirms the claim or a part of it."""
    CONTRADICTS = "contradicts"
    """The source contradicts the claim or a part of it."""
    CONTEXT = "context"
    """The source neither confirms nor contradicts, but frames the claim."""


class EntityKind(StrEnum):
    """What an entity is."""

    PERSON = "person"
    ORGANISATION = "organisation"
    PRODUCT = "product"
    REPORT = "report"
    MODEL = "model"
    DATASET = "dataset"
    POLICY = "policy"
    EVENT = "event"
    PLACE = "place"
    GROUP = "group"


class SourceKind(StrEnum):
    """What kind of document a source is."""

    NEWS = "news"
    WIRE_COPY = "wire-copy"
    OPINION = "opinion"
    ANALYSIS = "analysis"
    BLOG = "blog"
    REPORT = "report"
    DATASET = "dataset"
    OFFICIAL = "official"
    CORPORATE = "corporate"
    REFERENCE = "reference"
    CODE = "code"
    TRANSCRIPT = "transcript"


@dataclass(frozen=True, slots=True)
class Verdict:
    """One step of the rating scale."""

    id: str
    label: str
    definition: str
    icon: str
    colour: str
    value: int | None = None
    """Position on the numeric scale (ClaimReview ratingValue); None if off-scale."""


@dataclass(frozen=True, slots=True)
class Scale:
    """The desk's rating scale. An empty scale means the conclusion is the verdict."""

    name: str
    verdicts: tuple[Verdict, ...]
    path: str = ""

    @property
    def rated(self) -> bool:
        return bool(self.verdicts)

    def get(self, verdict_id: str) -> Verdict | None:
        return next((v for v in self.verdicts if v.id == verdict_id), None)

    @property
    def best(self) -> int | None:
        values = [v.value for v in self.verdicts if v.value is not None]
        return max(values) if values else None

    @property
    def worst(self) -> int | None:
        values = [v.value for v in self.verdicts if v.value is not None]
        return min(values) if values else None


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation, product, report or other thing claims are by or about."""

    id: str
    name: str
    kind: EntityKind
    description: str
    path: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """A document cited as evidence."""

    id: str
    title: str
    publisher: str
    url: str
    kind: SourceKind
    path: str
    published: str | None = None
    accessed: str | None = None
    archived_url: str | None = None
    mirror_of: str | None = None
    """Set when this page is a copy of another publisher's piece (wire copy, repost)."""
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    """A claim's use of a source."""

    source: str
    stance: Stance
    note: str


@dataclass(frozen=True, slots=True)
class Correction:
    """A dated change to a published fact-check."""

    date: str
    change: str
    reason: str
    previous_verdict: str | None = None


@dataclass(frozen=True, slots=True)
class Gap:
    """A place where the stored article text has lost something, shown to readers."""

    before: str
    """The text right after the gap, found verbatim in the article text."""
    label: str
    note: str


@dataclass(frozen=True, slots=True)
class Article:
    """A checked article; its text lives in a seed file."""

    id: str
    title: str
    publication: str
    published: str
    text: str
    """The seed file's name under the seeds directory."""
    path: str
    url: str | None = None
    section: str | None = None
    headline: str | None = None
    """The print headline, when it differs from the title."""
    gaps: tuple[Gap, ...] = ()


@dataclass(frozen=True, slots=True)
class Claim:
    """One checked claim from an article."""

    id: str
    article: str
    quote: str
    claim: str
    claimant: str
    verdict: str
    conclusion: str
    explanation: str
    explanation_html: str
    """The explanation rendered and sanitized once, during validation."""
    sources: tuple[Citation, ...]
    published: str
    reviewed: str
    evidence_as_of: str
    path: str
    entities: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = ()

    @property
    def modified(self) -> str:
        """The latest of review and correction dates."""
        return max([self.reviewed, *(c.date for c in self.corrections)])


@dataclass(frozen=True, slots=True)
class Span:
    """Where a claim's quote stands in its article: block index and character range."""

    block: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Block:
    """One block of an article text: a paragraph, a heading, a dateline or a missing image."""

    kind: str
    text: str
    level: int = 0


@dataclass(frozen=True, slots=True)
class Corpus:
    """Every valid record of a desk, ordered by id, with quotes located in their texts."""

    scale: Scale
    articles: dict[str, Article]
    claims: dict[str, Claim]
    sources: dict[str, Source]
    entities: dict[str, Entity]
    texts: dict[str, tuple[Block, ...]] = field(default_factory=dict)
    """Article id -> the blocks of its seed text."""
    spans: dict[str, Span] = field(default_factory=dict)
    """Claim id -> where its quote stands."""
    gap_spans: dict[tuple[str, int], Span] = field(default_factory=dict)
    """(article id, gap index) -> where the gap marker goes (start == end)."""
