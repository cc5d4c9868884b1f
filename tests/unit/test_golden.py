"""Golden tests on real pages (``tests/realpages/``): one test per (case, field), so a failure names the field.

Every case folder runs: a missing input (``input.html`` or ``input.xml``), ``meta.json`` or ``expected.json`` fails, it never
skips. A case whose expected output has no record asserts exactly that (and its outcome) in
``test_outcome_and_count``; the per-field tests exist only for the records there are.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus import case_id
from tests.goldens import FIELDS, case_dirs, load_expected, load_meta, run_case

CASES = case_dirs()
_results: dict[Path, dict] = {}


def _result(case: Path) -> dict:
    if case not in _results:
        _results[case] = run_case(case)
    return _results[case]


def _expected_records(case: Path) -> int:
    """How many records the case expects (0 when expected.json is absent or unreadable: its count test fails)."""
    try:
        return len(load_expected(case)["records"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def _with_phrases(case: Path) -> bool:
    try:
        meta = load_meta(case)
    except (OSError, ValueError):
        return False
    return any(meta.get(key) for key in ("must_contain", "must_not_contain", "boilerplate_lines"))


def _phrase_param(case: Path):
    """A case whose meta.json names a ``known_gap`` (the parser does not meet its phrases yet) is a strict
    xfail: the day the parser is fixed the test fails until the note is removed."""
    gap = load_meta(case).get("known_gap")
    marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
    return pytest.param(case, marks=marks, id=case_id(case))


FIELD_CASES = [case for case in CASES if _expected_records(case)]
PHRASE_CASES = [_phrase_param(case) for case in CASES if _with_phrases(case)]


def test_the_corpus_has_cases():
    assert len(CASES) >= 39
    assert FIELD_CASES and PHRASE_CASES


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_outcome_and_count(case):
    assert (case / "expected.json").is_file(), (
        f"no expected.json: run python -m tests.update_golden {case_id(case)}"
    )
    got, want = _result(case), load_expected(case)
    assert got["platform"] == want["platform"]
    assert got["outcome"] == want["outcome"]
    assert len(got["records"]) == len(want["records"])


@pytest.mark.parametrize("field", (*FIELDS, "origin"))
@pytest.mark.parametrize("case", FIELD_CASES, ids=case_id)
def test_field(case, field):
    got, want = _result(case)["records"], load_expected(case)["records"]
    assert len(got) == len(want), f"{len(got)} records, {len(want)} expected"
    for i, (g, w) in enumerate(zip(got, want)):
        assert g[field] == w[field], f"record {i} field {field}"


@pytest.mark.parametrize("case", PHRASE_CASES)
def test_no_boilerplate_and_key_text(case):
    meta = load_meta(case)
    records = _result(case)["records"]
    text = "\n".join(r["text"] for r in records)
    lines = {line.strip() for line in text.split("\n")}
    if meta.get("must_contain"):
        assert records, "no record, so none of must_contain"
    for phrase in meta.get("must_contain", []):
        assert phrase in text, f"missing {phrase!r}"
    for phrase in meta.get("must_not_contain", []):
        assert phrase not in text, f"boilerplate {phrase!r} in text"
    for line in meta.get("boilerplate_lines", []):
        assert line not in lines, f"boilerplate line {line!r} in text"
