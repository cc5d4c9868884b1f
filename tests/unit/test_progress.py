"""The progress display shared by crawl, build, snapshot and publish: a bar, or plain lines."""

from __future__ import annotations

import logging

from crawler.progress import ProgressDisplay, plain_line


def test_plain_lines_are_throttled_and_the_last_state_is_logged(caplog):
    caplog.set_level(logging.INFO, logger="crawler.progress")
    with ProgressDisplay("steps", None, live=False, interval=3600) as display:
        display.update(text="canalblog", total=3)
        display.update(advance=1, text="40 posts")
        assert not caplog.messages  # not yet: at most a line per interval
    assert caplog.messages == ["progress: steps 1/3, 40 posts"]


def test_with_no_interval_each_update_is_a_line_and_none_is_repeated(caplog):
    caplog.set_level(logging.INFO, logger="crawler.progress")
    with ProgressDisplay("blogs", 2, live=False, interval=0) as display:
        display.update(0, "3 posts")
        display.update(1, "9 posts")
    assert caplog.messages == ["progress: blogs 0/2, 3 posts", "progress: blogs 1/2, 9 posts"]


def test_the_bar_is_drawn_on_stderr_and_restores_the_log_handlers(capsys):
    handler = logging.StreamHandler()
    stream = handler.stream
    logging.getLogger().addHandler(handler)
    try:
        with ProgressDisplay("files", 4, live=True) as display:
            display.update(4, "checked, 1.0 MiB")
    finally:
        logging.getLogger().removeHandler(handler)
    captured = capsys.readouterr()
    assert "files 4/4" in captured.err and "checked, 1.0 MiB" in captured.err and not captured.out
    assert handler.stream is stream


def test_plain_line_without_a_total():
    assert plain_line("captures", 12, None, "30 rows") == "captures 12/?, 30 rows"
    assert plain_line("steps", 0, 5, "") == "steps 0/5"


def test_build_shows_the_captures_it_parsed(tmp_path, caplog):
    from crawler.build import build
    from tests.unit.test_hostile_warc import record_bytes

    warc = tmp_path / "in.warc"
    warc.write_bytes(b"".join(record_bytes(f"http://127.0.0.1/{i}.html", b"<p>x</p>") for i in range(3)))
    caplog.set_level(logging.INFO, logger="crawler.progress")
    counters = build([warc], tmp_path / "out", progress=ProgressDisplay("captures", None, False, 3600))
    assert counters["captures"] == 3
    lines = [r.getMessage() for r in caplog.records if r.name == "crawler.progress"]
    assert lines == ["progress: captures 3/?, 0 rows; writing the shards"]
