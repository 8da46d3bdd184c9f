"""Contributor Markdown to safe HTML.

Explanations are written by strangers. They are rendered here, never by MkDocs'
Markdown pipeline (whose extensions include files and set attributes): raw HTML is
turned into text, no extension runs, and the result passes an allowlist sanitizer.
"""

from __future__ import annotations

import re
from html import unescape

import markdown
import nh3

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "em",
        "strong",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_NESTING = 20
MAX_BLOCK_LINES = 200
MAX_BRACKET_WORK = 200_000
"""Characters Python-Markdown scans for the `[` brackets of one block (see `_bracket_work`)."""

_PAGE_HEADING = re.compile(r"<(/?)h[12]>")
_MARKERS = re.compile(r"[ \t]*(?:(?:>|[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]*)*")
_LIST_MARKER = re.compile(r"[*+-]|\d{1,9}[.)]")
_HREF = re.compile(r'<a href="([^"]*)"')
_BRACKET = re.compile(r"\\.|[\[\]]", re.DOTALL)
_ABSOLUTE = re.compile(r"(?:https?://[^/\\]|mailto:)", re.IGNORECASE)


class ProseError(ValueError):
    """Markdown the renderer refuses, with a message for the contributor."""


def _converter() -> markdown.Markdown:
    converter = markdown.Markdown(extensions=[], output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter


_MARKDOWN = _converter()


def to_html(source: str) -> str:
    """Render contributor Markdown to sanitized HTML.

    Raises:
        ProseError: if the text nests block quotes or lists too deeply, or is
            shaped so that rendering it would take quadratic time.
    """
    global _MARKDOWN
    _check_shape(source)
    try:
        html = _MARKDOWN.reset().convert(source)
    except RecursionError as error:
        # An interrupted convert() leaves the instance's state corrupt: every later
        # text would come out as one unformatted paragraph.
        _MARKDOWN = _converter()
        raise ProseError("the Markdown nests too deeply to render") from error
    html = _PAGE_HEADING.sub(r"<\1h3>", html)
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
        clean_content_tags={"script", "style"},
        attribute_filter=_keep_attribute,
    )


def links(html: str) -> list[str]:
    """The link targets in HTML that `to_html` wrote."""
    return [unescape(href) for href in _HREF.findall(html)]


def _check_shape(source: str) -> None:
    """Refuse text that would recurse deeply or take quadratic time in Python-Markdown."""
    block: list[str] = []
    for line in [*source.split("\n"), ""]:
        if line.strip():
            block.append(line)
            _check_nesting(line)
            continue
        # Block processors search the rest of a block once per line, and link
        # patterns scan from every `[` to its match: both grow with the square.
        if len(block) > MAX_BLOCK_LINES:
            raise ProseError(
                f"a paragraph or list runs over {MAX_BLOCK_LINES} lines; "
                "separate it with blank lines"
            )
        if _bracket_work("\n".join(block)) > MAX_BRACKET_WORK:
            raise ProseError(
                "too many unclosed or nested [ brackets in one paragraph; "
                "close them or write \\[ for a literal bracket"
            )
        block = []


def _check_nesting(line: str) -> None:
    markers = _MARKERS.match(line).group()
    quotes = markers.count(">")
    if quotes > MAX_NESTING:
        raise ProseError(f"block quotes nested more than {MAX_NESTING} deep")
    # A run of list markers only nests when text follows; `* * *` alone is a rule.
    if line[len(markers) :].strip():
        depth = quotes + len(_LIST_MARKER.findall(markers.replace(">", " ")))
        if depth > MAX_NESTING:
            raise ProseError(f"lists and block quotes nested more than {MAX_NESTING} deep")


def _bracket_work(block: str) -> int:
    """How far Python-Markdown scans for the `]` of every `[` in `block`, in total."""
    work = 0
    opened: list[int] = []
    for match in _BRACKET.finditer(block):
        char = match.group()
        if char == "[":
            opened.append(match.start())
        elif char == "]" and opened:
            work += match.start() - opened.pop()
    return work + sum(len(block) - start for start in opened)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Scheme allowlists let relative and protocol-relative (`//host`) links through;
    # contributor links must be absolute.
    if attribute == "href" and not _ABSOLUTE.match(value):
        return None
    return value
