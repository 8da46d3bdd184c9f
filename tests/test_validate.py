"""Validation rules: each with its exact message, then whole-record behaviour."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import check, write

from generator.validate import Layout, load_corpus

CLAIM = "facts/claims/parks-spending.yaml"
SOURCE = "facts/sources/parks-report.yaml"
ARTICLE = "facts/articles/daily-2024-01-01-budget.yaml"
BROKEN = Path(__file__).parent / "fixtures" / "broken" / "budget-doubled.yaml"


def problems(site: Path) -> list[str]:
    corpus, found = load_corpus(Layout(site))
    assert (corpus is None) == bool(found)
    return [str(p) for p in found]


def edit(site: Path, record: str, old: str, new: str) -> None:
    path = site / record
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {record}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_fixture_site_is_clean(site: Path) -> None:
    assert problems(site) == []


RULES = [
    # (record, old, new, expected problem)
    (CLAIM, "verdict: accurate", "verdict: maybe",
     f"{CLAIM}:6: verdict must be one of: accurate, inaccurate, unproven; got 'maybe'"),
    (CLAIM, "verdict: accurate\n", "",
     f"{CLAIM}:1: missing required field 'verdict'"),
    (CLAIM, "claimant: the-mayor", "claimant: the-mayr",
     f"{CLAIM}:5: unknown entity 'the-mayr': no file facts/entities/the-mayr.yaml (did you mean 'the-mayor'?)"),
    (CLAIM, "article: daily-2024-01-01-budget", "article: nightly",
     f"{CLAIM}:2: unknown article 'nightly': no file facts/articles/nightly.yaml"),
    (CLAIM, "source: parks-report", "source: parks-reprot",
     f"{CLAIM}:11: unknown source 'parks-reprot': no file facts/sources/parks-reprot.yaml (did you mean 'parks-report'?)"),
    (CLAIM, "    note: Gives 40%.\n", "    note: Gives 40%.\n  - source: parks-report\n    stance: context\n    note: Again.\n",
     f"{CLAIM}:14: source 'parks-report' is cited twice"),
    (CLAIM, "stance: supports", "stance: refutes",
     f"{CLAIM}:12: sources[0].stance must be one of: supports, contradicts, context; got 'refutes'"),
    (CLAIM, "quote: Spending on parks rose by 40%.", "quote: Spending on parks fell by 40%.",
     f"{CLAIM}:3: quote not found in the text of article 'daily-2024-01-01-budget' "
     "(seeds/daily-2024-01-01-budget.txt); the first 18 characters match, then the quote has "
     "'fell by 40%.' where the text has 'rose by 40%.'"),
    (CLAIM, "quote: Spending on parks rose by 40%.", "quote: free from March, according to the transport office.",
     f"{CLAIM}:3: quote overlaps the quote of claim 'free-bus-fares' without containing it or being contained in it"),
    (CLAIM, "claim: Spending on parks rose by 40%", "claim: Accurate that parks spending rose",
     f"{CLAIM}:4: claim must restate the claim without verdict words; it contains 'accurate'"),
    (CLAIM, "claim: Spending on parks rose by 40%", "claim: " + "x" * 76,
     f"{CLAIM}:4: claim is 76 characters long; the limit is 75"),
    (CLAIM, "conclusion: The parks report gives the same figure.", "conclusion: ''",
     f"{CLAIM}:7: conclusion must not be empty"),
    (CLAIM, "published: 2024-02-01", "published: 2024-02-30",
     f"{CLAIM}:14: published must be a real date written YYYY-MM-DD; got '2024-02-30'"),
    (CLAIM, "published: 2024-02-01", "published: 24-02-01",
     f"{CLAIM}:14: published must be a real date written YYYY-MM-DD; got '24-02-01'"),
    (CLAIM, "published: 2024-02-01", "published: 2023-12-01",
     f"{CLAIM}:14: published 2023-12-01 is before the article (2024-01-01)"),
    (CLAIM, "reviewed: 2024-02-01", "reviewed: 2024-01-15",
     f"{CLAIM}:15: reviewed 2024-01-15 is before published 2024-02-01"),
    (CLAIM, "evidence_as_of: 2024-02-01", "evidence_as_of: 2024-03-01",
     f"{CLAIM}:16: evidence_as_of 2024-03-01 is after reviewed 2024-02-01"),
    (CLAIM, "id: parks-spending", "id: parks",
     f"{CLAIM}:1: id 'parks' must equal the file name 'parks-spending'"),
    (CLAIM, "id: parks-spending", "id: Parks-Spending",
     f"{CLAIM}:1: id must be a lowercase slug: a-z, 0-9 and inner hyphens, at most 64 characters; got 'Parks-Spending'"),
    (CLAIM, "evidence_as_of: 2024-02-01\n", "evidence_as_of: 2024-02-01\ntemplate: evil.html\n",
     f"{CLAIM}:17: unknown field 'template'; allowed: article, claim, claimant, conclusion, corrections, "
     "entities, evidence_as_of, explanation, id, published, quote, reviewed, sources, verdict"),
    (CLAIM, "sources:\n", "sources:\n  - parks-report\n",
     f"{CLAIM}:11: sources[0] must be a mapping, not text"),
    (CLAIM, "explanation: |\n", "explanation: |\n  " + "> " * 30 + "deep\n",
     f"{CLAIM}:8: explanation: block quotes nested more than 20 deep"),
    (SOURCE, "url: https://parks.example.org/report", "url: javascript:alert(1)",
     f"{SOURCE}:4: url must be an absolute http:// or https:// URL without spaces, quotes or angle brackets; got 'javascript:alert(1)'"),
    (SOURCE, "url: https://parks.example.org/report", "url: //evil.example/x",
     f"{SOURCE}:4: url must be an absolute http:// or https:// URL without spaces, quotes or angle brackets; got '//evil.example/x'"),
    (SOURCE, "url: https://parks.example.org/report", "url: https://user:pw@parks.example.org/",
     f"{SOURCE}:4: url must not contain a user name or password"),
    (SOURCE, "url: https://parks.example.org/report", "url: http://169.254.169.254/latest",
     f"{SOURCE}:4: url points at a private or local address"),
    (SOURCE, "url: https://parks.example.org/report", "url: https://аpple.com/",
     f"{SOURCE}:4: url must write its host in ASCII (punycode): xn--pple-43d.com"),
    (SOURCE, "kind: report", "kind: rumour",
     f"{SOURCE}:5: kind must be one of: news, wire-copy, opinion, analysis, blog, report, dataset, official, "
     "corporate, reference, code, transcript; got 'rumour'"),
    (ARTICLE, "text: daily-2024-01-01-budget.txt", "text: missing.txt",
     f"{ARTICLE}:5: text file seeds/missing.txt does not exist"),
    (ARTICLE, "text: daily-2024-01-01-budget.txt", "text: ../mkdocs.yml",
     f"{ARTICLE}:5: text must be the name of a .txt file in seeds/, such as my-article.txt; got '../mkdocs.yml'"),
    (ARTICLE, "text: daily-2024-01-01-budget.txt\n",
     "text: daily-2024-01-01-budget.txt\ngaps:\n  - before: not in the text\n    label: x\n    note: y\n",
     f"{ARTICLE}:7: gap text not found in seeds/daily-2024-01-01-budget.txt: 'not in the text'"),
]  # fmt: skip


@pytest.mark.parametrize(("record", "old", "new", "expected"), RULES)
def test_rule(site: Path, record: str, old: str, new: str, expected: str) -> None:
    edit(site, record, old, new)
    assert expected in problems(site)


def test_rule_messages_are_the_only_problems(site: Path) -> None:
    """A single bad value gives one message, not a cascade."""
    edit(site, SOURCE, "kind: report", "kind: rumour")
    assert len(problems(site)) == 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "Foo.yaml",
            "facts/claims/Foo.yaml: file name must be a lowercase slug ending in .yaml (a-z, 0-9, hyphens)",
        ),
        (
            "notes.txt",
            "facts/claims/notes.txt: file name must be a lowercase slug ending in .yaml (a-z, 0-9, hyphens)",
        ),
        ("index.yaml", "facts/claims/index.yaml:1: id 'index' is reserved; choose another"),
    ],
)
def test_file_names(site: Path, name: str, expected: str) -> None:
    text = (site / CLAIM).read_text().replace("id: parks-spending", f"id: {name.split('.')[0]}")
    write(site / "facts" / "claims" / name, text)
    assert expected in problems(site)


def test_unexpected_entry_in_facts(site: Path) -> None:
    write(site / "facts" / "people" / "x.yaml", "id: x\n")
    assert problems(site) == [
        "facts/people: unexpected entry in facts/; expected articles, claims, sources, entities, scale.yaml"
    ]


def test_symlinked_record_is_refused(site: Path, tmp_path: Path) -> None:
    outside = write(tmp_path / "outside.yaml", (site / SOURCE).read_text())
    (site / SOURCE).unlink()
    (site / SOURCE).symlink_to(outside)
    assert f"{SOURCE}: is a symbolic link; records must be regular files" in problems(site)


def test_fifo_seed_is_refused_without_hanging(site: Path) -> None:
    seed = site / "seeds" / "daily-2024-01-01-budget.txt"
    seed.unlink()
    os.mkfifo(seed)
    assert "seeds/daily-2024-01-01-budget.txt: is not a regular file" in problems(site)


def test_seed_with_script_is_plain_text(site: Path) -> None:
    """An article text is data: markup in it is shown, never run (checked in render tests)."""
    seed = site / "seeds" / "daily-2024-01-01-budget.txt"
    seed.write_text(seed.read_text() + "<script>alert(1)</script>\n")
    assert problems(site) == []


def test_missing_scale(site: Path) -> None:
    (site / "facts" / "scale.yaml").unlink()
    assert "facts/scale.yaml: missing: the rating scale must be defined here" in problems(site)


def test_scale_without_verdicts_forbids_verdicts_on_claims(site: Path) -> None:
    write(site / "facts" / "scale.yaml", "name: Conclusions only\nverdicts: []\n")
    found = problems(site)
    assert (
        f"{CLAIM}:6: the scale has no verdicts, so claims carry none: the conclusion is the verdict; "
        "remove 'verdict'" in found
    )
    assert len(found) == 3  # one per fixture claim


def test_broken_record_reports_every_problem_at_once(site: Path) -> None:
    broken = "facts/claims/budget-doubled.yaml"
    (site / broken).write_text(BROKEN.read_text())
    assert problems(site) == [
        f"{broken}:4: quote not found in the text of article 'daily-2024-01-01-budget' "
        "(seeds/daily-2024-01-01-budget.txt); the first 16 characters match, then the quote has "
        "'tripled between 2020' where the text has 'doubled between 2020'",
        f"{broken}:5: claim must restate the claim without verdict words; it contains 'inaccurate'",
        f"{broken}:6: unknown entity 'the-mayr': no file facts/entities/the-mayr.yaml (did you mean 'the-mayor'?)",
        f"{broken}:7: verdict must be one of: accurate, inaccurate, unproven; got 'maybe'",
        f"{broken}:13: sources[0].stance must be one of: supports, contradicts, context; got 'refutes'",
        f"{broken}:15: source 'city-accounts-2023' is cited twice",
        f"{broken}:18: unknown source 'parks-reprot': no file facts/sources/parks-reprot.yaml (did you mean 'parks-report'?)",
        f"{broken}:22: published must be a real date written YYYY-MM-DD; got '2024-02-30'",
        f"{broken}:25: unknown field 'template'; allowed: article, claim, claimant, conclusion, corrections, "
        "entities, evidence_as_of, explanation, id, published, quote, reviewed, sources, verdict",
        f"{broken}:26: duplicate key 'verdict'",
    ]


def test_check_command_prints_three_located_lines_and_exits_1(site: Path) -> None:
    """The issue's acceptance case: duplicate key, unknown source, quote not in the article."""
    edit(site, CLAIM, "verdict: accurate\n", "verdict: accurate\nverdict: inaccurate\n")
    edit(site, CLAIM, "source: parks-report", "source: park-report")
    edit(site, CLAIM, "quote: Spending on parks rose by 40%.", "quote: Parks got more money.")
    result = check(site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [
        f"{CLAIM}:3: quote not found in the text of article 'daily-2024-01-01-budget' (seeds/daily-2024-01-01-budget.txt)",
        f"{CLAIM}:7: duplicate key 'verdict'",
        f"{CLAIM}:12: unknown source 'park-report': no file facts/sources/park-report.yaml (did you mean 'parks-report'?)",
    ]
    assert result.stderr == "3 problem(s) found.\n"


def test_check_command_github_format(site: Path) -> None:
    edit(site, CLAIM, "verdict: accurate", "verdict: maybe")
    result = check(site, "--format", "github")
    assert result.returncode == 1
    assert result.stdout == (
        f"::error file={CLAIM},line=6::verdict must be one of: accurate, inaccurate, unproven; got 'maybe'\n"
    )


def test_check_command_clean(site: Path) -> None:
    result = check(site)
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == "OK: 3 claims, 1 articles, 2 sources, 3 entities.\n"


def test_cache_rereads_only_changed_files_and_reports_the_same(site: Path) -> None:
    from generator.validate import RecordCache

    cache = RecordCache()
    first, _ = load_corpus(Layout(site), cache)
    again, _ = load_corpus(Layout(site), cache)
    assert again.claims["budget-doubled"] is first.claims["budget-doubled"]
    edit(site, CLAIM, "verdict: accurate", "verdict: maybe")
    cached_run = load_corpus(Layout(site), cache)
    fresh_run = load_corpus(Layout(site))
    assert cached_run[1] == fresh_run[1] != []
    edit(site, CLAIM, "verdict: maybe", "verdict: unproven")
    fixed, problems = load_corpus(Layout(site), cache)
    assert problems == []
    assert fixed.claims["parks-spending"].verdict == "unproven"
    assert fixed.claims["budget-doubled"] is first.claims["budget-doubled"]


@pytest.mark.parametrize(("record", "old", "new", "expected"), RULES)
def test_fast_validator_agrees_with_jsonschema(
    site: Path, record: str, old: str, new: str, expected: str
) -> None:
    """The compiled check only clears records; it must never clear a bad one."""
    from fastjsonschema import JsonSchemaValueException

    from generator.load import load_record
    from generator.validate import _fast_validator, _validator

    edit(site, record, old, new)
    kind = {"claims": "claim", "sources": "source", "articles": "article"}[record.split("/")[1]]
    document, _ = load_record(site / record, record)
    full = list(_validator(kind).iter_errors(document.data))
    try:
        _fast_validator(kind)(document.data)
        fast_ok = True
    except JsonSchemaValueException:
        fast_ok = False
    assert fast_ok == (not full)
