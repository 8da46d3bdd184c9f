"""Article texts: splitting a seed file into blocks and finding quotes in it.

A quote must stand in the text verbatim; the only differences forgiven are runs of
white space and the shape of quote marks (straight or curly), because editors copy
quotes through tools that change exactly those.
"""

from __future__ import annotations

import re
import unicodedata

from generator.model import Block, Span

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_IMAGE = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*$")
_DATELINE = re.compile(r"^>\s?(.*?)\s*$")

_QUOTE_MARKS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00a0": " ",
    }
)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\S+")


def first_unnormalised_line(text: str) -> int | None:
    """The number of the first line not in Unicode NFC form, or None.

    Quotes are compared character by character, so an article text in another
    normal form would fail to match quotes that look identical.
    """
    if unicodedata.is_normalized("NFC", text):
        return None
    for number, line in enumerate(text.split("\n"), 1):
        if not unicodedata.is_normalized("NFC", line):
            return number
    return None  # pragma: no cover - a text is normalised if all its lines are


def split_blocks(text: str) -> tuple[Block, ...]:
    """Split a seed text into blocks, one per non-empty line.

    The seed format is the plain-text export newsrooms hand us: `#` lines are
    headings, a `![...](...)` line is an image that was not kept, a `>` line is the
    dateline, and every other line is a paragraph.
    """
    blocks: list[Block] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        if heading := _HEADING.match(line):
            blocks.append(Block("heading", heading.group(2), len(heading.group(1))))
        elif _IMAGE.match(line):
            blocks.append(Block("image", ""))
        elif dateline := _DATELINE.match(line):
            blocks.append(Block("dateline", dateline.group(1)))
        else:
            blocks.append(Block("paragraph", line.strip()))
    return tuple(blocks)


def normalise(text: str) -> tuple[str, list[int]]:
    """Fold quote marks and white space; return the folded text and an index map.

    `index[i]` is the offset in `text` of the folded text's i-th character, and
    `index[len(folded)]` is `len(text)`, so spans map back exactly.
    """
    translated = text.translate(_QUOTE_MARKS)
    # Per word, not per character: this runs over every article on every check.
    words = [(match.start(), match.end()) for match in _WORD.finditer(translated)]
    index: list[int] = []
    for number, (start, end) in enumerate(words):
        if number:
            index.append(start - 1)  # the folded space stands for the run's last blank
        index.extend(range(start, end))
    index.append(len(text))
    return " ".join(translated[start:end] for start, end in words), index


def fold(text: str) -> str:
    """The folded form of `text`, for comparisons."""
    return _SPACE.sub(" ", text.translate(_QUOTE_MARKS)).strip()


class TextIndex:
    """The folded blocks of one article, for repeated quote look-ups."""

    def __init__(self, blocks: tuple[Block, ...]) -> None:
        self.blocks = blocks
        self._folded = [normalise(block.text) for block in blocks]

    def find(self, needle: str) -> Span | None:
        """The first place `needle` stands, in original block coordinates."""
        target = fold(needle)
        if not target:
            return None
        for number, (folded, index) in enumerate(self._folded):
            at = folded.find(target)
            if at >= 0:
                return Span(number, index[at], index[at + len(target) - 1] + 1)
        return None

    def longest_prefix(self, needle: str) -> tuple[int, str]:
        """How much of `needle` (folded) the text holds, and what the text has next.

        Used only to explain a failed match, so it may be slow.
        """
        target = fold(needle)
        low, high = 0, len(target)
        while low < high:
            middle = (low + high + 1) // 2
            if any(target[:middle] in folded for folded, _ in self._folded):
                low = middle
            else:
                high = middle - 1
        following = ""
        if low:
            for folded, _ in self._folded:
                at = folded.find(target[:low])
                if at >= 0:
                    following = folded[at + low : at + low + 20]
                    break
        return low, following
