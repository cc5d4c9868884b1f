"""The real-page corpus is well-formed: every case has its files, its truth and its origin.

The format is in ``tests/realpages/README.md``; ``tests/corpus.py`` holds the checks, these
tests run them on every case folder (a folder with a missing file fails, never skips).
"""

from __future__ import annotations

import pytest

from tests.corpus import (
    CORPUS_PLATFORMS,
    SOURCES_HEADER,
    case_dirs,
    case_id,
    case_problems,
    load_json,
    read_sources,
    record_problems,
    sources_header,
    truth_problems,
)

CASES = case_dirs()
TRUTH_CASES = [case for case in CASES if (case / "truth.json").is_file()]  # the others fail test_case_folder


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_case_folder(case):
    assert case_problems(case) == []


@pytest.mark.parametrize("case", TRUTH_CASES, ids=case_id)
def test_truth_is_well_formed(case):
    assert truth_problems(load_json(case / "truth.json"), case) == []


def test_sources_has_one_row_per_case_and_none_without():
    assert sources_header() == SOURCES_HEADER
    rows = read_sources()
    named = [row["case"] for row in rows]
    assert sorted(set(named)) == sorted(named), "a case has two rows"
    assert set(named) - {case_id(c) for c in CASES} == set(), "rows without a case folder"
    assert {case_id(c) for c in CASES} - set(named) == set(), "case folders without a row"


def test_sources_rows_are_complete():
    for row in read_sources():
        assert None not in row and all(value is not None for value in row.values()), (
            f"{row['case']}: wrong column count"
        )
        assert row["platform"] == row["case"].split("/")[0], row["case"]
        assert row["platform"] in CORPUS_PLATFORMS, row["case"]
        assert row["source_repo"] and row["licence"], (
            f"{row['case']}: source repository and licence are required"
        )
        assert row["licence"] == "unknown" or row["commit"], f"{row['case']}: a known source names its commit"


def test_every_platform_is_in_the_corpus():
    assert {case.parent.name for case in CASES} == set(CORPUS_PLATFORMS)


# --- the checks themselves catch what they are for ----------------------------------------------

GOOD_RECORD = {
    "url": "https://x.blogspot.com/2011/10/a.html", "title": "A", "published": "2011-10-05T14:32",
    "published_utc_offset": "-07:00", "published_precision": "minute", "author": "K", "tags": ["t"],
    "comments_visible": 3, "comments_declared": 3,
    "comments_sample": [{"author": "a", "published": "2011-10-06", "text_start": "Hi"},
                        {"author": None, "published": None, "text_start": "Bye"}],
    "first_sentence": "One.", "last_sentence": "Two.",
}  # fmt: skip


def test_a_good_record_passes():
    assert record_problems(GOOD_RECORD) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"published": "2011-13-05"}, "published '2011-13-05'"),
        ({"published": "05/10/2011"}, "is not YYYY-MM-DD"),
        ({"published_precision": "day"}, "does not show precision"),
        ({"published_precision": "hour"}, "is not one of"),
        ({"published_utc_offset": "PDT"}, "is not ±HH:MM"),
        ({"comments_visible": -1}, "comments_visible is not a count"),
        ({"comments_visible": True}, "comments_visible is not a count"),
        ({"comments_visible": 1}, "comments_sample holds 2"),
        ({"tags": "t"}, "tags is not a list"),
        ({"title": ""}, "title is not"),
        ({"url": "javascript:x"}, "url 'javascript:x'"),
        ({"first_sentence": None}, "both null"),
        ({"last_sentence": ""}, "last_sentence is not"),
        ({"colour": "red"}, "unknown key 'colour'"),
    ],
)
def test_a_bad_record_is_caught(change, problem):
    problems = record_problems({**GOOD_RECORD, **change})
    assert any(problem in p for p in problems), problems


def test_a_bad_truth_is_caught(tmp_path):
    truth = {"kind": "page", "custom_domain": "yes", "records": [GOOD_RECORD, GOOD_RECORD], "gold_text": "gold.txt",
             "boilerplate": [], "checked_by": "parser", "notes": ""}  # fmt: skip
    problems = " | ".join(truth_problems(truth, tmp_path))
    for expected in ("kind 'page'", "custom_domain", "checked_by", "gold_text 'gold.txt' names no file"):
        assert expected in problems
    truth["kind"] = "post"
    assert "a post page with 2 records" in " | ".join(truth_problems(truth, tmp_path))
