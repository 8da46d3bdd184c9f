"""Every rule a desk's records must meet, reported all at once.

Shape is checked by the published JSON Schemas (the same files editors' tools use);
everything that spans records or files is a rule here, one function per rule family.
`load_corpus` returns the corpus only when no problem was found.
"""

from __future__ import annotations

import datetime
import difflib
import ipaddress
import json
import os
import re
import socket
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import fastjsonschema
from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from generator import prose, text
from generator.load import (
    MAX_SEED_BYTES,
    NOT_NFC,
    Document,
    Location,
    load_record,
    printable,
    read_untrusted,
)
from generator.model import (
    Article,
    Citation,
    Claim,
    Corpus,
    Correction,
    Entity,
    EntityKind,
    Gap,
    Scale,
    Source,
    SourceKind,
    Span,
    Stance,
    Verdict,
)
from generator.problem import Problem
from generator.scaffold import placeholders

KINDS = {"articles": "article", "claims": "claim", "sources": "source", "entities": "entity"}
"""Folder under facts/ -> record kind (and schema name)."""
SCALE_FILE = "scale.yaml"
RESERVED_IDS = frozenset(
    {"index", "search", "assets", "404", "sitemap", "feed", "data", "con", "prn", "aux", "nul"}
    | {f"com{n}" for n in range(10)}
    | {f"lpt{n}" for n in range(10)}
)
_LINKED_FOLDER = "is a symbolic link; use a real folder"
_FILE_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\.yaml$")


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a desk keeps its records and article texts."""

    root: Path
    facts: str = "facts"
    seeds: str = "seeds"

    def display(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


@cache
def schema(kind: str) -> dict:
    """The published JSON Schema of a record kind."""
    source = resources.files("generator") / "schemas" / f"{kind}.schema.json"
    return json.loads(source.read_text(encoding="utf-8"))


@cache
def _validator(kind: str) -> Draft7Validator:
    return Draft7Validator(schema(kind), format_checker=FormatChecker())


def _is_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@cache
def _fast_validator(kind: str):
    """A compiled yes/no check of the same schema, ten times faster than jsonschema.

    It stops at the first error, so it only clears valid records; any record it
    rejects goes through jsonschema for the complete list of problems.
    """
    return fastjsonschema.compile(schema(kind), formats={"date": _is_date})


@dataclass(slots=True)
class RecordCache:
    """What checking a desk learned per file, reused while the files stay the same.

    The live preview checks the whole desk after every save; with this, only the
    saved file is parsed, validated and rendered again. A file counts as the same
    while its inode, size and modification time are.
    """

    files: dict[str, tuple[tuple, Document | None, list[Problem]]] = field(default_factory=dict)
    records: dict[str, tuple[Document, list[Problem], dict | None, object]] = field(
        default_factory=dict
    )
    seeds: dict[str, tuple[tuple, str | None, list[Problem]]] = field(default_factory=dict)
    indexes: dict[str, text.TextIndex] = field(default_factory=dict)


def _stat_key(path: Path) -> tuple | None:
    try:
        info = path.lstat()
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_mode)


def load_corpus(
    layout: Layout, cache: RecordCache | None = None
) -> tuple[Corpus | None, list[Problem]]:
    """Read, check and cross-link every record under `layout`.

    Arguments:
        layout: where the records and texts are.
        cache: results of an earlier call on the same desk, updated in place.

    Returns:
        The corpus (None if anything is wrong) and the sorted list of all problems.
    """
    checker = _Checker(layout, cache if cache is not None else RecordCache())
    corpus = checker.run()
    # Messages quote file names and values; a control character in them would
    # reach the terminal or CI log (ANSI escapes, fake annotations on a new line).
    problems = sorted(
        {Problem(printable(p.path), p.line, printable(p.message)) for p in checker.problems}
    )
    return (corpus if not problems else None), problems


class _Checker:
    def __init__(self, layout: Layout, cache: RecordCache) -> None:
        self.layout = layout
        self.cache = cache
        self.indexes: dict[str, text.TextIndex] = {}
        self.problems: list[Problem] = []
        self.docs: dict[tuple[str, str], Document] = {}
        self.kept: dict[tuple[str, str], dict] = {}
        """The schema-valid part of each record, bad list items as None."""

    def report(self, doc: Document | str, location: Location | int, message: str) -> None:
        if isinstance(doc, Document):
            line = doc.line(location) if isinstance(location, tuple) else location
            self.problems.append(Problem(doc.path, line, message))
        else:
            self.problems.append(
                Problem(doc, location if isinstance(location, int) else 0, message)
            )

    # -- files ---------------------------------------------------------------

    def run(self) -> Corpus | None:
        facts = self.layout.root / self.layout.facts
        if facts.is_symlink():
            self.report(self.layout.facts, 0, _LINKED_FOLDER)
            return None
        if not facts.is_dir():
            self.report(self.layout.facts, 0, "the facts folder does not exist")
            return None
        records = self._read_folders(facts)
        scale = self._scale(facts / SCALE_FILE)
        entities = self._build(records["entities"], "entity", self._entity)
        sources = self._build(records["sources"], "source", self._source)
        articles = self._build(records["articles"], "article", self._article)
        claims = self._build(records["claims"], "claim", self._claim)
        if scale is None:
            return None
        corpus = Corpus(scale, articles, claims, sources, entities)
        self._check_references(corpus)
        self._check_texts(corpus)
        self._check_claims(corpus)
        return corpus

    def _read_folders(self, facts: Path) -> dict[str, list[Document]]:
        records: dict[str, list[Document]] = {folder: [] for folder in KINDS}
        for entry in sorted(os.scandir(facts), key=lambda e: e.name):
            display = self.layout.display(Path(entry.path))
            if entry.name == SCALE_FILE:
                continue
            if entry.name in KINDS and entry.is_symlink():
                self.report(display, 0, _LINKED_FOLDER)
            elif entry.name in KINDS and entry.is_dir(follow_symlinks=False):
                records[entry.name] = self._read_folder(Path(entry.path))
            elif entry.name != ".gitkeep":
                expected = ", ".join([*KINDS, SCALE_FILE])
                self.report(
                    display, 0, f"unexpected entry in {self.layout.facts}/; expected {expected}"
                )
        return records

    def _read_folder(self, folder: Path) -> list[Document]:
        documents = []
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            path = Path(entry.path)
            display = self.layout.display(path)
            if entry.name == ".gitkeep":
                continue
            if not entry.is_file(follow_symlinks=False) and not entry.is_symlink():
                self.report(display, 0, "is not a regular file")
                continue
            if not _FILE_NAME.match(entry.name):
                self.report(
                    display,
                    0,
                    "file name must be a lowercase slug ending in .yaml (a-z, 0-9, hyphens)",
                )
                continue
            document, problems = self._load(path, display)
            self.problems.extend(problems)
            if document is not None:
                documents.append(document)
        return documents

    def _load(self, path: Path, display: str) -> tuple[Document | None, list[Problem]]:
        key = _stat_key(path)
        cached = self.cache.files.get(display)
        if cached is not None and key is not None and cached[0] == key:
            return cached[1], cached[2]
        document, problems = load_record(path, display)
        self.cache.files[display] = (key, document, problems)
        return document, problems

    # -- one record at a time -----------------------------------------------

    def _shape(self, doc: Document, kind: str) -> set[Location] | None:
        """Check `doc` against its kind's schema; the locations of bad values.

        None means the document is not even a mapping and cannot be used at all.
        """
        if not isinstance(doc.data, dict):
            self.report(
                doc, 1, f"a {kind} record must be a mapping of fields, not {_what(doc.data)}"
            )
            return None
        # A placeholder from `new` gets one message of its own, not a schema error too.
        todo = {location for location, _ in placeholders(doc)}
        for location in sorted(todo, key=lambda loc: doc.line(loc)):
            self.report(doc, location, f"{_field(location)} is still a placeholder: fill it in")
        bad: set[Location] = set(todo)
        if not todo:
            try:
                _fast_validator(kind)(doc.data)
                return bad
            except fastjsonschema.JsonSchemaValueException:
                pass  # the full validator below names every problem
        for error in _validator(kind).iter_errors(doc.data):
            location = tuple(error.absolute_path)
            if any(location[: len(t)] == t for t in todo):
                continue
            for where, message in _describe(error):
                self.report(doc, where, message)
            bad.add(location)
        return bad

    def _build(self, docs: list[Document], kind: str, make) -> dict:
        """Model objects for every record usable for cross-record checks.

        A record with schema problems still takes part, minus its bad values, so
        that one run reports everything wrong with it; the corpus is discarded
        anyway whenever any problem was found.
        """
        built = {}
        for doc in docs:
            stem = doc.path.rsplit("/", 1)[-1].removesuffix(".yaml")
            cached = self.cache.records.get(doc.path)
            if cached is not None and cached[0] is doc:
                _, produced, data, record = cached
                self.problems.extend(produced)
            else:
                before = len(self.problems)
                data, record = self._build_one(doc, kind, make, stem)
                self.cache.records[doc.path] = (doc, self.problems[before:], data, record)
            if data is None:
                continue
            self.docs[(kind, stem)] = doc
            self.kept[(kind, stem)] = data
            if record is not None:
                built[stem] = record
        return built

    def _build_one(self, doc: Document, kind: str, make, stem: str) -> tuple[dict | None, object]:
        bad = self._shape(doc, kind)
        if bad is None:
            return None, None
        data = _prune(doc.data, bad)
        record_id = data.get("id", stem)
        if record_id != stem:
            self.report(doc, ("id",), f"id '{record_id}' must equal the file name '{stem}'")
        if stem in RESERVED_IDS:
            self.report(doc, ("id",), f"id '{stem}' is reserved; choose another")
        try:
            return data, make(doc, {**data, "id": stem})
        except KeyError:
            return data, None  # a value the model needs is missing or bad: the schema said which

    def _scale(self, path: Path) -> Scale | None:
        display = self.layout.display(path)
        if not path.exists() and not path.is_symlink():
            self.report(display, 0, "missing: the rating scale must be defined here")
            return None
        doc, problems = load_record(path, display)
        self.problems.extend(problems)
        if doc is None or self._shape(doc, "scale") != set():
            return None
        verdicts = []
        for number, item in enumerate(doc.data["verdicts"]):
            for name in ("id", "label"):
                if any(item[name].casefold() == getattr(v, name).casefold() for v in verdicts):
                    where = ("verdicts", number, name)
                    self.report(doc, where, f"verdict {name} '{item[name]}' appears twice")
            value = int(item["value"]) if "value" in item else None
            verdicts.append(
                Verdict(
                    item["id"],
                    item["label"],
                    item["definition"],
                    item["icon"],
                    item["colour"],
                    value,
                )
            )
        self.docs[("scale", "")] = doc
        return Scale(doc.data["name"], tuple(verdicts), display)

    @staticmethod
    def _entity(doc: Document, data: dict) -> Entity:
        path = doc.path
        return Entity(
            data["id"],
            data["name"],
            EntityKind(data["kind"]),
            data["description"],
            path,
            tuple(data.get("aliases", ())),
            data.get("wikidata"),
            data.get("url"),
        )

    @staticmethod
    def _source(doc: Document, data: dict) -> Source:
        path = doc.path
        return Source(
            data["id"],
            data["title"],
            data["publisher"],
            data["url"],
            SourceKind(data["kind"]),
            path,
            data.get("published"),
            data.get("accessed"),
            data.get("archived_url"),
            data.get("mirror_of"),
            data.get("description"),
        )

    @staticmethod
    def _article(doc: Document, data: dict) -> Article:
        path = doc.path
        gaps = tuple(Gap(g["before"], g["label"], g["note"]) for g in data.get("gaps", ()))
        return Article(
            data["id"],
            data["title"],
            data["publication"],
            data["published"],
            data["text"],
            path,
            data.get("url"),
            data.get("section"),
            data.get("headline"),
            gaps,
        )

    def _claim(self, doc: Document, data: dict) -> Claim:
        path = doc.path
        html = ""
        if "explanation" in data:
            try:
                html = prose.to_html(data["explanation"])
            except prose.ProseError as error:
                self.report(doc, ("explanation",), f"explanation: {error}")
            # Links are followed by the scheduled external link check and by readers.
            for url in prose.links(html):
                if url.lower().startswith(("http:", "https:")) and (message := _url_problem(url)):
                    self.report(doc, ("explanation",), f"explanation: link {url} {message}")
        return Claim(
            id=data["id"],
            article=data.get("article", ""),
            quote=data.get("quote", ""),
            claim=data.get("claim", ""),
            claimant=data.get("claimant", ""),
            verdict=data.get("verdict", ""),
            conclusion=data.get("conclusion", ""),
            explanation=data.get("explanation", ""),
            explanation_html=html,
            sources=tuple(
                Citation(s["source"], Stance(s["stance"]), s["note"])
                for s in data.get("sources", ())
                if s is not None and {"source", "stance", "note"} <= s.keys()
            ),
            published=data.get("published", ""),
            reviewed=data.get("reviewed", ""),
            evidence_as_of=data.get("evidence_as_of", ""),
            path=path,
            entities=tuple(e for e in data.get("entities", ()) if e is not None),
            corrections=tuple(
                Correction(c["date"], c["change"], c["reason"], c.get("previous_verdict"))
                for c in data.get("corrections", ())
                if c is not None and {"date", "change", "reason"} <= c.keys()
            ),
        )

    # -- across records ------------------------------------------------------

    def _ref(
        self,
        kind: str,
        record_id: str,
        location: Location,
        target_kind: str,
        value: str | None,
        known: set[str],
    ) -> None:
        if value is None or value in known:
            return  # None: the value was missing or bad, and the schema said so
        folder = next(f for f, k in KINDS.items() if k == target_kind)
        message = (
            f"unknown {target_kind} '{value}': no file {self.layout.facts}/{folder}/{value}.yaml"
        )
        close = difflib.get_close_matches(value, known, n=1)
        if close:
            message += f" (did you mean '{close[0]}'?)"
        self.report(self.docs[(kind, record_id)], location, message)

    def _check_references(self, corpus: Corpus) -> None:
        """Every id a record names resolves to a record of the right kind."""
        # Ids of every readable file count as known, so one bad record does not
        # make every reference to it a second problem.
        known = {kind: set() for kind in KINDS.values()}
        for kind, record_id in self.docs:
            known.setdefault(kind, set()).add(record_id)
        for article_id in corpus.articles:
            data = self.kept[("article", article_id)]
            where = ("publication",)
            self._ref(
                "article", article_id, where, "entity", data.get("publication"), known["entity"]
            )
        for claim_id in corpus.claims:
            data = self.kept[("claim", claim_id)]
            self._ref(
                "claim", claim_id, ("article",), "article", data.get("article"), known["article"]
            )
            self._ref(
                "claim", claim_id, ("claimant",), "entity", data.get("claimant"), known["entity"]
            )
            for number, entity in enumerate(data.get("entities", ())):
                where = ("entities", number)
                self._ref("claim", claim_id, where, "entity", entity, known["entity"])
            seen: set[str] = set()
            for number, citation in enumerate(data.get("sources", ())):
                source = (citation or {}).get("source")
                if source is None:
                    continue
                where = ("sources", number, "source")
                self._ref("claim", claim_id, where, "source", source, known["source"])
                if source in seen:
                    message = f"source '{source}' is cited twice"
                    self.report(self.docs[("claim", claim_id)], where, message)
                seen.add(source)
        urls = [(("source", s.id), "url", s.url) for s in corpus.sources.values()]
        urls += [
            (("source", s.id), "archived_url", s.archived_url) for s in corpus.sources.values()
        ]
        urls += [(("entity", e.id), "url", e.url) for e in corpus.entities.values()]
        urls += [(("article", a.id), "url", a.url) for a in corpus.articles.values()]
        for record, name, value in urls:
            if value is not None and (message := _url_problem(value)):
                self.report(self.docs[record], (name,), f"{name} {message}")

    def _check_texts(self, corpus: Corpus) -> None:
        """Each article's text file exists, is clean text, and holds its gaps."""
        seeds = self.layout.root / self.layout.seeds
        if seeds.is_symlink():
            # O_NOFOLLOW guards only the file itself; a linked folder reads elsewhere.
            self.report(self.layout.seeds, 0, _LINKED_FOLDER)
            return
        for article in corpus.articles.values():
            doc = self.docs[("article", article.id)]
            path = seeds / article.text
            display = self.layout.display(path)
            if not path.exists() and not path.is_symlink():
                self.report(doc, ("text",), f"text file {display} does not exist")
                continue
            key, cached = _stat_key(path), self.cache.seeds.get(display)
            if cached is not None and key is not None and cached[0] == key:
                content, problems = cached[1], cached[2]
            else:
                content, problems = read_untrusted(path, display, MAX_SEED_BYTES)
                self.cache.seeds[display] = (key, content, problems)
            self.problems.extend(problems)
            if content is None:
                continue
            if (line := text.first_unnormalised_line(content)) is not None:
                self.report(display, line, NOT_NFC)
                continue
            index = self.cache.indexes.get(content)
            if index is None:
                index = self.cache.indexes[content] = text.TextIndex(text.split_blocks(content))
            corpus.texts[article.id] = index.blocks
            self.indexes[article.id] = index
            for number, gap in enumerate(article.gaps):
                span = index.find(gap.before)
                if span is None:
                    self.report(
                        doc,
                        ("gaps", number, "before"),
                        f"gap text not found in {display}: '{gap.before}'",
                    )
                else:
                    corpus.gap_spans[(article.id, number)] = Span(
                        span.block, span.start, span.start
                    )

    def _check_claims(self, corpus: Corpus) -> None:
        """Quotes stand in their articles, verdicts exist, dates agree."""
        indexes = self.indexes
        words = _verdict_words(corpus.scale)
        for claim in corpus.claims.values():
            doc = self.docs[("claim", claim.id)]
            self._check_verdict(doc, claim, corpus.scale, words)
            article = corpus.articles.get(claim.article)
            if article is not None:
                self._check_dates(doc, claim, article)
            index = indexes.get(claim.article)
            if index is None or not claim.quote:
                continue
            span = index.find(claim.quote)
            if span is not None:
                corpus.spans[claim.id] = span
                continue
            matched, following = index.longest_prefix(claim.quote)
            display = f"{self.layout.seeds}/{article.text}" if article else claim.article
            message = f"quote not found in the text of article '{claim.article}' ({display})"
            if matched:
                folded = text.fold(claim.quote)
                message += (
                    f"; the first {matched} characters match, then the quote has "
                    f"'{folded[matched : matched + 20]}' where the text has '{following}'"
                )
            self.report(doc, ("quote",), message)
        self._check_overlaps(corpus)

    def _check_verdict(self, doc: Document, claim: Claim, scale: Scale, words: list) -> None:
        if scale.rated:
            if "verdict" not in doc.data:
                self.report(doc, 1, "missing required field 'verdict'")
            elif claim.verdict and scale.get(claim.verdict) is None:
                choices = ", ".join(v.id for v in scale.verdicts)
                message = f"verdict must be one of: {choices}; got '{claim.verdict}'"
                self.report(doc, ("verdict",), message)
            for number, correction in enumerate(claim.corrections):
                previous = correction.previous_verdict
                if previous is not None and scale.get(previous) is None:
                    self.report(
                        doc,
                        ("corrections", number, "previous_verdict"),
                        f"previous_verdict '{previous}' is not on the scale",
                    )
        elif claim.verdict:
            self.report(
                doc,
                ("verdict",),
                "the scale has no verdicts, so claims carry none: "
                "the conclusion is the verdict; remove 'verdict'",
            )
        for word, pattern in words:
            if pattern.search(claim.claim):
                self.report(
                    doc,
                    ("claim",),
                    f"claim must restate the claim without verdict words; it contains '{word}'",
                )
                break

    def _check_dates(self, doc: Document, claim: Claim, article: Article) -> None:
        if not (claim.published and claim.reviewed and claim.evidence_as_of):
            return  # a missing or malformed date was reported by the schema
        if claim.published < article.published:
            self.report(
                doc,
                ("published",),
                f"published {claim.published} is before the article ({article.published})",
            )
        if claim.reviewed < claim.published:
            self.report(
                doc,
                ("reviewed",),
                f"reviewed {claim.reviewed} is before published {claim.published}",
            )
        if claim.evidence_as_of > claim.reviewed:
            self.report(
                doc,
                ("evidence_as_of",),
                f"evidence_as_of {claim.evidence_as_of} is after reviewed {claim.reviewed}",
            )
        for number, correction in enumerate(claim.corrections):
            if correction.date < claim.published:
                self.report(
                    doc,
                    ("corrections", number, "date"),
                    f"correction date {correction.date} is before published {claim.published}",
                )

    def _check_overlaps(self, corpus: Corpus) -> None:
        """Quotes in one article either nest or stand apart, so highlights can nest."""
        by_block: dict[tuple[str, int], list[tuple[Span, str]]] = {}
        for claim_id, span in corpus.spans.items():
            article = corpus.claims[claim_id].article
            by_block.setdefault((article, span.block), []).append((span, claim_id))
        for spans in by_block.values():
            spans.sort(key=lambda item: (item[0].start, -item[0].end, item[1]))
            open_spans: list[tuple[Span, str]] = []
            for span, claim_id in spans:
                while open_spans and open_spans[-1][0].end <= span.start:
                    open_spans.pop()
                if open_spans and span.end > open_spans[-1][0].end:
                    other = open_spans[-1][1]
                    self.report(
                        self.docs[("claim", claim_id)],
                        ("quote",),
                        f"quote overlaps the quote of claim '{other}' without containing "
                        "it or being contained in it",
                    )
                    continue
                open_spans.append((span, claim_id))


