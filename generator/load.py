"""Strict reading of untrusted YAML records and seed texts.

Records arrive by pull request, so this module trusts nothing: it reads bytes with a
size cap, decodes strict UTF-8, refuses invisible and control characters, and builds
plain Python values from libyaml's event stream itself. That way no YAML tag, anchor,
alias, merge key or duplicate key can ever reach a constructor, every scalar stays a
string exactly as written, and each value remembers the line it came from.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.problem import Problem

try:  # libyaml is ten times faster; the pure parser gives the same events.
    _Loader: type = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.BaseLoader

MAX_RECORD_BYTES = 64 * 1024
MAX_SEED_BYTES = 1024 * 1024
MAX_DEPTH = 8

# C0 and C1 controls except tab and newline, bidi controls, zero-width and BOM
# characters, and surrogates (reachable only through escapes in quoted scalars).
_FORBIDDEN_RANGES = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ud800-\udfff"
)
_FORBIDDEN = re.compile(f"[{_FORBIDDEN_RANGES}]")

# What `printable` writes as escapes: the forbidden set plus white space that
# breaks a one-line message (tab, newline, U+2028, U+2029).
_UNPRINTABLE = re.compile(f"[{_FORBIDDEN_RANGES}\t\n\u2028\u2029]")

NOT_NFC = "text must be in Unicode NFC form (composed characters)"

Key = str | int
Location = tuple[Key, ...]


@dataclass(slots=True)
class Document:
    """A parsed record: plain values plus the line of every value and key."""

    path: str
    data: object
    lines: dict[Location, int] = field(default_factory=dict)

    def line(self, location: Location) -> int:
        """The line of `location`, or of its nearest located ancestor."""
        while location not in self.lines and location:
            location = location[:-1]
        return self.lines.get(location, 1)


class _Refused(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message


def describe_char(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`, for messages about invisible characters."""
    name = unicodedata.name(char, "")
    if not name:
        name = {"Cc": "a control character", "Cs": "a lone surrogate"}.get(
            unicodedata.category(char), "unnamed"
        )
        return f"U+{ord(char):04X} ({name})"
    return f"U+{ord(char):04X} {name}"


def check_text(text: str) -> tuple[int, str] | None:
    """The first forbidden character in `text` as (offset, description), or None."""
    bad = _FORBIDDEN.search(text)
    if bad is None:
        return None
    return bad.start(), f"forbidden character {describe_char(bad.group())}"


