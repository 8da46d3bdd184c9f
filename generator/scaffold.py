"""New records: scaffolds with placeholders that the checks refuse until filled."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from generator.load import Document, Location
from generator.model import Scale

PLACEHOLDER = "TODO:"
"""Every value still to be written starts with this."""


def placeholders(doc: Document) -> list[tuple[Location, str]]:
    """Locations and texts of the placeholders left in a record."""
    found: list[tuple[Location, str]] = []

    def walk(value: object, location: Location) -> None:
        if isinstance(value, str):
            if value.startswith(PLACEHOLDER):
                found.append((location, value))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*location, key))
        elif isinstance(value, list):
            for number, item in enumerate(value):
                walk(item, (*location, number))

    walk(doc.data, ())
    return found


def free_id(folder: Path, stem: str) -> str:
    """`stem`, or `stem-2`, `stem-3`... whichever has no file in `folder` yet."""
    candidate, number = stem, 1
    while (folder / f"{candidate}.yaml").exists():
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


def _line(key: str, value: str, indent: str = "") -> str:
    return f"{indent}{key}: {json.dumps(value, ensure_ascii=False)}\n"


def _modeline(kind: str) -> str:
    return f"# yaml-language-server: $schema=../../generator/schemas/{kind}.schema.json\n"


def claim(record_id: str, article: str, scale: Scale | None, today: datetime.date) -> str:
    """A claim record with a placeholder for every value an editor must write."""
    text = _modeline("claim") + _line("id", record_id) + _line("article", article)
    text += _line("quote", f"{PLACEHOLDER} the claim exactly as it stands in the article text")
    text += _line("claim", f"{PLACEHOLDER} a neutral restatement, at most 75 characters")
    text += _line("claimant", f"{PLACEHOLDER} id of the entity that made the claim")
    if scale is None or scale.rated:
        choices = ", ".join(v.id for v in scale.verdicts) if scale else "a verdict id"
        text += _line("verdict", f"{PLACEHOLDER} one of {choices}")
    text += _line(
        "conclusion", f"{PLACEHOLDER} one or two sentences: what was found and what was not"
    )
    text += _line("explanation", f"{PLACEHOLDER} the reasoning, in Markdown")
    text += "sources:\n"
    text += _line("- source", f"{PLACEHOLDER} id of a source record", "  ")
    text += _line("stance", f"{PLACEHOLDER} supports, contradicts or context", "    ")
    text += _line("note", f"{PLACEHOLDER} what this source shows for the claim", "    ")
    for field in ("published", "reviewed", "evidence_as_of"):
        text += _line(field, today.isoformat())
    return text


def _record(kind: str, record_id: str, todo: dict[str, str]) -> str:
    text = _modeline(kind) + _line("id", record_id)
    return text + "".join(_line(field, f"{PLACEHOLDER} {hint}") for field, hint in todo.items())


def source(record_id: str) -> str:
    """A source record with placeholders."""
    return _record("source", record_id, {
        "title": "the title exactly as the publisher gives it",
        "publisher": "who published it",
        "url": "https:// address",
        "kind": "news, report, dataset, official, ...",
    })  # fmt: skip


def entity(record_id: str) -> str:
    """An entity record with placeholders."""
    return _record("entity", record_id, {
        "name": "the name",
        "kind": "person, organisation, product, report, ...",
        "description": "who or what this is, in a sentence",
    })  # fmt: skip
