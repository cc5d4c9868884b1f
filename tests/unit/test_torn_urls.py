"""A page whose links are torn (``http://[g/…``: a bracket in the host, which ``urlsplit`` refuses) still
gives its posts: no parser raises on a URL it reads from the page.

Every real page of the corpus, each of its absolute URLs torn, as a mangled archive or a bad template
writes them: a Tumblr home's page-view beacon once made the whole page a ``parser_error`` (its posts lost).
"""

from __future__ import annotations

import re

import pytest

from crawler.capture import Capture, process_capture
from crawler.parsers.base import LinkKind
from schemas.outcomes import PageOutcome
from tests.corpus import case_dirs, case_id, input_file, load_meta
from tests.goldens import FIXED_FETCH

CASES = case_dirs()


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_torn_urls_never_fail_the_parse(case):
    meta = load_meta(case)
    torn = re.sub(rb"https?://", b"http://[g", input_file(case).read_bytes())
    capture = Capture(url=meta["url"], body=torn, content_type=meta.get("content_type", "text/html"),
                      kind=LinkKind(meta["kind"]), fetched_at=FIXED_FETCH, platform=meta.get("platform"))  # fmt: skip
    assert process_capture(capture).outcome != PageOutcome.PARSER_ERROR.value
