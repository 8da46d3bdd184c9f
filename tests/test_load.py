"""The strict reader: every refusal with its exact message and line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.load import MAX_RECORD_BYTES, load_record, parse_yaml, read_untrusted


def problems(text: str) -> list[str]:
    return [str(p) for p in parse_yaml(text, "f.yaml")[1]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: 1\n\tb: 2\n",
            "f.yaml:2: YAML syntax error: found a tab character that violates indentation",
        ),
        ("a: b\n---\nc: d\n", "f.yaml:2: more than one YAML document in the file"),
        ("", "f.yaml:1: empty document: the file holds no record"),
        ("# only a comment\n", "f.yaml:1: empty document: the file holds no record"),
        ("a: x\nb: &x 1\nc: *x\n", "f.yaml:2: anchors (&x) are not allowed"),
        ("x: &a [*a]\n", "f.yaml:1: anchors (&a) are not allowed"),
        ("a: x\nb: *x\n", "f.yaml:2: aliases (*x) are not allowed"),
        (
            'explanation: !!python/object/apply:os.system ["id"]\n',
            "f.yaml:1: explicit tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed",
        ),
        (
            "a: !!binary aGVsbG8=\n",
            "f.yaml:1: explicit tags (tag:yaml.org,2002:binary) are not allowed",
        ),
        ("a: !include x\n", "f.yaml:1: explicit tags (!include) are not allowed"),
        ("<<: {a: 1}\n", "f.yaml:1: merge keys (<<) are not allowed"),
        ("? [a, b]\n: c\n", "f.yaml:1: keys must be plain text"),
        ("verdict: a\nverdict: b\n", "f.yaml:2: duplicate key 'verdict'"),
        ('a: "\\e[2J"\n', "f.yaml:1: forbidden character U+001B (a control character)"),
        ('a: "\\0"\n', "f.yaml:1: forbidden character U+0000 (a control character)"),
        ('a: "x\\u202Ey"\n', "f.yaml:1: forbidden character U+202E RIGHT-TO-LEFT OVERRIDE"),
        ('a: "x\\u200By"\n', "f.yaml:1: forbidden character U+200B ZERO WIDTH SPACE"),
        ('a: "cafe\\u0301"\n', "f.yaml:1: text must be in Unicode NFC form (composed characters)"),
        ("[" * 5000, "f.yaml:1: YAML syntax error: exceeded maximum nesting depth"),
    ],
)
def test_refusals(text: str, expected: str) -> None:
    assert problems(text) == [expected]


def test_nesting_deeper_than_eight_levels() -> None:
    deep = "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 9)) + "  " * 9 + "c: d\n"
    assert problems(deep) == ["f.yaml:9: lists and mappings nested deeper than 8 levels"]
    shallow = "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 7)) + "  " * 7 + "c: d\n"
    assert problems(shallow) == []


def test_duplicate_key_keeps_the_first_value_and_reading_goes_on() -> None:
    document, found = parse_yaml("verdict: accurate\nverdict: inaccurate\nnote: x\n", "f.yaml")
    assert document.data == {"verdict": "accurate", "note": "x"}
    assert [str(p) for p in found] == ["f.yaml:2: duplicate key 'verdict'"]


def test_every_scalar_stays_a_string_exactly_as_written() -> None:
    text = "v: 1.10\nw: 0777\nx: 12:30\ny: .nan\nz: 2024-02-08\nn: no\nt: true\nc: NO\ne:\n"
    document, found = parse_yaml(text, "f.yaml")
    assert found == []
    assert document.data == {
        "v": "1.10", "w": "0777", "x": "12:30", "y": ".nan", "z": "2024-02-08",
        "n": "no", "t": "true", "c": "NO", "e": "",
    }  # fmt: skip


def test_lines_are_kept_for_keys_and_list_items() -> None:
    text = "id: x\nsources:\n  - source: a\n    stance: supports\n  - source: b\n"
    document, _ = parse_yaml(text, "f.yaml")
    assert document.line(("id",)) == 1
    assert document.line(("sources",)) == 2
    assert document.line(("sources", 1, "source")) == 5
    assert document.line(("sources", 1, "missing")) == 5


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            b"\xef\xbb\xbfid: x\n",
            "r.yaml:1: starts with a byte-order mark; save as UTF-8 without BOM",
        ),
        (
            b"\xff\xfei\x00d\x00",
            "r.yaml:1: starts with a byte-order mark; save as UTF-8 without BOM",
        ),
        (b"id: x\nname: caf\xe9\n", "r.yaml:2: is not valid UTF-8 at byte 15"),
        (b"id: x\r\nname: y\r\n", "r.yaml:1: contains a carriage return; use LF line endings"),
        (
            b"id: x\n# \xe2\x80\xae comment\n",
            "r.yaml:2: forbidden character U+202E RIGHT-TO-LEFT OVERRIDE",
        ),
        (b"id: x\x07\n", "r.yaml:1: forbidden character U+0007 (a control character)"),
    ],
)
def test_bytes_are_refused_before_parsing(tmp_path: Path, raw: bytes, expected: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(raw)
    text, found = read_untrusted(path, "r.yaml", MAX_RECORD_BYTES)
    assert text is None
    assert [str(p) for p in found] == [expected]


def test_oversized_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * MAX_RECORD_BYTES + "\n")
    _, found = load_record(path, "big.yaml")
    assert [str(p) for p in found] == [
        f"big.yaml: is {MAX_RECORD_BYTES + 4:,} bytes; the limit is 65,536 bytes"
    ]


def test_symlink_and_fifo_are_refused(tmp_path: Path) -> None:
    target = tmp_path / "target.yaml"
    target.write_text("id: x\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    assert [str(p) for p in load_record(link, "link.yaml")[1]] == [
        "link.yaml: is a symbolic link; records must be regular files"
    ]
    assert [str(p) for p in load_record(fifo, "fifo.yaml")[1]] == [
        "fifo.yaml: is not a regular file"
    ]


def test_billion_laughs_is_refused_at_the_first_anchor() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [{', '.join(['*' + previous] * 9)}]")
    assert problems("\n".join(lines) + "\n") == ["f.yaml:1: anchors (&a) are not allowed"]
