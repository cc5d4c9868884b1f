"""The crawl ledger: runs, done marks, resume after an interruption, and what an incremental re-crawl reads."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from crawler.ledger import KnownPost, Ledger, Sighting

BLOG = "http://a.blogspot.com/"
OTHER = "http://b.blogspot.com/"


def row(url: str, post_id: str, blog: str = BLOG, **extra) -> dict:
    """A permalink row as the shard pipeline hands it to ``mark_fetched``."""
    return {"url": url, "id": post_id, "blog_url": blog, **extra}


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "out" / ".state" / "ledger.sqlite"


def reopen(ledger: Ledger, path: Path) -> Ledger:
    ledger.close()
    return Ledger(path)


def test_a_first_run_is_new(path):
    ledger = Ledger(path)
    assert path.exists()  # the state folder is created
    assert (ledger.run, ledger.resumed, ledger.is_recrawl) == (1, False, False)
    assert ledger.known("http://a.blogspot.com/2020/01/x.html") is None
    ledger.close()


def test_an_interrupted_run_is_resumed_with_its_done_marks(path):
    ledger = Ledger(path)
    ledger.mark_fetched([row(f"{BLOG}2020/01/x.html", "x")])
    ledger = reopen(ledger, path)  # no finish(): the process died
    assert (ledger.run, ledger.resumed, ledger.is_recrawl) == (1, True, False)
    known = ledger.known(f"{BLOG}2020/01/x.html")
    assert known is not None and known.fetched_run == ledger.run  # the spider skips it
    ledger.close()


def test_a_finished_run_makes_the_next_one_a_recrawl(path):
    ledger = Ledger(path)
    ledger.mark_fetched([row(f"{BLOG}2020/01/x.html", "x")])
    ledger.finish("finished")
    ledger = reopen(ledger, path)
    assert (ledger.run, ledger.resumed, ledger.is_recrawl) == (2, False, True)
    known = ledger.known(f"{BLOG}2020/01/x.html")
    assert known is not None and known.fetched_run == 1  # fetched by an earlier run: checked, not skipped
    ledger.finish("finished")
    ledger = reopen(ledger, path)
    assert (ledger.run, ledger.resumed, ledger.is_recrawl) == (3, False, True)
    ledger.close()


def test_a_run_that_finished_on_an_error_is_not_resumed(path):
    ledger = Ledger(path)
    ledger.finish("shutdown")
    ledger = reopen(ledger, path)
    assert (ledger.run, ledger.resumed) == (2, False)
    ledger.close()


def test_mark_fetched_keeps_the_validators(path):
    ledger = Ledger(path)
    updated = datetime(2020, 1, 2, 3, 4, tzinfo=timezone.utc)
    url = f"{BLOG}2020/01/x.html"
    ledger.mark_fetched([row(url, "x", updated=updated, _etag='"abc"', _last_modified="Thu, 02 Jan 2020 03:04:00 GMT",
                             content_hash="h1")])  # fmt: skip
    assert ledger.known(url) == KnownPost(url, updated.isoformat(), '"abc"', "Thu, 02 Jan 2020 03:04:00 GMT", "h1",
                                          1, None, None)  # fmt: skip
    ledger.mark_fetched(
        [row(url, "x", content_hash="h2")]
    )  # fetched again: the new validators replace the old
    assert ledger.known(url) == KnownPost(url, None, None, None, "h2", 1, None, None)
    ledger.close()


def test_mark_seen_keeps_the_latest_signature_of_each_kind(path):
    ledger = Ledger(path)
    url = f"{BLOG}2020/01/x.html"
    ledger.mark_seen([Sighting(url, "x", BLOG, feed_sig="f1")])
    ledger.mark_seen(
        [Sighting(url, "x", BLOG, listing_sig="l1")]
    )  # a listing sighting keeps the feed signature
    ledger.write_pending()
    known = ledger.known(url)
    assert known is not None and (known.feed_sig, known.listing_sig, known.fetched_run) == ("f1", "l1", None)
    ledger.mark_seen([Sighting(url, "x", BLOG, feed_sig="f2")])
    ledger.mark_fetched([row(url, "x", content_hash="h")])  # fetching does not forget the signatures
    assert (ledger.known(url).feed_sig, ledger.known(url).listing_sig) == ("f2", "l1")
    ledger.close()


def test_an_unchanged_feed_entry_is_recognised_in_the_next_run(path):
    """What the spider compares on a re-crawl: the signature stored by the last run against today's."""
    url = f"{BLOG}2020/01/x.html"
    ledger = Ledger(path)
    ledger.mark_seen([Sighting(url, "x", BLOG, feed_sig="same")])
    ledger.mark_fetched([row(url, "x", content_hash="h")])
    ledger.finish("finished")
    ledger = reopen(ledger, path)
    known = ledger.known(url)
    assert ledger.is_recrawl and known.fetched_run != ledger.run and known.feed_sig == "same"
    ledger.close()


