"""A listing row read after its post's permalink row is dropped, the same way by a crawl and a build."""

from __future__ import annotations

from pipelines.select import SupersededListings
from schemas.origins import Origin
from schemas.segment import ORIGIN


def _row(post: str, origin: Origin) -> dict:
    return {"id": post, ORIGIN: int(origin)}


def test_a_listing_row_after_its_permalink_row_is_superseded():
    rows = SupersededListings()
    assert not rows.superseded(_row("a", Origin.LISTING))  # before its permalink: kept (it may be an orphan)
    assert not rows.superseded(_row("a", Origin.PERMALINK))
    assert rows.superseded(_row("a", Origin.LISTING))
    assert not rows.superseded(_row("b", Origin.LISTING))


def test_feed_and_comment_rows_are_never_superseded():
    rows = SupersededListings()
    rows.superseded(_row("a", Origin.PERMALINK))
    assert not rows.superseded(_row("a", Origin.API))  # merged into the permalink's row by finalize
    assert not rows.superseded(_row("a", Origin.COMMENTS))  # its comments are merged