def _verdict_words(scale: Scale) -> list[tuple[str, re.Pattern]]:
    words = {v.label.casefold() for v in scale.verdicts} | {
        v.id.replace("-", " ") for v in scale.verdicts
    }
    return [
        (word, re.compile(r"\b" + re.escape(word).replace(r"\ ", r"[\s-]+") + r"\b", re.I))
        for word in sorted(words)
    ]


def _url_problem(url: str) -> str | None:
    """Why a record's URL is unacceptable beyond its schema pattern, or None."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        address = _ip_address(host)
    except ValueError:  # unbalanced or bad [IPv6] brackets, unparsable numeric host
        return "has a host name that is not valid"
    if "@" in parts.netloc:
        return "must not contain a user name or password"
    if address is not None:
        return None if address.is_global else "points at a private or local address"
    if not host or "." not in host:
        return "must name a public host"
    if host.lower().endswith(".localhost"):
        return "points at a private or local address"
    if not host.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return "has a host name that is not valid"
        return f"must write its host in ASCII (punycode): {ascii_host}"
    return None


def _ip_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host names literally, read the way browsers read it, or None.

    Raises:
        ValueError: for a numeric host that is no address.
    """
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    # A host whose last label is a number is an IPv4 address to browsers, also in
    # shorthand, octal or hex forms (127.1, 0177.0.0.1, 0x7f.0.0.1, 2130706433).
    if not re.fullmatch(r"[0-9]+|0[xX][0-9a-fA-F]*", host.rsplit(".", 1)[-1]):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError as error:
        raise ValueError(host) from error


