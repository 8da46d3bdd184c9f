"""Contributor Markdown to safe HTML.

Explanations are written by strangers. They are rendered here, never by MkDocs'
Markdown pipeline (whose extensions include files and set attributes): raw HTML is
turned into text, no extension runs, and the result passes an allowlist sanitizer.
"""

from __future__ import annotations

import re

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

_PAGE_HEADING = re.compile(r"<(/?)h[12]>")
_NESTING = re.compile(r"^[ \t>*+\-\d.)]*")
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
        ProseError: if the text nests block quotes or lists too deeply to render.
    """
    for line in source.split("\n"):
        markers = _NESTING.match(line).group().count(">") if ">" in line else 0
        if markers > MAX_NESTING:
            raise ProseError(f"block quotes nested more than {MAX_NESTING} deep")
    try:
        html = _MARKDOWN.reset().convert(source)
    except RecursionError as error:
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


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Scheme allowlists let relative and protocol-relative (`//host`) links through;
    # contributor links must be absolute.
    if attribute == "href" and not _ABSOLUTE.match(value):
        return None
    return value