def test_unseen_ids_are_the_posts_this_run_did_not_find(path):
    ledger = Ledger(path)
    ledger.mark_seen([Sighting(f"{BLOG}1.html", "1", BLOG), Sighting(f"{BLOG}2.html", "2", BLOG),
                      Sighting(f"{OTHER}3.html", "3", OTHER)])  # fmt: skip
    assert ledger.unseen_ids([BLOG, OTHER]) == set()  # all seen in this run
    ledger.finish("finished")
    ledger = reopen(ledger, path)
    ledger.mark_seen([Sighting(f"{BLOG}1.html", "1", BLOG)])
    ledger.mark_fetched([row(f"{BLOG}4.html", "4")])  # a new post fetched this run counts as seen
    assert ledger.unseen_ids([BLOG]) == {"2"}  # deleted upstream
    assert ledger.unseen_ids([BLOG, OTHER]) == {"2", "3"}
    assert ledger.unseen_ids([]) == set()
    assert ledger.unseen_ids(["http://c.blogspot.com/"]) == set()
    ledger.close()


def test_done_marks_survive_a_reopen_of_a_finished_run(path):
    ledger = Ledger(path)
    ledger.mark_fetched([row(f"{BLOG}{i}.html", str(i)) for i in range(50)])
    ledger.finish("finished")
    ledger = reopen(ledger, path)
    assert all(ledger.known(f"{BLOG}{i}.html").fetched_run == 1 for i in range(50))
    ledger.close()


def commits_of(ledger: Ledger) -> list[int]:
    """A counter of the ledger's commits (a write outside BEGIN...COMMIT commits on its own)."""
    count, open_ = [0], [False]

    def trace(statement: str) -> None:
        verb = statement.split(None, 1)[0].upper()
        if verb == "BEGIN":
            open_[0] = True
        elif verb in ("COMMIT", "ROLLBACK"):
            count[0] += verb == "COMMIT"
            open_[0] = False
        elif verb in ("INSERT", "UPDATE", "DELETE") and not open_[0]:
            count[0] += 1

    ledger.db.set_trace_callback(trace)
    return count


def test_sightings_and_media_wait_for_the_next_done_marks_one_commit_each(path):
    ledger = Ledger(path)
    commits = commits_of(ledger)
    ledger.mark_seen([Sighting(f"{BLOG}{i}.html", str(i), BLOG, feed_sig=f"s{i}") for i in range(300)])
    ledger.record_media({"url": "http://img/1.jpg", "kind": "image", "outcome": "fetched"})
    assert commits[0] == 0 and ledger.known(f"{BLOG}1.html") is None  # nothing on disk yet
    assert ledger.media_archived("http://img/1.jpg")  # but known to the crawl at once
    ledger.mark_fetched([row(f"{BLOG}{i}.html", str(i)) for i in range(200)])  # a segment's flush
    assert commits[0] == 1
    assert ledger.known(f"{BLOG}299.html").feed_sig == "s299"
    assert ledger.known(f"{BLOG}1.html").fetched_run == ledger.run
    assert [r["url"] for r in ledger.media_records()] == ["http://img/1.jpg"]
    ledger.close()


def test_what_waits_is_written_at_close_and_at_finish(path):
    ledger = Ledger(path)
    ledger.mark_seen([Sighting(f"{BLOG}1.html", "1", BLOG, listing_sig="l")])
    ledger = reopen(ledger, path)  # an interrupted run: its sightings are kept
    assert ledger.known(f"{BLOG}1.html").listing_sig == "l"
    ledger.mark_seen([Sighting(f"{BLOG}2.html", "2", BLOG)])
    ledger.finish("finished")
    assert ledger.unseen_ids([BLOG]) == set()
    ledger.close()


def test_a_failed_commit_keeps_what_waits_and_marks_nothing(path):
    ledger = Ledger(path)
    ledger.mark_seen([Sighting(f"{BLOG}1.html", "1", BLOG)])
    with pytest.raises(sqlite3.IntegrityError):  # a row without its id, after a good one
        ledger.mark_fetched([row(f"{BLOG}2.html", "2"), row(f"{BLOG}3.html", None)])
    assert ledger.known(f"{BLOG}2.html") is None and not ledger.db.in_transaction
    ledger.mark_fetched([row(f"{BLOG}2.html", "2")])
    assert ledger.known(f"{BLOG}1.html") is not None  # the sighting waited for the next commit
    ledger.close()


def test_a_fetched_file_stays_fetched_while_it_waits(path):
    ledger = Ledger(path)
    url = "http://img/1.jpg"
    ledger.record_media({"url": url, "kind": "image", "outcome": "fetched", "sha256": "a"})
    ledger.record_media({"url": url, "kind": "image", "outcome": "timeout"})
    assert ledger.media_archived(url)
    [record] = ledger.media_records()
    assert (record["outcome"], record["sha256"]) == ("fetched", "a")
    ledger.close()