def _prune(data: dict, bad: set[Location]) -> dict:
    """A copy of `data` without the values the schema rejected.

    A bad field of a list item drops that field; a bad list item becomes None
    (positions are kept so later messages name the right line); any other bad
    value drops its top-level field. One wrong stance thus keeps the rest of the
    record checkable.
    """
    pruned = dict(data)
    for location in sorted(bad, key=len, reverse=True):
        if not location or location[0] not in pruned:
            continue
        field, value = location[0], pruned[location[0]]
        if len(location) > 1 and isinstance(location[1], int) and isinstance(value, list):
            items = list(value)
            item = items[location[1]]
            if len(location) > 2 and isinstance(item, dict):
                items[location[1]] = {k: v for k, v in item.items() if k != location[2]}
            else:
                items[location[1]] = None
            pruned[field] = items
        else:
            del pruned[field]
    return pruned


def _what(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return "text"


def _field(path) -> str:
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name or "the record"


def _describe(error: ValidationError) -> list[tuple[Location, str]]:
    """Turn a schema error into (location, message) pairs a contributor can act on."""
    location = tuple(error.absolute_path)
    field = _field(location)
    kind = error.validator
    value = error.instance
    if kind == "required":
        missing = re.match(r"'([^']*)'", error.message)
        return [(location, f"missing required field '{missing.group(1) if missing else '?'}'")]
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extras = sorted(set(value) - set(allowed))
        where = "" if not location else f" in {field}"
        return [
            ((*location, extra), f"unknown field '{extra}'{where}; allowed: {', '.join(allowed)}")
            for extra in extras
        ]
    if kind == "type":
        expected = {"object": "a mapping", "array": "a list", "string": "text"}.get(
            error.validator_value, error.validator_value
        )
        return [(location, f"{field} must be {expected}, not {_what(value)}")]
    if kind == "enum":
        choices = ", ".join(error.validator_value)
        return [(location, f"{field} must be one of: {choices}; got '{value}'")]
    if kind in ("pattern", "format"):
        hint = error.schema.get("x-message", "has the wrong form")
        shown = value if len(value) <= 80 else value[:77] + "..."
        return [(location, f"{field} {hint}; got '{shown}'")]
    if kind == "minLength":
        return [(location, f"{field} must not be empty")]
    if kind == "maxLength":
        limit = error.validator_value
        return [(location, f"{field} is {len(value):,} characters long; the limit is {limit:,}")]
    if kind == "minItems":
        return [(location, f"{field} needs at least {error.validator_value} item(s)")]
    if kind == "maxItems":
        return [(location, f"{field} has {len(value)} items; the limit is {error.validator_value}")]
    if kind == "uniqueItems":
        return [(location, f"{field} lists the same item twice")]
    return [(location, f"{field}: {error.message}")]
