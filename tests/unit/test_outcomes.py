"""Page outcomes: one enum, its "gone" rule, and every slug the parsers name is in it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from crawler.blogs import home_result
from schemas.outcomes import DISCOVERY_OUTCOMES, FALLBACK_OUTCOMES, GONE, PageOutcome

PARSE_SIDE = [
    *sorted((Path(__file__).resolve().parents[2] / "crawler" / "parsers").rglob("*.py")),
    Path(__file__).resolve().parents[2] / "crawler" / "capture.py",
]


def test_gone_blogs_are_dead_and_all_but_a_login_wall_go_to_the_archive():
    assert {"blog_gone", "login_wall", "challenge"} == GONE
    assert {"blog_gone", "challenge"} == FALLBACK_OUTCOMES
    assert not PageOutcome.LOGIN_WALL.archive_fallback
    assert not any(o.gone for o in PageOutcome if o.value not in GONE)


@pytest.mark.parametrize("outcome", sorted(GONE))
def test_a_gone_home_records_its_outcome_whatever_the_status(outcome):
    assert home_result("home", "blogspot", outcome, 200) == outcome


def test_a_home_with_another_outcome_is_read_as_a_live_blog():
    assert home_result("home", "blogspot", PageOutcome.CONTENT_WARNING.value, 200) == "ok"


def test_discovery_pages_are_the_two_silent_outcomes():
    assert {"links_only", "no_posts"} == DISCOVERY_OUTCOMES


def test_an_outcome_is_its_slug():
    assert PageOutcome("blog_gone") is PageOutcome.BLOG_GONE
    assert PageOutcome.BLOG_GONE == "blog_gone" and "blog_gone" in {PageOutcome.BLOG_GONE}


def outcome_literals(source: str) -> set[str]:
    """Slugs a module names as an outcome: ``outcome=...``, ``outcome = ...``, a
    ``Page(..., outcome=...)``, and the ``(slug, pattern)`` tables parsers match pages with."""
    found: set[str] = set()

    def strings(node: ast.AST) -> set[str]:
        return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}

    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.keyword)
            and node.arg == "outcome"
            or isinstance(node, ast.Assign)
            and any(getattr(t, "id", None) == "outcome" for t in node.targets)
        ):
            found |= strings(node.value)
        elif (isinstance(node, ast.Tuple) and len(node.elts) == 2 and isinstance(node.elts[0], ast.Constant)
              and isinstance(node.elts[1], ast.Call) and getattr(node.elts[1].func, "attr", "") == "compile"):  # fmt: skip
            found.add(node.elts[0].value)
    return found


@pytest.mark.parametrize("path", PARSE_SIDE, ids=lambda p: p.name)
def test_every_outcome_a_parser_names_is_a_page_outcome(path):
    slugs = outcome_literals(path.read_text(encoding="utf-8"))
    unknown = {s for s in slugs if s not in {o.value for o in PageOutcome}}
    assert not unknown, f"{path.name} names outcomes schemas.outcomes.PageOutcome lacks: {sorted(unknown)}"


def test_the_scan_finds_the_outcomes_of_the_parsers():
    found = set().union(*(outcome_literals(p.read_text(encoding="utf-8")) for p in PARSE_SIDE))
    assert {"blog_gone", "login_wall", "not_a_post", "empty", "unparsable", "api_rate_limited"} <= found
