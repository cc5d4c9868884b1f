"""Golden tests on real pages: one test per (case, field), so a failure names the field."""

from __future__ import annotations

import json

import pytest

from tests.goldens import FIELDS, REALPAGES, case_dirs, load_meta, run_case

CASES = case_dirs()
_results: dict[str, dict] = {}


def _result(case) -> dict:
    key = str(case)
    if key not in _results:
        _results[key] = run_case(case)
    return _results[key]


def _expected(case) -> dict:
    return json.loads((case / "expected.json").read_text(encoding="utf-8"))


pytestmark = pytest.mark.skipif(
    not REALPAGES.exists(), reason="../shared/realpages is not beside the checkout"
)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_outcome_and_count(case):
    got, want = _result(case), _expected(case)
    assert got["platform"] == want["platform"]
    assert got["outcome"] == want["outcome"]
    assert len(got["records"]) == len(want["records"])


@pytest.mark.parametrize("field", (*FIELDS, "origin"))
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_field(case, field):
    got, want = _result(case), _expected(case)
    for i, (g, w) in enumerate(zip(got["records"], want["records"])):
        assert g[field] == w[field], f"record {i} field {field}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_no_boilerplate_and_key_text(case):
    meta = load_meta(case)
    records = _result(case)["records"]
    text = "\n".join(r["text"] for r in records)
    lines = {line.strip() for line in text.split("\n")}
    for phrase in meta.get("must_contain", []):
        assert phrase in text, f"missing {phrase!r}"
    for phrase in meta.get("must_not_contain", []):
        assert phrase not in text, f"boilerplate {phrase!r} in text"
    for line in meta.get("boilerplate_lines", []):
        assert line not in lines, f"boilerplate line {line!r} in text"