def printable(text: str) -> str:
    """`text` with control, invisible and line-breaking characters as Python escapes."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


def read_untrusted(path: Path, display: str, limit: int) -> tuple[str | None, list[Problem]]:
    """Read a regular file as strict UTF-8 text, refusing anything unusual.

    Symlinks, FIFOs and other non-regular files are refused without being opened
    for reading (O_NOFOLLOW | O_NONBLOCK), so a FIFO cannot hang the build.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        if path.is_symlink():
            return None, [Problem(display, 0, "is a symbolic link; records must be regular files")]
        fd = os.open(path, flags)
    except OSError as error:
        return None, [Problem(display, 0, f"cannot be read: {error.strerror}")]
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            return None, [Problem(display, 0, "is not a regular file")]
        if info.st_size > limit:
            return None, [
                Problem(display, 0, f"is {info.st_size:,} bytes; the limit is {limit:,} bytes")
            ]
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        return None, [Problem(display, 0, f"is over the limit of {limit:,} bytes")]
    if raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None, [
            Problem(display, 1, "starts with a byte-order mark; save as UTF-8 without BOM")
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return None, [Problem(display, line, f"is not valid UTF-8 at byte {error.start}")]
    if "\r" in text:
        line = text.count("\n", 0, text.index("\r")) + 1
        return None, [Problem(display, line, "contains a carriage return; use LF line endings")]
    found = check_text(text)
    if found is not None:
        offset, message = found
        return None, [Problem(display, text.count("\n", 0, offset) + 1, message)]
    return text, []


def parse_yaml(text: str, display: str) -> tuple[Document | None, list[Problem]]:
    """Build a Document from YAML text, or report why it cannot be one."""
    document, problems = _parse(text, display)
    # Messages quote keys and tags, which escapes can fill with control characters.
    return document, [Problem(p.path, p.line, printable(p.message)) for p in problems]


def _parse(text: str, display: str) -> tuple[Document | None, list[Problem]]:
    # read_untrusted checked this already for files; other callers (an old version
    # from git) may pass anything, and libyaml raises on a lone surrogate.
    found = check_text(text)
    if found is not None:
        offset, message = found
        return None, [Problem(display, text.count("\n", 0, offset) + 1, message)]
    builder = _Builder(display)
    try:
        document = builder.build(yaml.parse(text, Loader=_Loader))
        return document, builder.problems
    except _Refused as refused:
        return None, [Problem(display, refused.line, refused.message)]
    except yaml.reader.ReaderError as error:
        # Text that did not pass read_untrusted, such as an old version from git.
        line = text.count("\n", 0, error.position) + 1
        char = chr(error.character) if isinstance(error.character, int) else "\ufffd"
        return None, [Problem(display, line, f"forbidden character {describe_char(char)}")]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        what = error.problem or error.context or "invalid YAML"
        return None, [Problem(display, line, f"YAML syntax error: {what}")]
    except yaml.YAMLError as error:  # pragma: no cover - libyaml marks its errors
        return None, [Problem(display, 0, f"YAML error: {str(error).splitlines()[0]}")]


def load_record(path: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """Read and parse one record file."""
    text, problems = read_untrusted(path, display, MAX_RECORD_BYTES)
    if text is None:
        return None, problems
    return parse_yaml(text, display)


class _Builder:
    """Turns a libyaml event stream into dicts, lists and strings."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.lines: dict[Location, int] = {}
        self.problems: list[Problem] = []
        """Problems that leave the rest of the file readable, so checks go on."""

    def build(self, events) -> Document:
        events = iter(events)
        documents = 0
        data: object = None
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Refused(
                        event.start_mark.line + 1, "more than one YAML document in the file"
                    )
                first = next(events)
                if isinstance(first, yaml.DocumentEndEvent):
                    raise _Refused(event.start_mark.line + 1, "empty document")
                data = self._node(first, events, (), 1)
        if documents == 0:
            raise _Refused(1, "empty document: the file holds no record")
        return Document(self.display, data, self.lines)

    def _node(self, event, events, location: Location, depth: int) -> object:
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(line, f"aliases (*{event.anchor}) are not allowed")
        if event.anchor is not None:
            raise _Refused(line, f"anchors (&{event.anchor}) are not allowed")
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            raise _Refused(line, f"explicit tags ({tag}) are not allowed")
        self.lines[location] = line
        if isinstance(event, yaml.ScalarEvent):
            return self._scalar(event.value, line)
        if depth > MAX_DEPTH:
            raise _Refused(line, f"lists and mappings nested deeper than {MAX_DEPTH} levels")
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[object] = []
            for child in events:
                if isinstance(child, yaml.SequenceEndEvent):
                    return items
                items.append(self._node(child, events, (*location, len(items)), depth + 1))
        if isinstance(event, yaml.MappingStartEvent):
            mapping: dict[str, object] = {}
            for key_event in events:
                if isinstance(key_event, yaml.MappingEndEvent):
                    return mapping
                key_line = key_event.start_mark.line + 1
                if not isinstance(key_event, yaml.ScalarEvent) or key_event.anchor:
                    raise _Refused(key_line, "keys must be plain text")
                if key_event.tag is not None and key_event.tag != "!":
                    raise _Refused(key_line, f"explicit tags ({key_event.tag}) are not allowed")
                key = self._scalar(key_event.value, key_line)
                if key == "<<":
                    raise _Refused(key_line, "merge keys (<<) are not allowed")
                value_event = next(events)
                if key in mapping:
                    # Keep the first value: the last one silently winning is how a
                    # verdict gets flipped by a line further down.
                    self.problems.append(Problem(self.display, key_line, f"duplicate key '{key}'"))
                    self._node(value_event, events, (*location, "\0duplicate"), depth + 1)
                    continue
                mapping[key] = self._node(value_event, events, (*location, key), depth + 1)
                self.lines[(*location, key)] = key_line
        raise _Refused(line, "unexpected YAML structure")  # pragma: no cover

    def _scalar(self, value: str, line: int) -> str:
        # Quoted scalars can spell forbidden characters with escapes ("\e", "\u202e").
        found = check_text(value)
        if found is not None:
            self.problems.append(Problem(self.display, line, found[1]))
        elif not unicodedata.is_normalized("NFC", value):
            self.problems.append(Problem(self.display, line, NOT_NFC))
        return value
